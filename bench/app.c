/* app.c - the benchmark's "application": what runs under each init (tmpinit, tini, dumb-init,
 * catatonit) as its child. It makes orphans for the init to reap, reports when signals
 * forwarded by the init arrive, or just waits for the stop. It talks to the harness over
 * stdin/stdout (one line each way), which every init passes through untouched.
 * Static, no dependencies: it also runs inside minimal root filesystems. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One write per line: the harness reads lines from a pipe. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n) < 0)
		_exit(3);
}

static int read_line(char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t r = read(STDIN_FILENO, buf + n, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* Make TOTAL orphans in batches of BATCH. Each batch: a spawner process vforks BATCH
 * children that exit at once (zombies), then exits itself, so the kernel hands all BATCH
 * zombies to PID 1 together. We then watch the batch until every pid is gone
 * (kill(pid, 0) answers for a zombie, ESRCH once it is reaped). Pids cannot be reused
 * while we watch: nothing else is creating processes in this PID namespace.
 * Reports: wall time of the whole run, the sum of the drain times (orphaned -> all reaped,
 * the part the init controls) and the largest drain time (the oldest zombie seen). */
static int make_orphans(unsigned long total, unsigned batch)
{
	pid_t *pids = mmap(NULL, batch * sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t t0 = now_ns(), drain_sum = 0, drain_max = 0;
	unsigned long done = 0;

	if (pids == MAP_FAILED) {
		say("error mmap %s\n", strerror(errno));
		return -1;
	}
	while (done < total) {
		unsigned n = total - done < batch ? (unsigned)(total - done) : batch;
		uint64_t t_orph, t_gone;
		pid_t spawner = fork();
		int st;

		if (spawner < 0) {
			say("error fork %s\n", strerror(errno));
			return -1;
		}
		if (spawner == 0) {
			for (unsigned i = 0; i < n; i++) {
				pid_t p = vfork();

				if (p == 0)
					_exit(0);
				pids[i] = p < 0 ? 0 : p;
			}
			_exit(0);
		}
		while (waitpid(spawner, &st, 0) < 0 && errno == EINTR)
			;
		t_orph = now_ns();
		for (unsigned i = 0; i < n; i++)
			while (pids[i] > 0 && kill(pids[i], 0) == 0)
				;
		t_gone = now_ns();
		drain_sum += t_gone - t_orph;
		if (t_gone - t_orph > drain_max)
			drain_max = t_gone - t_orph;
		done += n;
	}
	munmap(pids, batch * sizeof(pid_t));
	say("orphans %lu wall_us %llu drain_sum_us %llu drain_max_us %llu\n", total,
	    (unsigned long long)((now_ns() - t0) / 1000), (unsigned long long)(drain_sum / 1000),
	    (unsigned long long)(drain_max / 1000));
	return 0;
}

/* Commands on stdin: "orphans TOTAL BATCH", "exit". EOF also exits. */
static int cmd_serve(void)
{
	char line[128];

	say("ready\n");
	while (read_line(line, sizeof(line)) == 0) {
		unsigned long total;
		unsigned batch;

		if (sscanf(line, "orphans %lu %u", &total, &batch) == 2 && batch > 0) {
			if (make_orphans(total, batch) < 0)
				return 1;
		} else if (strcmp(line, "exit") == 0) {
			return 0;
		} else {
			say("error unknown command\n");
		}
	}
	return 0;
}

/* Print the monotonic time at which each SIGUSR1 arrives; exit 0 on SIGTERM (waited for
 * too, so that it also ends us when we are PID 1 ourselves, the no-init baseline). */
static __attribute__((noreturn)) int cmd_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	say("ready\n");
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);

		if (sig == SIGTERM)
			_exit(0);
		if (sig == SIGUSR1)
			say("%llu\n", (unsigned long long)now_ns());
	}
}

/* Wait to be stopped; exit 0 on SIGTERM, so a clean stop shows as exit status 0. */
static __attribute__((noreturn)) int cmd_sleep(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	say("ready\n");
	for (;;)
		if (sigwaitinfo(&set, NULL) == SIGTERM)
			_exit(0);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return cmd_serve();
	if (argc >= 2 && strcmp(argv[1], "signals") == 0)
		return cmd_signals();
	if (argc >= 2 && strcmp(argv[1], "sleep") == 0)
		return cmd_sleep();
	fprintf(stderr, "usage: %s serve|signals|sleep\n", argv[0]);
	return 2;
}
