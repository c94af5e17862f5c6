/* signals.h - tmpinit's signal state: what it inherited, the blocked mask and the signalfd
 * it reads everything from, and what the app gets back before execve. No async handlers. */
#ifndef TMPINIT_SIGNALS_H
#define TMPINIT_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

struct signals_state {
	sigset_t inherited_mask;	/* the blocked mask tmpinit was started with */
	sigset_t inherited_ignored;	/* signals that were SIG_IGN when tmpinit started */
	int fd;				/* signalfd, CLOEXEC|NONBLOCK */
};

/* Record the inherited mask and ignored set, reset ignored signals to SIG_DFL (an ignored
 * signal never reaches a signalfd, and an ignored SIGCHLD would auto-reap the app), block
 * every signal but the synchronous fault signals and open the signalfd.
 * Returns 0 or -errno (already logged). */
int signals_setup(struct signals_state *st);

/* In the child: restore the inherited ignored set and blocked mask exactly. Returns 0 or
 * -errno; must only use async-signal-safe calls. */
int signals_restore_child(const struct signals_state *st);

/* True for signals tmpinit never forwards: SIGCHLD, the fault signals, SIGTTIN, SIGTTOU,
 * SIGKILL and SIGSTOP. */
bool signals_not_forwarded(int sig);

#endif
