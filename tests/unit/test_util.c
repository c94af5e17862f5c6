/* test_util.c - the value parsers every config key and option goes through (durations, sizes,
 * numbers, modes, booleans, signal names), their formatters, and the log line writer (text and
 * JSON escaping), read back through a pipe in place of stderr. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "util.h"

static void test_duration(void **state)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t ms;
	} cases[] = {
		{ "500ms", 0, 500 },	{ "5s", 0, 5000 },	  { "5", 0, 5000 },	  { "1.5s", 0, 1500 },
		{ "0.25", 0, 250 },	{ "2m", 0, 120000 },	  { "2min", 0, 120000 }, { "1h", 0, 3600000 },
		{ "0", 0, 0 },		{ "0ms", 0, 0 },	  { "1.5ms", 0, 1 },	  { ".5s", 0, 500 },
		{ "1.2345s", 0, 1234 }, { "", -EINVAL, 0 },	  { "s", -EINVAL, 0 },	  { "5 s", -EINVAL, 0 },
		{ "5sec", -EINVAL, 0 }, { "5S", -EINVAL, 0 },	  { "1d", -EINVAL, 0 },	  { "1e3", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 }, { "-1s", -ERANGE, 0 },	  { "+1s", -ERANGE, 0 },
		{ "18446744073709551615h", -ERANGE, 0 },		  { "99999999999999999999", -ERANGE, 0 },
		{ "9223372036854s", -ERANGE, 0 },			  { ".", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t ms = 77;
		int r = util_parse_duration(cases[i].in, &ms);

		print_message("duration \"%s\" -> %d %llu\n", cases[i].in, r, (unsigned long long)ms);
		assert_int_equal(r, cases[i].ret);
		assert_int_equal(ms, cases[i].ret == 0 ? cases[i].ms : 77); /* untouched on error */
	}
	assert_int_equal(util_parse_duration(NULL, &(uint64_t){ 0 }), -EINVAL);
}

static void test_size(void **state)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t bytes;
	} cases[] = {
		{ "4096", 0, 4096 },
		{ "512k", 0, 512 << 10 },
		{ "64m", 0, 64 << 20 },
		{ "64M", 0, 64 << 20 },
		{ "64MiB", 0, 64 << 20 },
		{ "64mb", 0, 64 << 20 },
		{ "1g", 0, 1ULL << 30 },
		{ "2t", 0, 2ULL << 40 },
		{ "100b", 0, 100 },
		{ "0", 0, 0 },
		{ "", -EINVAL, 0 },
		{ "m", -EINVAL, 0 },
		{ "1.5m", -EINVAL, 0 },
		{ "64 m", -EINVAL, 0 },
		{ "64x", -EINVAL, 0 },
		{ "1bib", -EINVAL, 0 },
		{ "64mm", -EINVAL, 0 },
		{ "-1", -ERANGE, 0 },
		{ "+1", -ERANGE, 0 },
		{ "16777216t", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t b = 77;
		int r = util_parse_size(cases[i].in, &b);

		print_message("size \"%s\" -> %d %llu\n", cases[i].in, r, (unsigned long long)b);
		assert_int_equal(r, cases[i].ret);
		assert_int_equal(b, cases[i].ret == 0 ? cases[i].bytes : 77);
	}
}

static void test_uint_mode_bool(void **state)
{
	uint64_t v = 0;
	unsigned mode = 0;
	bool b = false;

	assert_int_equal(util_parse_uint("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(util_parse_uint("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(util_parse_uint("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(util_parse_uint("101", 100, &v), -ERANGE);
	assert_int_equal(util_parse_uint("-1", 100, &v), -EINVAL);
	assert_int_equal(util_parse_uint("0x1", 100, &v), -EINVAL);
	assert_int_equal(util_parse_uint(" 1", 100, &v), -EINVAL);
	assert_int_equal(util_parse_uint("", 100, &v), -EINVAL);

	assert_int_equal(util_parse_mode("1777", &mode), 0);
	assert_int_equal(mode, 01777);
	assert_int_equal(util_parse_mode("0755", &mode), 0);
	assert_int_equal(mode, 0755);
	assert_int_equal(util_parse_mode("07777", &mode), 0);
	assert_int_equal(mode, 07777);
	assert_int_equal(util_parse_mode("17777", &mode), -ERANGE);
	assert_int_equal(util_parse_mode("789", &mode), -EINVAL); /* decimal is not octal */
	assert_int_equal(util_parse_mode("0o755", &mode), -EINVAL);
	assert_int_equal(util_parse_mode("000755", &mode), -EINVAL);
	assert_int_equal(util_parse_mode("", &mode), -EINVAL);

	assert_int_equal(util_parse_bool("YES", &b), 0);
	assert_true(b);
	assert_int_equal(util_parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(util_parse_bool("1", &b), 0);
	assert_true(b);
	assert_int_equal(util_parse_bool("2", &b), -EINVAL);
	assert_int_equal(util_parse_bool("", &b), -EINVAL);
	assert_int_equal(util_parse_bool(NULL, &b), -EINVAL);
}

static void test_signal(void **state)
{
	assert_int_equal(util_parse_signal("TERM"), SIGTERM);
	assert_int_equal(util_parse_signal("SIGTERM"), SIGTERM);
	assert_int_equal(util_parse_signal("sigquit"), SIGQUIT);
	assert_int_equal(util_parse_signal("15"), 15);
	assert_int_equal(util_parse_signal("IOT"), SIGABRT);
	assert_int_equal(util_parse_signal("RTMIN"), SIGRTMIN);
	assert_int_equal(util_parse_signal("RTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(util_parse_signal("SIGRTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(util_parse_signal("RTMIN-1"), -EINVAL);
	assert_int_equal(util_parse_signal("RTMAX+1"), -EINVAL);
	assert_int_equal(util_parse_signal("0"), -EINVAL);
	assert_int_equal(util_parse_signal("65"), -EINVAL);
	assert_int_equal(util_parse_signal("TERMX"), -EINVAL);
	assert_int_equal(util_parse_signal(""), -EINVAL);

	assert_string_equal(util_signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(util_signal_name(SIGABRT), "SIGABRT"); /* not the alias IOT */
	assert_string_equal(util_signal_name(SIGIO), "SIGIO");	   /* not the alias POLL */
	assert_string_equal(util_signal_name(SIGRTMIN + 2), "SIGRTMIN+2");
	/* every named signal round-trips */
	for (int s = 1; s < SIGRTMIN; s++) {
		const char *name = util_signal_name(s);

		if (strncmp(name, "SIG", 3) == 0 && (name[3] < '0' || name[3] > '9'))
			assert_int_equal(util_parse_signal(name), s);
	}
}

static void test_format(void **state)
{
	char buf[32];
	uint64_t back;

	util_format_duration(5000, buf, sizeof(buf));
	assert_string_equal(buf, "5s");
	util_format_duration(1500, buf, sizeof(buf));
	assert_string_equal(buf, "1500ms");
	util_format_duration(0, buf, sizeof(buf));
	assert_string_equal(buf, "0s");
	util_format_size(64 << 20, buf, sizeof(buf));
	assert_string_equal(buf, "64m");
	util_format_size(1536, buf, sizeof(buf));
	assert_string_equal(buf, "1536");
	util_format_size(3ULL << 40, buf, sizeof(buf));
	assert_string_equal(buf, "3t");
	util_format_size(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	/* what the formatters print, the parsers read back */
	for (uint64_t v = 1; v < (1ULL << 43); v = v * 3 + 1) { /* durations stop at ~292 years */
		util_format_size(v << 10, buf, sizeof(buf));
		assert_int_equal(util_parse_size(buf, &back), 0);
		assert_true(back == v << 10);
		util_format_duration(v, buf, sizeof(buf));
		assert_int_equal(util_parse_duration(buf, &back), 0);
		assert_true(back == v);
	}
}

/* The line log_msg writes for MSG, read from a pipe standing in for stderr. */
static const char *logged(enum log_format fmt, const char *msg)
{
	static char out[8192];
	int p[2], saved = dup(STDERR_FILENO);
	ssize_t n;

	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);
	log_setup(LVL_INFO, fmt);
	errno = 1234;
	log_msg(LVL_WARN, "%s", msg);
	assert_int_equal(errno, 1234); /* log_msg keeps errno */
	log_msg(LVL_DEBUG, "%s", "above the threshold: dropped");
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(p[1]);
	n = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	assert_true(n > 0);
	out[n] = '\0';
	return out;
}

static void test_log(void **state)
{
	char pid[32], want[256];

	assert_string_equal(logged(LOGFMT_TEXT, "plain"), "tmpinit: warning: plain\n");
	/* a newline in a path never forges a second line */
	assert_string_equal(logged(LOGFMT_TEXT, "a\nb\tc\x7f"), "tmpinit: warning: a\\nb\\x09c\\x7f\n");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(want, sizeof(want),
		 "{\"prog\":\"tmpinit\",\"level\":\"warning\",\"pid\":%s,\"msg\":\"q\\\"b\\\\n\\nc\\u0001\"}\n", pid);
	assert_string_equal(logged(LOGFMT_JSON, "q\"b\\n\nc\x01"), want);
	/* JSON keeps valid UTF-8 and replaces each invalid byte (overlong, surrogate, cut) */
	snprintf(want, sizeof(want),
		 "{\"prog\":\"tmpinit\",\"level\":\"warning\",\"pid\":%s,\"msg\":\"\xc3\xa9 \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\"}\n",
		 pid);
	assert_string_equal(logged(LOGFMT_JSON, "\xc3\xa9 \xc0\xaf \xed\xa0\x80 \xe2\x82"), want);
	/* a message far longer than a line is cut, still one line ending in a newline */
	{
		char big[5000];
		const char *line;

		memset(big, '"', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		line = logged(LOGFMT_JSON, big);
		assert_true(strlen(line) < 4096);
		assert_string_equal(line + strlen(line) - 3, "\"}\n");
		assert_true(strchr(line, '\n') == line + strlen(line) - 1); /* one line */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration), cmocka_unit_test(test_size), cmocka_unit_test(test_uint_mode_bool),
		cmocka_unit_test(test_signal),	 cmocka_unit_test(test_format), cmocka_unit_test(test_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
