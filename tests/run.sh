#!/usr/bin/env bash
# Run every test: cmocka unit tests (TAP) and bats integration suites (TAP).
# Prints the TAP streams, then one closing line "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
failed_names=()
log=${TEST_LOG:-build/test-output.tap}
mkdir -p build
: >"$log"

count() { # reads TAP on stdin, echoes it, updates counters; sets plan and seen for the stream
	local line
	plan= seen=0 bad=0
	while IFS= read -r line; do
		printf '%s\n' "$line"
		printf '%s\n' "$line" >>"$log"
		case "$line" in
		"ok "*" # skip"* | "ok "*" # SKIP"*) skip=$((skip + 1)); seen=$((seen + 1)) ;;
		"ok "*) pass=$((pass + 1)); seen=$((seen + 1)) ;;
		"not ok "*) fail=$((fail + 1)); bad=$((bad + 1)); seen=$((seen + 1)); failed_names+=("$1: ${line#not ok }") ;;
		1..*) [ -n "$plan" ] || plan=${line#1..} ;;
		esac
	done
}

# After a stream: a runner that exited non-zero without reporting a failing test, or that
# reported fewer results than its plan (it crashed, or bats itself broke), is one failure
# more, so a crash can never just lower the passed count.
settle() { # NAME EXIT_STATUS
	local why=
	if [ -z "$plan" ]; then
		why="no TAP plan (exit status $2)"
	elif [ "$seen" -ne "${plan%% *}" ]; then
		why="$seen results for a plan of ${plan%% *} (exit status $2)"
	elif [ "$2" -ne 0 ] && [ "$bad" -eq 0 ]; then
		why="exit status $2 with no failing test"
	fi
	[ -z "$why" ] && return 0
	echo "not ok - $1: $why"
	fail=$((fail + 1))
	failed_names+=("$1: $why")
}

# SANITIZE=1: every ASan/UBSan/LSan report goes to a file under $san_dir, and any such file
# fails the run (a sanitizer finding inside a PID 1 test would otherwise only change an exit
# code that the test may not look at).
san_dir=
if [ "${SANITIZE:-0}" = 1 ]; then
	san_dir="$PWD/build/san/reports"
	rm -rf "$san_dir" && mkdir -p "$san_dir"
	export ASAN_OPTIONS="log_path=$san_dir/asan:detect_leaks=1:abort_on_error=0"
	export UBSAN_OPTIONS="log_path=$san_dir/ubsan:print_stacktrace=1:halt_on_error=1"
	export TMPINIT_SANITIZED=1
fi

for t in "${TEST_BUILD:-build}"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "# unit: $t"
	count "$t" < <(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
	wait $!
	settle "$t" $?
done

filter=${TESTS:-}
for b in tests/bats/*.bats; do
	[ -e "$b" ] || continue
	if [ -n "$filter" ] && [[ "$b" != *"$filter"* ]]; then continue; fi
	echo "# bats: $b"
	count "$b" < <(bats --tap "$b" 2>&1)
	wait $!
	settle "$b" $?
done

if [ -n "$san_dir" ]; then
	for r in "$san_dir"/*; do
		[ -e "$r" ] || continue
		echo "# sanitizer report $r:"
		sed 's/^/#   /' "$r"
		fail=$((fail + 1))
		failed_names+=("sanitizer report: $r")
	done
fi

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failed_names[@]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
