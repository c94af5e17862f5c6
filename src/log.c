/* log.c - the only writer to stderr.
 * Builds each line in a stack buffer and emits it with a single write(2), so lines from
 * tmpinit never interleave mid-line with the app's output. Must never change errno. */
#include "log.h"

#include <errno.h>
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

/* Append S to BUF as the body of a JSON string, escaping what RFC 8259 requires. */
static size_t json_escape(char *buf, size_t cap, size_t len, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s && len + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[len++] = '\\';
			buf[len++] = (char)c;
		} else if (c == '\n') {
			buf[len++] = '\\';
			buf[len++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			buf[len++] = '\\';
			buf[len++] = 'u';
			buf[len++] = '0';
			buf[len++] = '0';
			buf[len++] = hex[c >> 4];
			buf[len++] = hex[c & 15];
		} else {
			buf[len++] = (char)c;
		}
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
		len = json_escape(line, sizeof(line) - 3, len, msg);
		line[len++] = '"';
		line[len++] = '}';
		line[len++] = '\n';
	} else {
		int n = snprintf(line, sizeof(line) - 1, "tmpinit: %s: %s", level_names[level], msg);

		len = n < 0 ? 0 : (size_t)n;
		if (len > sizeof(line) - 2)
			len = sizeof(line) - 2;
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
