/* test_config.c - the ini parser, its value parsers and validators, and the --check plan. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "config_int.h"
#include "log.h"

static char tmpdir[] = "/tmp/test_config.XXXXXX";

/* Write DATA (LEN bytes) to a fresh file in tmpdir and return its path (static buffer). */
static const char *write_file(const char *data, size_t len)
{
	static char path[256];
	static int n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/c%d.ini", tmpdir, n++);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static const char *write_str(const char *text)
{
	return write_file(text, strlen(text));
}

static int load_str(struct tmpinit_config *cfg, const char *text)
{
	config_init(cfg);
	return config_load(cfg, write_file(text, strlen(text)), true);
}

static void test_split_command(void **state)
{
	static const struct {
		const char *in;
		const char *out[6];
	} ok[] = {
		{ "a b  c", { "a", "b", "c" } },
		{ "sh -c 'echo \"$x\"; exit 3'", { "sh", "-c", "echo \"$x\"; exit 3" } },
		{ "x \"a \\\"b\\\" \\\\ \\$ c\"", { "x", "a \"b\" \\ $ c" } },
		{ "it\\'s a\\ b", { "it's", "a b" } },
		{ "'' \"\" x", { "", "", "x" } },
		{ "a'b'\"c\"d", { "abcd" } },
		{ "\tlead trail\t", { "lead", "trail" } },
	};
	static const char *const bad[] = {
		"sh -c 'open", "x \"open", "x \\", "a | b", "a > f", "a; b", "a && b", "echo $HOME",
		"echo `id`", "ls *", "x \"$(id)\"", "# comment", "~/bin/app", "(sub)",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char **argv = NULL;
		const char *why = NULL;
		size_t n = 0;

		assert_int_equal(config_split_command(ok[i].in, &argv, &why), 0);
		for (; ok[i].out[n]; n++) {
			assert_non_null(argv[n]);
			assert_string_equal(argv[n], ok[i].out[n]);
		}
		assert_null(argv[n]);
		config_free_argv(argv);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char **argv = NULL;
		const char *why = NULL;

		assert_int_equal(config_split_command(bad[i], &argv, &why), -EINVAL);
		assert_null(argv);
		assert_non_null(why);
	}
}

static void test_paths(void **state)
{
	static const char *const good[] = { "/var/tmp", "/run", "/a b/c", "/proc2", "/device", "/.hidden" };
	static const char *const bad[] = { "var/tmp", "/", "/var/", "//var", "/var//tmp", "/var/./tmp",
					   "/var/..", "/./x", "/proc", "/proc/x", "/sys/fs", "/dev", "/dev/shm", "" };
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_null(config_path_problem(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(config_path_problem(bad[i]));
	assert_true(config_path_covers("/a", "/a"));
	assert_true(config_path_covers("/a", "/a/b"));
	assert_false(config_path_covers("/a", "/ab"));
	assert_false(config_path_covers("/a/b", "/a"));
}

static void test_full_config(void **state)
{
	struct tmpinit_config cfg;
	const struct tmpfs_spec *s;
	(void)state;

	assert_int_equal(load_str(&cfg, "[init]\n"
					"command = app --x 'a b'\n"
					"stop_signal = USR1\n"
					"stop_timeout = 1.5s\n"
					"stop_delay = 250ms\n"
					"signal_target = group\n"
					"rewrite = TERM:QUIT\n"
					"  WINCH:0\n"
					"rewrite = HUP:USR2\n"
					"log_level = trace\n"
					"log_format = json\n"
					"[rootfs]\n"
					"read_only = remount\n"
					"[tmpfs /var/tmp]\n"
					"size = 16m\n"
					"inodes = 100\n"
					"mode = 0700\n"
					"owner = nobody:nogroup\n"
					"exec = yes\n"
					"suid = yes\n"
					"dev = yes\n"
					"swap = allow\n"
					"shred = no\n"
					"source = adopt\n"
					"pattern = random\n"
					"passes = 3\n"),
			 0);
	assert_true(cfg.config_loaded);
	assert_true(cfg.argv_from_config);
	assert_string_equal(cfg.argv[0], "app");
	assert_string_equal(cfg.argv[2], "a b");
	assert_null(cfg.argv[3]);
	assert_int_equal(cfg.stop_signal, SIGUSR1);
	assert_int_equal(cfg.stop_timeout_ms, 1500);
	assert_int_equal(cfg.stop_delay_ms, 250);
	assert_int_equal(cfg.signal_target, TARGET_GROUP);
	assert_int_equal(cfg.rewrite[SIGTERM], SIGQUIT);
	assert_int_equal(cfg.rewrite[SIGWINCH], -1);
	assert_int_equal(cfg.rewrite[SIGHUP], SIGUSR2);
	assert_int_equal(cfg.rewrite[SIGINT], 0);
	assert_int_equal(cfg.verbosity, LVL_TRACE);
	assert_int_equal(cfg.log_format, LOGFMT_JSON);
	assert_int_equal(cfg.read_only, ROOT_REMOUNT);
	assert_int_equal(cfg.ntmpfs, 1);
	s = &cfg.tmpfs[0];
	assert_string_equal(s->path, "/var/tmp");
	assert_int_equal(s->line, 14);
	assert_int_equal(s->size, 16 << 20);
	assert_true(s->size_set);
	assert_int_equal(s->inodes, 100);
	assert_int_equal(s->mode, 0700);
	assert_int_equal(s->uid, 65534);
	assert_int_equal(s->gid, 65534);
	assert_true(s->owner_set);
	assert_string_equal(s->owner, "nobody:nogroup");
	assert_true(s->exec && s->suid && s->dev && s->swap_allow);
	assert_false(s->shred);
	assert_int_equal(s->source, SOURCE_ADOPT);
	assert_int_equal(s->pattern, PATTERN_RANDOM);
	assert_int_equal(s->passes, 3);
	assert_int_equal(config_validate(&cfg), 0);
	config_free(&cfg);
	assert_null(cfg.argv);
}

static void test_defaults(void **state)
{
	struct tmpinit_config cfg;
	const struct tmpfs_spec *s;
	(void)state;

	/* empty sections still count: the tmpfs path exists with every default */
	assert_int_equal(load_str(&cfg, "[init]\n[tmpfs /scratch]\n"), 0);
	assert_int_equal(cfg.ntmpfs, 1);
	s = &cfg.tmpfs[0];
	assert_int_equal(s->size, TMPINIT_DEFAULT_TMPFS_SIZE);
	assert_false(s->size_set);
	assert_int_equal(s->mode, 01777);
	assert_false(s->mode_set || s->owner_set || s->exec || s->suid || s->dev || s->swap_allow);
	assert_true(s->shred);
	assert_int_equal(s->passes, 1);
	assert_int_equal(s->source, SOURCE_AUTO);
	assert_int_equal(s->pattern, PATTERN_ZERO);
	assert_int_equal(s->inodes, 0);
	/* a config file exists: a read-only root is required unless [rootfs] says otherwise */
	assert_int_equal(cfg.read_only, ROOT_REQUIRE);
	assert_int_equal(cfg.stop_timeout_ms, TMPINIT_DEFAULT_STOP_TIMEOUT_MS);
	assert_int_equal(cfg.stop_signal, SIGTERM);
	assert_null(cfg.argv);
	config_free(&cfg);
}

static void test_missing_file(void **state)
{
	struct tmpinit_config cfg;
	char path[300];
	(void)state;

	snprintf(path, sizeof(path), "%s/does-not-exist.ini", tmpdir);
	config_init(&cfg);
	assert_int_equal(config_load(&cfg, path, false), 0);
	assert_false(cfg.config_loaded);
	assert_int_equal(cfg.read_only, ROOT_IGNORE);
	assert_int_equal(config_load(&cfg, path, true), -ENOENT);
	assert_int_equal(config_load(&cfg, tmpdir, true), -EINVAL); /* a directory */
	assert_int_equal(config_load(&cfg, tmpdir, false), -EINVAL);
	config_free(&cfg);
}

static void test_bytes(void **state)
{
	static const char bom_crlf[] = "\xEF\xBB\xBF[rootfs]\r\nread_only = ignore\r\n[tmpfs /x]\r\nmode = 700\r\n";
	struct tmpinit_config cfg;
	char *line;
	(void)state;

	config_init(&cfg);
	assert_int_equal(config_load(&cfg, write_file(bom_crlf, sizeof(bom_crlf) - 1), true), 0);
	assert_int_equal(cfg.read_only, ROOT_IGNORE);
	assert_int_equal(cfg.tmpfs[0].mode, 0700);
	config_free(&cfg);

	config_init(&cfg);
	assert_int_equal(config_load(&cfg, write_file("[init]\nx\0y\n", 11), true), -EINVAL);
	config_free(&cfg);

	/* exactly CONFIG_MAX_LINE bytes pass, one more is refused */
	line = malloc(CONFIG_MAX_LINE + 64);
	assert_non_null(line);
	memset(line, ';', CONFIG_MAX_LINE);
	strcpy(line + CONFIG_MAX_LINE, "\n[init]\n");
	assert_int_equal(load_str(&cfg, line), 0);
	config_free(&cfg);
	memset(line, ';', CONFIG_MAX_LINE + 1);
	strcpy(line + CONFIG_MAX_LINE + 1, "\n[init]\n");
	assert_int_equal(load_str(&cfg, line), -EINVAL);
	config_free(&cfg);
	/* a value that long on a key line is kept whole, not cut by inih */
	memcpy(line, "[init]\ncommand = ", 17);
	memset(line + 17, 'a', CONFIG_MAX_LINE - 10);
	strcpy(line + 17 + CONFIG_MAX_LINE - 10, "\n");
	assert_int_equal(load_str(&cfg, line), 0);
	assert_int_equal(strlen(cfg.argv[0]), CONFIG_MAX_LINE - 10);
	config_free(&cfg);
	free(line);

	assert_int_equal(load_str(&cfg, "[init]\ncommand = \xC3\xA9t\xC3\xA9\n"), 0); /* UTF-8 is fine */
	assert_string_equal(cfg.argv[0], "\xC3\xA9t\xC3\xA9");
	config_free(&cfg);
	assert_int_equal(load_str(&cfg, "[init]\ncommand = \xC3\n"), -EINVAL);
	config_free(&cfg);
}

static void test_long_section_name(void **state)
{
	/* inih keeps 50 bytes of a section name; ours must see the whole path */
	static const char text[] = "[tmpfs /srv/a-rather-long-directory-name/and-another-long-one/scratch]\nsize = 1m\n";
	struct tmpinit_config cfg;
	(void)state;

	assert_int_equal(load_str(&cfg, text), 0);
	assert_string_equal(cfg.tmpfs[0].path, "/srv/a-rather-long-directory-name/and-another-long-one/scratch");
	assert_int_equal(cfg.tmpfs[0].size, 1 << 20);
	config_free(&cfg);
}

static void test_rejects(void **state)
{
	static const char *const bad[] = {
		"size = 1m\n",
		"[init]\ncommand = a\ncommand = b\n",
		"[init]\ncommand = a\n  b\n",
		"[init]\nstop_timeout = 0\n",
		"[init]\nstop_timeout = 25h\n",
		"[init]\nrewrite = KILL:TERM\n",
		"[init]\nrewrite = TERM:QUIT TERM:HUP\n",
		"[init]\n[init]\n",
		"[tmpfs /a]\nmode = 77\n",
		"[tmpfs /a]\nmode = 0o777\n",
		"[tmpfs /a]\nowner = no-such-user-x\n",
		"[tmpfs /a]\nsize = 64m ; comment\n",
		"[tmpfs /a]\nsize: 1m\n",
		"[tmpfs /a]\npasses = 17\n",
		"[seccomp\n",
		"[init] x\n",
		"[bogus]\n",
	};
	struct tmpinit_config cfg;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load_str(&cfg, bad[i]), -EINVAL);
		assert_false(cfg.config_loaded);
		config_free(&cfg);
	}
}

static void test_validate(void **state)
{
	struct tmpinit_config cfg;
	char text[PATH_MAX + 64], self[PATH_MAX];
	ssize_t n;
	(void)state;

	assert_int_equal(load_str(&cfg, "[tmpfs /a/b]\n[tmpfs /a]\n"), 0);
	assert_int_equal(config_validate(&cfg), -EINVAL);
	config_free(&cfg);
	assert_int_equal(load_str(&cfg, "[tmpfs /a]\n[tmpfs /a]\n"), 0);
	assert_int_equal(config_validate(&cfg), -EINVAL);
	config_free(&cfg);
	assert_int_equal(load_str(&cfg, "[tmpfs /a]\n[tmpfs /ab]\n[tmpfs /b/a]\n"), 0);
	assert_int_equal(config_validate(&cfg), 0);
	config_free(&cfg);
	assert_int_equal(load_str(&cfg, "[tmpfs /sbin/docker-init]\n"), 0);
	assert_int_equal(config_validate(&cfg), -EINVAL);
	config_free(&cfg);

	/* the test binary's own directory stands for tmpinit's */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(text, sizeof(text), "[tmpfs %s]\n", self);
	assert_int_equal(load_str(&cfg, text), 0);
	assert_int_equal(config_validate(&cfg), -EINVAL);
	assert_non_null(cfg.self_path);
	config_free(&cfg);
}

static void test_plan_risks(void **state)
{
	struct tmpinit_config cfg;
	char swaps_on[300], swaps_off[300], free_on[300], free_off[300], buf[8192];
	FILE *out, *null = fopen("/dev/null", "w");
	size_t len;
	(void)state;

	assert_non_null(null);

	snprintf(swaps_on, sizeof(swaps_on), "%s", write_str("Filename Type Size Used Priority\n/swapfile file 1 0 -2\n"));
	snprintf(swaps_off, sizeof(swaps_off), "%s", write_str("Filename Type Size Used Priority\n"));
	snprintf(free_on, sizeof(free_on), "%s", write_str("BOOT_IMAGE=/vmlinuz init_on_free=1 quiet\n"));
	snprintf(free_off, sizeof(free_off), "%s", write_str("BOOT_IMAGE=/vmlinuz quiet\n"));

	assert_int_equal(load_str(&cfg, "[rootfs]\nread_only = require\n[tmpfs /a]\nswap = allow\n"), 0);
	assert_int_equal(config_print_plan_to(&cfg, null, swaps_off, free_on), 0);
	out = fmemopen(buf, sizeof(buf), "w");
	assert_int_equal(config_print_plan_to(&cfg, out, swaps_on, free_off), 2);
	len = (size_t)ftell(out);
	fclose(out);
	buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
	assert_non_null(strstr(buf, "risk: swap is active (1 area in "));
	assert_non_null(strstr(buf, "risk: the kernel was booted without init_on_free=1"));
	assert_non_null(strstr(buf, "tmpfs /a: adopt if already a tmpfs mount point, else mount"));
	assert_non_null(strstr(buf, "rootfs: require"));
	config_free(&cfg);

	/* swap active but no path allows it: no swap risk; shred = no and ignore are risks */
	assert_int_equal(load_str(&cfg, "[rootfs]\nread_only = ignore\n[tmpfs /a]\nshred = no\n"), 0);
	assert_int_equal(config_print_plan_to(&cfg, null, swaps_on, free_on), 2);
	config_free(&cfg);
	fclose(null);
}

static int setup(void **state)
{
	(void)state;
	log_setup(LVL_ERROR, LOGFMT_TEXT);
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_command), cmocka_unit_test(test_paths),
		cmocka_unit_test(test_full_config),   cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_missing_file),  cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_long_section_name), cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_validate),      cmocka_unit_test(test_plan_risks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
