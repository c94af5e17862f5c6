/* filter.c - the app's seccomp filter through libseccomp.
 * Builds in the parent and exports plain BPF, so the child runs no libseccomp code and no
 * allocation after the filter: it loads the program with one seccomp(2) call right before
 * execve. Only the native architecture is in the filter: a syscall of any other ABI
 * (i386 via int 0x80, x32 numbers with __X32_SYSCALL_BIT) meets the bad-arch action,
 * KILL_PROCESS, so it can never go around a rule written for x86_64 numbers. */
#include "filter.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define FILTER_MAX_NR 1024 /* above every native syscall number; x32 bit numbers never get here */

/* The default profile: denied on top of the runtime's own profile. The man page
 * (tmpinit.ini(5), [seccomp]) carries the same reasons at more length. */
static const char *const default_deny[] = {
	/* remounting or unmounting the scratch tmpfs (exec, larger, off) or hiding files */
	"mount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
	"open_tree_attr", "mount_setattr", "pivot_root", "chroot",
	/* new namespaces: a user namespace hands the app every capability over new mounts and
	 * exposes kernel code meant for root; clone3 keeps its flags in memory where seccomp
	 * cannot look, so it goes (ENOSYS: glibc falls back to clone, whose flags are checked) */
	"unshare", "setns", "clone3",
	/* reading or steering other processes, PID 1 included (it holds the tmpfs) */
	"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
	/* big kernel attack surface that containers do not need: eBPF, perf, userfaultfd (used
	 * to win races in exploits), io_uring (its operations bypass seccomp entirely) */
	"bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
	/* the kernel keyring is not namespaced: keys of other containers and the host */
	"keyctl", "add_key", "request_key",
	/* host-wide and never a container's business */
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
	/* swap would write tmpfs pages to disk */
	"swapon", "swapoff",
	/* open any file of the filesystem by handle ("shocker" container escape) */
	"open_by_handle_at",
};

/* Syscalls that glibc or musl try first and fall back from when the kernel says ENOSYS.
 * EPERM would be taken as a real answer: threads fail to start (clone3), `test -x` lies
 * (faccessat2). Denied ones therefore get ENOSYS whatever the action, except log. */
static const char *const fallback_enosys[] = {
	"clone3", "faccessat2", "fchmodat2", "close_range", "statx", "openat2", "epoll_pwait2",
};

/* Syscalls newer than the libseccomp we link (2.5.4 knows up to 456). From 424 on the
 * numbers are the same on x86_64, aarch64 and the other generic-table architectures. */
static const struct {
	const char *name;
	int nr;
} newer[] = {
	{ "statmount", 457 },	     { "listmount", 458 },	 { "lsm_get_self_attr", 459 },
	{ "lsm_set_self_attr", 460 }, { "lsm_list_modules", 461 }, { "mseal", 462 },
	{ "setxattrat", 463 },	     { "getxattrat", 464 },	 { "listxattrat", 465 },
	{ "removexattrat", 466 },    { "open_tree_attr", 467 },	 { "file_getattr", 468 },
	{ "file_setattr", 469 },
};

int filter_resolve(const char *name, int *nr)
{
	int n = seccomp_syscall_resolve_name(name);

	if (n >= 0 && n < FILTER_MAX_NR) {
		*nr = n;
		return 0;
	}
#if defined(__x86_64__) || defined(__aarch64__) || defined(__riscv)
	for (size_t i = 0; i < ARRAY_SIZE(newer); i++)
		if (strcmp(newer[i].name, name) == 0) {
			*nr = newer[i].nr;
			return 0;
		}
#endif
	/* libseccomp answers other architectures' syscalls with a negative pseudo number */
	return n == __NR_SCMP_ERROR ? -ENOENT : -ENOSYS;
}

const char *filter_name(int nr)
{
	static char buf[32];
	char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

	if (s) {
		snprintf(buf, sizeof(buf), "%s", s);
		free(s);
		return buf;
	}
	for (size_t i = 0; i < ARRAY_SIZE(newer); i++)
		if (newer[i].nr == nr)
			return newer[i].name;
	return NULL;
}

static void filter_fallbacks(bool *fb)
{
	int nr;

	for (size_t i = 0; i < ARRAY_SIZE(fallback_enosys); i++)
		if (filter_resolve(fallback_enosys[i], &nr) == 0)
			fb[nr] = true;
}

static void ctx_release(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

static uint32_t filter_action(const struct privs_config *pc)
{
	switch (pc->seccomp_action) {
	case SECCOMP_ACT_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case SECCOMP_ACT_LOG:
		return SCMP_ACT_LOG;
	default:
		return SCMP_ACT_ERRNO((uint32_t)pc->seccomp_errno);
	}
}

/* Mark the syscalls the rules name in SET; returns the count. */
static size_t filter_select(const struct privs_config *pc, bool *set)
{
	size_t n = 0;
	int nr;

	if (pc->seccomp_mode == SECCOMP_MODE_ALLOWLIST) {
		static const char *const always[] = { "execve", "exit", "exit_group" };

		/* tmpinit's child must still execve the app, and exit when that fails */
		for (size_t i = 0; i < ARRAY_SIZE(always); i++)
			if (filter_resolve(always[i], &nr) == 0)
				set[nr] = true;
		for (size_t i = 0; i < pc->nallow; i++)
			set[pc->allow[i].nr] = true;
	} else {
		if (pc->seccomp_profile == SECCOMP_PROFILE_DEFAULT)
			for (size_t i = 0; i < ARRAY_SIZE(default_deny); i++)
				if (filter_resolve(default_deny[i], &nr) == 0)
					set[nr] = true;
		for (size_t i = 0; i < pc->ndeny; i++)
			set[pc->deny[i].nr] = true;
		for (size_t i = 0; i < pc->nallow; i++)
			set[pc->allow[i].nr] = false;
	}
	for (int i = 0; i < FILTER_MAX_NR; i++)
		n += set[i];
	return n;
}

static int filter_rule(scmp_filter_ctx ctx, uint32_t act, int nr, unsigned argc, const struct scmp_arg_cmp *arg)
{
	int r = seccomp_rule_add_array(ctx, act, nr, argc, arg);

	if (r < 0 && r != -EEXIST) {
		const char *name = filter_name(nr);

		log_error("add a seccomp rule for %s (%d): %s", name ? name : "?", nr, strerror(-r));
		return r;
	}
	return 0;
}

/* Denylist: clone(2) with a namespace flag is the same as unshare, so it goes with unshare.
 * One rule per flag because seccomp compares, it cannot test "any of these bits". */
static int filter_clone_ns(scmp_filter_ctx ctx, uint32_t act)
{
	static const uint64_t flags[] = { CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
					  CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWCGROUP };
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, flags[i], flags[i]);

		r = filter_rule(ctx, act, SCMP_SYS(clone), 1, &a);
		if (r < 0)
			return r;
	}
	return 0;
}

static int filter_export(scmp_filter_ctx ctx, struct filter_prog *prog)
{
	cleanup_close int fd = memfd_create("tmpinit-seccomp", MFD_CLOEXEC);
	struct stat st;
	ssize_t got;
	int r, err;

	if (fd < 0) {
		err = errno;
		log_error("create a memfd for the seccomp filter: %s", strerror(err));
		return -err;
	}
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0) {
		log_error("generate the seccomp filter: %s", strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		err = errno;
		log_error("read back the seccomp filter: %s", strerror(err));
		return -err;
	}
	if (st.st_size <= 0 || st.st_size % (off_t)sizeof(struct sock_filter) ||
	    st.st_size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
		log_error("the seccomp filter has %lld bytes; the kernel takes at most %d instructions "
			  "(hint: shorten [seccomp] allow or deny)",
			  (long long)st.st_size, BPF_MAXINSNS);
		return -E2BIG;
	}
	prog->insns = malloc((size_t)st.st_size);
	if (!prog->insns)
		return -ENOMEM;
	do
		got = pread(fd, prog->insns, (size_t)st.st_size, 0);
	while (got < 0 && errno == EINTR);
	if (got != st.st_size) {
		log_error("read back the seccomp filter: short read");
		return -EIO;
	}
	prog->len = (size_t)st.st_size / sizeof(struct sock_filter);
	return 0;
}

int filter_build(const struct privs_config *pc, const char *file, struct filter_prog *prog)
{
	__attribute__((cleanup(ctx_release))) scmp_filter_ctx ctx = NULL;
	bool set[FILTER_MAX_NR] = { false }, fb[FILTER_MAX_NR] = { false };
	bool allowlist = pc->seccomp_mode == SECCOMP_MODE_ALLOWLIST;
	uint32_t act = filter_action(pc);
	bool log_only = pc->seccomp_action == SECCOMP_ACT_LOG;
	int nr, r;
	size_t n;

	memset(prog, 0, sizeof(*prog));
	if (!pc->seccomp_set)
		return 0;
	if (allowlist && pc->ndeny) {
		log_error("%s:%u: [seccomp] deny: not used with mode = allowlist (expected the permitted syscalls in allow)",
			  file, pc->deny[0].line);
		return -EINVAL;
	}
	n = filter_select(pc, set);
	if (!allowlist && n == 0)
		return 0; /* profile = none and nothing denied: no filter at all */
	if (prctl(PR_GET_SECCOMP) < 0 && errno == EINVAL) {
		log_error("[seccomp]: this kernel has no seccomp (hint: CONFIG_SECCOMP_FILTER; or remove [seccomp])");
		return -ENOSYS;
	}

	/* allowlist: everything not named gets the action; denylist: everything not named runs */
	ctx = seccomp_init(allowlist ? act : SCMP_ACT_ALLOW);
	if (!ctx) {
		log_error("initialise the seccomp filter: out of memory");
		return -ENOMEM;
	}
	/* Kill, do not just fail, a syscall of a foreign ABI: the rules above are x86_64 numbers. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) {
		/* libseccomp asks the kernel whether KILL_PROCESS exists with seccomp(2) itself */
		log_error("set the seccomp bad-architecture action to kill the process: %s (hint: the kernel needs "
			  "Linux 4.14+, and the runtime's own profile must allow seccomp(2); or remove [seccomp])",
			  strerror(-r));
		return r;
	}
	prog->nrs = calloc(n + ARRAY_SIZE(fallback_enosys), sizeof(*prog->nrs));
	prog->enosys = calloc(n + ARRAY_SIZE(fallback_enosys), sizeof(*prog->enosys));
	if (!prog->nrs || !prog->enosys)
		return -ENOMEM;
	filter_fallbacks(fb);
	for (nr = 0; nr < FILTER_MAX_NR; nr++) {
		bool enosys = !log_only && fb[nr];
		uint32_t a;

		if (allowlist) {
			/* a fallback syscall left out of the allow list says ENOSYS, not the action */
			if (!set[nr] && !enosys)
				continue;
			a = set[nr] ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(ENOSYS);
			enosys = !set[nr];
		} else {
			if (!set[nr])
				continue;
			a = enosys ? SCMP_ACT_ERRNO(ENOSYS) : act;
		}
		r = filter_rule(ctx, a, nr, 0, NULL);
		if (r < 0)
			return r;
		prog->nrs[prog->n] = nr;
		prog->enosys[prog->n++] = enosys;
	}
	if (!allowlist && filter_resolve("unshare", &nr) == 0 && set[nr] && filter_resolve("clone", &nr) == 0 &&
	    !set[nr]) {
		bool clone_allowed = false;

		for (size_t i = 0; i < pc->nallow; i++)
			clone_allowed |= pc->allow[i].nr == nr;
		if (!clone_allowed) {
			r = filter_clone_ns(ctx, act);
			if (r < 0)
				return r;
			prog->clone_ns = true;
		}
	}
	return filter_export(ctx, prog);
}

int filter_load(const struct filter_prog *prog)
{
	struct sock_fprog fp = { .len = (unsigned short)prog->len, .filter = prog->insns };
	int r, err;

	if (!prog->len)
		return 0;
	r = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
	if (r < 0 && errno == ENOSYS)
		r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp); /* kernels before 3.17 */
	if (r < 0) {
		err = errno;
		log_error("load the seccomp filter: %s (hint: %s)", strerror(err),
			  err == EACCES ? "no_new_privs must be on; remove [capabilities] no_new_privs = no"
			  : err == EINVAL ? "the kernel refused the program; is CONFIG_SECCOMP_FILTER on?"
					  : "the runtime's own seccomp profile or LSM refuses seccomp(2); "
					    "allow it there, or remove [seccomp]");
		return -err;
	}
	return 0;
}

void filter_print(const struct privs_config *pc, const struct filter_prog *prog, FILE *out)
{
	static const char *const acts[] = { "errno", "kill", "log" };
	bool allowlist = pc->seccomp_mode == SECCOMP_MODE_ALLOWLIST;
	char errname[32] = "";

	if (!prog->len) {
		fprintf(out, "seccomp: none%s\n", pc->seccomp_set ? " (profile = none, nothing denied)" : "");
		return;
	}
	if (pc->seccomp_action == SECCOMP_ACT_ERRNO)
		snprintf(errname, sizeof(errname), "(%s)", strerrorname_np(pc->seccomp_errno) ?: "?");
	fprintf(out, "seccomp: mode %s, profile %s, action %s%s, %zu BPF instructions\n",
		allowlist ? "allowlist" : "denylist",
		allowlist ? "(not used in allowlist mode)"
		: pc->seccomp_profile == SECCOMP_PROFILE_DEFAULT ? "default" : "none",
		acts[pc->seccomp_action], errname, prog->len);
	fprintf(out, "seccomp: %s:", allowlist ? "allowed (all others get the action)" : "denied");
	for (size_t i = 0; i < prog->n; i++) {
		const char *name = filter_name(prog->nrs[i]);

		if (!prog->enosys[i] || !allowlist)
			fprintf(out, " %s%s", name ? name : "?", prog->enosys[i] ? "(ENOSYS)" : "");
	}
	fputc('\n', out);
	if (allowlist) {
		fprintf(out, "seccomp: ENOSYS (so libc falls back):");
		for (size_t i = 0; i < prog->n; i++)
			if (prog->enosys[i])
				fprintf(out, " %s", filter_name(prog->nrs[i]) ?: "?");
		fputc('\n', out);
	}
	if (prog->clone_ns)
		fprintf(out, "seccomp: clone with CLONE_NEW* namespace flags is denied too\n");
	fprintf(out, "seccomp: syscalls of other architectures (i386, x32) kill the process\n");
}

void filter_free(struct filter_prog *prog)
{
	free(prog->insns);
	free(prog->nrs);
	free(prog->enosys);
	memset(prog, 0, sizeof(*prog));
}
