/* util.h - small pure helpers shared by every module: parsing of durations, sizes,
 * signals and numbers, and cleanup attributes. No I/O, no globals, no logging. */
#ifndef TMPINIT_UTIL_H
#define TMPINIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define TMPINIT_EXIT_FAILURE 125 /* tmpinit's own failure: bad config, bad usage, setup failed */
#define TMPINIT_EXIT_NOEXEC 126	 /* command found but not executable */
#define TMPINIT_EXIT_NOTFOUND 127 /* command not found */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void util_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd); /* never retried on EINTR: the fd is gone either way */
	*fd = -1;
}

static inline void util_freep(void *p)
{
	free(*(void **)p);
}

#define cleanup_close __attribute__((cleanup(util_closep)))
#define cleanup_free __attribute__((cleanup(util_freep)))

/* "500ms", "5s", "2m", "1h", "1.5s"; a bare number is seconds. Result in milliseconds.
 * Returns 0, or -EINVAL (syntax/unit) / -ERANGE (overflow, negative). */
int util_parse_duration(const char *s, uint64_t *ms);

/* "64m", "1G", "4096", "512k" (binary units, case-insensitive, optional trailing "b"/"ib").
 * Returns 0, -EINVAL or -ERANGE. */
int util_parse_size(const char *s, uint64_t *bytes);

/* Unsigned decimal only (no sign, no hex, no octal); -EINVAL / -ERANGE past MAX. */
int util_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* Octal mode such as "1777" or "0755"; at most 07777. */
int util_parse_mode(const char *s, unsigned *mode);

/* yes/no/true/false/on/off/1/0 -> bool; -EINVAL otherwise. */
int util_parse_bool(const char *s, bool *out);

/* "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" -> signal number; -EINVAL when unknown. */
int util_parse_signal(const char *s);

/* "SIGTERM" for 15, "SIGRTMIN+3", or "SIG<n>" in a static buffer. */
const char *util_signal_name(int sig);

/* Format a millisecond duration the way the config accepts it ("500ms", "5s"). */
void util_format_duration(uint64_t ms, char *buf, size_t cap);

/* Format a byte count with the largest exact binary unit ("64m", "1g", "1000"). */
void util_format_size(uint64_t bytes, char *buf, size_t cap);

/* Monotonic clock in milliseconds. */
uint64_t util_now_ms(void);

#endif
