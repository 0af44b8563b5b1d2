package migrate

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// migrationRule reports whether a rule's findings inside the function are
// steps of the migration: the session (AM1xx), Redis (AM2xx), await and
// blocking (AM3xx) and datetime (AM5xx) rules, and the import rules that
// go with them (AM401 sync-service-import, AM402 missing-import). The other
// import rules (unknown names, legacy modules) report problems the
// migration neither causes nor fixes.
func migrationRule(code string) bool {
	switch {
	case code == "AM401" || code == "AM402":
		return true
	case len(code) == 5 && strings.HasPrefix(code, "AM"):
		switch code[2] {
		case '1', '2', '3', '5':
			return true
		}
	}
	return false
}

// choose picks the fix the migration applies for d, or nil.
func (m *migration) choose(a *analysis, d *diagnostics.Diagnostic) *diagnostics.Fix {
	start, end := int(a.fn.Start), int(a.fn.End)
	inside := start <= d.Start && d.End <= end
	switch {
	case inside && migrationRule(d.Code):
	case d.Code == "AM401":
		// Reported on the import, outside the function: its fix rewrites
		// the import and the uses in async code, which is the migration's
		// "sync import → async twin" step when the function is the only
		// async user (confined below).
	default:
		return nil
	}
	fix := m.pick(d)
	if fix == nil || len(fix.Edits) == 0 || keepsBlockingCall(fix) {
		return nil
	}
	for _, e := range fix.Edits {
		if !(start <= e.Start && e.End <= end) && !importsOnly(a.tree, e) {
			return nil // it would touch other code of the file
		}
	}
	return fix
}

// pick chooses among d's fixes: the rule's first applicable one, except
// for the datetime rules, whose two fixes are the aware rewrite (unsafe,
// first) and the naive-preserving one (safe).
func (m *migration) pick(d *diagnostics.Diagnostic) *diagnostics.Fix {
	switch d.Code {
	case "AM501", "AM502":
		want := diagnostics.Safe
		if m.opt.AwareDatetimes {
			want = diagnostics.Unsafe
		}
		for i := range d.Fixes {
			if d.Fixes[i].Applicability == want {
				return &d.Fixes[i]
			}
		}
		return d.PreferredFix(true)
	}
	return d.PreferredFix(true)
}

// keepsBlockingCall recognises AM303's fallback fix, which wraps a call
// that has no async twin in `await asyncio.to_thread(…)`: the call still
// blocks a thread, and whether that is the right step (or an async
// library, or a twin to write) is the user's call — a manual step.
func keepsBlockingCall(fix *diagnostics.Fix) bool {
	for _, e := range fix.Edits {
		if strings.Contains(e.NewText, "asyncio.to_thread(") {
			return true
		}
	}
	return false
}

// importsOnly reports whether edit e changes nothing but the module's
// top-level import statements: it overlaps only imports (and comments on
// their lines), and an insertion falls between statements.
func importsOnly(tree *pysyntax.Tree, e diagnostics.Edit) bool {
	touchesImport := false
	for s := tree.Root().FirstChild(); !s.IsNull(); s = s.NextSibling() {
		overlaps := s.Start() < e.End && e.Start < s.End()
		if e.Start == e.End {
			overlaps = s.Start() < e.Start && e.Start < s.End()
		}
		if !overlaps {
			continue
		}
		switch {
		case isImport(s):
			touchesImport = true
		case s.Is(pysyntax.Comment):
		default:
			return false
		}
	}
	if e.Start == e.End {
		return !insideAnyDefinition(tree, e.Start)
	}
	return touchesImport
}

func isImport(n pysyntax.Node) bool {
	return n.Is(pysyntax.ImportStatement) || n.Is(pysyntax.ImportFromStatement) || n.Is(pysyntax.FutureImportStatement)
}

// insideAnyDefinition reports whether off lies strictly inside a top-level
// statement that is not an import.
func insideAnyDefinition(tree *pysyntax.Tree, off int) bool {
	for s := tree.Root().FirstChild(); !s.IsNull(); s = s.NextSibling() {
		if s.Start() < off && off < s.End() && !isImport(s) {
			return true
		}
	}
	return false
}
