package pysyntax

import (
	"bytes"
	"strconv"
)

// node is one syntax node in preorder. Its layout must match flatnode in
// cgo.go: the C walker writes these directly.
type node struct {
	kind   Kind
	field  Field
	flags  uint8
	_      [3]uint8
	start  uint32
	end    uint32
	parent int32
	next   int32 // next sibling, -1 if none
	last   int32 // one past the last node of this subtree
}

// Tree is an immutable, pure-Go syntax tree: preorder nodes with byte
// offsets into Src. Any number of goroutines may read it at once, and it
// holds no C memory, so it can outlive the parse that produced it.
type Tree struct {
	Src   []byte
	nodes []node
}

// Node is a handle on one node of a Tree. The zero Node is null.
type Node struct {
	t *Tree
	i int32
}

// Root returns the module node.
func (t *Tree) Root() Node {
	if t == nil || len(t.nodes) == 0 {
		return Node{}
	}
	return Node{t, 0}
}

// Len is the number of nodes.
func (t *Tree) Len() int { return len(t.nodes) }

// At returns the node with preorder index i.
func (t *Tree) At(i int) Node { return Node{t, int32(i)} }

// HasError reports whether the tree contains ERROR or MISSING nodes.
func (t *Tree) HasError() bool {
	return len(t.nodes) > 0 && t.nodes[0].flags&flagHasError != 0
}

func (n Node) IsNull() bool  { return n.t == nil }
func (n Node) Tree() *Tree   { return n.t }
func (n Node) Index() int    { return int(n.i) }
func (n Node) raw() *node    { return &n.t.nodes[n.i] }
func (n Node) Kind() Kind    { return n.raw().kind }
func (n Node) Type() string  { return n.raw().kind.String() }
func (n Node) Field() Field  { return n.raw().field }
func (n Node) Start() int    { return int(n.raw().start) }
func (n Node) End() int      { return int(n.raw().end) }
func (n Node) IsNamed() bool { return n.raw().flags&flagNamed != 0 }
func (n Node) IsMissing() bool {
	return n.raw().flags&flagMissing != 0
}
func (n Node) IsExtra() bool  { return n.raw().flags&flagExtra != 0 }
func (n Node) HasError() bool { return n.raw().flags&flagHasError != 0 }
func (n Node) IsError() bool  { return n.raw().kind == grammar.errorKind }

// Is reports whether n is non-null and of kind k.
func (n Node) Is(k Kind) bool { return n.t != nil && n.t.nodes[n.i].kind == k }

// Bytes returns the node's source without copying.
func (n Node) Bytes() []byte { r := n.raw(); return n.t.Src[r.start:r.end] }

// Text returns the node's source as a string (a copy).
func (n Node) Text() string { return string(n.Bytes()) }

// TextIs compares the node's source with s without allocating.
func (n Node) TextIs(s string) bool {
	r := n.raw()
	return int(r.end-r.start) == len(s) && string(n.t.Src[r.start:r.end]) == s
}

func (n Node) Parent() Node {
	if n.t == nil {
		return Node{}
	}
	p := n.raw().parent
	if p < 0 {
		return Node{}
	}
	return Node{n.t, p}
}

func (n Node) FirstChild() Node {
	if n.t == nil {
		return Node{}
	}
	if n.raw().last > n.i+1 {
		return Node{n.t, n.i + 1}
	}
	return Node{}
}

func (n Node) NextSibling() Node {
	if n.t == nil {
		return Node{}
	}
	if nx := n.raw().next; nx >= 0 {
		return Node{n.t, nx}
	}
	return Node{}
}

// FirstNamedChild skips keywords and punctuation.
func (n Node) FirstNamedChild() Node {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.IsNamed() {
			return c
		}
	}
	return Node{}
}

// NextNamedSibling skips keywords and punctuation.
func (n Node) NextNamedSibling() Node {
	for c := n.NextSibling(); !c.IsNull(); c = c.NextSibling() {
		if c.IsNamed() {
			return c
		}
	}
	return Node{}
}

// ChildByField returns the first child in field f.
func (n Node) ChildByField(f Field) Node {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.raw().field == f {
			return c
		}
	}
	return Node{}
}

// ChildOfKind returns the first child of kind k.
func (n Node) ChildOfKind(k Kind) Node {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.raw().kind == k {
			return c
		}
	}
	return Node{}
}

// Children returns the direct children (allocates; prefer the sibling
// links on hot paths).
func (n Node) Children() []Node {
	var out []Node
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		out = append(out, c)
	}
	return out
}

// NamedChildren returns the named direct children that are not comments.
func (n Node) NamedChildren() []Node {
	var out []Node
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.IsNamed() && !c.IsExtra() {
			out = append(out, c)
		}
	}
	return out
}

// Contains reports whether m lies in n's subtree (n included).
func (n Node) Contains(m Node) bool {
	return n.t != nil && n.t == m.t && m.i >= n.i && m.i < n.raw().last
}

// Walk visits n's subtree in preorder. When visit returns false the node's
// children are skipped.
func (n Node) Walk(visit func(Node) bool) {
	if n.t == nil {
		return
	}
	nodes := n.t.nodes
	end := nodes[n.i].last
	for i := n.i; i < end; {
		if visit(Node{n.t, i}) {
			i++
		} else {
			i = nodes[i].last
		}
	}
}

// Descendants returns the preorder index range [from, to) of n's subtree,
// n included, for tight loops with At.
func (n Node) Descendants() (from, to int) {
	if n.t == nil {
		return 0, 0
	}
	return int(n.i), int(n.raw().last)
}

// DescendantAt returns the smallest named node covering [start, end).
func (t *Tree) DescendantAt(start, end int) Node {
	n := t.Root()
	if n.IsNull() {
		return n
	}
	for {
		next := Node{}
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.Start() <= start && end <= c.End() && c.IsNamed() {
				next = c
				break
			}
		}
		if next.IsNull() {
			return n
		}
		n = next
	}
}

// Equal reports whether two trees have the same source and the same nodes;
// tests use it to compare an incrementally maintained tree with a fresh one.
func Equal(a, b *Tree) bool {
	if !bytes.Equal(a.Src, b.Src) || len(a.nodes) != len(b.nodes) {
		return false
	}
	for i := range a.nodes {
		if a.nodes[i] != b.nodes[i] {
			return false
		}
	}
	return true
}

// SExpr renders the named nodes like tree-sitter's ts_node_string, with
// fields, for tests and debugging.
func (n Node) SExpr() string {
	var b bytes.Buffer
	var rec func(Node)
	rec = func(m Node) {
		if f := m.Field(); f != 0 {
			b.WriteString(f.String())
			b.WriteString(": ")
		}
		if m.IsMissing() {
			b.WriteString("(MISSING ")
			if m.IsNamed() {
				b.WriteString(m.Type())
			} else {
				b.WriteString(`"` + m.Type() + `"`)
			}
			b.WriteString(")")
			return
		}
		if m.IsError() && m.FirstChild().IsNull() && m.End() > m.Start() {
			// An error leaf: tree-sitter prints the unexpected character.
			b.WriteString("(UNEXPECTED " + unexpectedChar(m.t.Src[m.Start()]) + ")")
			return
		}
		b.WriteString("(")
		b.WriteString(m.Type())
		for c := m.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.IsNamed() || c.IsMissing() {
				b.WriteString(" ")
				rec(c)
			}
		}
		b.WriteString(")")
	}
	if !n.IsNull() {
		rec(n)
	}
	return b.String()
}

// unexpectedChar mirrors ts_subtree__write_char_to_string.
func unexpectedChar(c byte) string {
	switch {
	case c == 0:
		return `'\0'`
	case c == '\n':
		return `'\n'`
	case c == '\t':
		return `'\t'`
	case c == '\r':
		return `'\r'`
	case c > 0 && c < 128 && c >= 32:
		return "'" + string(c) + "'"
	}
	return strconv.Itoa(int(c))
}

// LastValue returns the last named, non-comment child.
func (n Node) LastValue() Node {
	var last Node
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.IsNamed() && !c.IsExtra() {
			last = c
		}
	}
	return last
}
