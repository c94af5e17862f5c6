#!/usr/bin/env bats
# Replays every fuzz regression (fuzz/regressions/, written by `make fuzz`) and every seed
# through build/san/fuzz_replay: the fuzz target built with gcc's ASan and UBSan.
load common

@test "fuzz: regressions and seeds replay with no sanitizer finding" {
	local replay="${FUZZ_REPLAY:-$ROOT/build/san/fuzz_replay}"
	[ -x "$replay" ] || skip "build it first: make build/san/fuzz_replay"
	run "$replay" "$ROOT/fuzz/regressions" "$ROOT/fuzz/seeds" "$ROOT/etc"
	echo "$output" | tail -n 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"replayed "* ]]
	[[ "$output" != *"replayed 0 inputs"* ]]
	[[ "$output" != *"ERROR: AddressSanitizer"* ]]
	[[ "$output" != *"runtime error:"* ]]
}
