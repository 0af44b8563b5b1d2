package server

// The "Migrate `f` to async" code action (refactor.rewrite.asyncmig.
// migrateFunction): offered on the header of a sync function — decorators,
// `def` line, parameters — or anywhere in its body when the client asks for
// refactorings explicitly. internal/migrate does the work against the
// folder's index; this file turns its result into one versioned
// WorkspaceEdit, or a `disabled` reason when nothing can be migrated.
//
// LSP's CodeAction has no description field: the manual steps and the
// callers are counted in the title ("(2 manual steps, 1 caller to
// update)") and listed in `data` (migrateData), where a client or a user
// looking at the action can read them.

import (
	"context"
	"errors"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/codeactions"
	"github.com/asyncmig/asyncmig/internal/document"
	"github.com/asyncmig/asyncmig/internal/migrate"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// codeActionKindMigrate is the kind of the migrate action.
const codeActionKindMigrate protocol.CodeActionKind = "refactor.rewrite.asyncmig.migrateFunction"

// migrateData is the `data` of a migrate action: what the title counts.
type migrateData struct {
	Migrate     string            `json:"migrate"` // the function's qualified name
	ManualSteps []migrateStep     `json:"manualSteps,omitempty"`
	Callers     []migrateCallsite `json:"callers,omitempty"`
}

// migrateStep is a TODO the edit leaves, placed in the migrated text.
type migrateStep struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Range   protocol.Range `json:"range"`
}

// migrateCallsite is a call of the migrated function elsewhere.
type migrateCallsite struct {
	Location protocol.Location `json:"location"`
	Function string            `json:"function,omitempty"`
	Advice   string            `json:"advice"`
}

// migrateActions returns the migrate action for the function at p's range,
// if the client wants refactorings.
func (s *Server) migrateActions(ctx context.Context, p *codeActionParams, snap *document.Snapshot, fa *fileAnalysis) []protocol.CodeAction {
	explicit, wanted := wantsMigrate(p.Context.Only)
	if !wanted || snap.Tree == nil {
		return nil
	}
	tg := fa.target
	ws := tg.folder.workspace()
	if ws == nil {
		return nil
	}
	rng := fromProtocolRange(p.Range)
	sel := migrate.Selector{
		Start:  snap.Lines.ClampedOffset(rng.Start, fa.enc),
		End:    snap.Lines.ClampedOffset(rng.End, fa.enc),
		InBody: explicit,
	}
	env := migrate.Env{Workspace: ws, Config: tg.cfg, Rules: s.rules, Path: tg.path, Module: tg.module, IsPackage: tg.isPkg, RelPath: tg.rel}
	opt := migrate.Options{AwareDatetimes: tg.cfg != nil && tg.cfg.UnsafeFixes}
	res, err := migrate.Migrate(ctx, env, snap.Text, sel, opt)
	switch {
	case errors.Is(err, migrate.ErrNoFunction), ctx.Err() != nil:
		return nil
	case err != nil:
		s.log.Error("cannot offer to migrate a function", zap.String("uri", snap.URI), zap.Error(err))
		return nil
	}
	for _, e := range res.RuleErrors {
		s.log.Error("a rule failed", zap.String("uri", snap.URI), zap.Error(e))
	}
	action := protocol.CodeAction{Title: res.Title(), Kind: codeActionKindMigrate}
	if res.Disabled != "" {
		// Lightbulbs skip disabled actions; a client that does not know
		// the field would show one that does nothing.
		if p.Context.TriggerKind == codeActionTriggerAutomatic {
			return nil
		}
		action.Disabled = &protocol.CodeActionDisable{Reason: res.Disabled}
		return []protocol.CodeAction{action}
	}
	action.Edit = codeactions.WorkspaceEdit(documentOf(snap), res.Edits, s.actionOptions())
	action.Data = s.migrateDataOf(snap.URI, tg.path, res, fa.enc)
	return []protocol.CodeAction{action}
}

// wantsMigrate applies context.only: wanted when it is absent or covers the
// migrate kind; explicit when the client asked for refactorings by kind.
func wantsMigrate(only []protocol.CodeActionKind) (explicit, wanted bool) {
	if len(only) == 0 {
		return false, true
	}
	for _, k := range only {
		if k == codeActionKindMigrate || strings.HasPrefix(string(codeActionKindMigrate), string(k)+".") {
			return true, true
		}
	}
	return false, false
}

// migrateDataOf lists the manual steps (in the migrated text, which is
// what the document holds once the edit is applied) and the callers.
func (s *Server) migrateDataOf(docURI, path string, res *migrate.Result, enc textpos.Encoding) migrateData {
	d := migrateData{Migrate: res.Function}
	migrated := textpos.NewLineIndex(res.Text)
	for _, m := range res.Manual {
		d.ManualSteps = append(d.ManualSteps, migrateStep{Code: m.Code, Message: m.Message, Range: codeactions.Range(migrated, m.Start, m.End, enc)})
	}
	for _, c := range res.Callers {
		var loc protocol.Location
		if c.Path == path {
			loc = protocol.Location{URI: protocol.DocumentURI(docURI), Range: codeactions.Range(migrated, c.Start, c.End, enc)}
		} else {
			u, lines, err := s.linesOf(c.Path)
			if err != nil {
				s.log.Debug("leaving a caller out of the migrate action", zap.String("path", c.Path), zap.Error(err))
				continue
			}
			loc = protocol.Location{URI: u, Range: codeactions.Range(lines, c.Start, c.End, enc)}
		}
		d.Callers = append(d.Callers, migrateCallsite{Location: loc, Function: c.Function, Advice: c.Advice()})
	}
	return d
}
