#!/usr/bin/env bats
# make bench QUICK=1 runs end to end and prints a well-formed report. No timing is judged
# here (only the issue's "under a minute" for QUICK): the figures are the bench's business,
# this keeps the bench working.
load common

setup_file() {
	# one bench run for the whole file; the tests read its report
	ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	export REPORT="$BATS_FILE_TMPDIR/results-quick.txt" BENCH_LOG="$BATS_FILE_TMPDIR/bench.log"
	[ "$(id -u)" -eq 0 ] || return 0
	for c in tini-static dumb-init catatonit unshare; do command -v "$c" >/dev/null || return 0; done
	[ -x "$ROOT/build/bench/harness" ] && [ -x "$ROOT/build/bench/app" ] || return 0
	local start=$SECONDS
	QUICK=1 BENCH_OUT="$REPORT" "$ROOT/bench/run.sh" >"$BENCH_LOG" 2>&1
	echo "status $? seconds $((SECONDS - start))" >"$BATS_FILE_TMPDIR/bench.status"
}

setup() {
	need_root
	for c in tini-static dumb-init catatonit unshare; do need_cmd "$c"; done
	[ -x "$ROOT/build/bench/harness" ] && [ -x "$ROOT/build/bench/app" ] || skip "bench binaries not built (make check builds them)"
}

@test "bench QUICK=1 exits 0 and writes its report and raw figures" {
	cat "$BENCH_LOG"
	read -r _ status _ seconds <"$BATS_FILE_TMPDIR/bench.status"
	# how long it took is printed, never asserted: no timing threshold in make check
	echo "bench QUICK=1 took ${seconds}s"
	[ "$status" -eq 0 ]
	[ -s "$REPORT" ]
	[ -s "${REPORT%.txt}-raw.txt" ]
}

@test "the report is well-formed: machine header, six sections, full tables, targets" {
	run awk -f "$ROOT/bench/check-report.awk" "$REPORT"
	echo "$output"
	[ "$status" -eq 0 ]
	# an n/a always carries its reason, except in the ratio column of a row that has none
	! grep -E 'n/a \(\)' "$REPORT"
	# every tmpinit row carries figures: an n/a there means a feature broke, not a quiet pass
	grep -q '^| tmpinit, no config | [0-9]' "$REPORT"
	grep -q '^| tmpinit, caps + seccomp only | [0-9]' "$REPORT"
	grep -q '^| tmpinit, full config | [0-9]' "$REPORT"
	for sc in a b c; do grep -q "^| ($sc) tmpinit stop | [0-9]" "$REPORT"; done
	[ "$(grep -c '^| tmpinit | [0-9]' "$REPORT")" -eq 3 ] # memory, reaping, signal latency
}

@test "the report checker rejects malformed reports (negative control)" {
	# a row with a cell missing
	awk '/^\| tini-static \|/ && !done { sub(/ \| [^|]*\|$/, " |"); done = 1 } { print }' "$REPORT" >"$BATS_TEST_TMPDIR/short.txt"
	run awk -f "$ROOT/bench/check-report.awk" "$BATS_TEST_TMPDIR/short.txt"
	[ "$status" -eq 1 ]
	# a figure that is not a number
	sed '0,/^| catatonit | [0-9.]*/s//| catatonit | nan/' "$REPORT" >"$BATS_TEST_TMPDIR/nan.txt"
	run awk -f "$ROOT/bench/check-report.awk" "$BATS_TEST_TMPDIR/nan.txt"
	[ "$status" -eq 1 ]
	# a section missing
	sed '/^## 4\./d' "$REPORT" >"$BATS_TEST_TMPDIR/nosec.txt"
	run awk -f "$ROOT/bench/check-report.awk" "$BATS_TEST_TMPDIR/nosec.txt"
	[ "$status" -eq 1 ]
}
