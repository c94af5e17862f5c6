/* shred.c - overwrite + remove everything on one tmpfs (placeholder). */
#include "shred.h"

#include <errno.h>
#include <string.h>

int shred_tree(const struct tmpfs_spec *spec, struct shred_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	return -ENOSYS;
}
