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

/* The message for a failed passwd_lookup_user/group (R) of VALUE in FILE. */
static int lookup_failed(const struct keyctx *k, int r, const char *what, const char *file, const char *value,
			 const char *id)
{
	if (r == -ENOENT)
		return bad(k, "no %s \"%s\" in %s (expected a name from the image's %s or a numeric %s)", what, value,
			   file, file, id);
	if (r == -EINVAL)
		return bad(k, "\"%s\" is not a %s name or %s (expected a name or a number below 4294967295)", value,
			   what, id);
	return bad(k, "read %s: %s (expected a readable %s, or a numeric %s)", file, strerror(-r), file, id);
}

static int key_user(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	struct passwd_user pw;
	int r = passwd_lookup_user(PASSWD_FILE, value, &pw);

	if (r < 0)
		return lookup_failed(k, r, "user", PASSWD_FILE, value, "uid");
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

	return r < 0 ? lookup_failed(k, r, "group", GROUP_FILE, value, "gid") : 0;
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
	uint64_t mask;

	if (caps_parse(value, &mask, word, sizeof(word)) < 0)
		return bad(k, "unknown capability \"%s\" (expected names such as NET_BIND_SERVICE or cap_chown, "
			      "or all, or none)", word);
	pc->caps_keep |= mask; /* lines add up, so a long keep list may continue */
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
	pc->nnp_line = k->line;
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

/* VALUE must be one of NAMES; returns its index, or -EINVAL after the message. */
static int pick(const struct keyctx *k, const char *value, const char *const *names, size_t n)
{
	char expected[128];
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(value, names[i]) == 0)
			return (int)i;
	for (size_t i = 0; i < n && len < sizeof(expected); i++)
		len += (size_t)snprintf(expected + len, sizeof(expected) - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
					names[i]);
	return bad(k, "\"%s\" (expected %s)", value, expected);
}

static int key_seccomp(const struct keyctx *k, struct privs_config *pc, const char *value)
{
	const char *key = k->key;

	privs_config_section(pc, "seccomp"); /* also when called without the header (unit tests) */
	static const char *const profiles[] = { [SECCOMP_PROFILE_NONE] = "none", [SECCOMP_PROFILE_DEFAULT] = "default" };
	static const char *const modes[] = { [SECCOMP_MODE_DENYLIST] = "denylist", [SECCOMP_MODE_ALLOWLIST] = "allowlist" };
	static const char *const actions[] = { [SECCOMP_ACT_ERRNO] = "errno", [SECCOMP_ACT_KILL] = "kill",
					       [SECCOMP_ACT_LOG] = "log" };
	int i;

	if (strcmp(key, "profile") == 0) {
		if ((i = pick(k, value, profiles, ARRAY_SIZE(profiles))) < 0)
			return i;
		pc->seccomp_profile = (enum seccomp_profile)i;
	} else if (strcmp(key, "mode") == 0) {
		if ((i = pick(k, value, modes, ARRAY_SIZE(modes))) < 0)
			return i;
		pc->seccomp_mode = (enum seccomp_mode)i;
	} else if (strcmp(key, "action") == 0) {
		if ((i = pick(k, value, actions, ARRAY_SIZE(actions))) < 0)
			return i;
		pc->seccomp_action = (enum seccomp_action)i;
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

/* Scalar keys may be given once per file; list keys (groups, keep, deny, allow) repeat and
 * add up, so that they can continue on indented lines. */
/* The index of SECTION.KEY among the keys that may be given once, or -1 for a list key. */
static int scalar_index(const char *section, const char *key)
{
	static const char *const scalars[] = { "user.user",	       "user.group",	 "capabilities.no_new_privs",
					       "seccomp.profile", "seccomp.mode", "seccomp.action",
					       "seccomp.errno" };
	char full[64];

	snprintf(full, sizeof(full), "%s.%s", section, key);
	for (unsigned i = 0; i < ARRAY_SIZE(scalars); i++)
		if (strcmp(full, scalars[i]) == 0)
			return (int)i;
	return -1;
}

static bool once(struct privs_config *pc, const char *section, const char *key)
{
	int i = scalar_index(section, key);

	if (i < 0)
		return true;
	if (pc->keys_seen & (1U << i))
		return false;
	pc->keys_seen |= 1U << i;
	return true;
}

static int privs_key(struct privs_config *pc, const struct keyctx *kp, const char *value)
{
	const struct keyctx k = *kp;
	const char *section = k.section, *key = k.key;

	if (strcmp(section, "user") == 0) {
		if (strcmp(key, "user") == 0)
			return *value ? key_user(&k, pc, value) : bad(&k, "empty (expected a user name or uid)");
		if (strcmp(key, "group") == 0)
			return *value ? key_group(&k, pc, value) : bad(&k, "empty (expected a group name or gid)");
		if (strcmp(key, "groups") == 0) {
			/* lines add up; "groups =" alone (empty) means no supplementary groups */
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
	log_error("%s:%u: [%s]: not a privileges section (expected user, capabilities or seccomp)", k.file, k.line,
		  section);
	return -EINVAL;
}

int privs_config_key(struct privs_config *pc, const char *file, unsigned line, const char *section,
		     const char *key, const char *value, bool cont)
{
	const struct keyctx k = { file, line, section, key };
	unsigned before = pc->keys_seen;
	int r;

	if (cont && scalar_index(section, key) >= 0)
		return bad(&k, "indented continuation line (expected one line per key; only groups, keep, deny and "
			       "allow continue on indented lines)");
	if (!once(pc, section, key))
		return bad(&k, "given twice (expected each key once in a section; only groups, keep, deny and allow "
			       "repeat or continue on indented lines)");
	r = privs_key(pc, &k, value);
	if (r < 0)
		pc->keys_seen = before; /* a refused line does not count as given */
	return r;
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
