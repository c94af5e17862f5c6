/* test_shred.c - shred_tree on a real tmpfs in a private mount namespace (root only):
 * a held fd reads the original length, all zeros; a hostile tree leaves every sentinel
 * outside intact; deep trees need few fds; symlinked or non-tmpfs roots are refused. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "testpath.h"
#include "shred.h"
#include "shred_write.h"

static char base[64], mnt[96], out[96];

static void put(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void putf(const char *data, const char *fmt, ...)
{
	char p[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof(p), fmt, ap);
	va_end(ap);
	put(p, data, strlen(data));
}

static bool same(const char *file, const char *want)
{
	char buf[256] = { 0 };
	int fd = open(file, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

/* Names left in DIR, space-separated and sorted by the kernel's order. */
static int count_entries(const char *dir)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static int setup(void **state)
{
	if (geteuid() != 0)
		return 0;
	strcpy(base, "/tmp/tmpinit-shred.XXXXXX");
	assert_non_null(mkdtemp(base));
	snprintf(mnt, sizeof(mnt), "%s/t", base);
	snprintf(out, sizeof(out), "%s/out", base);
	assert_int_equal(mkdir(mnt, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(path("%s/dir", out), 0755), 0);
	putf("outside file\n", "%s/file", out);
	putf("outside dir\n", "%s/dir/f", out);
	assert_int_equal(mount("tmpfs", mnt, "tmpfs", 0, "size=16m"), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	if (geteuid() != 0)
		return 0;
	/* sentinels first: a failing test must still see them checked */
	assert_true(same(path("%s/file", out), "outside file\n"));
	assert_true(same(path("%s/dir/f", out), "outside dir\n"));
	umount2(mnt, MNT_DETACH);
	snprintf(cmd, sizeof(cmd), "umount -R -l '%s'/t 2>/dev/null; rm -rf '%s'", base, base);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct tmpfs_spec spec_for(char *p)
{
	struct tmpfs_spec s = { 0 };

	s.path = p;
	s.shred = true;
	s.passes = 1;
	return s;
}

static void test_held_fd_reads_zeros(void **state)
{
	enum { SMALL = 300000, BIG = 3 << 20 };
	char *pat = malloc(BIG), buf[4096];
	struct shred_stats st;
	struct tmpfs_spec s = spec_for(mnt);
	struct stat sb;
	int fd, fd2;

	if (geteuid() != 0)
		skip();
	memset(pat, 'A', BIG);
	assert_int_equal(mkdir(path("%s/a", mnt), 0755), 0);
	assert_int_equal(mkdir(path("%s/a/b", mnt), 0755), 0);
	put(path("%s/a/b/small", mnt), pat, SMALL);
	put(path("%s/big", mnt), pat, BIG);
	fd = open(path("%s/a/b/small", mnt), O_RDONLY);
	fd2 = open(path("%s/big", mnt), O_RDONLY);
	assert_true(fd >= 0 && fd2 >= 0);
	/* negative control: the pattern is there before the shred */
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	assert_int_equal(buf[0], 'A');

	assert_int_equal(shred_tree(&s, &st), 0);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.files, 2);
	assert_int_equal(st.dirs, 2);
	assert_int_equal(st.bytes, SMALL + BIG);
	assert_int_equal(count_entries(mnt), 0);
	for (int *f = (int[]){ fd, fd2 }, i = 0; i < 2; i++) {
		size_t want = i ? BIG : SMALL, got = 0;
		ssize_t n;

		assert_int_equal(fstat(f[i], &sb), 0);
		assert_int_equal(sb.st_size, (off_t)want);
		assert_int_equal(sb.st_nlink, 0);
		while ((n = pread(f[i], pat, BIG, (off_t)got)) > 0)
			got += (size_t)n;
		assert_int_equal(got, want);
		for (size_t j = 0; j < want; j++)
			if (pat[j]) {
				fail_msg("byte %zu of file %d is 0x%02x, not 0", j, i, pat[j]);
			}
		close(f[i]);
	}
	free(pat);
}

/* A 12 MiB file (two units) erased by the worker process alone, then with a worker that
 * dies halfway through its first unit: either way a held fd reads 12 MiB of zeros and every
 * byte is counted once. */
static void split_case(enum shred_worker_mode mode)
{
	enum { SZ = 12 << 20 };
	struct tmpfs_spec s = spec_for(mnt);
	struct shred_writer w;
	struct stat sb;
	char *pat = malloc(SZ);
	int fd, rw, held;
	size_t got = 0;
	ssize_t n;

	memset(pat, 'A', SZ);
	put(path("%s/big", mnt), pat, SZ);
	held = open(path("%s/big", mnt), O_RDONLY);
	fd = open(path("%s/big", mnt), O_WRONLY);
	rw = open(path("%s/big", mnt), O_RDWR);
	assert_true(held >= 0 && fd >= 0 && rw >= 0);
	/* negative control: the pattern is there before */
	assert_int_equal(pread(held, pat, 4096, SZ - 4096), 4096);
	assert_int_equal(pat[0], 'A');
	assert_int_equal(fstat(fd, &sb), 0);
	assert_int_equal(shred_writer_init(&w, &s), 0);
	w.split_min = 1 << 20;
	w.worker_mode = mode;
	assert_true(shred_write_wants_rw(&w, &sb));
	assert_int_equal(shred_write_file(&w, fd, rw, &sb), 0);
	assert_int_equal(w.bytes, SZ);
	if (mode == SHRED_WORKER_ONLY) {
		assert_int_equal(w.worker_bytes, SZ);
		assert_int_equal(w.worker_failures, 0);
	} else {
		assert_int_equal(w.worker_failures, 1);
	}
	shred_writer_fini(&w);
	assert_int_equal(fstat(held, &sb), 0);
	assert_int_equal(sb.st_size, SZ);
	while ((n = pread(held, pat, SZ, (off_t)got)) > 0)
		got += (size_t)n;
	assert_int_equal(got, SZ);
	for (size_t j = 0; j < SZ; j++)
		if (pat[j])
			fail_msg("byte %zu is 0x%02x, not 0", j, pat[j]);
	close(fd);
	close(rw);
	close(held);
	unlink(path("%s/big", mnt));
	free(pat);
}

static void test_split_worker(void **state)
{
	if (geteuid() != 0)
		skip();
	split_case(SHRED_WORKER_ONLY);
	split_case(SHRED_WORKER_CRASH);
}

static void test_random_two_passes(void **state)
{
	struct tmpfs_spec s = spec_for(mnt);
	struct shred_stats st;
	char buf[8192];
	int fd, nonA = 0;

	if (geteuid() != 0)
		skip();
	memset(buf, 'A', sizeof(buf));
	put(path("%s/r", mnt), buf, sizeof(buf));
	fd = open(path("%s/r", mnt), O_RDONLY);
	s.pattern = PATTERN_RANDOM;
	s.passes = 2;
	assert_int_equal(shred_tree(&s, &st), 0);
	assert_int_equal(st.bytes, 2 * sizeof(buf));
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		nonA += buf[i] != 'A';
	assert_true(nonA > (int)sizeof(buf) / 2);
	close(fd);
}

static void set_flags(const char *p, int add)
{
	int fd = open(p, O_RDONLY), fl = 0;

	assert_true(fd >= 0);
	assert_int_equal(ioctl(fd, FS_IOC_GETFLAGS, &fl), 0);
	fl |= add;
	assert_int_equal(ioctl(fd, FS_IOC_SETFLAGS, &fl), 0);
	close(fd);
}

static void test_hostile_tree(void **state)
{
	struct tmpfs_spec s = spec_for(mnt);
	struct shred_stats st;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, sock;
	off_t data;

	if (geteuid() != 0)
		skip();
	assert_int_equal(symlink(path("%s/file", out), path("%s/lnf", mnt)), 0);
	assert_int_equal(symlink(path("%s/dir", out), path("%s/lnd", mnt)), 0);
	assert_int_equal(mkdir(path("%s/vol", mnt), 0755), 0);
	assert_int_equal(mount(path("%s/dir", out), path("%s/vol", mnt), NULL, MS_BIND, NULL), 0);
	/* a bind mount of this same tmpfs: same st_dev, another mount */
	assert_int_equal(mkdir(path("%s/sub", mnt), 0755), 0);
	putf("in sub\n", "%s/sub/a", mnt);
	assert_int_equal(mkdir(path("%s/samefs", mnt), 0755), 0);
	assert_int_equal(mount(path("%s/sub", mnt), path("%s/samefs", mnt), NULL, MS_BIND, NULL), 0);
	/* a single file bind-mounted from outside */
	putf("", "%s/fmnt", mnt);
	assert_int_equal(mount(path("%s/file", out), path("%s/fmnt", mnt), NULL, MS_BIND, NULL), 0);
	assert_int_equal(mkfifo(path("%s/fifo", mnt), 0644), 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", mnt);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	putf("hard\n", "%s/h1", mnt);
	assert_int_equal(link(path("%s/h1", mnt), path("%s/h2", mnt)), 0);
	/* 10 GiB hole then 4 MiB of data, in a 16 MiB tmpfs */
	fd = open(path("%s/sparse", mnt), O_RDWR | O_CREAT, 0644);
	{
		static char blk[1 << 20];

		memset(blk, 'S', sizeof(blk));
		for (int i = 0; i < 4; i++)
			assert_int_equal(pwrite(fd, blk, sizeof(blk), (10LL << 30) + ((off_t)i << 20)), (ssize_t)sizeof(blk));
	}
	putf("other uid\n", "%s/m0", mnt);
	assert_int_equal(chown(path("%s/m0", mnt), 12345, 12345), 0);
	assert_int_equal(chmod(path("%s/m0", mnt), 0), 0);
	putf("newline\n", "%s/new\nline", mnt);
	putf("imm\n", "%s/imm", mnt);
	set_flags(path("%s/imm", mnt), FS_IMMUTABLE_FL);
	putf("app\n", "%s/app", mnt);
	set_flags(path("%s/app", mnt), FS_APPEND_FL);
	assert_int_equal(mkdir(path("%s/immdir", mnt), 0755), 0);
	putf("z\n", "%s/immdir/z", mnt);
	set_flags(path("%s/immdir", mnt), FS_IMMUTABLE_FL);

	assert_int_equal(shred_tree(&s, &st), 0);
	close(sock);
	assert_int_equal(st.errors, 0);
	/* h1+h2, sparse, m0, newline, imm, app, sub/a, immdir/z */
	assert_int_equal(st.files, 9);
	assert_int_equal(st.others, 4); /* lnf, lnd, fifo, sock */
	assert_int_equal(st.skipped, 3); /* vol, samefs, fmnt */
	assert_int_equal(st.dirs, 2);	 /* sub, immdir */
	/* 4 MiB of sparse data, the hard-linked inode once, the small files */
	assert_int_equal(st.bytes, (4 << 20) + 5 + 10 + 8 + 4 + 4 + 7 + 2);
	assert_int_equal(count_entries(mnt), 3);
	assert_true(same(path("%s/vol/f", mnt), "outside dir\n"));
	/* the held sparse file: same size, its data region now zeros */
	data = lseek(fd, 0, SEEK_DATA);
	assert_true(data >= 10LL << 30);
	{
		char b[4096];

		assert_int_equal(pread(fd, b, sizeof(b), data), (ssize_t)sizeof(b));
		for (size_t i = 0; i < sizeof(b); i++)
			assert_int_equal(b[i], 0);
	}
	close(fd);
	umount2(path("%s/vol", mnt), MNT_DETACH);
	umount2(path("%s/samefs", mnt), MNT_DETACH);
	umount2(path("%s/fmnt", mnt), MNT_DETACH);
}

static void test_deep_tree_few_fds(void **state)
{
	struct tmpfs_spec s = spec_for(mnt);
	struct shred_stats st;
	struct rlimit old, low = { 48, 48 };
	char *p = malloc(8192);
	size_t len;

	if (geteuid() != 0)
		skip();
	len = (size_t)snprintf(p, 8192, "%s", mnt);
	for (int i = 0; i < 400; i++) {
		len += (size_t)snprintf(p + len, 8192 - len, "/d%d", i % 10);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	putf("leaf\n", "%s/leaf", p);
	free(p);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	assert_int_equal(shred_tree(&s, &st), 0);
	setrlimit(RLIMIT_NOFILE, &old);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.dirs, 400);
	assert_int_equal(st.files, 1);
	assert_int_equal(count_entries(mnt), 0);
}

static void test_refuses_bad_roots(void **state)
{
	struct tmpfs_spec s;
	struct shred_stats st;

	if (geteuid() != 0)
		skip();
	putf("keep\n", "%s/keep", mnt);
	/* a symlink to the tmpfs is never followed */
	assert_int_equal(symlink(mnt, path("%s/link", base)), 0);
	s = spec_for(path("%s/link", base));
	assert_int_equal(shred_tree(&s, &st), -ELOOP);
	assert_true(same(path("%s/keep", mnt), "keep\n"));
	/* a directory on a disk is not shredded: an overwrite there proves nothing */
	s = spec_for(out);
	assert_int_equal(shred_tree(&s, &st), -EINVAL);
	assert_true(same(path("%s/file", out), "outside file\n"));
	unlink(path("%s/keep", mnt));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_fd_reads_zeros, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_two_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_tree_few_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_bad_roots, setup, teardown),
	};

	log_setup(getenv("TEST_VERBOSE") ? LVL_DEBUG : LVL_ERROR, LOGFMT_TEXT);
	/* everything below happens in a mount namespace of our own: no mount leaks out */
	if (geteuid() == 0 && (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)) {
		perror("private mount namespace");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
