// Package migrate turns one sync function — a FastAPI route handler or a
// service function or method — into its async version, as one edit of its
// file: the per-endpoint checklist users follow by hand, done by the rules
// that already know each step.
//
// # How
//
// The engine does not rewrite code itself. It makes the `def` an
// `async def` (a text edit), then lets the rules see the result: in async
// code a sync Session parameter is AM104's, `db.query` AM101's, an unawaited
// `db.commit()` AM102's, a sync service AM105's or AM303's, `utcnow` AM501's,
// `r.keys()` AM201's. It applies their fixes — only those of diagnostics
// inside the function, plus the import rewrite of AM401, and only fixes
// whose edits stay inside the function or in the module's import
// statements — pass after pass through internal/fixer, re-analysing the
// text each time, until nothing changes. What is still reported inside the
// function then has no mechanical rewrite: each such place gets a
// `# TODO(asyncmig): …` comment with the rule's message, and the count goes
// into the action's title. The result is diffed against the original into
// a few small edits, and must parse.
//
// Which fix a diagnostic gets is a policy of its own (choose.go): the
// rule's first applicable fix, except that `asyncio.to_thread` wrappers are
// left to the user (they keep a blocking call; a call with no async twin is
// a manual step) and AM501/AM502 take the naive-preserving fix unless the
// caller asks for aware datetimes.
//
// Callers of the migrated function elsewhere in the project are listed,
// not edited: each now needs `await`, or must keep calling a sync twin.
package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// Env is where the file being migrated lives: its project index and how the
// rules are run on it. The workspace is only read.
type Env struct {
	Workspace *workspace.Workspace
	Config    *config.Config // nil: defaults
	Rules     []*diagnostics.Rule
	// Path, Module and IsPackage place the file in the workspace (Module is
	// the dotted name, "" for a file analysed alone).
	Path      string
	Module    string
	IsPackage bool
	// RelPath is the path relative to the config root, for per-file-ignores.
	RelPath string
}

// Options tune a migration.
type Options struct {
	// AwareDatetimes rewrites `datetime.utcnow()` to the aware
	// `datetime.now(timezone.utc)` (AM501/AM502's unsafe fix) instead of the
	// safe `datetime.now(timezone.utc).replace(tzinfo=None)`, which keeps
	// values naive like the rest of a legacy code base.
	AwareDatetimes bool
}

// Selector says which function to migrate: by qualified name
// ("get_profile", "UserService.get_user"), or by a byte range of the file.
type Selector struct {
	Name       string
	Start, End int
	// InBody lets the range select the function whose body it is in;
	// otherwise it must touch the function's header (decorators, `def` line,
	// parameters), where users invoke the action.
	InBody bool
}

// ErrNoFunction is returned when the selector names no function.
var ErrNoFunction = errors.New("no function there")

// Applied is one fix the migration took: a rule's (Code) or its own
// removal of an import it left unused (Code "").
type Applied struct {
	Code, Title string
}

// ManualStep is a place the migration could not rewrite, marked with a
// TODO comment in the migrated text.
type ManualStep struct {
	// Code is the rule that still reports the place; "" for a relationship
	// read that lazy-loads, which no rule reports (see lazyload.go).
	Code    string
	Message string
	// Start and End delimit the flagged code in Result.Text; Comment is the
	// offset of the TODO comment there.
	Start, End, Comment int
}

// Caller is a call of the migrated function from other code: after the
// migration it gets a coroutine.
type Caller struct {
	Path     string // file of the call
	Module   string
	Function string // qualified name of the calling function, "" at module level
	// Start and End delimit the call in that file — for calls in the
	// migrated file itself, in Result.Text.
	Start, End int
	// Async: the call is in async code, which can await the coroutine;
	// Awaited: it already does (it awaited a sync function by mistake).
	Async, Awaited bool
}

// NeedsUpdate reports whether the call is wrong once the function is
// async: everywhere but where it is already awaited.
func (c Caller) NeedsUpdate() bool { return !c.Awaited }

// Advice says what the call needs now.
func (c Caller) Advice() string {
	switch {
	case c.Awaited:
		return "already awaits it"
	case c.Async:
		return "needs `await`"
	}
	return "sync code: keep a sync version for it, or migrate it too"
}

// Result is a migration, or why there is none.
type Result struct {
	// Function is the qualified name of the migrated function.
	Function string
	// Disabled says why nothing is migrated ("" when something is); Text
	// and Edits are then empty.
	Disabled string
	Original []byte
	// Text is the migrated file; Edits turn Original into it (sorted, not
	// overlapping, each as small as the diff allows).
	Text    []byte
	Edits   []diagnostics.Edit
	Applied []Applied
	Manual  []ManualStep
	Callers []Caller
	// RuleErrors are rule panics met while analysing (the rule's findings
	// are lost, the migration goes on); callers log them.
	RuleErrors []error
}

// Title is the code action's title: "Migrate `get_profile` to async (2
// manual steps, 1 caller to update)".
func (r *Result) Title() string {
	var notes []string
	if n := len(r.Manual); n > 0 {
		notes = append(notes, fmt.Sprintf("%d manual step%s", n, plural(n)))
	}
	if n := r.CallersToUpdate(); n > 0 {
		notes = append(notes, fmt.Sprintf("%d caller%s to update", n, plural(n)))
	}
	title := "Migrate `" + r.Function + "` to async"
	if len(notes) > 0 {
		title += " (" + strings.Join(notes, ", ") + ")"
	}
	return title
}

// CallersToUpdate counts the callers that need a change.
func (r *Result) CallersToUpdate() int {
	n := 0
	for _, c := range r.Callers {
		if c.NeedsUpdate() {
			n++
		}
	}
	return n
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// TODOPrefix starts every comment the migration leaves at a manual step.
const TODOPrefix = "# TODO(asyncmig): "

// maxPasses caps fix-until-stable, as internal/fixer does.
const maxPasses = fixer.MaxPasses

// Migrate migrates the function sel picks in src. It returns ErrNoFunction
// when there is none, and a Result with Disabled set when the function
// cannot be migrated.
func Migrate(ctx context.Context, env Env, src []byte, sel Selector, opt Options) (*Result, error) {
	if env.Workspace == nil {
		return nil, errors.New("migrate: no workspace")
	}
	tree, err := pysyntax.Parse(src)
	if err != nil {
		return nil, err
	}
	mod := pymodel.Build(tree, env.Module, env.Path, env.IsPackage)
	fn, id, err := sel.find(mod, tree)
	if err != nil {
		return nil, err
	}
	res := &Result{Function: fn.Qual, Original: src}
	ev := env.Workspace.Evaluator()
	if why := cannotMigrate(ev, mod, fn); why != "" {
		res.Disabled = why
		return res, nil
	}
	if tree.HasError() {
		res.Disabled = "the file has syntax errors: fix them first"
		return res, nil
	}
	m := &migration{env: env, opt: opt, id: id, res: res}
	defer m.close()
	text := insertAsync(src, fn)
	// First as a new function, its parameters read from their annotations
	// alone: what callers pass today does not say what the async version
	// will get (its sync callers cannot call it any more), and an
	// annotation `Session` must become `AsyncSession` (AM104) even when
	// every caller already passes one. Then as the project sees it, so an
	// unannotated parameter that receives an AsyncSession is one.
	m.ignoreFlows = true
	text, err = m.fixLoop(ctx, text)
	if err != nil {
		return nil, err
	}
	m.ignoreFlows = false
	text, err = m.fixLoop(ctx, text)
	if err != nil {
		return nil, err
	}
	text, removed := m.removeUnusedImports(pymodel.NewFile(tree, mod, ev), fn, text)
	for _, name := range removed {
		res.Applied = append(res.Applied, Applied{Title: "Remove the import of `" + name + "`, unused now"})
	}
	final, err := m.analyze(ctx, text)
	if err != nil {
		return nil, err
	}
	text = m.markManualSteps(final)
	if !m.parsesClean(text) {
		// The fixer refuses passes that break the syntax and TODO comments
		// go on their own lines: reaching this is a bug, said plainly.
		return nil, fmt.Errorf("migrate %s: the migrated text does not parse (please report it)", fn.Qual)
	}
	callers := findCallers(env.Workspace, env.Path, mod, fn)
	if len(res.Applied) == 0 && len(res.Manual) == 0 && !ev.IsRequestHandler(mod, fn) && !anyAwaited(callers) {
		// Making a plain helper async would only break its callers. (A
		// route is still worth it: FastAPI stops using a thread for it; and
		// callers that await it already are waiting for exactly this.)
		res.Manual = nil
		res.Disabled = "nothing to migrate: once async, `" + fn.Qual + "` has nothing the rules rewrite or flag, and making it async would only make its callers await it"
		return res, nil
	}
	res.Text = text
	res.Edits = minimalEdits(src, text)
	res.Callers = callers
	for i, c := range res.Callers {
		if c.Path == env.Path {
			// The file changes: its own callers are placed in the new text.
			res.Callers[i].Start, res.Callers[i].End = shifted(res.Edits, c.Start), shifted(res.Edits, c.End)
		}
	}
	return res, nil
}

func anyAwaited(callers []Caller) bool {
	for _, c := range callers {
		if c.Awaited {
			return true
		}
	}
	return false
}

// migration is one run of Migrate.
type migration struct {
	env Env
	opt Options
	id  funcID
	res *Result
	// ignoreFlows hides from the rules the session kinds call sites pass
	// to the function's parameters (see Migrate).
	ignoreFlows bool
	// doc is the most recent parse, kept for incremental reparsing:
	// applying a pass parses its result to check it, the next analysis
	// reuses that tree, and each new text is parsed from the previous one
	// through the edits between them. Parsing is most of a migration's time.
	doc *pysyntax.Doc
}

// parse parses text: nothing to do when it is the last text parsed, else
// an incremental reparse of the last parse (a full one the first time, or
// if that fails).
func (m *migration) parse(text []byte) (*pysyntax.Tree, error) {
	if m.doc != nil && bytes.Equal(m.doc.Tree().Src, text) {
		return m.doc.Tree(), nil
	}
	var next *pysyntax.Doc
	if m.doc != nil {
		old := m.doc.Tree().Src
		next, _ = m.doc.Reparse(text, treeEdits(old, minimalEdits(old, text)))
		m.doc.Close()
		m.doc = nil
	}
	if next == nil {
		var err error
		if next, err = pysyntax.ParseDoc(text); err != nil {
			return nil, err
		}
	}
	m.doc = next
	return next.Tree(), nil
}

// close frees the C tree of the last parse (its flat trees stay valid).
func (m *migration) close() {
	if m.doc != nil {
		m.doc.Close()
		m.doc = nil
	}
}

// treeEdits describes sorted, disjoint edits of old for tree-sitter, which
// takes them one after the other: last first, so each one's offsets and
// points are those of old.
func treeEdits(old []byte, edits []diagnostics.Edit) []pysyntax.Edit {
	out := make([]pysyntax.Edit, 0, len(edits))
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		out = append(out, pysyntax.NewEdit(old, e.Start, e.End, []byte(e.NewText)))
	}
	return out
}

// parsesClean reports whether text parses without syntax errors.
func (m *migration) parsesClean(text []byte) bool {
	t, err := m.parse(text)
	return err == nil && fixer.CountErrors(t) == 0
}

// applyPass applies one pass of fixes to text, which parses clean. The
// usual case costs one parse, of the result (kept for the next analysis);
// when the result has a syntax error, fixer.ApplyPass sorts out which
// fixes to leave out. refused lists those.
func (m *migration) applyPass(text []byte, fixes []*diagnostics.Fix) (next []byte, refused map[*diagnostics.Fix]bool) {
	var edits []diagnostics.Edit
	for _, f := range fixes {
		edits = append(edits, f.Edits...)
	}
	if out, err := fixer.Apply(text, edits); err == nil && m.parsesClean(out) {
		return out, nil
	}
	next, n := fixer.ApplyPass(text, fixes)
	if next == nil {
		return nil, nil
	}
	refused = map[*diagnostics.Fix]bool{}
	if n > 0 {
		for _, f := range fixes {
			if _, err := fixer.ApplyFix(text, f); err != nil {
				refused[f] = true
			}
		}
	}
	return next, refused
}

// analysis is the rules' view of one version of the text.
type analysis struct {
	tree  *pysyntax.Tree
	file  *pymodel.File
	fn    *pymodel.Function // the function being migrated, in this text
	diags []diagnostics.Diagnostic
}

// analyze runs the rules on text as the file it will become: same module
// name and configuration, against the (unchanged) workspace index.
func (m *migration) analyze(ctx context.Context, text []byte) (*analysis, error) {
	tree, err := m.parse(text)
	if err != nil {
		return nil, err
	}
	mod := pymodel.Build(tree, m.env.Module, m.env.Path, m.env.IsPackage)
	fn := m.id.find(mod)
	if fn == nil {
		return nil, fmt.Errorf("migrate: lost track of `%s` while rewriting it (please report it)", m.id.qual)
	}
	if m.ignoreFlows {
		fn.Key += "\x00migrating" // a key no call site feeds
	}
	file := pymodel.NewFile(tree, mod, m.env.Workspace.Evaluator())
	run := diagnostics.Run(ctx, diagnostics.Input{File: file, Workspace: m.env.Workspace, Config: m.env.Config, RelPath: m.env.RelPath}, m.env.Rules)
	m.res.RuleErrors = append(m.res.RuleErrors, run.Errors...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &analysis{tree: tree, file: file, fn: fn, diags: run.Diagnostics}, nil
}

// fixLoop applies the chosen fixes pass after pass until none is left.
func (m *migration) fixLoop(ctx context.Context, text []byte) ([]byte, error) {
	for pass := 0; pass < maxPasses; pass++ {
		a, err := m.analyze(ctx, text)
		if err != nil {
			return nil, err
		}
		var fixes []*diagnostics.Fix
		codes := map[*diagnostics.Fix]string{}
		for i := range a.diags {
			if f := m.choose(a, &a.diags[i]); f != nil {
				fixes = append(fixes, f)
				codes[f] = a.diags[i].Code
			}
		}
		chosen := fixer.Select(preferImportRewrites(fixes, codes))
		if len(chosen) == 0 {
			return text, nil
		}
		next, refused := m.applyPass(text, chosen)
		if next == nil || bytes.Equal(next, text) {
			return text, nil
		}
		for _, f := range chosen {
			if !refused[f] { // a fix that would break the syntax is a rule bug: left out
				m.res.Applied = append(m.res.Applied, Applied{Code: codes[f], Title: f.Title})
			}
		}
		text = next
	}
	return text, nil
}

// preferImportRewrites keeps only AM401's fixes when there are any: its
// rewrite of the import and of the uses overlaps the per-call twin fixes of
// AM105/AM302/AM303, which would otherwise win by position and import the
// twin beside a sync import left unused. Taken first, it moves the import
// to the twin in place; the other fixes follow in the next pass.
func preferImportRewrites(fixes []*diagnostics.Fix, codes map[*diagnostics.Fix]string) []*diagnostics.Fix {
	var imports []*diagnostics.Fix
	for _, f := range fixes {
		if codes[f] == "AM401" {
			imports = append(imports, f)
		}
	}
	if len(imports) > 0 {
		return imports
	}
	return fixes
}

// insertAsync makes fn an `async def`.
func insertAsync(src []byte, fn *pymodel.Function) []byte {
	at := int(fn.DefStart)
	out := make([]byte, 0, len(src)+len("async "))
	out = append(out, src[:at]...)
	out = append(out, "async "...)
	return append(out, src[at:]...)
}
