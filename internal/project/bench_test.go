package project

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// benchModules is the workspace size; ASYNCMIG_BENCH_MODULES overrides it.
func benchModules() int {
	if n, err := strconv.Atoi(os.Getenv("ASYNCMIG_BENCH_MODULES")); err == nil && n > 0 {
		return n
	}
	return 2000
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

func benchWorkspace(b *testing.B) string {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "asyncmig-bench-")
		if benchErr == nil {
			_, benchErr = benchgen.Generate(benchDir, benchModules(), 1)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

func pyFiles(b *testing.B, dir string) [][]byte {
	var out [][]byte
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && filepath.Ext(p) == ".py" {
			data, _ := os.ReadFile(p)
			out = append(out, data)
		}
		return nil
	})
	return out
}

// reportCPU adds cpu-ms/op (the process's user + system time): the bound
// is on wall time with every core busy, but on a shared machine CPU time
// says what the work costs when wall time also counts waiting.
func reportCPU(b *testing.B) func() {
	b.ResetTimer()
	start := benchgen.ProcessCPU()
	return func() {
		b.ReportMetric(float64((benchgen.ProcessCPU()-start).Microseconds())/float64(b.N)/1000, "cpu-ms/op")
	}
}

// BenchmarkParseOnly is the floor: read and parse every file with
// tree-sitter on all cores into the flat tree, nothing else.
func BenchmarkParseOnly(b *testing.B) {
	parseWorkspace(b, func() func([]byte) error {
		return func(src []byte) error {
			_, err := pysyntax.Parse(src)
			return err
		}
	})
}

// BenchmarkTreeSitterOnly is issue 3's baseline: the same files read and
// parsed by tree-sitter alone on all cores, each C tree freed at once —
// no flat tree, no model. BenchmarkIndex is measured against it.
func BenchmarkTreeSitterOnly(b *testing.B) {
	parseWorkspace(b, func() func([]byte) error {
		p := sitter.NewParser()
		p.SetLanguage(python.GetLanguage())
		return func(src []byte) error {
			t, err := p.ParseCtx(context.Background(), nil, src)
			if err == nil {
				t.Close()
			}
			return err
		}
	})
}

// parseWorkspace reads the bench workspace's files and hands them to one
// parse function per core (newParse makes each worker's own).
func parseWorkspace(b *testing.B, newParse func() func([]byte) error) {
	dir := benchWorkspace(b)
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		srcs := pyFiles(b, dir)
		work := make(chan []byte)
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				parse := newParse()
				for src := range work {
					if err := parse(src); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, s := range srcs {
			work <- s
		}
		close(work)
		wg.Wait()
	}
}

// BenchmarkIndex is the language server's start-up index of the same
// workspace (Index: discover, read, parse, model, workspace facts).
func BenchmarkIndex(b *testing.B) {
	dir := benchWorkspace(b)
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := Index(context.Background(), dir, IndexOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad is discovery, parsing, models and the workspace index.
func BenchmarkLoad(b *testing.B) {
	dir := benchWorkspace(b)
	for i := 0; i < b.N; i++ {
		if _, err := Load(context.Background(), dir, []string{dir}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is a whole cold `asyncmig check` minus output, with no
// rules (the pipeline), the single-file rules, and all rules: issue 4 asks
// that the cross-file rules cost at most 1.5× the single-file ones.
func BenchmarkCheck(b *testing.B) {
	singleFile := map[string]bool{"AM201": true, "AM304": true, "AM402": true, "AM501": true, "AM502": true}
	var single []*diagnostics.Rule
	for _, r := range rules.All {
		if singleFile[r.Code] {
			single = append(single, r)
		}
	}
	for _, c := range []struct {
		name  string
		rules []*diagnostics.Rule
	}{{"pipeline", nil}, {"single-file-rules", single}, {"all-rules", rules.All}} {
		b.Run(c.name, func(b *testing.B) {
			dir := benchWorkspace(b)
			for i := 0; i < b.N; i++ {
				p, err := Load(context.Background(), dir, []string{dir}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				p.Check(context.Background(), c.rules)
			}
		})
	}
}
