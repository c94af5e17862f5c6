/* orphanstorm - make N orphans in batches for the init to reap, then exec CMD (or exit 0):
 *   orphanstorm N BATCH [CMD [ARG...]]
 * Forks a middle process per BATCH; it forks BATCH children and exits at once, so the
 * children are reparented to the init; each child exits as soon as its parent is gone (it
 * waits for EOF on a pipe only the middle process holds). Retries fork on EAGAIN.
 * Prints "orphanstorm: N made" on stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t fork_retry(void)
{
	for (;;) {
		pid_t pid = fork();

		if (pid >= 0 || errno != EAGAIN)
			return pid;
		usleep(1000);
	}
}

static void middle(long batch)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		_exit(1);
	for (long i = 0; i < batch; i++) {
		pid_t pid = fork_retry();

		if (pid == 0) {
			close(p[1]);
			while (read(p[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0); /* orphaned now: the init reaps us */
		}
		if (pid < 0)
			_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long n, batch, made = 0;
	/* An inherited SIG_IGN for SIGCHLD would make waitpid() fail; CMD gets it back. */
	void (*chld)(int) = signal(SIGCHLD, SIG_DFL);

	if (argc < 3 || (n = atol(argv[1])) < 0 || (batch = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: orphanstorm N BATCH [CMD [ARG...]]\n");
		return 2;
	}
	while (made < n) {
		long b = n - made < batch ? n - made : batch;
		int status;
		pid_t pid = fork_retry();

		if (pid == 0)
			middle(b);
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			perror("orphanstorm: middle process");
			return 1;
		}
		made += b;
	}
	fprintf(stderr, "orphanstorm: %ld made\n", made);
	if (argc > 3) {
		signal(SIGCHLD, chld);
		execv(argv[3], &argv[3]);
		perror("orphanstorm: exec");
		return 127;
	}
	return 0;
}
