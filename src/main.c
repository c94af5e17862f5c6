/* main.c - argv + environment + config -> the phases in order: setup (signals, config,
 * root and tmpfs, privileges), spawn, supervise, shutdown (shred) -> exit code.
 * Only this file knows the order of the phases. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "child.h"
#include "config.h"
#include "log.h"
#include "privs.h"
#include "signals.h"
#include "supervise.h"
#include "tmpfs.h"
#include "util.h"

/* What the command line and the environment set; applied on top of the ini file. */
struct cli_overrides {
	const char *config_path;
	bool subreaper, group, check;
	int pdeath_signal;
	bool warn_on_reap;
	bool remap_exit[256];
	int verbosity; /* -1 = not given */
	int log_format; /* -1 = not given */
	int stop_signal;
	bool stop_timeout_set, stop_delay_set;
	uint64_t stop_timeout_ms, stop_delay_ms;
	int rewrite[65];
	bool rewrite_set[65];
};

enum {
	OPT_VERSION = 256,
	OPT_CHECK,
	OPT_STOP_TIMEOUT,
	OPT_STOP_SIGNAL,
	OPT_STOP_DELAY,
	OPT_LOG_FORMAT,
};

static void usage(FILE *out)
{
	fprintf(out,
		"tmpinit %s - a PID 1 for containers: tmpfs scratch over a read-only root, shredded on stop\n"
		"\n"
		"Usage: tmpinit [OPTIONS] [--] COMMAND [ARG...]\n"
		"\n"
		"  -c, --config FILE       ini file (default " TMPINIT_DEFAULT_CONFIG ", optional)\n"
		"      --check             validate the config, print the plan and exit\n"
		"  -s                      register as a child subreaper (automatic when not PID 1)\n"
		"  -g                      forward signals to the app's process group\n"
		"  -p SIGNAL               signal tmpinit gets when its parent dies\n"
		"  -e CODE                 remap the app's exit code CODE to 0 (repeatable)\n"
		"  -v                      more verbose (repeatable)\n"
		"  -w                      warn when reaping a zombie that is not the app\n"
		"  -r, --rewrite FROM:TO   forward FROM as TO (TO 0: do not forward) (repeatable)\n"
		"      --stop-signal SIG   one more signal that begins the stop (TERM and INT always do)\n"
		"      --stop-timeout DUR  SIGKILL deadline after the stop begins (default 5s)\n"
		"      --stop-delay DUR    wait this long before forwarding the stop signal (default 0)\n"
		"      --log-format FMT    text or json\n"
		"  -l                      print the license and exit\n"
		"  -h, --help              this help\n"
		"      --version           print the version in the form docker expects\n"
		"\n"
		"Environment: TMPINIT_CONFIG, TMPINIT_STOP_TIMEOUT, TMPINIT_STOP_SIGNAL, TMPINIT_STOP_DELAY,\n"
		"TMPINIT_REWRITE (FROM:TO,...), TMPINIT_LOG_FORMAT, TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP,\n"
		"TINI_VERBOSITY. Options win over the environment, which wins over the ini file.\n"
		"Exit: the app's code, 128+N when it died of signal N, 126 not executable, 127 not found,\n"
		"125 tmpinit failed (bad usage or config, setup refused).\n",
		TMPINIT_VERSION);
}

static const char license_text[] =
	"tmpinit is released under the MIT License.\n"
	"Copyright (c) 2026 the tmpinit authors.\n"
	"Permission is hereby granted, free of charge, to any person obtaining a copy of this software\n"
	"and associated documentation files, to deal in the software without restriction, subject to\n"
	"the conditions in the LICENSE file shipped with the source. THE SOFTWARE IS PROVIDED \"AS IS\",\n"
	"WITHOUT WARRANTY OF ANY KIND.\n";

static int parse_rewrite_list(const char *what, const char *list, struct cli_overrides *o)
{
	char buf[512], *save = NULL, *tok;

	if (strlen(list) >= sizeof(buf)) {
		log_error("%s: too long", what);
		return -EINVAL;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char *colon = strchr(tok, ':');
		int from, to;

		if (!colon) {
			log_error("%s: \"%s\": expected FROM:TO, e.g. TERM:QUIT or 15:3", what, tok);
			return -EINVAL;
		}
		*colon = '\0';
		from = util_parse_signal(tok);
		to = strcmp(colon + 1, "0") == 0 ? -1 : util_parse_signal(colon + 1);
		if (from <= 0 || from >= (int)ARRAY_SIZE(o->rewrite) || signals_not_forwarded(from) || to == -EINVAL) {
			log_error("%s: \"%s:%s\": expected FROM:TO with a forwardable signal FROM and a signal or 0 as TO",
				  what, tok, colon + 1);
			return -EINVAL;
		}
		o->rewrite[from] = to;
		o->rewrite_set[from] = true;
	}
	return 0;
}

/* Same ranges as the ini keys: the deadline from 1ms, the delay from 0, both up to 24h. */
static int parse_duration_opt(const char *what, const char *s, uint64_t *ms, bool zero_ok)
{
	if (util_parse_duration(s, ms) < 0 || *ms > CONFIG_MAX_DURATION_MS || (!zero_ok && *ms == 0)) {
		log_error("%s: \"%s\": expected a duration from %s to 24h, such as 500ms, 5s or 1m", what, s,
			  zero_ok ? "0" : "1ms");
		return -EINVAL;
	}
	return 0;
}

static int parse_signal_opt(const char *what, const char *s, int *sig)
{
	*sig = util_parse_signal(s);
	if (*sig <= 0) {
		log_error("%s: \"%s\": expected a signal name or number, e.g. TERM or 15", what, s);
		return -EINVAL;
	}
	return 0;
}

/* As the ini key: a signal that is never read or forwarded (CHLD, TTIN, the fault signals,
 * KILL, STOP) could never begin the stop, so refuse it instead of ignoring it silently. */
static int parse_stop_signal_opt(const char *what, const char *s, int *sig)
{
	if (parse_signal_opt(what, s, sig) < 0)
		return -EINVAL;
	if (signals_not_forwarded(*sig)) {
		log_error("%s: \"%s\": %s cannot start a stop (expected a signal tmpinit can receive and forward, e.g. TERM, QUIT, USR1)",
			  what, s, util_signal_name(*sig));
		return -EINVAL;
	}
	return 0;
}

static int parse_log_format(const char *what, const char *s, int *fmt)
{
	if (strcmp(s, "text") == 0)
		*fmt = LOGFMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*fmt = LOGFMT_JSON;
	else {
		log_error("%s: \"%s\": expected text or json", what, s);
		return -EINVAL;
	}
	return 0;
}

/* Environment first, then options on top. Returns 0, 1 (exit 0 now) or -EINVAL. */
static int parse_cli(int argc, char **argv, struct cli_overrides *o, int *first_arg)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "rewrite", required_argument, NULL, 'r' },
		{ "stop-signal", required_argument, NULL, OPT_STOP_SIGNAL },
		{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
		{ "stop-delay", required_argument, NULL, OPT_STOP_DELAY },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *env;
	int opt;

	memset(o, 0, sizeof(*o));
	o->verbosity = -1;
	o->log_format = -1;
	if ((env = getenv("TMPINIT_CONFIG")) && *env)
		o->config_path = env;
	if (getenv("TINI_SUBREAPER"))
		o->subreaper = true;
	if (getenv("TINI_KILL_PROCESS_GROUP"))
		o->group = true;
	if ((env = getenv("TINI_VERBOSITY")) && *env) {
		uint64_t v;

		if (util_parse_uint(env, 100, &v) < 0) {
			log_error("TINI_VERBOSITY: \"%s\": expected a number 0-100 (0 errors ... 4 trace; more is trace)", env);
			return -EINVAL;
		}
		o->verbosity = (int)v;
	}
	if ((env = getenv("TMPINIT_STOP_TIMEOUT")) && *env) {
		if (parse_duration_opt("TMPINIT_STOP_TIMEOUT", env, &o->stop_timeout_ms, false) < 0)
			return -EINVAL;
		o->stop_timeout_set = true;
	}
	if ((env = getenv("TMPINIT_STOP_DELAY")) && *env) {
		if (parse_duration_opt("TMPINIT_STOP_DELAY", env, &o->stop_delay_ms, true) < 0)
			return -EINVAL;
		o->stop_delay_set = true;
	}
	if ((env = getenv("TMPINIT_STOP_SIGNAL")) && *env && parse_stop_signal_opt("TMPINIT_STOP_SIGNAL", env, &o->stop_signal) < 0)
		return -EINVAL;
	if ((env = getenv("TMPINIT_REWRITE")) && *env && parse_rewrite_list("TMPINIT_REWRITE", env, o) < 0)
		return -EINVAL;
	if ((env = getenv("TMPINIT_LOG_FORMAT")) && *env && parse_log_format("TMPINIT_LOG_FORMAT", env, &o->log_format) < 0)
		return -EINVAL;

	/* "+": stop at the first non-option, so the app's own options are never ours. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+c:sgp:e:vwlhr:", longopts, NULL)) != -1) {
		uint64_t code;

		switch (opt) {
		case 'c':
			o->config_path = optarg;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case 's':
			o->subreaper = true;
			break;
		case 'g':
			o->group = true;
			break;
		case 'p':
			if (parse_signal_opt("-p", optarg, &o->pdeath_signal) < 0)
				return -EINVAL;
			break;
		case 'e':
			if (util_parse_uint(optarg, 255, &code) < 0) {
				log_error("-e: \"%s\": expected an exit code 0-255", optarg);
				return -EINVAL;
			}
			o->remap_exit[code] = true;
			break;
		case 'v':
			o->verbosity = (o->verbosity < 0 ? LVL_WARN : o->verbosity) + 1;
			break;
		case 'w':
			o->warn_on_reap = true;
			break;
		case 'l':
			fputs(license_text, stdout);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		case 'r':
			if (parse_rewrite_list("-r", optarg, o) < 0)
				return -EINVAL;
			break;
		case OPT_STOP_SIGNAL:
			if (parse_stop_signal_opt("--stop-signal", optarg, &o->stop_signal) < 0)
				return -EINVAL;
			break;
		case OPT_STOP_TIMEOUT:
			if (parse_duration_opt("--stop-timeout", optarg, &o->stop_timeout_ms, false) < 0)
				return -EINVAL;
			o->stop_timeout_set = true;
			break;
		case OPT_STOP_DELAY:
			if (parse_duration_opt("--stop-delay", optarg, &o->stop_delay_ms, true) < 0)
				return -EINVAL;
			o->stop_delay_set = true;
			break;
		case OPT_LOG_FORMAT:
			if (parse_log_format("--log-format", optarg, &o->log_format) < 0)
				return -EINVAL;
			break;
		case OPT_VERSION:
			printf("tini version %s_tmpinit - git.%s\n", TMPINIT_VERSION, TMPINIT_GIT);
			return 1;
		default:
			if (optopt)
				log_error("unknown option or missing argument: -%c (hint: tmpinit -h)", optopt);
			else
				log_error("unknown option: %s (hint: tmpinit -h)", argv[optind - 1]);
			return -EINVAL;
		}
	}
	*first_arg = optind;
	return 0;
}

static void apply_overrides(struct tmpinit_config *cfg, const struct cli_overrides *o)
{
	cfg->subreaper = o->subreaper;
	cfg->pdeath_signal = o->pdeath_signal;
	cfg->warn_on_reap = o->warn_on_reap;
	cfg->check_only = o->check;
	for (int i = 0; i < 256; i++)
		if (o->remap_exit[i])
			cfg->remap_exit[i] = true;
	if (o->group)
		cfg->signal_target = TARGET_GROUP;
	if (o->verbosity >= 0)
		cfg->verbosity = o->verbosity;
	if (o->log_format >= 0)
		cfg->log_format = (enum log_format)o->log_format;
	if (o->stop_signal > 0)
		cfg->stop_signal = o->stop_signal;
	if (o->stop_timeout_set)
		cfg->stop_timeout_ms = o->stop_timeout_ms;
	if (o->stop_delay_set)
		cfg->stop_delay_ms = o->stop_delay_ms;
	for (size_t i = 0; i < ARRAY_SIZE(o->rewrite); i++)
		if (o->rewrite_set[i])
			cfg->rewrite[i] = o->rewrite[i];
}

/* A parent may start us with fd 0, 1 or 2 closed. Then the next open() (the signalfd, the
 * exec status pipe, the config file, a file being shredded) would become "stderr", and log
 * lines would be written into it. Fill the gaps with /dev/null (or, in an image without
 * /dev, an O_PATH fd on which every read and write fails) before opening anything. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", O_RDWR | O_NOCTTY);
		if (nfd < 0)
			nfd = open("/", O_PATH | O_DIRECTORY);
		if (nfd < 0)
			return; /* nothing can be opened: the lowest free fds stay free */
		if (nfd != fd) { /* only when a lower fd was opened concurrently: impossible here */
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

static void plan_freep(struct privs_plan **plan)
{
	privs_plan_free(*plan);
}

int main(int argc, char **argv)
{
	static struct tmpinit_config cfg;
	struct cli_overrides cli;
	struct signals_state sig;
	/* cleanup: privs_prepare may hand back a half-built plan when it fails, and every
	 * early return below must release it (valgrind counted it as definitely lost). */
	struct privs_plan *plan __attribute__((cleanup(plan_freep))) = NULL;
	bool pid1 = getpid() == 1;
	unsigned shred_errors;
	int first_arg = 1, r, code;
	pid_t child;

	ensure_std_fds();
	/* Block and queue signals before anything else: a SIGTERM during setup is handled once
	 * the app runs, never lost and never fatal to PID 1. */
	if (signals_setup(&sig) < 0)
		return TMPINIT_EXIT_FAILURE;

	config_init(&cfg);
	r = parse_cli(argc, argv, &cli, &first_arg);
	if (r != 0)
		return r > 0 ? 0 : TMPINIT_EXIT_FAILURE;
	/* Early log settings so config errors come out in the requested format. */
	log_setup(cli.verbosity >= 0 ? cli.verbosity : LVL_WARN,
		  cli.log_format >= 0 ? (enum log_format)cli.log_format : LOGFMT_TEXT);

	r = config_load(&cfg, cli.config_path ? cli.config_path : TMPINIT_DEFAULT_CONFIG, cli.config_path != NULL);
	if (r < 0)
		return TMPINIT_EXIT_FAILURE;
	apply_overrides(&cfg, &cli);
	if (first_arg < argc) {
		cfg.argv = &argv[first_arg];
		cfg.argv_from_config = false;
	}
	log_setup(cfg.verbosity, cfg.log_format);
	if (config_validate(&cfg) < 0)
		return TMPINIT_EXIT_FAILURE;
	if (privs_prepare(&cfg, &plan) < 0)
		return TMPINIT_EXIT_FAILURE;
	if (cfg.check_only) {
		config_print_plan(&cfg);
		privs_print_plan(&cfg, plan);
		config_free(&cfg);
		return 0;
	}
	if (!cfg.argv || !cfg.argv[0]) {
		log_error("no command to run (hint: tmpinit [OPTIONS] -- COMMAND [ARG...], or [init] command in the config)");
		return TMPINIT_EXIT_FAILURE;
	}

	if (cfg.pdeath_signal && prctl(PR_SET_PDEATHSIG, (unsigned long)cfg.pdeath_signal) < 0)
		log_warn("set the parent-death signal %s: %s", util_signal_name(cfg.pdeath_signal), strerror(errno));
	/* Not PID 1 (shared PID namespace, an init under another init): orphans of the app must
	 * come to us to be reaped, so become a subreaper whatever -s says. */
	if (!pid1 || cfg.subreaper) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
			log_error("register as a child subreaper: %s", strerror(errno));
			return TMPINIT_EXIT_FAILURE;
		}
		if (!pid1)
			log_debug("not PID 1: running as a child subreaper");
	}

	if (tmpfs_check_root(&cfg) < 0 || tmpfs_setup_all(&cfg) < 0) {
		tmpfs_teardown_all(&cfg);
		return TMPINIT_EXIT_FAILURE;
	}

	child = child_spawn(&cfg, &sig, plan);
	if (child < 0) {
		tmpfs_teardown_all(&cfg);
		return TMPINIT_EXIT_FAILURE;
	}
	/* tmpinit itself: no cwd pinning a mount, no core or ptrace access to its memory. */
	if (chdir("/") < 0)
		log_warn("chdir to /: %s", strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		log_warn("make tmpinit non-dumpable: %s", strerror(errno));
	privs_shrink_self(plan);

	code = supervise_run(&cfg, sig.fd, child, pid1);

	shred_errors = tmpfs_teardown_all(&cfg);
	if (shred_errors)
		log_warn("shutdown: %u errors during the shred (the exit code stays the app's)", shred_errors);
	if (code >= 0 && code < 256 && cfg.remap_exit[code])
		code = 0;
	log_info("exit with code %d", code);
	return code;
}
