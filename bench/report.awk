# bench/report.awk - turn bench/run.sh's raw result lines into the report: machine header,
# one table per measure (medians and ratios tmpinit / peer), the issue's targets next to them.
# Every table row has the same number of "|" cells as its header (tests/bats/bench.bats checks).
# A figure that could not be measured is "n/a (reason)", never a number.

function fmt(x, d) { return sprintf("%." d "f", x) }
function ratio(a, b) { return (b > 0 && a != "") ? sprintf("%.2fx", a / b) : "n/a" }
function verdict(ok) { return ok ? "met" : "MISSED" }
function median(key,    n, i, j, t, v) {
	n = cnt[key]
	if (n == 0) return ""
	for (i = 1; i <= n; i++) v[i] = val[key, i]
	for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function rest(from,    s, i) { s = $from; for (i = from + 1; i <= NF; i++) s = s " " $i; return s }
function kib(x) { return fmt(x / 1024, 2) }

$1 == "meta" { meta[$2] = rest(3); next }
$1 == "param" { for (i = 2; i < NF; i += 2) p[$i] = $(i + 1); next }
$1 == "na" { na[$2, $3] = rest(4); next }
$1 == "note" { notes = notes "note: " rest(2) "\n"; next }
$1 == "start" { for (i = 3; i < NF; i += 2) st[$2, $i] = $(i + 1); next }
$1 == "mem" { for (i = 3; i < NF; i += 2) mem[$2, $i] = $(i + 1); next }
$1 == "reap" { for (i = 3; i < NF; i += 2) reap[$2, $i] = $(i + 1); next }
$1 == "signal" { for (i = 3; i < NF; i += 2) { k = "sig:" $2 ":" $i; cnt[k]++; val[k, cnt[k]] = $(i + 1) + 0 } next }
$1 == "run" { cnt[$2]++; val[$2, cnt[$2]] = $4 + 0; if ($6 != 0) failed[$2] = $6; next }
$1 == "count" { ins[$2] = $4; calls[$2] = $6; next }
$1 == "size" { size[$2] = $3; link[$2] = $4; next }

END {
	printf "# tmpinit bench: %s\n\n", meta["mode"]
	printf "date:    %s\nmachine: %s\nvirt:    %s; at the end: %s\ntmpinit: %s\npeers:   %s\n", meta["date"], meta["machine"], meta["virt"], meta["loadend"], meta["tmpinit"], meta["peers"]
	printf "Ratios are tmpinit / peer: below 1.00x tmpinit is faster or smaller. Medians unless said.\n"
	printf "Targets are the issue's; a missed target is reported here and never fails a build.\n"

	# ---- 1 ----
	printf "\n## 1. Start overhead: INIT -- /bin/true, %d runs per init, interleaved\n\n", p["start_n"]
	printf "PID 1: cloned into a new PID namespace (as in a container). child: posix_spawn, not PID 1.\n\n"
	printf "| init | PID 1 median us | PID 1 p90 us | init cost us | child median us | tmpinit/this PID 1 | tmpinit/this child |\n"
	printf "|---|---|---|---|---|---|---|\n"
	base = st["none", "pid1_median_us"]
	t = st["tmpinit", "pid1_median_us"]; tc = st["tmpinit", "child_median_us"]
	n = split("none tini-static tini dumb-init catatonit tmpinit tmpinit-privs tmpinit-full", rows, " ")
	for (i = 1; i <= n; i++) {
		r = rows[i]
		label = r == "none" ? "none (/bin/true alone)" : r == "tmpinit" ? "tmpinit, no config" : r == "tmpinit-full" ? "tmpinit, full config" : r == "tmpinit-privs" ? "tmpinit, caps + seccomp only" : r
		if (!((r, "pid1_median_us") in st)) {
			printf "| %s | n/a (%s) | n/a | n/a | n/a | n/a | n/a |\n", label, (("start", r) in na) ? na["start", r] : "not measured"
			continue
		}
		m = st[r, "pid1_median_us"]
		cost = r == "none" ? "0" : fmt(m - base, 1)
		rp = r ~ /^tmpinit/ ? "-" : ratio(t, m); rc = r ~ /^tmpinit/ ? "-" : ratio(tc, st[r, "child_median_us"])
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", label, fmt(m, 1), fmt(st[r, "pid1_p90_us"], 1), cost, fmt(st[r, "child_median_us"], 1), rp, rc
	}
	ts = st["tini-static", "pid1_median_us"]
	printf "\nCounted, not timed (independent of the machine's load): the init process alone, as a plain child.\n\n"
	printf "| init | user instructions (callgrind) | system calls (strace) | tmpinit/this instructions | tmpinit/this syscalls |\n"
	printf "|---|---|---|---|---|\n"
	for (i = 1; i <= n; i++) {
		r = rows[i]
		label = r == "none" ? "none (/bin/true alone)" : r == "tmpinit" ? "tmpinit, no config" : r == "tmpinit-full" ? "tmpinit, full config" : r == "tmpinit-privs" ? "tmpinit, caps + seccomp only" : r
		if (!(r in ins)) { printf "| %s | n/a (%s) | n/a | n/a | n/a |\n", label, (("start", r) in na) ? na["start", r] : "not measured"; continue }
		printf "| %s | %s | %s | %s | %s |\n", label, ins[r] == "n/a" ? "n/a (valgrind cannot run it: no seccomp(2) support)" : ins[r], calls[r], r ~ /^tmpinit/ || ins[r] == "n/a" ? "-" : ratio(ins["tmpinit"], ins[r]), r ~ /^tmpinit/ || calls[r] == "n/a" ? "-" : ratio(calls["tmpinit"], calls[r])
	}
	if (("tmpinit-privs", "pid1_median_us") in st)
		printf "\nthe privilege drop alone (full config without its 3 tmpfs paths): %s of tini-static\n", ratio(st["tmpinit-privs", "pid1_median_us"], st["tini-static", "pid1_median_us"])
	printf "\ntarget 1a: tmpinit (no config) <= 1.05x tini-static as PID 1: %s", ratio(t, ts)
	if (ts > 0 && t != "") printf " -- %s", verdict(t / ts <= 1.05)
	printf "\ntarget 1b: tmpinit (full config) <= 1.3x tini-static as PID 1: "
	if (("tmpinit-full", "pid1_median_us") in st) {
		f = st["tmpinit-full", "pid1_median_us"]
		printf "%s -- %s\n", ratio(f, ts), verdict(f / ts <= 1.3)
	} else
		printf "n/a (%s)\n", na["start", "tmpinit-full"]

	# ---- 2 ----
	printf "\n## 2. PID 1 memory: VmRSS / VmHWM of the init while its child waits; after reaping\n\n"
	printf "| init | idle VmRSS KiB | idle VmHWM KiB | VmRSS after %d reaped | VmHWM after %d reaped | growth KiB | tmpinit/this idle RSS |\n", p["reap_n"], p["reap_n"]
	printf "|---|---|---|---|---|---|---|\n"
	n = split("tini-static dumb-init catatonit tmpinit", rows, " ")
	tr = mem["tmpinit", "idle_rss_kb"]
	for (i = 1; i <= n; i++) {
		r = rows[i]
		printf "| %s | %d | %d | %d | %d | %+d | %s |\n", r, mem[r, "idle_rss_kb"], mem[r, "idle_hwm_kb"], mem[r, "rss1_kb"], mem[r, "hwm1_kb"],
			mem[r, "hwm1_kb"] - mem[r, "idle_hwm_kb"], r == "tmpinit" ? "-" : ratio(tr, mem[r, "idle_rss_kb"])
	}
	total = mem["tmpinit", "n2"]
	grow = mem["tmpinit", "hwm2_kb"] - mem["tmpinit", "hwm1_kb"]
	printf "| tmpinit after %d reaped | - | - | %d | %d | %+d | - |\n", total, mem["tmpinit", "rss2_kb"], mem["tmpinit", "hwm2_kb"], mem["tmpinit", "hwm2_kb"] - mem["tmpinit", "idle_hwm_kb"]
	printf "\ngrowth = VmHWM after reaping - idle VmHWM. The first reaps fault in pages of code and data once (no brk or mmap happens while reaping); target 2b is the growth from there on.\n"
	printf "\ntarget 2a: tmpinit VmRSS <= 1024 KiB: %d KiB -- %s\n", tr, verdict(tr <= 1024)
	printf "target 2b: no growth from %d to %d reaped children (VmHWM): %+d KiB -- %s\n", p["reap_n"], total, grow, verdict(grow <= 0)

	# ---- 3 ----
	printf "\n## 3. Reaping: %d orphans in batches of %d handed to PID 1 at once\n\n", p["reap_n"], p["batch"]
	printf "drain = from the batch's parent exiting (the zombies now belong to PID 1) until the last one is reaped.\n\n"
	printf "| init | drain total ms | largest zombie age ms | wall ms (incl. fork) | tmpinit/this drain |\n"
	printf "|---|---|---|---|---|\n"
	n = split("tini-static dumb-init catatonit tmpinit", rows, " ")
	td = reap["tmpinit", "drain_sum_ms"]
	for (i = 1; i <= n; i++) {
		r = rows[i]
		printf "| %s | %s | %s | %s | %s |\n", r, reap[r, "drain_sum_ms"], reap[r, "drain_max_ms"], reap[r, "wall_ms"], r == "tmpinit" ? "-" : ratio(td, reap[r, "drain_sum_ms"])
	}
	tds = reap["tini-static", "drain_sum_ms"]
	printf "\ntarget 3: tmpinit drain total <= 1.05x tini-static: %s -- %s\n", ratio(td, tds), verdict(tds > 0 && td / tds <= 1.05)

	# ---- 4 ----
	printf "\n## 4. Signal latency: SIGUSR1 sent to PID 1 from outside until the child has it, %d signals\n\n", p["sig_n"]
	printf "| init | median us | p90 us | p99 us | tmpinit/this median |\n"
	printf "|---|---|---|---|---|\n"
	n = split("none tini-static dumb-init catatonit tmpinit", rows, " ")
	tm = median("sig:tmpinit:median_us")
	for (i = 1; i <= n; i++) {
		r = rows[i]; m = median("sig:" r ":median_us")
		printf "| %s | %s | %s | %s | %s |\n", r == "none" ? "none (app is PID 1)" : r, fmt(m, 1), fmt(median("sig:" r ":p90_us"), 1), fmt(median("sig:" r ":p99_us"), 1), r == "tmpinit" ? "-" : ratio(tm, m)
	}
	printf "\nEach figure is the median over %d rounds (one run per init per round) of that round's statistic.\n", p["sig_rounds"]
	printf "(no target in the issue; shown so a regression is visible)\n"

	# ---- 5 ----
	printf "\n## 5. Stop with erase: time until the data on a tmpfs is gone\n\n"
	printf "(a) %s MiB in one file, %d runs; (b) %d files of %d KiB, %d runs; (c) %d-level directory tree, one %d KiB file per level, %d runs.\n",
		p["big"] / 1048576, p["reps_a"], p["files"], p["file_bytes"] / 1024, p["reps_b"], p["depth"], p["tree_file_bytes"] / 1024, p["reps_b"]
	printf "tmpinit: SIGTERM to PID 1 until it has exited (app stopped, tmpfs shredded). dd: one pass of zeros over the same bytes in one file (the floor).\n"
	printf "shred script: find DIR -type f -exec shred -n0 -z -u {} + (leaves the directories). rm -rf: no erase at all.\n\n"
	printf "| data, method | median ms | tmpinit/this |\n"
	printf "|---|---|---|\n"
	split("a b c", sc, " ")
	split("tmpinit dd shred rm", meth, " ")
	mname["tmpinit"] = "tmpinit stop"; mname["dd"] = "dd conv=notrunc (floor)"; mname["shred"] = "shred script"; mname["rm"] = "rm -rf"
	for (i = 1; i <= 3; i++) {
		tk = sc[i] ":tmpinit"; tv = median(tk)
		for (j = 1; j <= 4; j++) {
			k = sc[i] ":" meth[j]
			if (cnt[k] == 0) { printf "| (%s) %s | n/a (%s) | n/a |\n", sc[i], mname[meth[j]], (("stop", k) in na) ? na["stop", k] : "not measured"; continue }
			mv = median(k); med[k] = mv
			printf "| (%s) %s | %s%s | %s |\n", sc[i], mname[meth[j]], fmt(mv, 1), (k in failed) ? " (exit " failed[k] ")" : "", meth[j] == "tmpinit" ? "-" : (tv == "" ? "n/a" : ratio(tv, mv))
		}
	}
	printf "\n"
	if (cnt["a:tmpinit"] == 0) {
		reason = na["stop", "a:tmpinit"]
		printf "target 5a: tmpinit <= 1.2x the dd floor: n/a (%s)\n", reason
		printf "target 5b: tmpinit >= 3x faster than the shred script (ratio <= 0.33x): n/a (%s)\n", reason
		printf "target 5b: tmpinit <= 2x rm -rf: n/a (%s)\n", reason
	} else {
		printf "target 5a: tmpinit <= 1.2x the dd floor: %s -- %s\n", ratio(med["a:tmpinit"], med["a:dd"]), verdict(med["a:tmpinit"] <= 1.2 * med["a:dd"])
		printf "target 5b: tmpinit >= 3x faster than the shred script (ratio <= 0.33x): %s -- %s\n", ratio(med["b:tmpinit"], med["b:shred"]), verdict(3 * med["b:tmpinit"] <= med["b:shred"])
		printf "target 5b: tmpinit <= 2x rm -rf: %s -- %s\n", ratio(med["b:tmpinit"], med["b:rm"]), verdict(med["b:tmpinit"] <= 2 * med["b:rm"])
	}
	printf "%s", notes

	# ---- 6 ----
	printf "\n## 6. Size of the binary\n\n"
	printf "| binary | bytes | MiB | linked | tmpinit/this |\n"
	printf "|---|---|---|---|---|\n"
	n = split("tmpinit tmpinit-stripped tini-static catatonit tini dumb-init", rows, " ")
	for (i = 1; i <= n; i++) {
		r = rows[i]
		printf "| %s | %d | %s | %s | %s |\n", r == "tmpinit" ? "tmpinit (as built, with -g)" : r, size[r], fmt(size[r] / 1048576, 2), link[r], r ~ /^tmpinit/ ? "-" : ratio(size["tmpinit-stripped"], size[r])
	}
	printf "\ntarget 6: tmpinit <= 1.1 MiB: as built %s MiB -- %s; stripped %s MiB -- %s\n",
		fmt(size["tmpinit"] / 1048576, 2), verdict(size["tmpinit"] <= 1.1 * 1048576), fmt(size["tmpinit-stripped"] / 1048576, 2), verdict(size["tmpinit-stripped"] <= 1.1 * 1048576)
	printf "(dynamic binaries need their libc too; the fair comparison is with the static ones)\n"
}
