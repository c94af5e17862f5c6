/* fuzz_config.c - the fuzz target: arbitrary bytes as the ini file, through everything
 * `tmpinit --check` does (config_load, config_validate, privs_prepare, the printed plan).
 * Touches nothing but its own memfd; the same file links into libFuzzer (make fuzz) and
 * into the plain replay driver that make check runs over fuzz/regressions/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "privs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* static: the config holds 64 tmpfs specs, and one memfd serves every input */
	static struct tmpinit_config cfg;
	static int fd = -1;
	struct privs_plan *plan = NULL;
	char path[64];

	if (fd < 0) {
		fd = memfd_create("fuzz.ini", MFD_CLOEXEC);
		if (fd < 0) {
			perror("fuzz_config: memfd_create");
			abort();
		}
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
		perror("fuzz_config: write the input to the memfd");
		abort();
	}
	/* Opening /proc/self/fd/N of a memfd gives a fresh file description at offset 0,
	 * so config_load reads it exactly as it reads a named file. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	config_init(&cfg);
	if (config_load(&cfg, path, true) == 0 && config_validate(&cfg) == 0 &&
	    privs_prepare(&cfg, &plan) == 0) {
		config_print_plan(&cfg);
		privs_print_plan(&cfg, plan);
	}
	privs_plan_free(plan);
	config_free(&cfg);
	fflush(stdout);
	return 0;
}
