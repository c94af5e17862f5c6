/* signals.c - masks, the signalfd, and what the child gets back.
 * tmpinit never installs an asynchronous handler: every signal except the synchronous fault
 * signals is blocked and read from a signalfd by the supervise loop. */
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/signalfd.h>

#include "log.h"

/* Raised by the CPU for the faulting thread itself; blocking them would hang or kill
 * tmpinit on a bug instead of producing a core, and forwarding them makes no sense. */
static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };

bool signals_not_forwarded(int sig)
{
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++)
		if (sig == fault_signals[i])
			return true;
	return sig == SIGCHLD || sig == SIGTTIN || sig == SIGTTOU || sig == SIGKILL || sig == SIGSTOP;
}

/* The ignored set from one read of /proc/self/status (SigIgn) instead of one sigaction()
 * per signal: 60 fewer system calls on every start. False when /proc is not mounted (a
 * runtime always mounts it, a bare chroot may not), and the caller asks per signal. */
static bool read_ignored_from_status(uint64_t *ignored)
{
	char buf[4096];
	const char *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nSigIgn:");
	if (!p)
		return false;
	*ignored = strtoull(p + 8, NULL, 16);
	return true;
}

int signals_setup(struct signals_state *st)
{
	sigset_t block;
	uint64_t ignored = 0;
	bool have_status;
	int err;

	st->fd = -1;
	sigemptyset(&st->inherited_ignored);
	if (sigprocmask(SIG_SETMASK, NULL, &st->inherited_mask) < 0) {
		err = errno;
		log_error("read the inherited signal mask: %s", strerror(err));
		return -err;
	}
	sigfillset(&block);
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++)
		sigdelset(&block, fault_signals[i]);
	/* Block before resetting SIG_IGN to SIG_DFL: in between, an inherited-ignored signal
	 * (nohup's SIGHUP) would take its default action and kill tmpinit. */
	if (sigprocmask(SIG_SETMASK, &block, NULL) < 0) {
		err = errno;
		log_error("block signals: %s", strerror(err));
		return -err;
	}
	have_status = read_ignored_from_status(&ignored);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (have_status && !(ignored & (1ULL << (sig - 1))))
			continue; /* not ignored: nothing to ask or change */
		if (sigaction(sig, NULL, &sa) < 0)
			continue; /* glibc-reserved real-time signals */
		if (sa.sa_handler != SIG_IGN)
			continue;
		sigaddset(&st->inherited_ignored, sig);
		/* Fault signals stay unblocked and are never read from the signalfd: resetting
		 * an inherited SIG_IGN would only let a kill(2) of one of them end tmpinit. */
		if (sigismember(&block, sig) == 1) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags = 0;
			if (sigaction(sig, &sa, NULL) < 0)
				log_warn("reset ignored signal %d: %s", sig, strerror(errno));
		}
	}
	st->fd = signalfd(-1, &block, SFD_CLOEXEC | SFD_NONBLOCK);
	if (st->fd < 0) {
		err = errno;
		log_error("create signalfd: %s", strerror(err));
		return -err;
	}
	return 0;
}

int signals_restore_child(const struct signals_state *st)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(&st->inherited_ignored, sig) == 1 && sigaction(sig, &sa, NULL) < 0)
			return -errno;
	}
	if (sigprocmask(SIG_SETMASK, &st->inherited_mask, NULL) < 0)
		return -errno;
	return 0;
}
