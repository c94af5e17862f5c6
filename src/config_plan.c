/* config_plan.c - cross-field checks (overlapping tmpfs paths, tmpinit's own binary) and the
 * plan `tmpinit --check` prints, with the residual risks visible from inside the container.
 * Reads /proc/self/exe, /proc/swaps and /proc/cmdline; changes nothing. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_int.h"
#include "log.h"
#include "util.h"

/* Where runtimes bind-mount their init: docker run --init, podman run --init. */
#define DOCKER_INIT "/sbin/docker-init"
#define PODMAN_INIT "/run/podman-init"

static char *self_exe(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *del;

	if (n <= 0) {
		log_debug("read /proc/self/exe: %s (tmpfs paths are not checked against tmpinit's own path)",
			  n < 0 ? strerror(errno) : "empty");
		return NULL;
	}
	buf[n] = '\0';
	del = strstr(buf, " (deleted)");
	if (del && del[10] == '\0')
		*del = '\0';
	return strdup(buf);
}

int config_validate(struct tmpinit_config *cfg)
{
	const char *file = cfg->config_path ? cfg->config_path : "(config)";
	int r = 0;

	free(cfg->self_path);
	cfg->self_path = self_exe();
	for (size_t i = 0; i < cfg->ntmpfs; i++) {
		const struct tmpfs_spec *a = &cfg->tmpfs[i];
		const char *bins[] = { cfg->self_path, DOCKER_INIT };

		for (size_t j = 0; j < i; j++) {
			const struct tmpfs_spec *b = &cfg->tmpfs[j];

			if (strcmp(a->path, b->path) == 0) {
				log_error("%s:%u: [tmpfs %s]: path given twice, first at line %u (expected each path once)",
					  file, a->line, a->path, b->line);
				r = -EINVAL;
			} else if (config_path_covers(a->path, b->path) || config_path_covers(b->path, a->path)) {
				log_error("%s:%u: [tmpfs %s]: nested with [tmpfs %s] at line %u "
					  "(expected tmpfs paths that do not contain each other)",
					  file, a->line, a->path, b->path, b->line);
				r = -EINVAL;
			}
		}
		for (size_t k = 0; k < ARRAY_SIZE(bins); k++) {
			if (bins[k] && config_path_covers(a->path, bins[k])) {
				log_error("%s:%u: [tmpfs %s]: would cover tmpinit's own binary %s "
					  "(expected a path that does not contain %s)",
					  file, a->line, a->path, bins[k], bins[k]);
				r = -EINVAL;
				break;
			}
		}
	}
	return r;
}

static void print_word(FILE *out, const char *w)
{
	if (*w && !strpbrk(w, " \t'\"\\|&;<>()$`*?#~"))
		fputs(w, out);
	else {
		fputc('\'', out);
		for (; *w; w++)
			if (*w == '\'')
				fputs("'\\''", out);
			else
				fputc(*w, out);
		fputc('\'', out);
	}
}

static void print_stop(const struct tmpinit_config *cfg, FILE *out)
{
	char t[32], d[32];
	bool any = false;

	util_format_duration(cfg->stop_timeout_ms, t, sizeof(t));
	util_format_duration(cfg->stop_delay_ms, d, sizeof(d));
	fprintf(out, "stop: begins on SIGTERM, SIGINT");
	/* the configured stop signal is one more trigger, TERM and INT always are */
	if (cfg->stop_signal != SIGTERM && cfg->stop_signal != SIGINT)
		fprintf(out, ", %s", util_signal_name(cfg->stop_signal));
	fprintf(out, " or when the app exits; the signal goes to the app's %s",
		cfg->signal_target == TARGET_GROUP ? "process group" : "process");
	if (cfg->stop_delay_ms)
		fprintf(out, " after a delay of %s", d);
	fprintf(out, "; every process left gets SIGTERM, then SIGKILL %s after the stop began%s\n", t,
		cfg->stop_delay_ms ? " plus the delay" : "");
	fprintf(out, "rewrite:");
	for (int s = 1; s < (int)ARRAY_SIZE(cfg->rewrite); s++) {
		if (!cfg->rewrite[s])
			continue;
		fprintf(out, " %s->", util_signal_name(s));
		fprintf(out, "%s", cfg->rewrite[s] < 0 ? "dropped" : util_signal_name(cfg->rewrite[s]));
		any = true;
	}
	fprintf(out, "%s\n", any ? "" : " none");
}

static void print_tmpfs(const struct tmpfs_spec *s, FILE *out)
{
	static const char *const how[] = {
		[SOURCE_AUTO] = "adopt if already a tmpfs mount point, else mount",
		[SOURCE_MOUNT] = "mount a new tmpfs",
		[SOURCE_ADOPT] = "adopt the tmpfs mount the runtime provides (error if there is none)",
	};
	char size[32];

	util_format_size(s->size, size, sizeof(size));
	fprintf(out, "tmpfs %s: %s\n", s->path, how[s->source]);
	fprintf(out, "  options: size=%s%s", size, s->size_set ? "" : " (default)");
	if (s->inodes)
		fprintf(out, " nr_inodes=%llu", (unsigned long long)s->inodes);
	fprintf(out, " mode=%04o%s", s->mode, s->mode_set ? "" : " (default)");
	fprintf(out, " %s,%s,%s,%s\n", s->exec ? "exec" : "noexec", s->suid ? "suid" : "nosuid",
		s->dev ? "dev" : "nodev", s->swap_allow ? "swap allowed" : "noswap");
	if (s->owner_set)
		fprintf(out, "  owner: %s (%u:%u)\n", s->owner, (unsigned)s->uid, (unsigned)s->gid);
	else
		fprintf(out, "  owner: not set (a mounted tmpfs belongs to tmpinit's uid:gid, 0:0 as root; "
			     "an adopted one is not checked)\n");
	if (s->shred)
		fprintf(out, "  shred: yes, %u pass%s of %s, then remove everything%s\n", s->passes,
			s->passes == 1 ? "" : "es", s->pattern == PATTERN_RANDOM ? "random data" : "zeros",
			s->source == SOURCE_ADOPT ? "; stays mounted" : "; unmount if tmpinit mounted it");
	else
		fprintf(out, "  shred: no (files are left as they are)\n");
}

/* Number of active swap areas in FILE (/proc/swaps), or -errno. */
static int count_swaps(const char *file)
{
	FILE *f = fopen(file, "re");
	char line[512];
	int n = -1;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		n++; /* the first line is the header */
	fclose(f);
	return n < 0 ? 0 : n;
}

/* 1 when FILE (/proc/cmdline) has init_on_free on, 0 when not, -errno when unreadable. */
static int init_on_free(const char *file)
{
	FILE *f = fopen(file, "re");
	char line[4096], *save = NULL, *tok;
	int on = 0;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (strncmp(tok, "init_on_free=", 13) != 0)
			continue;
		/* the kernel parses it with kstrtobool: the last one given wins */
		on = strchr("1yY", tok[13]) != NULL || strcasecmp(tok + 13, "on") == 0;
	}
	return on;
}

unsigned config_print_plan_to(const struct tmpinit_config *cfg, FILE *out, const char *swaps_file,
			      const char *cmdline_file)
{
	static const char *const root[] = {
		[ROOT_IGNORE] = "ignore: not checked (whatever the app writes outside the tmpfs paths stays)",
		[ROOT_REQUIRE] = "require: refuse to start unless / is mounted read-only",
		[ROOT_REMOUNT] = "remount: make / read-only (keeping nosuid/nodev/noexec), fail if not allowed",
	};
	static const char *const levels[] = { "error", "warning", "info", "debug", "trace" };
	unsigned risks = 0;
	bool swap_allowed = false;
	int r;

	if (cfg->config_loaded)
		fprintf(out, "config: %s\n", cfg->config_path);
	else
		fprintf(out, "config: none (no file at %s): a plain init, no tmpfs paths, root not checked\n",
			cfg->config_path ? cfg->config_path : TMPINIT_DEFAULT_CONFIG);
	fprintf(out, "command:");
	if (cfg->argv && cfg->argv[0]) {
		for (char **a = cfg->argv; *a; a++) {
			fputc(' ', out);
			print_word(out, *a);
		}
		fprintf(out, " (%s)\n", cfg->argv_from_config ? "from [init] command; a command after -- replaces it"
							       : "from the command line");
	} else {
		fprintf(out, " none (give one after -- or as [init] command)\n");
	}
	print_stop(cfg, out);
	fprintf(out, "log: level %s, format %s\n",
		cfg->verbosity >= 0 && cfg->verbosity < (int)ARRAY_SIZE(levels) ? levels[cfg->verbosity] : "trace",
		cfg->log_format == LOGFMT_JSON ? "json" : "text");
	fprintf(out, "rootfs: %s\n", root[cfg->read_only]);
	for (size_t i = 0; i < cfg->ntmpfs; i++) {
		print_tmpfs(&cfg->tmpfs[i], out);
		swap_allowed |= cfg->tmpfs[i].swap_allow;
		if (config_path_covers(cfg->tmpfs[i].path, PODMAN_INIT))
			fprintf(out, "  note: covers " PODMAN_INIT ": as podman's --init binary tmpinit refuses this "
				     "path; use it as the ENTRYPOINT instead\n");
	}

	if (cfg->config_loaded && cfg->read_only == ROOT_IGNORE) {
		fprintf(out, "risk: [rootfs] read_only = ignore: files written outside the tmpfs paths survive the stop\n");
		risks++;
	}
	for (size_t i = 0; i < cfg->ntmpfs; i++) {
		if (!cfg->tmpfs[i].shred) {
			fprintf(out, "risk: [tmpfs %s] shred = no: its data stays in RAM after the stop\n",
				cfg->tmpfs[i].path);
			risks++;
		}
	}
	if (swap_allowed) {
		r = count_swaps(swaps_file);
		if (r > 0) {
			fprintf(out, "risk: swap is active (%d area%s in %s) and a tmpfs path allows swap: "
				     "its pages may be written to swap, where no shred reaches them\n",
				r, r == 1 ? "" : "s", swaps_file);
			risks++;
		} else if (r < 0) {
			fprintf(out, "risk: cannot read %s (%s): swap may be active while a tmpfs path allows it\n",
				swaps_file, strerror(-r));
			risks++;
		}
	}
	r = init_on_free(cmdline_file);
	if (r == 0) {
		fprintf(out, "risk: the kernel was booted without init_on_free=1: pages freed elsewhere "
			     "(the app's heap, page cache) keep stale data until reused\n");
		risks++;
	} else if (r < 0) {
		fprintf(out, "risk: cannot read %s (%s): init_on_free unknown\n", cmdline_file, strerror(-r));
		risks++;
	}
	return risks;
}

void config_print_plan(const struct tmpinit_config *cfg)
{
	config_print_plan_to(cfg, stdout, "/proc/swaps", "/proc/cmdline");
	fflush(stdout);
}
