/* shred_write.c - overwrite the data of one open regular file in place, every pass; large
 * files on two CPUs, the second one a forked worker process (tmpinit stays single-threaded).
 * Never truncates (a holder of an fd must read the original length), never writes into a
 * hole (a 10 GiB hole in a 16 MiB tmpfs costs two lseeks and never allocates a page). */
#include "shred_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "shred.h"

/* One write per chunk: large enough that syscalls cost nothing next to the copy, small
 * enough to stay in L2 when the source is a real buffer (pattern = random). */
#define SHRED_CHUNK (1u << 20)
/* Files with this much data are shared with a worker: below it, the fork and the join cost
 * more than half the overwrite saves (1 GiB takes about 170 ms on one core here). */
#define SHRED_SPLIT_MIN (32ull << 20)
/* The unit the two processes claim, overwrite and then free (punch) one after the other. */
#define SHRED_SPLIT_UNIT (8ull << 20)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* Shared (MAP_SHARED anonymous) between the parent and its worker. */
struct shred_split {
	uint64_t next;		/* next unit to claim */
	uint64_t worker_bytes;	/* bytes of the units the worker finished */
	uint8_t done[];		/* 1: overwritten (every pass) and punched */
};

int shred_writer_init(struct shred_writer *w, const struct tmpfs_spec *spec)
{
	cpu_set_t cpus;

	memset(w, 0, sizeof(*w));
	w->pattern = spec->pattern;
	w->passes = spec->passes ? spec->passes : 1;
	/* a second process only helps when it can run at the same time */
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) >= 2)
		w->split_min = SHRED_SPLIT_MIN;
	/* never-written anonymous memory reads as the shared zero page: a 1 MiB source of
	 * zeros that costs no RSS and stays in cache */
	w->buf = mmap(NULL, SHRED_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->buf == MAP_FAILED) {
		int err = errno;

		w->buf = NULL;
		log_error("shred: allocate the overwrite buffer: %s", strerror(err));
		return -err;
	}
	return 0;
}

void shred_writer_fini(struct shred_writer *w)
{
	if (w->buf)
		munmap(w->buf, SHRED_CHUNK);
	w->buf = NULL;
}

static int fill_random(char *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);

		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0)
			got += (size_t)r;
	}
	return 0;
}

/* Overwrite [OFF, END) of FD with pwrite, in chunks. Adds to *BYTES. Returns 0 or -errno. */
static int write_range(struct shred_writer *w, int fd, off_t off, off_t end, uint64_t *bytes)
{
	while (off < end) {
		size_t n = (size_t)(end - off) < SHRED_CHUNK ? (size_t)(end - off) : SHRED_CHUNK;
		ssize_t r;

		if (w->pattern == PATTERN_RANDOM) {
			int e = fill_random(w->buf, n);

			if (e < 0)
				return e;
		}
		r = pwrite(fd, w->buf, n, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EIO;
		off += r;
		*bytes += (uint64_t)r;
	}
	return 0;
}

/* Overwrite [OFF, END) of FD through a shared mapping: no inode lock is taken (tmpfs
 * serialises write(2) on one file), so two processes really write at the same time. Only
 * for data regions: a fault in a hole would allocate, and on a full tmpfs raise SIGBUS
 * (which only ever happens in the worker, never in PID 1). */
static int map_range(struct shred_writer *w, int fd, off_t off, off_t end, uint64_t *bytes)
{
	off_t start = off & ~(off_t)(sysconf(_SC_PAGESIZE) - 1);
	size_t len = (size_t)(end - start);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, start);
	int r = 0;

	if (p == MAP_FAILED)
		return -errno;
	/* one call maps every page writable, instead of one fault per page */
	if (madvise(p, len, MADV_POPULATE_WRITE) < 0 && errno != EINVAL)
		r = -errno;
	else if (w->pattern == PATTERN_RANDOM)
		r = fill_random(p + (off - start), (size_t)(end - off));
	else
		memset(p + (off - start), 0, (size_t)(end - off));
	munmap(p, len);
	if (r == 0)
		*bytes += (uint64_t)(end - off);
	return r;
}

/* Every pass over every data region of FD in [OFF, END). MAP: through a mapping. */
static int write_regions(struct shred_writer *w, int fd, off_t off, off_t end, bool map, uint64_t *bytes)
{
	while (off < end) {
		off_t data = lseek(fd, off, SEEK_DATA), hole;

		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		if (data >= end)
			return 0;
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if (hole > end)
			hole = end;
		for (unsigned p = 0; p < w->passes; p++) {
			int r = map ? map_range(w, fd, data, hole, bytes) : write_range(w, fd, data, hole, bytes);

			if (r < 0)
				return r;
		}
		off = hole;
	}
	return 0;
}

/* One process, the file as it is: a file with as many blocks as bytes has no hole worth
 * seeking for; others go region by region. */
static int write_serial(struct shred_writer *w, int fd, const struct stat *st)
{
	if ((uint64_t)st->st_blocks * 512 >= (uint64_t)st->st_size) {
		int r = 0;

		for (unsigned p = 0; p < w->passes && r == 0; p++)
			r = write_range(w, fd, 0, st->st_size, &w->bytes);
		if (r != -ENOSPC)
			return r;
		/* fallocate'd pages past EOF fooled the block count: seek instead */
	}
	return write_regions(w, fd, 0, st->st_size, false, &w->bytes);
}

/* Overwrite unit I (every pass), then free its pages: they hold the pattern now, and a
 * holder of the file reads a punched range as zeros, at the original length. Freeing here
 * instead of at the unlink lets it overlap the other process's overwrite. */
static int write_unit(struct shred_writer *w, int fd, struct shred_split *sh, uint64_t i, off_t size,
		      bool map, bool redo, uint64_t *bytes)
{
	off_t off = (off_t)(i * SHRED_SPLIT_UNIT);
	off_t end = off + (off_t)SHRED_SPLIT_UNIT < size ? off + (off_t)SHRED_SPLIT_UNIT : size;
	int r = -ENOSPC;

	/* the file is dense (write_split's caller checked): straight over the unit, no seek
	 * (SEEK_HOLE walks the page cache up to the next hole, the end of the file: once per
	 * unit that is quadratic); blocks fallocate'd past EOF can fool the count, then a
	 * pwrite gets ENOSPC and the unit goes region by region */
	for (unsigned p = 0; p < w->passes && !redo; p++) {
		r = map ? map_range(w, fd, off, end, bytes) : write_range(w, fd, off, end, bytes);
		if (r < 0)
			break;
	}
	if (redo || r == -ENOSPC)
		r = write_regions(w, fd, off, end, map, bytes);
	if (r < 0)
		return r;
	/* a failure (ramfs: EOPNOTSUPP) only means the unlink frees the pages later */
	(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, end - off);
	__atomic_store_n(&sh->done[i], 1, __ATOMIC_RELEASE);
	return 0;
}

static void worker_run(struct shred_writer *w, int rwfd, struct shred_split *sh, uint64_t n, off_t size)
{
	for (;;) {
		uint64_t i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED), b = 0;

		if (i >= n)
			_exit(0);
		if (w->worker_mode == SHRED_WORKER_CRASH) {
			off_t off = (off_t)(i * SHRED_SPLIT_UNIT);

			map_range(w, rwfd, off, off + (off_t)SHRED_SPLIT_UNIT / 2, &b);
			kill(getpid(), SIGKILL);
		}
		if (write_unit(w, rwfd, sh, i, size, true, false, &b) < 0)
			_exit(1);
		__atomic_add_fetch(&sh->worker_bytes, b, __ATOMIC_RELAXED);
	}
}

/* A large file on two CPUs: the parent (pwrite on FD) and a forked worker (a mapping of
 * RWFD) claim units from a shared counter. After the join, every unit not marked done (the
 * worker failed, crashed or was never started) is overwritten here. */
static int write_split(struct shred_writer *w, int fd, int rwfd, const struct stat *st)
{
	uint64_t n = ((uint64_t)st->st_size + SHRED_SPLIT_UNIT - 1) / SHRED_SPLIT_UNIT;
	size_t shlen = sizeof(struct shred_split) + n;
	struct shred_split *sh = mmap(NULL, shlen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int r = 0, status;

	if (sh == MAP_FAILED)
		return write_serial(w, fd, st);
	pid = fork();
	if (pid == 0)
		worker_run(w, rwfd, sh, n, st->st_size);
	if (pid < 0)
		log_debug("shred: fork a second overwriting process: %s; overwriting in one", strerror(errno));
	else if (w->worker_mode == SHRED_WORKER_ONLY || w->worker_mode == SHRED_WORKER_CRASH)
		goto join; /* test modes: the worker must get the units, however late it starts */
	for (;;) {
		uint64_t i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);

		if (i >= n)
			break;
		r = write_unit(w, fd, sh, i, st->st_size, false, false, &w->bytes);
		if (r < 0)
			break;
	}
join:
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			w->worker_failures++;
			log_debug("shred: the second overwriting process failed (status 0x%x); redoing its part", status);
		}
	}
	w->worker_bytes += sh->worker_bytes;
	w->bytes += sh->worker_bytes;
	/* whatever is not done, by whichever process, is done here; regions only, so a unit
	 * the worker had half punched allocates nothing */
	for (uint64_t i = 0; i < n && r == 0; i++)
		if (!__atomic_load_n(&sh->done[i], __ATOMIC_ACQUIRE))
			r = write_unit(w, fd, sh, i, st->st_size, false, true, &w->bytes);
	munmap(sh, shlen);
	return r;
}

bool shred_write_wants_rw(const struct shred_writer *w, const struct stat *st)
{
	return w->split_min && (uint64_t)st->st_size >= w->split_min &&
	       (uint64_t)st->st_blocks * 512 >= w->split_min;
}

int shred_write_file(struct shred_writer *w, int fd, int rwfd, const struct stat *st)
{
	if (st->st_size == 0 || st->st_blocks == 0)
		return 0;
	if (rwfd >= 0 && shred_write_wants_rw(w, st))
		return write_split(w, fd, rwfd, st);
	return write_serial(w, fd, st);
}

long shred_sys_openat2(int dirfd, const char *name, struct open_how *how)
{
	return syscall(SYS_openat2, dirfd, name, how, sizeof(*how));
}

int shred_mount_id(int fd, uint64_t *id)
{
#ifdef STATX_MNT_ID
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID)) {
		*id = sx.stx_mnt_id;
		return 0;
	}
#endif
	*id = 0;
	return -ENOTSUP;
}

/* Clear the immutable and append-only flags (tmpfs supports both), which would make the
 * overwrite and the unlink fail with EPERM even for root. */
int shred_clear_flags(int fd)
{
	int fl;

	if (ioctl(fd, FS_IOC_GETFLAGS, &fl) < 0)
		return -errno;
	if (!(fl & (FS_IMMUTABLE_FL | FS_APPEND_FL)))
		return 0;
	fl &= ~(FS_IMMUTABLE_FL | FS_APPEND_FL);
	if (ioctl(fd, FS_IOC_SETFLAGS, &fl) < 0)
		return -errno;
	return 1;
}

int shred_open_path(const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC), /* no O_NOFOLLOW: a symlink gives ELOOP, not ENOTDIR */
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd, dirfd;
	const char *p;

	if (path[0] != '/')
		return -EINVAL;
	fd = (int)shred_sys_openat2(AT_FDCWD, path, &how);
	if (fd >= 0)
		return fd;
	if (errno != ENOSYS)
		return -errno;
	/* before Linux 5.6: one component at a time, each with O_NOFOLLOW */
	dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	for (p = path + 1; *p;) {
		size_t len = strcspn(p, "/");
		char comp[NAME_MAX + 1];
		bool last = p[len] == '\0';

		if (len > NAME_MAX) {
			close(dirfd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		fd = openat(dirfd, comp, last ? flags | O_CLOEXEC | O_NOFOLLOW : O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			int err = errno;

			close(dirfd);
			return -err;
		}
		close(dirfd);
		dirfd = fd;
		p += len;
		while (*p == '/')
			p++;
	}
	return dirfd;
}

