#!/usr/bin/env bats
# The app runs with less: [user], [capabilities], no_new_privs, [seccomp] (issue 4).
# tmpinit runs as PID 1 of fresh namespaces; the app is the static privprobe helper (one
# syscall per argument, "WHAT: ok" or "WHAT: ERRNO") or busybox. Every positive test has a
# negative control showing the same probe sees the other answer without the restriction.

load common
bats_require_minimum_version 1.5.0

PROBE="$HELPERS/privprobe"
SIGSYS_EXIT=159 # 128 + SIGSYS: what tmpinit exits with when the filter kills the app

setup() {
	need_root
	[ -x "$PROBE" ] || skip "build the helpers first (make helpers)"
	# a directory every user can reach (bats' own tmpdir is 0700 root)
	WORK=$(mktemp -d /tmp/tmpinit-privs.XXXXXX)
	chmod 755 "$WORK"
	CFG="$WORK/t.ini"
	MARKER="$WORK/marker"
}

teardown() {
	[ -z "${WORK:-}" ] || rm -rf "$WORK"
}

# Write the config from stdin, after a [rootfs] section that lets the tests run on a
# writable root.
cfg() {
	{
		printf '[rootfs]\nread_only = ignore\n\n'
		cat
	} >"$CFG"
}

# tmpinit as PID 1 with the test config; stderr kept separate for the failure tests.
run_app() {
	run --separate-stderr unshare --pid --fork --mount-proc "$TMPINIT" -c "$CFG" -- "$@"
}

# tmpinit as PID 1 under WRAPPER... (setpriv, noseccomp, an outer tmpinit), with an app
# that only leaves the marker file: for the fail-closed tests.
run_marker_under() {
	run --separate-stderr unshare --pid --fork --mount-proc "$@" "$TMPINIT" -c "$CFG" -- busybox touch "$MARKER"
}

# Same in a fresh network namespace (for binding port 80).
run_app_net() {
	run --separate-stderr unshare --net --pid --fork --mount-proc "$TMPINIT" -c "$CFG" -- "$@"
}

status_line() { # KEY: print the tab-separated value of KEY from the app's status in $output
	printf '%s\n' "$output" | awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ +/, ""); print; exit }'
}

@test "privs: /proc/self/status shows the configured ids, capability sets, NoNewPrivs and Seccomp" {
	cfg <<-EOF
	[user]
	user = nobody
	group = nogroup
	groups = nogroup, 4242
	[capabilities]
	keep = NET_BIND_SERVICE, cap_chown
	[seccomp]
	EOF
	run_app cat /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(status_line Uid)" = "65534 65534 65534 65534" ]
	[ "$(status_line Gid)" = "65534 65534 65534 65534" ]
	[ "$(status_line Groups)" = "4242 65534" ]
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status_line $set)" = "0000000000000401" ] # cap_chown (0) + cap_net_bind_service (10)
	done
	[ "$(status_line NoNewPrivs)" = "1" ]
	[ "$(status_line Seccomp)" = "2" ]

	# negative control: without the config the same app is root with the full sets
	run --separate-stderr unshare --pid --fork --mount-proc "$TMPINIT" -- cat /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(status_line Uid)" = "0 0 0 0" ]
	[ "$(status_line CapBnd)" != "0000000000000401" ]
	[ "$(status_line NoNewPrivs)" = "0" ]
	[ "$(status_line Seccomp)" = "0" ]
}

@test "privs: user = nobody with keep = NET_BIND_SERVICE binds port 80; without keep EACCES" {
	need_cmd unshare
	cfg <<-EOF
	[user]
	user = nobody
	[capabilities]
	keep = NET_BIND_SERVICE
	EOF
	run_app_net "$PROBE" ids bind:80
	[ "$status" -eq 0 ]
	[[ "$output" == *"ids: uid=65534 euid=65534"* ]]
	[[ "$output" == *"bind:80: ok"* ]]

	cfg <<-EOF
	[user]
	user = nobody
	EOF
	run_app_net "$PROBE" ids bind:80
	[ "$status" -eq 0 ]
	[[ "$output" == *"ids: uid=65534 euid=65534"* ]]
	[[ "$output" == *"bind:80: EACCES"* ]]
}

@test "privs: a denied syscall returns the configured errno, an allowed one works" {
	cfg <<-EOF
	[seccomp]
	profile = none
	deny = getppid
	errno = EHWPOISON
	EOF
	run_app "$PROBE" sys:getpid sys:getppid sys:chdir
	[ "$status" -eq 0 ]
	[[ "$output" == *"getpid: ok"* ]]
	[[ "$output" == *"getppid: EHWPOISON"* ]]
	[[ "$output" == *"chdir: ok"* ]]

	# negative control: the same probe without the deny
	cfg <<-EOF
	[seccomp]
	profile = none
	deny = chdir
	EOF
	run_app "$PROBE" sys:getppid sys:chdir
	[[ "$output" == *"getppid: ok"* ]]
	[[ "$output" == *"chdir: EPERM"* ]] # errno defaults to EPERM
}

@test "privs: action = kill kills the app with SIGSYS; action = log lets the call through" {
	cfg <<-EOF
	[seccomp]
	profile = none
	deny = getppid
	action = kill
	EOF
	run_app "$PROBE" sys:getpid sys:getppid sys:chdir
	[ "$status" -eq "$SIGSYS_EXIT" ]
	[[ "$output" == *"getpid: ok"* ]]
	[[ "$output" != *"getppid"* ]]
	[[ "$output" != *"chdir"* ]]

	cfg <<-EOF
	[seccomp]
	profile = none
	deny = getppid
	action = log
	EOF
	run_app "$PROBE" sys:getppid
	[ "$status" -eq 0 ]
	[[ "$output" == *"getppid: ok"* ]]
}

@test "privs: mode = allowlist permits only the allow list" {
	cfg <<-EOF
	[seccomp]
	mode = allowlist
	errno = EHWPOISON
	allow = write mprotect brk getpid readlink arch_prctl set_tid_address
	allow = newfstatat set_robust_list prlimit64 getrandom rseq
	EOF
	run_app "$PROBE" sys:getpid sys:getppid sys:clone3
	[ "$status" -eq 0 ]
	[[ "$output" == *"getpid: ok"* ]]
	[[ "$output" == *"getppid: EHWPOISON"* ]]
	[[ "$output" == *"clone3: ENOSYS"* ]] # left out of the allow list: ENOSYS, not the errno
}

@test "privs: default profile: clone3 ENOSYS, threads, fork and busybox sh work, namespaces and mounts denied" {
	need_cmd busybox
	cfg <<-EOF
	[seccomp]
	profile = default
	EOF
	run_app "$PROBE" sys:clone3 thread fork sys:getpid sys:unshare0 clone-newns sys:mount sys:keyctl sys:bpf
	[ "$status" -eq 0 ]
	[[ "$output" == *"clone3: ENOSYS"* ]]
	[[ "$output" == *"thread: ok"* ]]
	[[ "$output" == *"fork: ok"* ]]
	[[ "$output" == *"getpid: ok"* ]]
	[[ "$output" == *"unshare0: EPERM"* ]]
	[[ "$output" == *"clone-newns: EPERM"* ]]
	[[ "$output" == *"mount: EPERM"* ]]
	[[ "$output" == *"keyctl: EPERM"* ]]
	[[ "$output" == *"bpf: EPERM"* ]]
	run_app busybox sh -c 'echo "$(echo nested) shell"; busybox true && echo pipes | busybox cat'
	[ "$status" -eq 0 ]
	[[ "$output" == *"nested shell"* ]]
	[[ "$output" == *"pipes"* ]]

	# negative control: without [seccomp] the kernel answers (clone3 with NULL args: EINVAL)
	cfg </dev/null
	run_app "$PROBE" sys:clone3 sys:unshare0 clone-newns
	[[ "$output" == *"clone3: EINVAL"* ]]
	[[ "$output" == *"unshare0: ok"* ]]
	[[ "$output" == *"clone-newns: ok"* ]]
}

@test "privs: foreign-architecture syscalls (i386 int 0x80, x32 numbers) kill the probe" {
	cfg <<-EOF
	[seccomp]
	EOF
	run_app "$PROBE" sys:getpid i386
	[ "$status" -eq "$SIGSYS_EXIT" ]
	[[ "$output" == *"getpid: ok"* ]]
	[[ "$output" != *"i386:"* ]]
	run_app "$PROBE" sys:getpid x32
	[ "$status" -eq "$SIGSYS_EXIT" ]
	[[ "$output" != *"x32:"* ]]

	# negative control: unfiltered, the i386 entry answers and x32 says ENOSYS (no x32 ABI)
	# or ok (x32 ABI built in)
	cfg </dev/null
	run_app "$PROBE" i386 x32
	[ "$status" -eq 0 ]
	[[ "$output" == *"i386: ok"* ]]
	[[ "$output" == *"x32: "* ]]
}

@test "privs: a -m32 build of the probe is killed at its first syscall" {
	[ -x "$HELPERS/privprobe-m32" ] || skip "no -m32 toolchain (gcc-multilib, libc6-dev-i386): privprobe-m32 not built"
	"$HELPERS/privprobe-m32" sys:getpid >/dev/null 2>&1 || skip "this kernel cannot run i386 programs (CONFIG_IA32_EMULATION)"
	cfg <<-EOF
	[seccomp]
	EOF
	run_app "$HELPERS/privprobe-m32" sys:getpid
	[ "$status" -eq "$SIGSYS_EXIT" ]
	[ -z "$output" ]
	cfg </dev/null
	run_app "$HELPERS/privprobe-m32" sys:getpid
	[ "$status" -eq 0 ]
	[[ "$output" == *"getpid: ok"* ]]
}

@test "privs: a -mx32 build of the probe is killed at its first syscall" {
	[ -x "$HELPERS/privprobe-mx32" ] || skip "no -mx32 toolchain (gcc-multilib, libc6-dev-x32): privprobe-mx32 not built"
	"$HELPERS/privprobe-mx32" sys:getpid >/dev/null 2>&1 ||
		skip "this kernel cannot run x32 programs (CONFIG_X86_X32_ABI off); x32 syscall numbers are covered by the 64-bit probe"
	cfg <<-EOF
	[seccomp]
	EOF
	run_app "$HELPERS/privprobe-mx32" sys:getpid
	[ "$status" -eq "$SIGSYS_EXIT" ]
}

@test "privs: the app cannot ptrace PID 1 nor read /proc/1/environ or /proc/1/mem" {
	# a uid-0 app without capabilities, and no seccomp: the kernel's own checks hold
	cfg <<-EOF
	[capabilities]
	keep = none
	EOF
	run_app "$PROBE" ptrace1 read:/proc/1/environ read:/proc/1/mem
	[ "$status" -eq 0 ]
	[[ "$output" == *"ptrace1: EPERM"* ]]
	[[ "$output" == *"read:/proc/1/environ: EACCES"* ]]
	[[ "$output" == *"read:/proc/1/mem: EACCES"* ]]
	# a non-root app under the default profile
	cfg <<-EOF
	[user]
	user = nobody
	[seccomp]
	EOF
	run_app "$PROBE" ptrace1 read:/proc/1/environ read:/proc/1/mem
	[[ "$output" == *"ptrace1: EPERM"* ]]
	[[ "$output" == *"read:/proc/1/environ: EACCES"* ]]
	[[ "$output" == *"read:/proc/1/mem: EACCES"* ]]

	# negative control: an unrestricted root app (CAP_SYS_PTRACE) seizes PID 1, reads its
	# environment and opens its memory (reading offset 0, never mapped, gives EIO)
	cfg </dev/null
	run_app "$PROBE" ptrace1 read:/proc/1/environ read:/proc/1/mem
	[[ "$output" == *"ptrace1: ok"* ]]
	[[ "$output" == *"read:/proc/1/environ: ok"* ]]
	[[ "$output" == *"read:/proc/1/mem: EIO"* ]]
}

@test "privs: a uid-0 app with restricted capabilities gets the securebits locked" {
	need_cmd setpriv
	cfg <<-EOF
	[capabilities]
	keep = NET_BIND_SERVICE
	EOF
	run_app setpriv -d
	[ "$status" -eq 0 ]
	[[ "$output" == *"Securebits: noroot,noroot_locked,no_setuid_fixup,no_setuid_fixup_locked,keep_caps_locked"* ]]
	# negative control: with keep = all nothing is restricted and no bit is set
	cfg <<-EOF
	[capabilities]
	keep = all
	EOF
	run_app setpriv -d
	[ "$status" -eq 0 ]
	[[ "$output" == *"Securebits: [none]"* ]]
}

@test "privs: a setuid-root binary does not give the app root or capabilities back" {
	cp "$PROBE" "$WORK/suid"
	chown 0:0 "$WORK/suid"
	chmod 4755 "$WORK/suid"
	cfg <<-EOF
	[user]
	user = nobody
	[capabilities]
	keep = none
	EOF
	run_app "$WORK/suid" ids
	[ "$status" -eq 0 ]
	[[ "$output" == *"ids: uid=65534 euid=65534 prm=0000000000000000 eff=0000000000000000"* ]]

	# negative control: without no_new_privs the setuid bit works (euid 0) on this
	# filesystem, yet the emptied bounding set still leaves no capability
	cfg <<-EOF
	[user]
	user = nobody
	[capabilities]
	keep = none
	no_new_privs = no
	EOF
	run_app "$WORK/suid" ids
	[ "$status" -eq 0 ]
	[[ "$output" == *"ids: uid=65534 euid=0 prm=0000000000000000 eff=0000000000000000"* ]]
}

@test "privs: file capabilities do not give the app a dropped capability" {
	need_cmd setcap
	need_cmd setpriv
	cp "$PROBE" "$WORK/fcap-p"
	setcap cap_net_bind_service+p "$WORK/fcap-p"
	cp "$PROBE" "$WORK/fcap-ep"
	setcap cap_net_bind_service+ep "$WORK/fcap-ep"
	cfg <<-EOF
	[user]
	user = nobody
	[capabilities]
	keep = none
	EOF
	# a capability-aware binary (+p) runs and gets nothing
	run_app "$WORK/fcap-p" ids
	[ "$status" -eq 0 ]
	[[ "$output" == *"ids: uid=65534 euid=65534 prm=0000000000000000 eff=0000000000000000"* ]]
	# a capability-dumb one (+ep) is refused by the kernel rather than run without it
	run_app_net "$WORK/fcap-ep" bind:80
	[ "$status" -eq 126 ]
	[[ "$stderr" == *"Operation not permitted"* ]]
	[[ "$output" != *"bind:80: ok"* ]]

	# negative control: the same files, run as nobody without tmpinit, get the capability
	run unshare --net setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/fcap-p" ids
	[[ "$output" == *"prm=0000000000000400"* ]]
	run unshare --net setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/fcap-ep" bind:80
	[[ "$output" == *"bind:80: ok"* ]]
}

# Failure paths: exit 125, a message, and the app never ran (its marker is absent).
expect_refused() { # PATTERN: stderr must contain it
	[ "$status" -eq 125 ]
	[ ! -e "$MARKER" ]
	[[ "$stderr" == *"$1"* ]]
}

@test "privs: unknown user: exit 125 with FILE:LINE, app never ran" {
	cfg <<-EOF
	[user]
	user = no_such_user_tmpinit
	EOF
	run_marker_under
	expect_refused "$CFG:5: [user] user: no user \"no_such_user_tmpinit\""
	run --separate-stderr "$TMPINIT" -c "$CFG" --check
	[ "$status" -eq 125 ]
}

@test "privs: unknown capability and unknown syscall: exit 125 with FILE:LINE, app never ran" {
	cfg <<-EOF
	[capabilities]
	keep = NET_BIND_SERVICE, CAP_TELEPORT
	EOF
	run_marker_under
	expect_refused "$CFG:5: [capabilities] keep: unknown capability \"CAP_TELEPORT\""
	cfg <<-EOF
	[seccomp]
	deny = ptrace
	deny = mount, teleport
	EOF
	run_marker_under
	expect_refused "$CFG:6: [seccomp] deny: unknown syscall \"teleport\""
	# negative control: the valid config runs the app
	cfg <<-EOF
	[seccomp]
	deny = ptrace
	EOF
	run_marker_under
	[ "$status" -eq 0 ]
	[ -e "$MARKER" ]
}

@test "privs: filter load refused: exit 125, app never ran" {
	[ -x "$HELPERS/noseccomp" ] || skip "build the helpers first (make helpers)"
	cfg <<-EOF
	[seccomp]
	EOF
	# the kernel refuses the load in the child (a filter above refuses SECCOMP_SET_MODE_FILTER)
	run_marker_under "$HELPERS/noseccomp"
	expect_refused "load the seccomp filter: Operation not permitted"
	# seccomp(2) blocked altogether (an outer tmpinit denies it): caught in the parent
	cat >"$WORK/outer.ini" <<-EOF
	[rootfs]
	read_only = ignore
	[seccomp]
	profile = none
	deny = seccomp
	EOF
	run_marker_under "$TMPINIT" -c "$WORK/outer.ini" --
	expect_refused "seccomp"

	# negative control: without [seccomp] the app runs under both
	cfg </dev/null
	run_marker_under "$HELPERS/noseccomp"
	[ "$status" -eq 0 ]
	[ -e "$MARKER" ]
	rm "$MARKER"
	run_marker_under "$TMPINIT" -c "$WORK/outer.ini" --
	[ "$status" -eq 0 ]
	[ -e "$MARKER" ]
}

@test "privs: setuid refused, or a kept capability tmpinit lacks: exit 125, app never ran" {
	need_cmd setpriv
	cfg <<-EOF
	[user]
	user = nobody
	EOF
	run_marker_under setpriv --bounding-set=-setuid
	expect_refused "setresuid(65534) for the app ([user] user): Operation not permitted"

	cfg <<-EOF
	[capabilities]
	keep = NET_BIND_SERVICE
	EOF
	run_marker_under setpriv --bounding-set=-net_bind_service
	expect_refused "keep cap_net_bind_service ([capabilities] keep): tmpinit does not have it"

	# negative control: with CAP_SETUID the same config starts the app
	cfg <<-EOF
	[user]
	user = nobody
	EOF
	chmod 777 "$WORK"
	run_marker_under
	[ "$status" -eq 0 ]
	[ -e "$MARKER" ]
}

@test "privs: unprivileged tmpinit: satisfied steps pass, impossible ones fail closed" {
	need_cmd setpriv
	cfg <<-EOF
	[user]
	user = nobody
	[capabilities]
	keep = none
	[seccomp]
	EOF
	chmod 644 "$CFG"
	# as nobody with no capabilities and an empty bounding set, like Kubernetes "restricted"
	UNPRIV=(setpriv --reuid=65534 --regid=65534 --groups=65534 --inh-caps=-all --bounding-set=-all)
	run --separate-stderr unshare --pid --fork --mount-proc "${UNPRIV[@]}" "$TMPINIT" -c "$CFG" -- cat /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(status_line Uid)" = "65534 65534 65534 65534" ]
	[ "$(status_line NoNewPrivs)" = "1" ]
	[ "$(status_line Seccomp)" = "2" ]

	cfg <<-EOF
	[user]
	user = root
	EOF
	chmod 644 "$CFG"
	run_marker_under "${UNPRIV[@]}"
	expect_refused "Operation not permitted"
}

@test "privs: users and groups resolve in a root that holds only /etc/passwd and /etc/group" {
	need_static "runs tmpinit in a root without the sanitizer runtime"
	need_cmd busybox
	local root="$WORK/root"
	mkdir -p "$root/etc" "$root/bin" "$root/proc" "$root/home/app"
	cp "$TMPINIT" "$root/tmpinit"
	cp "$(command -v busybox)" "$root/bin/busybox"
	printf 'root:x:0:0::/root:/bin/sh\ntmpinit_app:x:4242:4343::/home/app:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\nappgrp:x:4343:\nextra:x:5555:tmpinit_app\nother:x:6666:someone\n' >"$root/etc/group"
	printf '[rootfs]\nread_only = ignore\n[user]\nuser = tmpinit_app\n' >"$root/t.ini"
	[ ! -e "$root/etc/nsswitch.conf" ]
	run --separate-stderr unshare --mount --pid --fork --mount-proc sh -c \
		"mount -t proc proc '$root/proc' && exec chroot '$root' /tmpinit -c /t.ini -- /bin/busybox sh -c \
		'echo \$(/bin/busybox id -u) \$(/bin/busybox id -g) \$(/bin/busybox id -G) \$HOME \$USER \$LOGNAME'"
	[ "$status" -eq 0 ]
	[ "$output" = "4242 4343 4343 5555 /home/app tmpinit_app tmpinit_app" ]

	# negative control: the host's /etc/passwd has no such user
	cp "$root/t.ini" "$CFG"
	run_app true
	[ "$status" -eq 125 ]
	[[ "$stderr" == *"no user \"tmpinit_app\""* ]]
}

@test "privs: --check prints the app's ids, capability sets, no_new_privs and the filter" {
	cfg <<-EOF
	[user]
	user = nobody
	[capabilities]
	keep = net_bind_service
	[seccomp]
	deny = getppid
	allow = ptrace
	EOF
	run --separate-stderr "$TMPINIT" -c "$CFG" --check
	[ "$status" -eq 0 ]
	[[ "$output" == *"app user: uid=65534(nobody) gid=65534 groups=65534"* ]]
	[[ "$output" == *"ambient = cap_net_bind_service"* ]]
	[[ "$output" == *"app no_new_privs: yes"* ]]
	[[ "$output" == *"seccomp: mode denylist, profile default, action errno(EPERM)"* ]]
	[[ "$output" == *" getppid"* ]]
	[[ "$output" == *"clone3(ENOSYS)"* ]]
	[[ "$output" != *" ptrace "* ]]
	[[ "$output" == *"other architectures"* ]]
}

@test "privs: tmpinit keeps only kill, dac_override, fowner and linux_immutable while the app runs" {
	need_cmd busybox
	cfg </dev/null
	# PID 1 shrinks right after the app's execve; the app polls until it sees that happen
	run_app busybox sh -c 'for i in $(busybox seq 200); do
		busybox grep -q "^CapEff:.*22a$" /proc/1/status && break; busybox sleep 0.05; done
		busybox grep -E "^Cap(Prm|Eff|Bnd|Amb|Inh)" /proc/1/status; busybox grep -E "^CapEff" /proc/self/status'
	[ "$status" -eq 0 ]
	# dac_override (1), fowner (3), kill (5), linux_immutable (9); no sys_admin: nothing mounted
	[ "$(status_line CapPrm)" = "000000000000022a" ]
	[ "$(status_line CapBnd)" = "000000000000022a" ]
	[ "$(status_line CapAmb)" = "0000000000000000" ]
	[ "$(status_line CapInh)" = "0000000000000000" ]
	# negative control: the app itself (unrestricted) still has far more than that
	[ "$(printf '%s\n' "$output" | awk '$1 == "CapEff:" { v = $2 } END { print v }')" != "000000000000022a" ]
}

@test "privs: with [tmpfs] paths and no [capabilities] the app loses only cap_sys_admin" {
	mkdir "$WORK/scratch"
	admin_bit() { # prints 1 when bit 21 (cap_sys_admin) is set in the app's CapBnd and CapEff
		local b e
		b=$(status_line CapBnd) e=$(status_line CapEff)
		echo $(((0x$b >> 21) & (0x$e >> 21) & 1))
	}
	cfg <<-EOF
	[tmpfs $WORK/scratch]
	size = 1m
	EOF
	run --separate-stderr unshare --mount --propagation private --pid --fork --mount-proc "$TMPINIT" -c "$CFG" -- \
		sh -c "grep Cap /proc/self/status; umount $WORK/scratch && echo umount: ok; true"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(admin_bit)" = 0 ]
	[ "$(status_line CapAmb)" = 0000000000000000 ]
	[[ "$output" != *"umount: ok"* ]]
	# everything else stays: tmpinit's own set less bit 21
	mine=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
	[ "$(printf '%016x' $((0x$mine & ~(1 << 21))))" = "$(status_line CapEff)" ]
	# negative controls: keep = all gives it back; without a [tmpfs] path nothing changes
	cat >>"$CFG" <<-EOF
	[capabilities]
	keep = all
	EOF
	run --separate-stderr unshare --mount --propagation private --pid --fork --mount-proc "$TMPINIT" -c "$CFG" -- grep Cap /proc/self/status
	[ "$(admin_bit)" = 1 ]
	run "$TMPINIT" --check -c "$CFG"
	[[ "$output" == *"risk: with cap_sys_admin the app can unmount or cover a scratch tmpfs"* ]]
	cfg </dev/null
	run_app grep Cap /proc/self/status
	[ "$(admin_bit)" = 1 ]
}
