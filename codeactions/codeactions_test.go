package codeactions

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// A module like the ones asyncmig serves: Spanish, emoji, and non-ASCII text
// before the faulty call on its own line.
const tienda = `"""Módulo de la tienda 🛒 — reservas y caducidad."""
from datetime import datetime

# Reserva: ¡ojo con las zonas horarias! 🕐
nombre = "Año 🚀"; ts = datetime.utcnow()


def caduca(segundos: float) -> datetime:
    return datetime.utcfromtimestamp(segundos)  # cálculo rápido ñ
`

// analyze runs the real rules over src, as the language server does for
// one file.
func analyze(t testing.TB, src []byte) []diagnostics.Diagnostic {
	t.Helper()
	diags, err := analyzeText(src)
	if err != nil {
		t.Fatal(err)
	}
	return diags
}

func analyzeText(src []byte) ([]diagnostics.Diagnostic, error) {
	tree, err := pysyntax.Parse(src)
	if err != nil {
		return nil, err
	}
	ws := workspace.New("/proyecto", pymodel.Options{}, workspace.Twins{})
	mod := pymodel.Build(tree, "tienda", "/proyecto/tienda.py", false)
	file := pymodel.NewFile(tree, mod, ws.Evaluator())
	res := diagnostics.Run(context.Background(), diagnostics.Input{File: file, Workspace: ws}, rules.All)
	return res.Diagnostics, nil
}

func document(t testing.TB, uri string, version int32, src string) Document {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Document{URI: protocol.DocumentURI(uri), Version: version, Text: []byte(src), Lines: textpos.NewLineIndex([]byte(src)), Tree: tree}
}

// target picks the first diagnostic of code and gives it a published form.
func target(t testing.TB, doc Document, diags []diagnostics.Diagnostic, code string, enc textpos.Encoding) Target {
	t.Helper()
	for i := range diags {
		if diags[i].Code == code {
			return Target{Diagnostic: &diags[i], Published: protocol.Diagnostic{
				Range: Range(doc.Lines, diags[i].Start, diags[i].End, enc), Code: code, Source: "asyncmig", Message: diags[i].Message,
			}}
		}
	}
	t.Fatalf("no %s diagnostic in %v", code, diags)
	return Target{}
}

// applyEdit applies a WorkspaceEdit for uri the way an editor does: ranges
// are read against the text before any edit, in the client's encoding.
func applyEdit(t testing.TB, text string, uri protocol.DocumentURI, edit *protocol.WorkspaceEdit, enc textpos.Encoding) string {
	t.Helper()
	var edits []protocol.TextEdit
	switch {
	case len(edit.DocumentChanges) > 0:
		for _, dc := range edit.DocumentChanges {
			if dc.TextDocument.URI != uri {
				t.Fatalf("edit for %s, want %s", dc.TextDocument.URI, uri)
			}
			edits = append(edits, dc.Edits...)
		}
	default:
		for u, es := range edit.Changes {
			if u != uri {
				t.Fatalf("edit for %s, want %s", u, uri)
			}
			edits = append(edits, es...)
		}
	}
	return applyTextEdits(t, text, edits, enc)
}

func applyTextEdits(t testing.TB, text string, edits []protocol.TextEdit, enc textpos.Encoding) string {
	t.Helper()
	lines := textpos.NewLineIndex([]byte(text))
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		r := textpos.Range{Start: textpos.Position{Line: e.Range.Start.Line, Character: e.Range.Start.Character},
			End: textpos.Position{Line: e.Range.End.Line, Character: e.Range.End.Character}}
		s, en, err := lines.RangeOffsets(r, enc)
		if err != nil {
			t.Fatalf("edit %+v: %v", e, err)
		}
		spans = append(spans, span{s, en, e.NewText})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			t.Fatalf("overlapping edits: %+v", edits)
		}
		b.WriteString(text[pos:s.start])
		b.WriteString(s.text)
		pos = s.end
	}
	b.WriteString(text[pos:])
	return b.String()
}

func mustParseClean(t testing.TB, src string) {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if tree.HasError() {
		t.Fatalf("the edited text has syntax errors:\n%s", src)
	}
}

func TestQuickFixesForUtcnow(t *testing.T) {
	for _, enc := range []textpos.Encoding{textpos.UTF16, textpos.UTF8} {
		t.Run(enc.String(), func(t *testing.T) {
			doc := document(t, "file:///proyecto/tienda.py", 7, tienda)
			diags := analyze(t, doc.Text)
			tg := target(t, doc, diags, "AM501", enc)
			actions, errs := NewBuilder(doc, Options{Encoding: enc}).QuickFixes(tg)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if len(actions) != 2 {
				t.Fatalf("got %d actions, want the unsafe and the safe fix: %+v", len(actions), actions)
			}
			unsafe, safe := actions[0], actions[1]
			if unsafe.IsPreferred || !safe.IsPreferred {
				t.Errorf("isPreferred: unsafe %v, safe %v; want only the safe fix preferred", unsafe.IsPreferred, safe.IsPreferred)
			}
			for _, a := range actions {
				if a.Kind != protocol.QuickFix || !strings.HasPrefix(a.Title, "asyncmig (AM501): Replace with `") {
					t.Errorf("action %q of kind %q", a.Title, a.Kind)
				}
				if len(a.Diagnostics) != 1 || a.Diagnostics[0].Range != tg.Published.Range {
					t.Errorf("action %q lists diagnostics %+v, want the one it fixes", a.Title, a.Diagnostics)
				}
			}
			fixed := applyEdit(t, tienda, doc.URI, safe.Edit, enc)
			mustParseClean(t, fixed)
			want := `nombre = "Año 🚀"; ts = datetime.now(timezone.utc).replace(tzinfo=None)`
			if !strings.Contains(fixed, want) || !strings.Contains(fixed, "from datetime import datetime, timezone\n") {
				t.Errorf("the safe fix gave:\n%s", fixed)
			}
			if n := strings.Count(fixed, "timezone\n"); n != 1 {
				t.Errorf("timezone imported %d times:\n%s", n, fixed)
			}
		})
	}
}

// The range of the replaced call counts the emoji as two UTF-16 units and
// four bytes: the same edit, spelled in each encoding.
func TestEditRangesFollowTheEncoding(t *testing.T) {
	doc := document(t, "file:///proyecto/tienda.py", 1, tienda)
	diags := analyze(t, doc.Text)
	d := target(t, doc, diags, "AM501", textpos.UTF16).Diagnostic
	line := `nombre = "Año 🚀"; ts = `
	for _, tc := range []struct {
		enc  textpos.Encoding
		want uint32
	}{
		{textpos.UTF16, uint32(len([]rune(line)) + 1)}, // 🚀 is a surrogate pair
		{textpos.UTF8, uint32(len(line))},
		{textpos.UTF32, uint32(len([]rune(line)))},
	} {
		r := Range(doc.Lines, d.Start, d.End, tc.enc)
		if r.Start.Line != 4 || r.Start.Character != tc.want {
			t.Errorf("%s: start %+v, want 4:%d", tc.enc, r.Start, tc.want)
		}
	}
}

func TestVersionedDocumentChanges(t *testing.T) {
	doc := document(t, "untitled:Sin título-1", 42, tienda)
	diags := analyze(t, doc.Text)
	tg := target(t, doc, diags, "AM501", textpos.UTF16)

	versioned, _ := NewBuilder(doc, Options{DocumentChanges: true}).QuickFixes(tg)
	e := versioned[0].Edit
	if len(e.Changes) != 0 || len(e.DocumentChanges) != 1 {
		t.Fatalf("want one documentChanges entry, got %+v", e)
	}
	if v := e.DocumentChanges[0].TextDocument.Version; v == nil || *v != 42 {
		t.Errorf("documentChanges version %v, want 42", v)
	}

	plain, _ := NewBuilder(doc, Options{}).QuickFixes(tg)
	if e := plain[0].Edit; len(e.DocumentChanges) != 0 || len(e.Changes[doc.URI]) == 0 {
		t.Errorf("a client without documentChanges got %+v", e)
	}
}

func TestDisplayOnlyAndBreakingFixesAreNotOffered(t *testing.T) {
	doc := document(t, "file:///proyecto/m.py", 1, "x = 'ñ'\ny = 1  # 🐍\n")
	d := diagnostics.Diagnostic{Code: "AM999", Start: 0, End: 1, Fixes: []diagnostics.Fix{
		{Title: "Sólo mirar", Applicability: diagnostics.DisplayOnly, Edits: []diagnostics.Edit{{Start: 0, End: 1, NewText: "z"}}},
		{Title: "Romper", Applicability: diagnostics.Safe, Edits: []diagnostics.Edit{{Start: 4, End: 4, NewText: "("}}},
		{Title: "Renombrar", Applicability: diagnostics.Unsafe, Edits: []diagnostics.Edit{{Start: 0, End: 1, NewText: "año"}}},
	}}
	actions, errs := NewBuilder(doc, Options{}).QuickFixes(Target{Diagnostic: &d})
	if len(actions) != 1 || actions[0].Title != "asyncmig (AM999): Renombrar" || actions[0].IsPreferred {
		t.Errorf("want only the unsafe rename offered, got %+v", actions)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "Romper") {
		t.Errorf("the breaking fix should be reported for the log, got %v", errs)
	}
}

func TestIgnoreOnThisLine(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"new comment", `ts = datetime.utcnow()`, `ts = datetime.utcnow()  # noqa: AM501`},
		{"after another comment", `ts = datetime.utcnow()  # sello de tiempo ⏱`, `ts = datetime.utcnow()  # sello de tiempo ⏱  # noqa: AM501`},
		{"trailing blanks", "ts = datetime.utcnow()   \t", `ts = datetime.utcnow()  # noqa: AM501`},
		{"merge, other tools kept", `ts = datetime.utcnow()  # noqa: E501,DTZ003 — año`, `ts = datetime.utcnow()  # noqa: E501,DTZ003, AM501 — año`},
		{"merge after a spaced list", `ts = datetime.utcnow()  # NOQA: F401 E501`, `ts = datetime.utcnow()  # NOQA: F401 E501, AM501`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "from datetime import datetime\n\n# Año nuevo 🎆\n" + tc.line + "\n"
			doc := document(t, "file:///proyecto/m.py", 3, src)
			diags := analyze(t, doc.Text)
			tg := target(t, doc, diags, "AM501", textpos.UTF16)
			action, ok, err := NewBuilder(doc, Options{}).Ignore(tg)
			if err != nil || !ok {
				t.Fatalf("no ignore action (ok=%v, err=%v)", ok, err)
			}
			if action.Title != "asyncmig: Ignore AM501 on this line" || action.Kind != protocol.QuickFix || action.IsPreferred {
				t.Errorf("action %+v", action)
			}
			got := applyEdit(t, src, doc.URI, action.Edit, textpos.UTF16)
			if want := strings.Replace(src, tc.line, tc.want, 1); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			for _, d := range analyze(t, []byte(got)) {
				if d.Code == "AM501" {
					t.Errorf("AM501 still reported after ignoring it:\n%s", got)
				}
			}
		})
	}
}

func TestIgnoreNotOfferedWhereACommentCannotGo(t *testing.T) {
	for name, src := range map[string]string{
		"continuation": "from datetime import datetime\nts = datetime.utcnow() + \\\n    0\n",
		"open string":  "from datetime import datetime\nts = (datetime.utcnow(), \"\"\"fin ñ\n\"\"\")\n",
	} {
		t.Run(name, func(t *testing.T) {
			doc := document(t, "file:///proyecto/m.py", 1, src)
			diags := analyze(t, doc.Text)
			tg := target(t, doc, diags, "AM501", textpos.UTF16)
			if action, ok, err := NewBuilder(doc, Options{}).Ignore(tg); ok || err != nil {
				t.Errorf("offered %+v (err %v)", action, err)
			}
		})
	}
}

func TestFixAllAppliesSafeFixesOnly(t *testing.T) {
	src := tienda + "\n\ndef otra():\n    # Otra vez 🔁\n    return datetime.utcnow()\n"
	doc := document(t, "file:///proyecto/tienda.py", 5, src)
	b := NewBuilder(doc, Options{Encoding: textpos.UTF16, DocumentChanges: true})
	edit, res, err := b.FixAll(analyzeText, SafeFix)
	if err != nil {
		t.Fatal(err)
	}
	if edit == nil || len(edit.DocumentChanges) != 1 || len(edit.DocumentChanges[0].Edits) != 1 {
		t.Fatalf("want a single edit, got %+v", edit)
	}
	if res.Applied != 3 {
		t.Errorf("applied %d fixes, want 3 (two utcnow, one utcfromtimestamp)", res.Applied)
	}
	fixed := applyEdit(t, src, doc.URI, edit, textpos.UTF16)
	if fixed != string(res.Text) {
		t.Fatalf("the LSP edit gives\n%s\nbut the fixer produced\n%s", fixed, res.Text)
	}
	mustParseClean(t, fixed)
	for _, want := range []string{
		"from datetime import datetime, timezone\n",
		`ts = datetime.now(timezone.utc).replace(tzinfo=None)`,
		`datetime.fromtimestamp(segundos, tz=timezone.utc).replace(tzinfo=None)  # cálculo rápido ñ`,
		"    return datetime.now(timezone.utc).replace(tzinfo=None)\n",
	} {
		if !strings.Contains(fixed, want) {
			t.Errorf("fix-all result lacks %q:\n%s", want, fixed)
		}
	}
	if HasFix(analyze(t, []byte(fixed)), SafeFix) {
		t.Errorf("safe fixes remain after fix-all:\n%s", fixed)
	}
	again, _, err := NewBuilder(document(t, "file:///proyecto/tienda.py", 6, fixed), Options{}).FixAll(analyzeText, SafeFix)
	if err != nil || again != nil {
		t.Errorf("a second fix-all should change nothing, got %+v (%v)", again, err)
	}
}

func TestFixAllLeavesUnsafeOnlyFixesAlone(t *testing.T) {
	d := diagnostics.Diagnostic{Code: "AM999", Fixes: []diagnostics.Fix{{Title: "arriesgado", Applicability: diagnostics.Unsafe, Edits: []diagnostics.Edit{{NewText: "x"}}}}}
	if HasFix([]diagnostics.Diagnostic{d}, SafeFix) {
		t.Error("SafeFix chose an unsafe fix")
	}
	if !HasFix([]diagnostics.Diagnostic{d}, SafeOrUnsafeFix) {
		t.Error("SafeOrUnsafeFix ignored an unsafe fix")
	}
}

func TestReplacementKeepsCharactersWhole(t *testing.T) {
	for _, tc := range []struct{ old, new string }{
		{"é", "ê"},               // same lead byte
		{"año 🚀", "año 🚁"},       // same first three bytes of the emoji
		{"x\r\ny", "x\rz"},       // would end between \r and \n
		{"a\r\nb", "a\r\n\r\nb"}, // insertion after a CRLF
		{"ñandú", "ñandú"},       // equal
		{"", "# Hola 👋\n"},       // from empty
		{"# Adiós 👋\n", ""},      // to empty
		{"datetime.utcnow()", "datetime.now(timezone.utc)"},
	} {
		edit, changed := Replacement([]byte(tc.old), []byte(tc.new))
		if changed != (tc.old != tc.new) {
			t.Errorf("%q → %q: changed = %v", tc.old, tc.new, changed)
			continue
		}
		if !changed {
			continue
		}
		got, err := fixer.Apply([]byte(tc.old), []diagnostics.Edit{edit})
		if err != nil || string(got) != tc.new {
			t.Errorf("%q → %q: edit %+v gives %q (%v)", tc.old, tc.new, edit, got, err)
		}
		// Both ends must survive a round trip through every encoding.
		lines := textpos.NewLineIndex([]byte(tc.old))
		for _, enc := range []textpos.Encoding{textpos.UTF16, textpos.UTF8, textpos.UTF32} {
			r := lines.OffsetsRange(edit.Start, edit.End, enc)
			s, e, err := lines.RangeOffsets(r, enc)
			if err != nil || s != edit.Start || e != edit.End {
				t.Errorf("%q → %q in %s: [%d,%d) came back as [%d,%d) (%v)", tc.old, tc.new, enc, edit.Start, edit.End, s, e, err)
			}
		}
	}
}

func TestTextEditsSortedAndShared(t *testing.T) {
	text := []byte("a = 1\nb = 2  # ñ\n")
	lines := textpos.NewLineIndex(text)
	imp := diagnostics.Edit{Start: 0, End: 0, NewText: "import asyncio\n"}
	got := TextEdits(lines, []diagnostics.Edit{{Start: 10, End: 11, NewText: "3"}, imp, imp}, textpos.UTF16)
	if len(got) != 2 || got[0].NewText != imp.NewText || got[1].Range.Start != (protocol.Position{Line: 1, Character: 4}) {
		t.Errorf("got %+v", got)
	}
	if !slices.IsSortedFunc(got, func(a, b protocol.TextEdit) int { return int(a.Range.Start.Line) - int(b.Range.Start.Line) }) {
		t.Errorf("not in document order: %+v", got)
	}
}
