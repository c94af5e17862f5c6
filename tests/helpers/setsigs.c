/* setsigs BLOCK IGNORE -- CMD...: start CMD with the signals in the comma-separated list
 * BLOCK blocked and those in IGNORE set to SIG_IGN ("-" for none). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void each(char *list, void (*fn)(int, void *), void *arg)
{
	char *save = NULL;

	if (strcmp(list, "-") == 0)
		return;
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		fn(atoi(t), arg);
}

static void add(int sig, void *set)
{
	sigaddset(set, sig);
}

static void ign(int sig, void *unused)
{
	(void)unused;
	signal(sig, SIG_IGN);
}

int main(int argc, char **argv)
{
	sigset_t set;

	if (argc < 5 || strcmp(argv[3], "--") != 0)
		return 2;
	sigemptyset(&set);
	each(argv[1], add, &set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	each(argv[2], ign, NULL);
	execvp(argv[4], &argv[4]);
	perror("execvp");
	return 127;
}
