/* orphans N: make N orphans. A child forks N grandchildren and exits at once; each
 * grandchild blocks on a pipe until that child is gone, then exits, so all N become
 * zombies of whoever adopted them (PID 1 or the nearest subreaper). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	int p[2];
	pid_t mid;

	if (pipe(p) < 0)
		return 2;
	mid = fork();
	if (mid < 0)
		return 2;
	if (mid == 0) {
		for (int i = 0; i < n; i++) {
			pid_t c = fork();

			if (c == 0) {
				char b;

				close(p[1]);
				while (read(p[0], &b, 1) > 0)
					;
				_exit(0);
			}
			if (c < 0) {
				perror("fork");
				_exit(2);
			}
		}
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	waitpid(mid, NULL, 0);
	return 0;
}
