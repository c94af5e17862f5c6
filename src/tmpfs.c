/* tmpfs.c - the root filesystem policy and the tmpfs scratch paths: check or remount / read-
 * only, mount or adopt each [tmpfs PATH], and at shutdown shred, then unmount what tmpinit
 * mounted. Never follows a symlink to reach a path; never touches anything else. */
#include "tmpfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"
#include "shred.h"
#include "util.h"

#define HINT_RUNTIME_TMPFS \
	"let the runtime provide it: docker/podman run --tmpfs %s:size=64m,mode=1777,noexec,nosuid,nodev " \
	"(or, Docker only, --mount type=tmpfs,destination=%s,tmpfs-size=64m), Kubernetes: an emptyDir " \
	"{medium: Memory} volume " \
	"mounted at %s; or grant CAP_SYS_ADMIN (tmpinit drops it before the app starts)"

/* What /proc/self/mountinfo says about one mount. */
struct mount_facts {
	bool found;
	bool tmpfs;
	char fstype[32];
	bool ro, nosuid, nodev, noexec;
	bool noswap;
	uint64_t size;		/* 0 = unlimited or not shown */
	uint64_t inodes;
	bool mode_shown;
	unsigned mode;
};

/* "[tmpfs /var/tmp] (/etc/tmpinit.ini:12)" for messages about one section. */
static const char *spec_where(const struct tmpinit_config *cfg, const struct tmpfs_spec *s, char *buf, size_t cap)
{
	if (cfg->config_path && s->line)
		snprintf(buf, cap, "[tmpfs %s] (%s:%u)", s->path, cfg->config_path, s->line);
	else
		snprintf(buf, cap, "[tmpfs %s]", s->path);
	return buf;
}

#define WHERE(cfg, s) spec_where((cfg), (s), (char[4200]){ 0 }, 4200)

int tmpfs_check_root(const struct tmpinit_config *cfg)
{
	static const struct {
		unsigned long st, ms;
	} keep[] = {
		{ ST_NOSUID, MS_NOSUID },     { ST_NODEV, MS_NODEV },	      { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME },   { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
#ifdef ST_NOSYMFOLLOW
		{ ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
#endif
	};
	struct statvfs sv;
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;

	if (cfg->read_only == ROOT_IGNORE)
		return 0;
	if (statvfs("/", &sv) < 0) {
		int err = errno;

		log_error("check the root filesystem: statvfs \"/\": %s", strerror(err));
		return -err;
	}
	if (sv.f_flag & ST_RDONLY) {
		log_debug("the root filesystem is read-only");
		return 0;
	}
	if (cfg->read_only == ROOT_REQUIRE) {
		log_error("the root filesystem is writable and [rootfs] read_only = require (hint: docker/podman run "
			  "--read-only, Kubernetes securityContext.readOnlyRootFilesystem: true, or read_only = remount "
			  "with CAP_SYS_ADMIN)");
		return -EROFS;
	}
	/* A bind remount changes only this mount's flags, never the filesystem's; the flags it
	 * already had are passed again because a remount resets those not given, and the kernel
	 * refuses to clear flags locked by a user namespace. */
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
		if (sv.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, "/", NULL, flags, NULL) < 0) {
		int err = errno;

		log_error("remount \"/\" read-only: %s (hint: needs CAP_SYS_ADMIN; better let the runtime do it: "
			  "docker/podman run --read-only, Kubernetes securityContext.readOnlyRootFilesystem: true)",
			  strerror(err));
		return -err;
	}
	if (statvfs("/", &sv) < 0 || !(sv.f_flag & ST_RDONLY)) {
		log_error("remount \"/\" read-only: it is still writable after the remount");
		return -EROFS;
	}
	log_info("remounted \"/\" read-only");
	return 0;
}

/* Undo the octal escapes (\040 for a space ...) mountinfo uses in paths, in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static bool has_opt(const char *list, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = list; p && *p;) {
		if (strncmp(p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/* "size=65536k" in LIST -> bytes. */
static bool opt_size(const char *list, const char *key, uint64_t *out)
{
	size_t n = strlen(key);

	for (const char *p = list; p && *p;) {
		if (strncmp(p, key, n) == 0 && p[n] == '=') {
			char v[32];
			size_t len = strcspn(p + n + 1, ",");

			if (len >= sizeof(v))
				return false;
			memcpy(v, p + n + 1, len);
			v[len] = '\0';
			return util_parse_size(v, out) == 0;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/* Find the mount with id MNT_ID (or, without one, the topmost mount on PATH) in
 * /proc/self/mountinfo and read its flags and tmpfs options. */
static int mountinfo_read(uint64_t mnt_id, const char *path, struct mount_facts *mf)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	memset(mf, 0, sizeof(*mf));
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		char *f_[6] = { 0 }, *save = NULL, *tok, *sep, *fstype, *super;
		uint64_t id;
		int i;

		line[strcspn(line, "\n")] = '\0';
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		for (i = 0, tok = strtok_r(line, " ", &save); tok && i < 6; tok = strtok_r(NULL, " ", &save))
			f_[i++] = tok;
		if (i < 6 || util_parse_uint(f_[0], UINT64_MAX, &id) < 0)
			continue;
		unescape(f_[4]);
		if (mnt_id ? id != mnt_id : strcmp(f_[4], path) != 0)
			continue;
		if (strcmp(f_[4], path) != 0)
			break; /* the mount exists but is not mounted on PATH: not a mount point here */
		save = NULL;
		fstype = strtok_r(sep + 3, " ", &save);
		strtok_r(NULL, " ", &save); /* source */
		super = strtok_r(NULL, " ", &save);
		memset(mf, 0, sizeof(*mf));
		mf->found = true;
		mf->tmpfs = fstype && strcmp(fstype, "tmpfs") == 0;
		snprintf(mf->fstype, sizeof(mf->fstype), "%s", fstype ? fstype : "?");
		mf->ro = has_opt(f_[5], "ro");
		mf->nosuid = has_opt(f_[5], "nosuid");
		mf->nodev = has_opt(f_[5], "nodev");
		mf->noexec = has_opt(f_[5], "noexec");
		if (super) {
			uint64_t mode;

			mf->noswap = has_opt(super, "noswap");
			opt_size(super, "size", &mf->size);
			opt_size(super, "nr_inodes", &mf->inodes);
			for (const char *p = strstr(super, "mode="); p; p = NULL)
				if ((p == super || p[-1] == ',') && sscanf(p + 5, "%" SCNo64, &mode) == 1) {
					mf->mode = (unsigned)mode;
					mf->mode_shown = true;
				}
		}
		if (mnt_id)
			break; /* ids are unique; without one the last (topmost) match wins */
	}
	free(line);
	fclose(f);
	return 0;
}

static uint64_t fd_mount_id(int fd)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID))
		return sx.stx_mnt_id;
	return 0;
}

/* True when swap is on: only then is a missing noswap a risk worth a warning. */
static bool swap_active(void)
{
	FILE *f = fopen("/proc/swaps", "re");
	char buf[256];
	int lines = 0;

	if (!f)
		return true; /* cannot tell: assume the worst */
	while (fgets(buf, sizeof(buf), f))
		lines++;
	fclose(f);
	return lines > 1;
}

/* A runtime hands over an empty tmpfs (docker --tmpfs, an emptyDir). Entries found at start
 * were not written by this app, yet the stop shreds them with the rest: say so loudly, since
 * it usually means tmpinit was pointed at a tmpfs that holds someone else's files. */
static void tmpfs_warn_not_empty(const struct tmpfs_spec *s, int fd)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	unsigned n = 0;
	struct dirent *de;
	DIR *d;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while (n < 1000 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	if (n)
		log_warn("adopt tmpfs \"%s\": it already holds %s%u entries that this app did not write; the stop "
			 "shreds them with everything else (hint: give tmpinit an empty tmpfs of its own)",
			 s->path, n >= 1000 ? "at least " : "", n);
}

/* Compare an adopted tmpfs with its section. Security weaker than configured is an error;
 * stricter, or a different size, a warning; mode and owner are corrected in place. */
static int tmpfs_check_adopted(const struct tmpinit_config *cfg, const struct tmpfs_spec *s, int fd,
			       const struct mount_facts *mf)
{
	static const char *const names[] = { "exec", "suid", "dev" };
	const bool want[] = { s->exec, s->suid, s->dev };
	const bool have[] = { !mf->noexec, !mf->nosuid, !mf->nodev };
	const char *where = WHERE(cfg, s);
	struct stat st;
	int bad = 0;

	if (mf->ro) {
		log_error("adopt tmpfs \"%s\": it is mounted read-only (hint: mount it read-write in the runtime) %s",
			  s->path, where);
		bad = -EROFS;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (have[i] && !want[i]) {
			log_error("adopt tmpfs \"%s\": mounted without no%s, but %s = no (hint: docker/podman run --tmpfs "
				  "%s:noexec,nosuid,nodev, or set %s = yes in %s to accept it)",
				  s->path, names[i], names[i], s->path, names[i], where);
			bad = -EPERM;
		} else if (!have[i] && want[i]) {
			log_warn("adopt tmpfs \"%s\": mounted with no%s, but %s = yes (the runtime's flag wins) %s",
				 s->path, names[i], names[i], where);
		}
	}
	if (!s->swap_allow && !mf->noswap) {
		if (swap_active())
			log_warn("adopt tmpfs \"%s\": mounted without noswap while swap is on: its pages may be written to "
				 "swap, where the shred cannot reach them (hint: turn swap off, or set swap = allow in %s)",
				 s->path, where);
		else
			log_debug("adopt tmpfs \"%s\": no noswap, but no swap is active", s->path);
	}
	if (s->size_set && mf->size && mf->size != s->size) {
		char have_sz[32], want_sz[32];

		util_format_size(mf->size, have_sz, sizeof(have_sz));
		util_format_size(s->size, want_sz, sizeof(want_sz));
		log_warn("adopt tmpfs \"%s\": its size is %s, the config says %s %s", s->path, have_sz, want_sz, where);
	}
	if (s->inodes && mf->inodes && mf->inodes != s->inodes)
		log_warn("adopt tmpfs \"%s\": it has %" PRIu64 " inodes, the config says %" PRIu64 " %s", s->path,
			 mf->inodes, s->inodes, where);
	if (bad)
		return bad;
	if (fstat(fd, &st) < 0)
		return -errno;
	/* The runtime rarely lets users pick owner and mode (emptyDir cannot): bring the root of
	 * the mount to the config. It is the configured path itself, so this touches nothing else. */
	if (s->owner_set && (st.st_uid != s->uid || st.st_gid != s->gid)) {
		if (fchownat(fd, "", s->uid, s->gid, AT_EMPTY_PATH) < 0) {
			int err = errno;

			log_error("adopt tmpfs \"%s\": change its owner from %u:%u to %s: %s (hint: CAP_CHOWN, or let the "
				  "runtime set it: --tmpfs %s:uid=%u,gid=%u) %s",
				  s->path, (unsigned)st.st_uid, (unsigned)st.st_gid, s->owner ? s->owner : "?",
				  strerror(err), s->path, (unsigned)s->uid, (unsigned)s->gid, where);
			return -err;
		}
		log_info("adopt tmpfs \"%s\": owner changed from %u:%u to %u:%u", s->path, (unsigned)st.st_uid,
			 (unsigned)st.st_gid, (unsigned)s->uid, (unsigned)s->gid);
	}
	if (s->mode_set && (st.st_mode & 07777) != s->mode) {
		char proc[64];

		/* fchmod needs a real fd; ours is O_PATH: go through its /proc magic link */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (chmod(proc, s->mode) < 0) {
			int err = errno;

			log_error("adopt tmpfs \"%s\": change its mode from %04o to %04o: %s (hint: --tmpfs %s:mode=%o) %s",
				  s->path, st.st_mode & 07777, s->mode, strerror(err), s->path, s->mode, where);
			return -err;
		}
		log_info("adopt tmpfs \"%s\": mode changed from %04o to %04o", s->path, st.st_mode & 07777, s->mode);
	}
	return 0;
}

/* The configured options, as fsconfig keys (or one mount(2) data string). */
struct tmpfs_opts {
	char size[24], inodes[24], mode[16], uid[16], gid[16];
	unsigned long ms_flags;	/* for mount(2) */
	unsigned attrs;		/* for fsmount() */
};

static void tmpfs_opts_fill(const struct tmpfs_spec *s, struct tmpfs_opts *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->size, sizeof(o->size), "%" PRIu64, s->size_set ? s->size : (uint64_t)TMPINIT_DEFAULT_TMPFS_SIZE);
	if (s->inodes)
		snprintf(o->inodes, sizeof(o->inodes), "%" PRIu64, s->inodes);
	snprintf(o->mode, sizeof(o->mode), "%o", s->mode_set ? s->mode : 01777);
	if (s->owner_set) {
		snprintf(o->uid, sizeof(o->uid), "%u", (unsigned)s->uid);
		snprintf(o->gid, sizeof(o->gid), "%u", (unsigned)s->gid);
	}
	if (!s->suid) {
		o->ms_flags |= MS_NOSUID;
		o->attrs |= MOUNT_ATTR_NOSUID;
	}
	if (!s->dev) {
		o->ms_flags |= MS_NODEV;
		o->attrs |= MOUNT_ATTR_NODEV;
	}
	if (!s->exec) {
		o->ms_flags |= MS_NOEXEC;
		o->attrs |= MOUNT_ATTR_NOEXEC;
	}
}

static void mount_fail(const struct tmpinit_config *cfg, const struct tmpfs_spec *s, const char *step, int err)
{
	if (err == EPERM || err == EACCES)
		log_error("mount tmpfs on \"%s\": %s: %s (hint: " HINT_RUNTIME_TMPFS ") %s", s->path, step, strerror(err),
			  s->path, s->path, s->path, WHERE(cfg, s));
	else
		log_error("mount tmpfs on \"%s\": %s: %s %s", s->path, step, strerror(err), WHERE(cfg, s));
}

static void noswap_fail(const struct tmpinit_config *cfg, const struct tmpfs_spec *s)
{
	log_error("mount tmpfs on \"%s\": this kernel does not know the noswap option (Linux >= 6.4) (hint: set "
		  "swap = allow in %s if swap is off or acceptable)",
		  s->path, WHERE(cfg, s));
}

/* How many mounts stacked over one of ours the unmount takes off before it gives up. */
#define TMPFS_MAX_STACK 64

/* Whether the mount with id ID is attached anywhere in this namespace: 1 or 0, -1 when
 * that cannot be told (no id, no /proc). */
static int mount_attached(uint64_t id)
{
	FILE *f = id ? fopen("/proc/self/mountinfo", "re") : NULL;
	char line[64];
	int found = 0;

	if (!f)
		return -1;
	/* the id is the first field; lines are long, so read each start and skip the rest */
	while (!found && fgets(line, sizeof(line), f)) {
		char *end;
		uint64_t v = strtoull(line, &end, 10);
		int ch;

		found = end != line && *end == ' ' && v == id;
		if (!strchr(line, '\n'))
			while ((ch = getc(f)) != EOF && ch != '\n')
				;
	}
	fclose(f);
	return found;
}

/* Keep FD (or -errno: opening it failed) as S's root. */
static int tmpfs_hold_root(struct tmpfs_spec *s, int fd)
{
	if (fd < 0) {
		log_error("tmpfs \"%s\": open its root directory: %s", s->path, strerror(-fd));
		return fd;
	}
	s->root_fd = fd;
	s->have_root = true;
	return 0;
}

static void tmpfs_release_root(struct tmpfs_spec *s)
{
	if (s->have_root)
		close(s->root_fd);
	s->have_root = false;
}

/* The old way, before Linux 5.2 or where a seccomp profile hides fsopen: mount(2) on the
 * /proc magic link of the O_PATH fd, so the path is never resolved a second time. */
static int tmpfs_mount_legacy(const struct tmpinit_config *cfg, const struct tmpfs_spec *s, int fd,
			      const struct tmpfs_opts *o)
{
	char target[64], data[160];
	int n;

	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	n = snprintf(data, sizeof(data), "size=%s,mode=%s", o->size, o->mode);
	if (o->inodes[0])
		n += snprintf(data + n, sizeof(data) - (size_t)n, ",nr_inodes=%s", o->inodes);
	if (o->uid[0])
		n += snprintf(data + n, sizeof(data) - (size_t)n, ",uid=%s,gid=%s", o->uid, o->gid);
	if (!s->swap_allow)
		snprintf(data + n, sizeof(data) - (size_t)n, ",noswap");
	if (mount("tmpfs", target, "tmpfs", o->ms_flags, data) < 0) {
		int err = errno;

		/* mount(2) says only EINVAL: see whether it was noswap, so the hint is right */
		if (err == EINVAL && !s->swap_allow) {
			data[n] = '\0';
			if (mount("tmpfs", target, "tmpfs", o->ms_flags, data) == 0) {
				umount2(target, MNT_DETACH);
				noswap_fail(cfg, s);
				return -EINVAL;
			}
		}
		mount_fail(cfg, s, "mount", err);
		return -err;
	}
	return 0;
}

/* The new mount API: each option is checked on its own, so an unknown noswap is told
 * apart from a bad size, and the mount is attached to the directory fd, not a path. */
static int tmpfs_mount(const struct tmpinit_config *cfg, struct tmpfs_spec *s, int fd)
{
	struct tmpfs_opts o;
	const char *keys[] = { "source", "size", "nr_inodes", "mode", "uid", "gid" };
	const char *vals[ARRAY_SIZE(keys)];
	int fsfd, mfd, r = 0;

	tmpfs_opts_fill(s, &o);
	vals[0] = "tmpfs";
	vals[1] = o.size;
	vals[2] = o.inodes;
	vals[3] = o.mode;
	vals[4] = o.uid;
	vals[5] = o.gid;
	fsfd = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		if (errno == ENOSYS)
			return tmpfs_mount_legacy(cfg, s, fd, &o);
		r = -errno;
		mount_fail(cfg, s, "fsopen", -r);
		return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!vals[i][0])
			continue;
		if (fsconfig(fsfd, FSCONFIG_SET_STRING, keys[i], vals[i], 0) < 0) {
			r = -errno;
			mount_fail(cfg, s, keys[i], -r);
			goto out;
		}
	}
	if (!s->swap_allow && fsconfig(fsfd, FSCONFIG_SET_FLAG, "noswap", NULL, 0) < 0) {
		r = -errno;
		if (r == -EINVAL)
			noswap_fail(cfg, s);
		else
			mount_fail(cfg, s, "noswap", -r);
		goto out;
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		r = -errno;
		mount_fail(cfg, s, "create", -r);
		goto out;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, o.attrs);
	if (mfd < 0) {
		r = -errno;
		mount_fail(cfg, s, "fsmount", -r);
		goto out;
	}
	if (move_mount(mfd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		r = -errno;
		mount_fail(cfg, s, "attach", -r);
	} else {
		/* the root of exactly this mount, by its own fd: no path is walked */
		int rfd = openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		r = tmpfs_hold_root(s, rfd < 0 ? -errno : rfd);
	}
	close(mfd);
out:
	close(fsfd);
	return r;
}

/* Detach the mount tmpinit made, through the root fd held since setup (not S->path, which
 * may by now lead elsewhere); closes that fd. */
static int tmpfs_unmount(struct tmpfs_spec *s)
{
	char proc[64];
	uint64_t id;
	int r = 0, err, attached;

	if (!s->have_root) {
		log_error("unmount \"%s\": its root was never opened; left alone", s->path);
		return -EBADF;
	}
	/* MNT_DETACH: our own fd pins the mount until it is closed just below. The magic link
	 * leads to this mount's root wherever it is now, but the kernel then steps up to the
	 * topmost mount stacked there: what someone mounted over ours goes first, one by one,
	 * until ours is no longer attached. Where that cannot be told, one umount, as before. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s->root_fd);
	id = fd_mount_id(s->root_fd);
	attached = mount_attached(id);
	if (attached == 0) {
		/* someone unmounted it already; our fd kept its pages reachable for the shred, and
		 * closing it frees them */
		log_warn("unmount \"%s\": it was already unmounted (not by tmpinit)", s->path);
	}
	for (int n = 0; attached != 0 && n < TMPFS_MAX_STACK; n++) {
		if (umount2(proc, MNT_DETACH) < 0) {
			err = errno;
			r = -err;
			log_error("unmount \"%s\": %s", s->path, strerror(err));
			break;
		}
		attached = attached < 0 ? 0 : mount_attached(id);
		if (attached)
			log_warn("unmount \"%s\": first unmounted a mount someone stacked over it", s->path);
	}
	if (!r && attached > 0) {
		log_error("unmount \"%s\": still attached under %d stacked mounts; left alone", s->path, TMPFS_MAX_STACK);
		r = -EBUSY;
	}
	tmpfs_release_root(s);
	return r;
}

/* One path: open without symlinks, decide adopt or mount, do it. */
static int tmpfs_setup_one(const struct tmpinit_config *cfg, struct tmpfs_spec *s)
{
	cleanup_close int fd = shred_open_path(s->path, O_PATH | O_DIRECTORY);
	struct mount_facts mf = { 0 };
	struct statfs sfs;
	int r;

	if (fd < 0) {
		if (fd == -ENOENT)
			log_error("tmpfs mount point \"%s\" does not exist (hint: create it in the image, e.g. RUN mkdir -p %s: "
				  "the root is read-only at run time) %s",
				  s->path, s->path, WHERE(cfg, s));
		else if (fd == -ELOOP)
			log_error("tmpfs mount point \"%s\": a component is a symlink, which tmpinit never follows (hint: "
				  "name the real path in the section) %s",
				  s->path, WHERE(cfg, s));
		else
			log_error("tmpfs mount point \"%s\": %s %s", s->path, strerror(-fd), WHERE(cfg, s));
		return fd;
	}
	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	r = mountinfo_read(fd_mount_id(fd), s->path, &mf);
	if (r < 0 && s->source != SOURCE_MOUNT) {
		log_error("tmpfs \"%s\": read /proc/self/mountinfo: %s (hint: mount /proc in the container) %s", s->path,
			  strerror(-r), WHERE(cfg, s));
		return r;
	}
	if (s->source != SOURCE_MOUNT && mf.found) {
		if (!mf.tmpfs || sfs.f_type != TMPFS_MAGIC) {
			log_error("\"%s\" is already a mount point of type %s, not a tmpfs: tmpinit shreds only RAM (hint: "
				  "source = mount to mount a tmpfs over it, or give the runtime a tmpfs there) %s",
				  s->path, mf.fstype, WHERE(cfg, s));
			return -EINVAL;
		}
		r = tmpfs_check_adopted(cfg, s, fd, &mf);
		if (r < 0)
			return r;
		r = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		r = tmpfs_hold_root(s, r < 0 ? -errno : r);
		if (r < 0)
			return r;
		s->adopted = true;
		log_info("adopted the tmpfs on \"%s\"", s->path);
		tmpfs_warn_not_empty(s, fd);
		return 0;
	}
	if (s->source == SOURCE_ADOPT) {
		log_error("\"%s\" is not a tmpfs mount point and source = adopt (hint: docker/podman run --tmpfs "
			  "%s:noexec,nosuid,nodev, or a "
			  "Kubernetes emptyDir {medium: Memory} at %s; or source = auto to mount one) %s",
			  s->path, s->path, s->path, WHERE(cfg, s));
		return -ENOENT;
	}
	r = tmpfs_mount(cfg, s, fd);
	if (r < 0)
		return r;
	s->mounted = true;
	if (!s->have_root) { /* mount(2) fallback: the path now leads to the new mount's root */
		r = tmpfs_hold_root(s, shred_open_path(s->path, O_RDONLY | O_DIRECTORY));
		if (r < 0) {
			tmpfs_release_root(s);
			s->mounted = false;
			return r;
		}
	}
	log_info("mounted a tmpfs on \"%s\"", s->path);
	return 0;
}

int tmpfs_setup_all(struct tmpinit_config *cfg)
{
	for (size_t i = 0; i < cfg->ntmpfs; i++) {
		int r = tmpfs_setup_one(cfg, &cfg->tmpfs[i]);

		if (r < 0) {
			/* fail closed, leaving nothing mounted: adopted ones were never written to */
			for (size_t j = i; j-- > 0;) {
				if (cfg->tmpfs[j].mounted)
					tmpfs_unmount(&cfg->tmpfs[j]);
				tmpfs_release_root(&cfg->tmpfs[j]);
				cfg->tmpfs[j].mounted = cfg->tmpfs[j].adopted = false;
			}
			return r;
		}
	}
	return 0;
}

unsigned tmpfs_teardown_all(struct tmpinit_config *cfg)
{
	unsigned errors = 0;

	for (size_t i = cfg->ntmpfs; i-- > 0;) {
		struct tmpfs_spec *s = &cfg->tmpfs[i];

		if (!s->mounted && !s->adopted)
			continue;
		if (s->shred) {
			struct shred_stats st;

			if (shred_tree(s, &st) < 0) {
				errors++;
			} else {
				/* info when clean, so a quiet default log stays quiet; warning when anything
				 * was left behind, so it shows at the default level */
				log_msg(st.errors || st.skipped ? LVL_WARN : LVL_INFO,
					"shred \"%s\": %" PRIu64 " files, %" PRIu64 " bytes overwritten, %" PRIu64
					" dirs, %" PRIu64 " others, %" PRIu64 " other mounts left alone, %" PRIu64
					" errors, %" PRIu64 ".%03" PRIu64 " s",
					s->path, st.files, st.bytes, st.dirs, st.others, st.skipped, st.errors,
					st.elapsed_ms / 1000, st.elapsed_ms % 1000);
				errors += (unsigned)st.errors;
			}
		}
		if (s->mounted && tmpfs_unmount(s) < 0)
			errors++;
		tmpfs_release_root(s);
		s->mounted = s->adopted = false;
	}
	return errors;
}
