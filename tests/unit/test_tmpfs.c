/* test_tmpfs.c - tmpfs_setup_all / tmpfs_teardown_all / tmpfs_check_root on real mounts in
 * a private mount namespace (root only). The root policy is exercised in a forked child
 * chrooted into a bind mount of a temp dir, never on the real root. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "log.h"
#include "testpath.h"
#include "tmpfs.h"

static char base[64];
static char logpath[128];

/* The mountinfo line of the mount whose mount point is P, or "" when there is none. */
static const char *mountinfo_of(const char *p)
{
	static char line[4096];
	char want[600];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	bool found = false;

	snprintf(want, sizeof(want), " %s ", p);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, want)) {
			found = true;
			break;
		}
	if (f)
		fclose(f);
	return found ? line : "";
}

/* Run FN with stderr going to a file; return what was logged. */
static const char *logged(int (*fn)(struct tmpinit_config *), struct tmpinit_config *cfg, int *ret)
{
	static char buf[8192];
	int save = dup(2), fd = open(logpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ssize_t n;

	dup2(fd, 2);
	*ret = fn(cfg);
	dup2(save, 2);
	close(save);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static int setup(void **state)
{
	if (geteuid() != 0)
		return 0;
	strcpy(base, "/tmp/tmpinit-tmpfs.XXXXXX");
	assert_non_null(mkdtemp(base));
	snprintf(logpath, sizeof(logpath), "%s.log", base);
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	if (geteuid() != 0)
		return 0;
	snprintf(cmd, sizeof(cmd), "for m in $(grep -o ' %s[^ ]*' /proc/self/mountinfo | sort -r); do umount -l $m; done; "
		 "rm -rf '%s' '%s'", base, base, logpath);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct tmpfs_spec *add(struct tmpinit_config *cfg, const char *p)
{
	struct tmpfs_spec *s = &cfg->tmpfs[cfg->ntmpfs++];

	memset(s, 0, sizeof(*s));
	s->path = strdup(p);
	s->shred = true;
	s->passes = 1;
	return s;
}

static void test_mount_exact_options(void **state)
{
	static struct tmpinit_config cfg;
	struct tmpfs_spec *s;
	const char *mi;
	struct stat st;
	int fd;

	if (geteuid() != 0)
		skip();
	config_init(&cfg);
	assert_int_equal(mkdir(path("%s/m", base), 0755), 0);
	s = add(&cfg, path("%s/m", base));
	s->size = 8 << 20;
	s->size_set = true;
	s->inodes = 1000;
	s->mode = 0750;
	s->mode_set = true;
	s->uid = 1234;
	s->gid = 2345;
	s->owner_set = true;
	assert_int_equal(tmpfs_setup_all(&cfg), 0);
	assert_true(s->mounted);
	mi = mountinfo_of(s->path);
	assert_non_null(strstr(mi, " rw,nosuid,nodev,noexec"));
	assert_non_null(strstr(mi, " - tmpfs "));
	assert_non_null(strstr(mi, ",size=8192k,nr_inodes=1000,mode=750,uid=1234,gid=2345"));
	assert_non_null(strstr(mi, "noswap"));
	assert_int_equal(stat(s->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal(st.st_uid, 1234);
	assert_int_equal(st.st_gid, 2345);

	fd = open(path("%s/m/data", base), O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "secret", 6), 6);
	close(fd);
	assert_int_equal(tmpfs_teardown_all(&cfg), 0);
	assert_false(s->mounted);
	assert_string_equal(mountinfo_of(path("%s/m", base)), "");
	free(s->path);
}

static void test_mount_exec_allowed(void **state)
{
	static struct tmpinit_config cfg;
	struct tmpfs_spec *s;
	const char *mi;
	struct stat st;

	if (geteuid() != 0)
		skip();
	config_init(&cfg);
	assert_int_equal(mkdir(path("%s/x", base), 0755), 0);
	s = add(&cfg, path("%s/x", base));
	s->exec = s->suid = s->dev = true;
	s->swap_allow = true;
	assert_int_equal(tmpfs_setup_all(&cfg), 0);
	mi = mountinfo_of(s->path);
	assert_null(strstr(mi, "noexec"));
	assert_null(strstr(mi, "nosuid"));
	assert_null(strstr(mi, "noswap"));
	assert_non_null(strstr(mi, "size=65536k"));
	assert_null(strstr(mi, "mode=")); /* 1777, the default, is not shown */
	assert_int_equal(stat(s->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 01777);
	tmpfs_teardown_all(&cfg);
	free(s->path);
}

static void test_adopt_and_mismatches(void **state)
{
	static struct tmpinit_config cfg;
	struct tmpfs_spec *s;
	const char *out;
	struct stat st;
	int r, fd;

	if (geteuid() != 0)
		skip();
	config_init(&cfg);
	assert_int_equal(mkdir(path("%s/a", base), 0755), 0);
	/* what docker --tmpfs without options would give under Kubernetes: exec allowed */
	assert_int_equal(mount("tmpfs", path("%s/a", base), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=1777"), 0);
	s = add(&cfg, path("%s/a", base));

	/* exec allowed by the mount but not by the config: an error naming the fix */
	out = logged(tmpfs_setup_all, &cfg, &r);
	assert_int_equal(r, -EPERM);
	assert_false(s->adopted);
	assert_non_null(strstr(out, "without noexec, but exec = no"));

	/* accepted with exec = yes; size differs: warning; mode and owner are corrected */
	s->exec = true;
	s->size = 8 << 20;
	s->size_set = true;
	s->mode = 0700;
	s->mode_set = true;
	s->uid = 4321;
	s->gid = 4321;
	s->owner_set = true;
	out = logged(tmpfs_setup_all, &cfg, &r);
	assert_int_equal(r, 0);
	assert_true(s->adopted);
	assert_false(s->mounted);
	assert_non_null(strstr(out, "its size is 4194304 bytes, the config says 8388608"));
	assert_int_equal(stat(s->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(st.st_uid, 4321);

	fd = open(path("%s/a/f", base), O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "secret", 6), 6);
	close(fd);
	assert_int_equal(tmpfs_teardown_all(&cfg), 0);
	/* adopted: still mounted, empty */
	assert_string_not_equal(mountinfo_of(s->path), "");
	assert_int_equal(access(path("%s/a/f", base), F_OK), -1);
	free(s->path);
}

static void test_adopt_needs_a_mount_point(void **state)
{
	static struct tmpinit_config cfg;
	struct tmpfs_spec *s;
	const char *out;
	int r;

	if (geteuid() != 0)
		skip();
	config_init(&cfg);
	assert_int_equal(mkdir(path("%s/p", base), 0755), 0);
	assert_int_equal(mount("tmpfs", path("%s/p", base), "tmpfs", 0, "size=1m"), 0);
	assert_int_equal(mkdir(path("%s/p/sub", base), 0755), 0);
	/* a directory on a tmpfs is not a tmpfs mount point */
	s = add(&cfg, path("%s/p/sub", base));
	s->source = SOURCE_ADOPT;
	out = logged(tmpfs_setup_all, &cfg, &r);
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(out, "is not a tmpfs mount point and source = adopt"));
	/* auto mounts one there instead */
	s->source = SOURCE_AUTO;
	assert_int_equal(tmpfs_setup_all(&cfg), 0);
	assert_true(s->mounted);
	tmpfs_teardown_all(&cfg);
	assert_string_equal(mountinfo_of(s->path), "");
	free(s->path);
}

static void test_bad_mount_points_roll_back(void **state)
{
	static struct tmpinit_config cfg;
	struct tmpfs_spec *a, *b;
	const char *out;
	int r;

	if (geteuid() != 0)
		skip();
	config_init(&cfg);
	assert_int_equal(mkdir(path("%s/ok", base), 0755), 0);
	assert_int_equal(mkdir(path("%s/real", base), 0755), 0);
	assert_int_equal(symlink(path("%s/real", base), path("%s/link", base)), 0);
	a = add(&cfg, path("%s/ok", base));
	b = add(&cfg, path("%s/link", base));
	out = logged(tmpfs_setup_all, &cfg, &r);
	assert_int_equal(r, -ELOOP);
	assert_non_null(strstr(out, "a component is a symlink"));
	/* the first one was mounted, then undone */
	assert_false(a->mounted);
	assert_string_equal(mountinfo_of(a->path), "");
	assert_string_equal(mountinfo_of(path("%s/real", base)), "");

	free(b->path);
	b->path = strdup(path("%s/missing", base));
	out = logged(tmpfs_setup_all, &cfg, &r);
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(out, "does not exist (hint: create it in the image"));
	free(a->path);
	free(b->path);
}

/* In a child: own mount namespace, / = a bind mount of a temp dir (nosuid), chrooted. */
static int in_fake_root(enum root_policy policy, bool make_ro)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct tmpinit_config cfg;
		struct statvfs sv;
		char *r = path("%s/root", base);

		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(90);
		mkdir(r, 0755);
		if (mount(r, r, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, r, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | (make_ro ? MS_RDONLY : 0), NULL) < 0)
			_exit(91);
		if (chroot(r) < 0 || chdir("/") < 0)
			_exit(92);
		config_init(&cfg);
		cfg.read_only = policy;
		if (tmpfs_check_root(&cfg) < 0)
			_exit(1);
		if (statvfs("/", &sv) < 0)
			_exit(93);
		if (policy == ROOT_REMOUNT && (!(sv.f_flag & ST_RDONLY) || !(sv.f_flag & ST_NOSUID)))
			_exit(2);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_root_policy(void **state)
{
	struct statvfs before, after;

	if (geteuid() != 0)
		skip();
	assert_int_equal(statvfs("/", &before), 0);
	assert_int_equal(in_fake_root(ROOT_REQUIRE, false), 1); /* writable: refused */
	assert_int_equal(in_fake_root(ROOT_REQUIRE, true), 0);
	assert_int_equal(in_fake_root(ROOT_IGNORE, false), 0);
	assert_int_equal(in_fake_root(ROOT_REMOUNT, false), 0); /* read-only after, nosuid kept */
	assert_int_equal(in_fake_root(ROOT_REMOUNT, true), 0);
	/* and the real root did not change */
	assert_int_equal(statvfs("/", &after), 0);
	assert_int_equal(before.f_flag & ST_RDONLY, after.f_flag & ST_RDONLY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mount_exact_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mount_exec_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_and_mismatches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_needs_a_mount_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_mount_points_roll_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_policy, setup, teardown),
	};

	log_setup(LVL_INFO, LOGFMT_TEXT);
	if (geteuid() == 0 && (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)) {
		perror("private mount namespace");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
