# Shared by the container suites (runc.bats, podman.bats, demo.bats): engine checks, the test
# image and bundles.
# Load after common: `load common; load ../containers/lib`.
#
# The recipe that works on this project's machines (Debian 12, root, cgroup v1 hybrid layout,
# no CAP_SYS_RESOURCE): podman with `--runtime runc` (crun refuses the hybrid cgroup layout),
# `--cgroup-manager cgroupfs` (no systemd), `--network none` (loopback only), and explicit
# explicit ulimits (podman's defaults exceed the host's hard limits, and raising a hard limit
# needs CAP_SYS_RESOURCE). Images are never pulled: `podman import` of a root
# assembled by mkrootfs.sh, and `podman build` FROM that or FROM scratch both work.

CTR_DIR="$ROOT/tests/containers"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# The podman command line every test uses; see the recipe above.
podman_cmd() {
	podman --runtime runc --cgroup-manager cgroupfs "$@"
}

# Flags for `podman run` / `podman create`. Fixed, modest ulimits: podman's defaults (nofile
# 1048576) exceed this machine's hard limits, and even some values below the host's own hard
# limit are refused for nproc (measured: 32768 works, 50000 does not), so no computed value.
podman_run_flags() {
	echo "--network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096"
}

# A machine without a container engine skips the container suites, saying why; CI (CI set
# and not "false") must run them, so there the same reason fails the test.
skip_engine() {
	if [ -n "${CI:-}" ] && [ "${CI}" != false ]; then
		echo "CI must run the container suites: $1" >&2
		return 1
	fi
	skip "$1"
}

# Skip (with the reason) unless runc can run a container here.
need_runc() {
	[ "$(id -u)" -eq 0 ] || skip_engine "needs root"
	command -v runc >/dev/null 2>&1 || skip_engine "needs runc (make deps installs it)"
	command -v "$PY" >/dev/null 2>&1 || skip_engine "needs $PY"
	runc --version >/dev/null 2>&1 || skip_engine "runc does not run here: $(runc --version 2>&1 | head -n1)"
}

# Skip (with the reason) unless podman can run a container here.
need_podman() {
	[ "$(id -u)" -eq 0 ] || skip_engine "needs root"
	command -v podman >/dev/null 2>&1 || skip_engine "needs podman (make deps installs it)"
	command -v runc >/dev/null 2>&1 || skip_engine "needs runc (make deps installs it)"
	podman_cmd info >/dev/null 2>&1 || skip_engine "podman cannot run here: $(podman_cmd info 2>&1 | tail -n1)"
}

# Build the test root filesystem in DIR (optionally with INI baked in as /etc/tmpinit.ini).
ctr_rootfs() {
	"$CTR_DIR/mkrootfs.sh" "$@" >/dev/null
}

# Import root filesystem DIR as podman image NAME with tmpinit as its ENTRYPOINT, or with
# none when a third argument "bare" is given (the image of an engine's --init).
ctr_import() {
	local dir=$1 name=$2 entry='ENTRYPOINT ["/sbin/tmpinit", "--"]'
	[ "${3:-}" = bare ] && entry='ENTRYPOINT []'
	tar -C "$dir" -c . | podman_cmd import -q --change "$entry" --change 'CMD ["sh"]' - "$name" >/dev/null
}

# Write an OCI bundle config into DIR: ctr_bundle DIR [bundle.py options] -- ARGS...
ctr_bundle() {
	"$PY" "$CTR_DIR/bundle.py" "$@"
}

# Start runc container ID from bundle DIR in the foreground of a background job, so that the
# job's exit status is the container's. Sets RUNC_JOB (pid of `runc run`) and CPID (the host
# pid of the container's init). stdout/stderr go to DIR/out, DIR/err.
runc_start() {
	local id=$1 dir=$2
	runc run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null &
	RUNC_JOB=$!
	wait_until runc_running "$id" || { cat "$dir/err" >&2; return 1; }
	CPID=$(runc state "$id" | sed -n 's/^ *"pid": \([0-9]*\),$/\1/p')
	[ -n "$CPID" ]
}

runc_running() {
	runc state "$1" 2>/dev/null | grep -q '"status": "running"'
}

# Wait for the container job started by runc_start; sets RUNC_STATUS to its exit status.
runc_wait() {
	RUNC_STATUS=0
	wait "$RUNC_JOB" || RUNC_STATUS=$?
}

# Remove container ID whatever state it is in (teardown).
runc_cleanup() {
	runc kill "$1" KILL >/dev/null 2>&1 || true
	runc delete -f "$1" >/dev/null 2>&1 || true
}

# Print the size of the file open on fd N of this shell and whether every byte is zero:
# "SIZE zero" or "SIZE data". Used on an fd held from the host on a file in a container's
# tmpfs, to prove the overwrite after the container is gone.
fd_verdict() {
	local fd=$1 size nonzero
	size=$(stat -L -c %s "/proc/$$/fd/$fd")
	nonzero=$(tr -d '\0' <"/proc/$$/fd/$fd" | wc -c)
	if [ "$nonzero" -eq 0 ]; then echo "$size zero"; else echo "$size data"; fi
}

# The standard ini of the suites: stop in 3s, info log (for the shred report), read-only root
# required, /var/tmp a 1 MiB tmpfs of mode 1777. Extra lines (ARGS) go into [tmpfs /var/tmp].
ctr_ini() {
	printf '[init]\nstop_timeout = 3s\nlog_level = info\n\n[rootfs]\nread_only = require\n\n'
	printf '[tmpfs /var/tmp]\nsize = 1m\nmode = 1777\n'
	[ $# -eq 0 ] || printf '%s\n' "$@"
}

# Wait for the app of the container whose host pid is PID, open its secret from the host on
# fd 9 (bats owns fd 3) and check the pattern is there now: the negative control for the
# zeros after the stop.
hold_secret() {
	local pid=$1 dir=${2:-/var/tmp}
	WAIT_SECONDS=10 wait_until test -e "/proc/$pid/root$dir/ready" || return 1
	exec 9<"/proc/$pid/root$dir/secret"
	[ "$(fd_verdict 9)" = "65536 data" ]
}

# tmpinit's report line in log FILE for the app's secret and its empty ready marker.
shred_reported() {
	grep -q '^tmpinit: info: shred "/var/tmp": 2 files, 65536 bytes overwritten' "$1"
}
