// Package document holds the open documents of an editor session: their
// text, line index and syntax tree, updated change by change. It is pure
// text handling; it knows nothing of LSP beyond positions (textpos) and
// nothing of rules.
//
// Every update produces a new immutable Snapshot, so readers (diagnostics
// workers, code actions) never see a document change under them and never
// hold a lock. The C parse state that incremental parsing needs stays inside
// the store, used only under the document's lock.
package document

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

var (
	ErrNotOpen      = errors.New("document is not open")
	ErrStaleVersion = errors.New("version is not newer than the current one")
	ErrInvalidRange = errors.New("change range is invalid")
	// ErrBinary marks a document we keep but do not analyse.
	ErrBinary = errors.New("binary content (NUL byte in the first 8 KiB)")
)

// Change is one content change of a didChange notification. A nil Range
// replaces the whole text (LSP's full-document change).
type Change struct {
	Range *textpos.Range
	Text  string
}

// Snapshot is one version of a document. It never changes.
type Snapshot struct {
	URI     string
	Version int32
	Text    []byte
	Lines   *textpos.LineIndex
	// Tree is nil when the text was not parsed; ParseErr says why.
	Tree     *pysyntax.Tree
	ParseErr error
	// Stats describes how Tree was obtained (incremental or not).
	Stats pysyntax.ReparseStats
}

// Store is the set of open documents, keyed by the client's URI string.
type Store struct {
	mu   sync.Mutex
	docs map[string]*entry
}

type entry struct {
	mu   sync.Mutex
	snap *Snapshot
	doc  *pysyntax.Doc // nil when not parsed
}

func NewStore() *Store { return &Store{docs: map[string]*entry{}} }

// Open starts tracking a document, replacing any previous state for uri.
func (s *Store) Open(uri string, version int32, text []byte) *Snapshot {
	e := &entry{}
	e.mu.Lock()
	defer e.mu.Unlock()
	s.mu.Lock()
	old := s.docs[uri]
	s.docs[uri] = e
	s.mu.Unlock()
	if old != nil {
		old.close()
	}
	e.snap, e.doc = parseFull(uri, version, bytes.Clone(text))
	return e.snap
}

func parseFull(uri string, version int32, text []byte) (*Snapshot, *pysyntax.Doc) {
	snap := &Snapshot{URI: uri, Version: version, Text: text, Lines: textpos.NewLineIndex(text)}
	if isBinary(text) {
		snap.ParseErr = ErrBinary
		return snap, nil
	}
	doc, err := pysyntax.ParseDoc(text)
	if err != nil {
		snap.ParseErr = err
		return snap, nil
	}
	snap.Tree = doc.Tree()
	snap.Stats = doc.Stats()
	return snap, doc
}

func isBinary(text []byte) bool {
	head := text
	if len(head) > 8<<10 {
		head = head[:8<<10]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// Change applies a didChange notification. The changes apply in order, each
// to the text the previous one produced. On any error nothing changes: the
// previous snapshot stays current.
func (s *Store) Change(uri string, version int32, changes []Change, enc textpos.Encoding) (*Snapshot, error) {
	e := s.entry(uri)
	if e == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotOpen, uri)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.snap == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotOpen, uri)
	}
	cur := e.snap
	if version <= cur.Version {
		return cur, fmt.Errorf("%w: got %d, have %d", ErrStaleVersion, version, cur.Version)
	}

	text, lines := cur.Text, cur.Lines
	var edits []pysyntax.Edit
	full := false
	for i, ch := range changes {
		if ch.Range == nil {
			text, lines, edits, full = []byte(ch.Text), nil, nil, true
			continue
		}
		if lines == nil {
			lines = textpos.NewLineIndex(text)
		}
		start, end, err := lines.RangeOffsets(*ch.Range, enc)
		if err != nil {
			return cur, fmt.Errorf("%w: change %d of %d: %v", ErrInvalidRange, i+1, len(changes), err)
		}
		edits = append(edits, pysyntax.NewEdit(text, start, end, []byte(ch.Text)))
		text = splice(text, start, end, ch.Text)
		lines = nil // the next change needs the index of the new text
	}
	if lines == nil {
		lines = textpos.NewLineIndex(text)
	}

	if full || e.doc == nil || isBinary(text) {
		snap, doc := parseFull(uri, version, text)
		snap.Lines = lines
		e.replace(snap, doc)
		return snap, nil
	}
	snap := &Snapshot{URI: uri, Version: version, Text: text, Lines: lines}
	doc, err := e.doc.Reparse(text, edits)
	if err != nil {
		// The old C tree was edited and cannot be trusted any more; fall
		// back to a fresh parse of the new text.
		snap, doc = parseFull(uri, version, text)
		snap.Lines = lines
		e.replace(snap, doc)
		return snap, nil
	}
	snap.Tree = doc.Tree()
	snap.Stats = doc.Stats()
	e.replace(snap, doc)
	return snap, nil
}

func splice(text []byte, start, end int, repl string) []byte {
	out := make([]byte, 0, len(text)-(end-start)+len(repl))
	out = append(out, text[:start]...)
	out = append(out, repl...)
	return append(out, text[end:]...)
}

func (e *entry) replace(snap *Snapshot, doc *pysyntax.Doc) {
	if e.doc != nil && e.doc != doc {
		e.doc.Close()
	}
	e.snap, e.doc = snap, doc
}

func (e *entry) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.doc != nil {
		e.doc.Close()
		e.doc = nil
	}
	e.snap = nil
}

func (s *Store) entry(uri string) *entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[uri]
}

// Close stops tracking uri. It reports whether the document was open.
func (s *Store) Close(uri string) bool {
	s.mu.Lock()
	e := s.docs[uri]
	delete(s.docs, uri)
	s.mu.Unlock()
	if e == nil {
		return false
	}
	e.close()
	return true
}

// Get returns the current snapshot of uri, or nil when it is not open.
func (s *Store) Get(uri string) *Snapshot {
	e := s.entry(uri)
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.snap
}

// URIs lists the open documents in sorted order.
func (s *Store) URIs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.docs))
	for u := range s.docs {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}
