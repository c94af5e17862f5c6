/* harness.c - the benchmark's measuring side. No shell in any timed loop: it starts the
 * inits itself (clone with CLONE_NEWPID, or posix_spawn), times them with CLOCK_MONOTONIC and
 * prints one result line per measure for bench/run.sh to tabulate.
 *
 *   harness start N -- LABEL CMD... [::: LABEL CMD...]   start overhead, interleaved
 *   harness mem LABEL N1 N2 BATCH -- CMD...              PID 1 memory + reaping (app serve)
 *   harness signal LABEL N -- CMD...                     signal latency (app signals)
 *   harness stop LABEL -- CMD...                         SIGTERM -> exit (app sleep)
 *   harness run LABEL -- CMD...                          one timed command (dd, find, rm)
 *   harness fill DIR big BYTES | files COUNT BYTES | tree DEPTH BYTES
 *
 * mem, signal and stop run CMD as PID 1 under `unshare --pid --fork --mount-proc`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Percentile P (0-100) of N sorted samples, nearest rank. */
static uint64_t pct(const uint64_t *s, size_t n, unsigned p)
{
	size_t i = (n * p + 99) / 100;

	return n ? s[i ? i - 1 : 0] : 0;
}

static int wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- start overhead ---------------------------------------------------------------- */

struct cmd {
	const char *label;
	char **argv;
	uint64_t *pid1_ns, *child_ns;
};

static char clone_stack[64 * 1024] __attribute__((aligned(16)));

static int devnull = -1;
static char **spawn_env;

static int exec_child(void *arg)
{
	char **argv = arg;

	/* Only the time matters: the inits' warnings go nowhere (a write is a write for all). */
	dup2(devnull, STDERR_FILENO);
	execve(argv[0], argv, environ);
	_exit(127);
}

/* Run ARGV once as PID 1 of a new PID namespace: what posix_spawn does (clone with
 * CLONE_VM|CLONE_VFORK, then execve) plus CLONE_NEWPID, so the init sees getpid() == 1 as
 * in a container. Returns the elapsed ns from clone to reaped. */
static uint64_t run_pid1(char **argv)
{
	uint64_t t0 = now_ns();
	pid_t pid = clone(exec_child, clone_stack + sizeof(clone_stack),
			  CLONE_NEWPID | CLONE_VM | CLONE_VFORK | SIGCHLD, argv);

	if (pid < 0)
		die("clone CLONE_NEWPID");
	if (wait_status(pid) != 0) {
		fprintf(stderr, "harness: %s exited non-zero\n", argv[0]);
		exit(1);
	}
	return now_ns() - t0;
}

/* Same with posix_spawn: the init is a plain child, not PID 1. TINI_SUBREAPER=1 is added
 * to its environment so that tini registers as a child subreaper as tmpinit does on its own
 * (otherwise tini only warns; dumb-init and catatonit ignore the variable). */
static uint64_t run_spawn(char **argv)
{
	uint64_t t0 = now_ns();
	static posix_spawn_file_actions_t fa;
	static bool fa_ready;
	pid_t pid;
	int r;

	if (!fa_ready) {
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, devnull, STDERR_FILENO);
		fa_ready = true;
	}
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, spawn_env);
	if (r) {
		errno = r;
		die("posix_spawn");
	}
	if (wait_status(pid) != 0) {
		fprintf(stderr, "harness: %s exited non-zero\n", argv[0]);
		exit(1);
	}
	return now_ns() - t0;
}

static int cmd_start(int argc, char **argv)
{
	struct cmd cmds[16];
	size_t ncmd = 0;
	long n = argc > 2 ? atol(argv[2]) : 0;
	int i = 4;

	size_t nenv = 0;

	if (argc < 6 || n <= 0 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: harness start N -- LABEL CMD... [::: LABEL CMD...]\n");
		return 2;
	}
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0)
		die("/dev/null");
	while (environ[nenv])
		nenv++;
	spawn_env = calloc(nenv + 2, sizeof(char *));
	if (!spawn_env)
		die("calloc");
	memcpy(spawn_env, environ, nenv * sizeof(char *));
	spawn_env[nenv] = "TINI_SUBREAPER=1";
	while (i < argc && ncmd < 16) {
		struct cmd *c = &cmds[ncmd++];

		c->label = argv[i++];
		c->argv = &argv[i];
		while (i < argc && strcmp(argv[i], ":::") != 0)
			i++;
		if (i < argc)
			argv[i++] = NULL;
		c->pid1_ns = calloc((size_t)n, sizeof(uint64_t));
		c->child_ns = calloc((size_t)n, sizeof(uint64_t));
		if (!c->pid1_ns || !c->child_ns)
			die("calloc");
		/* warm the page cache and the dynamic loader's caches */
		for (int w = 0; w < 20; w++) {
			run_pid1(c->argv);
			run_spawn(c->argv);
		}
	}
	/* Interleave: one run of each init per round, rotating the order, so a slow phase of
	 * a shared machine hits every init alike. */
	for (long r = 0; r < n; r++)
		for (size_t k = 0; k < ncmd; k++) {
			struct cmd *c = &cmds[(k + (size_t)r) % ncmd];

			c->pid1_ns[r] = run_pid1(c->argv);
			c->child_ns[r] = run_spawn(c->argv);
		}
	for (size_t k = 0; k < ncmd; k++) {
		struct cmd *c = &cmds[k];

		qsort(c->pid1_ns, (size_t)n, sizeof(uint64_t), cmp_u64);
		qsort(c->child_ns, (size_t)n, sizeof(uint64_t), cmp_u64);
		printf("start %s pid1_median_us %.1f pid1_p90_us %.1f child_median_us %.1f child_p90_us %.1f n %ld\n",
		       c->label, pct(c->pid1_ns, (size_t)n, 50) / 1e3, pct(c->pid1_ns, (size_t)n, 90) / 1e3,
		       pct(c->child_ns, (size_t)n, 50) / 1e3, pct(c->child_ns, (size_t)n, 90) / 1e3, n);
	}
	return 0;
}

/* ---- PID 1 sessions: unshare --pid --fork --mount-proc CMD, app on a pipe pair ----- */

struct session {
	pid_t unshare_pid, init_pid;
	FILE *from_app;
	int to_app;
};

static void session_start(struct session *s, char **cmd)
{
	int in[2], out[2], argc = 0;
	char *argv[64];
	posix_spawn_file_actions_t fa;
	char path[64], buf[64];
	int r;

	argv[argc++] = "unshare";
	argv[argc++] = "--pid";
	argv[argc++] = "--fork";
	argv[argc++] = "--mount-proc";
	for (int i = 0; cmd[i] && argc < 63; i++)
		argv[argc++] = cmd[i];
	argv[argc] = NULL;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		die("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	r = posix_spawnp(&s->unshare_pid, "unshare", &fa, NULL, argv, environ);
	if (r) {
		errno = r;
		die("posix_spawnp unshare");
	}
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	s->to_app = in[1];
	s->from_app = fdopen(out[0], "r");
	if (!s->from_app)
		die("fdopen");
	/* The init is unshare's only child; it exists once "ready" arrives from the app. */
	if (!fgets(buf, sizeof(buf), s->from_app) || strncmp(buf, "ready", 5) != 0) {
		fprintf(stderr, "harness: %s did not start the app (got \"%s\")\n", cmd[0], buf);
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)s->unshare_pid, (int)s->unshare_pid);
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%d", &s->init_pid) != 1)
		die("find the init under unshare");
	fclose(f);
}

static void session_send(struct session *s, const char *line)
{
	if (write(s->to_app, line, strlen(line)) < 0)
		die("write to app");
}

static void session_read(struct session *s, char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, s->from_app)) {
		fprintf(stderr, "harness: the app under the init went away\n");
		exit(1);
	}
	buf[strcspn(buf, "\n")] = '\0';
	if (strncmp(buf, "error", 5) == 0) {
		fprintf(stderr, "harness: app: %s\n", buf);
		exit(1);
	}
}

/* Wait for unshare to exit; after LIMIT_MS, SIGKILL the init (an app that is PID 1 itself
 * ignores SIGTERM). */
static void session_end(struct session *s, unsigned limit_ms)
{
	uint64_t until = now_ns() + limit_ms * 1000000ull;
	int st;

	close(s->to_app);
	while (waitpid(s->unshare_pid, &st, WNOHANG) == 0) {
		if (now_ns() > until) {
			kill(s->init_pid, SIGKILL);
			wait_status(s->unshare_pid);
			break;
		}
		usleep(1000);
	}
	fclose(s->from_app);
}

static void read_mem(pid_t pid, long *rss, long *hwm)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		die(path);
	*rss = *hwm = -1;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", rss);
		sscanf(line, "VmHWM: %ld", hwm);
	}
	fclose(f);
}

static int cmd_mem(int argc, char **argv)
{
	struct session s;
	long rss[3], hwm[3];
	char buf[256], line[256];
	unsigned long wall, sum, max;

	if (argc < 8 || strcmp(argv[6], "--") != 0) {
		fprintf(stderr, "usage: harness mem LABEL N1 N2 BATCH -- CMD...\n");
		return 2;
	}
	session_start(&s, &argv[7]);
	read_mem(s.init_pid, &rss[0], &hwm[0]);
	snprintf(line, sizeof(line), "orphans %s %s\n", argv[3], argv[5]);
	session_send(&s, line);
	session_read(&s, buf, sizeof(buf));
	if (sscanf(buf, "orphans %*u wall_us %lu drain_sum_us %lu drain_max_us %lu", &wall, &sum, &max) != 3) {
		fprintf(stderr, "harness: unexpected \"%s\"\n", buf);
		return 1;
	}
	read_mem(s.init_pid, &rss[1], &hwm[1]);
	rss[2] = rss[1], hwm[2] = hwm[1];
	if (atol(argv[4]) > 0) {
		/* N2 more, so the growth is read after N1 + N2 reaped children */
		snprintf(line, sizeof(line), "orphans %s %s\n", argv[4], argv[5]);
		session_send(&s, line);
		session_read(&s, buf, sizeof(buf));
		read_mem(s.init_pid, &rss[2], &hwm[2]);
	}
	session_send(&s, "exit\n");
	session_end(&s, 5000);
	printf("mem %s idle_rss_kb %ld idle_hwm_kb %ld rss1_kb %ld hwm1_kb %ld rss2_kb %ld hwm2_kb %ld n1 %s n2 %ld\n",
	       argv[2], rss[0], hwm[0], rss[1], hwm[1], rss[2], hwm[2], argv[3], atol(argv[3]) + atol(argv[4]));
	printf("reap %s orphans %s wall_ms %.1f drain_sum_ms %.2f drain_max_ms %.2f\n", argv[2], argv[3], wall / 1e3,
	       sum / 1e3, max / 1e3);
	return 0;
}

static int cmd_signal(int argc, char **argv)
{
	struct session s;
	long n = argc > 3 ? atol(argv[3]) : 0;
	uint64_t *lat;
	char buf[64];

	if (argc < 6 || n <= 0 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: harness signal LABEL N -- CMD...\n");
		return 2;
	}
	lat = calloc((size_t)n, sizeof(*lat));
	if (!lat)
		die("calloc");
	session_start(&s, &argv[5]);
	for (long i = -20; i < n; i++) { /* the first 20 warm the paths up and are not counted */
		uint64_t t0 = now_ns();

		if (kill(s.init_pid, SIGUSR1) < 0)
			die("kill SIGUSR1");
		session_read(&s, buf, sizeof(buf));
		if (i >= 0)
			lat[i] = strtoull(buf, NULL, 10) - t0;
	}
	kill(s.init_pid, SIGTERM);
	session_end(&s, 1000);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_u64);
	printf("signal %s median_us %.1f p90_us %.1f p99_us %.1f n %ld\n", argv[2], pct(lat, (size_t)n, 50) / 1e3,
	       pct(lat, (size_t)n, 90) / 1e3, pct(lat, (size_t)n, 99) / 1e3, n);
	return 0;
}

static int cmd_stop(int argc, char **argv)
{
	struct session s;
	uint64_t t0;
	int code;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: harness stop LABEL -- CMD...\n");
		return 2;
	}
	session_start(&s, &argv[4]);
	t0 = now_ns();
	if (kill(s.init_pid, SIGTERM) < 0)
		die("kill SIGTERM");
	code = wait_status(s.unshare_pid);
	printf("stop %s ms %.2f status %d\n", argv[2], (now_ns() - t0) / 1e6, code);
	close(s.to_app);
	fclose(s.from_app);
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	pid_t pid;
	uint64_t t0;
	int r, code;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: harness run LABEL -- CMD...\n");
		return 2;
	}
	t0 = now_ns();
	r = posix_spawnp(&pid, argv[4], NULL, NULL, &argv[4], environ);
	if (r) {
		errno = r;
		die(argv[4]);
	}
	code = wait_status(pid);
	printf("run %s ms %.2f status %d\n", argv[2], (now_ns() - t0) / 1e6, code);
	return code;
}

/* ---- data for the stop-with-erase measure ------------------------------------------ */

static char pattern[1 << 20];

static void write_file(int dirfd, const char *name, uint64_t bytes)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		die(name);
	while (bytes) {
		size_t chunk = bytes < sizeof(pattern) ? (size_t)bytes : sizeof(pattern);
		ssize_t w = write(fd, pattern, chunk);

		if (w <= 0)
			die("write");
		bytes -= (uint64_t)w;
	}
	close(fd);
}

static int cmd_fill(int argc, char **argv)
{
	int dirfd;

	if (argc < 5) {
		fprintf(stderr, "usage: harness fill DIR big BYTES | files COUNT BYTES | tree DEPTH BYTES\n");
		return 2;
	}
	memset(pattern, 0xa5, sizeof(pattern));
	dirfd = open(argv[2], O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (dirfd < 0)
		die(argv[2]);
	if (strcmp(argv[3], "big") == 0) {
		write_file(dirfd, "big", strtoull(argv[4], NULL, 0));
	} else if (strcmp(argv[3], "files") == 0 && argc >= 6) {
		long count = atol(argv[4]);
		uint64_t bytes = strtoull(argv[5], NULL, 0);
		char name[48];

		/* 100 files per directory, as an app's upload or session store would spread them */
		for (long i = 0; i < count; i++) {
			if (i % 100 == 0) {
				snprintf(name, sizeof(name), "d%ld", i / 100);
				if (mkdirat(dirfd, name, 0700) < 0)
					die("mkdirat");
			}
			snprintf(name, sizeof(name), "d%ld/f%ld", i / 100, i);
			write_file(dirfd, name, bytes);
		}
	} else if (strcmp(argv[3], "tree") == 0 && argc >= 6) {
		long depth = atol(argv[4]);
		uint64_t bytes = strtoull(argv[5], NULL, 0);

		/* one directory per level and one small file in each */
		for (long i = 0; i < depth; i++) {
			int next;

			write_file(dirfd, "f", bytes);
			if (mkdirat(dirfd, "d", 0700) < 0)
				die("mkdirat");
			next = openat(dirfd, "d", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
			if (next < 0)
				die("openat");
			close(dirfd);
			dirfd = next;
		}
	} else {
		fprintf(stderr, "harness fill: unknown kind %s\n", argv[3]);
		return 2;
	}
	close(dirfd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "start", cmd_start }, { "mem", cmd_mem }, { "signal", cmd_signal },
		{ "stop", cmd_stop },	{ "run", cmd_run }, { "fill", cmd_fill },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	fprintf(stderr, "usage: harness start|mem|signal|stop|run|fill ... (see bench/harness.c)\n");
	return 2;
}
