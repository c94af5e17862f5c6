#!/usr/bin/env bats
# Regression tests from the core review: tini-compatibility and stop state machine corner
# cases that core.bats does not cover. Each one failed before its fix (see the commit).
load common
bats_require_minimum_version 1.5.0

setup() {
	plain_init_setup
}

# Run sigstorm N times and print a count per outcome.
storm() {
	local n=$1
	shift
	for _ in $(seq "$n"); do sigstorm "$@"; done | sort | uniq -c
}

@test "signal state: an inherited-ignored signal never kills tmpinit while it starts (nohup's SIGHUP, SIGABRT)" {
	# tini and catatonit keep an ignored signal ignored; tmpinit resets it for its signalfd,
	# which must happen only once the signal is blocked.
	run storm 50 1 -- "$TMPINIT" -- true
	echo "$output"
	[ "$output" = "     50 exited 0" ]
	# fault signals are never read from the signalfd: an inherited SIG_IGN stays
	run storm 20 6 -- "$TMPINIT" -- true
	echo "$output"
	[ "$output" = "     20 exited 0" ]
	# negative control: the storm does kill a program that resets the signal to SIG_DFL
	run storm 3 1 -- env --default-signal=HUP sleep 1
	[ "$output" = "      3 killed by 1" ]
}

proc_state() {
	[ "$(cut -d' ' -f3 "/proc/$1/stat")" = "$2" ]
}

# Start an app with a TERM trap under tmpinit OPTS, stop it with SIGTSTP sent to tmpinit,
# then SIGTERM tmpinit; prints tmpinit's exit code.
stopped_app_term() {
	local pid tip app st=0
	rm -f "$T/ready"
	unshare --pid --fork --mount-proc "$TMPINIT" "$@" -- sh -c "trap 'exit 42' TERM; echo \$\$ >$T/ready; while :; do sleep 0.02; done" &
	pid=$!
	wait_until test -s "$T/ready"
	tip=$(pgrep -P "$pid" | head -n1)
	app=$(pgrep -P "$tip" | head -n1)
	kill -s TSTP "$tip"
	wait_until proc_state "$app" T || return 1 # forwarded: the app is stopped, as under tini
	kill -s TERM "$tip"
	wait "$pid" || st=$?
	echo "$st"
}

@test "stop: an app stopped by SIGTSTP still handles the stop signal (SIGCONT follows it)" {
	# 137 would mean the TERM stayed pending in the stopped app until the deadline's SIGKILL
	run stopped_app_term --stop-timeout 3s
	[ "$output" = 42 ]
	run stopped_app_term --stop-timeout 3s --stop-delay 200ms
	[ "$output" = 42 ]
}

@test "log: a message holding a newline stays one line; JSON lines stay valid UTF-8 JSON" {
	need_cmd python3
	run -127 "$TMPINIT" -- $'/no/such\ntmpinit: error: forged'
	[ "$status" -eq 127 ]
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'/no/such\ntmpinit: error: forged'* ]]
	# invalid UTF-8 (0xff, a lone surrogate), a valid euro sign, controls and quotes
	"$TMPINIT" --log-format json -- $'/no/x\xff\xed\xa0\x80\xe2\x82\xac\x01"\\\n' 2>"$T/err" || true
	# and a message long enough to be cut inside a multi-byte sequence
	"$TMPINIT" --log-format json -- "/no/$(printf '\xe2\x82\xac%.0s' $(seq 1500))" 2>>"$T/err" || true
	[ "$(wc -l <"$T/err")" -eq 2 ]
	python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().splitlines()
m = json.loads(lines[0].decode("utf-8"))["msg"]
assert "/no/x\ufffd\ufffd\ufffd\ufffd\u20ac\x01\"\\\n" in m, repr(m)
m = json.loads(lines[1].decode("utf-8"))["msg"]
assert m.count("\u20ac") > 900, repr(m)
' "$T/err"
}

@test "cli: --stop-signal and TMPINIT_STOP_SIGNAL refuse a signal that could never begin a stop, as the ini key does" {
	for s in CHLD SEGV TTIN KILL STOP; do
		run "$TMPINIT" --stop-signal "$s" -- touch "$T/ran"
		[ "$status" -eq 125 ] || { echo "--stop-signal $s: $status"; return 1; }
		[[ "$output" == *"cannot start a stop"* ]]
		TMPINIT_STOP_SIGNAL=$s run "$TMPINIT" -- touch "$T/ran"
		[ "$status" -eq 125 ] || { echo "TMPINIT_STOP_SIGNAL=$s: $status"; return 1; }
	done
	[ ! -e "$T/ran" ]
	# a forwardable one is taken
	run "$TMPINIT" --stop-signal USR1 -- touch "$T/ran"
	[ "$status" -eq 0 ]
	[ -e "$T/ran" ]
}
