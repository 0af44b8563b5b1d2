package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// tableCmd prints the targets against the records of one run.
func tableCmd(args []string) error {
	if len(args) != 1 {
		return errors.New("table needs the records file")
	}
	recs, order, err := readRecords(args[0])
	if err != nil {
		return err
	}
	t := &table{recs: recs}
	t.targets()
	fmt.Println()
	t.scaling()
	fmt.Println()
	t.micro(order)
	return nil
}

func readRecords(path string) (map[string]map[string]float64, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs := map[string]map[string]float64{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		if _, seen := recs[r.Name]; !seen {
			order = append(order, r.Name)
		}
		recs[r.Name] = r.Metrics
	}
	return recs, order, sc.Err()
}

type table struct {
	recs map[string]map[string]float64
}

// get returns a metric and whether it was measured.
func (t *table) get(name, metric string) (float64, bool) {
	m, ok := t.recs[name]
	if !ok {
		return 0, false
	}
	v, ok := m[metric]
	return v, ok
}

func row(cells ...string) { fmt.Println("| " + strings.Join(cells, " | ") + " |") }

// verdict says whether v meets the bound (at most, or at least).
func verdict(v, bound float64, atMost bool) string {
	switch {
	case atMost && v <= bound, !atMost && v >= bound:
		return "✅ holds"
	case atMost:
		return fmt.Sprintf("❌ misses (%.1f× the bound)", v/bound)
	default:
		return fmt.Sprintf("❌ misses (%.0f%% of the bound)", 100*v/bound)
	}
}

const notMeasured = "not measured"

func (t *table) targets() {
	fmt.Println("### Targets (medians of this run; baselines measured in the same run)")
	fmt.Println()
	row("target", "measured", "same-run baseline", "bound", "verdict")
	row("---", "---", "---", "---", "---")

	rp := "replay"
	if med, ok := t.get(rp, "MedianMS"); ok {
		cpu, _ := t.get(rp, "CPUMedianMS")
		floor := "—"
		if ns, ok := t.get("document.BenchmarkTypingSession", "ns/op"); ok {
			floor = fmt.Sprintf("the same keystrokes' incremental reparse alone: %.2f ms mean", ns/1e6)
		}
		row("1. keystroke → diagnostics, median (5,000-line file, 2,000 modules indexed, 50 open)",
			fmt.Sprintf("%.1f ms wall, %.1f ms server CPU", med, cpu), floor, "< 5 ms", verdict(med, 5, true))
		p99, _ := t.get(rp, "P99MS")
		cpu99, _ := t.get(rp, "CPUP99MS")
		row("1. keystroke → diagnostics, p99", fmt.Sprintf("%.1f ms wall, %.1f ms server CPU", p99, cpu99), "—", "< 20 ms", verdict(p99, 20, true))
	} else {
		row("1. keystroke → diagnostics", notMeasured, "", "< 5 ms median, < 20 ms p99", "")
	}

	check, okc := t.get("check/m2000", "wall-ms")
	parse, okp := t.get("parse/m2000", "wall-ms")
	if okc && okp {
		row("2. cold `asyncmig check`, 2,000 modules, all cores", fmt.Sprintf("%.2f s", check/1000),
			fmt.Sprintf("parse only %.2f s", parse/1000), "≤ 1.3× parse", fmt.Sprintf("%.2f× — %s", check/parse, verdict(check/parse, 1.3, true)))
	} else {
		row("2. cold `asyncmig check` vs parse only", notMeasured, "", "≤ 1.3×", "")
	}
	check1, ok1 := t.get("check1/m2000", "wall-ms")
	parse1, okp1 := t.get("parse1/m2000", "wall-ms")
	if okc && ok1 {
		base := "—"
		if okp && okp1 {
			base = fmt.Sprintf("parse only %.2f×", parse1/parse)
		}
		row("2. `check` on 2 cores vs 1 core", fmt.Sprintf("%.2f× (%.2f s → %.2f s)", check1/check, check1/1000, check/1000), base, "≥ 1.7×", verdict(check1/check, 1.7, false))
	}

	// Target 3: the persistent cache, against the cold run of the same
	// workspace measured above.
	for _, w := range []struct {
		name, label, bound string
		max                float64
	}{
		{"warm/m2000", "3. warm `check`, nothing changed, 2,000 modules", "≤ 10% of cold", 0.10},
		{"warmedit/m2000", "3. warm `check` after editing one module (a comment line)", "≤ 15% of cold", 0.15},
	} {
		if v, ok := t.get(w.name, "wall-ms"); ok && okc {
			row(w.label, fmt.Sprintf("%.2f s", v/1000), fmt.Sprintf("cold `check --no-cache` %.2f s", check/1000), w.bound,
				fmt.Sprintf("%.1f%% — %s", 100*v/check, verdict(v/check, w.max, true)))
		}
	}

	sizes := t.sizes()
	if len(sizes) >= 2 {
		lo, hi := sizes[0], sizes[len(sizes)-1]
		perLo := t.perModule("check", lo, "wall-ms")
		perHi := t.perModule("check", hi, "wall-ms")
		row(fmt.Sprintf("4. time per module, %d → %d modules", lo, hi), fmt.Sprintf("%.2f → %.2f ms (%.2f×)", perLo, perHi, perHi/perLo),
			"linear: 1×", "≤ 1.25×", verdict(perHi/perLo, 1.25, true))
		mLo := t.perModule("check", lo, "maxrss-mb")
		mHi := t.perModule("check", hi, "maxrss-mb")
		row(fmt.Sprintf("4. memory per module, %d → %d modules", lo, hi), fmt.Sprintf("%.0f → %.0f KB (%.2f×)", mLo*1024, mHi*1024, mHi/mLo),
			"linear: ≤ 1× (fixed costs amortise)", "≤ 1.25×", verdict(mHi/mLo, 1.25, true))
	}

	if opened, ok := t.get(rp, "RSSOpenedMB"); ok {
		files, _ := t.get(rp, "OpenFiles")
		indexed, _ := t.get(rp, "RSSIndexedMB")
		row(fmt.Sprintf("5. server RSS, 2,000 modules indexed, %.0f files open", files), fmt.Sprintf("%.0f MB", opened),
			fmt.Sprintf("indexed, nothing open: %.0f MB", indexed), "< 300 MB", verdict(opened, 300, true))
	}
	if edits, ok := t.get(rp, "SoakEdits"); ok && edits > 0 {
		first, _ := t.get(rp, "SoakRSSMBFirst")
		last, _ := t.get(rp, "SoakRSSMBLast")
		hs, _ := t.get(rp, "HeapSessionMB")
		hk, _ := t.get(rp, "HeapSoakMB")
		gs, _ := t.get(rp, "GoroutinesSession")
		gk, _ := t.get(rp, "GoroutinesSoak")
		growth := last / first
		row(fmt.Sprintf("5. no growth over %.0f edits to one open file", edits),
			fmt.Sprintf("RSS %.0f → %.0f MB; live heap %.0f → %.0f MB; goroutines %.0f → %.0f", first, last, hs, hk, gs, gk),
			"RSS at the first tenth of the soak; heap and goroutines after the session", "live heap ≤ 1.05× and goroutines equal (after GC); RSS ≤ 1.10× (sampled between GCs)", verdictGrowth(growth, hk/hs, gk <= gs))
		if same, ok := t.get(rp, "TextMatches"); ok && same == 0 {
			row("server's copy of the document", "❌ differs from the editor's", "", "identical", "❌")
		}
	}
	if py, ok := t.get("pyright/m2000", "wall-ms"); ok && okc {
		row("peer: pyright on the same 2,000 modules", fmt.Sprintf("%.2f s", py/1000), fmt.Sprintf("asyncmig check %.2f s", check/1000), "—", "information")
	}
}

func verdictGrowth(rss, heap float64, goroutines bool) string {
	if rss <= 1.10 && heap <= 1.05 && goroutines {
		return "✅ holds"
	}
	return fmt.Sprintf("❌ RSS %.2f×, heap %.2f×, goroutines stable: %v", rss, heap, goroutines)
}

// sizes lists the workspace sizes measured (records check/mN).
func (t *table) sizes() []int {
	var out []int
	for name := range t.recs {
		if rest, ok := strings.CutPrefix(name, "check/m"); ok {
			if n, err := strconv.Atoi(rest); err == nil {
				out = append(out, n)
			}
		}
	}
	sort.Ints(out)
	return out
}

func (t *table) perModule(prefix string, n int, metric string) float64 {
	v, _ := t.get(fmt.Sprintf("%s/m%d", prefix, n), metric)
	return v / float64(n)
}

func (t *table) scaling() {
	fmt.Println("### Scaling (cold `asyncmig check --no-cache`, all cores)")
	fmt.Println()
	row("modules", "parse only", "check", "check ÷ parse", "check per module", "check max RSS", "RSS per module")
	row("---:", "---:", "---:", "---:", "---:", "---:", "---:")
	for _, n := range t.sizes() {
		check, _ := t.get(fmt.Sprintf("check/m%d", n), "wall-ms")
		parse, _ := t.get(fmt.Sprintf("parse/m%d", n), "wall-ms")
		rss, _ := t.get(fmt.Sprintf("check/m%d", n), "maxrss-mb")
		row(strconv.Itoa(n), fmt.Sprintf("%.2f s", parse/1000), fmt.Sprintf("%.2f s", check/1000), fmt.Sprintf("%.2f×", check/parse),
			fmt.Sprintf("%.2f ms", check/float64(n)), fmt.Sprintf("%.0f MB", rss), fmt.Sprintf("%.0f KB", rss*1024/float64(n)))
	}
}

// micro lists the go test benchmarks, medians of their -count runs.
func (t *table) micro(order []string) {
	fmt.Println("### Benchmarks (`go test -bench`, medians)")
	fmt.Println()
	row("benchmark", "time/op", "other metrics")
	row("---", "---:", "---")
	for _, name := range order {
		m := t.recs[name]
		ns, ok := m["ns/op"]
		if !ok {
			continue
		}
		var extra []string
		var units []string
		for unit := range m {
			if unit != "ns/op" {
				units = append(units, unit)
			}
		}
		sort.Strings(units)
		for _, unit := range units {
			extra = append(extra, fmt.Sprintf("%s %s", strconv.FormatFloat(m[unit], 'g', 4, 64), unit))
		}
		row(name, formatNs(ns), strings.Join(extra, ", "))
	}
}

func formatNs(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
