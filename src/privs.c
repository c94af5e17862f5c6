/* privs.c - THE ordered privilege drop (placeholder until the privileges issue lands). */
#include "privs.h"

#include <stdlib.h>
#include <string.h>

struct privs_plan {
	int unused;
};

int privs_config_key(struct privs_config *pc, const char *file, unsigned line, const char *section,
		     const char *key, const char *value)
{
	return -22;
}

bool privs_config_owns(const char *section)
{
	return strcmp(section, "user") == 0 || strcmp(section, "capabilities") == 0 ||
	       strcmp(section, "seccomp") == 0;
}

void privs_config_free(struct privs_config *pc)
{
}

int privs_prepare(const struct tmpinit_config *cfg, struct privs_plan **plan)
{
	*plan = calloc(1, sizeof(**plan));
	return *plan ? 0 : -12;
}

int privs_apply(const struct privs_plan *plan)
{
	return 0;
}

char *const *privs_env(const struct privs_plan *plan)
{
	return NULL;
}

void privs_shrink_self(const struct privs_plan *plan)
{
}

void privs_print_plan(const struct tmpinit_config *cfg, const struct privs_plan *plan)
{
}

void privs_plan_free(struct privs_plan *plan)
{
	free(plan);
}
