/* privs.c - THE ordered privilege drop: the app's uid, gids, capabilities, securebits,
 * no_new_privs and seccomp filter. privs_prepare() decides everything in the parent;
 * privs_apply() carries it out in the child right before execve and fails closed.
 * Nothing else in tmpinit changes uids, capabilities, no_new_privs or seccomp. */
#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "caps.h"
#include "filter.h"
#include "log.h"
#include "passwd.h"
#include "util.h"

#define PRIVS_MAX_GROUPS 256

/* Securebits for an app whose capabilities are restricted: uid 0 is not special on execve
 * (NOROOT: no full permitted set for root, no setuid-root gain), a uid change does not
 * touch capabilities (NO_SETUID_FIXUP), KEEP_CAPS stays off; all locked, so the app (even as
 * uid 0) cannot undo them. Capabilities then reach the app only through the ambient set. */
#define PRIVS_SECBITS                                                                                         \
	(SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |      \
	 SECBIT_KEEP_CAPS_LOCKED)

struct privs_plan {
	const struct tmpinit_config *cfg; /* tmpfs mount state is read at shrink time */
	bool set_uid, set_gid, set_groups;
	uid_t uid;
	gid_t gid;
	gid_t groups[PRIVS_MAX_GROUPS];
	size_t ngroups;

	bool caps;		/* restrict capabilities ([capabilities] keep, not "all") */
	uint64_t keep;
	bool secbits;		/* lock PRIVS_SECBITS */
	bool drop_admin;	/* no [capabilities] but [tmpfs] paths: take CAP_SYS_ADMIN away */
	bool nnp;
	const char *nnp_why;
	struct filter_prog filter;

	char *env[4];
};

static const char *cfg_file(const struct tmpinit_config *cfg)
{
	return cfg->config_path ? cfg->config_path : TMPINIT_DEFAULT_CONFIG;
}

static int plan_groups(const struct privs_config *pc, struct privs_plan *p)
{
	int n;

	if (pc->groups_set) {
		if (pc->ngroups) /* "groups =" (none) leaves pc->groups NULL */
			memcpy(p->groups, pc->groups, pc->ngroups * sizeof(gid_t));
		p->ngroups = pc->ngroups;
		return 0;
	}
	/* what gosu/su-exec do (initgroups): the primary group plus every group that lists
	 * the user in the image's /etc/group */
	p->groups[0] = p->gid;
	p->ngroups = 1;
	if (!pc->user_name)
		return 0;
	n = passwd_user_groups(GROUP_FILE, pc->user_name, p->groups + 1, PRIVS_MAX_GROUPS - 1);
	if (n < 0) {
		log_error("%s:%u: [user] user: read the groups of \"%s\" from " GROUP_FILE ": %s (expected a readable "
			  GROUP_FILE ", or [user] groups)",
			  cfg_file(p->cfg), pc->user_line, pc->user_name, strerror(-n));
		return n;
	}
	for (int i = 1; i <= n; i++)
		if (p->groups[i] != p->gid)
			p->groups[p->ngroups++] = p->groups[i];
	return 0;
}

static int plan_env(const struct privs_config *pc, struct privs_plan *p)
{
	size_t n = 0;

	if (!pc->user_set)
		return 0;
	/* As gosu and su-exec: HOME from the passwd entry ("/" without one); USER and LOGNAME
	 * name the user, and are left alone for a bare uid without entry. */
	if (asprintf(&p->env[n++], "HOME=%s", pc->home ? pc->home : "/") < 0)
		return -ENOMEM;
	if (pc->user_name) {
		if (asprintf(&p->env[n++], "USER=%s", pc->user_name) < 0 ||
		    asprintf(&p->env[n++], "LOGNAME=%s", pc->user_name) < 0)
			return -ENOMEM;
	}
	return 0;
}

int privs_prepare(const struct tmpinit_config *cfg, struct privs_plan **planp)
{
	const struct privs_config *pc = &cfg->privs;
	struct privs_plan *p;
	uid_t target_uid;
	int r;

	*planp = p = calloc(1, sizeof(*p));
	if (!p) {
		log_error("allocate the privilege plan: out of memory");
		return -ENOMEM;
	}
	p->cfg = cfg;
	if (pc->user_set && !pc->group_set && !pc->user_name) {
		log_error("%s:%u: [user] user: uid %u has no entry in " PASSWD_FILE ", so its group is unknown "
			  "(expected [user] group = GID as well)",
			  cfg_file(cfg), pc->user_line, (unsigned)pc->uid);
		return -EINVAL;
	}
	p->set_uid = pc->user_set;
	p->uid = pc->uid;
	p->set_gid = pc->user_set || pc->group_set;
	p->gid = pc->gid;
	p->set_groups = pc->user_set || pc->groups_set;
	if (p->set_groups && (r = plan_groups(pc, p)) < 0)
		return r;

	target_uid = p->set_uid ? p->uid : getuid();
	p->caps = pc->caps_set && pc->caps_keep != CAPS_ALL;
	p->keep = pc->caps_keep & caps_supported();
	/* A non-root app that keeps nothing has nothing the securebits could guard; asking for
	 * them would only fail needlessly where tmpinit has no CAP_SETPCAP. */
	p->secbits = p->caps && (target_uid == 0 || p->keep);
	/* With scratch paths and no [capabilities] section the app keeps what tmpinit was given,
	 * except CAP_SYS_ADMIN: with it the app could unmount, cover or move a scratch tmpfs
	 * and so hide its data from the shred (or bind something else there to be shredded).
	 * keep = all, or a keep list naming sys_admin, gives it back on purpose. */
	p->drop_admin = !pc->caps_set && cfg->ntmpfs > 0;

	r = filter_build(pc, cfg_file(cfg), &p->filter);
	if (r < 0)
		return r;

	if (pc->no_new_privs == 1) {
		p->nnp = true;
		p->nnp_why = "[capabilities] no_new_privs = yes";
	} else if (pc->no_new_privs == 0) {
		if (p->filter.len) {
			log_error("%s:%u: [capabilities] no_new_privs: \"no\" cannot go with a seccomp filter, which "
				  "the kernel loads only under no_new_privs (expected auto or yes, or [seccomp] profile = none)",
				  cfg_file(cfg), pc->nnp_line);
			return -EINVAL;
		}
		p->nnp_why = "[capabilities] no_new_privs = no";
	} else {
		p->nnp = p->set_uid || p->set_gid || p->set_groups || p->caps || p->filter.len;
		p->nnp_why = p->nnp ? "auto: the config restricts the app" : "auto: nothing is restricted";
	}
	r = plan_env(pc, p);
	if (r < 0) {
		log_error("build the app's environment: %s", strerror(-r));
		return r;
	}
	return 0;
}

static bool same_groups(const gid_t *want, size_t n)
{
	gid_t cur[PRIVS_MAX_GROUPS];
	int k = getgroups(PRIVS_MAX_GROUPS, cur);

	if (k < 0 || (size_t)k != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (int j = 0; j < k; j++)
			found |= cur[j] == want[i];
		if (!found)
			return false;
	}
	return true;
}

static int apply_ids(const struct privs_plan *p)
{
	/* -1 until read: the error message below prints them even when getresuid() failed */
	uid_t ru = (uid_t)-1, eu = (uid_t)-1, su = (uid_t)-1;
	gid_t rg = (gid_t)-1, eg = (gid_t)-1, sg = (gid_t)-1;
	int err;

	/* Groups and gids first: after setresuid away from root we could no longer change them. */
	if (p->set_groups && setgroups(p->ngroups, p->groups) < 0) {
		err = errno;
		if (err != EPERM || !same_groups(p->groups, p->ngroups)) {
			log_error("set the app's supplementary groups ([user] groups): %s (hint: tmpinit needs CAP_SETGID; "
				  "running unprivileged, set [user] groups to the groups it already has)",
				  strerror(err));
			return -err;
		}
		log_debug("supplementary groups already as configured; setgroups not needed");
	}
	if (p->set_gid && setresgid(p->gid, p->gid, p->gid) < 0) {
		err = errno;
		log_error("setresgid(%u) for the app ([user] group): %s (hint: tmpinit needs CAP_SETGID, or must "
			  "already run with that gid)",
			  (unsigned)p->gid, strerror(err));
		return -err;
	}
	/* Keep the permitted set across the uid change: the bounding set and the securebits
	 * still need CAP_SETPCAP afterwards, and the kept capabilities must survive. Without
	 * this, setresuid from 0 to non-zero empties permitted and effective (capabilities(7),
	 * "Effect of user ID changes on capabilities"). */
	if (p->caps && prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) < 0) {
		err = errno;
		log_error("keep capabilities across the uid change (PR_SET_KEEPCAPS): %s (hint: a locked "
			  "securebit keep_caps set by the runtime prevents it)",
			  strerror(err));
		return -err;
	}
	if (p->set_uid && setresuid(p->uid, p->uid, p->uid) < 0) {
		err = errno;
		log_error("setresuid(%u) for the app ([user] user): %s (hint: tmpinit needs CAP_SETUID, or must "
			  "already run as that uid)",
			  (unsigned)p->uid, strerror(err));
		return -err;
	}
	/* Verify: a uid change that half happened must never reach execve. */
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 ||
	    (p->set_uid && (ru != p->uid || eu != p->uid || su != p->uid)) ||
	    (p->set_gid && (rg != p->gid || eg != p->gid || sg != p->gid))) {
		log_error("verify the app's uid/gid: still uid %u/%u/%u gid %u/%u/%u, wanted uid %u gid %u "
			  "(hint: an LSM or the runtime interfered)",
			  (unsigned)ru, (unsigned)eu, (unsigned)su, (unsigned)rg, (unsigned)eg, (unsigned)sg,
			  (unsigned)p->uid, (unsigned)p->gid);
		return -EPERM;
	}
	return 0;
}

static int apply_caps(const struct privs_plan *p)
{
	struct caps_state st;
	uint64_t setpcap = CAPS_BIT(CAP_SETPCAP), missing;
	char names[1024];
	int r;

	r = caps_read(&st);
	if (r < 0)
		return r;
	missing = p->keep & ~st.prm;
	if (missing) {
		caps_format(missing, names, sizeof(names));
		log_error("keep %s ([capabilities] keep): tmpinit does not have it (hint: grant it to the container, "
			  "e.g. docker --cap-add, or remove it from keep)",
			  names);
		return -EPERM;
	}
	/* setresuid cleared the effective set; take back what is permitted so that CAP_SETPCAP
	 * works for the bounding set and the securebits below. */
	r = caps_set(st.prm, st.prm, st.inh);
	if (r < 0)
		return r;
	/* Bounding set before permitted: dropping from the bounding set needs CAP_SETPCAP in
	 * effective, which the final capset takes away unless it is kept. */
	r = caps_drop_bounding(p->keep, st.bnd);
	if (r < 0)
		return r;
	/* Kept capabilities go into inheritable, the precondition for raising them as ambient
	 * (an ambient capability must be permitted and inheritable). */
	r = caps_set(p->keep | (st.prm & setpcap), p->keep | (st.prm & setpcap), p->keep);
	if (r < 0)
		return r;
	/* Ambient: the only way a capability survives execve into a non-root app, and, with
	 * SECBIT_NOROOT, into a uid-0 app too. Cleared first so it is exactly KEEP. */
	r = caps_set_ambient(p->keep);
	if (r < 0)
		return r;
	/* Securebits still need CAP_SETPCAP, hence before the final capset below. */
	if (p->secbits) {
		r = caps_set_secbits(PRIVS_SECBITS);
		if (r < 0)
			return r;
	}
	return caps_set(p->keep, p->keep, p->keep);
}

/* CAP_SYS_ADMIN out of every set, the rest untouched: no KEEPCAPS, no ambient, no securebits
 * (those are for an explicit [capabilities] keep). */
static int apply_drop_admin(void)
{
	uint64_t admin = CAPS_BIT(CAP_SYS_ADMIN);
	struct caps_state st;
	int r;

	r = caps_read(&st);
	if (r < 0)
		return r;
	if ((st.bnd & admin) && !(st.eff & CAPS_BIT(CAP_SETPCAP))) {
		log_error("drop cap_sys_admin from the app's bounding set: tmpinit has no effective CAP_SETPCAP "
			  "(hint: grant it, or have the runtime drop SYS_ADMIN, or set [capabilities] keep)");
		return -EPERM;
	}
	if (st.bnd & admin) {
		r = caps_drop_bounding(~admin, st.bnd);
		if (r < 0)
			return r;
	}
	/* the ambient set follows: the kernel clears an ambient capability that leaves permitted */
	if ((st.prm | st.eff | st.inh) & admin)
		return caps_set(st.prm & ~admin, st.eff & ~admin, st.inh & ~admin);
	return 0;
}

int privs_apply(const struct privs_plan *p)
{
	int r, err;

	/* Before the ids: a change to a non-root uid empties the effective set, and the
	 * bounding drop needs CAP_SETPCAP in it. Dropping one capability from the bounding set
	 * first changes nothing the id steps below rely on (they need SETUID/SETGID). */
	if (p->drop_admin) {
		r = apply_drop_admin();
		if (r < 0)
			return r;
	}

	/* The order is the point: ids (while tmpinit may still change them), then capabilities
	 * (while CAP_SETPCAP is still there), then no_new_privs, then seccomp last, so the
	 * filter never has to allow set*id, capset or prctl. The child does execve next. */
	r = apply_ids(p);
	if (r < 0)
		return r;
	if (p->caps) {
		r = apply_caps(p);
		if (r < 0)
			return r;
	}
	if (p->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0) {
		err = errno;
		log_error("set no_new_privs for the app: %s (hint: needs Linux 3.5+)", strerror(err));
		return -err;
	}
	return filter_load(&p->filter);
}

char *const *privs_env(const struct privs_plan *p)
{
	return p && p->env[0] ? p->env : NULL;
}

void privs_shrink_self(const struct privs_plan *p)
{
	/* After the app started, tmpinit still signals it (CAP_KILL: the app may run as
	 * another uid), shreds files the app owns (CAP_DAC_OVERRIDE to open and overwrite them,
	 * CAP_FOWNER to unlink in sticky directories and chmod), clears immutable/append-only
	 * flags (CAP_LINUX_IMMUTABLE) and unmounts what it mounted (CAP_SYS_ADMIN, only then). */
	uint64_t need = CAPS_BIT(CAP_KILL) | CAPS_BIT(CAP_DAC_OVERRIDE) | CAPS_BIT(CAP_FOWNER) |
			CAPS_BIT(CAP_LINUX_IMMUTABLE);
	struct caps_state st;
	char names[1024];

	for (size_t i = 0; p && p->cfg && i < p->cfg->ntmpfs; i++)
		if (p->cfg->tmpfs[i].mounted)
			need |= CAPS_BIT(CAP_SYS_ADMIN);
	if (caps_read(&st) < 0)
		return;
	need &= st.prm;
	if (st.prm == need && st.bnd == (st.bnd & need) && !st.amb && !st.inh)
		return;
	/* bounding first, while CAP_SETPCAP is still effective */
	if (!(st.eff & CAPS_BIT(CAP_SETPCAP)) || caps_drop_bounding(need, st.bnd) < 0)
		log_warn("tmpinit keeps its bounding set (no CAP_SETPCAP); its own capabilities shrink anyway");
	/* the ambient set is cleared only when it holds something: libcap's reset asks the kernel
	 * once per capability first */
	if ((st.amb && caps_set_ambient(0) < 0) || caps_set(need, need, 0) < 0) {
		log_warn("tmpinit could not shrink its own capabilities; it goes on with the ones it has");
		return;
	}
	caps_format(need, names, sizeof(names));
	log_debug("tmpinit keeps only %s while the app runs", names);
}

static void print_ids(const struct privs_plan *p, FILE *out)
{
	fprintf(out, "app user: uid=%u%s", (unsigned)(p->set_uid ? p->uid : getuid()), p->set_uid ? "" : " (unchanged)");
	if (p->set_uid && p->cfg->privs.user_name)
		fprintf(out, "(%s)", p->cfg->privs.user_name);
	fprintf(out, " gid=%u%s groups=", (unsigned)(p->set_gid ? p->gid : getgid()), p->set_gid ? "" : " (unchanged)");
	if (!p->set_groups)
		fprintf(out, "(unchanged)");
	for (size_t i = 0; p->set_groups && i < p->ngroups; i++)
		fprintf(out, "%s%u", i ? "," : "", (unsigned)p->groups[i]);
	if (p->set_groups && !p->ngroups)
		fprintf(out, "none");
	fputc('\n', out);
	if (p->env[0])
		fprintf(out, "app environment: %s%s%s%s%s\n", p->env[0], p->env[1] ? " " : "", p->env[1] ? p->env[1] : "",
			p->env[2] ? " " : "", p->env[2] ? p->env[2] : "");
}

void privs_print_plan(const struct tmpinit_config *cfg, const struct privs_plan *p)
{
	char names[1024], bits[256];
	FILE *out = stdout;

	print_ids(p, out);
	if (p->caps) {
		caps_format(p->keep, names, sizeof(names));
		fprintf(out, "app capabilities: bounding, permitted, effective, inheritable and ambient = %s%s\n", names,
			cfg->ntmpfs && (p->keep & CAPS_BIT(CAP_SYS_ADMIN))
				? "; risk: with cap_sys_admin the app can unmount or cover a scratch tmpfs"
				: "");
		caps_format_secbits(p->secbits ? PRIVS_SECBITS : 0, bits, sizeof(bits));
		fprintf(out, "app securebits: %s\n", bits);
	} else if (cfg->privs.caps_set) {
		fprintf(out, "app capabilities: keep = all: as tmpinit has them%s\n",
			cfg->ntmpfs ? "; risk: with cap_sys_admin the app can unmount or cover a scratch tmpfs" : "");
	} else if (p->drop_admin) {
		fprintf(out, "app capabilities: as tmpinit has them, less cap_sys_admin in every set (it could "
			     "unmount or cover a scratch tmpfs; [capabilities] keep decides otherwise)\n");
	} else {
		fprintf(out, "app capabilities: unchanged%s\n",
			p->set_uid && p->uid != 0 ? " (a non-root uid holds none after setresuid; the bounding set stays)"
						  : "");
	}
	fprintf(out, "app no_new_privs: %s (%s)%s\n", p->nnp ? "yes" : "no", p->nnp_why,
		p->nnp ? "; setuid binaries such as sudo gain nothing" : "");
	filter_print(&cfg->privs, &p->filter, out);
}

void privs_plan_free(struct privs_plan *p)
{
	if (!p)
		return;
	filter_free(&p->filter);
	for (size_t i = 0; i < ARRAY_SIZE(p->env); i++)
		free(p->env[i]);
	free(p);
}
