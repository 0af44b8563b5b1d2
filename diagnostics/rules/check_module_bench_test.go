package rules

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/replay"
)

var (
	checkBenchOnce sync.Once
	checkBenchProj *project.Project
	checkBenchErr  error
)

// checkBenchProject loads the generated workspace of ASYNCMIG_BENCH_MODULES
// modules (2,000 by default, replay.Workspace): parsed, modelled and indexed
// once.
func checkBenchProject(b *testing.B) *project.Project {
	checkBenchOnce.Do(func() {
		n := 2000
		if v, err := strconv.Atoi(os.Getenv("ASYNCMIG_BENCH_MODULES")); err == nil && v > 0 {
			n = v
		}
		dir, err := replay.Workspace(n)
		if err != nil {
			checkBenchErr = err
			return
		}
		checkBenchProj, checkBenchErr = project.Load(context.Background(), dir, []string{dir}, project.Options{})
	})
	if checkBenchErr != nil {
		b.Fatal(checkBenchErr)
	}
	return checkBenchProj
}

// BenchmarkCheckModule is the full rule set on one module of an indexed
// workspace, module after module (one op = one module, on one core): the
// per-file share of `asyncmig check` once parsing and indexing are done.
func BenchmarkCheckModule(b *testing.B) {
	p := checkBenchProject(b)
	var bytes int64
	for _, f := range p.Files {
		bytes += int64(len(f.Src))
	}
	b.SetBytes(bytes / int64(len(p.Files)))
	b.ReportAllocs()
	b.ResetTimer()
	diags := 0
	for i := 0; i < b.N; i++ {
		diags += len(p.CheckFile(context.Background(), p.Files[i%len(p.Files)], All).Diagnostics)
	}
	b.ReportMetric(float64(diags)/float64(b.N), "diagnostics/module")
}

// BenchmarkCheckBigModule is each rule alone, then all of them, on the
// 5,000-line module the typing session edits, with a fresh evaluator per
// op as after each keystroke: where a keystroke's rule time goes.
func BenchmarkCheckBigModule(b *testing.B) {
	p := checkBenchProject(b)
	var big *project.File
	for _, f := range p.Files {
		if strings.HasSuffix(filepath.ToSlash(f.Path), replay.BigModulePath) {
			big = f
		}
	}
	if big == nil {
		b.Fatal("no big module in the workspace")
	}
	cases := [][]*diagnostics.Rule{nil}
	for _, r := range All {
		cases = append(cases, []*diagnostics.Rule{r})
	}
	cases = append(cases, All)
	for _, rs := range cases {
		name := "none"
		if len(rs) == 1 {
			name = rs[0].Code
		} else if len(rs) > 1 {
			name = "all"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p.CheckFile(context.Background(), big, rs)
			}
		})
	}
}
