package server

// textDocument/codeAction and codeAction/resolve.
//
// Actions come from the server's own analysis of the document's current
// version (cached by diagnose.go, or run here when the debounce has not
// fired yet), never from what the client sends back: its diagnostics only
// narrow the selection by code and range, and their `data` is a hint. The
// edits are versioned when the client supports it, so an action computed
// for a version the editor has moved past is rejected there rather than
// applied at the wrong place.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/codeactions"
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/document"
	"github.com/asyncmig/asyncmig/internal/fixer"
)

const methodCodeActionResolve = "codeAction/resolve"

func (s *Server) codeAction(ctx context.Context, req *request) (any, *jsonrpc2.Error) {
	var p codeActionParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	snap := s.docs.Get(string(p.TextDocument.URI))
	req.release() // the snapshot is ours: typing may go on
	if snap == nil {
		return []protocol.CodeAction{}, nil
	}
	wantQuickFix, wantFixAll := wantedKinds(p.Context.Only)
	fa := s.analysisFor(ctx, snap)
	if ctx.Err() != nil {
		return nil, cancelled(req)
	}
	sess := s.session()
	b := codeactions.NewBuilder(documentOf(snap), s.actionOptions())
	actions := []protocol.CodeAction{}

	if wantQuickFix {
		start := snap.Lines.ClampedOffset(fromProtocolRange(p.Range).Start, fa.enc)
		end := snap.Lines.ClampedOffset(fromProtocolRange(p.Range).End, fa.enc)
		ignored := map[string]bool{} // one "ignore" per code and line
		for _, i := range selectDiagnostics(fa, start, end, p.Context.Diagnostics) {
			t := codeactions.Target{Diagnostic: &fa.diags[i], Published: fa.lsp[i]}
			fixes, errs := b.QuickFixes(t)
			for _, err := range errs {
				s.log.Error("a fix was not offered: it would add a syntax error (a rule bug)", zap.Error(err))
			}
			actions = append(actions, fixes...)
			key := fmt.Sprintf("%s:%d", t.Diagnostic.Code, snap.Lines.LineOf(t.Diagnostic.Start))
			if ignored[key] {
				continue
			}
			ignored[key] = true
			if ignore, ok, err := b.Ignore(t); err != nil {
				s.log.Error("cannot offer to ignore a diagnostic", zap.Error(err))
			} else if ok {
				actions = append(actions, ignore)
			}
			if ctx.Err() != nil {
				return nil, cancelled(req)
			}
		}
	}

	actions = append(actions, s.migrateActions(ctx, &p, snap, fa)...) // migrate.go

	if wantFixAll && codeactions.HasFix(fa.diags, s.fixAllChoice(fa)) {
		if sess.resolveCodeActionEdit {
			// Computing it means analysing the document once per pass:
			// left to codeAction/resolve, if the user picks it.
			actions = append(actions, codeactions.FixAllAction(s.unsafeFixAll(fa), nil, fixAllData{FixAll: true, URI: p.TextDocument.URI, Version: snap.Version}))
		} else {
			edit, err := s.fixAllEdit(ctx, b, fa)
			if ctx.Err() != nil {
				return nil, cancelled(req)
			}
			if err != nil {
				s.log.Error("fix-all failed", zap.String("uri", snap.URI), zap.Error(err))
			} else if edit != nil {
				actions = append(actions, codeactions.FixAllAction(s.unsafeFixAll(fa), edit, nil))
			}
		}
	}
	return actions, nil
}

// resolveCodeAction fills in the edit of a fix-all action sent without
// one; every other action already has its edit and comes back as it is.
func (s *Server) resolveCodeAction(ctx context.Context, req *request) (any, *jsonrpc2.Error) {
	var action protocol.CodeAction
	if err := req.decode(&action); err != nil {
		return nil, err
	}
	var data fixAllData
	if action.Edit != nil || !decodeData(action.Data, &data) || !data.FixAll {
		return action, nil
	}
	snap := s.docs.Get(string(data.URI))
	req.release()
	if snap == nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("codeAction/resolve: %s is not open", data.URI))
	}
	fa := s.analysisFor(ctx, snap)
	edit, err := s.fixAllEdit(ctx, codeactions.NewBuilder(documentOf(snap), s.actionOptions()), fa)
	if ctx.Err() != nil {
		return nil, cancelled(req)
	}
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InternalError, "codeAction/resolve: fix-all failed: "+err.Error())
	}
	if edit == nil {
		edit = &protocol.WorkspaceEdit{} // nothing left to fix: an edit that does nothing
	}
	action.Edit = edit
	return action, nil
}

// fixAllEdit runs fix-all on fa's document: the fixes the configuration
// allows (safe ones unless the user opted into unsafe fixes), pass after
// pass, each pass re-analysed.
func (s *Server) fixAllEdit(ctx context.Context, b *codeactions.Builder, fa *fileAnalysis) (*protocol.WorkspaceEdit, error) {
	analyze := func(src []byte) ([]diagnostics.Diagnostic, error) { return s.analyzeText(ctx, fa.target, src) }
	edit, res, err := b.FixAll(analyze, s.fixAllChoice(fa))
	if res.Refused > 0 {
		s.log.Error("fix-all left out fixes that would add a syntax error (a rule bug)", zap.String("uri", fa.snap.URI), zap.Int("refused", res.Refused))
	}
	return edit, err
}

// fixAllChoice is safe fixes only, as RULES.md says, unless the user set
// unsafe-fixes (the editor setting or the config file).
func (s *Server) fixAllChoice(fa *fileAnalysis) fixer.Choose {
	if s.unsafeFixAll(fa) {
		return codeactions.SafeOrUnsafeFix
	}
	return codeactions.SafeFix
}

func (s *Server) unsafeFixAll(fa *fileAnalysis) bool {
	return fa.target.cfg != nil && fa.target.cfg.UnsafeFixes
}

func (s *Server) actionOptions() codeactions.Options {
	sess := s.session()
	return codeactions.Options{Encoding: sess.positionEncoding, DocumentChanges: sess.versionedDocumentChanges}
}

func documentOf(snap *document.Snapshot) codeactions.Document {
	return codeactions.Document{URI: protocol.DocumentURI(snap.URI), Version: snap.Version, Text: snap.Text, Lines: snap.Lines, Tree: snap.Tree}
}

// wantedKinds applies context.only: an action is wanted when its kind is
// one of the kinds asked for or a sub-kind of one ("source" covers
// "source.fixAll.asyncmig"). No filter means everything.
func wantedKinds(only []protocol.CodeActionKind) (quickFix, fixAll bool) {
	if len(only) == 0 {
		return true, true
	}
	covers := func(asked, kind protocol.CodeActionKind) bool {
		return kind == asked || strings.HasPrefix(string(kind), string(asked)+".")
	}
	for _, k := range only {
		quickFix = quickFix || covers(k, protocol.QuickFix)
		fixAll = fixAll || covers(k, codeactions.KindFixAll)
	}
	return quickFix, fixAll
}

// selectDiagnostics returns the indexes of fa's diagnostics that overlap
// the byte range [start, end] (touching counts: a cursor just after a call
// is still on it). When the client lists diagnostics of ours, only those
// with the same code and range are kept; its other diagnostics (other
// tools') do not narrow anything.
func selectDiagnostics(fa *fileAnalysis, start, end int, fromClient []protocol.Diagnostic) []int {
	type key struct {
		code string
		rng  protocol.Range
	}
	var ours map[key]bool
	for _, cd := range fromClient {
		code := codeString(cd.Code)
		if cd.Source != "asyncmig" && !strings.HasPrefix(code, "AM") {
			continue
		}
		if ours == nil {
			ours = map[key]bool{}
		}
		ours[key{code, cd.Range}] = true
	}
	var out []int
	for i, d := range fa.diags {
		if d.Start > end || d.End < start {
			continue
		}
		if ours != nil && !ours[key{d.Code, fa.lsp[i].Range}] {
			continue
		}
		out = append(out, i)
	}
	return out
}

// codeString reads a diagnostic code, which v0.12.0 decodes into an
// interface{}: a string, or a float64 for numeric codes.
func codeString(code any) string {
	switch c := code.(type) {
	case string:
		return c
	case float64:
		return fmt.Sprint(c)
	}
	return ""
}

// decodeData re-reads a `data` field v0.12.0 decoded into interface{}.
func decodeData(data any, into any) bool {
	if data == nil {
		return false
	}
	raw, err := json.Marshal(data)
	return err == nil && json.Unmarshal(raw, into) == nil
}

func cancelled(req *request) *jsonrpc2.Error {
	return jsonrpc2.NewError(protocol.CodeRequestCancelled, req.method+": request cancelled")
}
