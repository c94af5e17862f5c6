/* shred.c - overwrite and remove everything below one tmpfs mount root.
 * Walks from an fd of the root with openat2(RESOLVE_BENEATH|NO_SYMLINKS|NO_XDEV): it never
 * follows a symlink, never enters another mount (bind mounts of the same tmpfs included),
 * never opens a FIFO, socket or device, and never truncates (a holder of an fd must read
 * the original length, all zeros). */
#include "shred.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "shred_write.h"
#include "util.h"

/* Directory fds kept open while descending; deeper levels are reopened through ".." and
 * checked by device and inode, so a 10,000-level tree needs no more fds than this. */
#define SHRED_FD_WINDOW 32
/* Rescans of one directory after entries were removed, for kernels whose tmpfs readdir
 * offsets shift on unlink (before 6.6); stable offsets make the rescan find nothing. */
#define SHRED_MAX_RESCANS 4
#define SHRED_DENTS_SIZE (64u << 10)

struct shred_level {
	int fd;			/* -1 while closed to bound fd use */
	dev_t dev;
	ino_t ino;
	off_t pos;		/* readdir position to resume at after a child */
	bool seek;		/* pos must be applied before the next getdents */
	bool progress;		/* something was removed in this pass */
	bool kept;		/* something stays on purpose or after an error */
	unsigned rescans;
	size_t path_len;	/* length of ctx->path naming this directory */
	size_t name_off;	/* where its own name starts in ctx->path */
};

struct shred_inoset {
	ino_t *v;		/* open addressing, 0 = empty slot */
	size_t cap, len;
};

struct shred_ctx {
	const struct tmpfs_spec *spec;
	struct shred_stats *st;
	struct shred_writer wr;	/* the overwrite of one file, pattern and passes */
	bool have_openat2;
	uint64_t root_mnt_id;
	struct shred_level *lv;
	size_t depth, lv_cap;
	char *path;		/* directory being read, relative to the root, "" for the root */
	size_t path_cap;
	struct shred_inoset seen; /* multiply linked inodes already overwritten */
	struct shred_inoset kept; /* entries left behind and reported: silent on a rescan */
	ino_t cur_ino;		/* d_ino of the entry being handled */
	char dents[SHRED_DENTS_SIZE];
};

struct linux_dirent64 {
	ino64_t d_ino;
	off64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* PATH (relative to the root) with NAME appended, every byte that could break a log line
 * or fool a reader written as \xNN; truncated in the middle when very long. */
static const char *shred_show(const struct shred_ctx *c, const char *name, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const char *parts[3] = { c->spec->path, c->path, name };
	size_t n = 0;

	for (size_t p = 0; p < 3; p++) {
		const char *s = parts[p];

		if (!s || !*s)
			continue;
		if (p > 0 && n + 1 < cap)
			out[n++] = '/';
		for (; *s && n + 5 < cap; s++) {
			unsigned char ch = (unsigned char)*s;

			if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == '"') {
				out[n++] = '\\';
				out[n++] = 'x';
				out[n++] = hex[ch >> 4];
				out[n++] = hex[ch & 15];
			} else {
				out[n++] = (char)ch;
			}
		}
	}
	out[n] = '\0';
	return out;
}

#define SHOW(c, name) shred_show((c), (name), (char[1024]){ 0 }, 1024)

static void shred_fail(struct shred_ctx *c, const char *action, const char *name, int err)
{
	c->st->errors++;
	log_error("shred: %s \"%s\": %s", action, SHOW(c, name), strerror(err));
}

/* Open NAME (one component) below DIRFD: no symlink, no other mount, never out of DIRFD.
 * Returns the fd, or -errno: -EXDEV means NAME is another mount (left alone), -ELOOP a
 * symlink. Without openat2 (before Linux 5.6): O_NOFOLLOW and a mount id comparison. */
static int shred_open(struct shred_ctx *c, int dirfd, const char *name, int flags)
{
	int fd, err;

	flags |= O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
	if (c->have_openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
		};

		do
			fd = (int)shred_sys_openat2(dirfd, name, &how);
		while (fd < 0 && errno == EINTR);
		if (fd >= 0)
			return fd;
		err = errno;
		if (err != ENOSYS)
			return -err;
		c->have_openat2 = false;
	}
	do
		fd = openat(dirfd, name, flags);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	if (c->root_mnt_id) {
		uint64_t id;

		if (shred_mount_id(fd, &id) == 0 && id != c->root_mnt_id) {
			close(fd);
			return -EXDEV;
		}
	}
	return fd;
}

static size_t inoset_slot(const struct shred_inoset *set, ino_t ino)
{
	size_t i = (size_t)((uint64_t)ino * 0x9e3779b97f4a7c15ULL >> 17) & (set->cap - 1);

	while (set->v[i] && set->v[i] != ino)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static bool inoset_has(const struct shred_inoset *set, ino_t ino)
{
	return set->len && set->v[inoset_slot(set, ino)] == ino;
}

/* Adds INO; returns true when it was not there yet. On ENOMEM says "new", which at worst
 * overwrites a hard-linked inode twice or reports a kept entry twice. */
static bool inoset_add(struct shred_inoset *set, ino_t ino)
{
	size_t i;

	if (!ino)
		return true;
	if ((set->len + 1) * 2 > set->cap) {
		struct shred_inoset n = { .cap = set->cap ? set->cap * 2 : 64 };

		n.v = calloc(n.cap, sizeof(*n.v));
		if (!n.v)
			return true;
		for (i = 0; i < set->cap; i++)
			if (set->v[i])
				n.v[inoset_slot(&n, set->v[i])] = set->v[i];
		n.len = set->len;
		free(set->v);
		*set = n;
	}
	i = inoset_slot(set, ino);
	if (set->v[i] == ino)
		return false;
	set->v[i] = ino;
	set->len++;
	return true;
}

/* The current entry stays (another mount, or a failure already logged). */
static void shred_keep(struct shred_ctx *c, struct shred_level *l)
{
	l->kept = true;
	inoset_add(&c->kept, c->cur_ino);
}

/* Unlink a non-directory without opening it. EBUSY: a file bind-mounted over it. */
static void shred_unlink(struct shred_ctx *c, struct shred_level *l, const char *name, bool regular)
{
	for (int tries = 0;; tries++) {
		if (unlinkat(l->fd, name, 0) == 0) {
			if (regular)
				c->st->files++;
			else
				c->st->others++;
			l->progress = true;
			return;
		}
		int err = errno;

		if (err == ENOENT)
			return;
		if (err == EBUSY) {
			log_warn("shred: leave \"%s\" alone: another mount is on it (not shredded)", SHOW(c, name));
			c->st->skipped++;
			shred_keep(c, l);
			return;
		}
		/* an immutable or append-only directory refuses every unlink in it */
		if (err == EPERM && tries == 0 && shred_clear_flags(l->fd) > 0)
			continue;
		shred_fail(c, "unlink", name, err);
		shred_keep(c, l);
		return;
	}
}

static void shred_other(struct shred_ctx *c, struct shred_level *l, const char *name);

/* A regular file: open for writing without following anything, overwrite, close, unlink.
 * Five syscalls for a small file: openat2, fstat, pwrite, close, unlinkat. */
static void shred_file(struct shred_ctx *c, struct shred_level *l, const char *name)
{
	struct stat st;
	int fd, r;

	for (int tries = 0;; tries++) {
		fd = shred_open(c, l->fd, name, O_WRONLY);
		if (fd >= 0 || tries > 0)
			break;
		if (fd == -EPERM) {
			/* immutable or append-only: open read-only to clear the flags, then retry */
			int ro = shred_open(c, l->fd, name, O_RDONLY);

			if (ro >= 0) {
				r = shred_clear_flags(ro);
				close(ro);
				if (r > 0)
					continue;
			}
		} else if (fd == -EACCES) {
			/* mode 0000 without CAP_DAC_OVERRIDE: works when we own the file */
			if (fchmodat(l->fd, name, 0600, AT_SYMLINK_NOFOLLOW) == 0)
				continue;
		}
		break;
	}
	if (fd < 0) {
		if (fd == -EXDEV) {
			log_warn("shred: leave \"%s\" alone: another mount is on it (not shredded)", SHOW(c, name));
			c->st->skipped++;
			shred_keep(c, l);
		} else if (fd == -ELOOP || fd == -ENXIO || fd == -ENOTDIR || fd == -EISDIR) {
			shred_other(c, l, name); /* replaced since readdir: go by what it is now */
		} else if (fd != -ENOENT) {
			shred_fail(c, "open for overwrite", name, -fd);
			shred_keep(c, l);
		}
		return;
	}
	if (fstat(fd, &st) < 0) {
		shred_fail(c, "stat", name, errno);
		close(fd);
		shred_keep(c, l);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		shred_other(c, l, name);
		return;
	}
	/* each inode once: the last link of a pair has st_nlink 1 again when it comes */
	if (st.st_nlink > 1 ? inoset_add(&c->seen, st.st_ino) : !inoset_has(&c->seen, st.st_ino)) {
		int rw = -1;

		/* a large file is shared with a worker that maps it, which needs it readable too
		 * (the same inode, checked; without it, this process overwrites all of it) */
		if (shred_write_wants_rw(&c->wr, &st)) {
			struct stat rst;

			rw = shred_open(c, l->fd, name, O_RDWR);
			if (rw >= 0 && (fstat(rw, &rst) < 0 || rst.st_ino != st.st_ino || rst.st_dev != st.st_dev)) {
				close(rw);
				rw = -1;
			}
		}
		r = shred_write_file(&c->wr, fd, rw, &st);
		if (rw >= 0)
			close(rw);
		if (r < 0) {
			shred_fail(c, "overwrite", name, -r);
			close(fd);
			shred_keep(c, l);
			return; /* never unlink what could not be overwritten: the pages stay as they are */
		}
	}
	close(fd);
	shred_unlink(c, l, name, true);
}

/* Anything that is not a directory or a regular file, or whose type readdir did not say. */
static void shred_other(struct shred_ctx *c, struct shred_level *l, const char *name)
{
	struct stat st;

	if (fstatat(l->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT) {
			shred_fail(c, "stat", name, errno);
			shred_keep(c, l);
		}
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		/* a directory that readdir called something else: its turn comes on the rescan */
		l->progress = true;
		return;
	}
	if (S_ISREG(st.st_mode)) {
		shred_file(c, l, name);
		return;
	}
	shred_unlink(c, l, name, false);
}

static int shred_push(struct shred_ctx *c, int fd, const char *name)
{
	struct shred_level *l;
	struct stat st;
	size_t nlen = name ? strlen(name) : 0, plen = c->depth ? c->lv[c->depth - 1].path_len : 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (c->depth == c->lv_cap) {
		size_t ncap = c->lv_cap ? c->lv_cap * 2 : 64;
		struct shred_level *n = realloc(c->lv, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->lv = n;
		c->lv_cap = ncap;
	}
	if (plen + nlen + 2 > c->path_cap) {
		size_t ncap = (plen + nlen + 2) * 2;
		char *n = realloc(c->path, ncap);

		if (!n)
			return -ENOMEM;
		c->path = n;
		c->path_cap = ncap;
	}
	l = &c->lv[c->depth];
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->name_off = plen ? plen + 1 : 0;
	if (name) {
		if (plen)
			c->path[plen] = '/';
		memcpy(c->path + l->name_off, name, nlen);
	}
	l->path_len = l->name_off + nlen;
	c->path[l->path_len] = '\0';
	c->depth++;
	/* bound the fds: the level SHRED_FD_WINDOW above is reopened through ".." later */
	if (c->depth > SHRED_FD_WINDOW) {
		struct shred_level *old = &c->lv[c->depth - 1 - SHRED_FD_WINDOW];

		if (old->fd >= 0) {
			close(old->fd);
			old->fd = -1;
		}
	}
	/* an immutable directory would refuse every unlink inside it */
	int r = shred_clear_flags(fd);

	if (r < 0 && r != -ENOTTY && r != -EINVAL)
		log_debug("shred: clear the flags of \"%s\": %s", SHOW(c, NULL), strerror(-r));
	return 0;
}

/* Leave the top directory: make sure the parent is open (reopened through ".." and checked
 * by device and inode), close the child, remove it. */
static int shred_pop(struct shred_ctx *c)
{
	struct shred_level *l = &c->lv[c->depth - 1], *p = &c->lv[c->depth - 2];
	char name[NAME_MAX + 1];

	snprintf(name, sizeof(name), "%s", c->path + l->name_off);
	c->path[p->path_len] = '\0';
	c->cur_ino = l->ino;
	if (p->fd < 0) {
		struct stat st;
		int fd = openat(l->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != p->dev || st.st_ino != p->ino) {
			int err = fd < 0 ? errno : EXDEV;

			if (fd >= 0)
				close(fd);
			shred_fail(c, "reopen the parent of", name, err);
			return -err; /* moved while we were below it: give up on this path */
		}
		p->fd = fd;
	}
	close(l->fd);
	c->depth--;
	p->seek = true;
	if (unlinkat(p->fd, name, AT_REMOVEDIR) == 0) {
		c->st->dirs++;
		p->progress = true;
	} else if (errno == ENOTEMPTY && l->kept) {
		shred_keep(c, p); /* what stays inside was already reported */
	} else if (errno != ENOENT) {
		shred_fail(c, "remove directory", name, errno);
		shred_keep(c, p);
	}
	return 0;
}

/* Read entries of the top directory and handle them; returns after descending into a
 * subdirectory, at the end of the directory (then pops or rescans), or on error. */
static int shred_step(struct shred_ctx *c)
{
	struct shred_level *l = &c->lv[c->depth - 1];
	long n;

	if (l->seek) {
		if (lseek(l->fd, l->pos, SEEK_SET) < 0) {
			shred_fail(c, "seek in directory", NULL, errno);
			return -errno;
		}
		l->seek = false;
	}
	do
		n = syscall(SYS_getdents64, l->fd, c->dents, sizeof(c->dents));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = errno;

		shred_fail(c, "read directory", NULL, err);
		l->kept = true; /* the parent's rmdir will fail: already reported */
		n = 0;
	}
	if (n == 0) {
		if (l->progress && l->rescans < SHRED_MAX_RESCANS) {
			l->progress = false;
			l->rescans++;
			l->pos = 0;
			l->seek = true;
			return 0;
		}
		if (c->depth == 1) {
			c->depth = 0; /* the root itself stays */
			return 0;
		}
		return shred_pop(c);
	}
	for (long off = 0; off < n;) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)(c->dents + off);
		const char *name = d->d_name;

		off += d->d_reclen;
		if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
			continue;
		if (inoset_has(&c->kept, (ino_t)d->d_ino))
			continue; /* reported on an earlier pass */
		c->cur_ino = (ino_t)d->d_ino;
		switch (d->d_type) {
		case DT_REG:
			shred_file(c, l, name);
			break;
		case DT_DIR: {
			int fd = shred_open(c, l->fd, name, O_RDONLY | O_DIRECTORY), r;

			if (fd == -EXDEV) {
				log_warn("shred: leave \"%s\" alone: another mount (not shredded)", SHOW(c, name));
				c->st->skipped++;
				shred_keep(c, l);
			} else if (fd == -ELOOP || fd == -ENOTDIR) {
				shred_other(c, l, name);
			} else if (fd < 0) {
				if (fd != -ENOENT) {
					shred_fail(c, "open directory", name, -fd);
					shred_keep(c, l);
				}
			} else {
				l->pos = d->d_off;
				l->seek = true;
				r = shred_push(c, fd, name);
				if (r < 0) {
					close(fd);
					shred_fail(c, "descend into", name, -r);
					shred_keep(c, l);
					break;
				}
				return 0;
			}
			break;
		}
		default:
			if (d->d_type == DT_UNKNOWN)
				shred_other(c, l, name);
			else
				shred_unlink(c, l, name, false);
		}
	}
	return 0;
}

int shred_tree(const struct tmpfs_spec *spec, struct shred_stats *stats)
{
	struct shred_ctx *c;
	struct statfs sfs;
	uint64_t start = util_now_ms();
	int fd, r = 0;

	memset(stats, 0, sizeof(*stats));
	/* The root held since setup when there is one (tmpfs.c): PATH may lead elsewhere by now.
	 * A copy, because the walk closes what it is given. */
	if (spec->have_root) {
		fd = fcntl(spec->root_fd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			fd = -errno;
	} else
		fd = shred_open_path(spec->path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		log_error("shred: open \"%s\": %s (hint: the path must be a directory reached without symlinks)",
			  spec->path, strerror(-fd));
		return fd;
	}
	if (fstatfs(fd, &sfs) < 0 || (sfs.f_type != TMPFS_MAGIC && sfs.f_type != RAMFS_MAGIC)) {
		/* on a disk, an overwrite proves nothing (journal, copy-on-write): refuse */
		log_error("shred: \"%s\" is not a tmpfs; not touching it", spec->path);
		close(fd);
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	c->spec = spec;
	c->st = stats;
	c->have_openat2 = true;
	shred_mount_id(fd, &c->root_mnt_id);
	r = shred_writer_init(&c->wr, spec);
	if (r < 0)
		goto out;
	r = shred_push(c, fd, NULL);
	if (r < 0) {
		log_error("shred: \"%s\": %s", spec->path, strerror(-r));
		goto out;
	}
	fd = -1;
	while (c->depth > 0)
		if (shred_step(c) < 0)
			break; /* lost our way in the tree (moved under us): stop, counted */
	r = 0;
out:
	for (size_t i = 0; i < c->depth; i++)
		if (c->lv[i].fd >= 0)
			close(c->lv[i].fd);
	if (fd >= 0)
		close(fd);
	stats->bytes = c->wr.bytes;
	shred_writer_fini(&c->wr);
	free(c->lv);
	free(c->path);
	free(c->seen.v);
	free(c->kept.v);
	free(c);
	stats->elapsed_ms = util_now_ms() - start;
	return r;
}
