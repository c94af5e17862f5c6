#!/usr/bin/env bats
# tmpinit started by a careless parent: SIGCHLD ignored, signals blocked, fds 0-2 closed,
# an empty environment, a removed working directory. tmpinit must still reap, forward, stop
# and report the app's exit code, and give the app back exactly what it inherited.
load common
bats_require_minimum_version 1.5.0

# PID 1 of a new PID namespace is `sigstate ARGS`, which sets the odd state, then execs.
pid1_odd() {
	unshare --pid --fork --mount-proc "$HELPERS/sigstate" "$@"
}

# Same in the background: wait until the app wrote $OUT, SIGTERM tmpinit, wait. Sets status.
stop_odd_pid1() {
	unshare --pid --fork --mount-proc "$HELPERS/sigstate" "$@" &
	local u=$! p
	wait_until test -s "$OUT"
	p=$(inner_pid1 "$u")
	kill -TERM "$p"
	status=0
	wait "$u" || status=$?
}

setup() {
	need_root
	OUT="$BATS_TEST_TMPDIR/fdinfo.out"
}

@test "inherited: fds 0-2 closed: tmpinit fills them with /dev/null before opening anything" {
	# Regression: the signalfd used to become fd 0 and the exec status pipe fds 1 and 2,
	# so tmpinit's (and the child's) log lines went into that pipe.
	unshare --pid --fork --mount-proc "$HELPERS/sigstate" -c 0 -c 1 -c 2 -- \
		"$TMPINIT" -- "$HELPERS/fdinfo" "$OUT" -- /bin/sleep 30 &
	local u=$! p
	wait_until test -s "$OUT"
	p=$(inner_pid1 "$u")
	[ -n "$p" ]
	run readlink "/proc/$p/fd/0" "/proc/$p/fd/1" "/proc/$p/fd/2"
	kill -TERM "$p"
	wait "$u" || true
	echo "tmpinit fds: $output"
	[ "${lines[0]}" = /dev/null ] && [ "${lines[1]}" = /dev/null ] && [ "${lines[2]}" = /dev/null ]
	grep -q "fd0=/dev/null fd1=/dev/null fd2=/dev/null" "$OUT"
}

@test "inherited: fds 0-2 open: the app gets them unchanged (control)" {
	pid1 "$HELPERS/fdinfo" "$OUT" </dev/zero
	grep -q "fd0=/dev/zero" "$OUT"
}

@test "inherited: fds 0-2 closed: exit code and a failed exec are still reported" {
	run pid1_odd -c 0 -c 1 -c 2 -- "$TMPINIT" -- "$HELPERS/fdinfo" "$OUT" 7
	[ "$status" -eq 7 ]
	run -127 pid1_odd -c 0 -c 1 -c 2 -- "$TMPINIT" -- /nonexistent/app
	[ "$status" -eq 127 ]
}

@test "inherited: SIGCHLD ignored: tmpinit still gets the app's exit code and reaps orphans" {
	# With SIGCHLD ignored the kernel auto-reaps children and waitpid() says ECHILD: the
	# exit code would be lost. The app gets SIGCHLD ignored back (SigIgn bit 17).
	run pid1_odd -i CHLD -- "$TMPINIT" -- "$HELPERS/orphanstorm" 20 10 "$HELPERS/fdinfo" "$OUT" 7
	echo "$output"
	[ "$status" -eq 7 ]
	cat "$OUT"
	grep -Eq "sigign=[0-9a-f]{11}[13579bdf]" "$OUT"
	pid1 "$HELPERS/fdinfo" "$OUT"
	grep -Eq "sigign=[0-9a-f]{11}[02468ace]" "$OUT" # control: SIGCHLD not ignored without sigstate
}

@test "inherited: every signal blocked: the app gets the mask back, the stop still works" {
	stop_odd_pid1 -b all -- "$TMPINIT" --stop-timeout 1s -- "$HELPERS/fdinfo" "$OUT" -- /bin/sleep 30
	# the app blocks SIGTERM as it inherited, so only the deadline's SIGKILL ends it
	[ "$status" -eq 137 ]
	cat "$OUT"
	grep -q "sigblk=fffffffe7ffbfeff" "$OUT"
}

@test "inherited: empty environment: PATH lookup falls back to the default, env stays empty" {
	run pid1_odd -E -- "$TMPINIT" -- sh -c 'exit 4'
	[ "$status" -eq 4 ]
	run pid1_odd -E -- "$TMPINIT" -- "$HELPERS/fdinfo" "$OUT"
	[ "$status" -eq 0 ]
	grep -q " env=0$" "$OUT"
}

@test "inherited: removed working directory: the app starts and its code comes back" {
	run pid1_odd -D -- "$TMPINIT" -- "$HELPERS/fdinfo" "$OUT" 6
	[ "$status" -eq 6 ]
	grep -q "cwd=error:ENOENT" "$OUT"
}

@test "inherited: all of it at once, then SIGTERM: the stop works and the code is the app's" {
	stop_odd_pid1 -i CHLD -i TERM -b USR1 -c 0 -c 1 -c 2 -E -D -- \
		"$TMPINIT" --stop-timeout 1s -- "$HELPERS/fdinfo" "$OUT" -- /bin/sleep 30
	echo "status $status; $(cat "$OUT")"
	# the app ignores SIGTERM as it inherited, so the deadline's SIGKILL ends it: tmpinit
	# itself reacted to the SIGTERM although it was started with it ignored
	[ "$status" -eq 137 ]
	grep -Eq "fd0=/dev/null fd1=/dev/null fd2=/dev/null sigign=[0-9a-f]{11}[13579bdf][0-9a-f]{4} sigblk=0000000000000200 cwd=error:ENOENT env=0" "$OUT"
}
