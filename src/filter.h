/* filter.h - the app's seccomp filter through libseccomp.
 * Built in the parent from struct privs_config (so every error shows before any fork) and
 * exported to plain BPF; the child only loads that BPF with one seccomp(2) call. */
#ifndef TMPINIT_FILTER_H
#define TMPINIT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

struct sock_filter;

/* A compiled filter. len == 0: no filter (nothing to restrict). */
struct filter_prog {
	struct sock_filter *insns;
	size_t len;
	/* for --check: the syscalls the rules name (denied, or allowed in allowlist mode) */
	int *nrs;
	bool *enosys;		/* per nrs[i]: answered with ENOSYS instead of the action */
	size_t n;
	bool clone_ns;		/* clone(2) with namespace flags is denied too */
};

/* Resolve a syscall NAME for the native architecture. Returns 0 with *NR, -ENOENT when no
 * architecture has it, -ENOSYS when it exists only on other architectures. */
int filter_resolve(const char *name, int *nr);

/* Name of native syscall NR, or NULL. */
const char *filter_name(int nr);

/* Build PROG from PC. FILE is the config path for messages. Returns 0 or -errno (logged). */
int filter_build(const struct privs_config *pc, const char *file, struct filter_prog *prog);

/* Load PROG into the calling process (no_new_privs must be set, or CAP_SYS_ADMIN held).
 * Returns 0 or -errno (logged with a hint). */
int filter_load(const struct filter_prog *prog);

/* --check: one paragraph on OUT. */
void filter_print(const struct privs_config *pc, const struct filter_prog *prog, FILE *out);

void filter_free(struct filter_prog *prog);

#endif
