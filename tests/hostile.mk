# hostile.mk - included by the Makefile: the valgrind build and `make lint` (issue 7).

# valgrind cannot follow a static glibc binary well (no malloc replacement, no symbols for
# the libc it sees), so memcheck runs this dynamic, lightly optimised twin of ./tmpinit.
VG_CFLAGS := $(filter-out -O2 -O3 -Os,$(NATIVE_CFLAGS)) -O1 -fno-omit-frame-pointer
VG_OBJS := $(SRCS:src/%.c=build/vg/%.o)

build/vg/%.o: src/%.c $(wildcard src/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(VG_CFLAGS) -c -o $@ $<

tmpinit-valgrind: $(VG_OBJS)
	$(CC) $(VG_CFLAGS) -o $@ $(VG_OBJS) -Wl,-z,relro,-z,now $(LIBS)

# Lint: cppcheck and the clang static analyzer over the sources, the fuzz target and the
# test helpers. Any finding fails (warnings as errors).
LINT_CC ?= clang
CPPCHECK_FLAGS := --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
	--inline-suppr --quiet --template=gcc --suppress=missingIncludeSystem \
	-D_GNU_SOURCE -D__linux__ -D__x86_64__ -Isrc

lint:
	cppcheck $(CPPCHECK_FLAGS) src fuzz tests/helpers
	rm -rf build/lint build/scan-build
	scan-build --status-bugs -o build/scan-build --use-cc=$(LINT_CC) \
		$(MAKE) --no-print-directory -B B=build/lint objs helpers WERROR=1
