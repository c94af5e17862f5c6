/* supervise.c - the PID-1 loop: drain the signalfd, reap with waitpid(-1, WNOHANG) until
 * nothing is left, forward signals, and stop the whole tree within the deadline.
 * Never exits on an error; never uses kill(-1, ...) unless tmpinit is PID 1 of its namespace. */
#include "supervise.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"
#include "util.h"

#define KILL_REPEAT_MS 100 /* after the deadline, SIGKILL again until nothing is left */
#define OTHERS_POLL_MS 20  /* no SIGCHLD tells when a process that is not our child exits */
#define OTHERS_GRACE_MS 1000 /* after the first SIGKILL, how long such processes may linger */

struct stop_state {
	bool child_alive;
	int child_code;
	bool no_children;
	bool stopping;
	uint64_t deadline;
	int pending_sig;	/* stop signal waiting for stop_delay, 0 = none */
	uint64_t forward_at;
	bool others_termed;
	bool killed;
	uint64_t last_kill;
	bool others;		/* PID 1 only: processes of the namespace that are not our children */
};

/* As PID 1: whether any other process is left in the namespace, our children or not
 * (docker exec, kubectl exec and nsenter put processes there whose parent is outside, so
 * waitpid never sees them). kill(-1, 0) fails with ESRCH exactly when there is none; EPERM
 * means only processes tmpinit may not signal are left, which it could not stop anyway. */
static bool others_left(bool pid1)
{
	if (!pid1)
		return false;
	if (kill(-1, 0) == 0)
		return true;
	if (errno == EPERM)
		log_warn("stop: processes that tmpinit may not signal are still there; not waiting for them");
	return false;
}

static int status_to_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return TMPINIT_EXIT_FAILURE;
}

/* Collect (pid, ppid) of every process from /proc and signal those that descend from us. */
static int signal_descendants(int sig)
{
	struct proc_ent {
		pid_t pid, ppid;
		bool mark;
	} *ents = NULL;
	size_t n = 0, cap = 0;
	pid_t self = getpid();
	int count = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	bool grew;

	if (!d) {
		log_warn("open /proc to find descendants: %s", strerror(errno));
		return 0;
	}
	while ((de = readdir(d))) {
		char path[300], buf[512], *p;
		ssize_t len;
		int fd;
		uint64_t pid;

		if (util_parse_uint(de->d_name, INT32_MAX, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
		if (!p || strlen(p) < 4)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct proc_ent *ne = realloc(ents, ncap * sizeof(*ents));

			if (!ne)
				break;
			ents = ne;
			cap = ncap;
		}
		ents[n].pid = (pid_t)pid;
		ents[n].ppid = (pid_t)strtol(p + 4, NULL, 10);
		ents[n].mark = false;
		n++;
	}
	closedir(d);
	/* Mark the transitive children of tmpinit; a few passes settle any ordering. */
	do {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (ents[i].mark || ents[i].pid == self)
				continue;
			if (ents[i].ppid == self) {
				ents[i].mark = grew = true;
				continue;
			}
			for (size_t j = 0; j < n; j++) {
				if (ents[j].mark && ents[j].pid == ents[i].ppid) {
					ents[i].mark = grew = true;
					break;
				}
			}
		}
	} while (grew);
	for (size_t i = 0; i < n; i++) {
		if (ents[i].mark && kill(ents[i].pid, sig) == 0)
			count++;
	}
	free(ents);
	return count;
}

int supervise_signal_all(int sig, bool pid1)
{
	if (pid1) {
		if (kill(-1, sig) == 0)
			return 1;
		if (errno != ESRCH)
			log_warn("send %s to all processes: %s", util_signal_name(sig), strerror(errno));
		return 0;
	}
	return signal_descendants(sig);
}

static void send_to_app(const struct tmpinit_config *cfg, pid_t child, int sig)
{
	pid_t target = cfg->signal_target == TARGET_GROUP ? -child : child;

	log_debug("forward %s to %s %d", util_signal_name(sig),
		  cfg->signal_target == TARGET_GROUP ? "process group" : "pid", (int)child);
	if (kill(target, sig) < 0 && errno != ESRCH)
		log_warn("forward %s to %d: %s", util_signal_name(sig), (int)target, strerror(errno));
}

/* The stop signal to the app, then SIGCONT: a stopped app (^Z, SIGTSTP, SIGSTOP) would keep
 * the stop signal pending and only meet SIGKILL at the deadline. systemd does the same
 * (systemd.kill(5), "SIGCONT"); the remaining processes get the same pair later. */
static void send_stop_to_app(const struct tmpinit_config *cfg, pid_t child, int sig)
{
	send_to_app(cfg, child, sig);
	if (sig != SIGCONT)
		send_to_app(cfg, child, SIGCONT);
}

static void reap_all(const struct tmpinit_config *cfg, pid_t child, struct stop_state *st)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0) {
			if (pid == child) {
				st->child_alive = false;
				st->child_code = status_to_code(status);
				if (WIFSIGNALED(status))
					log_info("app (pid %d) was killed by %s (code %d)", (int)pid,
						 util_signal_name(WTERMSIG(status)), st->child_code);
				else
					log_info("app (pid %d) exited with code %d", (int)pid, st->child_code);
			} else if (cfg->warn_on_reap) {
				log_warn("reaped zombie process %d", (int)pid);
			} else {
				log_trace("reaped process %d", (int)pid);
			}
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		st->no_children = pid < 0 && errno == ECHILD;
		return;
	}
}

static void begin_stop(const struct tmpinit_config *cfg, struct stop_state *st, uint64_t now, uint64_t delay)
{
	char buf[32];

	st->stopping = true;
	st->deadline = now + delay + cfg->stop_timeout_ms;
	util_format_duration(delay + cfg->stop_timeout_ms, buf, sizeof(buf));
	log_info("stop: begun, SIGKILL deadline in %s", buf);
}

static bool is_stop_trigger(const struct tmpinit_config *cfg, int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == cfg->stop_signal;
}

static void handle_signal(const struct tmpinit_config *cfg, pid_t child, struct stop_state *st,
			  const struct signalfd_siginfo *si, uint64_t now)
{
	int sig = (int)si->ssi_signo;
	int out = sig < (int)ARRAY_SIZE(cfg->rewrite) && cfg->rewrite[sig] ? cfg->rewrite[sig] : sig;

	if (sig == SIGCHLD)
		return; /* reaping happens on every wake anyway */
	/* A SIGPIPE raised by tmpinit's own write to a closed stderr comes "from" ourselves. */
	if (sig == SIGPIPE && (pid_t)si->ssi_pid == getpid())
		return;
	if (signals_not_forwarded(sig)) {
		log_debug("not forwarding %s", util_signal_name(sig));
		return;
	}
	if (out < 0) {
		log_debug("dropping %s (rewrite to 0)", util_signal_name(sig));
		return;
	}
	if (is_stop_trigger(cfg, sig) && !st->stopping) {
		log_info("stop: %s received", util_signal_name(sig));
		begin_stop(cfg, st, now, cfg->stop_delay_ms);
		if (cfg->stop_delay_ms > 0 && st->child_alive) {
			st->pending_sig = out;
			st->forward_at = now + cfg->stop_delay_ms;
			return;
		}
		if (st->child_alive)
			send_stop_to_app(cfg, child, out);
		return;
	} else if (is_stop_trigger(cfg, sig) && st->pending_sig) {
		return; /* already waiting out the delay; the deadline stays as it is */
	}
	if (st->child_alive)
		send_to_app(cfg, child, out);
}

static int next_timeout(const struct stop_state *st, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	if (!st->stopping)
		return -1;
	if (st->pending_sig)
		next = st->forward_at;
	if (!st->killed && st->deadline < next)
		next = st->deadline;
	if (st->killed && st->last_kill + KILL_REPEAT_MS < next)
		next = st->last_kill + KILL_REPEAT_MS;
	if (st->others && now + OTHERS_POLL_MS < next)
		next = now + OTHERS_POLL_MS;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

int supervise_run(const struct tmpinit_config *cfg, int sigfd, pid_t child, bool pid1)
{
	struct stop_state st = { .child_alive = true, .child_code = TMPINIT_EXIT_FAILURE };
	struct signalfd_siginfo si[16];

	for (;;) {
		uint64_t now;
		struct pollfd pfd = { .fd = sigfd, .events = POLLIN };

		reap_all(cfg, child, &st);
		now = util_now_ms();
		if (!st.child_alive && !st.stopping) {
			log_info("stop: the app ended without a stop signal");
			begin_stop(cfg, &st, now, 0);
		}
		if (st.stopping) {
			if (st.pending_sig && (now >= st.forward_at || !st.child_alive)) {
				if (st.child_alive)
					send_stop_to_app(cfg, child, st.pending_sig);
				st.pending_sig = 0;
			}
			if (!st.child_alive && st.no_children)
				st.others = others_left(pid1);
			if (!st.child_alive && !st.others_termed) {
				st.others_termed = true;
				/* after the deadline's SIGKILL to everything, a SIGTERM would come too late */
				if ((!st.no_children || st.others) && !st.killed) {
					log_info("stop: sending SIGTERM to the remaining processes");
					supervise_signal_all(SIGTERM, pid1);
					/* A process stopped by SIGSTOP/SIGTSTP would never act on SIGTERM. */
					supervise_signal_all(SIGCONT, pid1);
				}
			}
			if (st.no_children && !st.others) {
				log_info("stop: every process has exited");
				break;
			}
			if (st.no_children && st.killed && now >= st.deadline + OTHERS_GRACE_MS) {
				/* only zombies whose parent is outside and does not reap them can outlast
				 * SIGKILL this long; they can write nothing more */
				log_warn("stop: processes that are not tmpinit's children outlast SIGKILL (zombies of a "
					 "parent outside the container?); going on with the shutdown");
				break;
			}
			if (now >= st.deadline && (!st.killed || now >= st.last_kill + KILL_REPEAT_MS)) {
				if (!st.killed)
					log_warn("stop: deadline reached, sending SIGKILL to every remaining process");
				if (st.child_alive)
					kill(cfg->signal_target == TARGET_GROUP ? -child : child, SIGKILL);
				supervise_signal_all(SIGKILL, pid1);
				st.killed = true;
				st.last_kill = now;
			}
		}
		if (poll(&pfd, 1, next_timeout(&st, now)) < 0 && errno != EINTR)
			log_warn("wait for signals: %s", strerror(errno));
		for (;;) {
			ssize_t n = read(sigfd, si, sizeof(si));

			if (n <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				break;
			}
			now = util_now_ms();
			for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++)
				handle_signal(cfg, child, &st, &si[i], now);
		}
	}
	return st.child_code;
}
