#!/usr/bin/env bash
# Run every test: cmocka unit tests (TAP) and bats integration suites (TAP).
# Prints the TAP streams, then one closing line "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
failed_names=()
log=build/test-output.tap
mkdir -p build
: >"$log"

count() { # reads TAP on stdin, echoes it, updates counters
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		printf '%s\n' "$line" >>"$log"
		case "$line" in
		"ok "*" # skip"* | "ok "*" # SKIP"*) skip=$((skip + 1)) ;;
		"ok "*) pass=$((pass + 1)) ;;
		"not ok "*) fail=$((fail + 1)); failed_names+=("$1: ${line#not ok }") ;;
		esac
	done
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
done

filter=${TESTS:-}
for b in tests/bats/*.bats; do
	[ -e "$b" ] || continue
	if [ -n "$filter" ] && [[ "$b" != *"$filter"* ]]; then continue; fi
	echo "# bats: $b"
	count "$b" < <(bats --tap "$b" 2>&1)
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
