/* sigrecorder DIR [fork]: block every signal, write DIR/ready.<pid>, then append each signal
 * number received to DIR/sigs.<pid>, one per line. Exits 0 after SIGTERM or SIGINT.
 * With "fork", a second recorder in the same process group does the same (the first does
 * not wait for it: once the app is gone, tmpinit's stop must end the second). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void touch(const char *dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s.%d", dir, name, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	sigset_t all;
	char path[512];
	FILE *f;

	if (argc < 2)
		return 2;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (argc > 2 && strcmp(argv[2], "fork") == 0)
		(void)fork(); /* parent and child both record */
	snprintf(path, sizeof(path), "%s/sigs.%d", argv[1], (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return 2;
	setvbuf(f, NULL, _IONBF, 0);
	touch(argv[1], "ready");
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);

		if (sig < 0)
			continue;
		if (sig == SIGCHLD)
			continue;
		fprintf(f, "%d\n", sig);
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	return 0;
}
