#!/bin/sh
# app.sh - the app the container suites run under tmpinit (busybox sh, installed in the test
# image as /usr/local/bin/tmpinit-test-app). It reports what it saw, writes a secret into the
# tmpfs, then waits for SIGTERM.
#   tmpinit-test-app [--code N] [--ignore-term] [--orphan] [--dir DIR]
# Output, one fact a line: "status: Key: value" (from /proc/self/status), "mount: DEV DIR TYPE
# OPTS" (from /proc/self/mounts), "pid1: COMM", "app: ..." events. DIR/secret holds 64 KiB of
# a known pattern; DIR/ready appears once everything is written.
code=42 ignore=0 orphan=0 dir=/var/tmp
while [ $# -gt 0 ]; do
	case $1 in
	--code) code=$2; shift ;;
	--ignore-term) ignore=1 ;;
	--orphan) orphan=1 ;;
	--dir) dir=$2; shift ;;
	esac
	shift
done

grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status | sed 's/^/status: /'
sed 's/^/mount: /' /proc/self/mounts
echo "pid1: $(cat /proc/1/comm)"
if [ "$ignore" = 1 ]; then
	trap '' TERM
	echo "app: ignoring TERM"
else
	trap 'echo "app: got TERM"; exit $code' TERM
fi
if [ "$orphan" = 1 ]; then
	# Double fork: the grandchild's parent exits, so it is re-parented to the nearest
	# subreaper (tmpinit, even when it is not PID 1). It reports the signal that stops it.
	(sh -c 'trap "echo \"orphan: got TERM\" >&2; exit 0" TERM; while :; do sleep 1 & wait $!; done' &)
fi
# Not `[ -w ]`: root passes it on a read-only mount. And never `: >file` on failure paths: a
# redirection error on a special builtin ends a non-interactive shell.
if touch "$dir/secret" 2>/dev/null; then
	i=0
	while [ $i -lt 1024 ]; do
		echo 'SECRET-form-data-that-must-not-survive-the-stop-0123456789abcdef' | head -c 64
		i=$((i + 1))
	done >"$dir/secret"
	echo "app: wrote $dir/secret"
else
	echo "app: $dir is not writable"
fi
echo "app: ready"
touch "$dir/ready" 2>/dev/null
while :; do
	sleep 1 &
	wait $!
done
