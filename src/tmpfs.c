/* tmpfs.c - root policy and tmpfs scratch paths (placeholder until the config issue lands). */
#include "tmpfs.h"

int tmpfs_check_root(const struct tmpinit_config *cfg)
{
	return 0;
}

int tmpfs_setup_all(struct tmpinit_config *cfg)
{
	return 0;
}

unsigned tmpfs_teardown_all(struct tmpinit_config *cfg)
{
	return 0;
}
