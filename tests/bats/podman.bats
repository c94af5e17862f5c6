#!/usr/bin/env bats
# Real containers with podman (with runc; see tests/containers/lib.bash for the recipe): tmpinit
# as the image's ENTRYPOINT, as podman's --init binary, the Kubernetes restricted shape, a
# shared PID namespace, init/podman/containers.conf and Dockerfile.example built for real.
# Each test asserts the exit code, what the app saw and what remained after `podman stop`.

load common
load ../containers/lib

setup_file() {
	[ "$(id -u)" -eq 0 ] && command -v podman >/dev/null && podman_cmd info >/dev/null 2>&1 || return 0
	export IMG_TAG="tmpinit-bats-$$"
	# Untagged images that were here before: podman build leaves its builder stage untagged,
	# and teardown_file removes only the ones this file made.
	podman_cmd images -q -a --filter dangling=true | sort >"$BATS_FILE_TMPDIR/dangling.before"
	ctr_rootfs "$BATS_FILE_TMPDIR/plain"
	ctr_import "$BATS_FILE_TMPDIR/plain" "localhost/$IMG_TAG:plain"
	ctr_import "$BATS_FILE_TMPDIR/plain" "localhost/$IMG_TAG:bare" bare
}

teardown_file() {
	[ -n "${IMG_TAG:-}" ] || return 0
	podman_cmd images --format '{{.Repository}}:{{.Tag}}' | grep "^localhost/$IMG_TAG:" |
		xargs -r podman rmi -f >/dev/null 2>&1
	podman_cmd images -q -a --filter dangling=true | sort |
		comm -13 "$BATS_FILE_TMPDIR/dangling.before" - | xargs -r podman rmi -f >/dev/null 2>&1
	return 0
}

# The app of the Dockerfile.example tests: prints its identity, writes a 64 KiB secret to the
# tmpfs, signals ready, and exits 42 on SIGTERM.
# shellcheck disable=SC2016
SECRET_APP='grep -E "^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
	head -c 65536 /dev/zero | tr "\0" S >/var/tmp/secret; touch /var/tmp/ready
	trap "exit 42" TERM; while :; do sleep 1 & wait $!; done'

setup() {
	need_podman
	NAME="tmpinit-bats-$$-$BATS_TEST_NUMBER"
	NAME2=
	# shellcheck disable=SC2207
	RUN=($(podman_run_flags))
}

teardown() {
	exec 9<&- 2>/dev/null || true
	podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
	[ -n "$NAME2" ] && podman rm -f -t 0 "$NAME2" >/dev/null 2>&1
	return 0
}

# An image with INI (text on stdin) baked in as /etc/tmpinit.ini; echoes its name. With
# "bare", no ENTRYPOINT (for --init, where podman puts tmpinit in front).
image_with_ini() {
	local tag=$1 dir="$BATS_TEST_TMPDIR/rootfs-$1"
	cat >"$BATS_TEST_TMPDIR/$tag.ini"
	ctr_rootfs "$dir" "$BATS_TEST_TMPDIR/$tag.ini"
	ctr_import "$dir" "localhost/$IMG_TAG:$tag" "${2:-}"
	echo "localhost/$IMG_TAG:$tag"
}

# podman stop -t N, timed: sets STOP_MS and CODE (the container's exit code).
timed_stop() {
	local t0
	t0=$(now_ms)
	podman_cmd stop -t "$2" "$1" >/dev/null
	STOP_MS=$(($(now_ms) - t0))
	CODE=$(podman_cmd wait "$1")
	podman_cmd logs "$1" >"$BATS_TEST_TMPDIR/logs" 2>&1
	cat "$BATS_TEST_TMPDIR/logs"
	echo "# stop took ${STOP_MS} ms, exit code $CODE"
}

cpid() {
	podman_cmd inspect -f '{{.State.Pid}}' "$1"
}

# hold_secret (lib.bash) for this test's container, with its logs when the app never got ready.
hold_secret_podman() {
	hold_secret "$(cpid "$NAME")" "$@" || { podman_cmd logs "$NAME"; return 1; }
}

@test "podman --read-only --tmpfs, tmpinit as ENTRYPOINT: stop -t 10 -> TERM, app's code, tmpfs shredded, before 10 s" {
	local img
	img=$(ctr_ini | image_with_ini entry)
	podman_cmd run -d --name "$NAME" "${RUN[@]}" --read-only --read-only-tmpfs=false \
		--tmpfs /var/tmp:size=1m,mode=1777,noexec "$img" tmpinit-test-app >/dev/null
	hold_secret_podman
	timed_stop "$NAME" 10
	[ "$CODE" -eq 42 ]
	[ "$STOP_MS" -lt 10000 ]
	grep -qx 'app: got TERM' "$BATS_TEST_TMPDIR/logs"
	grep -q '^pid1: tmpinit$' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: [^ ]+ / [^ ]+ ro[, ]' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: tmpfs /var/tmp tmpfs rw,nosuid,nodev,noexec,.*size=1024k' "$BATS_TEST_TMPDIR/logs"
	[ "$(fd_verdict 9)" = "65536 zero" ]
	shred_reported "$BATS_TEST_TMPDIR/logs"
}

@test "podman --init --init-path tmpinit, no ini: PID 1 is /run/podman-init --, TERM forwarded, app's code" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	podman_cmd run -d --name "$NAME" "${RUN[@]}" --read-only --init --init-path "$TMPINIT" \
		"localhost/$IMG_TAG:bare" tmpinit-test-app --dir /tmp --code 9 --orphan >/dev/null
	local pid
	pid=$(cpid "$NAME")
	WAIT_SECONDS=10 wait_until test -e "/proc/$pid/root/tmp/ready"
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q '^/run/podman-init -- tmpinit-test-app'
	timed_stop "$NAME" 10
	[ "$CODE" -eq 9 ]
	[ "$STOP_MS" -lt 10000 ]
	grep -q '^pid1: podman-init$' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: [^ ]+ /run/podman-init [^ ]+ ro[, ]' "$BATS_TEST_TMPDIR/logs"
	grep -qx 'app: got TERM' "$BATS_TEST_TMPDIR/logs"
	grep -qx 'orphan: got TERM' "$BATS_TEST_TMPDIR/logs"
	# no ini: the app keeps what the engine gave (root, no no_new_privs added), like tini's
	grep -q '^status: Uid:	0	0	0	0$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: NoNewPrivs:	0$' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: [^ ]+ / [^ ]+ ro[, ]' "$BATS_TEST_TMPDIR/logs"
	[ "$(podman_cmd inspect -f '{{.State.Status}}' "$NAME")" = exited ]
}

@test "podman --init with [tmpfs /run] in the image's ini: refused (it would hide /run/podman-init), app never runs" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	local img
	img=$(image_with_ini run bare <<'EOF'
[tmpfs /run]
size = 1m
EOF
)
	run podman_cmd run --name "$NAME" "${RUN[@]}" --read-only --init --init-path "$TMPINIT" \
		"$img" tmpinit-test-app --dir /tmp
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"/run/podman-init"* ]]
	[[ "$output" != *"app: ready"* ]]
}

@test "podman --init with [tmpfs /var/tmp] and --tmpfs /var/tmp: adopted and shredded on stop" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	local img
	img=$(ctr_ini | image_with_ini initvar bare)
	podman_cmd run -d --name "$NAME" "${RUN[@]}" --read-only --tmpfs /var/tmp:size=1m,mode=1777,noexec \
		--init --init-path "$TMPINIT" "$img" tmpinit-test-app >/dev/null
	hold_secret_podman
	timed_stop "$NAME" 10
	[ "$CODE" -eq 42 ]
	[ "$STOP_MS" -lt 10000 ]
	[ "$(fd_verdict 9)" = "65536 zero" ]
	grep -q '^pid1: podman-init$' "$BATS_TEST_TMPDIR/logs"
	shred_reported "$BATS_TEST_TMPDIR/logs"
}

@test "podman, Kubernetes restricted shape: --user 1000, --cap-drop ALL, no-new-privileges, RAM tmpfs shredded" {
	local img
	img=$(ctr_ini | image_with_ini k8s)
	podman_cmd run -d --name "$NAME" "${RUN[@]}" --user 1000:1000 --cap-drop ALL \
		--security-opt no-new-privileges --read-only --read-only-tmpfs=false \
		--tmpfs /var/tmp:size=1m,mode=1777,noexec "$img" tmpinit-test-app >/dev/null
	hold_secret_podman
	grep -q '^Uid:	1000	1000	1000	1000$' "/proc/$(cpid "$NAME")/status"
	timed_stop "$NAME" 10
	[ "$CODE" -eq 42 ]
	grep -q '^status: Uid:	1000	1000	1000	1000$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: CapEff:	0000000000000000$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: CapBnd:	0000000000000000$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: NoNewPrivs:	1$' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: [^ ]+ / [^ ]+ ro[, ]' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: tmpfs /var/tmp tmpfs rw,nosuid,nodev,noexec,.*size=1024k' "$BATS_TEST_TMPDIR/logs"
	[ "$(fd_verdict 9)" = "65536 zero" ]
	shred_reported "$BATS_TEST_TMPDIR/logs"
}

@test "podman --pid container:X: tmpinit not PID 1 stops only its own descendants, X lives on" {
	NAME2="$NAME-pod"
	podman_cmd run -d --name "$NAME2" "${RUN[@]}" "localhost/$IMG_TAG:bare" sh \
		-c 'sleep 1000 & sleep 1000 & wait' >/dev/null
	local xpid
	xpid=$(cpid "$NAME2")
	WAIT_SECONDS=10 wait_until test "$(pgrep -c -P "$xpid")" -eq 2
	local x_children
	x_children=$(pgrep -P "$xpid" | sort)

	podman_cmd run -d --name "$NAME" "${RUN[@]}" --pid "container:$NAME2" --read-only \
		"localhost/$IMG_TAG:plain" tmpinit-test-app --dir /tmp --orphan >/dev/null
	local pid
	pid=$(cpid "$NAME")
	WAIT_SECONDS=10 wait_until test -n "$(pgrep -P "$pid" -f orphan)"
	local orphan
	orphan=$(pgrep -P "$pid" -f orphan)
	timed_stop "$NAME" 10
	[ "$CODE" -eq 42 ]
	grep -q '^pid1: sh$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: Uid:	0	0	0	0$' "$BATS_TEST_TMPDIR/logs"
	grep -qE '^mount: [^ ]+ / [^ ]+ ro[, ]' "$BATS_TEST_TMPDIR/logs"
	grep -qx 'orphan: got TERM' "$BATS_TEST_TMPDIR/logs"
	! kill -0 "$orphan" 2>/dev/null
	[ "$(podman_cmd inspect -f '{{.State.Status}}' "$NAME2")" = running ]
	[ "$(pgrep -P "$xpid" | sort)" = "$x_children" ]
}

@test "init/podman/containers.conf: init_path makes plain --init run tmpinit" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	grep -qE '^init_path = "[^"]*/tmpinit"$' "$ROOT/init/podman/containers.conf"
	# The shipped file points at the installed path; the test points it at this build and
	# adds this machine's engine settings (the recipe in lib.bash), nothing else.
	{
		sed "s|^init_path = .*|init_path = \"$TMPINIT\"|" "$ROOT/init/podman/containers.conf"
		printf '\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n'
	} >"$BATS_TEST_TMPDIR/containers.conf"
	CONTAINERS_CONF="$BATS_TEST_TMPDIR/containers.conf" podman run -d --name "$NAME" "${RUN[@]}" \
		--init "localhost/$IMG_TAG:bare" tmpinit-test-app --dir /tmp --code 5 >/dev/null
	local pid
	pid=$(cpid "$NAME")
	WAIT_SECONDS=10 wait_until test -e "/proc/$pid/root/tmp/ready"
	# /run/podman-init is this tmpinit: it answers --version like docker expects of tini.
	run podman_cmd exec "$NAME" /run/podman-init --version
	[[ "$output" == *"_tmpinit"* ]]
	timed_stop "$NAME" 10
	[ "$CODE" -eq 5 ]
	grep -q '^pid1: podman-init$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: Uid:	0	0	0	0$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^status: NoNewPrivs:	0$' "$BATS_TEST_TMPDIR/logs"
	grep -qx 'app: got TERM' "$BATS_TEST_TMPDIR/logs"
	[ "$(podman_cmd inspect -f '{{.State.Status}}' "$NAME")" = exited ]
}

# Dockerfile.example, built for real. Its BASE is a local debootstrap image (cached), its
# GIT_HASH the one its comment documents. Extra --build-arg options (ARGS) go to the build.
build_example() {
	need_cmd debootstrap
	local base
	base=$("$CTR_DIR/debian-base.sh") || fail "could not build the local Debian base image"
	EXAMPLE="localhost/$IMG_TAG:example"
	podman_cmd build --layers=false --network none --build-arg "BASE=$base" --build-arg GIT_HASH=abc1234 \
		"$@" -f "$ROOT/Dockerfile.example" -t "$EXAMPLE" "$ROOT" >"$BATS_TEST_TMPDIR/build.log" 2>&1 || {
		cat "$BATS_TEST_TMPDIR/build.log"
		return 1
	}
}

@test "Dockerfile.example: podman build compiles tmpinit on Debian, RUN tmpinit --check passes, ENTRYPOINT tmpinit --" {
	build_example
	cat "$BATS_TEST_TMPDIR/build.log"
	# The default base is the real public image; the test only overrides it.
	grep -q '^ARG BASE=debian:bookworm$' "$ROOT/Dockerfile.example"
	grep -q 'RUN \["/sbin/tmpinit", "--check"\]' "$BATS_TEST_TMPDIR/build.log"
	grep -q '^tmpfs /var/tmp: ' "$BATS_TEST_TMPDIR/build.log"
	[ "$(podman_cmd inspect -f '{{json .Config.Entrypoint}}' "$EXAMPLE")" = '["/sbin/tmpinit","--"]' ]
	# The shipped binary is static: it runs where the image has no libc of its own.
	run podman_cmd run --rm "${RUN[@]}" --entrypoint /sbin/tmpinit "$EXAMPLE" --version
	[[ "$output" == "tini version "*"_tmpinit - git.abc1234" ]]
	# Negative control: a broken ini fails the build at the --check step.
	local bad="$BATS_TEST_TMPDIR/ctx"
	mkdir -p "$bad/etc"
	cp -r "$ROOT/Makefile" "$ROOT/src" "$bad/"
	printf '[tmpfs /var/tmp]\nsize = lots\n' >"$bad/etc/tmpinit.ini"
	run podman_cmd build --layers=false --network none --build-arg "BASE=$("$CTR_DIR/debian-base.sh")" \
		-f "$ROOT/Dockerfile.example" -t "localhost/$IMG_TAG:bad" "$bad"
	[ "$status" -ne 0 ]
	[[ "$output" == *"tmpinit.ini:2"* ]]
}

@test "Dockerfile.example image, run as its comment says: app as www-data with only NET_BIND_SERVICE; stop shreds" {
	build_example
	local line
	# The exact tmpfs flags of the `docker run` line in the Dockerfile's comment.
	line=$(sed -n 's/^# *\(--tmpfs .*\) \\$/\1/p' "$ROOT/Dockerfile.example")
	[ -n "$line" ]
	# shellcheck disable=SC2086
	podman_cmd run -d --name "$NAME" "${RUN[@]}" --read-only --read-only-tmpfs=false $line "$EXAMPLE" \
		sh -c "$SECRET_APP" >/dev/null
	hold_secret_podman
	timed_stop "$NAME" 10
	[ "$CODE" -eq 42 ]
	[ "$STOP_MS" -lt 10000 ]
	grep -q '^Uid:	33	33	33	33$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^CapEff:	0000000000000400$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^NoNewPrivs:	1$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^Seccomp:	2$' "$BATS_TEST_TMPDIR/logs"
	[ "$(fd_verdict 9)" = "65536 zero" ]
}

@test "Dockerfile.example --build-arg INI=init/kubernetes/tmpinit.ini: runs as pod.yaml asks (uid 1000, no caps, no_new_privs, exec tmpfs)" {
	build_example --build-arg INI=init/kubernetes/tmpinit.ini
	# The build arg and file name the pod's comment gives.
	grep -q -- '--build-arg INI=init/kubernetes/tmpinit.ini' "$ROOT/init/kubernetes/pod.yaml"
	# pod.yaml's securityContext as podman flags; the emptyDir as a tmpfs without noexec, 0777.
	podman_cmd run -d --name "$NAME" "${RUN[@]}" --user 1000:1000 --cap-drop ALL \
		--security-opt no-new-privileges --read-only --read-only-tmpfs=false \
		--tmpfs /var/tmp:size=16m,mode=0777 "$EXAMPLE" \
		sh -c "$SECRET_APP" >/dev/null
	hold_secret_podman
	timed_stop "$NAME" 10
	[ "$CODE" -eq 42 ]
	grep -q '^Uid:	1000	1000	1000	1000$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^CapEff:	0000000000000000$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^NoNewPrivs:	1$' "$BATS_TEST_TMPDIR/logs"
	grep -q '^Seccomp:	2$' "$BATS_TEST_TMPDIR/logs"
	! grep -q '^tmpinit: error:' "$BATS_TEST_TMPDIR/logs"
	[ "$(fd_verdict 9)" = "65536 zero" ]
}
