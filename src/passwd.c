/* passwd.c - name lookups in the image's /etc/passwd and /etc/group without NSS.
 * Reads the files directly (fgetpwent/fgetgrent); never calls getpwnam/getgrnam, which a
 * static glibc cannot serve. No side effects beyond reading the two files. */
#include "passwd.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static void closefile(FILE **f)
{
	if (*f)
		fclose(*f);
}

static int parse_id(const char *s, uint64_t *id)
{
	/* uid_t is 32 bits and (uid_t)-1 means "unchanged" to setresuid: refuse it */
	return util_parse_uint(s, (uint64_t)UINT32_MAX - 1, id);
}

int passwd_lookup_user(const char *file, const char *name, struct passwd_user *out)
{
	__attribute__((cleanup(closefile))) FILE *f = NULL;
	struct passwd *pw;
	uint64_t id;
	bool numeric;

	if (!name || !*name)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	numeric = name[0] >= '0' && name[0] <= '9';
	if (numeric && parse_id(name, &id) < 0)
		return -EINVAL;
	f = fopen(file, "re");
	if (!f) {
		int err = errno;

		if (numeric && err == ENOENT)
			goto bare;
		return -err;
	}
	while ((pw = fgetpwent(f))) {
		if (numeric ? pw->pw_uid == (uid_t)id : strcmp(pw->pw_name, name) == 0) {
			out->uid = pw->pw_uid;
			out->gid = pw->pw_gid;
			out->found = true;
			snprintf(out->name, sizeof(out->name), "%s", pw->pw_name);
			snprintf(out->home, sizeof(out->home), "%s", pw->pw_dir && *pw->pw_dir ? pw->pw_dir : "/");
			return 0;
		}
	}
	if (!numeric)
		return -ENOENT;
bare:
	/* a uid without an entry, as Docker's --user 1234 allows: no name, home "/" */
	out->uid = (uid_t)id;
	out->gid = 0;
	out->found = false;
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->home, sizeof(out->home), "/");
	return 0;
}

int passwd_lookup_group(const char *file, const char *name, gid_t *gid)
{
	__attribute__((cleanup(closefile))) FILE *f = NULL;
	struct group *gr;
	uint64_t id;

	if (!name || !*name)
		return -EINVAL;
	if (name[0] >= '0' && name[0] <= '9') {
		if (parse_id(name, &id) < 0)
			return -EINVAL;
		*gid = (gid_t)id;
		return 0;
	}
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while ((gr = fgetgrent(f))) {
		if (strcmp(gr->gr_name, name) == 0) {
			*gid = gr->gr_gid;
			return 0;
		}
	}
	return -ENOENT;
}

int passwd_user_groups(const char *file, const char *user, gid_t *groups, int max)
{
	__attribute__((cleanup(closefile))) FILE *f = NULL;
	struct group *gr;
	int n = 0;

	f = fopen(file, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while ((gr = fgetgrent(f))) {
		for (char **m = gr->gr_mem; m && *m; m++) {
			if (strcmp(*m, user) == 0) {
				if (n >= max)
					return -E2BIG;
				groups[n++] = gr->gr_gid;
				break;
			}
		}
	}
	return n;
}
