/* test_privs.c - [user], [capabilities], [seccomp] keys, capability names, syscall names
 * and the plan privs_prepare builds. Runs as any user: nothing here changes the process
 * (privs_apply is exercised by tests/bats/privs.bats in namespaces). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "caps.h"
#include "config.h"
#include "filter.h"
#include "log.h"
#include "privs.h"

static int key(struct privs_config *pc, const char *section, const char *k, const char *v)
{
	return privs_config_key(pc, "t.ini", 7, section, k, v, false);
}

static void init(struct tmpinit_config *cfg)
{
	config_init(cfg);
	cfg->config_path = "t.ini";
}

static void test_caps_parse(void **state)
{
	uint64_t m;
	char bad[64];

	(void)state;
	assert_int_equal(caps_parse("NET_BIND_SERVICE, cap_chown\tCAP_KILL", &m, bad, sizeof(bad)), 0);
	assert_true(m == (CAPS_BIT(10) | CAPS_BIT(0) | CAPS_BIT(5)));
	assert_int_equal(caps_parse("Net_Bind_Service", &m, bad, sizeof(bad)), 0);
	assert_true(m == CAPS_BIT(10));
	assert_int_equal(caps_parse("none", &m, bad, sizeof(bad)), 0);
	assert_true(m == 0);
	assert_int_equal(caps_parse("", &m, bad, sizeof(bad)), 0);
	assert_true(m == 0);
	assert_int_equal(caps_parse("all", &m, bad, sizeof(bad)), 0);
	assert_true(m == CAPS_ALL);
	assert_int_equal(caps_parse("chown, teleport", &m, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "teleport");
	assert_int_equal(caps_parse("12", &m, bad, sizeof(bad)), -EINVAL); /* names only */
	assert_int_equal(caps_parse("cap_", &m, bad, sizeof(bad)), -EINVAL);
	assert_int_equal(caps_parse("cap-chown", &m, bad, sizeof(bad)), -EINVAL);
}

static void test_caps_format(void **state)
{
	char buf[256];

	(void)state;
	caps_format(CAPS_BIT(0) | CAPS_BIT(10), buf, sizeof(buf));
	assert_string_equal(buf, "cap_chown,cap_net_bind_service");
	caps_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	caps_format(CAPS_ALL, buf, sizeof(buf));
	assert_string_equal(buf, "all");
}

static void test_filter_resolve(void **state)
{
	int nr;

	(void)state;
	assert_int_equal(filter_resolve("ptrace", &nr), 0);
	assert_string_equal(filter_name(nr), "ptrace");
	assert_int_equal(filter_resolve("clone3", &nr), 0);
	assert_int_equal(filter_resolve("teleport", &nr), -ENOENT);
#ifdef __x86_64__
	assert_int_equal(filter_resolve("open_tree_attr", &nr), 0); /* newer than libseccomp 2.5 */
	assert_int_equal(nr, 467);
	assert_int_equal(filter_resolve("socketcall", &nr), -ENOSYS); /* i386 only */
#endif
}

static void test_user_keys(void **state)
{
	struct tmpinit_config cfg;

	(void)state;
	init(&cfg);
	assert_int_equal(key(&cfg.privs, "user", "user", "no_such_user_tmpinit"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "user", "user", ""), -EINVAL);
	assert_int_equal(key(&cfg.privs, "user", "user", "12x"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "user", "user", "root"), 0); /* a refused line does not count */
	assert_true(cfg.privs.user_set);
	assert_int_equal(cfg.privs.uid, 0);
	assert_string_equal(cfg.privs.user_name, "root");
	assert_int_equal(key(&cfg.privs, "user", "group", "no_such_group_tmpinit"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "user", "group", "0"), 0);
	assert_true(cfg.privs.group_set);
	assert_int_equal(key(&cfg.privs, "user", "groups", "0, 4242 4242"), 0);
	assert_int_equal(cfg.privs.ngroups, 2); /* duplicates folded */
	assert_int_equal(key(&cfg.privs, "user", "groups", "5"), 0); /* adds up */
	assert_int_equal(cfg.privs.ngroups, 3);
	assert_int_equal(key(&cfg.privs, "user", "user", "root"), -EINVAL); /* scalars once */
	assert_int_equal(key(&cfg.privs, "user", "shell", "/bin/sh"), -EINVAL);
	config_free(&cfg);
}

static void test_caps_and_seccomp_keys(void **state)
{
	struct tmpinit_config cfg;

	(void)state;
	init(&cfg);
	assert_int_equal(key(&cfg.privs, "capabilities", "keep", "cap_teleport"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "capabilities", "keep", "chown"), 0);
	assert_true(cfg.privs.caps_set);
	assert_int_equal(key(&cfg.privs, "capabilities", "no_new_privs", "maybe"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "capabilities", "no_new_privs", "yes"), 0);
	assert_int_equal(cfg.privs.no_new_privs, 1);
	assert_int_equal(key(&cfg.privs, "capabilities", "no_new_privs", "auto"), -EINVAL); /* once */
	cfg.privs.keys_seen = 0;
	assert_int_equal(key(&cfg.privs, "capabilities", "no_new_privs", "auto"), 0);
	assert_int_equal(cfg.privs.no_new_privs, -1);
	assert_int_equal(key(&cfg.privs, "capabilities", "drop", "all"), -EINVAL);

	assert_false(cfg.privs.seccomp_set);
	assert_int_equal(key(&cfg.privs, "seccomp", "deny", "ptrace, mount"), 0);
	assert_true(cfg.privs.seccomp_set);
	assert_int_equal(cfg.privs.seccomp_profile, SECCOMP_PROFILE_DEFAULT);
	assert_int_equal(cfg.privs.ndeny, 2);
	assert_int_equal(cfg.privs.deny[1].line, 7);
	assert_int_equal(key(&cfg.privs, "seccomp", "deny", "teleport"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "seccomp", "allow", "socketcall"), 0); /* not on x86_64: warned */
	assert_int_equal(key(&cfg.privs, "seccomp", "profile", "strict"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "seccomp", "profile", "none"), 0);
	assert_int_equal(key(&cfg.privs, "seccomp", "mode", "graylist"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "seccomp", "mode", "allowlist"), 0);
	assert_int_equal(key(&cfg.privs, "seccomp", "action", "trap"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "seccomp", "action", "kill"), 0);
	assert_int_equal(cfg.privs.seccomp_action, SECCOMP_ACT_KILL);
	assert_int_equal(key(&cfg.privs, "seccomp", "errno", "eacces"), 0);
	assert_int_equal(cfg.privs.seccomp_errno, EACCES);
	cfg.privs.keys_seen = 0;
	assert_int_equal(key(&cfg.privs, "seccomp", "errno", "38"), 0);
	assert_int_equal(cfg.privs.seccomp_errno, ENOSYS);
	assert_int_equal(key(&cfg.privs, "seccomp", "errno", "0"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "seccomp", "errno", "EWHATEVER"), -EINVAL);
	assert_int_equal(key(&cfg.privs, "seccomp", "filter", "x"), -EINVAL);
	config_free(&cfg);
}

static void test_prepare_nothing(void **state)
{
	struct tmpinit_config cfg;
	struct privs_plan *plan = NULL;

	(void)state;
	init(&cfg);
	assert_int_equal(privs_prepare(&cfg, &plan), 0);
	assert_null(privs_env(plan));
	privs_plan_free(plan);
	config_free(&cfg);
}

static void test_prepare_user_env(void **state)
{
	struct tmpinit_config cfg;
	struct privs_plan *plan = NULL;
	char *const *env;

	(void)state;
	init(&cfg);
	assert_int_equal(key(&cfg.privs, "user", "user", "root"), 0);
	assert_int_equal(privs_prepare(&cfg, &plan), 0);
	env = privs_env(plan);
	assert_non_null(env);
	assert_string_equal(env[0], "HOME=/root");
	assert_string_equal(env[1], "USER=root");
	assert_string_equal(env[2], "LOGNAME=root");
	assert_null(env[3]);
	privs_plan_free(plan);
	config_free(&cfg);
}

static void test_prepare_bare_uid_needs_group(void **state)
{
	struct tmpinit_config cfg;
	struct privs_plan *plan = NULL;

	(void)state;
	init(&cfg);
	assert_int_equal(key(&cfg.privs, "user", "user", "4000000001"), 0);
	assert_int_equal(privs_prepare(&cfg, &plan), -EINVAL); /* no passwd entry, no group */
	privs_plan_free(plan);
	plan = NULL;
	assert_int_equal(key(&cfg.privs, "user", "group", "4000000001"), 0);
	assert_int_equal(privs_prepare(&cfg, &plan), 0);
	privs_plan_free(plan);
	config_free(&cfg);
}

static void test_filter_build(void **state)
{
	struct tmpinit_config cfg;
	struct filter_prog prog;
	int ptrace_nr, clone3_nr;
	bool has_ptrace = false, clone3_enosys = false;

	(void)state;
	assert_int_equal(filter_resolve("ptrace", &ptrace_nr), 0);
	assert_int_equal(filter_resolve("clone3", &clone3_nr), 0);
	init(&cfg);
	/* no [seccomp]: no filter */
	assert_int_equal(filter_build(&cfg.privs, "t.ini", &prog), 0);
	assert_int_equal(prog.len, 0);
	/* bare [seccomp]: the default profile */
	privs_config_section(&cfg.privs, "seccomp");
	assert_int_equal(filter_build(&cfg.privs, "t.ini", &prog), 0);
	assert_true(prog.len > 10);
	for (size_t i = 0; i < prog.n; i++) {
		has_ptrace |= prog.nrs[i] == ptrace_nr;
		if (prog.nrs[i] == clone3_nr)
			clone3_enosys = prog.enosys[i];
	}
	assert_true(has_ptrace);
	assert_true(clone3_enosys);
	assert_true(prog.clone_ns);
	filter_free(&prog);
	/* allow takes a syscall out of the default list */
	assert_int_equal(key(&cfg.privs, "seccomp", "allow", "ptrace unshare"), 0);
	assert_int_equal(filter_build(&cfg.privs, "t.ini", &prog), 0);
	for (size_t i = 0; i < prog.n; i++)
		assert_int_not_equal(prog.nrs[i], ptrace_nr);
	assert_false(prog.clone_ns);
	filter_free(&prog);
	/* profile none and nothing denied: no filter */
	assert_int_equal(key(&cfg.privs, "seccomp", "profile", "none"), 0);
	assert_int_equal(filter_build(&cfg.privs, "t.ini", &prog), 0);
	assert_int_equal(prog.len, 0);
	/* allowlist with deny is refused */
	assert_int_equal(key(&cfg.privs, "seccomp", "deny", "mount"), 0);
	assert_int_equal(key(&cfg.privs, "seccomp", "mode", "allowlist"), 0);
	assert_int_equal(filter_build(&cfg.privs, "t.ini", &prog), -EINVAL);
	filter_free(&prog);
	config_free(&cfg);
}

static void test_nnp_no_with_filter(void **state)
{
	struct tmpinit_config cfg;
	struct privs_plan *plan = NULL;

	(void)state;
	init(&cfg);
	privs_config_section(&cfg.privs, "seccomp");
	assert_int_equal(key(&cfg.privs, "capabilities", "no_new_privs", "no"), 0);
	assert_int_equal(privs_prepare(&cfg, &plan), -EINVAL);
	privs_plan_free(plan);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_parse),
		cmocka_unit_test(test_caps_format),
		cmocka_unit_test(test_filter_resolve),
		cmocka_unit_test(test_user_keys),
		cmocka_unit_test(test_caps_and_seccomp_keys),
		cmocka_unit_test(test_prepare_nothing),
		cmocka_unit_test(test_prepare_user_env),
		cmocka_unit_test(test_prepare_bare_uid_needs_group),
		cmocka_unit_test(test_filter_build),
		cmocka_unit_test(test_nnp_no_with_filter),
	};

	log_setup(LVL_ERROR, LOGFMT_TEXT); /* the expected errors still print on stderr, warnings do not */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
