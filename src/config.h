/* config.h - struct tmpinit_config: everything tmpinit was asked to do, from the command
 * line, the environment and the ini file. config.c fills and validates it with FILE:LINE
 * messages and no side effects; every other module reads it through a const pointer. */
#ifndef TMPINIT_CONFIG_H
#define TMPINIT_CONFIG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"

#define TMPINIT_DEFAULT_CONFIG "/etc/tmpinit.ini"
#define TMPINIT_DEFAULT_STOP_TIMEOUT_MS 5000
#define TMPINIT_DEFAULT_TMPFS_SIZE (64ULL << 20)
#define TMPINIT_MAX_TMPFS 64
#define CONFIG_MAX_DURATION_MS (24ULL * 3600 * 1000) /* stop_timeout and stop_delay, everywhere */

enum root_policy {
	ROOT_IGNORE = 0,
	ROOT_REQUIRE,
	ROOT_REMOUNT,
};

enum signal_target {
	TARGET_CHILD = 0,
	TARGET_GROUP,
};

enum tmpfs_source {
	SOURCE_AUTO = 0,
	SOURCE_MOUNT,
	SOURCE_ADOPT,
};

enum shred_pattern {
	PATTERN_ZERO = 0,
	PATTERN_RANDOM,
};

/* One [tmpfs PATH] section. */
struct tmpfs_spec {
	char *path;		/* absolute, normalised */
	unsigned line;		/* line of the section header, for messages */
	uint64_t size;		/* bytes */
	bool size_set;
	uint64_t inodes;	/* 0 = kernel default */
	unsigned mode;		/* default 01777 */
	bool mode_set;
	uid_t uid;
	gid_t gid;
	bool owner_set;
	char *owner;		/* as written, "user:group" */
	bool exec, suid, dev;	/* all false by default */
	bool swap_allow;	/* false: mount with noswap */
	bool shred;		/* default true */
	enum tmpfs_source source;
	enum shred_pattern pattern;
	unsigned passes;	/* default 1 */

	/* run time state, filled by tmpfs.c */
	bool mounted;		/* tmpinit mounted it, so it unmounts it after the shred */
	bool adopted;
	/* The mount's root directory, opened once at setup before the app runs: the shred and
	 * the unmount go through it, never through PATH again, so an app that covers, moves or
	 * renames the path (or an ancestor) cannot hide the tmpfs or swap another one in. */
	bool have_root;
	int root_fd;
};

enum seccomp_profile {
	SECCOMP_PROFILE_NONE = 0,
	SECCOMP_PROFILE_DEFAULT,
};

enum seccomp_mode {
	SECCOMP_MODE_DENYLIST = 0,
	SECCOMP_MODE_ALLOWLIST,
};

enum seccomp_action {
	SECCOMP_ACT_ERRNO = 0,
	SECCOMP_ACT_KILL,
	SECCOMP_ACT_LOG,
};

/* A syscall named in [seccomp], resolved to its number on the native arch at parse time. */
struct syscall_rule {
	char *name;
	int nr;
	unsigned line;
};

/* [user], [capabilities], [seccomp]: the identity the app runs with. */
struct privs_config {
	bool user_set;		/* [user] user given */
	uid_t uid;
	char *user_name;	/* from /etc/passwd, or NULL for a bare uid without entry */
	char *home;		/* from /etc/passwd, or "/" */
	bool group_set;
	gid_t gid;
	bool groups_set;	/* [user] groups given (may be empty: clear all) */
	gid_t *groups;
	size_t ngroups;
	unsigned user_line;

	bool caps_set;		/* [capabilities] keep given */
	uint64_t caps_keep;	/* bit N = capability N */
	unsigned caps_line;

	int no_new_privs;	/* -1 = auto (on when anything is restricted), 0, 1 */
	unsigned nnp_line;	/* line of [capabilities] no_new_privs, for messages */

	bool seccomp_set;	/* any [seccomp] key given */
	enum seccomp_profile seccomp_profile;
	enum seccomp_mode seccomp_mode;
	enum seccomp_action seccomp_action;
	int seccomp_errno;	/* default EPERM */
	struct syscall_rule *deny;
	size_t ndeny;
	struct syscall_rule *allow;
	size_t nallow;

	unsigned keys_seen;	/* bit per scalar key given, so each is refused a second time */
};

struct tmpinit_config {
	/* where the ini came from; NULL path when none was read */
	const char *config_path;
	bool config_loaded;
	bool check_only;	/* --check */

	/* the app: argv from the command line, else [init] command */
	char **argv;
	bool argv_from_config;
	char **config_argv;	/* [init] command as parsed; owned and freed by config_free,
				 * kept apart from argv because main.c may point argv at its own */

	/* tini compatible */
	bool subreaper;		/* -s / TINI_SUBREAPER; automatic when not PID 1 */
	int pdeath_signal;	/* -p SIGNAL, 0 = none */
	bool warn_on_reap;	/* -w */
	bool remap_exit[256];	/* -e CODE */
	int verbosity;		/* log threshold, enum log_level */
	enum log_format log_format;

	/* stop policy */
	enum signal_target signal_target; /* -g / TINI_KILL_PROCESS_GROUP / signal_target */
	int stop_signal;	/* signal sent to the app on stop; default SIGTERM */
	uint64_t stop_timeout_ms; /* SIGKILL deadline after the stop begins */
	uint64_t stop_delay_ms;	/* wait before forwarding the stop signal */
	int rewrite[65];	/* rewrite[from] = to; 0 = unchanged, -1 = drop (not forwarded) */

	enum root_policy read_only;
	struct tmpfs_spec tmpfs[TMPINIT_MAX_TMPFS];
	size_t ntmpfs;

	struct privs_config privs;

	/* the path tmpinit runs from (/proc/self/exe), so no tmpfs may cover it */
	char *self_path;
};

/* Fill CFG with built-in defaults. */
void config_init(struct tmpinit_config *cfg);

/* Parse the ini file at PATH into CFG. EXPLICIT: the path was named by -c/TMPINIT_CONFIG,
 * so a missing file is an error; otherwise a missing file means "no config".
 * Logs "FILE:LINE: [section] key: problem (expected ...)". main.c applies the command
 * line and environment on top afterwards (they win over the file).
 * Returns 0 or -EINVAL (config error) / -errno (unreadable). */
int config_load(struct tmpinit_config *cfg, const char *path, bool explicit_path);

/* Cross-field checks after CLI and file are merged (tmpfs path overlaps, self path). */
int config_validate(struct tmpinit_config *cfg);

/* Print the effective plan and residual risks for --check on stdout. */
void config_print_plan(const struct tmpinit_config *cfg);

/* Release everything config_load allocated. */
void config_free(struct tmpinit_config *cfg);

#endif
