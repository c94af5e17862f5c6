/* log.h - the only writer to stderr.
 * One write(2) per line, "tmpinit: <level>: <message>" or one JSON object per line.
 * Never changes errno; never raises SIGPIPE (tmpinit ignores it, EPIPE is swallowed). */
#ifndef TMPINIT_LOG_H
#define TMPINIT_LOG_H

#include <stdarg.h>

enum log_level {
	LVL_ERROR = 0,
	LVL_WARN = 1,
	LVL_INFO = 2,
	LVL_DEBUG = 3,
	LVL_TRACE = 4,
};

enum log_format {
	LOGFMT_TEXT = 0,
	LOGFMT_JSON = 1,
};

/* Set the threshold (messages above it are dropped) and the output format. */
void log_setup(int level, enum log_format format);

/* Current threshold, so callers can skip building expensive messages. */
int log_level_get(void);

/* Write one message at LEVEL. Keeps errno intact. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define log_error(...) log_msg(LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LVL_DEBUG, __VA_ARGS__)
#define log_trace(...) log_msg(LVL_TRACE, __VA_ARGS__)

#endif
