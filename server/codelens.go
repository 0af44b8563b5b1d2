package server

// textDocument/codeLens and codeLens/resolve: a lens above the `def` line of
// every FastAPI route handler saying where it stands in the migration —
// "async ✓", "sync — not migrated" or "async — N findings" — with the same
// route detection and the same rating as `asyncmig report`
// (report.Handlers, report.Assess).
//
// Lenses are cheap and their titles are not: finding the handlers only
// evaluates decorators, while counting findings needs the rules' analysis
// of the document. So textDocument/codeLens answers with bare lenses and
// codeLens/resolve, which editors send only for lenses on screen, fills in
// the title from the analysis of the current version (the one published,
// or a fresh one). Clients that say they do not resolve commands (LSP 3.18
// resolveSupport) get complete lenses at once.
//
// When the diagnostics of a document change what its lenses say (typing,
// a service that became async, indexing that finished), the server asks
// the client to re-request them with workspace/codeLens/refresh.

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/codeactions"
	"github.com/asyncmig/asyncmig/internal/document"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/report"
)

// codeLensData is what an unresolved lens carries to codeLens/resolve.
type codeLensData struct {
	URI     protocol.DocumentURI `json:"uri"`
	Version int32                `json:"version"`
	// Handler is the handler's pymodel Key: it survives edits elsewhere in
	// the file, so a lens resolved after typing still finds its function.
	Handler string `json:"handler"`
}

// codeContentModified is LSP's ContentModified: the result would be
// stale, and clients drop it quietly.
const codeContentModified jsonrpc2.Code = -32801

func (s *Server) codeLens(ctx context.Context, req *request) (any, *jsonrpc2.Error) {
	var p protocol.CodeLensParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	snap := s.docs.Get(string(p.TextDocument.URI))
	req.release()
	lenses := []protocol.CodeLens{}
	if snap == nil || snap.Tree == nil {
		return lenses, nil
	}
	sess := s.session()
	tg := s.targetFor(snap.URI)
	var fa *fileAnalysis
	mod := s.cachedModule(snap)
	switch {
	case sess.eagerCodeLens:
		fa = s.analysisFor(ctx, snap)
		if ctx.Err() != nil {
			return nil, cancelled(req)
		}
		mod = fa.mod
	case mod == nil:
		// The debounced analysis has not run yet: the handlers are all a
		// bare lens needs, and they take no rule run.
		mod = pymodel.Build(snap.Tree, tg.module, tg.path, tg.isPkg)
	}
	for _, h := range report.Handlers(tg.folder.workspace().Evaluator(), mod) {
		fn := h.Func
		lens := protocol.CodeLens{Range: codeactions.Range(snap.Lines, int(fn.DefStart), int(fn.NameEnd), sess.positionEncoding)}
		if sess.eagerCodeLens {
			lens.Command = lensCommand(snap.URI, report.Assess(fn, fa.diags))
		} else {
			lens.Data = codeLensData{URI: p.TextDocument.URI, Version: snap.Version, Handler: fn.Key}
		}
		lenses = append(lenses, lens)
	}
	return lenses, nil
}

// resolveCodeLens gives a lens its title, from the analysis of the
// document's current version.
func (s *Server) resolveCodeLens(ctx context.Context, req *request) (any, *jsonrpc2.Error) {
	var lens protocol.CodeLens
	if err := req.decode(&lens); err != nil {
		return nil, err
	}
	var data codeLensData
	if !decodeData(lens.Data, &data) || data.URI == "" || data.Handler == "" {
		if lens.Command != nil {
			return lens, nil // already resolved
		}
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "codeLens/resolve: the lens carries no asyncmig data")
	}
	snap := s.docs.Get(string(data.URI))
	req.release()
	if snap == nil {
		return nil, jsonrpc2.NewError(codeContentModified, fmt.Sprintf("codeLens/resolve: %s is no longer open", data.URI))
	}
	fa := s.analysisFor(ctx, snap)
	if ctx.Err() != nil {
		return nil, cancelled(req)
	}
	fn := functionByKey(fa.mod, data.Handler)
	if fn == nil {
		return nil, jsonrpc2.NewError(codeContentModified, "codeLens/resolve: the handler is gone from the document")
	}
	lens.Command = lensCommand(snap.URI, report.Assess(fn, fa.diags))
	return lens, nil
}

// lensCommand shows the assessment; clicking it asks for the migration
// report of the document's workspace folder.
func lensCommand(uri string, a report.Assessment) *protocol.Command {
	return &protocol.Command{
		Title:     a.Label(),
		Command:   commandShowReport,
		Arguments: []any{map[string]any{"uri": uri, "format": "markdown"}},
	}
}

func functionByKey(m *pymodel.Module, key string) *pymodel.Function {
	if m == nil {
		return nil
	}
	for _, fn := range m.Functions {
		if fn.Key == key {
			return fn
		}
	}
	return nil
}

// cachedModule returns the module of snap's version from the last
// analysis, without analysing anything.
func (s *Server) cachedModule(snap *document.Snapshot) *pymodel.Module {
	d := s.diag
	d.mu.Lock()
	e := d.entries[snap.URI]
	d.mu.Unlock()
	if e == nil {
		return nil
	}
	e.pub.Lock()
	defer e.pub.Unlock()
	if e.latest == nil || e.latest.snap.Version != snap.Version {
		return nil
	}
	return e.latest.mod
}

// lensesPublished runs after fa's diagnostics were published (e.pub is
// held): when the lenses of the document now say something else, the
// client is asked to refresh them.
func (s *Server) lensesPublished(e *diagEntry, fa *fileAnalysis) {
	if !s.session().codeLensRefresh {
		return
	}
	said := lensSummary(fa)
	if said == e.lenses {
		return
	}
	e.lenses = said
	s.refreshCodeLenses()
}

// lensSummary is what the lenses of fa's document say, positions aside:
// typing that moves a handler does not need a refresh, a new finding does.
func lensSummary(fa *fileAnalysis) string {
	if fa.mod == nil {
		return ""
	}
	var b strings.Builder
	for _, h := range report.Handlers(fa.target.folder.workspace().Evaluator(), fa.mod) {
		fmt.Fprintf(&b, "%s=%s\n", h.Func.Key, report.Assess(h.Func, fa.diags).Label())
	}
	return b.String()
}

// refreshCodeLenses sends workspace/codeLens/refresh in the background.
// Requests wanted while one is in flight collapse into one more after it,
// so the client's last re-request always comes after the last change.
func (s *Server) refreshCodeLenses() {
	if s.lensRefreshes.Add(1) != 1 {
		return // the running sender will go again
	}
	if !s.enterBackground() {
		s.lensRefreshes.Store(0)
		return
	}
	go func() {
		defer s.work.Done()
		for {
			wanted := s.lensRefreshes.Load()
			// No params: v0.12.0 sends "params": null, as its own
			// Client.CodeLensRefresh does; clients ignore them.
			var ignored any
			if err := protocol.Call(s.ctx, s.conn, protocol.MethodCodeLensRefresh, nil, &ignored); err != nil {
				s.log.Debug("workspace/codeLens/refresh failed", zap.Error(err))
			}
			if s.lensRefreshes.Add(-wanted) == 0 {
				return
			}
		}
	}()
}
