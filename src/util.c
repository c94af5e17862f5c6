/* util.c - pure helpers: parsing of durations, sizes, numbers and signal names.
 * Never logs and never touches global state; callers turn the -errno into a message. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int util_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Parse "digits[.digits]" into an integer scaled by 1000 (milli-units). */
static int parse_fixed3(const char **sp, uint64_t *out)
{
	const char *s = *sp;
	uint64_t whole = 0, frac = 0;
	int fdigits = 0;
	bool any = false;

	while (isdigit((unsigned char)*s)) {
		if (whole > UINT64_MAX / 10 - 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*s++ - '0');
		any = true;
	}
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			if (fdigits < 3) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				fdigits++;
			}
			s++;
			any = true;
		}
	}
	if (!any)
		return -EINVAL;
	while (fdigits++ < 3)
		frac *= 10;
	if (whole > (UINT64_MAX - frac) / 1000)
		return -ERANGE;
	*out = whole * 1000 + frac;
	*sp = s;
	return 0;
}

int util_parse_duration(const char *s, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t milli_ms; /* milliseconds per unit, times 1000 */
	} units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "m", 60000 }, { "min", 60000 }, { "h", 3600000 },
	};
	uint64_t v;
	int r;

	if (!s || *s == '-' || *s == '+')
		return s && *s ? -ERANGE : -EINVAL;
	r = parse_fixed3(&s, &v);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(s, units[i].unit) != 0)
			continue;
		if (units[i].milli_ms && v > UINT64_MAX / units[i].milli_ms)
			return -ERANGE;
		v = v * units[i].milli_ms / 1000;
		/* deadlines become int64 nanoseconds somewhere: cap at ~292 years */
		if (v > (uint64_t)INT64_MAX / 1000000)
			return -ERANGE;
		*ms = v; /* only on success: a caller's default survives an error */
		return 0;
	}
	return -EINVAL;
}

int util_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, mult = 1;

	if (!s || !*s)
		return -EINVAL;
	if (*s == '-' || *s == '+')
		return -ERANGE;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	while (isdigit((unsigned char)*s)) {
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	switch (tolower((unsigned char)*s)) {
	case '\0':
		break;
	case 'k':
		mult = 1ULL << 10;
		s++;
		break;
	case 'm':
		mult = 1ULL << 20;
		s++;
		break;
	case 'g':
		mult = 1ULL << 30;
		s++;
		break;
	case 't':
		mult = 1ULL << 40;
		s++;
		break;
	case 'b':
		break;
	default:
		return -EINVAL;
	}
	if (*s && mult > 1 && (strcasecmp(s, "ib") == 0 || strcasecmp(s, "b") == 0))
		s += strlen(s);
	else if (*s && mult == 1 && strcasecmp(s, "b") == 0)
		s++;
	if (*s)
		return -EINVAL;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*bytes = v * mult;
	return 0;
}

int util_parse_mode(const char *s, unsigned *mode)
{
	unsigned v = 0;

	if (!s || !*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return -EINVAL;
		v = v * 8 + (unsigned)(*s - '0');
	}
	if (v > 07777)
		return -ERANGE;
	*mode = v;
	return 0;
}

int util_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (s && strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (s && strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static const struct {
	const char *name;
	int sig;
} signal_table[] = {
	{ "HUP", SIGHUP },     { "INT", SIGINT },	{ "QUIT", SIGQUIT },   { "ILL", SIGILL },
	{ "TRAP", SIGTRAP },   { "ABRT", SIGABRT },	{ "IOT", SIGIOT },     { "BUS", SIGBUS },
	{ "FPE", SIGFPE },     { "KILL", SIGKILL },	{ "USR1", SIGUSR1 },   { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 },   { "PIPE", SIGPIPE },	{ "ALRM", SIGALRM },   { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },	{ "CONT", SIGCONT },   { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP },   { "TTIN", SIGTTIN },	{ "TTOU", SIGTTOU },   { "URG", SIGURG },
	{ "XCPU", SIGXCPU },   { "XFSZ", SIGXFSZ },	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO },		{ "POLL", SIGPOLL },   { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

int util_parse_signal(const char *s)
{
	uint64_t n;

	if (!s || !*s)
		return -EINVAL;
	if (isdigit((unsigned char)*s)) {
		if (util_parse_uint(s, (uint64_t)SIGRTMAX, &n) < 0 || n == 0)
			return -EINVAL;
		return (int)n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signal_table); i++)
		if (strcasecmp(s, signal_table[i].name) == 0)
			return signal_table[i].sig;
	if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
		bool min = strncasecmp(s, "RTMIN", 5) == 0;
		const char *rest = s + 5;
		int base = min ? SIGRTMIN : SIGRTMAX;

		if (!*rest)
			return base;
		if ((min && *rest != '+') || (!min && *rest != '-'))
			return -EINVAL;
		if (util_parse_uint(rest + 1, (uint64_t)(SIGRTMAX - SIGRTMIN), &n) < 0)
			return -EINVAL;
		return min ? base + (int)n : base - (int)n;
	}
	return -EINVAL;
}

const char *util_signal_name(int sig)
{
	static char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(signal_table); i++) {
		/* skip aliases so the canonical name wins */
		if (signal_table[i].sig == sig && strcmp(signal_table[i].name, "IOT") != 0 &&
		    strcmp(signal_table[i].name, "POLL") != 0) {
			snprintf(buf, sizeof(buf), "SIG%s", signal_table[i].name);
			return buf;
		}
	}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, sizeof(buf), "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, sizeof(buf), "SIG%d", sig);
	return buf;
}

void util_format_duration(uint64_t ms, char *buf, size_t cap)
{
	if (ms % 1000 == 0)
		snprintf(buf, cap, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, cap, "%llums", (unsigned long long)ms);
}

void util_format_size(uint64_t bytes, char *buf, size_t cap)
{
	static const char units[] = "tgmk";

	for (int i = 0; i < 4; i++) {
		uint64_t u = 1ULL << (10 * (4 - i));

		if (bytes && bytes % u == 0) {
			snprintf(buf, cap, "%llu%c", (unsigned long long)(bytes / u), units[i]);
			return;
		}
	}
	snprintf(buf, cap, "%llu", (unsigned long long)bytes);
}

uint64_t util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
