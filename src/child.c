/* child.c - everything between fork and execve.
 * After fork the child uses only _exit(); every failure goes back to the parent as
 * {step, errno} through a close-on-exec pipe, so the parent never guesses why exec failed. */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

enum child_step {
	STEP_PGRP = 1,
	STEP_SIGNALS,
	STEP_PRIVS,
	STEP_EXEC,
};

struct child_report {
	int step;
	int err;
};

static const char *step_names[] = { "", "set the process group", "restore the signal state",
				    "drop privileges", "execute" };

static __attribute__((noreturn)) void child_fail(int fd, int step, int err, int code)
{
	struct child_report rep = { step, err };

	/* A short write is impossible for 8 bytes on a pipe; a failed one only loses detail. */
	if (write(fd, &rep, sizeof(rep)) < 0) {
	}
	_exit(code);
}

static __attribute__((noreturn)) void child_run(const struct tmpinit_config *cfg, const struct signals_state *sig,
						 const struct privs_plan *plan, int report_fd)
{
	char pidbuf[24];
	char *const *env;
	int r;

	if (setpgid(0, 0) < 0)
		child_fail(report_fd, STEP_PGRP, errno, TMPINIT_EXIT_FAILURE);
	/* The app becomes the terminal's foreground process group so that ^C reaches it. SIGTTOU
	 * is still blocked here, so tcsetpgrp() from a background group cannot stop us. */
	if (isatty(STDIN_FILENO) && tcsetpgrp(STDIN_FILENO, getpid()) < 0 && errno != ENOTTY)
		log_debug("make the app the terminal's foreground group: %s", strerror(errno));

	if (getenv("LISTEN_PID")) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", (int)getpid());
		setenv("LISTEN_PID", pidbuf, 1);
	}
	env = privs_env(plan);
	for (; env && *env; env++)
		putenv(*env);

	r = signals_restore_child(sig);
	if (r < 0)
		child_fail(report_fd, STEP_SIGNALS, -r, TMPINIT_EXIT_FAILURE);
	/* Last before execve: once the seccomp filter is loaded, only execve itself is needed. */
	r = privs_apply(plan);
	if (r < 0)
		child_fail(report_fd, STEP_PRIVS, -r, TMPINIT_EXIT_FAILURE);
	execvp(cfg->argv[0], cfg->argv);
	r = errno;
	child_fail(report_fd, STEP_EXEC, r,
		   r == ENOENT || r == ENOTDIR || r == ENAMETOOLONG || r == ELOOP ? TMPINIT_EXIT_NOTFOUND
										 : TMPINIT_EXIT_NOEXEC);
}

pid_t child_spawn(const struct tmpinit_config *cfg, const struct signals_state *sig,
		  const struct privs_plan *plan)
{
	struct child_report rep;
	int pipefd[2];
	ssize_t n;
	pid_t pid;
	int err;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		err = errno;
		log_error("create the exec status pipe: %s", strerror(err));
		return -err;
	}
	pid = fork();
	if (pid < 0) {
		err = errno;
		log_error("fork the app \"%s\": %s", cfg->argv[0], strerror(err));
		close(pipefd[0]);
		close(pipefd[1]);
		return -err;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_run(cfg, sig, plan, pipefd[1]);
	}
	close(pipefd[1]);
	/* Also from the parent, so that signals sent to the group right away reach the app
	 * whichever of the two runs first (EACCES once the child has exec'd is harmless). */
	setpgid(pid, pid);
	do
		n = read(pipefd[0], &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == (ssize_t)sizeof(rep) && rep.step > 0 && rep.step <= STEP_EXEC) {
		const char *hint = "";

		if (rep.step == STEP_EXEC && (rep.err == ENOENT || rep.err == ENOTDIR))
			hint = " (hint: check the command and PATH; a scratch image has no shell)";
		else if (rep.step == STEP_EXEC && rep.err == EACCES)
			hint = " (hint: the file needs the execute bit, and its filesystem must not be noexec)";
		if (rep.step == STEP_PRIVS)
			log_error("app not started: %s failed", step_names[rep.step]); /* details logged by the child */
		else
			log_error("%s \"%s\": %s%s", step_names[rep.step], cfg->argv[0], strerror(rep.err), hint);
	}
	log_debug("started app \"%s\" as pid %d", cfg->argv[0], (int)pid);
	return pid;
}
