package server

// The analysis state: what the server knows of the code around the open
// documents.
//
// Each workspace folder has a module index (workspace.Workspace) holding
// every Python module under it: built from disk in the background after
// initialized (index.go), kept current for closed files by
// didChangeWatchedFiles (watch.go), and overlaid by the open documents,
// whose module is rebuilt from the current snapshot at each analysis. The
// index's derived facts (importers, the session kinds that flow along
// calls) are recomputed by Refresh, which costs a walk over the whole
// workspace, so it runs only when a module's shape changes, debounced, and
// is followed by re-diagnosing the open documents that depend on it.
//
// Documents outside every folder, and those that are not files (untitled:,
// notebook cells), are analysed alone against an empty index.
//
// Configuration is the config file governing each file (config.Cache,
// shared with the index so a changed file invalidates both), with the
// editor's settings merged over it (config.go).

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// codebase is the analysis state shared by every feature.
type codebase struct {
	configs *config.Cache
	disk    *diskLines // line indexes of files on disk (lines.go)

	mu       sync.Mutex
	settings map[string]any // editor settings, nil when none
	merged   map[mergedKey]*config.Config
	folders  []*folder         // longest root first, so the innermost wins
	first    string            // the client's first folder
	loose    *folder           // documents outside every folder
	open     map[string]string // path → URI of open file: documents
	debounce time.Duration     // the debounce-ms setting
	shown    map[string]bool   // configuration problems already shown
}

type mergedKey struct {
	base *config.Config
	root string
}

func newCodebase() *codebase {
	return &codebase{
		configs:  config.NewCache(),
		disk:     newDiskLines(),
		merged:   map[mergedKey]*config.Config{},
		loose:    newFolder(""),
		open:     map[string]string{},
		debounce: time.Duration(config.Default().DebounceMS) * time.Millisecond,
		shown:    map[string]bool{},
	}
}

// folder is one workspace folder and its module index.
type folder struct {
	root string // "" for the loose folder
	ws   atomic.Pointer[workspace.Workspace]

	// refreshMu serialises Refresh, so a slow earlier run cannot overwrite
	// the facts of a later one.
	refreshMu sync.Mutex
	// lastRefresh is how long the last Refresh took (under mu).
	lastRefresh time.Duration

	mu          sync.Mutex
	indexKey    string // what the index was built with (config.go)
	indexGen    uint64 // bumped by every indexing started
	cancelIndex context.CancelFunc
	shapes      map[string]shapeOf // by path: the shape of the module last put
	versions    map[string]int32   // by path: the document version an open file's module comes from
	pending     map[string]string  // path → module name, for modules whose shape changed since the last Refresh
	timer       *time.Timer
}

type shapeOf struct {
	mod   *pymodel.Module
	shape uint64
}

func newFolder(root string) *folder {
	f := &folder{root: root, shapes: map[string]shapeOf{}, versions: map[string]int32{}, pending: map[string]string{}}
	f.ws.Store(workspace.New(root, pymodel.Options{}, workspace.Twins{}))
	return f
}

func (f *folder) workspace() *workspace.Workspace { return f.ws.Load() }

// contains reports whether path lies inside the folder.
func (f *folder) contains(path string) bool {
	if f.root == "" {
		return false
	}
	rel, err := filepath.Rel(f.root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// setFolders replaces the workspace folders (at initialize).
func (c *codebase) setFolders(roots []string) {
	first := ""
	if len(roots) > 0 {
		first = roots[0]
	}
	roots = slices.Compact(slices.Sorted(slices.Values(roots)))
	slices.SortStableFunc(roots, func(a, b string) int { return len(b) - len(a) })
	folders := make([]*folder, len(roots))
	for i, r := range roots {
		folders[i] = newFolder(r)
	}
	c.mu.Lock()
	c.folders = folders
	if len(roots) > 0 {
		c.first = first
	}
	c.mu.Unlock()
}

func (c *codebase) allFolders() []*folder {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.folders)
}

// folderOf returns the innermost folder containing path, or the loose one.
func (c *codebase) folderOf(path string) *folder {
	c.mu.Lock()
	defer c.mu.Unlock()
	if path != "" {
		for _, f := range c.folders {
			if f.contains(path) {
				return f
			}
		}
	}
	return c.loose
}

// firstRoot is where documents without a path take their configuration
// from: the client's first workspace folder.
func (c *codebase) firstRoot() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first
}

// config returns the configuration governing files in dir: the config
// file's, with the editor settings merged over a copy (memoized until the
// settings or a config file change), rooted at root when there is no file.
// The problems of the file stay in the cache for reportConfigProblems.
func (c *codebase) config(dir, root string) *config.Config {
	var base *config.Config
	if dir != "" {
		base, _, _ = c.configs.Discover(dir)
	}
	if base == nil {
		base = config.Default()
	}
	key := mergedKey{base, root}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m := c.merged[key]; m != nil {
		return m
	}
	m := base.Clone()
	if len(c.settings) > 0 {
		m.Merge(c.settings) // the problems are shown once by config.go
	}
	if m.Root == "" {
		m.Root = root
	}
	c.merged[key] = m
	return m
}

// forgetConfigs drops the merged configurations after a settings or config
// file change.
func (c *codebase) forgetConfigs() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.merged)
}

// setOpen records whether the file at path is open under uri.
func (c *codebase) setOpen(path, uri string, open bool) {
	if path == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if open {
		c.open[path] = uri
	} else if c.open[path] == uri {
		delete(c.open, path)
	}
}

// openURI returns the URI of the open document for path, if any.
func (c *codebase) openURI(path string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.open[path]
	return u, ok
}

// openIn lists the URIs of the open file documents inside f.
func (c *codebase) openIn(f *folder) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for path, u := range c.open {
		if f.contains(path) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

func (c *codebase) stopTimers() {
	for _, f := range append(c.allFolders(), c.loose) {
		f.mu.Lock()
		if f.timer != nil {
			f.timer.Stop()
		}
		f.mu.Unlock()
	}
}

// target is where a document sits: its path, folder, module name and
// configuration.
type target struct {
	uri    string
	path   string // "" for documents that are not files
	folder *folder
	module string // dotted name; "" when analysed alone
	isPkg  bool
	cfg    *config.Config
	rel    string // path relative to the config root, for per-file-ignores
}

// inIndex reports whether the document's module belongs in its folder's
// index (a file inside a workspace folder).
func (t *target) inIndex() bool { return t.path != "" && t.folder.root != "" }

func (s *Server) targetFor(uri string) target {
	t := target{uri: uri}
	path, err := uriToPath(protocol.DocumentURI(uri))
	if err == nil {
		t.path = path
	}
	t.folder = s.code.folderOf(t.path)
	switch {
	case t.path == "":
		root := s.code.firstRoot()
		t.cfg = s.code.config(root, root)
	default:
		t.cfg = s.code.config(filepath.Dir(t.path), t.folder.root)
		t.rel = project.Rel(t.cfg, t.path)
	}
	if t.inIndex() {
		t.module, t.isPkg = t.folder.workspace().ModuleName(t.path)
	}
	return t
}
