# tmpinit - one GNU Makefile. `make` builds ./tmpinit, fully static.
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
PKG_CONFIG ?= pkg-config
WERROR ?= 0
SANITIZE ?= 0
INSTALL_STRIP ?= -s # the shipped binary carries no debug info (INSTALL_STRIP= keeps it)

VERSION := 0.1.0
GIT_HASH := $(shell git rev-parse --short=7 HEAD 2>/dev/null || echo 0000000)

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wformat-security -Wpointer-arith -Wcast-qual \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wnull-dereference -Wundef \
	-Wno-unused-parameter
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=3 -fPIE -fstack-clash-protection -fcf-protection
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) \
	$(shell $(PKG_CONFIG) --cflags libcap libseccomp inih 2>/dev/null)
ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif
LIBS := $(shell $(PKG_CONFIG) --static --libs libcap libseccomp inih 2>/dev/null || echo -lcap -lseccomp -linih)
LDFLAGS_BIN := -static -Wl,-z,relro,-z,now,-z,noexecstack
# Sanitizers cannot link statically: the ASan/UBSan build is dynamic, and lives apart
# (build/san/, binary build/san/tmpinit) so it never mixes with the shipped static objects.
# UBSan aborts on the first finding; tests/run.sh fails the run on any sanitizer report.
NATIVE_CFLAGS := $(ALL_CFLAGS)
SAN_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=3,$(ALL_CFLAGS)) -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
SAN_LDFLAGS := -fsanitize=address,undefined -Wl,-z,relro,-z,now
ifeq ($(SANITIZE),1)
B := build/san
BIN := build/san/tmpinit
ALL_CFLAGS := $(SAN_CFLAGS)
LDFLAGS_BIN := $(SAN_LDFLAGS)
else
B := build
BIN := tmpinit
endif

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(B)/%.o)
LIB_OBJS := $(filter-out $(B)/main.o,$(OBJS))
SAN_LIB_OBJS := $(filter-out build/san/main.o,$(SRCS:src/%.c=build/san/%.o))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=build/helpers/%)

.PHONY: all clean install uninstall check check-unit check-bats deps helpers demo bench fuzz lint stress objs

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LDFLAGS_BIN) $(LIBS)

objs: $(OBJS)

$(B)/%.o: src/%.c $(wildcard src/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Always sanitized whatever SANITIZE says (the fuzz regression replay links these).
build/san/%.o: src/%.c $(wildcard src/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c -o $@ $<

# The version line docker parses; rewritten only when the commit changes, so main.o is rebuilt
# exactly then.
build/version.h: FORCE
	@mkdir -p build
	@printf '#define TMPINIT_VERSION "%s"\n#define TMPINIT_GIT "%s"\n' '$(VERSION)' '$(GIT_HASH)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(B)/main.o build/san/main.o build/vg/main.o: build/version.h
$(B)/main.o: ALL_CFLAGS += -include build/version.h
build/san/main.o: SAN_CFLAGS += -include build/version.h
build/vg/main.o: VG_CFLAGS += -include build/version.h

FORCE:

$(B)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(LIBS) -lcmocka $(if $(filter 1,$(SANITIZE)),$(SAN_LDFLAGS))

# Test helpers are static so they run inside minimal root filesystems (busybox only).
build/helpers/%: tests/helpers/%.c
	@mkdir -p build/helpers
	$(CC) -std=gnu11 -O2 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -static -o $@ $< -lpthread

# The seccomp probe also as i386 and x32 programs, when the toolchain has those runtimes
# (gcc-multilib, libc6-dev-i386, libc6-dev-x32); tests/bats/privs.bats skips with the reason.
MULTILIB_OK = $(shell printf 'int main(void){return 0;}' | $(CC) $(1) -static -x c -o /dev/null - 2>/dev/null && echo yes)
HELPER_BINS += $(if $(call MULTILIB_OK,-m32),build/helpers/privprobe-m32) \
	$(if $(call MULTILIB_OK,-mx32),build/helpers/privprobe-mx32)
build/helpers/%-m32: tests/helpers/%.c
	@mkdir -p build/helpers
	$(CC) -m32 -std=gnu11 -O2 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -static -o $@ $< -lpthread
build/helpers/%-mx32: tests/helpers/%.c
	@mkdir -p build/helpers
	$(CC) -mx32 -std=gnu11 -O2 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -static -o $@ $< -lpthread

helpers: $(HELPER_BINS)

# Fuzzing and fuzz regression replay; lint, valgrind build (issue 7). Optional: an image
# build (Dockerfile.example) copies only the Makefile and src/.
-include fuzz/fuzz.mk
-include tests/hostile.mk

# Benchmark (bench/): static harness and app; `make bench` (QUICK=1: under a minute).
BENCH_BINS := build/bench/harness build/bench/app
build/bench/%: bench/%.c
	@mkdir -p build/bench
	$(CC) -std=gnu11 -O2 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -static -o $@ $<

bench: tmpinit $(BENCH_BINS)
	@QUICK=$(QUICK) bench/run.sh

check: $(BIN) $(UNIT_BINS) $(HELPER_BINS) $(BENCH_BINS) $(FUZZ_REPLAY) tmpinit-valgrind
	@SANITIZE=$(SANITIZE) TEST_BUILD=$(B) TMPINIT_BIN=$(abspath $(BIN)) FUZZ_REPLAY=$(abspath $(FUZZ_REPLAY)) tests/run.sh

# The long forms of tests/bats/stress.bats (make check runs the short ones).
stress: $(BIN) $(HELPER_BINS)
	@STRESS=full TESTS=stress TEST_BUILD=$(B) TMPINIT_BIN=$(abspath $(BIN)) tests/run.sh

deps:
	@tests/deps.sh

# The seed scenario in a read-only container under tmpinit; installs what it needs.
demo:
	@demo/run.sh

install: tmpinit
	install -D -m 0755 $(INSTALL_STRIP) tmpinit $(DESTDIR)$(SBINDIR)/tmpinit
	install -D -m 0644 man/tmpinit.8 $(DESTDIR)$(MANDIR)/man8/tmpinit.8
	install -D -m 0644 man/tmpinit.ini.5 $(DESTDIR)$(MANDIR)/man5/tmpinit.ini.5

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/tmpinit $(DESTDIR)$(MANDIR)/man8/tmpinit.8 $(DESTDIR)$(MANDIR)/man5/tmpinit.ini.5

clean:
	rm -rf build tmpinit tmpinit-valgrind

, := ,
