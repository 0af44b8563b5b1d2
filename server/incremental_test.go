package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/replay"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// After each keystroke the server re-checks only the statements the change
// can reach and keeps the findings of the rest (diagnostics.RunIncremental).
// What the editor is shown must still be what a full check of the same
// text finds: this types a helper and an endpoint that uses it into the
// middle of a router module, character by character with typos fixed by
// backspace, then renames the helper, and compares every publication with
// a full check of its version.
func TestTypingPublishesWhatAFullCheckFinds(t *testing.T) {
	root, text := routerWorkspace(t, 50, 300)
	s := New(Options{Logger: zap.NewNop(), Version: "test"})
	c := lsptest.New(t, s.Serve)
	c.Initialize(initParams(root, editorCaps(), map[string]any{"debounce-ms": 0}))
	waitIndexed(t, c)
	uri := fileURI(filepath.Join(root, filepath.FromSlash(replay.BigModulePath)))
	c.Open(uri, 1, text)
	c.WaitDiagnostics(uri, 1)

	// Type at the start of the line after the middle endpoint.
	at := strings.Index(text[len(text)/2:], "\n@router") + len(text)/2 + 1
	typed := "async def ayuda_socio(socio_id):\n    return {\"id\": socio_id, \"nombre\": \"Ñandú\"}.fisrt\b\b\b\b\b\b\n\n\n" +
		"@router.get(\"/nuevo/{item_id}\")\nasync def nuevo_socio(item_id: int, db: AsyncSession = Depends(get_async_db)):\n" +
		"    # ¡Nuevo endpoint! 🎉\n    socio = ayuda_socio(item_id)\n    claves = await redis_async.keys(\"socio:*\")\n" +
		"    return {\"id\": socio.id, \"hora\": datetime.utcnow().isoformat()}\n\n\n"
	version := int32(1)
	var checked int
	keystroke := func(start, end int, insert string) {
		t.Helper()
		lines := strings.Split(text[:start], "\n")
		from := protocol.Position{Line: uint32(len(lines) - 1), Character: utf16Len(lines[len(lines)-1])}
		lines = strings.Split(text[:end], "\n")
		to := protocol.Position{Line: uint32(len(lines) - 1), Character: utf16Len(lines[len(lines)-1])}
		text = text[:start] + insert + text[end:]
		version++
		v := version
		mark := c.Mark()
		c.Change(uri, v, protocol.Range{Start: from, End: to}, insert)
		got := c.WaitDiagnosticsSince(mark, uri, lsptest.Timeout, func(p *lsptest.Published) bool {
			return p.Version != nil && *p.Version == v
		})
		if want := fullCheck(t, s, uri, v); !sameJSON(got.Diagnostics, want) {
			t.Fatalf("after typing %q at byte %d (version %d) the server published\n%s\nbut a full check finds\n%s\n--- text:\n%s",
				insert, start, v, toJSON(got.Diagnostics), toJSON(want), text)
		}
		checked++
	}
	for _, r := range typed {
		if r == '\b' {
			keystroke(at-1, at, "")
			at--
			continue
		}
		keystroke(at, at, string(r))
		at += len(string(r))
	}
	// Rename the helper's definition and back: the coroutine its caller
	// forgets to await (AM301) goes and comes back.
	def := strings.Index(text, "def ayuda_socio") + len("def ayuda_")
	keystroke(def, def+len("socio"), "miembro")
	keystroke(def, def+len("miembro"), "socio")
	if checked < 300 {
		t.Fatalf("only %d keystrokes checked", checked)
	}
}

// fullCheck analyses the document's current version from scratch and
// returns its diagnostics as the server would publish them.
func fullCheck(t *testing.T, s *Server, uri string, version int32) []protocol.Diagnostic {
	t.Helper()
	snap := s.docs.Get(uri)
	if snap == nil || snap.Version != version {
		t.Fatalf("the document is not at version %d", version)
	}
	tg := s.targetFor(uri)
	diags, err := s.analyzeText(context.Background(), tg, snap.Text)
	if err != nil {
		t.Fatal(err)
	}
	return s.toLSP(&fileAnalysis{snap: snap, target: tg, enc: s.session().positionEncoding, diags: diags})
}

func sameJSON(a, b []protocol.Diagnostic) bool { return toJSON(a) == toJSON(b) }

func toJSON(ds []protocol.Diagnostic) string {
	if len(ds) == 0 {
		return "[]"
	}
	out, _ := json.MarshalIndent(ds, "", " ")
	return string(out)
}

func utf16Len(s string) uint32 {
	n := uint32(0)
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
