#!/usr/bin/env bats
# The ini file (issues 3 and 7): every bad config in tests/configs/bad is refused with its
# expected "FILE:LINE: ..." message and exit code 125 while the app (which would create a
# marker file) never runs; every good config passes --check; the --check plan and risks.
load common

CONFIGS="$ROOT/tests/configs"

setup() {
	TMP="$(mktemp -d)"
	MARKER="$TMP/app-ran"
}

teardown() {
	rm -rf "$TMP"
}

# The expected message of a bad config: its sidecar FILE.expect, else its first line
# "; expect: LINE: message".
expected_of() {
	local f=$1
	if [ -e "$f.expect" ]; then
		head -n1 "$f.expect"
	else
		sed -n '1s/^; expect: //p' "$f"
	fi
}

# Run tmpinit on config $1 with an app that creates $MARKER; check 125, the message and
# that the app never ran. Extra arguments go before -- (e.g. --check).
refused() {
	local f=$1 want out rc
	shift
	want="$(expected_of "$f")"
	[ -n "$want" ] || { echo "no expectation for $f"; return 1; }
	out="$("$TMPINIT" "$@" -c "$f" -- sh -c "touch '$MARKER'" 2>&1)" && rc=0 || rc=$?
	if [ "$rc" -ne 125 ]; then
		echo "$f: exit $rc, expected 125; output: $out"
		return 1
	fi
	if [[ "$out" != *"tmpinit: error: $f:$want"* ]]; then
		echo "$f: message differs"
		echo "  want: tmpinit: error: $f:$want"
		echo "  got:  $out"
		return 1
	fi
	if [ -e "$MARKER" ]; then
		echo "$f: the app ran"
		return 1
	fi
}

@test "bad corpus: at least 50 malformed configs, each with an expectation" {
	local n=0 f
	for f in "$CONFIGS"/bad/*.ini; do
		[ -n "$(expected_of "$f")" ] || { echo "no expectation: $f"; return 1; }
		n=$((n + 1))
	done
	echo "$n bad configs"
	[ "$n" -ge 50 ]
}

@test "bad corpus: each refused with FILE:LINE, exit 125, app never started" {
	local f fails=0
	for f in "$CONFIGS"/bad/*.ini; do
		refused "$f" || fails=$((fails + 1))
	done
	[ "$fails" -eq 0 ]
}

@test "bad corpus: --check refuses each one too" {
	local f fails=0
	for f in "$CONFIGS"/bad/*.ini; do
		refused "$f" --check || fails=$((fails + 1))
	done
	[ "$fails" -eq 0 ]
}

@test "negative control: a good config with the same app creates the marker" {
	printf '[rootfs]\nread_only = ignore\n' >"$TMP/ok.ini"
	run "$TMPINIT" -c "$TMP/ok.ini" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 0 ]
	[ -e "$MARKER" ]
}

@test "negative control: the checker fails on a wrong expectation" {
	printf '; expect: 9: nothing like this\n[foo]\n' >"$TMP/wrong.ini"
	! refused "$TMP/wrong.ini"
}

@test "as PID 1 in a fresh namespace: a bad config exits 125 and the app never runs" {
	need_root
	run pid1 -c "$CONFIGS/bad/size-unit.ini" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 125 ]
	[[ "$output" == *"size-unit.ini:3: [tmpfs /var/tmp] size: bad size"* ]]
	[ ! -e "$MARKER" ]
}

@test "a 10 MB line is refused at its line, never split" {
	{
		printf '[init]\nstop_timeout = 5s\ncommand = '
		head -c 10485760 /dev/zero | tr '\0' 'a'
		printf '\n'
	} >"$TMP/huge.ini"
	[ "$(stat -c %s "$TMP/huge.ini")" -gt 10485760 ]
	printf '3: line longer than 4096 bytes (expected at most 4096 bytes a line, never split\n' >"$TMP/huge.ini.expect"
	refused "$TMP/huge.ini"
}

@test "a line of exactly 4096 bytes is accepted, 4097 is not" {
	local pad
	pad="$(head -c 4096 /dev/zero | tr '\0' ';')"
	printf '[rootfs]\n%s\nread_only = ignore\n' "$pad" >"$TMP/ok.ini"
	run "$TMPINIT" --check -c "$TMP/ok.ini"
	[ "$status" -eq 0 ]
	printf '[rootfs]\n%s;\nread_only = ignore\n' "$pad" >"$TMP/long.ini"
	printf '2: line longer than 4096 bytes\n' >"$TMP/long.ini.expect"
	refused "$TMP/long.ini"
}

@test "a path covering tmpinit's own binary is refused" {
	local dir
	dir="$(dirname "$(readlink -f "$TMPINIT")")"
	printf '[rootfs]\nread_only = ignore\n[tmpfs %s]\n' "$dir" >"$TMP/self.ini"
	printf "3: [tmpfs %s]: would cover tmpinit's own binary %s\n" "$dir" "$(readlink -f "$TMPINIT")" >"$TMP/self.ini.expect"
	refused "$TMP/self.ini"
}

@test "good corpus passes --check" {
	local f fails=0
	for f in "$CONFIGS"/good/*.ini; do
		run "$TMPINIT" --check -c "$f"
		if [ "$status" -ne 0 ] || [[ "$output" != *"config: $f"* ]]; then
			echo "$f: exit $status: $output"
			fails=$((fails + 1))
		fi
	done
	[ "$fails" -eq 0 ]
}

@test "the example etc/tmpinit.ini passes --check and shows the plan" {
	run "$TMPINIT" --check -c "$ROOT/etc/tmpinit.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rootfs: require"* ]]
	[[ "$output" == *"tmpfs /var/tmp: adopt if already a tmpfs mount point, else mount"* ]]
	[[ "$output" == *"tmpfs /run: adopt if already a tmpfs mount point, else mount"* ]]
	[[ "$output" == *"shred: yes"* ]]
}

# Uncomment every commented-out key of an ini (";key = value" and its indented ";    "
# continuation lines) into $2; prints how many lines it changed.
uncomment_keys() {
	sed -E 's/^;([a-z_]+ = )/\1/; s/^;(    [A-Z])/\1/' "$1" > "$2"
	diff "$1" "$2" | grep -c '^>' || true
}

@test "etc/tmpinit.ini: every commented-out key is valid once uncommented" {
	local n
	n=$(uncomment_keys "$ROOT/etc/tmpinit.ini" "$TMP/all.ini")
	echo "uncommented $n lines"
	[ "$n" -ge 8 ]
	run "$TMPINIT" --check -c "$TMP/all.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	# the uncommented keys reach the plan
	[[ "$output" == *"2s"* ]]
	[[ "$output" == *"QUIT"* ]]
	# negative control: a commented key with a trailing comment is refused once uncommented
	sed 's/^;inodes = 16384$/;inodes = 16384   ; default: half the RAM pages/' \
		"$ROOT/etc/tmpinit.ini" > "$TMP/trailing.ini"
	uncomment_keys "$TMP/trailing.ini" "$TMP/bad.ini" > /dev/null
	run "$TMPINIT" --check -c "$TMP/bad.ini"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"bad.ini:"*"inodes"* ]]
}

@test "no file at the default path: a plain init; a missing -c FILE or TMPINIT_CONFIG: error" {
	[ ! -e /etc/tmpinit.ini ] || skip "this machine has /etc/tmpinit.ini"
	run "$TMPINIT" --check
	[ "$status" -eq 0 ]
	[[ "$output" == *"config: none"* ]]
	run "$TMPINIT" -c "$TMP/missing.ini" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 125 ]
	[[ "$output" == *"open config $TMP/missing.ini: No such file or directory"* ]]
	TMPINIT_CONFIG="$TMP/missing.ini" run "$TMPINIT" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 125 ]
	[ ! -e "$MARKER" ]
}

@test "a directory or a FIFO as the config is refused, not read" {
	mkdir "$TMP/dir.ini"
	mkfifo "$TMP/fifo.ini"
	run "$TMPINIT" -c "$TMP/dir.ini" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 125 ]
	[[ "$output" == *"is a directory"* ]]
	run timeout 5 "$TMPINIT" -c "$TMP/fifo.ini" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 125 ]
	[[ "$output" == *"not a regular file"* ]]
	[ ! -e "$MARKER" ]
}

@test "an unreadable explicit config is an error" {
	[ "$(id -u)" -ne 0 ] || need_cmd setpriv
	printf '[rootfs]\nread_only = ignore\n' >"$TMP/secret.ini"
	chmod 000 "$TMP/secret.ini"
	chmod 755 "$TMP"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TMPINIT" -c "$TMP/secret.ini" -- true
	[ "$status" -eq 125 ]
	[[ "$output" == *"open config $TMP/secret.ini: Permission denied"* ]]
}

@test "[init] command runs when no command follows --; the command line wins" {
	printf '[rootfs]\nread_only = ignore\n[init]\ncommand = sh -c '\''echo "from config: $0"'\'' "a b"\n' >"$TMP/cmd.ini"
	run "$TMPINIT" -c "$TMP/cmd.ini"
	[ "$status" -eq 0 ]
	[ "$output" = "from config: a b" ]
	run "$TMPINIT" -c "$TMP/cmd.ini" -- echo from cli
	[ "$status" -eq 0 ]
	[ "$output" = "from cli" ]
}

@test "options and environment override the file" {
	printf '[rootfs]\nread_only = ignore\n[init]\nstop_timeout = 3s\nlog_format = json\n' >"$TMP/o.ini"
	run "$TMPINIT" --check -c "$TMP/o.ini"
	[[ "$output" == *"SIGKILL 3s after"* ]]
	[[ "$output" == *"format json"* ]]
	run "$TMPINIT" --check --stop-timeout 7s --log-format text -c "$TMP/o.ini"
	[[ "$output" == *"SIGKILL 7s after"* ]]
	[[ "$output" == *"format text"* ]]
	TMPINIT_STOP_TIMEOUT=9s run "$TMPINIT" --check -c "$TMP/o.ini"
	[[ "$output" == *"SIGKILL 9s after"* ]]
}

@test "a config without [rootfs] requires a read-only root; no config ignores it" {
	printf '[init]\nstop_timeout = 3s\n' >"$TMP/r.ini"
	run "$TMPINIT" --check -c "$TMP/r.ini"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rootfs: require"* ]]
	: >"$TMP/empty.ini"
	run "$TMPINIT" --check -c "$TMP/empty.ini"
	[[ "$output" == *"rootfs: require"* ]]
}

@test "--check risks: swap and init_on_free as this machine has them" {
	printf '[rootfs]\nread_only = ignore\n[tmpfs /var/tmp]\nswap = allow\n' >"$TMP/s.ini"
	run "$TMPINIT" --check -c "$TMP/s.ini"
	[ "$status" -eq 0 ]
	if [ "$(wc -l </proc/swaps)" -gt 1 ]; then
		[[ "$output" == *"risk: swap is active"* ]]
	else
		[[ "$output" != *"risk: swap is active"* ]]
	fi
	if grep -qwE 'init_on_free=(1|y|Y|on)' /proc/cmdline; then
		[[ "$output" != *"without init_on_free=1"* ]]
	else
		[[ "$output" == *"risk: the kernel was booted without init_on_free=1"* ]]
	fi
	# the rootfs risk appears exactly when read_only = ignore
	[[ "$output" == *"risk: [rootfs] read_only = ignore"* ]]
	sed -i 's/ignore/require/' "$TMP/s.ini"
	run "$TMPINIT" --check -c "$TMP/s.ini"
	[[ "$output" != *"risk: [rootfs]"* ]]
}

@test "--check does not mount: /var/tmp stays as it was" {
	local before after
	before="$(findmnt -n -o FSTYPE,SOURCE --target /var/tmp)"
	run "$TMPINIT" --check -c "$ROOT/etc/tmpinit.ini"
	[ "$status" -eq 0 ]
	after="$(findmnt -n -o FSTYPE,SOURCE --target /var/tmp)"
	[ "$before" = "$after" ]
}

@test "config errors come out as JSON lines when the command line asks for JSON" {
	need_cmd python3
	run "$TMPINIT" --log-format json -c "$CONFIGS/bad/size-unit.ini" -- sh -c "touch '$MARKER'"
	[ "$status" -eq 125 ]
	[ ! -e "$MARKER" ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 1, lines
m = json.loads(lines[0])
assert m["level"] == "error", m
assert m["msg"].endswith("size-unit.ini:3: [tmpfs /var/tmp] size: bad size \"64q\" (expected a size such as 64m, 1g or 4096 (units k, m, g, t; binary))"), m
'
}
