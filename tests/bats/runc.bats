#!/usr/bin/env bats
# Real containers with runc: OCI bundles shaped like the ones Docker and a kubelet hand to the
# runtime. Each test asserts the exit status, what the app saw (/proc/self/status, mounts) and
# what remained after the stop. Bundles and roots live in temp dirs; nothing else is touched.

load common
load ../containers/lib

# Docker's default capability set as /proc/PID/status shows it (no CAP_SYS_ADMIN, bit 21).
DOCKER_CAPEFF=00000000a80425fb

setup() {
	need_runc
	ID="tmpinit-bats-$$-$BATS_TEST_NUMBER"
	HOST_MOUNTS=()
	B="$BATS_TEST_TMPDIR/bundle"
	mkdir -p "$B"
}

teardown() {
	exec 9<&- 2>/dev/null || true
	[ -n "${ID:-}" ] && runc_cleanup "$ID"
	[ -n "${ID2:-}" ] && runc_cleanup "$ID2"
	local m
	for m in "${HOST_MOUNTS[@]}"; do umount -l "$m" 2>/dev/null; done
	return 0
}

# The bundle's root with ctr_ini (plus ARGS as extra lines) baked in as /etc/tmpinit.ini.
rootfs_with_ini() {
	ctr_ini "$@" >"$BATS_TEST_TMPDIR/tmpinit.ini"
	ctr_rootfs "$B/rootfs" "$BATS_TEST_TMPDIR/tmpinit.ini"
}

# `runc kill TERM`, then the container's exit status in RUNC_STATUS; shows its output.
term_and_wait() {
	runc kill "$ID" TERM
	runc_wait
	cat "$B/out" "$B/err"
}

# hold_secret (lib.bash) for this test's container, with its logs when the app never got ready.
hold_secret_runc() {
	hold_secret "$CPID" || { cat "$B/out" "$B/err"; return 1; }
}

@test "runc, Docker shape: read-only root, Docker caps, runtime tmpfs adopted; TERM -> app's code, tmpfs shredded" {
	rootfs_with_ini
	ctr_bundle "$B" --caps docker --tmpfs /var/tmp:size=1m,mode=1777 -- /sbin/tmpinit -- tmpinit-test-app
	runc_start "$ID" "$B"
	hold_secret_runc

	term_and_wait
	[ "$RUNC_STATUS" -eq 42 ]
	grep -qx 'app: got TERM' "$B/out"
	grep -q "^status: CapEff:	$DOCKER_CAPEFF\$" "$B/out"
	grep -q "^status: CapBnd:	$DOCKER_CAPEFF\$" "$B/out"
	grep -qE '^mount: [^ ]+ / [^ ]+ ro[, ]' "$B/out"
	grep -qE '^mount: tmpfs /var/tmp tmpfs rw,nosuid,nodev,noexec,.*size=1024k' "$B/out"
	grep -q '^pid1: tmpinit$' "$B/out"
	# What remained: the container is gone and the host's fd reads the original length, zeros.
	! runc state "$ID" >/dev/null 2>&1
	[ "$(fd_verdict 9)" = "65536 zero" ]
	shred_reported "$B/err"
}

@test "runc, CAP_SYS_ADMIN shape: tmpinit mounts its own tmpfs, the app no longer holds CAP_SYS_ADMIN" {
	rootfs_with_ini "source = mount" "[capabilities]" "keep = chown dac_override fsetid fowner mknod \
net_raw setgid setuid setfcap setpcap net_bind_service sys_chroot kill audit_write"
	ctr_bundle "$B" --caps docker+SYS_ADMIN -- /sbin/tmpinit -- tmpinit-test-app
	runc_start "$ID" "$B"
	hold_secret_runc

	term_and_wait
	[ "$RUNC_STATUS" -eq 42 ]
	grep -q "^status: CapEff:	$DOCKER_CAPEFF\$" "$B/out"
	grep -q "^status: CapBnd:	$DOCKER_CAPEFF\$" "$B/out"
	# The mount itself proves tmpinit held CAP_SYS_ADMIN (the negative control is the test
	# below, where the same config without it is refused).
	grep -qE '^mount: tmpfs /var/tmp tmpfs rw,nosuid,nodev,noexec,.*size=1024k' "$B/out"
	[ "$(fd_verdict 9)" = "65536 zero" ]
}

@test "runc, Docker shape without CAP_SYS_ADMIN: source = mount is refused with both fixes, app never runs" {
	rootfs_with_ini "source = mount"
	ctr_bundle "$B" --caps docker -- /sbin/tmpinit -- tmpinit-test-app
	runc run --bundle "$B" "$ID" >"$B/out" 2>"$B/err" </dev/null || RUNC_STATUS=$?
	cat "$B/out" "$B/err"
	[ "${RUNC_STATUS:-0}" -eq 125 ]
	! grep -q '^app:' "$B/out"
	grep -q -- '--tmpfs' "$B/err"
	grep -q 'CAP_SYS_ADMIN' "$B/err"
}

@test "runc, Docker --init layout: /sbin/docker-init bind-mounted read-only, no ini: behaves like tini" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	# Docker's daemon.json names the binary it mounts there: ours must point at tmpinit.
	grep -q '"init-path": *"[^"]*/tmpinit"' "$ROOT/init/docker/daemon.json"
	ctr_rootfs "$B/rootfs"
	[ ! -e "$B/rootfs/etc/tmpinit.ini" ]
	ctr_bundle "$B" --caps docker --bind "$TMPINIT:/sbin/docker-init:ro" -- \
		/sbin/docker-init -- tmpinit-test-app --dir /tmp --code 7 --orphan
	runc_start "$ID" "$B"
	WAIT_SECONDS=10 wait_until grep -q 'app: ready' "$B/out"
	# The binary is the read-only bind mount, and it is PID 1.
	grep -qE '^mount: [^ ]+ /sbin/docker-init [^ ]+ ro[, ]' "$B/out"
	grep -q '^pid1: docker-init$' "$B/out"
	tr '\0' ' ' <"/proc/$CPID/cmdline" | grep -q '^/sbin/docker-init -- tmpinit-test-app'

	term_and_wait
	# Like tini: the signal was forwarded, the app's code came back, the orphan was stopped.
	[ "$RUNC_STATUS" -eq 7 ]
	grep -qx 'app: got TERM' "$B/out"
	grep -qx 'orphan: got TERM' "$B/err"
	! runc state "$ID" >/dev/null 2>&1
}

@test "runc, Docker --init layout: exit code and death by signal come back like tini's" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	ctr_rootfs "$B/rootfs"
	ctr_bundle "$B" --bind "$TMPINIT:/sbin/docker-init:ro" -- /sbin/docker-init -- sh -c 'exit 3'
	runc run --bundle "$B" "$ID" </dev/null >"$B/out" 2>"$B/err" || RUNC_STATUS=$?
	[ "${RUNC_STATUS:-0}" -eq 3 ]
	runc delete -f "$ID" >/dev/null 2>&1 || true
	ctr_bundle "$B" --bind "$TMPINIT:/sbin/docker-init:ro" -- /sbin/docker-init -- sh -c 'kill -USR1 $$'
	RUNC_STATUS=0
	runc run --bundle "$B" "$ID" </dev/null >"$B/out" 2>"$B/err" || RUNC_STATUS=$?
	[ "$RUNC_STATUS" -eq $((128 + 10)) ]
	# And the version line docker prints for its init.
	run "$B/rootfs/sbin/tmpinit" --version
	[[ "$output" == "tini version "* ]]
}

# Docker's stop: SIGTERM, then SIGKILL after its timeout. Returns in STOP_KILLED whether the
# engine had to send the SIGKILL.
engine_stop() {
	local id=$1 timeout=$2 start=$SECONDS
	runc kill "$id" TERM
	STOP_KILLED=no
	while runc_running "$id"; do
		if [ $((SECONDS - start)) -ge "$timeout" ]; then
			runc kill "$id" KILL
			STOP_KILLED=yes
			break
		fi
		sleep 0.05
	done
	runc_wait
}

# A container whose app ignores SIGTERM, under tmpinit with stop_timeout DURATION.
start_ignoring_app() {
	ctr_rootfs "$B/rootfs"
	ctr_bundle "$B" --env "TMPINIT_STOP_TIMEOUT=$1" -- /sbin/tmpinit -- tmpinit-test-app --dir /tmp --ignore-term
	runc_start "$ID" "$B"
	WAIT_SECONDS=10 wait_until grep -q 'app: ready' "$B/out"
}

@test "runc kill TERM to an app that ignores it: tmpinit's stop_timeout kills it before the engine's SIGKILL" {
	start_ignoring_app 1s
	engine_stop "$ID" 10
	cat "$B/out" "$B/err"
	[ "$STOP_KILLED" = no ]
	[ "$RUNC_STATUS" -eq $((128 + 9)) ]
	grep -qx 'app: ignoring TERM' "$B/out"
	! runc state "$ID" >/dev/null 2>&1
}

@test "runc kill TERM, then the engine's SIGKILL when tmpinit's deadline is longer: status 137" {
	start_ignoring_app 60s
	engine_stop "$ID" 1
	cat "$B/out" "$B/err"
	# The engine had to kill: no shred can run then, which is why stop_timeout must stay
	# below the engine's timeout (README).
	[ "$STOP_KILLED" = yes ]
	[ "$RUNC_STATUS" -eq $((128 + 9)) ]
	! runc state "$ID" >/dev/null 2>&1
}

@test "init/kubernetes/pod.yaml: the translation reads the YAML's securityContext and volumes" {
	"$PY" -c 'import yaml' 2>/dev/null || skip "needs PyYAML (apt-get install python3-yaml; make deps)"
	eval "$("$PY" "$CTR_DIR/pod2bundle.py" "$ROOT/init/kubernetes/pod.yaml")"
	[ "$POD_USER" = 1000:1000 ]
	[ "$POD_CAPS" = none ]
	[ "$POD_NNP" = 1 ]
	[ "$POD_READONLY" = 1 ]
	[ "${POD_MEMORY_DIRS[*]}" = /var/tmp:16m ]
	[ "${POD_COMMAND[0]}" = /sbin/tmpinit ] && [ "${POD_COMMAND[1]}" = -- ]
	# Negative control: change the values in a copy; the translation must follow them.
	sed -e 's/runAsUser: 1000/runAsUser: 4242/' -e 's/sizeLimit: 16Mi/sizeLimit: 3Mi/' \
		-e 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/' \
		"$ROOT/init/kubernetes/pod.yaml" >"$BATS_TEST_TMPDIR/pod.yaml"
	eval "$("$PY" "$CTR_DIR/pod2bundle.py" "$BATS_TEST_TMPDIR/pod.yaml")"
	[ "$POD_USER" = 4242:1000 ]
	[ "$POD_NNP" = 0 ]
	[ "${POD_MEMORY_DIRS[*]}" = /var/tmp:3m ]
	# What the emulation cannot honour is refused, never dropped silently.
	sed 's/drop: \["ALL"\]/drop: ["NET_RAW"]/' "$ROOT/init/kubernetes/pod.yaml" >"$BATS_TEST_TMPDIR/pod2.yaml"
	run "$PY" "$CTR_DIR/pod2bundle.py" "$BATS_TEST_TMPDIR/pod2.yaml"
	[ "$status" -ne 0 ]
}

@test "runc, Kubernetes' way from pod.yaml: non-root, no caps, no_new_privs, emptyDir in RAM adopted and shredded" {
	"$PY" -c 'import yaml' 2>/dev/null || skip "needs PyYAML (apt-get install python3-yaml; make deps)"
	eval "$("$PY" "$CTR_DIR/pod2bundle.py" "$ROOT/init/kubernetes/pod.yaml")"
	local binds=() m size host
	# Like the kubelet: a tmpfs on the host per emptyDir (medium Memory, only size=sizeLimit),
	# mode 0777, bind-mounted into the container without nosuid or nodev (as CRI runtimes do).
	for m in "${POD_MEMORY_DIRS[@]}"; do
		size=${m#*:} host="$BATS_TEST_TMPDIR/emptydir${m%%:*}"
		mkdir -p "$host"
		mount -t tmpfs -o "size=$size" tmpfs "$host"
		chmod 0777 "$host"
		HOST_MOUNTS+=("$host")
		binds+=(--bind "$host:${m%%:*}:suid,dev")
	done
	# The ini the pod's comment says to build the image with, unchanged; info level (for the
	# shred report) comes from the environment, which wins over the file.
	ctr_rootfs "$B/rootfs" "$ROOT/init/kubernetes/tmpinit.ini"
	local ro=() nnp=()
	[ "$POD_READONLY" = 1 ] || ro=(--rw)
	[ "$POD_NNP" = 1 ] && nnp=(--no-new-privs)
	ctr_bundle "$B" --user "$POD_USER" --caps "$POD_CAPS" "${nnp[@]}" "${ro[@]}" "${binds[@]}" \
		--env TINI_VERBOSITY=2 -- "${POD_COMMAND[0]}" "${POD_COMMAND[1]}" tmpinit-test-app
	runc_start "$ID" "$B"
	hold_secret_runc
	# tmpinit itself runs as the pod's user, with nothing to drop.
	grep -q '^Uid:	1000	1000	1000	1000$' "/proc/$CPID/status"

	# The kubelet's stop: SIGTERM, SIGKILL after terminationGracePeriodSeconds.
	engine_stop "$ID" "$POD_GRACE"
	cat "$B/out" "$B/err"
	[ "$STOP_KILLED" = no ]
	[ "$RUNC_STATUS" -eq 42 ]
	grep -q '^status: Uid:	1000	1000	1000	1000$' "$B/out"
	grep -q '^status: CapEff:	0000000000000000$' "$B/out"
	grep -q '^status: CapBnd:	0000000000000000$' "$B/out"
	grep -q '^status: NoNewPrivs:	1$' "$B/out"
	grep -qE '^mount: tmpfs /var/tmp tmpfs rw,' "$B/out"
	# The shipped ini matches what the pod provides: not one warning or error.
	! grep -qE '^tmpinit: (warning|error):' "$B/err"
	# What remained: the emptyDir on the host is empty, the held fd reads zeros.
	[ -z "$(ls -A "$host")" ]
	[ "$(fd_verdict 9)" = "65536 zero" ]
	shred_reported "$B/err"

	# Negative control: etc/tmpinit.ini (root, a user switch, /run) in the same pod fails,
	# also with the Debian image's www-data user present.
	ctr_rootfs "$B/rootfs" "$ROOT/etc/tmpinit.ini"
	echo 'www-data:x:33:33:www-data:/var/www:/bin/sh' >>"$B/rootfs/etc/passwd"
	echo 'www-data:x:33:' >>"$B/rootfs/etc/group"
	runc run --bundle "$B" "$ID-etc" >"$B/out" 2>"$B/err" </dev/null || RUNC_STATUS=$?
	ID2="$ID-etc"
	cat "$B/err"
	[ "$RUNC_STATUS" -eq 125 ]
	! grep -q 'no user' "$B/err"
	! grep -q '^app:' "$B/out"
}

@test "runc, shared PID namespace: tmpinit not PID 1 is a subreaper and stops only its own descendants" {
	ctr_rootfs "$BATS_TEST_TMPDIR/rootfs"
	# Container A, the "pod" owning the PID namespace, with processes that must live on.
	local A="$BATS_TEST_TMPDIR/a"
	ctr_bundle "$A" --rootfs "$BATS_TEST_TMPDIR/rootfs" -- sh -c 'sleep 1000 & sleep 1000 & wait'
	ID2="$ID-a"
	runc_start "$ID2" "$A"
	local apid=$CPID a_job=$RUNC_JOB
	WAIT_SECONDS=10 wait_until test "$(pgrep -c -P "$apid")" -eq 2
	local a_children
	a_children=$(pgrep -P "$apid" | sort)

	ctr_bundle "$B" --rootfs "$BATS_TEST_TMPDIR/rootfs" --pidns "/proc/$apid/ns/pid" -- \
		/sbin/tmpinit -- tmpinit-test-app --dir /tmp --orphan
	runc_start "$ID" "$B"
	WAIT_SECONDS=10 wait_until grep -q 'app: ready' "$B/out"
	# The orphan was re-parented to tmpinit (subreaper), not to A's PID 1.
	local orphan
	WAIT_SECONDS=10 wait_until test -n "$(pgrep -P "$CPID" -f 'orphan')"
	orphan=$(pgrep -P "$CPID" -f 'orphan')
	[ -n "$orphan" ]

	term_and_wait
	[ "$RUNC_STATUS" -eq 42 ]
	grep -q '^pid1: sh$' "$B/out"
	grep -qx 'app: got TERM' "$B/out"
	# tmpinit sent the orphan its TERM (runc alone would only SIGKILL what is left).
	grep -qx 'orphan: got TERM' "$B/err"
	! kill -0 "$orphan" 2>/dev/null
	# A and every process of A live on.
	runc_running "$ID2"
	[ "$(pgrep -P "$apid" | sort)" = "$a_children" ]
	RUNC_JOB=$a_job
}
