/* passwd.h - users and groups from the image's own /etc/passwd and /etc/group, read
 * directly with fgetpwent/fgetgrent: a static glibc cannot load NSS modules, and tmpinit
 * must resolve names in scratch and distroless images that have no nsswitch.conf. */
#ifndef TMPINIT_PASSWD_H
#define TMPINIT_PASSWD_H

#include <stdbool.h>
#include <sys/types.h>

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"

struct passwd_user {
	uid_t uid;
	gid_t gid;		/* primary group from the passwd entry */
	bool found;		/* an entry exists (false: a bare numeric uid without entry) */
	char name[256];
	char home[1024];
};

/* NAME is a user name or a decimal uid. A name must exist in FILE; a number resolves with
 * or without an entry (then gid = uid's number is NOT assumed: gid = 0 and found = false).
 * Returns 0, -ENOENT (unknown name), -EINVAL (malformed), or -errno (file unreadable). */
int passwd_lookup_user(const char *file, const char *name, struct passwd_user *out);

/* NAME is a group name or a decimal gid. Returns 0, -ENOENT, -EINVAL or -errno. */
int passwd_lookup_group(const char *file, const char *name, gid_t *gid);

/* Supplementary groups that list USER as a member in FILE (the initgroups() equivalent),
 * at most MAX; returns the count or -errno. */
int passwd_user_groups(const char *file, const char *user, gid_t *groups, int max);

#endif
