package codeactions

import (
	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
)

// FixAllTitle is the title of the fix-all action; unsafe says it applies
// unsafe fixes too (the user opted in).
func FixAllTitle(unsafe bool) string {
	if unsafe {
		return "asyncmig: Fix all problems, unsafe fixes included"
	}
	return "asyncmig: Fix all safe problems"
}

// SafeFix chooses, for fix-all, a diagnostic's first safe fix.
func SafeFix(d *diagnostics.Diagnostic) *diagnostics.Fix { return d.PreferredFix(false) }

// SafeOrUnsafeFix chooses the first fix that is not display-only, for users
// who opted into unsafe fixes (the unsafe-fixes setting).
func SafeOrUnsafeFix(d *diagnostics.Diagnostic) *diagnostics.Fix { return d.PreferredFix(true) }

// HasFix reports whether choose picks a fix for any of diags: whether a
// fix-all action would do anything on the first pass.
func HasFix(diags []diagnostics.Diagnostic, choose fixer.Choose) bool {
	for i := range diags {
		if f := choose(&diags[i]); f != nil && len(f.Edits) > 0 {
			return true
		}
	}
	return false
}

// FixAll applies every fix choose picks through fixer.Loop — pass after
// pass, re-analysing the text with analyze and refusing any pass that adds
// a syntax error — and returns the result as one edit replacing the changed
// span of the document. edit is nil when nothing changes.
func (b *Builder) FixAll(analyze fixer.Analyze, choose fixer.Choose) (edit *protocol.WorkspaceEdit, res fixer.Result, err error) {
	res, err = fixer.Loop(b.doc.Text, analyze, choose)
	if err != nil {
		return nil, res, err
	}
	replacement, changed := Replacement(b.doc.Text, res.Text)
	if !changed {
		return nil, res, nil
	}
	return WorkspaceEdit(b.doc, []diagnostics.Edit{replacement}, b.opt), res, nil
}

// FixAllAction is the fix-all code action. edit may be nil for a client
// that resolves it later (codeAction/resolve); data then says what to fix.
func FixAllAction(unsafe bool, edit *protocol.WorkspaceEdit, data any) protocol.CodeAction {
	return protocol.CodeAction{Title: FixAllTitle(unsafe), Kind: KindFixAll, Edit: edit, Data: data}
}
