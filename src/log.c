/* log.c - the only writer to stderr.
 * Builds each line in a stack buffer and emits it with a single write(2), so lines from
 * tmpinit never interleave mid-line with the app's output. Must never change errno. */
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_threshold = LVL_WARN;
static enum log_format log_fmt = LOGFMT_TEXT;

static const char *const level_names[] = { "error", "warning", "info", "debug", "trace" };

void log_setup(int level, enum log_format format)
{
	if (level < LVL_ERROR)
		level = LVL_ERROR;
	if (level > LVL_TRACE)
		level = LVL_TRACE;
	log_threshold = level;
	log_fmt = format;
}

int log_level_get(void)
{
	return log_threshold;
}

/* Length of the valid UTF-8 sequence at S (1-4), or 0 when the bytes there are not one
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* Append S to BUF, keeping the line one line: control characters are escaped (a command name
 * or path holding a newline must not forge a second log line). JSON also escapes '"' and '\\'
 * and, since JSON text must be UTF-8 (RFC 8259), turns each invalid byte into U+FFFD. */
static size_t escape_msg(char *buf, size_t cap, size_t len, const char *s, bool json)
{
	static const char hex[] = "0123456789abcdef";

	while (*s && len + 7 < cap) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		if (json && (c == '"' || c == '\\')) {
			buf[len++] = '\\';
			buf[len++] = (char)c;
		} else if (c == '\n') {
			buf[len++] = '\\';
			buf[len++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			buf[len++] = '\\';
			buf[len++] = json ? 'u' : 'x';
			if (json) {
				buf[len++] = '0';
				buf[len++] = '0';
			}
			buf[len++] = hex[c >> 4];
			buf[len++] = hex[c & 15];
		} else if (c >= 0x80 && json && (n = utf8_len((const unsigned char *)s)) > 0) {
			memcpy(buf + len, s, n); /* fits: len + 7 < cap */
			len += n;
			s += n;
			continue;
		} else if (c >= 0x80 && json) {
			memcpy(buf + len, "\\ufffd", 6);
			len += 6;
		} else {
			buf[len++] = (char)c;
		}
		s++;
	}
	return len;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char msg[3072];
	char line[4096];
	size_t len;
	int saved = errno;

	if ((int)level > log_threshold)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_fmt == LOGFMT_JSON) {
		len = (size_t)snprintf(line, sizeof(line), "{\"prog\":\"tmpinit\",\"level\":\"%s\",\"pid\":%d,\"msg\":\"",
				       level_names[level], (int)getpid());
		len = escape_msg(line, sizeof(line) - 3, len, msg, true);
		line[len++] = '"';
		line[len++] = '}';
		line[len++] = '\n';
	} else {
		len = (size_t)snprintf(line, sizeof(line), "tmpinit: %s: ", level_names[level]);
		len = escape_msg(line, sizeof(line) - 1, len, msg, false);
		line[len++] = '\n';
	}
	/* One write per line; a short or failed write (closed pipe) is dropped, never retried
	 * forever: PID 1 must not block or die because nobody reads its stderr. */
	while (write(STDERR_FILENO, line, len) < 0 && errno == EINTR)
		;
	errno = saved;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}
