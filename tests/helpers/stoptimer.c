/* stoptimer READYFILE SIG -- CMD...: run CMD as PID 1 of a new PID namespace, wait until
 * READYFILE exists, send SIG to it, and print "<ms> <exit code>" once it has exited, where
 * ms is the time from the signal to its exit as seen by its direct parent. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	long long t0;
	int status, code;
	pid_t pid;

	if (argc < 5 || strcmp(argv[3], "--") != 0)
		return 2;
	if (unshare(CLONE_NEWPID) < 0) {
		perror("unshare");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[4], &argv[4]);
		_exit(127);
	}
	for (int i = 0; access(argv[1], F_OK) != 0; i++) {
		if (i > 20000 || waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "stoptimer: %s never appeared\n", argv[1]);
			return 2;
		}
		usleep(1000);
	}
	t0 = now_us();
	kill(pid, atoi(argv[2]));
	waitpid(pid, &status, 0);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%lld %d\n", (now_us() - t0) / 1000, code);
	return 0;
}
