/* sigstorm SIG -- CMD...: start CMD with SIG set to SIG_IGN (an inherited ignored signal, as
 * under nohup) and send it SIG without pause until it exits. Prints "exited N" or
 * "killed by N" and exits 0, so a caller can tell whether CMD survived the storm. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sig, status, p[2];
	char c;
	pid_t pid;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: sigstorm SIG -- CMD...\n");
		return 2;
	}
	sig = atoi(argv[1]);
	if (pipe2(p, O_CLOEXEC) < 0)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(p[0]);
		signal(sig, SIG_IGN);
		execvp(argv[3], &argv[3]);
		_exit(127);
	}
	/* Start the storm once CMD runs (the close-on-exec pipe closes at execve): before that
	 * it is still this program, and SIG_IGN might not be set yet. */
	close(p[1]);
	while (read(p[0], &c, 1) > 0)
		;
	while (waitpid(pid, &status, WNOHANG) == 0)
		kill(pid, sig);
	if (WIFSIGNALED(status))
		printf("killed by %d\n", WTERMSIG(status));
	else
		printf("exited %d\n", WEXITSTATUS(status));
	return 0;
}
