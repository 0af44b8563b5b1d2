package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/files"
)

// LoadPaths loads what a command line like `asyncmig check PATH...` covers.
// Each file belongs to the project of its nearest root marker (FindRoot), so
// `asyncmig check examples/` treats examples/gym, which has its own
// pyproject.toml, as a project with its own module paths rather than as
// the package `examples.gym`. Each such project is indexed whole, so
// checking one file still sees the modules it imports and the callers that
// pass it sessions; only the files under paths are checked and fixed (the
// rest are IndexOnly). Projects come back ordered by root.
func LoadPaths(ctx context.Context, paths []string, opt Options) ([]*Project, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	marked := map[string]markResult{}
	targets := map[string]map[string]bool{} // root → the files to report on
	for _, path := range paths {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		dir := abs
		if !info.IsDir() {
			dir = filepath.Dir(abs)
		}
		roots := rootFinder{marked: marked, fallback: unmarkedRoot(abs)}
		cfg, _, err := config.Discover(dir)
		if err != nil {
			return nil, err
		}
		if len(opt.Override) > 0 {
			cfg = cfg.Clone()
			cfg.Merge(opt.Override)
		}
		if cfg.Root == "" {
			cfg.Root = roots.of(dir)
		}
		found, _, err := files.Discover(roots.of(dir), []string{abs}, cfg)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			root := roots.of(filepath.Dir(f))
			if targets[root] == nil {
				targets[root] = map[string]bool{}
			}
			targets[root][f] = true
		}
	}
	ordered := make([]string, 0, len(targets))
	for root := range targets {
		ordered = append(ordered, root)
	}
	sort.Strings(ordered)
	var out []*Project
	for _, root := range ordered {
		// Files named explicitly are loaded even without a .py suffix, as a
		// single-root Load would.
		load := []string{root}
		for f := range targets[root] {
			load = append(load, f)
		}
		sort.Strings(load[1:])
		o := opt
		o.Targets = targets[root]
		o.SkipNested = true
		p, err := Load(ctx, root, load, o)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// rootFinder finds the project root of directories: the nearest root
// marker upwards (memoized in marked, which finders may share), else
// fallback (unmarkedRoot).
type rootFinder struct {
	marked   map[string]markResult
	fallback string
}

type markResult struct {
	root string
	ok   bool
}

func (r rootFinder) of(dir string) string {
	m, seen := r.marked[dir]
	if !seen {
		m.root, m.ok = markedRoot(dir)
		if r.marked != nil {
			r.marked[dir] = m
		}
	}
	if m.ok {
		return m.root
	}
	return r.fallback
}

// withoutNested drops the files whose own project root is not root; files
// with no root marker above them belong to root.
func withoutNested(root string, found []string) []string {
	roots := rootFinder{marked: map[string]markResult{}, fallback: root}
	out := found[:0:0]
	for _, f := range found {
		if roots.of(filepath.Dir(f)) == root {
			out = append(out, f)
		}
	}
	return out
}
