// Package project runs asyncmig over a set of files the way the CLI and the
// rule tests need it: discover, parse each file once (in parallel), build
// the module models and the workspace index, then check every file against
// the whole project. It also drives project-wide fixing, pass by pass.
package project

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/cache"
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// File is one source file of the project.
type File struct {
	Path   string // absolute
	Src    []byte
	Tree   *pysyntax.Tree // nil when it could not be parsed
	Module *pymodel.Module
	Config *config.Config
	Err    error // why it is not analysed
	// IndexOnly files feed the workspace index (so cross-file rules see
	// the whole project) but are neither checked nor fixed.
	IndexOnly bool
	hash      cache.Hash
}

// Project is a loaded set of files and their workspace index.
type Project struct {
	Root      string
	Config    *config.Config // the root's configuration
	Workspace *workspace.Workspace
	Files     []*File
	Skipped   []files.Skipped
	Problems  []config.Problem
	configs   *config.Cache
	Workers   int
	// warm holds what the cache answered: results of files that need no
	// re-check (nil on a cold run).
	warm      *warmState
	cacheOpts *CacheOptions
	snap      *cache.Snapshot // the snapshot a warm run started from
}

// newWorkspace is the empty index of the project at root, knowing what
// the root's .gitignore ignores (imports of ignored paths may name
// generated code).
func newWorkspace(root string, cfg *config.Config) *workspace.Workspace {
	w := workspace.New(root, EvalOptions(cfg), TwinsOf(cfg))
	configRoot := cfg.Root
	if configRoot == "" {
		configRoot = root
	}
	w.AddSourceRoots(workspace.SourceRoots(root, configRoot, cfg.Src))
	if g := files.LoadGitignore(root); g != nil {
		w.SetIgnored(g.Ignores)
	}
	return w
}

// FindRoot returns the project root for a path: the nearest directory
// upwards holding pyproject.toml, asyncmig.toml, setup.cfg or .git, else
// the directory itself.
func FindRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	dir := dirOf(abs)
	if root, ok := markedRoot(dir); ok {
		return root
	}
	return dir
}

// dirOf is path itself, or its directory when it names a file.
func dirOf(path string) string {
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		return filepath.Dir(path)
	}
	return path
}

// markedRoot is the nearest directory from dir upwards holding a root
// marker; false when there is none up to the filesystem root.
func markedRoot(dir string) (string, bool) {
	for d := dir; ; {
		for _, marker := range []string{"pyproject.toml", config.AsyncmigTOML, "setup.cfg", ".git"} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				return d, true
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}

// unmarkedRoot is the root of files with no root marker above them (code
// copied without .git or pyproject.toml, as in a container image): the
// working directory when the path lies inside it, as Ruff does, else the
// path itself (its directory, for a file). Never each file's folder:
// `app/redis.py` would be the top-level module `redis`, and `import
// redis.asyncio` in it would name the workspace's code instead of the
// library. The filesystem root and the home directory are never a
// project: from there, the path decides.
func unmarkedRoot(abs string) string {
	dir := dirOf(abs)
	wd, err := os.Getwd()
	if err != nil || filepath.Dir(wd) == wd {
		return aboveInitPackages(dir)
	}
	if home, err := os.UserHomeDir(); err == nil && filepath.Clean(home) == wd {
		return aboveInitPackages(dir)
	}
	if rel, err := filepath.Rel(wd, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return aboveInitPackages(wd)
	}
	return aboveInitPackages(dir)
}

// aboveInitPackages climbs out of regular packages (folders with
// __init__.py), as mypy and pyright do: `app/` with an `__init__.py` is
// the package `app`, whose root is the folder holding it.
func aboveInitPackages(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "__init__.py")); err != nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// Options tune a load.
type Options struct {
	Workers int // 0: all cores
	// Override is applied on top of every file's configuration (CLI flags).
	Override map[string]any
	// Targets, when not nil, are the files (absolute paths) to check and
	// fix; the other discovered files are loaded IndexOnly.
	Targets map[string]bool
	// SkipNested leaves out files that belong to a project nested under
	// the root (see FindRoot): they have their own module paths.
	SkipNested bool
	// Cache, when set, lets Load reuse a previous run's results (see
	// cached.go); Check then returns cached diagnostics where still valid.
	Cache *CacheOptions
}

// Load discovers and parses the files under paths (a project root found
// from the first path when root is "").
func Load(ctx context.Context, root string, paths []string, opt Options) (*Project, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if root == "" {
		abs, _ := filepath.Abs(paths[0])
		root = rootFinder{fallback: unmarkedRoot(abs)}.of(dirOf(abs))
	}
	root, _ = filepath.Abs(root)
	p := &Project{Root: root, configs: config.NewCache(), Workers: opt.Workers}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	cfg, err := p.configFor(root, opt.Override)
	if err != nil {
		return nil, err
	}
	p.Config = cfg
	p.Workspace = newWorkspace(root, cfg)
	found, skipped, err := files.Discover(root, paths, cfg)
	if err != nil {
		return nil, err
	}
	p.Skipped = skipped
	if opt.SkipNested {
		found = withoutNested(root, found)
	}
	p.Files = make([]*File, len(found))
	for i, path := range found {
		p.Files[i] = &File{Path: path, IndexOnly: opt.Targets != nil && !opt.Targets[path]}
	}
	p.cacheOpts = opt.Cache
	p.parallel(ctx, func(f *File) {
		f.Config, _ = p.configFor(filepath.Dir(f.Path), opt.Override)
		src, err := files.Read(f.Path)
		if err != nil {
			f.Err = err
			return
		}
		f.Src = src
		if opt.Cache != nil {
			f.hash = cache.HashOf(src)
		}
	})
	p.Problems = p.configs.Unreported()
	if opt.Cache != nil && p.tryWarm(ctx) {
		return p, nil
	}
	p.parallel(ctx, func(f *File) {
		if f.Err == nil && f.Src != nil {
			p.setSource(f, f.Src)
		}
	})
	for _, f := range p.Files {
		if f.Module != nil {
			p.Workspace.Put(f.Module)
		}
	}
	p.Workspace.Refresh()
	return p, nil
}

// setSource parses src and builds the file's module model.
func (p *Project) setSource(f *File, src []byte) {
	p.setSourceParsed(f, src, pysyntax.Parse)
}

// setSourceParsed is setSource with its parser: the index parses into
// storage it reuses for the next file.
func (p *Project) setSourceParsed(f *File, src []byte, parse func([]byte) (*pysyntax.Tree, error)) {
	f.Src = src
	tree, err := parse(src)
	if err != nil {
		f.Err, f.Tree, f.Module = err, nil, nil
		return
	}
	f.Err = nil
	f.Tree = tree
	name, isPkg := p.Workspace.ModuleName(f.Path)
	f.Module = pymodel.Build(tree, name, f.Path, isPkg)
}

func (p *Project) configFor(dir string, override map[string]any) (*config.Config, error) {
	cfg, _, err := p.configs.Discover(dir)
	if err != nil {
		return nil, err
	}
	if len(override) > 0 {
		cfg = cfg.Clone()
		cfg.Merge(override)
	}
	if cfg.Root == "" {
		cfg.Root = p.Root
	}
	return cfg, nil
}

// EvalOptions turns configuration into evaluator options.
func EvalOptions(cfg *config.Config) pymodel.Options {
	return pymodel.Options{
		AsyncSessionDependencies: cfg.AsyncSessionDependencies,
		SyncSessionDependencies:  cfg.SyncSessionDependencies,
		RedisFactories:           cfg.RedisFactories,
	}
}

// TwinsOf turns configuration into twin patterns.
func TwinsOf(cfg *config.Config) workspace.Twins {
	return workspace.Twins{Module: cfg.TwinPatterns.Module, Class: cfg.TwinPatterns.Class, Name: cfg.TwinPatterns.Name}
}

func (p *Project) parallel(ctx context.Context, fn func(*File)) {
	work := make(chan *File)
	var wg sync.WaitGroup
	for i := 0; i < p.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				fn(f)
			}
		}()
	}
	for _, f := range p.Files {
		if ctx.Err() != nil {
			break
		}
		work <- f
	}
	close(work)
	wg.Wait()
}

// Rel returns path relative to the root of cfg.
func Rel(cfg *config.Config, path string) string {
	if cfg == nil || cfg.Root == "" {
		return ""
	}
	rel, err := filepath.Rel(cfg.Root, path)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(rel)
}

// CheckFile runs the rules on one file of the project.
func (p *Project) CheckFile(ctx context.Context, f *File, rules []*diagnostics.Rule) diagnostics.Result {
	if f.Tree == nil || f.Module == nil {
		return diagnostics.Result{}
	}
	file := pymodel.NewFile(f.Tree, f.Module, p.Workspace.Evaluator())
	return diagnostics.Run(ctx, diagnostics.Input{File: file, Workspace: p.Workspace, Config: f.Config, RelPath: Rel(f.Config, f.Path)}, rules)
}

// Check runs the rules on every file but the IndexOnly ones, in parallel.
func (p *Project) Check(ctx context.Context, rules []*diagnostics.Rule) map[*File]diagnostics.Result {
	out := make(map[*File]diagnostics.Result, len(p.Files))
	var mu sync.Mutex
	p.parallel(ctx, func(f *File) {
		if r, ok := p.warm.result(f); ok {
			mu.Lock()
			out[f] = r
			mu.Unlock()
			return
		}
		if f.IndexOnly {
			return
		}
		r := p.CheckFile(ctx, f, rules)
		mu.Lock()
		out[f] = r
		mu.Unlock()
	})
	return out
}

// FixResult reports a project-wide fix run.
type FixResult struct {
	Changed map[*File][]byte // new content per changed file (not written)
	Applied int
	Refused int
	Passes  int
	// Files has, for every file some fix touched or refused, its original
	// text and counts, so the CLI can report and write per file.
	Files map[*File]*FileFix
	// Converged is false when the pass cap stopped a run that still had
	// fixes to apply (a rule whose fixes keep producing new fixes).
	Converged bool
}

// FileFix is what a fix run did to one file.
type FileFix struct {
	Original []byte
	Applied  int // fixes applied over all passes
	// Refused counts fixes left out because applying them would have added
	// a syntax error.
	Refused int
}

// Fix applies the fixes choose picks, project-wide and pass by pass: each
// pass checks every file, applies a non-overlapping set of fixes per file,
// re-parses the changed files, refreshes the index and goes again, until
// nothing changes or the pass cap is reached. A file whose new text would
// parse worse than the old keeps its old text for that fix.
func (p *Project) Fix(ctx context.Context, rules []*diagnostics.Rule, choose func(*diagnostics.Diagnostic) *diagnostics.Fix) FixResult {
	return p.FixFiles(ctx, rules, func(_ *File, d *diagnostics.Diagnostic) *diagnostics.Fix { return choose(d) })
}

// FixFiles is Fix with a choice that also sees the file, so a caller can
// leave whole files alone (for example those that do not parse).
func (p *Project) FixFiles(ctx context.Context, rules []*diagnostics.Rule, choose func(*File, *diagnostics.Diagnostic) *diagnostics.Fix) FixResult {
	res := FixResult{Changed: map[*File][]byte{}, Files: map[*File]*FileFix{}}
	stats := func(f *File) *FileFix {
		st := res.Files[f]
		if st == nil {
			st = &FileFix{Original: f.Src}
			res.Files[f] = st
		}
		return st
	}
	for res.Passes < maxFixPasses {
		results := p.Check(ctx, rules)
		changedThisPass := false
		paths := make([]*File, 0, len(results))
		for f := range results {
			paths = append(paths, f)
		}
		sort.Slice(paths, func(i, j int) bool { return paths[i].Path < paths[j].Path })
		for _, f := range paths {
			var fixes []*diagnostics.Fix
			diags := results[f].Diagnostics
			for i := range diags {
				if fx := choose(f, &diags[i]); fx != nil && len(fx.Edits) > 0 {
					fixes = append(fixes, fx)
				}
			}
			if len(fixes) == 0 {
				continue
			}
			next, applied, refused := applyPass(f.Src, fixes)
			res.Refused += refused
			if refused > 0 {
				stats(f).Refused += refused
			}
			if next == nil || string(next) == string(f.Src) {
				continue
			}
			stats(f).Applied += applied
			res.Applied += applied
			p.setSource(f, next)
			if f.Module != nil {
				p.Workspace.Put(f.Module)
			}
			changedThisPass = true
		}
		res.Passes++
		if !changedThisPass {
			res.Converged = true
			break
		}
		p.Workspace.Refresh()
	}
	for f, st := range res.Files {
		if string(st.Original) != string(f.Src) {
			res.Changed[f] = f.Src
		}
	}
	return res
}

const maxFixPasses = 10
