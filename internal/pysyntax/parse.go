package pysyntax

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

// MaxSourceSize is the largest file we parse. Bigger files are skipped by
// callers with a log line: parsing 10 MB already takes over a second here.
const MaxSourceSize = 10 << 20

// ErrTooLarge is returned for sources over MaxSourceSize.
var ErrTooLarge = errors.New("file too large to analyse")

// Point is a tree-sitter position: rows count '\n' only, columns are bytes.
// It exists only to describe edits to tree-sitter; every position shown to a
// user comes from byte offsets through textpos.
type Point struct{ Row, Column uint32 }

// Edit describes one text replacement for incremental reparsing: the bytes
// [Start, OldEnd) of the old text became [Start, NewEnd) of the new text.
type Edit struct {
	Start, OldEnd, NewEnd                int
	StartPoint, OldEndPoint, NewEndPoint Point
}

// NewEdit describes replacing old[start:oldEnd] with repl.
func NewEdit(old []byte, start, oldEnd int, repl []byte) Edit {
	sp := pointAt(old, start)
	oe := advance(sp, old[start:oldEnd])
	ne := advance(sp, repl)
	return Edit{
		Start: start, OldEnd: oldEnd, NewEnd: start + len(repl),
		StartPoint: sp, OldEndPoint: oe, NewEndPoint: ne,
	}
}

func pointAt(src []byte, off int) Point {
	head := src[:off]
	return Point{
		Row:    uint32(bytes.Count(head, newline)),
		Column: uint32(off - (bytes.LastIndexByte(head, '\n') + 1)),
	}
}

func advance(p Point, text []byte) Point {
	rows := bytes.Count(text, newline)
	if rows == 0 {
		return Point{p.Row, p.Column + uint32(len(text))}
	}
	return Point{p.Row + uint32(rows), uint32(len(text) - (bytes.LastIndexByte(text, '\n') + 1))}
}

var newline = []byte{'\n'}

// Parsers are not safe for concurrent use and cost a few hundred KB each, so
// they are pooled rather than kept per document.
var parsers = sync.Pool{New: func() any {
	p := sitter.NewParser()
	p.SetLanguage(python.GetLanguage())
	return p
}}

func parseC(old *sitter.Tree, src []byte) (*sitter.Tree, error) {
	if len(src) > MaxSourceSize {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, len(src), MaxSourceSize)
	}
	p := parsers.Get().(*sitter.Parser)
	t, err := p.ParseCtx(context.Background(), old, src)
	if err != nil || t == nil {
		// A failed parse leaves state the next parse would resume (T2).
		p.Reset()
		parsers.Put(p)
		if err == nil {
			err = errors.New("tree-sitter returned no tree")
		}
		return nil, fmt.Errorf("parse: %w", err)
	}
	parsers.Put(p)
	return t, nil
}

// Parse parses src into a Tree and frees the C tree at once. The CLI uses
// it: one parse per file, nothing kept for reparsing.
func Parse(src []byte) (*Tree, error) {
	nodes, err := parseWhole(src, nil)
	if err != nil {
		return nil, err
	}
	return newTree(src, nodes), nil
}

// Scratch is node storage reused from one whole-file parse to the next, for
// a caller that drops each tree before it parses again (the workspace
// index keeps models, never trees): it saves allocating, and collecting,
// a tree's worth of nodes per file.
type Scratch struct{ nodes []node }

// Parse is Parse into s's storage: the Tree is valid until s parses again.
func (s *Scratch) Parse(src []byte) (*Tree, error) {
	nodes, err := parseWhole(src, s.nodes)
	if err != nil {
		return nil, err
	}
	s.nodes = nodes[:cap(nodes)]
	return newTree(src, nodes), nil
}

func newTree(src []byte, nodes []node) *Tree {
	for i := range nodes {
		nodes[i].kind = kindOfSymbol(uint16(nodes[i].kind))
	}
	return &Tree{Src: src, nodes: nodes}
}

func flattenWhole(root cTSNode, src []byte) *Tree {
	return newTree(src, flattenInto(root, 0, make([]node, descendantCount(root))))
}

// chunk is one top-level statement of a parsed document: the unit we reuse
// between keystrokes.
type chunk struct {
	id         uintptr // tree-sitter subtree identity
	start, end uint32  // bytes
	first      int32   // node range [first, last) in the flat tree
	last       int32
}

// Doc keeps what incremental reparsing needs: the C tree (edited in place
// before each reparse) and the flat tree with its top-level chunks. A Doc is
// owned by one document and used under its lock; its Tree can be shared.
type Doc struct {
	ct     *sitter.Tree
	tree   *Tree
	chunks []chunk
	stats  ReparseStats
}

// ReparseStats says how much of a reparse was reused; tests use it to prove
// that incremental parsing happens.
type ReparseStats struct {
	Incremental   bool // the edited old tree was passed to the parser
	ReusedChunks  int  // top-level statements copied from the previous tree
	WalkedChunks  int  // top-level statements flattened anew
	ReusedNodes   int
	FlattenedNode int
}

// liveDocs counts the Docs whose C tree is not closed yet.
var liveDocs atomic.Int64

// LiveDocs is how many Docs hold a C tree: tests of long editing sessions
// check that every replaced tree was freed.
func LiveDocs() int64 { return liveDocs.Load() }

// ParseDoc parses src from scratch.
func ParseDoc(src []byte) (*Doc, error) {
	ct, err := parseC(nil, src)
	if err != nil {
		return nil, err
	}
	liveDocs.Add(1)
	d := &Doc{ct: ct, tree: flattenWhole(rootOf(ct), src)}
	d.stats.FlattenedNode = d.tree.Len()
	d.chunks = chunksOf(d.tree, rootChildren(rootOf(ct), nil))
	return d, nil
}

func chunksOf(t *Tree, kids []rawChild) []chunk {
	out := make([]chunk, 0, len(kids))
	c := t.Root().FirstChild()
	for _, k := range kids {
		if c.IsNull() {
			break
		}
		out = append(out, chunk{id: k.id, start: k.start, end: k.end, first: c.i, last: c.raw().last})
		c = c.NextSibling()
	}
	return out
}

// Tree returns the flat tree. It stays valid after Reparse and Close.
func (d *Doc) Tree() *Tree { return d.tree }

// Stats describes how the last parse of d was done.
func (d *Doc) Stats() ReparseStats { return d.stats }

// Reparse applies edits (in order, each relative to the text before it) to
// the C tree, reparses newSrc with it, and rebuilds the flat tree copying
// every top-level statement tree-sitter reused. d must not be used for
// another Reparse afterwards: its C tree now describes newSrc.
func (d *Doc) Reparse(newSrc []byte, edits []Edit) (*Doc, error) {
	if d.ct == nil {
		return nil, errors.New("reparse of a closed document")
	}
	root := d.ct.RootNode()
	if len(edits) == 1 {
		edits = []Edit{widenToLines(d.tree.Src, edits[0])}
	}
	for _, e := range edits {
		editTree(root, e)
	}
	ct, err := parseC(d.ct, newSrc)
	if err != nil {
		return nil, err
	}
	liveDocs.Add(1)
	nd := &Doc{ct: ct}
	nd.stats.Incremental = true
	nd.tree, nd.chunks = d.rebuild(ct, newSrc, &nd.stats)
	return nd, nil
}

func (d *Doc) rebuild(ct *sitter.Tree, src []byte, st *ReparseStats) (*Tree, []chunk) {
	croot := rootOf(ct)
	kids := rootChildren(croot, nil)
	old := make(map[uintptr]int, len(d.chunks))
	for i, c := range d.chunks {
		old[c.id] = i
	}
	oldNodes, oldSrc := d.tree.nodes, d.tree.Src

	rootNode := describeNode(croot)
	rootNode.kind = kindOfSymbol(uint16(rootNode.kind))
	nodes := make([]node, 1, len(oldNodes)+64)
	nodes[0] = rootNode
	chunks := make([]chunk, 0, len(kids))
	var scratch []node
	prev := int32(-1)
	for _, k := range kids {
		base := int32(len(nodes))
		if i, ok := old[k.id]; ok && k.id != 0 && reusable(d.chunks[i], k, oldSrc, src) {
			oc := d.chunks[i]
			shift := base - oc.first
			delta := int64(k.start) - int64(oc.start)
			for _, n := range oldNodes[oc.first:oc.last] {
				n.start = uint32(int64(n.start) + delta)
				n.end = uint32(int64(n.end) + delta)
				n.parent += shift
				if n.next >= 0 {
					n.next += shift
				}
				n.last += shift
				nodes = append(nodes, n)
			}
			st.ReusedChunks++
			st.ReusedNodes += int(oc.last - oc.first)
		} else {
			if cap(scratch) < int(k.count) {
				scratch = make([]node, k.count)
			}
			scratch = flattenInto(k.node, k.field, scratch[:cap(scratch)])
			for _, n := range scratch {
				n.kind = kindOfSymbol(uint16(n.kind))
				n.parent += base
				if n.next >= 0 {
					n.next += base
				}
				n.last += base
				nodes = append(nodes, n)
			}
			st.WalkedChunks++
			st.FlattenedNode += len(scratch)
		}
		// The chunk root hangs off the module node.
		nodes[base].parent = 0
		nodes[base].next = -1
		if prev >= 0 {
			nodes[prev].next = base
		}
		prev = base
		chunks = append(chunks, chunk{id: k.id, start: k.start, end: k.end, first: base, last: int32(len(nodes))})
	}
	nodes[0].last = int32(len(nodes))
	return &Tree{Src: src, nodes: nodes}, chunks
}

// reusable: the same subtree object, over the same bytes. Identity alone is
// not enough: a subtree freed by another tree's release could be
// reallocated at the same address during this parse.
func reusable(oc chunk, k rawChild, oldSrc, newSrc []byte) bool {
	if oc.end-oc.start != k.end-k.start || int(k.end) > len(newSrc) || int(oc.end) > len(oldSrc) {
		return false
	}
	return bytes.Equal(oldSrc[oc.start:oc.end], newSrc[k.start:k.end])
}

// Close frees the C tree. The flat Tree remains usable.
func (d *Doc) Close() {
	if d.ct != nil {
		d.ct.Close()
		d.ct = nil
		liveDocs.Add(-1)
	}
}

// widenToLines stretches an edit over the whole lines it touches, from the
// start of its first line to the newline that ends its last: the bytes
// added on each side are the same in the old and the new text, so the
// edit still describes the change exactly. tree-sitter re-lexes the
// edited lines either way, but given only the typed character it could
// not reuse the statements that follow when the character lengthened the
// last token of a line (an identifier before its newline): measured on the
// recorded typing session, every such keystroke re-parsed the rest of the
// file (p90 15 ms), and with whole lines it does not (p90 2.4 ms).
func widenToLines(old []byte, e Edit) Edit {
	if e.Start < 0 || e.Start > e.OldEnd || e.OldEnd > len(old) {
		return e
	}
	w := e
	lineStart := bytes.LastIndexByte(old[:e.Start], '\n') + 1
	w.Start = lineStart
	w.StartPoint = Point{Row: e.StartPoint.Row, Column: 0}
	if nl := bytes.IndexByte(old[e.OldEnd:], '\n'); nl >= 0 {
		tail := old[e.OldEnd : e.OldEnd+nl+1]
		w.OldEnd += len(tail)
		w.NewEnd += len(tail)
		w.OldEndPoint = advance(e.OldEndPoint, tail)
		w.NewEndPoint = advance(e.NewEndPoint, tail)
	}
	return w
}
