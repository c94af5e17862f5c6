/* sigcount - an app that counts the signals it receives until SIGTERM:
 *   sigcount FILE
 * Blocks every signal, reads a signalfd, and after each read rewrites FILE with
 * "total=N rt=N" (rt: SIGRTMIN+1). On SIGTERM it writes the final line and exits 0. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <fcntl.h>

int main(int argc, char **argv)
{
	struct signalfd_siginfo si[64];
	unsigned long total = 0, rt = 0;
	sigset_t all;
	int sfd, out;

	if (argc != 2)
		return 2;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (sfd < 0 || out < 0)
		return 2;
	for (;;) {
		ssize_t n = read(sfd, si, sizeof(si));
		bool term = false;
		char line[96];
		int len;

		if (n <= 0)
			continue;
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			total++;
			if ((int)si[i].ssi_signo == SIGRTMIN + 1)
				rt++;
			if (si[i].ssi_signo == SIGTERM)
				term = true;
		}
		len = snprintf(line, sizeof(line), "total=%-20lu rt=%-20lu\n", total, rt);
		if (pwrite(out, line, (size_t)len, 0) < 0)
			return 2;
		if (term)
			return 0;
	}
}
