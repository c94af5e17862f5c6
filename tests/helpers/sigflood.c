/* sigflood - send RATE mixed signals per second to PID for SECONDS:
 *   sigflood PID RATE SECONDS
 * The mix cycles through standard signals (which coalesce) and SIGRTMIN+1 (which queues, so
 * it can be counted). Prints "sent=N rt=N rt_failed=N" on stdout: rt counts the SIGRTMIN+1
 * that the kernel accepted (queued), rt_failed those refused (EAGAIN: queue full). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const int mix[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGWINCH, SIGCONT, SIGALRM, SIGURG, SIGCHLD, SIGPIPE,
			    SIGPROF, SIGVTALRM, SIGIO };
	unsigned long sent = 0, rt = 0, rt_failed = 0, i = 0;
	pid_t pid;
	double rate, secs, start, end;

	if (argc != 4) {
		fprintf(stderr, "usage: sigflood PID RATE SECONDS\n");
		return 2;
	}
	pid = atoi(argv[1]);
	rate = atof(argv[2]);
	secs = atof(argv[3]);
	start = now();
	end = start + secs;
	for (;;) {
		double t = now();
		unsigned long due = (unsigned long)((t - start) * rate);

		if (t >= end)
			break;
		for (; sent < due; sent++, i++) {
			/* every other signal is the countable real-time one */
			int sig = i % 2 ? SIGRTMIN + 1 : mix[(i / 2) % (sizeof(mix) / sizeof(mix[0]))];

			if (kill(pid, sig) == 0) {
				if (i % 2)
					rt++;
			} else if (errno == EAGAIN) {
				rt_failed++;
			} else {
				perror("sigflood: kill");
				return 1;
			}
		}
		usleep(1000);
	}
	printf("sent=%lu rt=%lu rt_failed=%lu\n", sent, rt, rt_failed);
	return 0;
}
