#!/usr/bin/env bats
# Issue 2: tmpinit as a correct, tini-compatible PID 1. Real PID namespaces, real signals.
load common
bats_require_minimum_version 1.5.0

setup() {
	plain_init_setup
}

# stoptimer READY SECONDS -- CMD...: runs CMD, sends SIGTERM once READY exists; sets ms (the
# stop's duration) and code (CMD's exit status) from its last line.
timed_stop() {
	run stoptimer "$@"
	read -r ms code <<<"${lines[-1]}"
	echo "stop took $ms ms, exit $code"
}

# The parsing rule dockerd applies to `docker-init --version`: split on " - ", the first part
# must start with "tini version ", the second must be "git.<hex>".
docker_version_ok() {
	local out=$1 first second
	[[ "$out" == *" - "* ]] || return 1
	first=${out%% - *}
	second=${out#* - }
	[[ "$first" == "tini version "* ]] || return 1
	[[ "$second" =~ ^git\.[0-9a-f]+$ ]] || return 1
}

@test "version: docker's parsing rule accepts tmpinit --version and rejects others" {
	run "$TMPINIT" --version
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	docker_version_ok "$output"
	# the rule itself must be able to fail
	! docker_version_ok "tmpinit 0.1.0"
	! docker_version_ok "tini version 0.19.0 - 1a2b3c"
	! docker_version_ok "tini 0.19.0 - git.1a2b3c"
	docker_version_ok "tini version 0.19.0 - git.de40ad0"
}

@test "binary: statically linked and PID 1 in a root holding only itself and busybox" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	run file "$TMPINIT"
	[[ "$output" == *"statically linked"* ]]
	need_cmd busybox
	R="$T/root"
	mkdir -p "$R/bin" "$R/proc"
	cp "$TMPINIT" "$R/tmpinit"
	cp "$(command -v busybox)" "$R/bin/busybox"
	ln -s busybox "$R/bin/sh"
	run unshare --pid --fork --mount --propagation private chroot "$R" /tmpinit -- /bin/sh -c 'echo pid=$PPID; exit 7'
	[ "$status" -eq 7 ]
	[[ "$output" == *"pid=1"* ]]
	[ "$(ls "$R" | sort | tr '\n' ' ')" = "bin proc tmpinit " ]
}

@test "exit codes: every status 0..255 passes through as PID 1" {
	for code in $(seq 0 255); do
		st=0; pid1 -- sh -c "exit $code" || st=$?
		[ "$st" -eq "$code" ] || { echo "code $code gave $st"; return 1; }
	done
}

@test "exit codes: 128+n for every catchable signal that kills" {
	# signals whose default action terminates the process (no CHLD/CONT/URG/WINCH/STOP group)
	for sig in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 24 25 26 27 29 30 31 $(seq 34 64); do
		run pid1 -- raise "$sig"
		[ "$status" -eq $((128 + sig)) ] || { echo "signal $sig gave $status: $output"; return 1; }
	done
}

@test "exit codes: 127 not found, 126 not executable, -e remaps, 125 on usage errors" {
	run -127 pid1 -- /nonexistent/cmd
	[[ "$output" == *"No such file or directory"* ]]
	printf 'echo hi\n' >"$T/noexec"
	chmod 0644 "$T/noexec"
	run pid1 -- "$T/noexec"
	[ "$status" -eq 126 ]
	[[ "$output" == *"Permission denied"* ]]
	run pid1 -e 3 -e 4 -- sh -c 'exit 3'
	[ "$status" -eq 0 ]
	run pid1 -e 3 -- sh -c 'exit 5'
	[ "$status" -eq 5 ]
	run pid1 -e 143 -- sh -c 'kill -TERM $$'
	[ "$status" -eq 0 ]
	run "$TMPINIT" --no-such-option -- true
	[ "$status" -eq 125 ]
	run "$TMPINIT"
	[ "$status" -eq 125 ]
	[[ "$output" == *"no command"* ]]
	run "$TMPINIT" -e 256 -- true
	[ "$status" -eq 125 ]
}

@test "argv: option-like program names after -- run as programs" {
	mkdir -p "$T/bin"
	printf '#!/bin/sh\necho "ran $0 $*"\n' >"$T/bin/-x"
	printf '#!/bin/sh\necho "ran dashdash $*"\n' >"$T/bin/--"
	chmod +x "$T/bin/-x" "$T/bin/--"
	PATH="$T/bin:$PATH" run "$TMPINIT" -- -x -v
	[ "$status" -eq 0 ]
	[[ "$output" == *"ran "*"-x -v"* ]]
	PATH="$T/bin:$PATH" run "$TMPINIT" -- -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *"ran dashdash true"* ]]
	# options after the command belong to the command
	run "$TMPINIT" sh -c 'echo "$0 $1"' x -v
	[ "$status" -eq 0 ]
	[ "$output" = "x -v" ]
}

ready_count() {
	[ "$(ls "$T" | grep -c '^ready\.')" -ge "$1" ]
}

# Send every forwardable signal to tmpinit (from outside its PID namespace) and check that
# each recorder file got each one. $1: extra tmpinit options; $2: recorder mode.
forward_all() {
	local opts=$1 mode=$2 tip pid sigs="" s f n
	unshare --pid --fork --mount-proc "$TMPINIT" $opts -- sigrecorder "$T" $mode &
	pid=$!
	n=1; [ "$mode" = fork ] && n=2
	WAIT_SECONDS=10 wait_until ready_count "$n"
	tip=$(pgrep -P "$pid" | head -n1)
	[ -n "$tip" ]
	for s in 1 3 10 12 13 14 16 17 18 20 23 24 25 26 27 28 29 30 $(seq 34 64) 2; do
		case $s in 17) continue ;; esac # SIGCHLD is never forwarded
		kill -s "$s" "$tip"
		sigs="$sigs $s"
		for f in "$T"/sigs.*; do
			WAIT_SECONDS=5 wait_until grep -qx "$s" "$f" || { echo "signal $s missing in $f"; return 1; }
		done
	done
	wait "$pid"
	for f in "$T"/sigs.*; do
		for s in $sigs; do grep -qx "$s" "$f" || { echo "no $s in $f"; return 1; }; done
	done
}

@test "signals: every forwardable signal reaches the app (child mode)" {
	forward_all "" ""
	[ "$(ls "$T" | grep -c '^sigs\.')" -eq 1 ]
}

@test "signals: every forwardable signal reaches the whole group (-g and TINI_KILL_PROCESS_GROUP)" {
	forward_all "-g" fork
	[ "$(ls "$T" | grep -c '^sigs\.')" -eq 2 ]
	rm -f "$T"/sigs.* "$T"/ready.*
	TINI_KILL_PROCESS_GROUP=1 forward_all "" fork
}

@test "signals: child mode does not reach the app's other group members (negative control for -g)" {
	unshare --pid --fork --mount-proc "$TMPINIT" -- sigrecorder "$T" fork &
	pid=$!
	wait_until ready_count 2
	tip=$(pgrep -P "$pid" | head -n1)
	kill -s USR1 "$tip"
	sleep 0.3
	[ "$(cat "$T"/sigs.* | grep -cx 10)" -eq 1 ]
	kill -s TERM "$tip"
	wait "$pid"
}

@test "signals: SIGTERM from outside the namespace reaches the app and its code is returned" {
	unshare --pid --fork --mount-proc "$TMPINIT" -- sh -c 'trap "exit 42" TERM; touch '"$T"'/ready; while :; do sleep 0.05; done' &
	pid=$!
	wait_until test -e "$T/ready"
	kill -TERM "$(pgrep -P "$pid" | head -n1)"
	st=0; wait "$pid" || st=$?
	[ "$st" -eq 42 ]
}

@test "signals: rewrite map -r TERM:QUIT delivers SIGQUIT, TO=0 drops" {
	unshare --pid --fork --mount-proc "$TMPINIT" -r TERM:QUIT -r USR1:0 -- sigrecorder "$T" &
	pid=$!
	wait_until ready_count 1
	tip=$(pgrep -P "$pid" | head -n1)
	kill -s USR1 "$tip"
	kill -s TERM "$tip"
	wait_until grep -qx 3 "$T"/sigs.*
	! grep -qx 10 "$T"/sigs.*
	! grep -qx 15 "$T"/sigs.*
	kill -s INT "$tip"
	wait "$pid"
}

@test "reaping: 1000 orphans are reaped as PID 1" {
	run pid1 -- sh -c 'orphans 1000; i=0; while [ "$(zombies)" -ne 0 ] && [ $i -lt 1500 ]; do sleep 0.02; i=$((i+1)); done; zombies'
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "0" ]
}

# PID 1 below is `sleep`, which never reaps, so only a subreaper can: with tmpinit between
# them the orphans are reaped, with `env` there instead (no subreaper) they stay zombies.
subreaper_orphans() { # TRIES INIT...: prints the zombies left after the orphans died, polling
	local tries=$1     # up to TRIES times 20 ms for them to go
	shift
	unshare --pid --fork --kill-child --mount-proc sh -c '"$@" sh -c "orphans 1000; i=0; while [ \"\$(zombies)\" -ne 0 ] && [ \$i -lt '"$tries"' ]; do sleep 0.02; i=\$((i+1)); done; zombies >$T/count" & exec sleep 30' sh "$@" &
	local u=$!
	WAIT_SECONDS=60 wait_until test -s "$T/count"
	kill -KILL "$u" 2>/dev/null || true
	wait "$u" 2>/dev/null || true
	cat "$T/count"
	rm -f "$T/count"
}

@test "reaping: 1000 orphans are reaped as a subreaper (not PID 1)" {
	export T
	run subreaper_orphans 1500 "$TMPINIT" --
	[ "${lines[-1]}" = "0" ]
	# negative control: the same tree without a subreaper keeps its zombies
	run subreaper_orphans 50 env
	[ "${lines[-1]}" -ge 1000 ]
}

@test "reaping: negative control - under a PID 1 that does not reap, the orphans stay zombies" {
	run unshare --pid --fork --mount-proc sh -c '(orphans 1000; sleep 1; zombies >"$0/count") & exec sleep 4' "$T"
	[ "$(cat "$T/count")" -ge 1000 ]
}

@test "signal state: the app gets exactly the inherited blocked mask and ignored set" {
	baseline=$(setsigs 10,12,1 3,13,28 -- grep -E '^Sig(Blk|Ign)' /proc/self/status)
	run setsigs 10,12,1 3,13,28 -- "$TMPINIT" -- grep -E '^Sig(Blk|Ign)' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$baseline" ]
	run unshare --pid --fork --mount-proc "$HELPERS/setsigs" 10,12,1 3,13,28 -- "$TMPINIT" -- grep -E '^Sig(Blk|Ign)' /proc/self/status
	[ "$output" = "$baseline" ]
	# negative control: the mask really differs from a plain start
	[ "$(grep -E '^Sig(Blk|Ign)' /proc/self/status)" != "$baseline" ]
}

@test "app environment: LISTEN_PID rewritten to the app's pid, inherited fds kept, tmpinit's own fds not leaked" {
	echo payload >"$T/fd3"
	fds_plain=$(sh -c 'cd /proc/$$/fd && echo *' 3<"$T/fd3")
	run env LISTEN_PID=99999 LISTEN_FDS=1 "$TMPINIT" -- sh -c 'echo "$LISTEN_PID $$"; cat <&3; cd /proc/$$/fd && echo *; readlink * | grep -c -e signalfd -e anon_inode || true' 3<"$T/fd3"
	[ "$status" -eq 0 ]
	read -r lp self <<<"${lines[0]}"
	[ "$lp" = "$self" ]
	[ "${lines[1]}" = payload ]
	[ "${lines[2]}" = "$fds_plain" ] # exactly the fds a plain start would have
	[ "${lines[3]}" = 0 ]
	run env -u LISTEN_PID "$TMPINIT" -- sh -c 'echo "${LISTEN_PID-unset}"'
	[ "$output" = unset ]
}

cwd_is_root() {
	[ "$(readlink "/proc/$1/cwd")" = / ]
}

@test "tmpinit itself: cwd is /, not dumpable, app in its own process group" {
	mkdir -p "$T/wd"
	cd "$T/wd"
	unshare --pid --fork --mount-proc "$TMPINIT" -- sh -c 'pwd >"$0/pwd"; cut -d" " -f5 /proc/self/stat >"$0/pgrp"; echo $$ >"$0/pid"; touch "$0/ready"; sleep 5' "$T" &
	pid=$!
	wait_until test -e "$T/ready"
	tip=$(pgrep -P "$pid" | head -n1)
	wait_until cwd_is_root "$tip"
	[ "$(readlink /proc/$tip/cwd)" = "/" ]
	[ "$(cat "$T/pwd")" = "$T/wd" ]
	# non-dumpable: /proc/PID/environ of a non-dumpable process is owned by root:root and
	# ptrace-attach from a non-root user fails; check the flag via /proc/PID/status absence of access
	run setpriv --reuid=65534 --regid=65534 --clear-groups cat /proc/$tip/environ
	[ "$status" -ne 0 ]
	[ "$(cat "$T/pgrp")" = "$(cat "$T/pid")" ]
	kill -TERM "$tip"
	wait "$pid" || true
}

@test "stop: a TERM trap in a background worker runs to the end (the tree gets SIGTERM first)" {
	cat >"$T/app.sh" <<-EOF
	sh -c 'trap "sleep 1; echo done >$T/worker-done; exit 0" TERM; touch $T/ready; while :; do sleep 0.1; done' &
	wait
	EOF
	timed_stop "$T/ready" 15 -- "$TMPINIT" -- sh "$T/app.sh"
	[ "$status" -eq 0 ]
	[ "$code" -eq 143 ]
	[ "$(cat "$T/worker-done")" = done ]
	[ "$ms" -ge 1000 ]
	[ "$ms" -lt 5000 ] # finished well before the 5 s deadline
}

@test "stop: a double-forked daemon gets SIGTERM before any SIGKILL" {
	cat >"$T/app.sh" <<-EOF
	(sh -c 'trap "echo term >$T/daemon-got; exit 0" TERM; touch $T/ready; while :; do sleep 0.05; done' &)
	exec sleep 100
	EOF
	run stoptimer "$T/ready" 15 -- "$TMPINIT" -- sh "$T/app.sh"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/daemon-got")" = term ]
}

@test "stop: an app that ignores SIGTERM is killed at the deadline, and the stop takes the deadline" {
	timed_stop "$T/ready" 15 -- "$TMPINIT" --stop-timeout 1s -- sh -c "trap '' TERM; touch $T/ready; while :; do sleep 0.05; done"
	[ "$code" -eq 137 ]
	[ "$ms" -ge 1000 ]
	[ "$ms" -lt 1500 ]
	# the deadline also holds for stray processes that ignore SIGTERM after the app exits
	timed_stop "$T/ready2" 15 -- "$TMPINIT" --stop-timeout 1s -- sh -c "(trap '' TERM; touch $T/ready2; exec sleep 100) & wait"
	[ "$code" -eq 143 ]
	[ "$ms" -ge 1000 ]
	[ "$ms" -lt 1500 ]
}

@test "stop: when every process exits at once tmpinit exits within 100 ms" {
	timed_stop "$T/ready" 15 -- "$TMPINIT" -- sh -c "sleep 100 & sleep 100 & touch $T/ready; wait"
	[ "$code" -eq 143 ]
	[ "$ms" -lt 100 ]
}

@test "stop: the app exiting by itself stops the rest of the tree and returns its code" {
	run pid1 --stop-timeout 3s -- sh -c "(trap 'echo t >$T/bg; exit 0' TERM; while :; do sleep 0.05; done) & sleep 0.2; exit 9"
	[ "$status" -eq 9 ]
	[ "$(cat "$T/bg")" = t ]
}

# What docker exec, kubectl exec and nsenter do: a process joins the PID namespace with a
# parent outside it, so tmpinit never sees it in waitpid. It must still be stopped, and
# tmpinit must wait for it (its shutdown, the shred, comes after), not exit while it runs.
join_ns() { # PID1 MODE: nsenter into PID1's namespace; MODE term (TERM trap, slow exit) or ignore
	local trap="sleep 0.5; echo done >$T/joined; exit 0"
	[ "$2" = ignore ] && trap=""
	nsenter -t "$1" -p sh -c "trap '$trap' TERM; touch $T/jready; while :; do sleep 0.05; done" &
	J=$!
	wait_until test -e "$T/jready"
}

@test "stop: a process that joined the namespace from outside (docker exec) is stopped and waited for" {
	unshare --pid --fork "$TMPINIT" -v --stop-timeout 5s -- sh -c "touch $T/ready; exec sleep 100" 2>"$T/log" &
	pid=$!
	wait_until test -e "$T/ready"
	tip=$(pgrep -P "$pid" | head -n1)
	join_ns "$tip" term
	kill -TERM "$tip"
	st=0; wait "$pid" || st=$?
	cat "$T/log"
	[ "$st" -eq 143 ]
	# it got SIGTERM from tmpinit and finished its trap before tmpinit exited (the kernel's
	# SIGKILL at PID 1's exit would have cut it short)
	[ "$(cat "$T/joined")" = done ]
	grep -q 'sending SIGTERM to the remaining processes' "$T/log"
	wait "$J" || true

	# one that ignores SIGTERM meets SIGKILL at the deadline, then tmpinit goes on
	rm -f "$T/ready" "$T/jready"
	unshare --pid --fork "$TMPINIT" -v --stop-timeout 1s -- sh -c "touch $T/ready; exec sleep 100" 2>"$T/log" &
	pid=$!
	wait_until test -e "$T/ready"
	tip=$(pgrep -P "$pid" | head -n1)
	join_ns "$tip" ignore
	start=$(now_ms)
	kill -TERM "$tip"
	st=0; wait "$pid" || st=$?
	el=$(($(now_ms) - start))
	cat "$T/log"
	echo "stop took $el ms"
	[ "$st" -eq 143 ]
	grep -q 'deadline reached, sending SIGKILL' "$T/log"
	st=0; wait "$J" || st=$?
	[ "$st" -eq 137 ]
}

@test "stop: a second SIGTERM does not restart the deadline; --stop-delay postpones the forward" {
	unshare --pid --fork "$TMPINIT" --stop-timeout 1s -- sh -c "trap '' TERM; touch $T/ready; while :; do sleep 0.05; done" &
	pid=$!
	wait_until test -e "$T/ready"
	tip=$(pgrep -P "$pid" | head -n1)
	start=$(now_ms)
	kill -TERM "$tip"; sleep 0.6; kill -TERM "$tip"
	st=0; wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	el=$(($(now_ms) - start))
	[ "$el" -lt 1500 ]
	# stop delay: the app sees SIGTERM only after the delay
	timed_stop "$T/ready3" 15 -- "$TMPINIT" --stop-delay 500ms -- sh -c "trap 'exit 0' TERM; touch $T/ready3; while :; do sleep 0.02; done"
	[ "$code" -eq 0 ]
	[ "$ms" -ge 500 ]
	[ "$ms" -lt 1500 ]
}

@test "subreaper: as not-PID-1, the stop signals only tmpinit's descendants" {
	run unshare --pid --fork --mount-proc sh -c 'sleep 30 & s=$!; "$0" --stop-timeout 1s -- sh -c "sleep 30 & exit 3"; c=$?; kill -0 $s && echo sibling-alive; kill $s; exit $c' "$TMPINIT"
	[ "$status" -eq 3 ]
	[[ "$output" == *sibling-alive* ]]
}

@test "terminal: under a real pty the app is the foreground group and ^C exits 130" {
	need_cmd script
	cat >"$T/app.sh" <<-EOF
	set -- \$(cut -d' ' -f5,8 /proc/self/stat)
	echo "pgrp=\$1 tpgid=\$2 pid=\$\$ parentpgrp=\$(cut -d' ' -f5 /proc/\$PPID/stat)" >$T/fg
	touch $T/ready
	sleep 30
	EOF
	( for i in $(seq 1 200); do [ -e "$T/ready" ] && break; sleep 0.05; done; printf '\003'; sleep 2 ) |
		script -qec "$TMPINIT -- sh $T/app.sh" /dev/null >"$T/out" 2>&1 && st=0 || st=$?
	cat "$T/fg"
	read -r a b c d <"$T/fg"
	[ "${a#pgrp=}" = "${b#tpgid=}" ]
	# the app leads a process group of its own, not tmpinit's (a shell in tmpinit's place
	# would pass the line above with its own group in the foreground)
	[ "${a#pgrp=}" = "${c#pid=}" ]
	[ "${a#pgrp=}" != "${d#parentpgrp=}" ]
	[ "$st" -eq 130 ]
}

@test "install: PREFIX and DESTDIR place a stripped static binary and both man pages" {
	need_static "make install ships the static build"
	run env -u SANITIZE make -C "$ROOT" install DESTDIR="$T/dest" PREFIX=/opt/ti
	[ "$status" -eq 0 ]
	[ -x "$T/dest/opt/ti/sbin/tmpinit" ]
	[ -f "$T/dest/opt/ti/share/man/man8/tmpinit.8" ]
	[ -f "$T/dest/opt/ti/share/man/man5/tmpinit.ini.5" ]
	run file "$T/dest/opt/ti/sbin/tmpinit"
	[[ "$output" == *"statically linked"* && "$output" == *"stripped"* && "$output" != *"not stripped"* ]]
	run "$T/dest/opt/ti/sbin/tmpinit" -- sh -c 'exit 4'
	[ "$status" -eq 4 ]
	# negative control: nothing escaped DESTDIR
	[ ! -e /opt/ti ]
}
