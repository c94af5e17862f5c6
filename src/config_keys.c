/* config_keys.c - the values of [init], [rootfs] and [tmpfs PATH]: one small parser per key,
 * each refusing what it does not understand with "FILE:LINE: [section] key: ... (expected ...)".
 * No side effects beyond reading /etc/passwd and /etc/group for owner names. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "passwd.h"
#include "signals.h"
#include "util.h"

struct key_def {
	const char *name;
	int (*parse)(struct config_parser *p, const char *key, const char *value);
	bool list;	/* may repeat and continue on indented lines */
	const char *expected; /* for the "empty value" message */
};

/* Look KEY up in DEFS; refuse unknown keys, empty values and a second scalar. */
static int dispatch(struct config_parser *p, const struct key_def *defs, size_t n, const char *known,
		    const char *key, const char *value)
{
	char buf[64];

	for (size_t i = 0; i < n; i++) {
		if (strcmp(defs[i].name, key) != 0)
			continue;
		if (!defs[i].list && p->cont)
			return config_err(p, key, "one line per key; only list keys continue on indented lines",
					  "indented continuation line \"%s\"", config_shown(value, buf, sizeof(buf)));
		if (!defs[i].list && (p->keys_seen & (1ULL << i)))
			return config_err(p, key, "each key once in a section", "given twice");
		p->keys_seen |= 1ULL << i;
		if (!*value)
			return config_err(p, key, defs[i].expected, "empty value");
		return defs[i].parse(p, key, value);
	}
	return config_err(p, key, known, "unknown key");
}

struct choice {
	const char *word;
	int value;
};

/* VALUE must be one of the N words in CHOICES; WHAT names it in the message. */
static int parse_choice(struct config_parser *p, const char *key, const char *value, const char *what,
			const struct choice *choices, size_t n, int *out)
{
	char expected[128] = "";
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(value, choices[i].word) == 0) {
			*out = choices[i].value;
			return 0;
		}
	}
	for (size_t i = 0; i < n && len < sizeof(expected); i++)
		len += (size_t)snprintf(expected + len, sizeof(expected) - len, "%s%s",
					i == 0 ? "" : i + 1 == n ? " or " : ", ", choices[i].word);
	/* config_err() always fails; saying so here lets the static analyzer see that *OUT is
	 * set whenever 0 comes back (make lint) */
	config_err(p, key, expected, "unknown %s \"%s\"", what, value);
	return -EINVAL;
}

#define CHOOSE(p, key, value, what, choices, out) parse_choice(p, key, value, what, choices, ARRAY_SIZE(choices), out)

/* ---- [init] ---- */

static int parse_command(struct config_parser *p, const char *key, const char *value)
{
	const char *why = NULL;
	char **argv = NULL;
	int r = config_split_command(value, &argv, &why);

	if (r == -ENOMEM)
		return config_err(p, key, NULL, "out of memory");
	if (r < 0)
		return config_err(p, key, "a command split like a shell would, e.g. myapp --port 8080 or sh -c '...'",
				  "%s", why);
	if (!argv[0]) {
		config_free_argv(argv);
		return config_err(p, key, "a command", "no words");
	}
	config_free_argv(p->cfg->config_argv);
	p->cfg->config_argv = argv;
	p->cfg->argv = argv;
	p->cfg->argv_from_config = true;
	return 0;
}

static int parse_stop_signal(struct config_parser *p, const char *key, const char *value)
{
	int sig = util_parse_signal(value);

	if (sig <= 0)
		return config_err(p, key, "a signal name or number, e.g. TERM, SIGQUIT or 3", "unknown signal \"%s\"", value);
	if (signals_not_forwarded(sig))
		return config_err(p, key, "a signal tmpinit can receive and forward, e.g. TERM, QUIT, USR1",
				  "%s cannot start a stop", util_signal_name(sig));
	p->cfg->stop_signal = sig;
	return 0;
}

static int parse_duration_key(struct config_parser *p, const char *key, const char *value, uint64_t *out,
			      bool zero_ok)
{
	char buf[64];
	int r = util_parse_duration(value, out);

	if (r == -ERANGE || (r == 0 && *out > CONFIG_MAX_DURATION_MS))
		return config_err(p, key, zero_ok ? "a duration from 0 to 24h" : "a duration from 1ms to 24h",
				  "\"%s\" out of range", config_shown(value, buf, sizeof(buf)));
	if (r < 0)
		return config_err(p, key, "a duration such as 500ms, 5s, 1.5s, 2m or 1h",
				  "bad duration \"%s\"", config_shown(value, buf, sizeof(buf)));
	if (!zero_ok && *out == 0) {
		if (strpbrk(value, "123456789")) /* 0.5ms, 0.0001s: not zero as written */
			return config_err(p, key, "a duration from 1ms to 24h, e.g. 5s", "\"%s\" is under 1ms",
					  config_shown(value, buf, sizeof(buf)));
		return config_err(p, key, "a duration from 1ms to 24h, e.g. 5s", "zero");
	}
	return 0;
}

static int parse_stop_timeout(struct config_parser *p, const char *key, const char *value)
{
	return parse_duration_key(p, key, value, &p->cfg->stop_timeout_ms, false);
}

static int parse_stop_delay(struct config_parser *p, const char *key, const char *value)
{
	return parse_duration_key(p, key, value, &p->cfg->stop_delay_ms, true);
}

static int parse_signal_target(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = { { "child", TARGET_CHILD }, { "group", TARGET_GROUP } };
	int v, r = CHOOSE(p, key, value, "target", c, &v);

	if (r == 0)
		p->cfg->signal_target = (enum signal_target)v;
	return r;
}

/* "TERM:QUIT WINCH:0 ...": blank-separated FROM:TO pairs; TO 0 drops FROM. */
static int parse_rewrite(struct config_parser *p, const char *key, const char *value)
{
	static const char expected[] = "FROM:TO pairs such as TERM:QUIT or WINCH:0, FROM a forwardable signal, TO a signal or 0";
	char item[128];
	const char *s = value;

	while (*s) {
		size_t n = strcspn(s, " \t");
		char *colon;
		int from, to;

		if (n == 0) {
			s++;
			continue;
		}
		if (n >= sizeof(item))
			return config_err(p, key, expected, "item too long");
		memcpy(item, s, n);
		item[n] = '\0';
		s += n;
		colon = strchr(item, ':');
		if (!colon)
			return config_err(p, key, expected, "\"%s\" has no ':'", item);
		*colon = '\0';
		from = util_parse_signal(item);
		if (from <= 0 || from >= (int)ARRAY_SIZE(p->cfg->rewrite))
			return config_err(p, key, expected, "unknown signal \"%s\"", item);
		if (signals_not_forwarded(from))
			return config_err(p, key, expected, "%s is never forwarded", util_signal_name(from));
		if (strcmp(colon + 1, "0") == 0)
			to = -1;
		else if ((to = util_parse_signal(colon + 1)) <= 0)
			return config_err(p, key, expected, "unknown signal \"%s\"", colon + 1);
		if (p->rewrite_seen[from])
			return config_err(p, key, "each FROM signal once", "%s rewritten twice", util_signal_name(from));
		p->rewrite_seen[from] = true;
		p->cfg->rewrite[from] = to;
	}
	return 0;
}

static int parse_log_level(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = {
		{ "error", LVL_ERROR }, { "warning", LVL_WARN }, { "info", LVL_INFO }, { "debug", LVL_DEBUG }, { "trace", LVL_TRACE },
	};

	return CHOOSE(p, key, value, "level", c, &p->cfg->verbosity);
}

static int parse_log_format(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = { { "text", LOGFMT_TEXT }, { "json", LOGFMT_JSON } };
	int v, r = CHOOSE(p, key, value, "format", c, &v);

	if (r == 0)
		p->cfg->log_format = (enum log_format)v;
	return r;
}

static const struct key_def init_keys[] = {
	{ "command", parse_command, false, "a command" },
	{ "stop_signal", parse_stop_signal, false, "a signal name" },
	{ "stop_timeout", parse_stop_timeout, false, "a duration such as 5s" },
	{ "stop_delay", parse_stop_delay, false, "a duration such as 2s" },
	{ "signal_target", parse_signal_target, false, "child or group" },
	{ "rewrite", parse_rewrite, true, "FROM:TO pairs" },
	{ "log_level", parse_log_level, false, "error, warning, info, debug or trace" },
	{ "log_format", parse_log_format, false, "text or json" },
};

int config_key_init(struct config_parser *p, const char *key, const char *value)
{
	return dispatch(p, init_keys, ARRAY_SIZE(init_keys),
			"command, stop_signal, stop_timeout, stop_delay, signal_target, rewrite, log_level or log_format",
			key, value);
}

/* ---- [rootfs] ---- */

static int parse_read_only(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = { { "require", ROOT_REQUIRE }, { "remount", ROOT_REMOUNT }, { "ignore", ROOT_IGNORE } };
	int v, r = CHOOSE(p, key, value, "policy", c, &v);

	if (r == 0) {
		p->cfg->read_only = (enum root_policy)v;
		p->read_only_set = true;
	}
	return r;
}

static const struct key_def rootfs_keys[] = {
	{ "read_only", parse_read_only, false, "require, remount or ignore" },
};

int config_key_rootfs(struct config_parser *p, const char *key, const char *value)
{
	return dispatch(p, rootfs_keys, ARRAY_SIZE(rootfs_keys), "read_only", key, value);
}

/* ---- [tmpfs PATH] ---- */

static int parse_size(struct config_parser *p, const char *key, const char *value)
{
	char buf[64];
	uint64_t v;
	int r = util_parse_size(value, &v);

	/* the kernel takes size in pages as an unsigned long; stay far below any wrap */
	if (r == -ERANGE || (r == 0 && v > (1ULL << 50)))
		return config_err(p, key, "a size from 4k to 1024t", "\"%s\" out of range", config_shown(value, buf, sizeof(buf)));
	if (r < 0)
		return config_err(p, key, "a size such as 64m, 1g or 4096 (units k, m, g, t; binary)",
				  "bad size \"%s\"", config_shown(value, buf, sizeof(buf)));
	if (v < 4096)
		return config_err(p, key, "a size of at least 4k (one page)", "\"%s\" is too small", value);
	p->spec->size = v;
	p->spec->size_set = true;
	return 0;
}

static int parse_inodes(struct config_parser *p, const char *key, const char *value)
{
	char buf[64];
	uint64_t v;
	int r = util_parse_uint(value, CONFIG_MAX_INODES, &v);

	if (r == -ERANGE || (r == 0 && v == 0))
		return config_err(p, key, "a number of inodes from 1 to 4294967296", "\"%s\" out of range",
				  config_shown(value, buf, sizeof(buf)));
	if (r < 0)
		return config_err(p, key, "a plain decimal number, e.g. 10000", "bad number \"%s\"",
				  config_shown(value, buf, sizeof(buf)));
	p->spec->inodes = v;
	return 0;
}

static int parse_mode(struct config_parser *p, const char *key, const char *value)
{
	static const char expected[] = "an octal mode of 3 or 4 digits such as 1777, 0700 or 755";
	char buf[64];
	size_t digits = strlen(value);
	unsigned mode;
	int r;

	/* "7" or "70" is almost surely a mistake, and decimal 511 for 0777 is caught by the
	 * digit check only when it holds an 8 or 9: insist on the usual 3-4 octal digits */
	if (digits < 3 || digits > 5)
		return config_err(p, key, expected, "\"%s\" is not 3 or 4 octal digits", config_shown(value, buf, sizeof(buf)));
	r = util_parse_mode(value, &mode);
	if (r == -ERANGE)
		return config_err(p, key, expected, "\"%s\" is above 7777", value);
	if (r < 0)
		return config_err(p, key, expected, "\"%s\" is not octal", value);
	p->spec->mode = mode;
	p->spec->mode_set = true;
	return 0;
}

static int parse_owner(struct config_parser *p, const char *key, const char *value)
{
	static const char expected[] = "user:group, names from /etc/passwd and /etc/group or numbers";
	struct passwd_user u;
	char user[256], *group;
	gid_t gid;
	int r;

	if (strlen(value) >= sizeof(user))
		return config_err(p, key, expected, "too long");
	strcpy(user, value);
	group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	if (!*user || (group && !*group))
		return config_err(p, key, expected, "\"%s\" lacks a user or group", value);
	r = passwd_lookup_user(PASSWD_FILE, user, &u);
	if (r == -ENOENT)
		return config_err(p, key, expected, "unknown user \"%s\" in " PASSWD_FILE, user);
	if (r < 0)
		return config_err(p, key, expected, "user \"%s\": %s", user, r == -EINVAL ? "bad number" : strerror(-r));
	if (group) {
		r = passwd_lookup_group(GROUP_FILE, group, &gid);
		if (r == -ENOENT)
			return config_err(p, key, expected, "unknown group \"%s\" in " GROUP_FILE, group);
		if (r < 0)
			return config_err(p, key, expected, "group \"%s\": %s", group,
					  r == -EINVAL ? "bad number" : strerror(-r));
	} else if (u.found) {
		gid = u.gid;
	} else {
		return config_err(p, key, expected, "uid %s has no " PASSWD_FILE " entry: name the group", user);
	}
	free(p->spec->owner);
	p->spec->owner = strdup(value);
	if (!p->spec->owner)
		return config_err(p, key, NULL, "out of memory");
	p->spec->uid = u.uid;
	p->spec->gid = gid;
	p->spec->owner_set = true;
	return 0;
}

static int parse_bool_key(struct config_parser *p, const char *key, const char *value, bool *out)
{
	if (util_parse_bool(value, out) < 0)
		return config_err(p, key, "yes or no; true/false, on/off and 1/0 work too", "\"%s\" is not yes or no", value);
	return 0;
}

static int parse_exec(struct config_parser *p, const char *key, const char *value)
{
	return parse_bool_key(p, key, value, &p->spec->exec);
}

static int parse_suid(struct config_parser *p, const char *key, const char *value)
{
	return parse_bool_key(p, key, value, &p->spec->suid);
}

static int parse_dev(struct config_parser *p, const char *key, const char *value)
{
	return parse_bool_key(p, key, value, &p->spec->dev);
}

static int parse_shred(struct config_parser *p, const char *key, const char *value)
{
	return parse_bool_key(p, key, value, &p->spec->shred);
}

static int parse_swap(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = { { "no", 0 }, { "allow", 1 } };
	int v, r = CHOOSE(p, key, value, "swap policy", c, &v);

	if (r == 0)
		p->spec->swap_allow = v;
	return r;
}

static int parse_source(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = { { "auto", SOURCE_AUTO }, { "mount", SOURCE_MOUNT }, { "adopt", SOURCE_ADOPT } };
	int v, r = CHOOSE(p, key, value, "source", c, &v);

	if (r == 0)
		p->spec->source = (enum tmpfs_source)v;
	return r;
}

static int parse_pattern(struct config_parser *p, const char *key, const char *value)
{
	static const struct choice c[] = { { "zero", PATTERN_ZERO }, { "random", PATTERN_RANDOM } };
	int v, r = CHOOSE(p, key, value, "pattern", c, &v);

	if (r == 0)
		p->spec->pattern = (enum shred_pattern)v;
	return r;
}

static int parse_passes(struct config_parser *p, const char *key, const char *value)
{
	char buf[64];
	uint64_t v;
	int r = util_parse_uint(value, CONFIG_MAX_PASSES, &v);

	if (r == -ERANGE || (r == 0 && v == 0))
		return config_err(p, key, "a number of passes from 1 to 16", "\"%s\" out of range",
				  config_shown(value, buf, sizeof(buf)));
	if (r < 0)
		return config_err(p, key, "a plain decimal number from 1 to 16", "bad number \"%s\"",
				  config_shown(value, buf, sizeof(buf)));
	p->spec->passes = (unsigned)v;
	return 0;
}

static const struct key_def tmpfs_keys[] = {
	{ "size", parse_size, false, "a size such as 64m" },
	{ "inodes", parse_inodes, false, "a number" },
	{ "mode", parse_mode, false, "an octal mode such as 1777" },
	{ "owner", parse_owner, false, "user:group" },
	{ "exec", parse_exec, false, "yes or no" },
	{ "suid", parse_suid, false, "yes or no" },
	{ "dev", parse_dev, false, "yes or no" },
	{ "swap", parse_swap, false, "no or allow" },
	{ "shred", parse_shred, false, "yes or no" },
	{ "source", parse_source, false, "auto, mount or adopt" },
	{ "pattern", parse_pattern, false, "zero or random" },
	{ "passes", parse_passes, false, "a number from 1 to 16" },
};

int config_key_tmpfs(struct config_parser *p, const char *key, const char *value)
{
	return dispatch(p, tmpfs_keys, ARRAY_SIZE(tmpfs_keys),
			"size, inodes, mode, owner, exec, suid, dev, swap, shred, source, pattern or passes", key,
			value);
}

/* ---- paths ---- */

bool config_path_covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

const char *config_path_problem(const char *path)
{
	static const char *const kernel[] = { "/proc", "/sys", "/dev" };
	const char *c;

	if (path[0] != '/')
		return "relative path";
	if (strcmp(path, "/") == 0)
		return "/ itself cannot be a tmpfs path";
	if (strlen(path) >= PATH_MAX)
		return "path too long";
	for (c = path; *c; ) {
		size_t n;

		c++; /* past '/' */
		n = strcspn(c, "/");
		if (n == 0)
			return c[0] == '\0' ? "trailing /" : "empty component (//)";
		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return "path has a . or .. component";
		if (n > NAME_MAX)
			return "path component longer than 255 bytes";
		c += n;
	}
	for (size_t i = 0; i < ARRAY_SIZE(kernel); i++)
		if (config_path_covers(kernel[i], path))
			return "path is under /proc, /sys or /dev, which belong to the kernel";
	return NULL;
}

/* ---- command splitting ---- */

void config_free_argv(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

int config_split_command(const char *s, char ***out, const char **why)
{
	static char whybuf[160]; /* names the offending character; valid until the next call */
	const char *start = s;
	size_t cap = strlen(s) + 1, nargs = 0;
	char **argv = calloc(CONFIG_MAX_ARGS + 1, sizeof(*argv));
	char *word = malloc(cap);
	int r = -EINVAL;

	*out = NULL;
	if (!argv || !word) {
		r = -ENOMEM;
		goto fail;
	}
	while (*s) {
		size_t len = 0;
		bool any = false;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '#' || *s == '~') {
			*why = *s == '#' ? "unquoted # (a shell comment; no shell runs here)"
					 : "unquoted ~ (no shell expands it here)";
			goto fail;
		}
		while (*s && *s != ' ' && *s != '\t') {
			any = true;
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');

				if (!end) {
					*why = "unterminated '";
					goto fail;
				}
				memcpy(word + len, s + 1, (size_t)(end - s - 1));
				len += (size_t)(end - s - 1);
				s = end + 1;
			} else if (*s == '"') {
				for (s++; *s != '"'; s++) {
					if (!*s) {
						*why = "unterminated \"";
						goto fail;
					}
					if (*s == '\\' && s[1] && strchr("\"\\$`", s[1]))
						s++;
					else if (*s == '$' || *s == '`') {
						*why = "$ or ` inside \"...\" (no shell expands it here; use '...')";
						goto fail;
					}
					word[len++] = *s;
				}
				s++;
			} else if (*s == '\\') {
				if (!s[1]) {
					*why = "trailing backslash";
					goto fail;
				}
				word[len++] = s[1];
				s += 2;
			} else if (strchr("|&;<>()$`*?", *s)) {
				snprintf(whybuf, sizeof(whybuf),
					 "unquoted %c at column %zu is a shell operator or expansion (no shell runs here; "
					 "quote it, or use sh -c '...')",
					 *s, (size_t)(s - start) + 1);
				*why = whybuf;
				goto fail;
			} else {
				word[len++] = *s++;
			}
		}
		if (!any)
			continue;
		if (nargs >= CONFIG_MAX_ARGS) {
			*why = "more than 1024 words";
			goto fail;
		}
		word[len] = '\0';
		argv[nargs] = strdup(word);
		if (!argv[nargs]) {
			r = -ENOMEM;
			goto fail;
		}
		nargs++;
	}
	free(word);
	*out = argv;
	return 0;
fail:
	free(word);
	config_free_argv(argv);
	return r;
}
