/* child.h - everything between fork and execve of the app. */
#ifndef TMPINIT_CHILD_H
#define TMPINIT_CHILD_H

#include <sys/types.h>

#include "config.h"
#include "privs.h"
#include "signals.h"

/* Fork the app: own process group, the terminal's foreground group when stdin is a tty,
 * the inherited signal state, LISTEN_PID rewritten, the privilege drop, execvp.
 * A failure in the child is reported through a close-on-exec pipe, logged here with the
 * exact errno, and the child exits 127 (not found), 126 (not executable) or 125 (setup).
 * Returns the child's pid, or -errno when fork itself failed (already logged). */
pid_t child_spawn(const struct tmpinit_config *cfg, const struct signals_state *sig,
		  const struct privs_plan *plan);

#endif
