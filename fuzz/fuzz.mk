# fuzz.mk - included by the Makefile. `make fuzz SECONDS=N` runs libFuzzer (clang) over the
# config parser; crashes land in fuzz/regressions/, which make check replays with a
# gcc ASan/UBSan build of the same target (build/san/fuzz_replay), no libFuzzer needed.
FUZZ_CC ?= clang
SECONDS ?= 60
FUZZ_OBJS := $(filter-out build/fuzz/main.o,$(SRCS:src/%.c=build/fuzz/%.o))
FUZZ_REPLAY := build/san/fuzz_replay
FUZZ_SEEDS := fuzz/seeds $(wildcard etc tests/configs)

build/fuzz/%.o: src/%.c $(wildcard src/*.h) Makefile
	@mkdir -p $(@D)
	$(FUZZ_CC) $(SAN_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_config: fuzz/fuzz_config.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(SAN_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $^ $(LIBS)

$(FUZZ_REPLAY): fuzz/replay.c fuzz/fuzz_config.c $(SAN_LIB_OBJS)
	$(CC) $(SAN_CFLAGS) -Isrc -o $@ fuzz/replay.c fuzz/fuzz_config.c $(SAN_LIB_OBJS) $(LIBS) $(SAN_LDFLAGS)

# -close_fd_mask=3: the parser's error lines and the printed plan would drown the
# fuzzer's own status lines (its crash reports still come out).
fuzz: build/fuzz/fuzz_config
	@mkdir -p build/fuzz/corpus fuzz/regressions
	build/fuzz/fuzz_config -max_total_time=$(SECONDS) -timeout=10 -max_len=8192 \
		-close_fd_mask=3 -dict=fuzz/ini.dict -artifact_prefix=fuzz/regressions/ \
		build/fuzz/corpus $(FUZZ_SEEDS)
