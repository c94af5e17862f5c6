/* privprobe.c - a static probe for the privileges tests: makes one syscall (or a small
 * action) per argument and prints "WHAT: ok" or "WHAT: ERRNONAME", one line each. Dies
 * (signal) when a seccomp filter kills it. Built for x86_64, and with -m32 as
 * privprobe-m32 (every syscall of that build is i386 ABI). Test-only code. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_faccessat2
#define __NR_faccessat2 439
#endif

static void *thread_main(void *arg)
{
	return arg;
}

static void report(const char *what, long r, int err)
{
	printf("%s: %s\n", what, r < 0 ? (strerrorname_np(err) ? strerrorname_np(err) : "?") : "ok");
	fflush(stdout);
}

/* One syscall by name with arguments that are harmless whatever happens. */
static int probe_sys(const char *name)
{
	static const struct {
		const char *name;
		long nr;
		long a0, a1;
	} t[] = {
		{ "getpid", __NR_getpid, 0, 0 },
		{ "getppid", __NR_getppid, 0, 0 },
		{ "unshare0", __NR_unshare, 0, 0 },	      /* unshare(0): no-op when allowed */
		{ "clone3", __NR_clone3, 0, 0 },	      /* NULL args: EINVAL/EFAULT when allowed */
		{ "faccessat2", __NR_faccessat2, AT_FDCWD, 0 }, /* NULL path: EFAULT when allowed */
		{ "mount", __NR_mount, 0, 0 },
		{ "keyctl", __NR_keyctl, -1, 0 },
		{ "bpf", __NR_bpf, -1, 0 },
		{ "personality", __NR_personality, 0xffffffff, 0 }, /* query only */
		{ "chdir", __NR_chdir, (long)"/", 0 },
	};
	long r;
	int err;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(t[i].name, name) != 0)
			continue;
		errno = 0;
		r = syscall(t[i].nr, t[i].a0, t[i].a1, 0L, 0L, 0L, 0L);
		err = errno;
		report(name, r, err);
		return 0;
	}
	fprintf(stderr, "privprobe: unknown syscall %s\n", name);
	return 2;
}

static int probe_one(const char *arg)
{
	long r;
	int err;

	if (strncmp(arg, "sys:", 4) == 0)
		return probe_sys(arg + 4);
	if (strcmp(arg, "thread") == 0) {
		pthread_t t;
		int e = pthread_create(&t, NULL, thread_main, NULL);

		if (e == 0)
			pthread_join(t, NULL);
		report(arg, e ? -1 : 0, e);
		return 0;
	}
	if (strcmp(arg, "fork") == 0) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(0);
		err = errno;
		if (pid > 0)
			waitpid(pid, &st, 0);
		report(arg, pid, err);
		return 0;
	}
	if (strcmp(arg, "clone-newns") == 0) {
		/* clone(2) with a namespace flag, the way around a denied unshare */
		r = syscall(__NR_clone, (long)(CLONE_NEWNS | SIGCHLD), 0L, 0L, 0L, 0L);
		err = errno;
		if (r == 0)
			_exit(0);
		if (r > 0)
			waitpid((pid_t)r, NULL, 0);
		report(arg, r, err);
		return 0;
	}
#if defined(__x86_64__) && !defined(__ILP32__)
	if (strcmp(arg, "x32") == 0) {
		/* getpid with __X32_SYSCALL_BIT: the x32 ABI entry of the same kernel */
		r = syscall(__NR_getpid | 0x40000000L);
		report(arg, r, errno);
		return 0;
	}
	if (strcmp(arg, "i386") == 0) {
		/* getpid (20 on i386) through the 32-bit entry, int 0x80, from a 64-bit process */
		long ret;

		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
		report(arg, ret < 0 && ret > -4096 ? -1 : ret, ret < 0 ? (int)-ret : 0);
		return 0;
	}
#endif
	if (strcmp(arg, "ptrace1") == 0) {
		/* SEIZE, not ATTACH: PID 1 is never stopped; it is detached when we exit */
		r = ptrace(PTRACE_SEIZE, 1, NULL, NULL);
		err = errno;
		report(arg, r, err);
		return 0;
	}
	if (strncmp(arg, "read:", 5) == 0) {
		char buf[64];
		int fd = open(arg + 5, O_RDONLY | O_CLOEXEC);

		err = errno;
		r = fd;
		if (fd >= 0) {
			r = read(fd, buf, sizeof(buf));
			err = errno;
			close(fd);
		}
		report(arg, r, err);
		return 0;
	}
	if (strncmp(arg, "bind:", 5) == 0) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(arg + 5)) };
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		err = errno;
		r = fd;
		if (fd >= 0) {
			r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
			err = errno;
			close(fd);
		}
		report(arg, r, err);
		return 0;
	}
	if (strcmp(arg, "ids") == 0) {
		uid_t ru, eu, su;

		char line[256];
		FILE *f = fopen("/proc/self/status", "re");

		getresuid(&ru, &eu, &su);
		printf("ids: uid=%u euid=%u", (unsigned)ru, (unsigned)eu);
		while (f && fgets(line, sizeof(line), f))
			if (strncmp(line, "CapPrm:", 7) == 0 || strncmp(line, "CapEff:", 7) == 0)
				printf(" %s=%.16s", line[3] == 'P' ? "prm" : "eff", line + 8);
		if (f)
			fclose(f);
		putchar('\n');
		fflush(stdout);
		return 0;
	}
	fprintf(stderr, "privprobe: unknown probe %s\n", arg);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: privprobe sys:NAME|thread|fork|clone-newns|x32|i386|ptrace1|read:FILE|bind:PORT|ids...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (probe_one(argv[i]) != 0)
			return 2;
	return 0;
}
