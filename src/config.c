/* config.c - ini file -> struct tmpinit_config: the line reader, sections, dispatch of keys.
 * inih does the key = value splitting; our reader in front of it counts lines (Debian builds
 * inih without line numbers), refuses what inih would silently mangle (long lines, NUL bytes,
 * invalid UTF-8, control characters) and sees section headers, even of empty sections.
 * No side effects: reads the config, /etc/passwd and /etc/group, nothing else. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"
#include "log.h"
#include "privs.h"
#include "util.h"

void config_init(struct tmpinit_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->verbosity = LVL_WARN;
	cfg->stop_signal = SIGTERM;
	cfg->stop_timeout_ms = TMPINIT_DEFAULT_STOP_TIMEOUT_MS;
	cfg->read_only = ROOT_IGNORE;
	cfg->privs.no_new_privs = -1;
	cfg->privs.seccomp_errno = EPERM;
}

const char *config_shown(const char *value, char *buf, size_t cap)
{
	size_t n = strlen(value);

	if (n <= 60 || cap < 64)
		return value;
	/* cut at a UTF-8 character boundary so the message stays valid text */
	n = 57;
	while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
		n--;
	snprintf(buf, cap, "%.*s...", (int)n, value);
	return buf;
}

int config_err(struct config_parser *p, const char *key, const char *expected, const char *fmt, ...)
{
	char msg[512], where[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->named && !p->line_level)
		snprintf(where, sizeof(where), "[%.100s]%s%s: ", p->section, key ? " " : "", key ? key : "");
	else if (key)
		snprintf(where, sizeof(where), "%.100s: ", key);
	else
		where[0] = '\0';
	log_error("%s:%u: %s%s%s%s%s", p->file, p->line, where, msg, expected ? " (expected " : "",
		  expected ? expected : "", expected ? ")" : "");
	p->failed = true;
	return -EINVAL;
}

/* Length of the valid UTF-8 sequence at S (1-4), or 0 when invalid: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Read one line into BUF (at most CONFIG_MAX_LINE bytes, without the line ending).
 * Returns its length, -1 at end of file, or -EINVAL after logging. */
static long read_line(struct config_parser *p, char *buf)
{
	size_t len = 0;
	int c = EOF;

	while ((c = getc_unlocked(p->f)) != EOF && c != '\n') {
		if (len >= CONFIG_MAX_LINE) {
			p->line++;
			p->line_level = true;
			return config_err(p, NULL, "at most 4096 bytes a line, never split; long lists continue on indented lines",
					  "line longer than %d bytes", CONFIG_MAX_LINE);
		}
		buf[len++] = (char)c;
	}
	if (c == EOF && ferror(p->f)) {
		int err = errno;

		p->line++;
		log_error("%s:%u: read the config: %s", p->file, p->line, strerror(err));
		p->failed = true;
		return -EINVAL;
	}
	if (c == EOF && len == 0)
		return -1;
	p->line++;
	/* CRLF line endings are accepted (files edited on Windows); a CR anywhere else is not */
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return (long)len;
}

/* Refuse bytes inih would mangle or that have no place in a config: NUL (would cut the
 * line), control characters, invalid UTF-8, a byte order mark after the first line start. */
static int check_bytes(struct config_parser *p, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;

	p->line_level = true;

	for (size_t i = 0; i < len;) {
		size_t n;

		if (s[i] == 0)
			return config_err(p, NULL, "a text file", "NUL byte at column %zu", i + 1);
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F)
			return config_err(p, NULL, "printable UTF-8 text",
					  "control character 0x%02X at column %zu", s[i], i + 1);
		n = utf8_seq(s + i, len - i);
		if (n == 0)
			return config_err(p, NULL, "UTF-8 text", "invalid UTF-8 at column %zu", i + 1);
		if (n == 3 && s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF)
			return config_err(p, NULL, "a byte order mark only at the very start of the file",
					  "byte order mark at column %zu", i + 1);
		i += n;
	}
	p->line_level = false;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A "[...]" header: the section name as written (untruncated), checked and opened. */
static int open_section(struct config_parser *p, char *start)
{
	static const struct {
		const char *name;
		enum config_section_kind kind;
	} fixed[] = { { "init", SECT_INIT }, { "rootfs", SECT_ROOTFS } };
	char *end = strrchr(start, ']'), *name, *tail;
	struct tmpinit_config *cfg = p->cfg;

	p->kind = SECT_NONE;
	p->section[0] = '\0';
	p->named = false;
	p->spec = NULL;
	p->have_key = false;
	p->keys_seen = 0;
	if (!end)
		return config_err(p, NULL, "[section]", "section header without a closing ]");
	for (tail = end + 1; blank(*tail); tail++)
		;
	*end = '\0';
	for (name = start + 1; blank(*name); name++)
		;
	while (end > name && blank(end[-1]))
		*--end = '\0';
	snprintf(p->section, sizeof(p->section), "%s", name);
	p->named = true;
	if (*tail)
		return config_err(p, NULL, "nothing after ] but blanks; comments go on their own line",
				  "text after the section header");

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (strcmp(name, fixed[i].name) != 0)
			continue;
		p->kind = fixed[i].kind;
		if (p->sections_seen & (1U << fixed[i].kind))
			return config_err(p, NULL, "each section once", "section given twice");
		p->sections_seen |= 1U << fixed[i].kind;
		return 0;
	}
	if (privs_config_owns(name)) {
		unsigned bit = strcmp(name, "user") == 0 ? 8 : strcmp(name, "capabilities") == 0 ? 9 : 10;

		p->kind = SECT_PRIVS;
		if (p->sections_seen & (1U << bit))
			return config_err(p, NULL, "each section once", "section given twice");
		p->sections_seen |= 1U << bit;
		privs_config_section(&p->cfg->privs, name);
		return 0;
	}
	if (strncmp(name, "tmpfs", 5) == 0 && (name[5] == '\0' || blank(name[5]))) {
		const char *path = name + 5, *why;
		struct tmpfs_spec *spec;

		while (blank(*path))
			path++;
		p->kind = SECT_TMPFS;
		if (!*path)
			return config_err(p, NULL, "[tmpfs /absolute/path]", "missing path");
		why = config_path_problem(path);
		if (why)
			return config_err(p, NULL, "[tmpfs /absolute/path], normalised, not /, /proc, /sys or /dev",
					  "%s", why);
		/* same text after the keyword, so messages name the section as "[tmpfs PATH]" */
		snprintf(p->section, sizeof(p->section), "tmpfs %s", path);
		if (cfg->ntmpfs >= TMPINIT_MAX_TMPFS)
			return config_err(p, NULL, "at most " "64" " [tmpfs PATH] sections", "too many tmpfs paths");
		spec = &cfg->tmpfs[cfg->ntmpfs];
		memset(spec, 0, sizeof(*spec));
		spec->path = strdup(path);
		if (!spec->path)
			return config_err(p, NULL, NULL, "out of memory");
		cfg->ntmpfs++;
		spec->line = p->line;
		spec->size = TMPINIT_DEFAULT_TMPFS_SIZE;
		spec->mode = 01777;
		spec->shred = true;
		spec->passes = 1;
		spec->source = SOURCE_AUTO;
		spec->pattern = PATTERN_ZERO;
		p->spec = spec;
		return 0;
	}
	return config_err(p, NULL, "[init], [rootfs], [tmpfs PATH], [user], [capabilities] or [seccomp]",
			  "unknown section");
}

/* The ini_reader: one line per call, numbered, checked, classified like inih will. */
static char *reader(char *str, int num, void *stream)
{
	struct config_parser *p = stream;
	char buf[CONFIG_MAX_LINE + 1], *start;
	long len;

	if (p->failed)
		return NULL;
	len = read_line(p, buf);
	if (len < 0)
		return NULL;
	/* A UTF-8 byte order mark is accepted at the start of the file only (editors add it). */
	start = buf;
	if (p->line == 1 && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		start += 3;
		len -= 3;
	}
	if (check_bytes(p, start, (size_t)len) < 0)
		return NULL;
	p->cont = false;

	/* Mirror inih's order of decisions (comment, continuation, header, key) so that both
	 * agree on what each line is. */
	{
		char *s = start;

		while (blank(*s))
			s++;
		if (*s == '\0' || *s == ';' || *s == '#') {
			str[0] = '\n';
			str[1] = '\0';
			return str;
		}
		if (s > start && p->have_key) {
			p->cont = true;
		} else if (*s == '[') {
			if (open_section(p, s) < 0)
				return NULL;
			/* inih keeps only 50 bytes of a section name; we keep ours, inih gets a stub */
			snprintf(str, (size_t)num, "[s]\n");
			return str;
		} else {
			char *eq = strchr(s, '='), *colon = strchr(s, ':');

			if (!eq || (colon && colon < eq))
				return config_err(p, NULL, "key = value, [section] or a comment", "not a key = value line"),
				       NULL;
			if (eq == s)
				return config_err(p, NULL, "key = value", "missing key name"), NULL;
			if (p->kind == SECT_NONE)
				return config_err(p, NULL, "a [section] header before the first key",
						  "key outside any section"),
				       NULL;
			p->have_key = true;
		}
	}
	/* len <= CONFIG_MAX_LINE and num = CONFIG_MAX_LINE + 3, so this always fits */
	snprintf(str, (size_t)num, "%s\n", start);
	return str;
}

/* The ini_handler: inih has split "key = value" and trimmed both. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct config_parser *p = user;
	int r;

	(void)section; /* inih's copy is cut at 50 bytes; p->section is the real one */
	switch (p->kind) {
	case SECT_INIT:
		r = config_key_init(p, name, value);
		break;
	case SECT_ROOTFS:
		r = config_key_rootfs(p, name, value);
		break;
	case SECT_TMPFS:
		r = config_key_tmpfs(p, name, value);
		break;
	case SECT_PRIVS:
		r = privs_config_key(&p->cfg->privs, p->file, p->line, p->section, name, value, p->cont);
		if (r < 0)
			p->failed = true;
		break;
	default:
		r = config_err(p, name, "a [section] header before the first key", "key outside any section");
		break;
	}
	return r < 0 ? 0 : 1;
}

static void closefile(FILE **f)
{
	if (*f)
		fclose(*f);
}

int config_load(struct tmpinit_config *cfg, const char *path, bool explicit_path)
{
	__attribute__((cleanup(closefile))) FILE *f = NULL;
	struct config_parser *p;
	struct stat st;
	int fd, err, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = errno;
		if (!explicit_path && (err == ENOENT || err == ENOTDIR)) {
			log_debug("no config file at %s: running as a plain init", path);
			return 0;
		}
		log_error("open config %s: %s (hint: %s)", path, strerror(err),
			  explicit_path ? "check -c / TMPINIT_CONFIG" : "make the file readable or remove it");
		return -err;
	}
	if (fstat(fd, &st) < 0) {
		err = errno;
		log_error("stat config %s: %s", path, strerror(err));
		close(fd);
		return -err;
	}
	/* a FIFO or a device could block PID 1 forever or never end */
	if (!S_ISREG(st.st_mode)) {
		log_error("open config %s: %s (expected a regular file)", path,
			  S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		return -EINVAL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		err = errno;
		close(fd);
		log_error("open config %s: %s", path, strerror(err));
		return -err;
	}
	p = calloc(1, sizeof(*p)); /* ~4 KiB section buffer: keep it off PID 1's small stack */
	if (!p) {
		log_error("load config %s: out of memory", path);
		return -ENOMEM;
	}
	p->cfg = cfg;
	p->file = path;
	p->f = f;
	cfg->config_path = path;

	/* Debian's inih exposes its build knobs at run time; set every one we rely on. */
	ini_max_line = CONFIG_MAX_LINE + 3;
	ini_use_stack = true;
	ini_allow_multiline = true;
	ini_allow_bom = false;		 /* the reader strips it */
	ini_allow_inline_comments = false; /* "sh -c 'a ; b'" must keep its " ;" */
	ini_allow_no_value = false;
	ini_stop_on_first_error = true;
	r = ini_parse_stream(reader, p, handler, p);
	if (r != 0 && !p->failed) {
		/* cannot happen if the reader classified like inih; never pass silently */
		log_error("%s:%d: syntax error (expected key = value, [section] or a comment)", path, r);
		p->failed = true;
	}
	if (!p->failed) {
		cfg->config_loaded = true;
		/* a config file exists: the default is to insist on a read-only root */
		if (!p->read_only_set)
			cfg->read_only = ROOT_REQUIRE;
	}
	r = p->failed ? -EINVAL : 0;
	free(p);
	return r;
}

void config_free(struct tmpinit_config *cfg)
{
	for (size_t i = 0; i < cfg->ntmpfs; i++) {
		free(cfg->tmpfs[i].path);
		free(cfg->tmpfs[i].owner);
		cfg->tmpfs[i].path = cfg->tmpfs[i].owner = NULL;
	}
	cfg->ntmpfs = 0;
	if (cfg->argv == cfg->config_argv)
		cfg->argv = NULL;
	config_free_argv(cfg->config_argv);
	cfg->config_argv = NULL;
	free(cfg->self_path);
	cfg->self_path = NULL;
	privs_config_free(&cfg->privs);
}
