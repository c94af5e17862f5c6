/* tmpfs.h - the root filesystem policy and the tmpfs scratch paths: check or remount the
 * root read-only, mount or adopt each [tmpfs PATH], and at shutdown shred then unmount.
 * Never touches anything outside the configured paths; never follows a symlink to reach one. */
#ifndef TMPINIT_TMPFS_H
#define TMPINIT_TMPFS_H

#include "config.h"

/* Apply [rootfs] read_only: require (fail if / is writable), remount (make it read-only,
 * keeping nosuid/nodev/noexec), ignore. Returns 0 or -errno (already logged). */
int tmpfs_check_root(const struct tmpinit_config *cfg);

/* Mount or adopt every [tmpfs PATH] in order; sets spec->mounted / spec->adopted.
 * On failure, unmounts what it mounted so far and returns -errno (already logged). */
int tmpfs_setup_all(struct tmpinit_config *cfg);

/* Shutdown phase, after every process is gone: shred each path with shred = yes, then
 * unmount the ones tmpinit mounted. Best effort: logs every failure, one report line per
 * path. Returns the number of errors. */
unsigned tmpfs_teardown_all(struct tmpinit_config *cfg);

#endif
