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
	-DTMPINIT_VERSION='"$(VERSION)"' -DTMPINIT_GIT='"$(GIT_HASH)"' \
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

$(B)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(LIBS) -lcmocka $(if $(filter 1,$(SANITIZE)),$(SAN_LDFLAGS))

# Test helpers are static so they run inside minimal root filesystems (busybox only).
build/helpers/%: tests/helpers/%.c
	@mkdir -p build/helpers
	$(CC) -std=gnu11 -O2 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -static -o $@ $< -lpthread

helpers: $(HELPER_BINS)

# Fuzzing and fuzz regression replay; lint, valgrind build (issue 7).
include fuzz/fuzz.mk
include tests/hostile.mk

check: $(BIN) $(UNIT_BINS) $(HELPER_BINS) $(FUZZ_REPLAY) tmpinit-valgrind
	@SANITIZE=$(SANITIZE) TEST_BUILD=$(B) TMPINIT_BIN=$(abspath $(BIN)) FUZZ_REPLAY=$(abspath $(FUZZ_REPLAY)) tests/run.sh

# The long forms of tests/bats/stress.bats (make check runs the short ones).
stress: $(BIN) $(HELPER_BINS)
	@STRESS=full TESTS=stress TEST_BUILD=$(B) TMPINIT_BIN=$(abspath $(BIN)) tests/run.sh

deps:
	@tests/deps.sh

install: tmpinit
	install -D -m 0755 tmpinit $(DESTDIR)$(SBINDIR)/tmpinit
	install -D -m 0644 man/tmpinit.8 $(DESTDIR)$(MANDIR)/man8/tmpinit.8
	install -D -m 0644 man/tmpinit.ini.5 $(DESTDIR)$(MANDIR)/man5/tmpinit.ini.5

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/tmpinit $(DESTDIR)$(MANDIR)/man8/tmpinit.8 $(DESTDIR)$(MANDIR)/man5/tmpinit.ini.5

clean:
	rm -rf build tmpinit tmpinit-valgrind

, := ,
