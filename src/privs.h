/* privs.h - the app's reduced identity: [user], [capabilities], no_new_privs, [seccomp].
 * Parsing and filter building happen in the parent (errors with FILE:LINE before any fork);
 * privs_apply() is THE ordered privilege drop in the child, and nothing else changes
 * uid/gid/caps/no_new_privs/seccomp. */
#ifndef TMPINIT_PRIVS_H
#define TMPINIT_PRIVS_H

#include <stdbool.h>

#include "config.h"

struct privs_plan;

/* Parse one key of [user], [capabilities] or [seccomp] (SECTION without brackets) into
 * PC. FILE and LINE are for the message. Returns 0, or -EINVAL after logging
 * "FILE:LINE: [section] key: problem (expected ...)". CONT: the line is an indented
 * continuation of KEY. */
int privs_config_key(struct privs_config *pc, const char *file, unsigned line, const char *section,
		     const char *key, const char *value, bool cont);

/* The ini parser saw the header of SECTION (one of privs_config_owns): a bare [seccomp]
 * already means the default profile. */
void privs_config_section(struct privs_config *pc, const char *section);

/* True when SECTION ("user", "capabilities", "seccomp") belongs to privs_config_key. */
bool privs_config_owns(const char *section);

/* Release what privs_config_key allocated. */
void privs_config_free(struct privs_config *pc);

/* Resolve names against the image's /etc/passwd and /etc/group, parse capability names and
 * build the seccomp filter, in the parent. Returns 0 or -errno (already logged). */
int privs_prepare(const struct tmpinit_config *cfg, struct privs_plan **plan);

/* In the child, right before execve: setgroups, setresgid, setresuid (verified), bounding
 * set, permitted/effective/inheritable, ambient, no_new_privs, seccomp. Returns 0 or
 * -errno after logging the step that failed with a hint. */
int privs_apply(const struct privs_plan *plan);

/* Environment changes for the app (HOME, USER, LOGNAME) when [user] is set; NULL-terminated
 * "KEY=VALUE" list owned by the plan, or NULL. */
char *const *privs_env(const struct privs_plan *plan);

/* In tmpinit after the app started: keep only what the stop needs. Logs, never fails hard. */
void privs_shrink_self(const struct privs_plan *plan);

/* --check: print the app's identity, capability sets, no_new_privs and a filter summary. */
void privs_print_plan(const struct tmpinit_config *cfg, const struct privs_plan *plan);

void privs_plan_free(struct privs_plan *plan);

#endif
