/* orphans N: make N orphans. A child forks N grandchildren, tells us their pids and exits;
 * each grandchild blocks on a pipe until that child is gone, then exits, so all N become
 * zombies of whoever adopted them (PID 1 or the nearest subreaper). We return only once
 * every grandchild has died (is a zombie or gone, at most 30 s), so a count of zombies taken
 * after we return is final: a grandchild still running cannot turn into one later. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* 1 when pid is gone or a zombie; 0 while it still runs. */
static int dead(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int z;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	z = !fgets(buf, sizeof(buf), f) || !(p = strrchr(buf, ')')) || p[1] != ' ' || p[2] == 'Z' ||
	    p[2] == 'X';
	fclose(f);
	return z;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	int p[2], q[2];
	static pid_t pids[32768]; /* the default pid_max: no more can exist at once */
	pid_t mid;
	size_t got = 0;

	if (n < 1 || n > (int)(sizeof(pids) / sizeof(*pids)) || pipe(p) < 0 || pipe(q) < 0)
		return 2;
	mid = fork();
	if (mid < 0)
		return 2;
	if (mid == 0) {
		close(q[0]);
		for (int i = 0; i < n; i++) {
			pid_t c = fork();

			if (c == 0) {
				char b;

				close(p[1]);
				close(q[1]);
				while (read(p[0], &b, 1) > 0)
					;
				_exit(0);
			}
			if (c < 0) {
				perror("fork");
				_exit(2);
			}
			if (write(q[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
				_exit(2);
		}
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	close(q[1]);
	for (;;) {
		ssize_t r = read(q[0], (char *)pids + got, (size_t)n * sizeof(*pids) - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	waitpid(mid, NULL, 0);
	/* one deadline for all of them: 30,000 sleeps of 1 ms */
	for (size_t i = 0, t = 0; i < got / sizeof(*pids) && t < 30000; t++) {
		while (i < got / sizeof(*pids) && dead(pids[i]))
			i++;
		if (i < got / sizeof(*pids))
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	return got == (size_t)n * sizeof(*pids) ? 0 : 2;
}
