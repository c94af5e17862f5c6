/* raise SIG: die of signal SIG (default action restored and unblocked first). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int sig = argc > 1 ? atoi(argv[1]) : 0;
	sigset_t s;

	if (sig <= 0)
		return 2;
	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
	fprintf(stderr, "raise: still alive after signal %d\n", sig);
	return 3;
}
