#!/usr/bin/env bats
# tests/run.sh, the counter behind make check's closing line: a runner that crashes, exits
# non-zero without a failing test, or prints no plan is counted as a failure, never as fewer
# passes.
load common

fake() { # NAME BODY: a fake unit test binary in $BATS_TEST_TMPDIR/b/tests
	mkdir -p "$BATS_TEST_TMPDIR/b/tests"
	printf '#!/bin/sh\n%s\n' "$2" >"$BATS_TEST_TMPDIR/b/tests/test_$1"
	chmod +x "$BATS_TEST_TMPDIR/b/tests/test_$1"
}

runner() {
	run env TESTS=no-bats-file-matches TEST_LOG="$BATS_TEST_TMPDIR/log.tap" TEST_BUILD="$BATS_TEST_TMPDIR/b" SANITIZE=0 "$ROOT/tests/run.sh"
	echo "$output"
}

@test "runner: a crash mid-plan, a bad exit with no failure and a missing plan each count as failed" {
	fake crash 'echo 1..3; echo ok 1 a; kill -SEGV $$'
	fake badexit 'echo 1..1; echo ok 1 a; exit 3'
	fake noplan 'echo ok 1 a'
	runner
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "3 passed, 3 failed, 0 skipped" ]
	[[ "$output" == *"test_crash: 1 results for a plan of 3 (exit status 139)"* ]]
	[[ "$output" == *"test_badexit: exit status 3 with no failing test"* ]]
	[[ "$output" == *"test_noplan: no TAP plan"* ]]
}

@test "runner: a clean stream with a skip and a failure is counted as it says (control)" {
	fake ok 'echo 1..3; echo ok 1 a; echo "ok 2 b # skip why"; echo "not ok 3 c"; exit 1'
	runner
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "1 passed, 1 failed, 1 skipped" ]
	fake ok 'echo 1..1; echo ok 1 a'
	runner
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "1 passed, 0 failed, 0 skipped" ]
}
