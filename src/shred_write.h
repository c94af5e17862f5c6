/* shred_write.h - internal to the shred module: what is done to one file (open without
 * links, clear flags, overwrite its data in place), as opposed to the walk in shred.c. The
 * overwrite Never truncates, never writes into a hole (no page is allocated, so a sparse
 * file never fills the tmpfs). shred.c walks the tree and decides which file; this writes. */
#ifndef TMPINIT_SHRED_WRITE_H
#define TMPINIT_SHRED_WRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "config.h"

struct open_how;

/* What the worker process does, for tests: NORMAL shares the chunks with the parent; ONLY
 * makes the parent wait until the worker is done before it takes any chunk; CRASH kills the
 * worker with SIGKILL halfway through its first chunk (the parent must redo it). */
enum shred_worker_mode {
	SHRED_WORKER_NORMAL = 0,
	SHRED_WORKER_ONLY,
	SHRED_WORKER_CRASH,
};

struct shred_writer {
	enum shred_pattern pattern;
	unsigned passes;	/* >= 1 */
	char *buf;		/* one write chunk: zeros (never written) or random data */
	uint64_t split_min;	/* files with at least this much data are shared with a worker;
				 * 0: never (one CPU) */
	enum shred_worker_mode worker_mode;
	uint64_t bytes;		/* bytes overwritten (per pass), both processes */
	uint64_t worker_bytes;	/* of which the worker process wrote */
	uint64_t worker_failures; /* workers that did not finish (their chunks were redone) */
};

/* Set W up for SPEC (pattern, passes; a second process only when two CPUs are usable).
 * Returns 0 or -errno (logged). */
int shred_writer_init(struct shred_writer *w, const struct tmpfs_spec *spec);
void shred_writer_fini(struct shred_writer *w);

/* Whether a file of ST is large enough that shred_write_file would share it with a worker,
 * which then needs RWFD (an O_RDWR fd of the same file, for mmap). */
bool shred_write_wants_rw(const struct shred_writer *w, const struct stat *st);

/* Overwrite every allocated data region of FD (opened for writing, described by ST) with
 * W's pattern, W->passes times. With RWFD >= 0 and a large file, a forked worker overwrites
 * part of it through a shared mapping while this process writes the rest, and both free
 * (punch) what they finished; whatever the worker did not finish is redone here, so a
 * crashing worker loses nothing. Length and content read through any held fd: the original
 * length, all zeros (or the pattern). Returns 0 or -errno; logs nothing (the caller does). */
int shred_write_file(struct shred_writer *w, int fd, int rwfd, const struct stat *st);

/* openat2(2) through syscall() (glibc 2.36 has no wrapper); -1 and errno. */
long shred_sys_openat2(int dirfd, const char *name, struct open_how *how);
/* The mount id of FD into *ID (statx STATX_MNT_ID); 0 or -ENOTSUP (then *ID = 0). */
int shred_mount_id(int fd, uint64_t *id);
/* Clear FD's immutable and append-only flags: 1 when cleared, 0 when none, or -errno. */
int shred_clear_flags(int fd);

#endif
