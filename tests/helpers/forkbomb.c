/* forkbomb - processes that will not stop by themselves; all ignore SIGTERM and SIGINT:
 *   forkbomb bomb    every process forks again and again; on EAGAIN it retries after 1 ms
 *                    (the pids stay exhausted, but the two cores stay usable for the other
 *                    tests running on this machine)
 *   forkbomb chain N N chains; each link forks its successor and exits, so there is always
 *                    a fresh pid and never an old one to kill
 * Only SIGKILL ends them. Writes its pid to FORKBOMB_READY's file when set up. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void ready(void)
{
	const char *f = getenv("FORKBOMB_READY");
	int fd;

	if (!f || (fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return;
	if (write(fd, "ready\n", 6) < 0) {
	}
	close(fd);
}

static __attribute__((noreturn)) void chain(void)
{
	for (;;) {
		pid_t pid = fork();

		if (pid > 0)
			_exit(0);
		if (pid < 0)
			usleep(100); /* EAGAIN: stay the link until a fork works */
	}
}

int main(int argc, char **argv)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	if (argc >= 2 && strcmp(argv[1], "bomb") == 0) {
		ready();
		for (;;)
			if (fork() < 0)
				usleep(1000);
	}
	if (argc >= 3 && strcmp(argv[1], "chain") == 0) {
		int n = atoi(argv[2]);

		for (int i = 0; i < n; i++)
			if (fork() == 0)
				chain();
		ready();
		for (;;)
			pause(); /* the app itself stays, ignoring SIGTERM */
	}
	fprintf(stderr, "usage: forkbomb bomb | forkbomb chain N\n");
	return 2;
}
