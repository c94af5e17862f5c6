#!/usr/bin/env bats
# valgrind memcheck of tmpinit as PID 1 through a full start, stop (and shred, once tmpfs
# paths can be configured): 0 errors, 0 bytes definitely lost. Uses ./tmpinit-valgrind, the
# dynamic twin of ./tmpinit (valgrind does not handle a static glibc binary well).
load common
bats_require_minimum_version 1.5.0

VG="$ROOT/tmpinit-valgrind"

setup() {
	need_root
	need_cmd valgrind
	[ -x "$VG" ] || skip "build it first: make tmpinit-valgrind"
	LOG="$BATS_TEST_TMPDIR/valgrind.log"
}

vg_opts() {
	VG_OPTS=(--tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
		--child-silent-after-fork=yes --log-file="$LOG")
}

vg() {
	vg_opts
	valgrind "${VG_OPTS[@]}" "$@"
}

# valgrind (and so tmpinit in it) as PID 1 of a new PID namespace; $1 may be --mount.
# exec: started in the background, $! is the unshare, as inner_pid1 expects
vg_pid1() {
	local mnt=()
	[ "$1" = --mount ] && { mnt=(--mount --propagation private); shift; }
	vg_opts
	exec unshare "${mnt[@]}" --pid --fork --mount-proc valgrind "${VG_OPTS[@]}" "$@"
}

# $1: the unshare started in the background; wait for the file $2, send the signals that
# follow to tmpinit (PID 1 inside), wait for the end. Sets status.
signal_when_ready() {
	local u=$1 ready=$2 p sig
	shift 2
	WAIT_SECONDS=30 wait_until test -e "$ready"
	p=$(inner_pid1 "$u")
	for sig in "$@"; do kill -"$sig" "$p"; done
	status=0
	wait "$u" || status=$?
	cat "$BATS_TEST_TMPDIR/stderr"
}

# The memcheck verdict of $LOG: ran to the end, 0 errors, nothing definitely lost.
vg_clean() {
	cat "$LOG"
	grep -q "HEAP SUMMARY" "$LOG" &&
		grep -q "ERROR SUMMARY: 0 errors" "$LOG" &&
		! grep -Eq "definitely lost: [1-9]" "$LOG"
}

@test "valgrind: the verdict catches a leak and an invalid read (negative control)" {
	need_cmd cc
	cat >"$BATS_TEST_TMPDIR/bad.c" <<-'C'
		#include <stdlib.h>
		#include <string.h>
		int main(void) { char *p = malloc(8); char *q = malloc(16); strcpy(q, "x"); p = 0; return q[20] == 'x'; }
	C
	cc -g -O0 -o "$BATS_TEST_TMPDIR/bad" "$BATS_TEST_TMPDIR/bad.c"
	run vg "$BATS_TEST_TMPDIR/bad"
	[ "$status" -eq 99 ]
	run vg_clean
	[ "$status" -ne 0 ]
}

@test "valgrind: tmpinit as PID 1, start, orphans, forwarded signals, SIGTERM stop: clean" {
	local ready="$BATS_TEST_TMPDIR/ready"
	vg_pid1 "$VG" -vvv --stop-timeout 20s -- /bin/sh -c \
		"sleep 0.2 & trap 'exit 3' TERM; trap '' USR1; : >$ready; while :; do sleep 0.05; done" \
		2>"$BATS_TEST_TMPDIR/stderr" &
	# the app ignores USR1 and dies of HUP: exit code 129, the stop begins by itself
	signal_when_ready $! "$ready" USR1 HUP
	[ "$status" -eq 129 ]
	vg_clean
}

@test "valgrind: tmpinit as PID 1 and the deadline's SIGKILL: clean" {
	run vg_pid1 "$VG" --stop-timeout 200ms -- /bin/sh -c "trap '' TERM; kill -TERM \$PPID; while :; do sleep 0.05; done"
	[ "$status" -eq 137 ]
	vg_clean
}

@test "valgrind: --check over every seed config: clean" {
	local f
	for f in "$ROOT"/fuzz/seeds/*.ini "$ROOT"/etc/tmpinit.ini; do
		run vg "$VG" --check -c "$f"
		echo "$f: exit $status"
		[ "$status" -eq 0 ] || [ "$status" -eq 125 ]
		vg_clean
	done
}

@test "valgrind: a privilege plan that fails at setup is not leaked (exit 125)" {
	# Regression: main() returned 125 without freeing the half-built plan that
	# privs_prepare() hands back on failure: 1,168 bytes definitely lost.
	printf '[user]\nuser = 4242\n' >"$BATS_TEST_TMPDIR/u.ini" # a uid without passwd entry nor group
	run vg "$VG" --check -c "$BATS_TEST_TMPDIR/u.ini"
	[ "$status" -eq 125 ]
	vg_clean
	run vg "$VG" -c "$BATS_TEST_TMPDIR/u.ini" -- /bin/true
	[ "$status" -eq 125 ]
	vg_clean
}

@test "valgrind: tmpinit as PID 1 with a [tmpfs] path: start, write, stop, shred: clean" {
	local dir="$BATS_TEST_TMPDIR/scratch" cfg="$BATS_TEST_TMPDIR/tmpinit.ini" ready="$BATS_TEST_TMPDIR/ready"
	mkdir -p "$dir"
	printf '[rootfs]\nread_only = ignore\n[tmpfs %s]\nsize = 4m\nsource = mount\n' "$dir" >"$cfg"
	"$TMPINIT" --check -c "$cfg" >/dev/null
	vg_pid1 --mount "$VG" -vv -c "$cfg" -- /bin/sh -c \
		"mkdir $dir/d; head -c 300000 /dev/urandom >$dir/d/f; ln -s /etc/passwd $dir/l; : >$ready; exec sleep 60" \
		2>"$BATS_TEST_TMPDIR/stderr" &
	signal_when_ready $! "$ready" TERM
	[ "$status" -eq 143 ]
	grep -qi "shred" "$BATS_TEST_TMPDIR/stderr" # the shred ran and reported
	vg_clean
}
