package server

// The soak test: a real `asyncmig serve` takes 200 edits a second across 20
// open documents of an indexed workspace, with code-action and hover
// requests in between, for -soak (5 s by default; CI runs a minute). At the
// end the server's copy of every document equals the client's, its
// diagnostics of the edited text equal those of the same text sent afresh,
// every request was answered, and once the documents are back to their
// first text, goroutines and live heap are back within 10% of where they
// started.

import (
	"flag"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

var soakDuration = flag.Duration("soak", 5*time.Second, "how long TestSoak edits (CI: 60s; longer by hand)")

const (
	soakDocuments   = 20
	soakEditsPerSec = 200
)

func soakModule(i int) string {
	return fmt.Sprintf(`"""Servicio de socios nº %[1]d — sincronización 🏋️."""
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.modelos import Socio


async def alta_%[1]d(db: AsyncSession, socio: Socio):
    # Registrar al socio en la base de datos (ñandú 🎉)
    db.add(socio)
    await db.commit()
    socio.alta = datetime.utcnow()
    return socio


async def baja_%[1]d(db: AsyncSession, socio_id: int):
    socio = await db.get(Socio, socio_id)
    db.delete(socio)  # falta await 🙈
    return socio
`, i)
}

// soakPieces are what the simulated user types.
var soakPieces = []string{"x", " ", "\n", "ñ", "🎉", "await ", "datetime.utcnow()", "# comentario ¿qué?\n", "    ", "(", ")", "é", "db.delete(socio)\n    "}

// soakDoc is the client's copy of one document.
type soakDoc struct {
	uri     string
	text    string
	version int32
	first   string
}

// lspPosition converts a byte offset of text (at a character boundary, \n
// line ends only, as the soak's texts have) to a UTF-16 position.
func lspPosition(text string, off int) protocol.Position {
	line := strings.Count(text[:off], "\n")
	start := strings.LastIndexByte(text[:off], '\n') + 1
	return protocol.Position{Line: uint32(line), Character: uint32(len(utf16.Encode([]rune(text[start:off]))))}
}

// runeBoundaryAt moves off back to the start of its character.
func runeBoundaryAt(text string, off int) int {
	for off > 0 && off < len(text) && !utf8.RuneStart(text[off]) {
		off--
	}
	return off
}

// edit makes one random change to d and returns the LSP change event.
func (d *soakDoc) edit(r *rand.Rand) map[string]any {
	n := len(d.text)
	insert := r.Intn(2) == 0
	if n > 2*len(d.first) {
		insert = false
	} else if n < len(d.first)/2 {
		insert = true
	}
	a := runeBoundaryAt(d.text, r.Intn(n+1))
	b := a
	piece := ""
	if insert {
		piece = soakPieces[r.Intn(len(soakPieces))]
	} else {
		b = runeBoundaryAt(d.text, min(n, a+1+r.Intn(12)))
		if r.Intn(4) == 0 {
			piece = soakPieces[r.Intn(len(soakPieces))] // a replacement
		}
	}
	rng := protocol.Range{Start: lspPosition(d.text, a), End: lspPosition(d.text, b)}
	d.text = d.text[:a] + piece + d.text[b:]
	return map[string]any{"range": rng, "text": piece}
}

func (d *soakDoc) notify(c *lsptest.Client, changes ...map[string]any) {
	d.version++
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": d.uri, "version": d.version},
		"contentChanges": changes,
	})
}

func (s *realServer) runtimeStats() DebugRuntimeResult {
	s.t.Helper()
	var got DebugRuntimeResult
	if err := s.Call(methodDebugRuntime, map[string]any{}, &got); err != nil {
		s.t.Fatalf("%s: %v", methodDebugRuntime, err)
	}
	return got
}

// settle waits until the goroutine count stops falling (debounced runs and
// index refreshes finishing), and returns the last measurement.
func (s *realServer) settle() DebugRuntimeResult {
	s.t.Helper()
	prev := s.runtimeStats()
	for range 20 {
		time.Sleep(250 * time.Millisecond)
		cur := s.runtimeStats()
		if cur.Goroutines >= prev.Goroutines && cur.Goroutines <= prev.Goroutines+1 {
			return cur
		}
		prev = cur
	}
	return prev
}

// within10 reports whether end grew at most 10% over start (at least one
// unit, for small counts). Ending lower is no leak.
func within10(start, end uint64) bool {
	return end <= start+max(start/10, 1)
}

func sameDiagnostics(a, b *lsptest.Published) bool {
	type key struct {
		Code  any
		Range protocol.Range
		Msg   string
	}
	keys := func(p *lsptest.Published) []key {
		out := make([]key, len(p.Diagnostics))
		for i, d := range p.Diagnostics {
			out[i] = key{d.Code, d.Range, d.Message}
		}
		return out
	}
	return reflect.DeepEqual(keys(a), keys(b))
}

func TestSoak(t *testing.T) {
	duration := *soakDuration
	if testing.Short() {
		duration = min(duration, 2*time.Second)
	}
	seed := time.Now().UnixNano()
	r := rand.New(rand.NewSource(seed))
	t.Logf("seed %d, %v", seed, duration)

	root := t.TempDir()
	files := map[string]string{
		"pyproject.toml":  "[project]\nname = \"gimnasio\"\n",
		"app/__init__.py": "",
		"app/modelos.py":  "class Socio:\n    \"\"\"Un socio del gimnasio 🏋️.\"\"\"\n",
	}
	docs := make([]*soakDoc, soakDocuments)
	for i := range docs {
		name := fmt.Sprintf("app/servicio_%02d.py", i)
		files[name] = soakModule(i)
		docs[i] = &soakDoc{uri: fileURI(filepath.Join(root, filepath.FromSlash(name))), text: soakModule(i), first: soakModule(i), version: 1}
	}
	writeFiles(t, root, files)

	s := startReal(t)
	s.Initialize(initParams(root, editorCaps(), nil))
	for _, d := range docs {
		s.Open(d.uri, 1, d.text)
	}
	initial := make([]*lsptest.Published, len(docs))
	for i, d := range docs {
		initial[i] = s.WaitDiagnostics(d.uri, 1)
		diagnosticOf(t, initial[i], "AM102")
	}

	// Warm up before counting. A second of editing builds what is built
	// once (rule docs for hover, code action tables). A burst of edits
	// sent as fast as possible raises the number of goroutines alive at
	// once (one per queued message) to a high-water mark: the Go runtime
	// keeps the descriptors of finished goroutines for reuse, so without
	// the burst a busier moment later would look like a leak. The counts
	// are taken after the warm-up and at the end, each time with every
	// document back to its first text.
	for range 1500 {
		docs[r.Intn(len(docs))].notify(s.Client, map[string]any{"range": protocol.Range{}, "text": ""})
	}
	s.soakPhase(t, r, docs, min(time.Second, duration))
	s.restore(t, docs, initial)
	start := s.settle()
	t.Logf("start: %+v", start)

	edits, requests := s.soakPhase(t, r, docs, duration)
	// Every request was answered, none with an error.
	for _, id := range requests {
		if m := s.WaitResponse(id); m.Error != nil {
			t.Errorf("request %s failed: %s", id, m.Raw)
		}
	}
	// The server's copy of every document is the client's.
	for _, d := range docs {
		got := s.document(d.uri)
		if got.Version != d.version || got.Text != d.text {
			t.Fatalf("%s drifted: server has version %d, client %d; texts equal: %v", d.uri, got.Version, d.version, got.Text == d.text)
		}
	}
	// Its diagnostics of the edited text are those of the same text sent
	// whole: incremental state and a fresh parse agree.
	edited := make([]*lsptest.Published, len(docs))
	for i, d := range docs {
		edited[i] = s.WaitDiagnostics(d.uri, d.version)
		d.notify(s.Client, map[string]any{"text": d.text})
	}
	for i, d := range docs {
		if fresh := s.WaitDiagnostics(d.uri, d.version); !sameDiagnostics(edited[i], fresh) {
			t.Errorf("%s: diagnostics after %d edits differ from those of the same text sent whole:\n%s\n%s", d.uri, edits, edited[i].Raw, fresh.Raw)
		}
	}
	s.restore(t, docs, initial)
	end := s.settle()
	t.Logf("end: %+v", end)
	if !within10(uint64(start.Goroutines), uint64(end.Goroutines)) {
		t.Errorf("goroutines: %d at the start, %d at the end", start.Goroutines, end.Goroutines)
	}
	if !within10(start.HeapAlloc, end.HeapAlloc) {
		t.Errorf("live heap: %d bytes at the start, %d at the end", start.HeapAlloc, end.HeapAlloc)
	}
	if end.OpenDocuments != soakDocuments {
		t.Errorf("%d open documents, want %d", end.OpenDocuments, soakDocuments)
	}
}

// soakPhase edits at soakEditsPerSec for d, whatever the pace of the loop,
// with a code action or hover request every fifth edit, and returns the
// number of edits and the ids of the requests.
func (s *realServer) soakPhase(t *testing.T, r *rand.Rand, docs []*soakDoc, d time.Duration) (int, []string) {
	var requests []string
	edits := 0
	began := time.Now()
	for time.Since(began) < d {
		due := int(time.Since(began).Seconds() * soakEditsPerSec)
		for ; edits < due; edits++ {
			doc := docs[r.Intn(len(docs))]
			switch {
			case edits%499 == 0: // a full replacement, as some clients send
				doc.text = doc.first + "# reescrito ✍️\n"
				doc.notify(s.Client, map[string]any{"text": doc.text})
			case edits%37 == 0: // several changes in one notification
				doc.notify(s.Client, doc.edit(r), doc.edit(r), doc.edit(r))
			default:
				doc.notify(s.Client, doc.edit(r))
			}
			switch edits % 10 {
			case 3:
				end := lspPosition(doc.text, len(doc.text))
				requests = append(requests, s.Send("textDocument/codeAction", codeActionRequest(doc.uri, protocol.Range{End: end}, nil)))
			case 8:
				at := lspPosition(doc.text, runeBoundaryAt(doc.text, r.Intn(len(doc.text)+1)))
				requests = append(requests, s.Send("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": doc.uri}, "position": at}))
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	elapsed := time.Since(began)
	rate := float64(edits) / elapsed.Seconds()
	t.Logf("%d edits in %v (%.0f/s), %d requests", edits, elapsed.Round(time.Millisecond), rate, len(requests))
	if rate < soakEditsPerSec/2 {
		t.Errorf("only %.0f edits/s reached the server (target %d): it reads too slowly", rate, soakEditsPerSec)
	}
	return edits, requests
}

// restore sends every document's first text whole and checks its
// diagnostics are the first ones again.
func (s *realServer) restore(t *testing.T, docs []*soakDoc, initial []*lsptest.Published) {
	for _, d := range docs {
		d.text = d.first
		d.notify(s.Client, map[string]any{"text": d.text})
	}
	for i, d := range docs {
		if back := s.WaitDiagnostics(d.uri, d.version); !sameDiagnostics(initial[i], back) {
			t.Errorf("%s: back to its first text, diagnostics differ:\n%s\n%s", d.uri, initial[i].Raw, back.Raw)
		}
	}
}
