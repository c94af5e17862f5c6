/* privs_config.c - the keys of [user], [capabilities] and [seccomp] -> struct privs_config.
 * Called by the ini parser for every key of those sections; validates with FILE:LINE and
 * resolves names right here (the image's /etc/passwd and /etc/group, capability and syscall
 * names), so a typo is reported with its line. Reads files, changes nothing. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "filter.h"
#include "log.h"
#include "passwd.h"
#include "privs.h"
#include "util.h"

#define PRIVS_MAX_GROUPS 256

struct keyctx {
	const char *file;
	unsigned line;
	const char *section;
	const char *key;
};

static int bad(const struct keyctx *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: [section] key: problem (expected ...)"; always -EINVAL */
static int bad(const struct keyctx *k, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s:%u: [%s] %s: %s", k->file, k->line, k->section, k->key, msg);
	return -EINVAL;
}

/* Split VALUE at commas and blanks; call FN for each word. Stops at the first error. */
static int each_word(const char *value, int (*fn)(const struct keyctx *, struct privs_config *, const char *),
		     const struct keyctx *k, struct privs_config *pc)
{
	char word[256];
	const char *p = value;
	int r;

	while (*p) {
		size_t n = strcspn(p, ", \t");

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(word))
			return bad(k, "\"%.*s...\" is too long", 32, p);
		memcpy(word, p, n);
		word[n] = '\0';
		r = fn(k, pc, word);
		if (r < 0)
			return r;
		p += n;
	}
	return 0;
}

static int key_user(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	struct passwd_user pw;
	int r = passwd_lookup_user(PASSWD_FILE, value, &pw);

	if (r == -ENOENT)
		return bad(k, "no user \"%s\" in " PASSWD_FILE " (expected a name from the image's " PASSWD_FILE
			      " or a numeric uid)", value);
	if (r == -EINVAL)
		return bad(k, "\"%s\" is not a user name or uid (expected a name or a number below 4294967295)", value);
	if (r < 0)
		return bad(k, "read " PASSWD_FILE ": %s (expected a readable " PASSWD_FILE ", or a numeric uid)",
			   strerror(-r));
	free(pc->user_name);
	free(pc->home);
	pc->user_name = pw.found ? strdup(pw.name) : NULL;
	pc->home = strdup(pw.home);
	if ((pw.found && !pc->user_name) || !pc->home)
		return -ENOMEM;
	pc->user_set = true;
	pc->uid = pw.uid;
	pc->user_line = k->line;
	if (!pc->group_set)
		pc->gid = pw.gid; /* the passwd entry's group, unless [user] group says otherwise */
	return 0;
}

static int lookup_group(const struct keyctx *k, const char *value, gid_t *gid)
{
	int r = passwd_lookup_group(GROUP_FILE, value, gid);

	if (r == -ENOENT)
		return bad(k, "no group \"%s\" in " GROUP_FILE " (expected a name from the image's " GROUP_FILE
			      " or a numeric gid)", value);
	if (r == -EINVAL)
		return bad(k, "\"%s\" is not a group name or gid (expected a name or a number below 4294967295)", value);
	if (r < 0)
		return bad(k, "read " GROUP_FILE ": %s (expected a readable " GROUP_FILE ", or numeric gids)",
			   strerror(-r));
	return 0;
}

static int key_group(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	int r = lookup_group(k, value, &pc->gid);

	if (r < 0)
		return r;
	pc->group_set = true;
	return 0;
}

static int add_group(const struct keyctx *k, struct privs_config *pc, const char *word)
{
	gid_t gid, *g;
	int r = lookup_group(k, word, &gid);

	if (r < 0)
		return r;
	for (size_t i = 0; i < pc->ngroups; i++)
		if (pc->groups[i] == gid)
			return 0;
	if (pc->ngroups >= PRIVS_MAX_GROUPS)
		return bad(k, "more than %d groups (expected fewer)", PRIVS_MAX_GROUPS);
	g = realloc(pc->groups, (pc->ngroups + 1) * sizeof(*g));
	if (!g)
		return -ENOMEM;
	pc->groups = g;
	pc->groups[pc->ngroups++] = gid;
	return 0;
}

static int key_keep(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	char word[128] = "";

	if (caps_parse(value, &pc->caps_keep, word, sizeof(word)) < 0)
		return bad(k, "unknown capability \"%s\" (expected names such as NET_BIND_SERVICE or cap_chown, "
			      "or all, or none)", word);
	pc->caps_set = true;
	pc->caps_line = k->line;
	return 0;
}

static int key_nnp(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	bool b;

	if (strcasecmp(value, "auto") == 0) {
		pc->no_new_privs = -1;
		return 0;
	}
	if (util_parse_bool(value, &b) < 0)
		return bad(k, "\"%s\" (expected auto, yes or no)", value);
	pc->no_new_privs = b;
	return 0;
}

static int add_syscall(const struct keyctx *k, struct privs_config *pc, const char *word)
{
	bool deny = strcmp(k->key, "deny") == 0;
	struct syscall_rule **list = deny ? &pc->deny : &pc->allow, *l;
	size_t *n = deny ? &pc->ndeny : &pc->nallow;
	int nr, r = filter_resolve(word, &nr);

	if (r == -ENOENT)
		return bad(k, "unknown syscall \"%s\" (expected a syscall name such as ptrace or mount)", word);
	if (r == -ENOSYS) {
		/* a real syscall, only not on this architecture: nothing to match, say so */
		log_warn("%s:%u: [%s] %s: syscall \"%s\" does not exist on this architecture; ignored", k->file,
			 k->line, k->section, k->key, word);
		return 0;
	}
	l = realloc(*list, (*n + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	*list = l;
	l[*n] = (struct syscall_rule){ .name = strdup(word), .nr = nr, .line = k->line };
	if (!l[*n].name)
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int parse_errno(const char *value, int *e)
{
	uint64_t v;

	if (util_parse_uint(value, 4095, &v) == 0 && v > 0) {
		*e = (int)v;
		return 0;
	}
	for (int i = 1; i < 4096; i++) {
		const char *name = strerrorname_np(i);

		if (name && strcasecmp(name, value) == 0) {
			*e = i;
			return 0;
		}
	}
	return -EINVAL;
}

void privs_config_section(struct privs_config *pc, const char *section)
{
	if (strcmp(section, "seccomp") == 0 && !pc->seccomp_set) {
		/* a [seccomp] section means the default profile unless it says profile = none */
		pc->seccomp_set = true;
		pc->seccomp_profile = SECCOMP_PROFILE_DEFAULT;
	}
}

static int key_seccomp(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	const char *key = k->key;

	privs_config_section(pc, "seccomp"); /* also when called without the header (unit tests) */
	if (strcmp(key, "profile") == 0) {
		if (strcmp(value, "default") == 0)
			pc->seccomp_profile = SECCOMP_PROFILE_DEFAULT;
		else if (strcmp(value, "none") == 0)
			pc->seccomp_profile = SECCOMP_PROFILE_NONE;
		else
			return bad(k, "\"%s\" (expected default or none)", value);
	} else if (strcmp(key, "mode") == 0) {
		if (strcmp(value, "denylist") == 0)
			pc->seccomp_mode = SECCOMP_MODE_DENYLIST;
		else if (strcmp(value, "allowlist") == 0)
			pc->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
		else
			return bad(k, "\"%s\" (expected denylist or allowlist)", value);
	} else if (strcmp(key, "action") == 0) {
		if (strcmp(value, "errno") == 0)
			pc->seccomp_action = SECCOMP_ACT_ERRNO;
		else if (strcmp(value, "kill") == 0)
			pc->seccomp_action = SECCOMP_ACT_KILL;
		else if (strcmp(value, "log") == 0)
			pc->seccomp_action = SECCOMP_ACT_LOG;
		else
			return bad(k, "\"%s\" (expected errno, kill or log)", value);
	} else if (strcmp(key, "errno") == 0) {
		if (parse_errno(value, &pc->seccomp_errno) < 0)
			return bad(k, "\"%s\" (expected an errno name such as EPERM or EACCES, or a number 1-4095)", value);
	} else if (strcmp(key, "deny") == 0 || strcmp(key, "allow") == 0) {
		return each_word(value, add_syscall, k, pc);
	} else {
		return bad(k, "unknown key (expected profile, mode, deny, allow, action or errno)");
	}
	return 0;
}

int privs_config_key(struct privs_config *pc, const char *file, unsigned line, const char *section,
		     const char *key, const char *value)
{
	const struct keyctx k = { file, line, section, key };

	if (strcmp(section, "user") == 0) {
		if (strcmp(key, "user") == 0)
			return *value ? key_user(&k, pc, value) : bad(&k, "empty (expected a user name or uid)");
		if (strcmp(key, "group") == 0)
			return *value ? key_group(&k, pc, value) : bad(&k, "empty (expected a group name or gid)");
		if (strcmp(key, "groups") == 0) {
			/* the last groups line wins; an empty one means no supplementary groups */
			pc->ngroups = 0;
			pc->groups_set = true;
			return each_word(value, add_group, &k, pc);
		}
		return bad(&k, "unknown key (expected user, group or groups)");
	}
	if (strcmp(section, "capabilities") == 0) {
		if (strcmp(key, "keep") == 0)
			return key_keep(&k, pc, value);
		if (strcmp(key, "no_new_privs") == 0)
			return key_nnp(&k, pc, value);
		return bad(&k, "unknown key (expected keep or no_new_privs)");
	}
	if (strcmp(section, "seccomp") == 0)
		return key_seccomp(&k, pc, value);
	log_error("%s:%u: [%s]: not a privileges section (expected user, capabilities or seccomp)", file, line,
		  section);
	return -EINVAL;
}

bool privs_config_owns(const char *section)
{
	return strcmp(section, "user") == 0 || strcmp(section, "capabilities") == 0 ||
	       strcmp(section, "seccomp") == 0;
}

static void rules_free(struct syscall_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].name);
	free(r);
}

void privs_config_free(struct privs_config *pc)
{
	free(pc->user_name);
	free(pc->home);
	free(pc->groups);
	rules_free(pc->deny, pc->ndeny);
	rules_free(pc->allow, pc->nallow);
	pc->user_name = pc->home = NULL;
	pc->groups = NULL;
	pc->deny = pc->allow = NULL;
	pc->ngroups = pc->ndeny = pc->nallow = 0;
}
