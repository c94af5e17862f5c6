/* testpath.h - path(): printf into one of four rotating static buffers, so a test can pass
 * two or three formatted paths to one call. Shared by the tmpfs and shred unit tests. */
#ifndef TMPINIT_TESTPATH_H
#define TMPINIT_TESTPATH_H

#include <stdarg.h>
#include <stdio.h>

__attribute__((format(printf, 1, 2))) static char *path(const char *fmt, ...)
{
	static char p[4][4096];
	static int n;
	va_list ap;

	n = (n + 1) % 4;
	va_start(ap, fmt);
	vsnprintf(p[n], sizeof(p[n]), fmt, ap);
	va_end(ap);
	return p[n];
}

#endif
