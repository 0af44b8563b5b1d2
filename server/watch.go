package server

// Files changed outside the editor: workspace/didChangeWatchedFiles keeps
// the index current for files that are not open (an open document's
// buffer wins over its file), and a changed config file reloads the
// configuration. The watchers are registered dynamically when the client
// allows it; clients that watch on their own send the notification anyway.

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// watchedGlobs are the files whose changes matter to us.
var watchedGlobs = []string{"**/*.py", "**/*.pyi", "**/" + config.PyprojectTOML, "**/" + config.AsyncmigTOML, "**/.gitignore",
	"**/requirements*.txt", "**/requirements/*.txt"}

// registerWatchers asks the client to watch our files. It runs in the
// background: the client answers on its own schedule.
func (s *Server) registerWatchers(ctx context.Context) {
	if !s.session().watchedFilesDynamic {
		return
	}
	watchers := make([]protocol.FileSystemWatcher, len(watchedGlobs))
	for i, g := range watchedGlobs {
		watchers[i] = protocol.FileSystemWatcher{GlobPattern: g} // Kind omitted: create, change and delete
	}
	params := &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID:              "asyncmig/watchedFiles",
		Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
	}}}
	var ignored any
	if err := call(ctx, s, protocol.MethodClientRegisterCapability, params, &ignored); err != nil {
		s.log.Warn("the client refused to watch files; changes made outside the editor will be missed", zap.Error(err))
	}
}

func (s *Server) didChangeWatchedFiles(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	var p protocol.DidChangeWatchedFilesParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	var sources []string
	configChanged := false
	for _, ev := range p.Changes {
		if ev == nil {
			continue
		}
		path, err := uriToPath(protocol.DocumentURI(ev.URI))
		if err != nil {
			s.log.Debug("ignoring a watched-file event", zap.String("uri", string(ev.URI)), zap.Error(err))
			continue
		}
		switch base := filepath.Base(path); {
		case base == config.PyprojectTOML || base == config.AsyncmigTOML:
			s.code.configs.Invalidate(path)
			configChanged = true
		case base == ".gitignore":
			configChanged = true // the index honours the root's .gitignore
		case strings.HasSuffix(base, ".txt") && (strings.HasPrefix(base, "requirements") || filepath.Base(filepath.Dir(path)) == "requirements"):
			configChanged = true // declared dependencies decide what AM404 judges
		case strings.HasSuffix(base, ".py") || strings.HasSuffix(base, ".pyi"):
			sources = append(sources, path)
		}
	}
	// Reading and parsing happen off the ordered queue.
	s.goBackground(func() {
		for _, path := range sources {
			s.reloadFromDisk(path)
		}
		if configChanged {
			s.configurationChanged()
		}
	})
	return nil, nil
}

// reloadFromDisk replaces the module of a closed file in its folder's index
// with what is on disk now, or removes it when the file is gone.
func (s *Server) reloadFromDisk(path string) {
	f := s.code.folderOf(path)
	if f.root == "" {
		return
	}
	if _, open := s.code.openURI(path); open {
		return // the editor's buffer is the truth for open files
	}
	ws := f.workspace()
	var mod *pymodel.Module
	var src []byte
	err := errOutsideFolder
	if !resolvesOutside(f.root, path) {
		src, err = files.Read(path)
	}
	switch {
	case err == nil && !s.code.config(filepath.Dir(path), f.root).Excluded(path):
		tree, perr := pysyntax.Parse(src)
		if perr != nil {
			s.log.Warn("cannot parse a changed file", zap.String("path", path), zap.Error(perr))
			return
		}
		name, isPkg := ws.ModuleName(path)
		mod = pymodel.Build(tree, name, path, isPkg)
	case err == nil, errors.Is(err, fs.ErrNotExist):
		// Excluded or gone: out of the index.
	default:
		s.log.Warn("cannot read a changed file; it leaves the index", zap.String("path", path), zap.Error(err))
	}
	s.replaceFromDisk(f, ws, path, mod)
}

// errOutsideFolder keeps a link out of the folder out of its index, as
// discovery does: an event for app/link.py must not read the file it
// points to elsewhere on the machine.
var errOutsideFolder = errors.New("resolves outside the workspace folder")

// resolvesOutside reports whether path, symlinks followed, lies outside
// root. A path that cannot be resolved (deleted) is left to the read.
func resolvesOutside(root, path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	rel, err := filepath.Rel(root, real)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
