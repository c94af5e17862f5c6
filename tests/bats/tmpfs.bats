#!/usr/bin/env bats
# [rootfs] and [tmpfs PATH] end to end with real ini files: tmpinit as PID 1 in private
# mount and PID namespaces. The root policy runs in a chroot whose / is a bind mount of a
# temp dir in a private mount namespace, never on the real root.

load common

setup() {
	need_root
	need_cmd unshare
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/m"
}

ini() {
	printf '%s\n' "$@" >"$T/tmpinit.ini"
}

@test "tmpfs: a mounted tmpfs has exactly the configured size, inodes, mode, owner, flags and noswap" {
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]" "size = 8m" "inodes = 1000" "mode = 0750" \
		"owner = nobody:nogroup"
	run pid1_mnt -c "$T/tmpinit.ini" -- sh -c "grep ' $T/m ' /proc/self/mountinfo; stat -c 'stat %a %U:%G' '$T/m'"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" $T/m rw,nosuid,nodev,noexec,"*" - tmpfs tmpfs rw,size=8192k,nr_inodes=1000,mode=750,uid=65534,gid=65534,"*"noswap"* ]]
	[[ "$output" == *"stat 750 nobody:nogroup"* ]]
}

@test "tmpfs: exec = yes, swap = allow: no noexec, no noswap; default size 64m and mode 1777" {
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]" "exec = yes" "swap = allow"
	run pid1_mnt -c "$T/tmpinit.ini" -- sh -c "grep ' $T/m ' /proc/self/mountinfo; stat -c 'stat %a' '$T/m'"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" $T/m rw,nosuid,nodev,relatime"*"size=65536k"* ]]
	[[ "$output" != *noexec* && "$output" != *noswap* ]]
	[[ "$output" == *"stat 1777"* ]]
}

@test "tmpfs: an existing tmpfs is adopted; size mismatch warned, exec mismatch refused" {
	# the runtime's tmpfs: 4m, exec allowed (what an emptyDir looks like)
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]" "size = 8m" "exec = yes"
	run unshare --mount --propagation private sh -c "mount -t tmpfs -o size=4m,nosuid,nodev tmpfs '$T/m' &&
		unshare --pid --fork '$TMPINIT' -v -c '$T/tmpinit.ini' -- sh -c 'touch $T/m/ran; echo app ran'"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'adopt tmpfs "'"$T/m"'": its size is 4m, the config says 8m'* ]]
	[[ "$output" == *'adopted the tmpfs on'* ]]
	[[ "$output" == *"app ran"* ]]
	[[ "$output" != *"mounted a tmpfs"* ]]

	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]" "size = 8m"
	run unshare --mount --propagation private sh -c "mount -t tmpfs -o size=4m,nosuid,nodev tmpfs '$T/m' &&
		unshare --pid --fork '$TMPINIT' -c '$T/tmpinit.ini' -- sh -c 'echo app ran'"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"mounted without noexec, but exec = no (hint: docker/podman run --tmpfs $T/m:noexec,nosuid,nodev, or set exec = yes"* ]]
	[[ "$output" != *"app ran"* ]]
}

@test "tmpfs: adopting a tmpfs that already holds files warns at the default level" {
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]" "source = adopt"
	run unshare --mount --propagation private sh -c "mount -t tmpfs -o size=4m,nosuid,nodev,noexec tmpfs '$T/m' &&
		touch '$T/m/someone-elses' '$T/m/another' &&
		unshare --pid --fork '$TMPINIT' -c '$T/tmpinit.ini' -- true"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'warning: adopt tmpfs "'"$T/m"'": it already holds 2 entries that this app did not write'* ]]
	# negative control: an empty tmpfs, as a runtime hands it over, adopts silently
	run unshare --mount --propagation private sh -c "mount -t tmpfs -o size=4m,nosuid,nodev,noexec tmpfs '$T/m' &&
		unshare --pid --fork '$TMPINIT' -c '$T/tmpinit.ini' -- true"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "tmpfs: source = adopt refuses a path that is not a tmpfs mount point" {
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]" "source = adopt"
	run pid1_mnt -c "$T/tmpinit.ini" -- sh -c 'echo app ran'
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"is not a tmpfs mount point and source = adopt (hint: docker/podman run --tmpfs $T/m"* ]]
	[[ "$output" != *"app ran"* ]]
}

@test "tmpfs: a symlinked mount point is never followed" {
	mkdir "$T/real"
	ln -s "$T/real" "$T/link"
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/link]"
	run pid1_mnt -c "$T/tmpinit.ini" -- sh -c "grep -c ' $T/real ' /proc/self/mountinfo; echo app ran"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"a component is a symlink"* ]]
	[[ "$output" != *"app ran"* ]]
}

@test "tmpfs: without CAP_SYS_ADMIN the error names both fixes" {
	need_cmd capsh
	ini "[rootfs]" "read_only = ignore" "[tmpfs $T/m]"
	run unshare --mount --propagation private --pid --fork --mount-proc \
		capsh --drop=cap_sys_admin -- -c "exec '$TMPINIT' -c '$T/tmpinit.ini' -- sh -c 'echo app ran'"
	echo "$output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"Operation not permitted (hint: let the runtime provide it: docker/podman run --tmpfs $T/m:size=64m,mode=1777"* ]]
	[[ "$output" == *"emptyDir {medium: Memory}"* ]]
	[[ "$output" == *"or grant CAP_SYS_ADMIN"* ]]
	[[ "$output" != *"app ran"* ]]
}

# A root filesystem for the root policy tests: busybox, tmpinit, the ini.
make_root() {
	need_cmd busybox
	R=$T/root
	mkdir -p "$R/bin" "$R/etc" "$R/proc"
	cp "$(command -v busybox)" "$R/bin/busybox"
	ln -sfn busybox "$R/bin/sh"
	cp "$TMPINIT" "$R/tmpinit"
	printf '%s\n' "$@" >"$R/etc/tmpinit.ini"
}

# in_root OPTS: / = a bind mount of $R with OPTS (e.g. "ro"), in a private mount namespace.
in_root() {
	local opts=$1
	shift
	unshare --mount --propagation private sh -c "mount --bind '$R' '$R' &&
		mount -o remount,bind,nosuid${opts:+,$opts} '$R' &&
		unshare --pid --fork --root='$R' /tmpinit -v -c /etc/tmpinit.ini -- /bin/sh -c '$*'
		echo exit=\$?
		grep ' $R ' /proc/self/mountinfo"
}

@test "rootfs: require refuses a writable root and accepts a read-only one" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	make_root "[rootfs]" "read_only = require"
	run in_root "" "echo app ran"
	echo "$output"
	[[ "$output" == *"the root filesystem is writable and [rootfs] read_only = require (hint: docker/podman run --read-only, Kubernetes securityContext.readOnlyRootFilesystem: true"* ]]
	[[ "$output" == *"exit=125"* ]]
	[[ "$output" != *"app ran"* ]]

	run in_root ro "echo app ran"
	echo "$output"
	[[ "$output" == *"app ran"* ]]
	[[ "$output" == *"exit=0"* ]]
}

@test "rootfs: remount makes the root read-only and keeps nosuid" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	make_root "[rootfs]" "read_only = remount"
	run in_root "" "touch /x && echo writable || echo read-only"
	echo "$output"
	[[ "$output" == *'remounted "/" read-only'* ]]
	[[ "$output" == *"read-only"* && "$output" != *"writable"* ]]
	[[ "$output" == *"exit=0"* ]]
	[[ "$output" == *" $R ro,nosuid,"* ]]
	[ ! -e "$R/x" ]
	# negative control: ignore leaves it writable
	make_root "[rootfs]" "read_only = ignore"
	run in_root "" "touch /x && echo writable || echo read-only"
	echo "$output"
	[[ "$output" == *"writable"* ]]
}
