package server

// The initial index: after initialized, every Python file under the
// workspace folders is parsed and modelled in the background, in parallel,
// by the same loader the CLI uses (internal/project), honouring the
// configuration's excludes and the folder's .gitignore. Until a folder's
// index is ready its open documents are analysed against what is known so
// far; when it is, they are checked again. Progress is reported with
// $/progress when the client supports it.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/cache"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/project"
)

// startIndexing (re)builds the indexes of folders in the background,
// cancelling any indexing of them already under way.
func (s *Server) startIndexing(folders []*folder) {
	if len(folders) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	gens := make([]uint64, len(folders))
	for i, f := range folders {
		f.mu.Lock()
		if f.cancelIndex != nil {
			f.cancelIndex()
		}
		f.cancelIndex = cancel
		f.indexGen++
		gens[i] = f.indexGen
		f.mu.Unlock()
	}
	s.goBackground(func() {
		defer cancel()
		s.index(ctx, folders, gens)
	})
}

func (s *Server) index(ctx context.Context, folders []*folder, gens []uint64) {
	if s.opts.beforeIndex != nil {
		s.opts.beforeIndex()
	}
	progress := s.beginWorkDone(ctx, "index", "asyncmig: indexing Python files")
	start := time.Now()
	modules := 0
	for i, f := range folders {
		key := s.indexKey(f)
		n, err := s.indexFolder(ctx, f, gens[i], key, progress)
		if ctx.Err() != nil {
			progress.end(context.Background(), "cancelled")
			return
		}
		if err != nil {
			s.log.Error("indexing a workspace folder failed; its files are analysed one by one", zap.String("folder", f.root), zap.Error(err))
			s.showProblems([]string{fmt.Sprintf("cannot index %s: %v", f.root, err)})
			continue
		}
		modules += n
	}
	// Re-check the open documents before saying "done", so a document
	// opened after the end was analysed against the full index already.
	s.reportConfigProblems()
	for _, f := range folders {
		for _, u := range s.code.openIn(f) {
			s.scheduleDiagnostics(u, 0)
		}
	}
	elapsed := time.Since(start).Round(time.Millisecond)
	s.log.Info("indexed the workspace", zap.Int("modules", modules), zap.Duration("elapsed", elapsed))
	// Parsing every file left several times the index's size in garbage
	// (syntax trees, source buffers); the runtime would hand the pages
	// back to the system only slowly, keeping the server's RSS at its
	// indexing peak for minutes.
	debug.FreeOSMemory()
	progress.end(ctx, fmt.Sprintf("%d modules in %v", modules, elapsed))
}

// indexFolder loads f's files into a new index and swaps it in, unless a
// newer indexing of f started meanwhile.
func (s *Server) indexFolder(ctx context.Context, f *folder, gen uint64, key string, progress *workDone) (int, error) {
	report := throttledReport(ctx, progress, filepath.Base(f.root))
	var exclude files.Excluder
	if g := files.LoadGitignore(f.root); g != nil {
		exclude = g
	}
	opts := project.IndexOptions{
		Override: s.settingsOverride(),
		Exclude:  exclude,
		Progress: report,
		Cache:    &project.CacheOptions{Build: cache.BuildID(s.opts.Version), Rules: rules.ID()},
	}
	// A project whose files are all as an earlier run cached them opens at
	// once in lazy mode; the full index below replaces it when ready.
	if lazy, ok := project.IndexFromCache(ctx, f.root, opts); ok {
		f.mu.Lock()
		if ctx.Err() == nil && f.indexGen == gen {
			clear(f.shapes)
			f.indexKey = key
			f.ws.Store(lazy.Workspace)
		}
		f.mu.Unlock()
		s.log.Info("opened the workspace from the cache", zap.String("folder", f.root), zap.Int("modules", lazy.Modules))
		for _, u := range s.code.openIn(f) {
			s.scheduleDiagnostics(u, 0)
		}
	}
	if s.opts.beforeFullIndex != nil {
		s.opts.beforeFullIndex()
	}
	res, err := project.Index(ctx, f.root, opts)
	if err != nil {
		return 0, err
	}
	for _, sk := range res.Skipped {
		s.log.Info("not indexed", zap.String("path", sk.Path), zap.String("reason", sk.Reason))
	}
	msgs := make([]string, len(res.Problems))
	for i, p := range res.Problems {
		msgs[i] = p.String()
	}
	s.showProblems(msgs)
	f.mu.Lock()
	defer f.mu.Unlock()
	if ctx.Err() != nil || f.indexGen != gen {
		return 0, ctx.Err() // Load stops early when cancelled: never swap in a partial index
	}
	clear(f.shapes)
	f.indexKey = key
	// Open documents go back into the new index at their next analysis,
	// which index() schedules.
	f.ws.Store(res.Workspace)
	return res.Modules, nil
}

// throttledReport turns per-file progress into at most one $/progress
// report per 5% (and the last file), safe to call from the loader's
// workers.
func throttledReport(ctx context.Context, w *workDone, name string) func(done, total int) {
	var mu sync.Mutex
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		pct := done * 100 / total
		mu.Lock()
		defer mu.Unlock()
		if pct < last+5 && done != total {
			return
		}
		last = pct
		w.report(ctx, fmt.Sprintf("%s: %d/%d files", name, done, total), uint32(pct))
	}
}

// indexedWith is the index key (config.go) f was last indexed with.
func (f *folder) indexedWith() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.indexKey
}

// gitignoreStamp changes when the folder's .gitignore does.
func (f *folder) gitignoreStamp() string {
	info, err := os.Stat(filepath.Join(f.root, ".gitignore"))
	if err != nil {
		return "none"
	}
	return fmt.Sprintf("%d@%d", info.Size(), info.ModTime().UnixNano())
}
