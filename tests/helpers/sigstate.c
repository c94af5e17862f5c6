/* sigstate - start a command with odd inherited state, the way a careless parent might:
 *   sigstate [-i SIG]... [-b SIG]... [-c FD]... [-E] [-D] -- COMMAND [ARG...]
 * -i ignore SIG, -b block SIG (-b all: every signal), -c close FD, -E empty environment,
 * -D run from a working directory that has been removed, -P make stderr a pipe whose read
 * end is already closed (every write: EPIPE and SIGPIPE). Then execv (no PATH search when
 * -E, so give an absolute COMMAND). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_sig(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end == '\0' && n > 0 && n < NSIG)
		return (int)n;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < 32; sig++)
		if (sigabbrev_np(sig) && strcmp(s, sigabbrev_np(sig)) == 0)
			return sig;
	fprintf(stderr, "sigstate: unknown signal %s\n", s);
	exit(2);
}

int main(int argc, char **argv)
{
	static char *empty_env[] = { NULL };
	sigset_t block;
	bool clear_env = false, rm_cwd = false, dead_pipe = false;
	int opt;

	sigemptyset(&block);
	while ((opt = getopt(argc, argv, "+i:b:c:EDP")) != -1) {
		switch (opt) {
		case 'i':
			signal(parse_sig(optarg), SIG_IGN);
			break;
		case 'b':
			if (strcmp(optarg, "all") == 0)
				sigfillset(&block);
			else
				sigaddset(&block, parse_sig(optarg));
			break;
		case 'c':
			close(atoi(optarg));
			break;
		case 'E':
			clear_env = true;
			break;
		case 'D':
			rm_cwd = true;
			break;
		case 'P':
			dead_pipe = true;
			break;
		default:
			fprintf(stderr, "usage: sigstate [-i SIG] [-b SIG|all] [-c FD] [-E] [-D] [-P] -- CMD [ARG...]\n");
			return 2;
		}
	}
	if (optind >= argc)
		return 2;
	if (rm_cwd) {
		char dir[] = "/tmp/sigstate.XXXXXX";

		if (!mkdtemp(dir) || chdir(dir) < 0 || rmdir(dir) < 0) {
			perror("sigstate: removed cwd");
			return 2;
		}
	}
	if (dead_pipe) {
		int p[2];

		if (pipe(p) < 0 || dup2(p[1], STDERR_FILENO) < 0)
			return 2;
		close(p[0]);
		close(p[1]);
	}
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (clear_env)
		execve(argv[optind], &argv[optind], empty_env);
	else
		execv(argv[optind], &argv[optind]);
	/* stderr may be closed: the exit code tells */
	return errno == ENOENT ? 127 : 126;
}
