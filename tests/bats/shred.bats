#!/usr/bin/env bats
# The shred at stop, end to end: tmpinit is PID 1 of its own PID namespace, with a real
# ini file; the test shares its private mount namespace, so the tree and the mounts can
# be looked at after tmpinit exited. A file on the tmpfs is held open from outside
# tmpinit's tree (through /proc/PID/root) and must read its original length, all zeros.

load common

setup() {
	need_root
	need_cmd unshare
	T=$BATS_TEST_TMPDIR
	S=$T/scratch
	mkdir -p "$S" "$T/out/dir"
	echo "outside file" >"$T/out/file"
	echo "outside dir" >"$T/out/dir/f"
	(cd "$T/out" && sha256sum file dir/f) >"$T/sums"
}

# scenario INI_BODY APP HOOK [PRE] [POST]: writes the ini, runs PRE (e.g. a runtime's tmpfs
# mount), then tmpinit, all in a private mount namespace
# shared with this script, waits for the app to create $S/ready, holds $S/dir/held open
# via /proc/PID/root, runs HOOK (shell code, may use $S, $T, $P1), sends SIGTERM to PID 1.
# Prints "control=..." (the pattern seen before the stop), "exit=N", the holder's report,
# "mount=yes|no" and "left=N" (entries left in $S), then what [POST] prints.
scenario() {
	printf '%s\n' "$1" >"$T/tmpinit.ini"
	cat >"$T/scenario.sh" <<-EOF
		set -u
		S='$S' T='$T'
		waitfor() { for _ in \$(seq 500); do "\$@" 2>/dev/null && return 0; sleep 0.02; done; return 1; }
		${4:-}
		unshare --pid --fork '$TMPINIT' -v -c "\$T/tmpinit.ini" -- sh -c '$2' 2>"\$T/log" &
		U=\$!
		waitfor test -e "\$S/ready" || { echo "app never got ready"; kill -KILL \$U; cat "\$T/log"; exit 1; }
		P1=\$(pgrep -P \$U | head -n1)
		'$HELPERS/holdfd' "/proc/\$P1/root\$S/dir/held" "\$T/report" &
		H=\$!
		waitfor grep -q held "\$T/report"
		if grep -q PATTERN "/proc/\$P1/root\$S/dir/held"; then echo control=pattern; else echo control=none; fi
		$3
		kill -TERM \$P1
		wait \$U
		echo exit=\$?
		kill -USR1 \$H
		wait \$H
		tail -n1 "\$T/report"
		if grep -q " \$S " /proc/self/mountinfo; then echo mount=yes; else echo mount=no; fi
		echo left=\$(ls -A "\$S" | wc -l)
		${5:-}
	EOF
	timeout 120 unshare --mount --propagation private bash -x "$T/scenario.sh" 2>"$T/trace"
}

APP_PATTERN='mkdir -p $0/dir/sub && i=0 && while [ $i -lt 40000 ]; do echo PATTERN-PATTERN-PATTERN; i=$((i+1)); done >$0/dir/held && echo PATTERN >$0/dir/sub/small && touch $0/ready && exec sleep 1000'

@test "shred: a held fd reads the original length, all zeros; tree empty; mount gone" {
	app="${APP_PATTERN//\$0/$S}"
	run scenario "[rootfs]
read_only = ignore
[tmpfs $S]
size = 16m" "$app" ""
	echo "$output"
	echo "--- log"; cat "$T/log"; echo "--- trace"; cat "$T/trace"
	[ "$status" -eq 0 ]
	[[ "$output" == *"control=pattern"* ]] # negative control: readable before the stop
	[[ "$output" == *"exit=143"* ]]	      # the app's status (SIGTERM), not a shred error
	[[ "$output" == *"len=960000 size=960000 nonzero=0 nlink=0"* ]]
	[[ "$output" == *"mount=no"* ]]
	grep -q 'info: shred "'"$S"'": 3 files, 960008 bytes overwritten, 2 dirs' "$T/log"
}

@test "shred: an adopted tmpfs stays mounted, empty; the held fd reads zeros" {
	app="${APP_PATTERN//\$0/$S}"
	run scenario "[rootfs]
read_only = ignore
[tmpfs $S]
source = adopt" "$app" "" "mount -t tmpfs -o size=4m,nosuid,nodev,noexec tmpfs '$S'"
	echo "$output"
	echo "--- log"; cat "$T/log"; echo "--- trace"; cat "$T/trace"
	[ "$status" -eq 0 ]
	[[ "$output" == *"control=pattern"* ]]
	[[ "$output" == *"exit=143"* ]]
	[[ "$output" == *"len=960000 size=960000 nonzero=0 nlink=0"* ]]
	[[ "$output" == *"mount=yes"* ]]
	[[ "$output" == *"left=0"* ]]
}

@test "shred: shred = no leaves the pattern in the held inode (negative control)" {
	app="${APP_PATTERN//\$0/$S}"
	run scenario "[rootfs]
read_only = ignore
[tmpfs $S]
shred = no" "$app" ""
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exit=143"* ]]
	[[ "$output" == *"len=960000 size=960000 nonzero="* ]]
	[[ "$output" != *"nonzero=0 "* ]]
	[[ "$output" == *"mount=no"* ]]
}

@test "shred: hostile tree; every sentinel outside unchanged, no hang" {
	need_cmd python3
	app="${APP_PATTERN//\$0/$S}"
	hook='ln -s "$T/out/file" "$S/lnf"
ln -s "$T/out/dir" "$S/lnd"
mkdir "$S/vol" && mount --bind "$T/out/dir" "$S/vol"
mkfifo "$S/fifo"
python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$S/sock"
echo hard >"$S/h1" && ln "$S/h1" "$S/h2"
dd if=/dev/urandom of="$S/sparse" bs=1M count=4 seek=10240 status=none
echo other >"$S/m0" && chown 12345:12345 "$S/m0" && chmod 0 "$S/m0"
echo nl >"$S/new
line"'
	run scenario "[rootfs]
read_only = ignore
[tmpfs $S]
size = 16m" "$app" "$hook"
	echo "$output"
	echo "--- log"; cat "$T/log"; echo "--- trace"; cat "$T/trace"
	[ "$status" -eq 0 ]
	[[ "$output" == *"control=pattern"* ]]
	[[ "$output" == *"exit=143"* ]]
	[[ "$output" == *"nonzero=0 nlink=0"* ]]
	[[ "$output" == *"mount=no"* ]]
	(cd "$T/out" && sha256sum -c "$T/sums")
	# every file once (the hard-linked pair once), 4 MiB of the sparse file, not 10 GiB
	grep -q 'shred "'"$S"'": 8 files, 5154326 bytes overwritten, 2 dirs, 4 others, 1 other mounts left alone, 0 errors' "$T/log"
	grep -q 'leave "'"$S"'/vol" alone' "$T/log"
}

# Mount games while the app runs (what an app with cap_sys_admin, or anyone sharing the
# mount namespace, could do): the shred goes through the mount's root held since setup,
# never through the path again.
games_ini() {
	printf '[rootfs]\nread_only = ignore\n[tmpfs %s]\nsize = 16m\n[capabilities]\nkeep = all\n' "$S"
}

# Runs the mount game ($@ after the app: scenario's game steps) and asserts what every game
# must leave: exit 0, the held file zeroed at its length, all three files shredded.
run_game() {
	run scenario "$(games_ini)" "${APP_PATTERN//\$0/$S}" "$@"
	echo "$output"; cat "$T/log"
	[ "$status" -eq 0 ]
	[[ "$output" == *"len=960000 size=960000 nonzero=0 nlink=0"* ]]
	grep -q 'shred "'"$S"'": 3 files, 960008 bytes overwritten' "$T/log"
}

@test "shred: a decoy tmpfs mounted over the path does not hide the real one" {
	run_game 'mount -t tmpfs decoy "$S"; echo DECOY >"$S/decoy"'
	[[ "$output" == *"control=pattern"* ]]
	# the unmount goes through our root fd; the kernel takes the decoy stacked on it off
	# first, then ours: nothing is left on the path
	[[ "$output" == *"mount=no"* ]]
	grep -q 'first unmounted a mount someone stacked over it' "$T/log"
}

@test "shred: renaming an ancestor away and putting a new directory there does not dodge it" {
	mkdir -p "$T/a/b"
	S=$T/a/b/scratch
	mkdir "$S"
	run_game 'mv "$T/a" "$T/a.moved"; mkdir -p "$S"'
	[[ "$output" == *"control=pattern"* ]]
	! grep -q " $T/a.moved/b/scratch " /proc/self/mountinfo
	[ -z "$(ls -A "$S")" ]
}

@test "shred: another tmpfs bind-mounted onto the path is left intact" {
	run_game 'mount --bind "$T/shared" "$S"' \
		'mkdir -p "$T/shared"; mount -t tmpfs shm "$T/shared"; echo HOST >"$T/shared/f"' \
		'echo shared=$(cat "$T/shared/f")'
	[[ "$output" == *"shared=HOST"* ]]
}
