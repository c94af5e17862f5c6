#!/bin/bash
# matrix.sh [CASE...]: run the same scenarios under tmpinit, tini, catatonit and dumb-init,
# as PID 1 of a new PID namespace ("pid1") and as a plain child ("child"), and print one
# table row per scenario: the exit code (and a short note) each init gave.
# Not part of `make check` (it compares with peers; the binding checks are in tests/bats).
# Needs root (unshare), and the peers at /usr/bin (Debian packages tini, catatonit, dumb-init).
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export PATH="$ROOT/build/helpers:$PATH"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
INITS=${INITS:-"tmpinit tini catatonit dumb-init"}
MODES=${MODES:-"pid1 child"}

bin() {
	case $1 in
	tmpinit) echo "$ROOT/tmpinit" ;;
	*) command -v "$1" ;;
	esac
}

# launch INIT MODE ARGS...: run in the foreground, print "rc" (and stderr lines count).
launch() {
	local init=$1 mode=$2 b
	shift 2
	b=$(bin "$init")
	if [ "$mode" = pid1 ]; then
		timeout 20 unshare --pid --fork --mount-proc "$b" "$@"
	else
		timeout 20 "$b" "$@"
	fi
}

# bg INIT MODE ARGS...: start in the background; sets BGPID and INITPID (the init itself).
bg() {
	local init=$1 mode=$2 b
	shift 2
	b=$(bin "$init")
	if [ "$mode" = pid1 ]; then
		# a background job of a non-interactive shell starts with SIGINT/SIGQUIT ignored;
		# give the init the dispositions a container runtime would
		env --default-signal=INT,QUIT unshare --pid --fork --mount-proc "$b" "$@" &
		BGPID=$!
		for _ in $(seq 100); do INITPID=$(pgrep -P "$BGPID" | head -n1); [ -n "$INITPID" ] && break; sleep 0.02; done
	else
		env --default-signal=INT,QUIT "$b" "$@" &
		BGPID=$!
		INITPID=$BGPID
	fi
}

waitfile() { for _ in $(seq 250); do [ -e "$1" ] && return 0; sleep 0.02; done; return 1; }

# The separator tini and tmpinit need before the command; dumb-init and catatonit take it too.
SEP=--

case_exit3() { launch "$1" "$2" $SEP sh -c 'exit 3' 2>/dev/null; echo "$?"; }
case_sig_usr1() { launch "$1" "$2" $SEP sh -c 'kill -USR1 $$' 2>/dev/null; echo "$?"; }
case_sigkill_app() { launch "$1" "$2" $SEP sh -c 'kill -KILL $$' 2>/dev/null; echo "$?"; }
case_notfound() { launch "$1" "$2" $SEP /nonexistent/x 2>/dev/null; echo "$?"; }
case_noexec() {
	printf 'echo hi\n' >"$W/noexec"; chmod 644 "$W/noexec"
	launch "$1" "$2" $SEP "$W/noexec" 2>/dev/null; echo "$?"
}
case_directory() { launch "$1" "$2" $SEP /tmp 2>/dev/null; echo "$?"; }
case_empty_cmd() { launch "$1" "$2" $SEP "" 2>/dev/null; echo "$?"; }
case_e_remap() { [ "$1" = tmpinit ] || [ "$1" = tini ] || { echo n/a; return; }; launch "$1" "$2" -e 3 $SEP sh -c 'exit 3' 2>/dev/null; echo "$?"; }
case_noargs() { launch "$1" "$2" >/dev/null 2>&1; echo "$?"; }
case_only_sep() { launch "$1" "$2" -- >/dev/null 2>&1; echo "$?"; }
case_dashdash_prog() {
	mkdir -p "$W/bin"; printf '#!/bin/sh\necho dd\n' >"$W/bin/--"; chmod +x "$W/bin/--"
	local o; o=$(PATH="$W/bin:$PATH" launch "$1" "$2" -- -- 2>/dev/null); echo "$?:$o"
}
case_opt_after_cmd() { local o; o=$(launch "$1" "$2" sh -c 'echo "$1"' x -v 2>/dev/null); echo "$?:$o"; }
case_no_sep() { local o; o=$(launch "$1" "$2" sh -c 'echo ok' 2>/dev/null); echo "$?:$o"; }
case_long_argv() {
	local o; o=$(launch "$1" "$2" $SEP sh -c 'echo $#' x $(seq 100000) 2>/dev/null); echo "$?:$o"
}
case_help() { launch "$1" "$2" -h >/dev/null 2>&1; echo "$?"; }
case_license() { launch "$1" "$2" -l >/dev/null 2>&1; echo "$?"; }
case_version() { local o; o=$(launch "$1" "$2" --version 2>/dev/null); echo "$?:${o%% - *}"; }
case_unknown_opt() { launch "$1" "$2" -Z $SEP true >/dev/null 2>&1; echo "$?"; }
case_p_kill() { launch "$1" "$2" -p SIGKILL $SEP true >/dev/null 2>&1; echo "$?"; }
case_p_short() { launch "$1" "$2" -p KILL $SEP true >/dev/null 2>&1; echo "$?"; }
case_v_lines() { local n; n=$(launch "$1" "$2" -v -v -v $SEP true 2>&1 >/dev/null | wc -l); echo "lines=$n"; }
case_env_verbosity() { local n; n=$(TINI_VERBOSITY=3 launch "$1" "$2" $SEP true 2>&1 >/dev/null | wc -l); echo "lines=$n"; }
case_bad_verbosity() { TINI_VERBOSITY=abc launch "$1" "$2" $SEP true >/dev/null 2>&1; echo "$?"; }
case_s_flag() { launch "$1" "$2" -s $SEP true >/dev/null 2>&1; echo "$?"; }
case_reaper_warn() { local n; n=$(launch "$1" "$2" $SEP true 2>&1 >/dev/null | wc -l); echo "stderr=$n"; }
case_env_subreaper() {
	# is the app's orphan reaped by the init when not PID 1?
	local o; o=$(TINI_SUBREAPER=1 launch "$1" "$2" $SEP sh -c 'orphans 20; sleep 0.5; zombies' 2>/dev/null); echo "$?:z=$o"
}
case_zombies() { local o; o=$(launch "$1" "$2" $SEP sh -c 'orphans 200; sleep 0.5; zombies' 2>/dev/null); echo "$?:z=$o"; }

# Signal cases: the app records what it receives.
sigcase() { # INIT MODE SIG [opts]: send SIG to the init, report what the app saw
	local init=$1 mode=$2 sig=$3 opts=${4:-} d st
	d=$(mktemp -d -p "$W")
	bg "$init" "$mode" $opts $SEP sh -c "trap 'echo HUP>>$d/got' HUP; trap 'echo WINCH>>$d/got' WINCH; trap 'echo USR1>>$d/got' USR1; trap 'echo TERM>>$d/got; exit 42' TERM; trap 'echo INT>>$d/got; exit 43' INT; touch $d/ready; while :; do sleep 0.02; done"
	waitfile "$d/ready"
	kill -s "$sig" "$INITPID"
	sleep 0.3
	kill -s TERM "$INITPID" 2>/dev/null
	st=0; wait "$BGPID" || st=$?
	echo "$st:$(tr '\n' , <"$d/got" 2>/dev/null)"
}
case_sig_hup() { sigcase "$1" "$2" HUP; }
case_sig_winch() { sigcase "$1" "$2" WINCH; }
case_sig_term() { sigcase "$1" "$2" TERM; }
case_sig_int() { sigcase "$1" "$2" INT; }

# SIGTSTP to the init: does the app stop, does SIGCONT resume it, and does the init survive?
case_tstp() {
	local init=$1 mode=$2 d st state
	d=$(mktemp -d -p "$W")
	bg "$init" "$mode" $SEP sh -c "echo \$\$ >$d/pid; touch $d/ready; while :; do sleep 0.02; done"
	waitfile "$d/ready"
	kill -s TSTP "$INITPID"; sleep 0.3
	app=$(pgrep -P "$INITPID" | head -n1)
	state="init=$(cut -d' ' -f3 /proc/$INITPID/stat 2>/dev/null) app=$(cut -d' ' -f3 /proc/$app/stat 2>/dev/null)"
	kill -s CONT "$INITPID"; sleep 0.3
	state="$state cont:app=$(cut -d' ' -f3 /proc/$app/stat 2>/dev/null)"
	kill -s TERM "$INITPID"
	st=0; wait "$BGPID" || st=$?
	echo "$st:$state"
}

# Group mode: does SIGUSR1 reach a second process in the app's group?
case_group() {
	local init=$1 mode=$2 d st opt=-g
	[ "$init" = dumb-init ] && opt=""
	d=$(mktemp -d -p "$W")
	bg "$init" "$mode" $opt $SEP sh -c "sh -c 'trap \"echo g>>$d/got\" USR1; touch $d/r2; while :; do sleep 0.02; done' & trap 'echo a>>$d/got' USR1; trap 'exit 0' TERM; touch $d/ready; while :; do sleep 0.02; done"
	waitfile "$d/ready"; waitfile "$d/r2"
	kill -s USR1 "$INITPID"; sleep 0.3
	kill -s TERM "$INITPID"
	st=0; wait "$BGPID" || st=$?
	echo "$st:$(sort "$d/got" 2>/dev/null | tr '\n' ,)"
}

# The app exits while a background child lingers: how long does the init take, and did
# the lingering child get a SIGTERM (its trap writes a file)?
case_app_exits_bg_lingers() {
	local init=$1 mode=$2 d st t0 t1
	d=$(mktemp -d -p "$W")
	t0=$(date +%s%3N)
	launch "$init" "$mode" $SEP sh -c "sh -c 'trap \"echo t>$d/t; exit 0\" TERM; while :; do sleep 0.02; done' & sleep 0.2; exit 5" >/dev/null 2>&1
	st=$?
	t1=$(date +%s%3N)
	sleep 0.2
	echo "$st:$((t1 - t0))ms:bgterm=$([ -e "$d/t" ] && echo y || echo n)"
	# clean any survivor (child mode)
	pkill -f "echo t>$d/t" 2>/dev/null || true
}

# Inherited mask/ignored set reach the app?
case_sigmask() {
	local base got
	base=$(setsigs 10,12 3,13 -- grep -E '^Sig(Blk|Ign)' /proc/self/status | tr -d '\t' | tr '\n' ' ')
	if [ "$2" = pid1 ]; then
		got=$(unshare --pid --fork --mount-proc setsigs 10,12 3,13 -- "$(bin "$1")" $SEP grep -E '^Sig(Blk|Ign)' /proc/self/status 2>/dev/null | tr -d '\t' | tr '\n' ' ')
	else
		got=$(setsigs 10,12 3,13 -- "$(bin "$1")" $SEP grep -E '^Sig(Blk|Ign)' /proc/self/status 2>/dev/null | tr -d '\t' | tr '\n' ' ')
	fi
	[ "$base" = "$got" ] && echo same || echo "differs($got)"
}

case_listen_pid() {
	local o; o=$(LISTEN_PID=1234 LISTEN_FDS=1 launch "$1" "$2" $SEP sh -c '[ "$LISTEN_PID" = $$ ] && echo rewritten || echo "kept=$LISTEN_PID"' 3</dev/null 2>/dev/null); echo "$o"
}

# An app that exits while signals are in flight: 200 USR1 to the init while the app exits.
case_exit_during_signals() {
	local init=$1 mode=$2 d st
	d=$(mktemp -d -p "$W")
	bg "$init" "$mode" $SEP sh -c "trap '' USR1; touch $d/ready; sleep 0.3; exit 7"
	waitfile "$d/ready"
	for _ in $(seq 200); do kill -s USR1 "$INITPID" 2>/dev/null || break; done
	st=0; wait "$BGPID" || st=$?
	echo "$st"
}

# SIGTERM to the init while the app ignores it, or while the app is stopped (SIGTSTP):
# exit code and time to exit; an init that waits forever is cut off after 8 s ("hung").
stopcase() {
	local init=$1 mode=$2 body=$3 pre=$4 d st t0 t1
	d=$(mktemp -d -p "$W")
	bg "$init" "$mode" $SEP sh -c "$body; echo \$\$ >$d/ready; while :; do sleep 0.02; done"
	waitfile "$d/ready"
	[ -n "$pre" ] && { kill -s "$pre" "$INITPID"; sleep 0.3; }
	t0=$(date +%s%3N)
	kill -s TERM "$INITPID"
	for _ in $(seq 400); do kill -0 "$INITPID" 2>/dev/null || break; [ "$(cut -d' ' -f3 /proc/$INITPID/stat 2>/dev/null)" = Z ] && break; sleep 0.02; done
	if kill -0 "$INITPID" 2>/dev/null && [ "$(cut -d' ' -f3 /proc/$INITPID/stat 2>/dev/null)" != Z ]; then
		pkill -KILL -P "$INITPID"; kill -KILL "$INITPID"; wait "$BGPID"; echo hung; return
	fi
	st=0; wait "$BGPID" || st=$?
	t1=$(date +%s%3N)
	echo "$st:$(( (t1 - t0) / 100 * 100 ))ms"
}
case_term_ignored() { stopcase "$1" "$2" "trap '' TERM" ""; }
case_term_stopped_app() { stopcase "$1" "$2" "trap 'exit 42' TERM" TSTP; }

CASES=${*:-"exit3 sig_usr1 sigkill_app notfound noexec directory empty_cmd e_remap noargs only_sep dashdash_prog opt_after_cmd no_sep long_argv help license version unknown_opt p_kill p_short v_lines env_verbosity bad_verbosity s_flag reaper_warn env_subreaper zombies sig_hup sig_winch sig_term sig_int tstp group app_exits_bg_lingers sigmask listen_pid exit_during_signals term_ignored term_stopped_app"}

printf '| case | mode |'; for i in $INITS; do printf ' %s |' "$i"; done; echo
printf '| --- | --- |'; for i in $INITS; do printf ' --- |'; done; echo
for c in $CASES; do
	for m in $MODES; do
		printf '| %s | %s |' "$c" "$m"
		for i in $INITS; do
			r=$("case_$c" "$i" "$m" </dev/null 2>/dev/null | tail -n1)
			printf ' %s |' "$r"
		done
		echo
	done
done
