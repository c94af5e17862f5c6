# tmpinit - one GNU Makefile. `make` builds ./tmpinit, fully static.
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
PKG_CONFIG ?= pkg-config
WERROR ?= 0
SANITIZE ?= 0

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
ifeq ($(SANITIZE),1)
# sanitizers cannot link statically: the sanitized binary is dynamic
ALL_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=3,$(ALL_CFLAGS)) -fsanitize=address,undefined -fno-omit-frame-pointer -O1
LDFLAGS_BIN := -fsanitize=address,undefined -Wl,-z,relro,-z,now
endif

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=build/%.o)
LIB_OBJS := $(filter-out build/main.o,$(OBJS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=build/helpers/%)

.PHONY: all clean install uninstall check check-unit check-bats deps helpers demo bench fuzz lint

all: tmpinit

tmpinit: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LDFLAGS_BIN) $(LIBS)

build/%.o: src/%.c $(wildcard src/*.h) Makefile
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The version line docker parses; rewritten only when the commit changes, so main.o is rebuilt
# exactly then.
build/version.h: FORCE
	@mkdir -p build
	@printf '#define TMPINIT_VERSION "%s"\n#define TMPINIT_GIT "%s"\n' '$(VERSION)' '$(GIT_HASH)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

build/main.o: build/version.h
build/main.o: ALL_CFLAGS += -include build/version.h

FORCE:

build/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p build/tests
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(LIBS) -lcmocka $(if $(filter 1,$(SANITIZE)),-fsanitize=address$(,)undefined)

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

# Benchmark (bench/): static harness and app; `make bench` (QUICK=1: under a minute).
BENCH_BINS := build/bench/harness build/bench/app
build/bench/%: bench/%.c
	@mkdir -p build/bench
	$(CC) -std=gnu11 -O2 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -static -o $@ $<

bench: tmpinit $(BENCH_BINS)
	@QUICK=$(QUICK) bench/run.sh

check: tmpinit $(UNIT_BINS) $(HELPER_BINS) $(BENCH_BINS)
	@SANITIZE=$(SANITIZE) tests/run.sh

deps:
	@tests/deps.sh

# The seed scenario in a read-only container under tmpinit; installs what it needs.
demo:
	@demo/run.sh

install: tmpinit
	install -D -m 0755 tmpinit $(DESTDIR)$(SBINDIR)/tmpinit
	install -D -m 0644 man/tmpinit.8 $(DESTDIR)$(MANDIR)/man8/tmpinit.8
	install -D -m 0644 man/tmpinit.ini.5 $(DESTDIR)$(MANDIR)/man5/tmpinit.ini.5

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/tmpinit $(DESTDIR)$(MANDIR)/man8/tmpinit.8 $(DESTDIR)$(MANDIR)/man5/tmpinit.ini.5

clean:
	rm -rf build tmpinit

, := ,
