package project

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/asyncmig/asyncmig/internal/cache"
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
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
	// Cache locates the snapshot IndexFromCache reads (the CLI's `check`
	// writes it); Index itself neither reads nor writes it, so the language
	// server never writes outside the files a user asks it to fix.
	Cache *CacheOptions
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
	p, res, err := newIndexProject(root, opt)
	if err != nil {
		return IndexResult{}, err
	}
	defer collectLessWhileIndexing()()
	var done atomic.Int64
	// The index keeps models only, and a model holds no syntax node: each
	// tree's storage is reused for the next file.
	scratches := sync.Pool{New: func() any { return new(pysyntax.Scratch) }}
	p.parallel(ctx, func(f *File) {
		if src, err := files.Read(f.Path); err != nil {
			f.Err = err
		} else {
			s := scratches.Get().(*pysyntax.Scratch)
			p.setSourceParsed(f, src, s.Parse)
			scratches.Put(s)
			f.Src, f.Tree = nil, nil
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

// newIndexProject sets up what Index and IndexFromCache share: the root's
// configuration (a broken file yields the defaults and a problem), the
// empty workspace and the discovered files.
func newIndexProject(root string, opt IndexOptions) (*Project, IndexResult, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, IndexResult{}, err
	}
	p := &Project{Root: root, configs: config.NewCache(), Workers: opt.Workers, cacheOpts: opt.Cache}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	cfg, _, _ := p.configs.Discover(root)
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
	p.Config = cfg
	p.Workspace = newWorkspace(root, cfg)
	var exclude files.Excluder = cfg
	if opt.Exclude != nil {
		exclude = anyExcluder{cfg, opt.Exclude}
	}
	found, skipped, err := files.Discover(root, []string{root}, exclude)
	if err != nil {
		return nil, IndexResult{}, err
	}
	p.Files = make([]*File, len(found))
	for i, path := range found {
		p.Files[i] = &File{Path: path, Config: cfg}
	}
	return p, IndexResult{Workspace: p.Workspace, Skipped: skipped}, nil
}

// IndexFromCache returns, without parsing anything, a workspace in lazy
// mode built from the snapshot an earlier run left — when every file is
// still the one the snapshot describes. Opening a large project is then
// instant: modules are parsed when analysis first needs them. The caller
// should still run Index in the background and swap it in, since a lazy
// workspace loads everything at its first Refresh.
func IndexFromCache(ctx context.Context, root string, opt IndexOptions) (IndexResult, bool) {
	if opt.Cache == nil {
		return IndexResult{}, false
	}
	p, res, err := newIndexProject(root, opt)
	if err != nil {
		return IndexResult{}, false
	}
	p.parallel(ctx, func(f *File) {
		src, err := files.Read(f.Path)
		if err != nil {
			f.Err = err
			return
		}
		f.Src, f.hash = src, cache.HashOf(src)
	})
	if ctx.Err() != nil {
		return IndexResult{}, false
	}
	snap, err := cache.Load(p.cacheDir(), p.cacheKey())
	if err != nil || len(snap.Files) != len(p.Files) {
		return IndexResult{}, false
	}
	for _, f := range p.Files {
		if e := snap.Files[f.Path]; e == nil || f.Err != nil || e.Hash != f.hash {
			return IndexResult{}, false
		}
	}
	p.lazyWorkspace(snap)
	res.Modules = len(p.Files)
	res.Problems = p.configs.Unreported()
	return res, true
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
