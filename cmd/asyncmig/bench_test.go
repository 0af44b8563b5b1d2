package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
)

// The CLI end to end (load, check with every registered rule, render) on a
// generated workspace; ASYNCMIG_BENCH_MODULES sets its size (default 500).
// CheckOneFile shows what indexing the whole project costs when a single
// file is asked for (pre-commit, editors' "lint on save" tasks).

var (
	cliBenchOnce sync.Once
	cliBenchDir  string
	cliBenchErr  error
)

func cliBenchWorkspace(b *testing.B) string {
	cliBenchOnce.Do(func() {
		n := 500
		if v, err := strconv.Atoi(os.Getenv("ASYNCMIG_BENCH_MODULES")); err == nil && v > 0 {
			n = v
		}
		cliBenchDir, cliBenchErr = os.MkdirTemp("", "asyncmig-cli-bench-")
		if cliBenchErr == nil {
			_, cliBenchErr = benchgen.Generate(cliBenchDir, n, 1)
		}
	})
	if cliBenchErr != nil {
		b.Fatal(cliBenchErr)
	}
	return cliBenchDir
}

func benchCLI(b *testing.B, args ...string) {
	for b.Loop() {
		if code := run(args, io.Discard, io.Discard); code == exitError {
			b.Fatalf("%v: exit %d", args, code)
		}
	}
}

func BenchmarkCheckProjectJSON(b *testing.B) {
	benchCLI(b, "check", "--output-format", "json", cliBenchWorkspace(b))
}

func BenchmarkCheckProjectFull(b *testing.B) {
	benchCLI(b, "check", cliBenchWorkspace(b))
}

func BenchmarkCheckOneFile(b *testing.B) {
	dir := cliBenchWorkspace(b)
	var one string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if one == "" && err == nil && filepath.Ext(p) == ".py" && filepath.Base(p) != "__init__.py" {
			one = p
		}
		return err
	})
	benchCLI(b, "check", one)
}

func BenchmarkFixDiffProject(b *testing.B) {
	benchCLI(b, "fix", "--diff", "--unsafe-fixes", cliBenchWorkspace(b))
}
