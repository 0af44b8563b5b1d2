package project

import (
	"context"
	"path/filepath"
	"runtime"
	"sync/atomic"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// IndexOptions tune Index.
type IndexOptions struct {
	Workers int // 0: all cores
	// Override is applied on top of the configuration (editor settings).
	Override map[string]any
	// Exclude leaves out more paths than the configuration does (the
	// language server's .gitignore); nil adds nothing.
	Exclude files.Excluder
	// Progress, if set, is called after each file with the number of files
	// done so far and the total, from the loading goroutines.
	Progress func(done, total int)
}

// IndexResult is what Index found besides the index itself.
type IndexResult struct {
	Workspace *workspace.Workspace
	Modules   int             // files indexed
	Skipped   []files.Skipped // files left out, with the reason
	// Problems are the configuration problems met, reported once.
	Problems []config.Problem
}

// Index builds the workspace index of every Python file under root, for a
// long-lived caller such as the language server: the same discovery, one
// parse per file in parallel and module models as Load, but the sources
// and trees are dropped as soon as each module is built, and a config file
// that does not parse leaves the defaults in force (its problem is in
// Problems) instead of failing the whole index. Cancelling ctx returns
// ctx's error and no index.
func Index(ctx context.Context, root string, opt IndexOptions) (IndexResult, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return IndexResult{}, err
	}
	p := &Project{Root: root, configs: config.NewCache(), Workers: opt.Workers}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	cfg, _, _ := p.configs.Discover(root) // a broken file yields the defaults and a problem
	if cfg == nil {
		cfg = config.Default()
	}
	if len(opt.Override) > 0 {
		cfg = cfg.Clone()
		cfg.Merge(opt.Override)
	}
	if cfg.Root == "" {
		cfg.Root = root
	}
	p.Workspace = workspace.New(root, EvalOptions(cfg), TwinsOf(cfg))
	var exclude files.Excluder = cfg
	if opt.Exclude != nil {
		exclude = anyExcluder{cfg, opt.Exclude}
	}
	found, skipped, err := files.Discover(root, []string{root}, exclude)
	if err != nil {
		return IndexResult{}, err
	}
	res := IndexResult{Workspace: p.Workspace, Skipped: skipped}
	p.Files = make([]*File, len(found))
	for i, path := range found {
		p.Files[i] = &File{Path: path}
	}
	var done atomic.Int64
	p.parallel(ctx, func(f *File) {
		if src, err := files.Read(f.Path); err != nil {
			f.Err = err
		} else {
			p.setSource(f, src)
			f.Src, f.Tree = nil, nil // the index keeps models only
		}
		if opt.Progress != nil {
			opt.Progress(int(done.Add(1)), len(p.Files))
		}
	})
	if err := ctx.Err(); err != nil {
		return IndexResult{}, err
	}
	for _, f := range p.Files {
		switch {
		case f.Module != nil:
			p.Workspace.Put(f.Module)
			res.Modules++
		case f.Err != nil:
			res.Skipped = append(res.Skipped, files.Skipped{Path: f.Path, Reason: f.Err.Error()})
		}
	}
	p.Workspace.Refresh()
	res.Problems = p.configs.Unreported()
	return res, nil
}

// anyExcluder excludes what any of its excluders does.
type anyExcluder []files.Excluder

func (a anyExcluder) Excluded(p string) bool {
	for _, e := range a {
		if e.Excluded(p) {
			return true
		}
	}
	return false
}

func (a anyExcluder) ExcludedDir(p string) bool {
	for _, e := range a {
		if e.ExcludedDir(p) {
			return true
		}
	}
	return false
}
