/* config_int.h - shared between config.c (reader, sections), config_keys.c (values of
 * [init], [rootfs], [tmpfs PATH]) and config_plan.c (validation, --check plan).
 * Not a contract for other modules: they use config.h only. */
#ifndef TMPINIT_CONFIG_INT_H
#define TMPINIT_CONFIG_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/* Longest line accepted, without its line ending. Longer lines are an error, never split. */
#define CONFIG_MAX_LINE 4096
#define CONFIG_MAX_PASSES 16
#define CONFIG_MAX_DURATION_MS (24ULL * 3600 * 1000)
#define CONFIG_MAX_INODES (1ULL << 32)
#define CONFIG_MAX_ARGS 1024

enum config_section_kind {
	SECT_NONE = 0,
	SECT_INIT,
	SECT_ROOTFS,
	SECT_TMPFS,
	SECT_PRIVS,
};

/* State of one config_load(), passed to every key handler. */
struct config_parser {
	struct tmpinit_config *cfg;
	const char *file;
	FILE *f;
	unsigned line;		/* line number of the line inih is handling */
	bool failed;		/* an error was logged: stop */
	bool named;		/* section[] holds the current header's name (may be empty) */
	bool line_level;	/* the error is about the bytes of the line: name no section */

	enum config_section_kind kind;
	char section[CONFIG_MAX_LINE + 1]; /* full text between the brackets, untruncated */
	struct tmpfs_spec *spec; /* current [tmpfs PATH] */
	bool have_key;		/* a key line was seen since the header: indented lines continue it */
	bool cont;		/* the line being handled is such a continuation */
	unsigned long long keys_seen; /* bit per key of the current section: scalars once */
	unsigned sections_seen;	/* bit per non-tmpfs section kind: each section once */
	bool read_only_set;
	bool rewrite_seen[65];
};

/* Log "FILE:LINE: [section] KEY: MSG (expected EXPECTED)"; KEY or EXPECTED may be NULL.
 * Marks the parser failed and returns -EINVAL. */
int config_err(struct config_parser *p, const char *key, const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* VALUE shortened for messages: at most 60 bytes, then "...". Uses BUF (>= 64 bytes). */
const char *config_shown(const char *value, char *buf, size_t cap);

/* Handle KEY = VALUE in [init], [rootfs] or [tmpfs PATH]. Returns 0 or -EINVAL (logged). */
int config_key_init(struct config_parser *p, const char *key, const char *value);
int config_key_rootfs(struct config_parser *p, const char *key, const char *value);
int config_key_tmpfs(struct config_parser *p, const char *key, const char *value);

/* Check the PATH of a [tmpfs PATH] header: absolute, normalised, not /, not under /proc,
 * /sys, /dev. Returns NULL when fine, else what is wrong (a static string). */
const char *config_path_problem(const char *path);

/* Split S into words like a POSIX shell would, without running one: blanks separate words,
 * '...' is literal, "..." keeps \" \\ \$ \` escapes, a backslash outside quotes quotes the
 * next character. Shell operators and expansions ($ ` | & ; < > ( ) * ? and a leading # or ~)
 * outside quotes are refused: no shell runs, so they would not do what they look like.
 * On success *ARGV is a NULL-terminated malloc'd vector. Returns 0, or -EINVAL with *WHY set,
 * or -ENOMEM. */
int config_split_command(const char *s, char ***argv, const char **why);

/* Free a vector from config_split_command. */
void config_free_argv(char **argv);

/* True when path A is B or lies below it ("/a" covers "/a/b", not "/ab"). */
bool config_path_covers(const char *a, const char *b);

/* --check plan to OUT, reading swap state and the kernel command line from the given files
 * (normally /proc/swaps and /proc/cmdline). Returns the number of risks printed. */
unsigned config_print_plan_to(const struct tmpinit_config *cfg, FILE *out, const char *swaps_file,
			      const char *cmdline_file);

#endif
