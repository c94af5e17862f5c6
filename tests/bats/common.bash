# Shared by every bats suite: paths, namespace launchers, waiting helpers.
# Load with: load common

ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
TMPINIT="${TMPINIT_BIN:-$ROOT/tmpinit}" # make check SANITIZE=1 points it at build/san/tmpinit
HELPERS="$ROOT/build/helpers"

# Skip (with the reason) unless we are root: namespaces and mounts need it.
need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for PID and mount namespaces"
}

# Skip under SANITIZE=1: for tests that need the static binary (a busybox or scratch root has
# no libasan to load) or that load a seccomp filter (ASan's shadow memory and runtime calls
# do not fit a syscall allowlist).
need_static() {
	[ "${TMPINIT_SANITIZED:-0}" != 1 ] || skip "${1:-needs the static tmpinit}; the ASan build is dynamic"
}

# setup() of the plain-init suites: root, T = the test's temp dir, the helpers on PATH, and no
# ini file (the docker-init case).
plain_init_setup() {
	need_root
	T="$BATS_TEST_TMPDIR"
	export PATH="$HELPERS:$PATH"
	[ ! -e /etc/tmpinit.ini ] || skip "/etc/tmpinit.ini exists on this machine"
	unset TMPINIT_CONFIG
}

# Skip unless COMMAND exists.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || skip "needs $1 (make deps installs it)"
}

# Run ARGS with tmpinit as PID 1 of a fresh PID namespace with its own /proc.
pid1() {
	unshare --pid --fork --mount-proc "$TMPINIT" "$@"
}

# Same, in a fresh mount namespace too (for tmpfs tests). Mounts made inside vanish with it.
pid1_mnt() {
	unshare --mount --propagation private --pid --fork --mount-proc "$TMPINIT" "$@"
}

# Poll until COMMAND succeeds, every 20 ms, at most SECONDS (default 5). Returns 1 on timeout.
wait_until() {
	local limit=${WAIT_SECONDS:-5} start=$SECONDS
	while ! "$@" 2>/dev/null; do
		[ $((SECONDS - start)) -lt "$limit" ] || return 1
		sleep 0.02
	done
}

# The pid, as seen from this (outer) namespace, of the tmpinit running as PID 1 under the
# `unshare` whose pid is $1.
inner_pid1() {
	local u=$1
	pgrep -P "$u" | head -n1
}

# Milliseconds since the epoch.
now_ms() {
	date +%s%3N
}
