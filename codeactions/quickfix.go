package codeactions

import (
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Target is one engine diagnostic with the form it was published in, which
// the actions that resolve it list in their `diagnostics`.
type Target struct {
	Diagnostic *diagnostics.Diagnostic
	Published  protocol.Diagnostic
}

// Builder makes the code actions of one document version.
type Builder struct {
	doc Document
	opt Options

	baseErrors int // syntax errors of doc; -1 until counted
}

// NewBuilder returns a Builder for doc.
func NewBuilder(doc Document, opt Options) *Builder {
	return &Builder{doc: doc, opt: opt, baseErrors: -1}
}

// QuickFixTitle is the title of the quick fix for one fix of a code's
// diagnostic: "asyncmig (AM501): Replace with `…`".
func QuickFixTitle(code, fixTitle string) string {
	return "asyncmig (" + code + "): " + fixTitle
}

// QuickFixes returns one quickfix per fix of t that applies as an edit, in
// the rule's order; only safe fixes are preferred. Display-only fixes are
// not offered. A fix whose edits would add a syntax error is left out and
// reported in errs, for the log: it is a rule bug the rule tests exist to
// prevent.
func (b *Builder) QuickFixes(t Target) (actions []protocol.CodeAction, errs []error) {
	d := t.Diagnostic
	for i := range d.Fixes {
		fix := &d.Fixes[i]
		if fix.Applicability == diagnostics.DisplayOnly || len(fix.Edits) == 0 {
			continue
		}
		if _, err := b.check(fix.Edits); err != nil {
			errs = append(errs, fmt.Errorf("%s fix %q at byte %d of %s: %w", d.Code, fix.Title, d.Start, b.doc.URI, err))
			continue
		}
		actions = append(actions, protocol.CodeAction{
			Title:       QuickFixTitle(d.Code, fix.Title),
			Kind:        protocol.QuickFix,
			Diagnostics: []protocol.Diagnostic{t.Published},
			IsPreferred: fix.Applicability == diagnostics.Safe,
			Edit:        WorkspaceEdit(b.doc, fix.Edits, b.opt),
		})
	}
	return actions, errs
}

// check applies edits to the document and re-parses the result: an edit set
// that leaves more syntax errors than the document has is refused.
func (b *Builder) check(edits []diagnostics.Edit) (*pysyntax.Tree, error) {
	out, err := fixer.Apply(b.doc.Text, edits)
	if err != nil {
		return nil, err
	}
	tree, err := pysyntax.Parse(out)
	if err != nil {
		return nil, fmt.Errorf("the fixed text does not parse: %w", err)
	}
	if fixer.CountErrors(tree) > b.syntaxErrors() {
		return nil, fmt.Errorf("the edits would add a syntax error")
	}
	return tree, nil
}

func (b *Builder) syntaxErrors() int {
	if b.baseErrors >= 0 {
		return b.baseErrors
	}
	tree := b.doc.Tree
	if tree == nil {
		var err error
		if tree, err = pysyntax.Parse(b.doc.Text); err != nil {
			b.baseErrors = 1 << 30 // unparsable: any parse is no worse
			return b.baseErrors
		}
	}
	b.baseErrors = fixer.CountErrors(tree)
	return b.baseErrors
}
