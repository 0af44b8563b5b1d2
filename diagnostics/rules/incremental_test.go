package rules_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// The incremental run (diagnostics.RunIncremental, what the language
// server does after each keystroke) must find exactly what a full run
// finds. These tests edit every rule fixture step by step, as a user
// would — typing characters, adding and removing `await` and `async`,
// renaming, moving and deleting lines — and compare the two runs after
// every step, fixes and related places included.

func TestIncrementalMatchesFullRun(t *testing.T) {
	steps := 40
	if testing.Short() {
		steps = 10
	}
	for _, fx := range fixtureSources(t, "AM*") {
		rng := rand.New(rand.NewSource(int64(fx.index) + 1))
		ops := make([]byte, 3*steps+1)
		rng.Read(ops)
		t.Run(filepath.Base(fx.path), func(t *testing.T) {
			checkIncremental(t, fx.data, ops)
		})
	}
}

// FuzzIncremental explores further edit sequences on the fixtures.
func FuzzIncremental(f *testing.F) {
	for _, fx := range fixtureSources(f, "AM*") {
		i := byte(fx.index)
		f.Add(fx.data, []byte{i, 9, i, i * 7, 10, i * 3, i, 5, i, i * 11, 11, i * 5, i, 7, i * 13, i})
	}
	f.Fuzz(func(t *testing.T, src, ops []byte) {
		if len(src) > 1<<16 || len(ops) > 3*64+1 {
			t.Skip("larger than a fuzzing input needs to be")
		}
		checkIncremental(t, src, ops)
	})
}

// checkIncremental edits one module of the workspace data describes (the
// first byte of ops picks which) with the rest of ops, three bytes a step,
// and compares the incremental run with a full one after each step. As in
// the server, the edited module replaces its old self in the index at
// every step and the workspace facts are not refreshed meanwhile.
func checkIncremental(t *testing.T, data, ops []byte) {
	if len(ops) == 0 {
		return
	}
	mods := fuzzWorkspace(data)
	cfg := config.Default()
	cfg.Root = fuzzRoot
	ws := workspace.New(fuzzRoot, project.EvalOptions(cfg), project.TwinsOf(cfg))
	var parsed []*fuzzModule
	for _, m := range mods {
		tree, err := pysyntax.Parse(m.src)
		if err != nil {
			continue
		}
		name, isPkg := ws.ModuleName(m.path)
		m.tree, m.mod = tree, pymodel.Build(tree, name, m.path, isPkg)
		ws.Put(m.mod)
		parsed = append(parsed, m)
	}
	if len(parsed) == 0 {
		return
	}
	ws.Refresh()
	target := parsed[int(ops[0])%len(parsed)]
	ops = ops[1:]
	rel, _ := filepath.Rel(fuzzRoot, target.path)
	name, isPkg := ws.ModuleName(target.path)
	ctx := context.Background()
	var memo *diagnostics.Memo
	history := []string{string(target.src)}
	src := target.src
	for step := 0; ; step++ {
		tree, err := pysyntax.Parse(src)
		if err != nil {
			return
		}
		mod := pymodel.Build(tree, name, target.path, isPkg)
		before := ws.Generation()
		ws.Put(mod)
		gen := ws.Generation()
		input := func() diagnostics.Input {
			// No evaluator memo shared between the two runs: each
			// computes what it needs in its own order.
			file := pymodel.NewFile(tree, mod, pymodel.NewEvaluator(ws, ws.Options()))
			return diagnostics.Input{File: file, Workspace: ws, Config: cfg, RelPath: filepath.ToSlash(rel)}
		}
		prev := memo
		if prev != nil && prev.Generation() != before {
			prev = nil
		}
		got, next, st := diagnostics.RunIncremental(ctx, input(), rules.All, prev, gen)
		want := diagnostics.Run(ctx, input(), rules.All)
		if !reflect.DeepEqual(normalize(got.Diagnostics), normalize(want.Diagnostics)) || len(got.Errors) != len(want.Errors) {
			t.Fatalf("step %d (%d of %d statements re-checked, full: %q): the incremental run differs from a full one\n%s\n--- text before this step:\n%s\n--- text now:\n%s",
				step, st.Rechecked, st.Units, st.Full, diffDiagnostics(got.Diagnostics, want.Diagnostics), history[max(len(history)-2, 0)], src)
		}
		memo = next
		if len(ops) < 3 {
			return
		}
		src = editStep(src, ops[:3])
		ops = ops[3:]
		history = append(history, string(src))
	}
}

func normalize(ds []diagnostics.Diagnostic) []diagnostics.Diagnostic {
	if len(ds) == 0 {
		return nil
	}
	return ds
}

// diffDiagnostics lists what only one of the runs found.
func diffDiagnostics(got, want []diagnostics.Diagnostic) string {
	key := func(d diagnostics.Diagnostic) string { return fmt.Sprintf("%+v", d) }
	in := func(ds []diagnostics.Diagnostic) map[string]bool {
		m := map[string]bool{}
		for _, d := range ds {
			m[key(d)] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var b strings.Builder
	for _, d := range got {
		if !w[key(d)] {
			fmt.Fprintf(&b, "only incremental: %s\n", key(d))
		}
	}
	for _, d := range want {
		if !g[key(d)] {
			fmt.Fprintf(&b, "only full:        %s\n", key(d))
		}
	}
	if b.Len() == 0 {
		b.WriteString("(same findings, different order)")
	}
	return b.String()
}

// editStep applies one edit (three bytes: operation, two operands): most
// are editLines' line edits, the rest typing — a character inserted or
// deleted, or a name of the file typed — at a place inside a line.
func editStep(src []byte, op []byte) []byte {
	if op[0]%12 < 9 {
		return editLines(src, op)
	}
	at := boundaries(src)
	pos := (int(op[1])*256 + int(op[2])) % (len(src) + 1)
	for !at[pos] {
		pos++
	}
	switch op[0] % 12 {
	case 9:
		const typed = "abcxyz_(). :\n\"#0=,["
		c := typed[int(op[2])%len(typed)]
		return append(append(append([]byte(nil), src[:pos]...), c), src[pos:]...)
	case 10:
		end := pos + 1
		for end < len(src) && !at[end] {
			end++
		}
		if pos >= len(src) {
			return src
		}
		return append(append([]byte(nil), src[:pos]...), src[end:]...)
	default:
		names := identRE.FindAll(src, -1)
		if len(names) == 0 {
			return src
		}
		name := names[int(op[1])%len(names)]
		return append(append(append([]byte(nil), src[:pos]...), name...), src[pos:]...)
	}
}

// A keystroke inside one endpoint of a 5,000-line module re-checks that
// endpoint and what it names, not the module: the latency the user feels
// while typing. Typing a new endpoint's first characters (a broken
// statement) stays as local.
func TestKeystrokeRechecksOnlyItsNeighbourhood(t *testing.T) {
	src := rules.KeystrokeModule()
	ws := workspace.New("/ws", pymodel.Options{}, workspace.Twins{})
	run := func(src []byte, prev *diagnostics.Memo) (*diagnostics.Memo, diagnostics.IncrementalStats) {
		tree, err := pysyntax.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		mod := pymodel.Build(tree, "app.socios", "/ws/app/socios.py", false)
		ws.Put(mod)
		f := pymodel.NewFile(tree, mod, ws.Evaluator())
		res, memo, st := diagnostics.RunIncremental(context.Background(), diagnostics.Input{File: f, Workspace: ws}, rules.All, prev, ws.Generation())
		if want := diagnostics.Run(context.Background(), diagnostics.Input{File: pymodel.NewFile(tree, mod, ws.Evaluator()), Workspace: ws}, rules.All); !reflect.DeepEqual(normalize(res.Diagnostics), normalize(want.Diagnostics)) {
			t.Fatalf("the incremental run differs from a full one:\n%s", diffDiagnostics(res.Diagnostics, want.Diagnostics))
		}
		return memo, st
	}
	memo, st := run(src, nil)
	if st.Full == "" || st.Rechecked != st.Units {
		t.Fatalf("the first run should check everything: %+v", st)
	}
	at := bytes.Index(src, []byte("    total = await db.scalar")) + len("    total")
	// The bounds: the endpoint, and the module-level statements defining
	// what it names — on this module 8: five imports, the Redis client,
	// the router, the session dependency.
	for _, edit := range []struct {
		what, text string
		most       int
	}{
		{"a character in an endpoint", "e", 12},
		{"a broken decorator before an endpoint", "@rou", 12},
	} {
		pos := at
		if edit.text == "@rou" {
			pos = bytes.Index(src[len(src)/2:], []byte("\n@router")) + len(src)/2 + 1
		}
		next := append(append(append([]byte(nil), src[:pos]...), edit.text...), src[pos:]...)
		_, st := run(next, memo)
		if st.Full != "" || st.Rechecked > edit.most {
			t.Errorf("%s: %d of %d statements re-checked (full: %q), want at most %d", edit.what, st.Rechecked, st.Units, st.Full, edit.most)
		}
	}
}
