/* config.c - ini -> struct tmpinit_config, validated with FILE:LINE; no side effects.
 * (placeholder until the config issue lands: accepts only "no config file") */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "privs.h"

void config_init(struct tmpinit_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->verbosity = LVL_WARN;
	cfg->stop_signal = SIGTERM;
	cfg->stop_timeout_ms = TMPINIT_DEFAULT_STOP_TIMEOUT_MS;
	cfg->read_only = ROOT_IGNORE;
	cfg->privs.no_new_privs = -1;
	cfg->privs.seccomp_errno = EPERM;
}

int config_load(struct tmpinit_config *cfg, const char *path, bool explicit_path)
{
	if (access(path, F_OK) != 0 && !explicit_path)
		return 0;
	log_error("%s: config files are not supported yet", path);
	return -EINVAL;
}

int config_validate(struct tmpinit_config *cfg)
{
	return 0;
}

void config_print_plan(const struct tmpinit_config *cfg)
{
}

void config_free(struct tmpinit_config *cfg)
{
	privs_config_free(&cfg->privs);
}
