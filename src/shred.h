/* shred.h - overwrite and remove everything below one tmpfs mount root.
 * Never follows a symlink, never crosses into another mount, never opens a FIFO, socket or
 * device, never leaves the tree it was given. */
#ifndef TMPINIT_SHRED_H
#define TMPINIT_SHRED_H

#include <stdint.h>

#include "config.h"

struct shred_stats {
	uint64_t files;		/* regular files overwritten and unlinked */
	uint64_t bytes;		/* bytes overwritten (allocated data regions only, per pass) */
	uint64_t others;	/* symlinks, fifos, sockets, devices unlinked */
	uint64_t dirs;		/* directories removed */
	uint64_t skipped;	/* entries left alone on purpose (other mounts below the root) */
	uint64_t errors;	/* failures, each logged with its path */
	uint64_t elapsed_ms;
};

/* Overwrite every regular file below SPEC->path (each inode once, data regions only, with
 * SPEC->pattern for SPEC->passes passes), unlink every entry and remove every directory,
 * leaving the (empty) mount root itself. Fills STATS. Returns 0 or -errno when the root
 * itself could not be opened; per-entry failures are counted in STATS->errors. */
int shred_tree(const struct tmpfs_spec *spec, struct shred_stats *stats);

/* Open the absolute PATH with FLAGS without following a symlink in any component
 * (openat2 RESOLVE_NO_SYMLINKS; one O_NOFOLLOW component at a time before Linux 5.6).
 * Returns the fd or -errno; logs nothing. */
int shred_open_path(const char *path, int flags);

#endif
