/* supervise.h - the PID-1 loop: drain signals, reap, forward, and the stop state machine. */
#ifndef TMPINIT_SUPERVISE_H
#define TMPINIT_SUPERVISE_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

/* Run until the app has exited and no child of tmpinit remains (all stopped within the
 * deadline). SIGFD is the signalfd from signals_setup; CHILD the app's pid; PID1 whether
 * tmpinit is PID 1 of its namespace (otherwise it is a subreaper and signals only its own
 * descendants). Returns the app's exit code: its status, or 128+n when killed by signal n.
 * Never exits on an error: logs it and goes on. */
int supervise_run(const struct tmpinit_config *cfg, int sigfd, pid_t child, bool pid1);

/* Send SIG to every process tmpinit is responsible for except itself: kill(-1) when PID 1,
 * otherwise each descendant found in /proc. Returns how many were signalled (PID 1: 1 when
 * any process was, 0 when none is left). */
int supervise_signal_all(int sig, bool pid1);

#endif
