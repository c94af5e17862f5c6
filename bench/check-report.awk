# bench/check-report.awk - is a bench report well-formed? Used by tests/bats/bench.bats.
# Every "## N." section 1-6 is present; every table row has as many cells as its header;
# every cell after the first two in a row is a number (optionally with x, +/-, a unit word or
# "(exit N)"), "-", or "n/a" with or without a reason; each section states its targets.
# Prints the first problem and exits 1, or exits 0.
function bad(msg) { print "line " NR ": " msg ": " $0; failed = 1; exit 1 }
/^machine: ./ { machine = 1 }
/^## [1-6]\. / { sec[substr($2, 1, 1)] = 1; header = 0 }
/^target / { targets++ }
/^\|/ {
	n = split($0, c, "|")
	if (!header) { header = n; next }
	if ($0 ~ /^\|---/) { if (n != header) bad("separator width"); next }
	if (n != header) bad("row has " n - 2 " cells, header has " header - 2)
	for (i = 3; i < n; i++) {
		v = c[i]; gsub(/^ +| +$/, "", v)
		if (v == "" ) bad("empty cell")
		if (v ~ /nan|inf/) bad("not a number")
		if (v ~ /^n\/a( \(.+\))?$/ || v == "-") continue
		if (v !~ /^[+-]?[0-9]+(\.[0-9]+)?x?( \(exit [0-9]+\))?$/ && v !~ /^(static|dynamic)$/) bad("cell \"" v "\"")
	}
	rows++
	next
}
/^$/ { header = 0 }
END {
	if (failed) exit 1
	if (!machine) { print "no machine description"; exit 1 }
	for (i = 1; i <= 6; i++) if (!sec[i]) { print "section " i " missing"; exit 1 }
	if (rows < 25) { print "only " rows " table rows"; exit 1 }
	if (targets < 8) { print "only " targets " target lines"; exit 1 }
}
