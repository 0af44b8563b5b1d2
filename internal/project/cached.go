package project

import (
	"context"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/cache"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// A warm run uses the previous run's snapshot in one of two ways:
//
//   - nothing changed (same files, same contents): every result comes from
//     the cache and no file is parsed;
//   - some files changed but none in a way other modules can see
//     (pymodel.ShapeHash of the old and new text agree): the workspace
//     starts in lazy mode from the cached facts, the changed files update
//     their contributions, and only they and the files whose diagnostics
//     point into them are checked again; other modules are parsed only
//     when that checking needs them.
//
// Anything else (files added or removed, a visible change, another
// configuration, build or rule set) is a cold run, which then refreshes
// the cache. The key covers everything a result depends on besides the
// files themselves.

// CacheOptions locate and key the cache.
type CacheOptions struct {
	Dir string // "" → <root>/.asyncmig_cache
	// Build identifies the binary (cache.BuildID) and Rules the rule set
	// and its selection; both are part of the key.
	Build string
	Rules string
	// Report receives a line saying how the cache was used, for -v.
	Report func(string)
}

type warmState struct {
	results map[*File]diagnostics.Result
	// unchanged: nothing to write back, the snapshot is current.
	unchanged bool
}

func (w *warmState) result(f *File) (diagnostics.Result, bool) {
	if w == nil {
		return diagnostics.Result{}, false
	}
	r, ok := w.results[f]
	return r, ok
}

func (p *Project) cacheDir() string {
	if p.cacheOpts.Dir != "" {
		return p.cacheOpts.Dir
	}
	return filepath.Join(p.Root, cache.DirName)
}

// cacheKey covers the build, the rules, the root, every distinct
// configuration in use (file configurations plus command-line overrides)
// the declared dependencies and the root's .gitignore (which decide what
// AM404 judges).
func (p *Project) cacheKey() string {
	hashes := map[string]bool{}
	for _, f := range p.Files {
		if f.Config != nil {
			hashes[f.Config.Hash()] = true
		}
	}
	list := make([]string, 0, len(hashes))
	for h := range hashes {
		list = append(list, h)
	}
	sort.Strings(list)
	gitignore, _ := files.Read(filepath.Join(p.Root, ".gitignore"))
	deps := cache.HashOf(append(workspace.DependencyInputs(p.Root), gitignore...))
	return strings.Join([]string{p.cacheOpts.Build, p.cacheOpts.Rules, p.Root, p.Config.Hash(), strings.Join(list, ","), string(deps[:])}, "\x00")
}

func (p *Project) report(msg string) {
	if p.cacheOpts != nil && p.cacheOpts.Report != nil {
		p.cacheOpts.Report(msg)
	}
}

// tryWarm answers from the cache when it can; false means a cold run.
func (p *Project) tryWarm(ctx context.Context) bool {
	snap, err := cache.Load(p.cacheDir(), p.cacheKey())
	if err != nil {
		p.report("cache: " + err.Error())
		return false
	}
	if len(snap.Files) != len(p.Files) {
		p.report("cache: the set of files changed")
		return false
	}
	var dirty []*File
	results := map[*File]diagnostics.Result{}
	var unchecked []*File
	for _, f := range p.Files {
		e := snap.Files[f.Path]
		if e == nil || f.Err != nil {
			p.report("cache: the set of files changed")
			return false
		}
		if e.Hash != f.hash {
			dirty = append(dirty, f)
			continue
		}
		if f.IndexOnly {
			continue
		}
		if !e.Checked {
			unchecked = append(unchecked, f)
			continue
		}
		results[f] = diagnostics.Result{Diagnostics: e.Diagnostics}
	}
	if len(dirty) == 0 && len(unchecked) == 0 {
		p.warm = &warmState{results: results, unchanged: true}
		p.lazyWorkspace(snap)
		p.snap = snap
		p.report("cache: every file unchanged")
		return true
	}
	// Did any change show to other modules?
	newMods := map[*File]*pymodel.Module{}
	for _, f := range dirty {
		name, isPkg := p.Workspace.ModuleName(f.Path)
		oldSrc, ok := snap.Source(f.Path)
		if !ok {
			p.report("cache: the sources file does not match the snapshot")
			return false
		}
		oldTree, err1 := pysyntax.Parse(oldSrc)
		p.setSource(f, f.Src)
		if err1 != nil || f.Module == nil {
			p.report("cache: " + f.Path + " does not parse")
			return false
		}
		old := pymodel.Build(oldTree, name, f.Path, isPkg)
		if pymodel.ShapeHash(old) != pymodel.ShapeHash(f.Module) {
			p.report("cache: " + f.Path + " changed in a way other modules see")
			return false
		}
		newMods[f] = f.Module
	}
	p.lazyWorkspace(snap)
	for _, f := range dirty {
		p.Workspace.Put(newMods[f])
	}
	for _, f := range dirty {
		p.Workspace.Recontribute(newMods[f])
	}
	// Re-check the changed files, the files whose diagnostics point into
	// them, and targets that were only indexed last time.
	changed := map[string]bool{}
	for _, f := range dirty {
		changed[f.Path] = true
	}
	affected := map[*File]bool{}
	for _, f := range dirty {
		affected[f] = true
	}
	for _, f := range unchecked {
		affected[f] = true
	}
	for _, f := range p.Files {
		for _, rel := range snap.Files[f.Path].RelatedInto {
			if changed[rel] {
				affected[f] = true
			}
		}
	}
	for f := range affected {
		delete(results, f)
		if f.Module == nil {
			p.setSource(f, f.Src)
			if f.Module != nil {
				p.Workspace.Put(f.Module)
			}
		}
	}
	p.warm = &warmState{results: results}
	p.snap = snap
	p.report("cache: re-checking " + strconv.Itoa(len(affected)) + " of " + strconv.Itoa(len(p.Files)) + " files")
	return true
}

// lazyWorkspace puts the workspace in lazy mode over the project's files.
func (p *Project) lazyWorkspace(snap *cache.Snapshot) {
	names := map[string]string{}
	byPath := map[string]*File{}
	for _, f := range p.Files {
		if name, _ := p.Workspace.ModuleName(f.Path); name != "" {
			names[name] = f.Path
		}
		byPath[f.Path] = f
	}
	p.Workspace.SetLazy(names, func(path string) *pymodel.Module {
		f := byPath[path]
		if f == nil || f.Src == nil {
			return nil
		}
		tree, err := pysyntax.Parse(f.Src)
		if err != nil {
			return nil
		}
		name, isPkg := p.Workspace.ModuleName(path)
		return pymodel.Build(tree, name, path, isPkg)
	}, snap.Facts)
}

// SaveCache stores this run's results for the next one. results are the
// checked files' (as returned by Check). Errors are reported, not fatal:
// a read-only checkout simply runs cold every time.
func (p *Project) SaveCache(results map[*File]diagnostics.Result) {
	if p.cacheOpts == nil || p.warm != nil && p.warm.unchanged {
		return
	}
	for _, r := range results {
		if len(r.Errors) > 0 {
			return // a rule failed: do not remember a partial answer
		}
	}
	snap := &cache.Snapshot{Key: p.cacheKey(), Files: map[string]*cache.Entry{}, Facts: p.Workspace.Facts()}
	for _, f := range p.Files {
		if f.Err != nil || f.Src == nil {
			return // unreadable files make the set unknowable next time
		}
		e := &cache.Entry{Hash: f.hash, Source: f.Src}
		if r, ok := results[f]; ok {
			e.Checked = true
			e.Diagnostics = r.Diagnostics
			seen := map[string]bool{}
			for _, d := range r.Diagnostics {
				for _, rel := range d.Related {
					if rel.Path != "" && rel.Path != f.Path && !seen[rel.Path] {
						seen[rel.Path] = true
						e.RelatedInto = append(e.RelatedInto, rel.Path)
					}
				}
			}
		} else if old := p.snapEntry(f); old != nil && old.Hash == f.hash && old.Checked {
			// Not a target this time: keep what an earlier run knew.
			e.Checked, e.Diagnostics, e.RelatedInto = true, old.Diagnostics, old.RelatedInto
		}
		snap.Files[f.Path] = e
	}
	if err := cache.Save(p.cacheDir(), snap); err != nil {
		p.report("cache: not saved: " + err.Error())
	}
}

func (p *Project) snapEntry(f *File) *cache.Entry {
	if p.snap == nil {
		return nil
	}
	return p.snap.Files[f.Path]
}
