#!/usr/bin/env bash
# bench/run.sh - `make bench`: tmpinit against tini, dumb-init, catatonit and the scripts people
# write today, all measured in this one run on this machine. Prints a report of medians and
# ratios (tmpinit / peer) and writes it to bench/results.txt (QUICK=1: bench/results-quick.txt).
# Timing never decides the exit code: a missed target is reported, not failed.
# Runs in a private mount namespace of its own; every tmpfs it mounts lives in a temp dir.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
QUICK=${QUICK:-0}

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (PID and mount namespaces, tmpfs mounts)" >&2
	exit 1
fi
if [ -z "${TMPINIT_BENCH_NS:-}" ]; then
	exec env TMPINIT_BENCH_NS=1 unshare --mount --propagation private "$0" "$@"
fi

TMPINIT="$ROOT/tmpinit"
H="$ROOT/build/bench/harness"
APP="$ROOT/build/bench/app"
OUT="$ROOT/bench/results.txt"
[ "$QUICK" = 1 ] && OUT="$ROOT/bench/results-quick.txt"
OUT=${BENCH_OUT:-$OUT} # tests write elsewhere
WORK=$(mktemp -d /tmp/tmpinit-bench.XXXXXX)
RAW="$WORK/raw.txt"
cleanup() {
	# unmount anything left below WORK (a failed step), deepest first, then remove it
	{ grep -o " $WORK/[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done; } 2>/dev/null || true
	rm -rf "$WORK" || true
}
trap cleanup EXIT
for f in "$TMPINIT" "$H" "$APP"; do
	[ -x "$f" ] || { echo "bench: $f missing (run: make bench)" >&2; exit 1; }
done

# Peers and the counting tools (strace, callgrind) from Debian's packages, installed when missing.
need=()
for p in tini dumb-init catatonit strace valgrind; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "bench: installing ${need[*]}" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
TINI_STATIC=/usr/bin/tini-static TINI=/usr/bin/tini DUMB=/usr/bin/dumb-init CATA=/usr/bin/catatonit

if [ "$QUICK" = 1 ]; then
	START_N=300 REAP_N=10000 GROW_N=10000 BATCH=500 SIG_N=300 SIG_ROUNDS=2
	BIG=$((32 << 20)) FILES=2000 DEPTH=300 REPS_A=1 REPS_B=1
else
	START_N=2000 REAP_N=100000 GROW_N=900000 BATCH=1000 SIG_N=1000 SIG_ROUNDS=5
	BIG=$((1 << 30)) FILES=20000 DEPTH=300 REPS_A=3 REPS_B=5
fi
FILE_BYTES=8192 TREE_FILE_BYTES=4096

say() { printf 'bench: %s\n' "$*" >&2; }
raw() { printf '%s\n' "$*" >>"$RAW"; }
version_of() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }

# ---- machine description --------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
perf_ok=no
perf stat -x, -e instructions true 2>&1 | grep -q '^[0-9]' && perf_ok=yes
{
	echo "meta date $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "meta mode $([ "$QUICK" = 1 ] && echo 'QUICK=1 (small counts: checks that the bench works, figures are rough)' || echo 'full')"
	echo "meta machine $(uname -sr) $(uname -m); ${cpu:-unknown cpu}; $(nproc) cores; $mem; $os"
	echo "meta virt $(systemd-detect-virt 2>/dev/null || echo unknown); perf counters: $perf_ok; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "meta tmpinit git $(git -C "$ROOT" rev-parse --short=7 HEAD 2>/dev/null || echo '?'), $(cc --version | head -n1)"
	echo "meta peers tini $(version_of tini) (tini-static and tini), dumb-init $(version_of dumb-init), catatonit $(version_of catatonit)"
} >"$RAW"

# ---- what tmpinit does on this build -------------------------------------------------
# tmpinit must run without config for the "no config" rows: the default file must not exist.
if [ -e /etc/tmpinit.ini ]; then
	say "/etc/tmpinit.ini exists: the no-config rows would read it"
	exit 1
fi

# Full config: 3 tmpfs paths, capabilities, a 60-rule seccomp deny list.
mkdir -p "$WORK/full/a" "$WORK/full/b" "$WORK/full/c"
sed "s|@DIR@|$WORK/full|g" "$ROOT/bench/full.ini" >"$WORK/full.ini"
# The same without the [tmpfs] sections: what the privilege drop alone costs.
awk '/^\[/ { skip = /^\[tmpfs / } !skip' "$WORK/full.ini" >"$WORK/privs.ini"
full_ok() { # prints the reason when the full config cannot be measured yet
	local out
	if ! out=$("$TMPINIT" -c "$WORK/full.ini" --check 2>&1 >/dev/null); then
		[ -n "$out" ] || out="rejected without a message"
		echo "config not accepted on this build: $(printf '%s' "$out" | head -n1 | sed "s|$WORK/||g" | cut -c1-100)"
		return 1
	fi
	if ! out=$(unshare --pid --fork --mount-proc "$TMPINIT" -c "$WORK/full.ini" -- /bin/cat /proc/self/status /proc/self/mountinfo 2>&1); then
		echo "tmpinit failed with the full config: $(printf '%s' "$out" | grep tmpinit | head -n1 | cut -c1-80)"
		return 1
	fi
	[ "$(printf '%s\n' "$out" | grep -c " $WORK/full/[abc] .* - tmpfs ")" -eq 3 ] || { echo "the 3 tmpfs paths were not mounted"; return 1; }
	printf '%s\n' "$out" | grep -Eq '^Seccomp:[[:space:]]+2' || { echo "the app had no seccomp filter"; return 1; }
	printf '%s\n' "$out" | grep -Eq '^CapBnd:[[:space:]]+0000000000000' || { echo "the app kept its bounding set"; return 1; }
	return 0
}
FULL_REASON=$(full_ok) || true

# Shred on stop: adopt a tmpfs holding a file; after the stop it must be gone.
shred_ok() {
	local d="$WORK/probe" out
	mkdir -p "$d/mnt"
	mount -t tmpfs -o size=4m,mode=1777,nosuid,nodev,noexec,noswap tmpfs "$d/mnt"
	printf 'secret' >"$d/mnt/f"
	sed -e "s|@DIR@|$d/mnt|g" -e "s|@SIZE@|4m|g" "$ROOT/bench/stop.ini" >"$d/stop.ini"
	out=$(unshare --pid --fork --mount-proc "$TMPINIT" -c "$d/stop.ini" -- /bin/true 2>&1) || true
	if [ -e "$d/mnt/f" ]; then
		umount "$d/mnt"
		echo "the stop left the file on the tmpfs${out:+: $(printf '%s' "$out" | head -n1 | sed "s|$WORK/||g" | cut -c1-90)}"
		return 1
	fi
	umount "$d/mnt"
}
SHRED_REASON=$(shred_ok) || true

# ---- 1. start overhead ----------------------------------------------------------------------
say "1/6 start overhead ($START_N runs per init)"
privs_ok=
args=(none /bin/true ::: tini-static "$TINI_STATIC" -- /bin/true ::: tini "$TINI" -- /bin/true
	::: dumb-init "$DUMB" /bin/true ::: catatonit "$CATA" -- /bin/true
	::: tmpinit "$TMPINIT" -- /bin/true)
if "$TMPINIT" -c "$WORK/privs.ini" --check >/dev/null 2>&1 &&
	unshare --pid --fork --mount-proc "$TMPINIT" -c "$WORK/privs.ini" -- /bin/cat /proc/self/status | grep -Eq '^Seccomp:[[:space:]]+2'; then
	args+=(::: tmpinit-privs "$TMPINIT" -c "$WORK/privs.ini" -- /bin/true)
	privs_ok=1
else
	raw "na start tmpinit-privs [capabilities]/[seccomp] not accepted or not applied on this build"
fi
if [ -z "$FULL_REASON" ]; then
	args+=(::: tmpinit-full "$TMPINIT" -c "$WORK/full.ini" -- /bin/true)
else
	raw "na start tmpinit-full $FULL_REASON"
fi
"$H" start "$START_N" -- "${args[@]}" >>"$RAW"

# The same starts counted rather than timed, so they do not depend on the machine's load:
# user-space instructions of the init process alone (callgrind, not following the child)
# and its system calls (strace, not following the child).
count_start() { # LABEL CMD...
	local label=$1 ins=n/a calls=n/a
	shift
	# valgrind does not implement seccomp(2): a run that fails under it counts nothing
	if command -v valgrind >/dev/null &&
		valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$WORK/vg.txt" "$@" >/dev/null 2>&1; then
		ins=$(awk '/Collected/ {print $4}' "$WORK/vg.txt")
	fi
	if command -v strace >/dev/null && strace -qq -o "$WORK/strace.txt" "$@" >/dev/null 2>&1; then
		calls=$(grep -vc -e '^+++' -e '^---' "$WORK/strace.txt" || true)
	fi
	raw "count $label instructions ${ins:-n/a} syscalls ${calls:-n/a}"
}
count_start none /bin/true
count_start tini-static "$TINI_STATIC" -- /bin/true
count_start tini "$TINI" -- /bin/true
count_start dumb-init "$DUMB" /bin/true
count_start catatonit "$CATA" -- /bin/true
count_start tmpinit "$TMPINIT" -- /bin/true
if [ -n "$privs_ok" ]; then count_start tmpinit-privs "$TMPINIT" -c "$WORK/privs.ini" -- /bin/true; fi
if [ -z "$FULL_REASON" ]; then count_start tmpinit-full "$TMPINIT" -c "$WORK/full.ini" -- /bin/true; fi

# ---- 2 + 3. PID 1 memory and reaping ---------------------------------------------------------
say "2-3/6 memory and reaping ($REAP_N orphans per init; tmpinit: +$GROW_N)"
"$H" mem tini-static "$REAP_N" 0 "$BATCH" -- "$TINI_STATIC" -- "$APP" serve >>"$RAW"
"$H" mem dumb-init "$REAP_N" 0 "$BATCH" -- "$DUMB" "$APP" serve >>"$RAW"
"$H" mem catatonit "$REAP_N" 0 "$BATCH" -- "$CATA" -- "$APP" serve >>"$RAW"
"$H" mem tmpinit "$REAP_N" "$GROW_N" "$BATCH" -- "$TMPINIT" -- "$APP" serve >>"$RAW"

# ---- 4. signal latency ------------------------------------------------------------------------
say "4/6 signal latency ($SIG_N signals per init)"
# in rounds, one short run per init each, so that a noisy moment hits every init alike
for ((r = 0; r < SIG_ROUNDS; r++)); do
	"$H" signal none "$SIG_N" -- "$APP" signals >>"$RAW"
	"$H" signal tini-static "$SIG_N" -- "$TINI_STATIC" -- "$APP" signals >>"$RAW"
	"$H" signal dumb-init "$SIG_N" -- "$DUMB" "$APP" signals >>"$RAW"
	"$H" signal catatonit "$SIG_N" -- "$CATA" -- "$APP" signals >>"$RAW"
	"$H" signal tmpinit "$SIG_N" -- "$TMPINIT" -- "$APP" signals >>"$RAW"
done

# ---- 5. stop with erase -----------------------------------------------------------------------
say "5/6 stop with erase"
S="$WORK/scratch"
mkdir -p "$S"
# fill SCENARIO ONEFILE: mount a fresh tmpfs on $S and put the scenario's data in it, or
# (ONEFILE=1, for the dd floor) the same number of bytes in one file. Prints the tmpfs size.
fill() {
	local bytes size
	case $1 in
	0) bytes=$BIG ;;
	1) bytes=$((FILES * FILE_BYTES)) ;;
	2) bytes=$((DEPTH * TREE_FILE_BYTES)) ;;
	esac
	size=$(((bytes >> 20) + 64))m
	mount -t tmpfs -o "size=$size,mode=1777,nosuid,nodev,noexec,noswap" tmpfs "$S"
	if [ "$2" = 1 ] || [ "$1" = 0 ]; then
		"$H" fill "$S" big "$bytes"
	elif [ "$1" = 1 ]; then
		"$H" fill "$S" files "$FILES" "$FILE_BYTES"
	else
		"$H" fill "$S" tree "$DEPTH" "$TREE_FILE_BYTES"
	fi
	echo "$size"
}
scen_name=(a b c)
for sc in 0 1 2; do
	reps=$([ "$sc" = 0 ] && echo "$REPS_A" || echo "$REPS_B")
	[ -n "$SHRED_REASON" ] && raw "na stop ${scen_name[$sc]}:tmpinit $SHRED_REASON"
	for ((r = 0; r < reps; r++)); do
		size=$(fill "$sc" 1)
		# one pass of zeros over the same bytes: the floor of any in-place erase
		"$H" run "${scen_name[$sc]}:dd" -- dd if=/dev/zero of="$S/big" bs=1M \
			count=$((($(stat -c %s "$S/big") + 1048575) >> 20)) conv=notrunc status=none >>"$RAW"
		umount "$S"
		fill "$sc" 0 >/dev/null
		"$H" run "${scen_name[$sc]}:shred" -- find "$S" -type f -exec shred -n0 -z -u {} + >>"$RAW"
		umount "$S"
		fill "$sc" 0 >/dev/null
		"$H" run "${scen_name[$sc]}:rm" -- rm -rf "$S"/* >>"$RAW"
		umount "$S"
		if [ -z "$SHRED_REASON" ]; then
			fill "$sc" 0 >/dev/null
			sed -e "s|@DIR@|$S|g" -e "s|@SIZE@|$size|g" "$ROOT/bench/stop.ini" >"$WORK/stop.ini"
			"$H" stop "${scen_name[$sc]}:tmpinit" -- "$TMPINIT" -c "$WORK/stop.ini" -- "$APP" sleep | sed 's/^stop /run /' >>"$RAW"
			left=$(find "$S" -mindepth 1 | wc -l)
			[ "$left" -eq 0 ] || raw "note tmpinit left $left entries in scenario ${scen_name[$sc]}"
			umount "$S"
		fi
	done
done

# ---- 6. size --------------------------------------------------------------------------------
strip -o "$WORK/tmpinit.stripped" "$TMPINIT"
for b in "tmpinit:$TMPINIT" "tmpinit-stripped:$WORK/tmpinit.stripped" "tini-static:$TINI_STATIC" \
	"catatonit:$CATA" "tini:$TINI" "dumb-init:$DUMB"; do
	f=${b#*:}
	link=static
	file -L "$f" | grep -q 'dynamically linked' && link=dynamic
	raw "size ${b%%:*} $(stat -L -c %s "$f") $link"
done

raw "meta loadend $(cut -d' ' -f1-3 /proc/loadavg)"
raw "param start_n $START_N reap_n $REAP_N grow_n $GROW_N batch $BATCH sig_n $((SIG_N * SIG_ROUNDS)) sig_rounds $SIG_ROUNDS big $BIG files $FILES file_bytes $FILE_BYTES depth $DEPTH tree_file_bytes $TREE_FILE_BYTES reps_a $REPS_A reps_b $REPS_B"
awk -f "$ROOT/bench/report.awk" "$RAW" | tee "$OUT"
cp "$RAW" "${OUT%.txt}-raw.txt"
say "written to ${OUT#"$ROOT"/}"
