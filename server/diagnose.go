package server

// Diagnostics: from a document change to textDocument/publishDiagnostics.
//
// Every change schedules a run for its document after a debounce (the
// debounce-ms setting, 100 ms by default): a newer change cancels the
// pending run and bumps the document's generation. When the timer fires,
// the run takes the snapshot current at that moment — never the one of the
// change that scheduled it — analyses it (diagnostics.Run against the
// folder's index, see state.go), converts byte ranges to the negotiated
// encoding, and publishes only if its generation is still the latest and
// the document has not moved past its version. Runs of one document never
// overlap; publications (including the clears of didClose and of a
// diverged client) are ordered by a per-document lock.
//
// The last analysis of each document is kept, by version, for code actions
// and hover, which then agree with what the editor shows.

import (
	"context"
	"runtime"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/codeactions"
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/document"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// diagnoser schedules and publishes the diagnostics of open documents.
type diagnoser struct {
	mu      sync.Mutex
	entries map[string]*diagEntry
	// slots bounds the analyses running at once (after indexing, every
	// open document is re-checked together).
	slots chan struct{}
}

type diagEntry struct {
	// Under diagnoser.mu.
	gen    uint64
	timer  *time.Timer
	cancel context.CancelFunc
	// active is the generation of the run scheduled or under way (0:
	// none), started says it has begun analysing, and again asks it for a
	// fresh run once it is done (recheckDiagnostics).
	active  uint64
	started bool
	again   bool

	run sync.Mutex // one analysis at a time

	pub    sync.Mutex    // orders publications
	latest *fileAnalysis // under pub: the newest analysis, any version
	lenses string        // under pub: what the code lenses said at the last publication (codelens.go)
}

func newDiagnoser() *diagnoser {
	return &diagnoser{entries: map[string]*diagEntry{}, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

func (d *diagnoser) entry(uri string) *diagEntry {
	e := d.entries[uri]
	if e == nil {
		e = &diagEntry{}
		d.entries[uri] = e
	}
	return e
}

// current reports whether gen is still e's latest generation.
func (d *diagnoser) current(e *diagEntry, gen uint64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return e.gen == gen
}

func (d *diagnoser) stopTimers() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, e := range d.entries {
		if e.timer != nil {
			e.timer.Stop()
		}
		if e.cancel != nil {
			e.cancel()
		}
	}
}

// fileAnalysis is the analysis of one document version.
type fileAnalysis struct {
	snap   *document.Snapshot
	target target
	mod    *pymodel.Module // nil when the document could not be parsed
	// diags are the engine's findings; lsp their published form, same
	// order, in enc.
	diags []diagnostics.Diagnostic
	lsp   []protocol.Diagnostic
	enc   textpos.Encoding
	// memo lets the next analysis of the document re-check only what its
	// change can affect (nil: it checks everything).
	memo *diagnostics.Memo
}

// scheduleDiagnostics (re)starts the debounce of uri's diagnostics: the
// pending run, if any, is cancelled and replaced.
func (s *Server) scheduleDiagnostics(uri string, delay time.Duration) {
	d := s.diag
	d.mu.Lock()
	defer d.mu.Unlock()
	e := d.entry(uri)
	e.gen++
	gen := e.gen
	if e.timer != nil {
		e.timer.Stop()
	}
	if e.cancel != nil {
		e.cancel()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	e.cancel = cancel
	// The new run reads the workspace as it is then: no re-check owed.
	e.active, e.started, e.again = gen, false, false
	e.timer = time.AfterFunc(delay, func() {
		if !s.enterBackground() {
			return
		}
		defer s.work.Done()
		s.runDiagnostics(ctx, uri, e, gen)
	})
}

// recheckDiagnostics re-runs uri's analysis because the workspace changed
// under it (a Refresh). Unlike a change of the document it cancels
// nothing: a run waiting for its debounce will read the new workspace
// anyway, and a run under way — the one the user is waiting for after a
// keystroke — publishes first and is followed by a fresh one.
func (s *Server) recheckDiagnostics(uri string) { s.recheckDiagnosticsAfter(uri, 0) }

// recheckDiagnosticsAfter is recheckDiagnostics with the fresh run, when
// one must be scheduled, delay away.
func (s *Server) recheckDiagnosticsAfter(uri string, delay time.Duration) {
	d := s.diag
	d.mu.Lock()
	e := d.entry(uri)
	switch {
	case e.active != 0 && !e.started:
		d.mu.Unlock()
	case e.active != 0:
		e.again = true
		d.mu.Unlock()
	default:
		d.mu.Unlock()
		s.scheduleDiagnostics(uri, delay)
	}
}

// runFinished ends run gen of e: if a re-check arrived while it ran,
// another run follows at once.
func (s *Server) runFinished(uri string, e *diagEntry, gen uint64) {
	d := s.diag
	d.mu.Lock()
	if e.active != gen {
		d.mu.Unlock()
		return
	}
	again := e.again && d.entries[uri] == e
	e.active, e.started, e.again = 0, false, false
	d.mu.Unlock()
	if again {
		s.scheduleDiagnostics(uri, 0)
	}
}

// clearDiagnostics withdraws uri's diagnostics: pending and running
// analyses are dropped, the cache forgotten, and an empty list published.
func (s *Server) clearDiagnostics(uri string) {
	d := s.diag
	d.mu.Lock()
	e := d.entry(uri)
	e.gen++
	if e.timer != nil {
		e.timer.Stop()
	}
	if e.cancel != nil {
		e.cancel()
	}
	e.active, e.started, e.again = 0, false, false
	d.mu.Unlock()

	e.pub.Lock()
	defer e.pub.Unlock()
	e.latest = nil
	s.publish(uri, nil, []protocol.Diagnostic{})
}

// forgetDiagnostics drops uri's entry once the document is closed.
func (s *Server) forgetDiagnostics(uri string) {
	d := s.diag
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.entries, uri)
}

// runDiagnostics is one scheduled run.
func (s *Server) runDiagnostics(ctx context.Context, uri string, e *diagEntry, gen uint64) {
	d := s.diag
	if ctx.Err() != nil || !d.current(e, gen) {
		return
	}
	defer s.runFinished(uri, e, gen)
	e.run.Lock()
	defer e.run.Unlock()
	d.mu.Lock()
	current := e.gen == gen
	if current {
		e.started = true
	}
	d.mu.Unlock()
	if ctx.Err() != nil || !current {
		return
	}
	snap := s.docs.Get(uri)
	if snap == nil {
		// Closed meanwhile (a dependent re-check can be scheduled for a
		// document being closed): drop the entry it recreated.
		d.mu.Lock()
		if d.entries[uri] == e && e.gen == gen {
			delete(d.entries, uri)
		}
		d.mu.Unlock()
		return
	}
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return
	}
	fa := s.analyze(ctx, snap)
	<-d.slots
	if ctx.Err() != nil {
		return // a newer change cancelled this run
	}

	e.pub.Lock()
	defer e.pub.Unlock()
	if !d.current(e, gen) {
		return
	}
	if cur := s.docs.Get(uri); cur == nil || cur.Version != snap.Version {
		return // the document moved on; its own run will publish
	}
	e.latest = fa
	version := snap.Version
	s.publish(uri, &version, fa.lsp)
	s.lensesPublished(e, fa)
}

// publish sends textDocument/publishDiagnostics.
func (s *Server) publish(uri string, version *int32, diags []protocol.Diagnostic) {
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	params := &publishDiagnosticsParams{URI: protocol.DocumentURI(uri), Version: version, Diagnostics: diags}
	if err := s.conn.Notify(context.Background(), protocol.MethodTextDocumentPublishDiagnostics, params); err != nil {
		s.log.Debug("could not publish diagnostics", zap.String("uri", uri), zap.Error(err))
	}
}

// analysisFor returns the analysis of snap's version: the one published,
// or a fresh one when the debounce has not run yet.
func (s *Server) analysisFor(ctx context.Context, snap *document.Snapshot) *fileAnalysis {
	d := s.diag
	d.mu.Lock()
	e := d.entry(snap.URI)
	d.mu.Unlock()
	e.pub.Lock()
	fa := e.latest
	e.pub.Unlock()
	if fa != nil && fa.snap.Version == snap.Version && fa.enc == s.session().positionEncoding {
		return fa
	}
	fa = s.analyze(ctx, snap)
	if ctx.Err() == nil {
		e.pub.Lock()
		if e.latest == nil || e.latest.snap.Version < snap.Version {
			e.latest = fa
		}
		e.pub.Unlock()
	}
	return fa
}

// analyze checks one snapshot and converts the findings for the client.
// Analysing an open file also refreshes its module in the folder's index.
func (s *Server) analyze(ctx context.Context, snap *document.Snapshot) *fileAnalysis {
	tg := s.targetFor(snap.URI)
	fa := &fileAnalysis{snap: snap, target: tg, enc: s.session().positionEncoding}
	s.reportConfigProblems()
	if snap.Tree == nil {
		s.log.Info("not analysing a document", zap.String("uri", snap.URI), zap.Error(snap.ParseErr))
		fa.lsp = []protocol.Diagnostic{}
		return fa
	}
	ws := tg.folder.workspace()
	mod := pymodel.Build(snap.Tree, tg.module, tg.path, tg.isPkg)
	fa.mod = mod
	before := ws.Generation()
	own := uint64(0) // the generations this document's own module took
	if tg.inIndex() && s.overlay(tg.folder, ws, mod, snap.Version) {
		own = 1
	}
	gen := ws.Generation()
	// The earlier analysis can be built on only if the workspace is the
	// one it saw, give or take this document's own module.
	prev := s.latestMemo(snap.URI)
	stale := prev != nil && (prev.Generation() != before || gen != before+own)
	if stale {
		prev = nil
	}
	file := pymodel.NewFile(snap.Tree, mod, ws.Evaluator())
	res, memo, st := diagnostics.RunIncremental(ctx, diagnostics.Input{File: file, Workspace: ws, Config: tg.cfg, RelPath: tg.rel}, s.rules, prev, gen)
	s.logRuleErrors(tg, res.Errors)
	if ctx.Err() == nil {
		why := st.Full
		if stale {
			why = "other modules or the workspace facts changed"
		}
		s.log.Debug("analysed", zap.String("uri", snap.URI), zap.Int32("version", snap.Version),
			zap.Int("statements", st.Units), zap.Int("rechecked", st.Rechecked), zap.String("full", why))
	}
	fa.diags, fa.memo = res.Diagnostics, memo
	fa.lsp = s.toLSP(fa)
	return fa
}

// latestMemo is what the newest analysis of uri keeps for the next one.
func (s *Server) latestMemo(uri string) *diagnostics.Memo {
	d := s.diag
	d.mu.Lock()
	e := d.entries[uri]
	d.mu.Unlock()
	if e == nil {
		return nil
	}
	e.pub.Lock()
	defer e.pub.Unlock()
	if e.latest == nil {
		return nil
	}
	return e.latest.memo
}

// analyzeText checks a text that is not (yet) the document's, such as a
// fix-all pass: nothing is put into the index.
func (s *Server) analyzeText(ctx context.Context, tg target, src []byte) ([]diagnostics.Diagnostic, error) {
	tree, err := pysyntax.Parse(src)
	if err != nil {
		return nil, err
	}
	ws := tg.folder.workspace()
	mod := pymodel.Build(tree, tg.module, tg.path, tg.isPkg)
	return s.check(ctx, tg, ws, tree, mod), ctx.Err()
}

func (s *Server) check(ctx context.Context, tg target, ws *workspace.Workspace, tree *pysyntax.Tree, mod *pymodel.Module) []diagnostics.Diagnostic {
	file := pymodel.NewFile(tree, mod, ws.Evaluator())
	res := diagnostics.Run(ctx, diagnostics.Input{File: file, Workspace: ws, Config: tg.cfg, RelPath: tg.rel}, s.rules)
	s.logRuleErrors(tg, res.Errors)
	return res.Diagnostics
}

// logRuleErrors logs the rules that failed: a broken rule costs its own
// findings, never the server.
func (s *Server) logRuleErrors(tg target, errs []error) {
	for _, err := range errs {
		s.log.Error("a rule failed", zap.String("uri", tg.uri), zap.Error(err))
	}
}

// toLSP converts the findings of fa into protocol diagnostics.
func (s *Server) toLSP(fa *fileAnalysis) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(fa.diags))
	lines := fa.snap.Lines
	for i := range fa.diags {
		d := &fa.diags[i]
		pd := protocol.Diagnostic{
			Range:           codeactions.Range(lines, d.Start, d.End, fa.enc),
			Severity:        protocol.DiagnosticSeverity(d.Severity),
			Code:            d.Code,
			CodeDescription: &protocol.CodeDescription{Href: protocol.URI(diagnostics.RuleURL(d.Code))},
			Source:          "asyncmig",
			Message:         d.Message,
			Data:            diagnosticData{Code: d.Code, Version: fa.snap.Version},
		}
		for _, r := range d.Related {
			if loc, ok := s.relatedLocation(fa, r); ok {
				pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{Location: loc, Message: r.Message})
			}
		}
		out = append(out, pd)
	}
	return out
}

// relatedLocation converts a related place, possibly in another file whose
// offsets only that file's text can turn into positions.
func (s *Server) relatedLocation(fa *fileAnalysis, r diagnostics.Related) (protocol.Location, bool) {
	if r.Path == "" || r.Path == fa.target.path {
		return protocol.Location{URI: protocol.DocumentURI(fa.snap.URI), Range: codeactions.Range(fa.snap.Lines, r.Start, r.End, fa.enc)}, true
	}
	uri, lines, err := s.linesOf(r.Path)
	if err != nil {
		s.log.Debug("dropping related information", zap.String("path", r.Path), zap.Error(err))
		return protocol.Location{}, false
	}
	return protocol.Location{URI: uri, Range: codeactions.Range(lines, r.Start, r.End, fa.enc)}, true
}
