package pysyntax

// This file is the only place that touches tree-sitter's C API directly.
//
// smacker/go-tree-sitter is fine for parsing but two of its paths are not:
//   - (*Tree).Edit builds its TSInputEdit with new_end_point = OldEndPoint
//     (bindings.go EditInput.c, ARCHITECTURE.md T1). The Python scanner's
//     get_column reads extent.column, so wrong points can mis-indent an
//     incremental parse. We call ts_tree_edit with the right struct.
//   - Walking a tree through smacker's Node/TreeCursor costs a cgo call and a
//     map insert per node (≈550 ns/node here); flattening in one C call costs
//     ≈100 ns/node and gives the analysis a pure-Go, goroutine-safe tree.
//
// The declarations below mirror tree_sitter/api.h of the pinned smacker
// version (ABI 14); the symbols are linked from smacker's own C objects.
// layout_test.go fails if the layout assumptions stop holding.

/*
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>

typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct TSTree TSTree;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
typedef struct {
	uint32_t start_byte, old_end_byte, new_end_byte;
	TSPoint start_point, old_end_point, new_end_point;
} TSInputEdit;

TSTreeCursor ts_tree_cursor_new(TSNode);
void ts_tree_cursor_delete(TSTreeCursor *);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *);
bool ts_tree_cursor_goto_parent(TSTreeCursor *);
TSSymbol ts_node_symbol(TSNode);
uint32_t ts_node_start_byte(TSNode);
uint32_t ts_node_end_byte(TSNode);
bool ts_node_is_named(TSNode);
bool ts_node_is_missing(TSNode);
bool ts_node_is_extra(TSNode);
bool ts_node_has_error(TSNode);
uint32_t ts_node_descendant_count(TSNode);
void ts_tree_edit(TSTree *, const TSInputEdit *);

// Whole-file parses (the index, the CLI) call the parser directly: smacker's
// ParseCtx copies the source into C memory and wraps the tree in a Go object
// with a finalizer, neither of which a tree freed at once needs.
typedef struct TSParser TSParser;
typedef struct TSLanguage TSLanguage;
const TSLanguage *tree_sitter_python(void);
TSParser *ts_parser_new(void);
bool ts_parser_set_language(TSParser *, const TSLanguage *);
void ts_parser_reset(TSParser *);
TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t);
TSNode ts_tree_root_node(const TSTree *);
void ts_tree_delete(TSTree *);

static TSParser *new_python_parser(void) {
	TSParser *p = ts_parser_new();
	ts_parser_set_language(p, tree_sitter_python());
	return p;
}

enum { FLAG_NAMED = 1, FLAG_MISSING = 2, FLAG_EXTRA = 4, FLAG_HAS_ERROR = 8 };

// flatnode must match the Go struct node in tree.go field for field.
typedef struct {
	uint16_t kind;   // raw symbol here; Go maps it to a Kind afterwards
	uint16_t field;
	uint8_t  flags;
	uint8_t  pad[3];
	uint32_t start, end;
	int32_t  parent, next, last; // last: index one past the subtree
} flatnode;

static void record(flatnode *f, TSTreeCursor *c, int32_t parent) {
	TSNode nd = ts_tree_cursor_current_node(c);
	f->kind = ts_node_symbol(nd);
	f->field = ts_tree_cursor_current_field_id(c);
	f->flags = (ts_node_is_named(nd) ? FLAG_NAMED : 0) | (ts_node_is_missing(nd) ? FLAG_MISSING : 0) |
		(ts_node_is_extra(nd) ? FLAG_EXTRA : 0) | (ts_node_has_error(nd) ? FLAG_HAS_ERROR : 0);
	f->start = ts_node_start_byte(nd);
	f->end = ts_node_end_byte(nd);
	f->parent = parent;
	f->next = -1;
	f->last = -1;
}

// flatten writes root's subtree in preorder into out. It returns the node
// count, or -1 when cap is too small. No recursion and no depth limit: the
// cursor keeps its own stack and we walk up through the parent indexes.
static int32_t flatten(TSNode root, uint16_t rootField, flatnode *out, int32_t cap) {
	if (cap < 1) return -1;
	TSTreeCursor c = ts_tree_cursor_new(root);
	record(&out[0], &c, -1);
	out[0].field = rootField;
	int32_t n = 1, cur = 0;
	for (;;) {
		if (ts_tree_cursor_goto_first_child(&c)) {
			if (n >= cap) { ts_tree_cursor_delete(&c); return -1; }
			record(&out[n], &c, cur);
			cur = n++;
			continue;
		}
		for (;;) {
			out[cur].last = n;
			if (cur == 0) { ts_tree_cursor_delete(&c); return n; }
			if (ts_tree_cursor_goto_next_sibling(&c)) break;
			ts_tree_cursor_goto_parent(&c);
			cur = out[cur].parent;
		}
		if (n >= cap) { ts_tree_cursor_delete(&c); return -1; }
		record(&out[n], &c, out[cur].parent);
		out[cur].next = n;
		cur = n++;
	}
}

// describe fills f with n's own data; links are left to the caller.
static void describe(TSNode nd, flatnode *f) {
	f->kind = ts_node_symbol(nd);
	f->field = 0;
	f->flags = (ts_node_is_named(nd) ? FLAG_NAMED : 0) | (ts_node_is_missing(nd) ? FLAG_MISSING : 0) |
		(ts_node_is_extra(nd) ? FLAG_EXTRA : 0) | (ts_node_has_error(nd) ? FLAG_HAS_ERROR : 0);
	f->start = ts_node_start_byte(nd);
	f->end = ts_node_end_byte(nd);
	f->parent = -1;
	f->next = -1;
	f->last = -1;
}

// subtree_identity returns the heap object behind a node. TSNode.id points
// at the Subtree slot inside the parent's child array, which moves whenever
// the parent is rebuilt; the slot holds the heap pointer of the subtree,
// which stays the same when the parser reuses it. Small leaves are stored
// inline (lowest bit set) and have no identity.
static const void *subtree_identity(TSNode n) {
	uintptr_t v = *(const uintptr_t *)n.id;
	return (v & 1) ? NULL : (const void *)v;
}

typedef struct { TSNode node; uint16_t field; uint32_t count; const void *identity; } child;

// children lists root's direct children with their fields and subtree sizes.
static int32_t children(TSNode root, child *out, int32_t cap) {
	TSTreeCursor c = ts_tree_cursor_new(root);
	int32_t n = 0;
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			if (n >= cap) { ts_tree_cursor_delete(&c); return -1; }
			out[n].node = ts_tree_cursor_current_node(&c);
			out[n].field = ts_tree_cursor_current_field_id(&c);
			out[n].count = ts_node_descendant_count(out[n].node);
			out[n].identity = subtree_identity(out[n].node);
			n++;
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	return n;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	sitter "github.com/smacker/go-tree-sitter"
)

// cNode reads the C TSNode out of a smacker Node, whose first field it is.
func cNode(n *sitter.Node) C.TSNode {
	return *(*C.TSNode)(unsafe.Pointer(n))
}

// editTree applies e to the C tree that root belongs to.
func editTree(root *sitter.Node, e Edit) {
	cn := cNode(root)
	in := C.TSInputEdit{
		start_byte:    C.uint32_t(e.Start),
		old_end_byte:  C.uint32_t(e.OldEnd),
		new_end_byte:  C.uint32_t(e.NewEnd),
		start_point:   C.TSPoint{row: C.uint32_t(e.StartPoint.Row), column: C.uint32_t(e.StartPoint.Column)},
		old_end_point: C.TSPoint{row: C.uint32_t(e.OldEndPoint.Row), column: C.uint32_t(e.OldEndPoint.Column)},
		new_end_point: C.TSPoint{row: C.uint32_t(e.NewEndPoint.Row), column: C.uint32_t(e.NewEndPoint.Column)},
	}
	C.ts_tree_edit((*C.TSTree)(unsafe.Pointer(cn.tree)), &in)
}

// rawChild is one direct child of a root node, as C sees it.
type rawChild struct {
	node  C.TSNode
	field uint16
	count uint32
	id    uintptr
	start uint32
	end   uint32
}

func rootChildren(root C.TSNode, buf []C.child) []rawChild {
	for {
		var p *C.child
		if len(buf) > 0 {
			p = &buf[0]
		}
		n := int(C.children(root, p, C.int32_t(len(buf))))
		if n >= 0 {
			out := make([]rawChild, n)
			for i := 0; i < n; i++ {
				c := buf[i]
				out[i] = rawChild{
					node:  c.node,
					field: uint16(c.field),
					count: uint32(c.count),
					id:    uintptr(c.identity),
					start: uint32(C.ts_node_start_byte(c.node)),
					end:   uint32(C.ts_node_end_byte(c.node)),
				}
			}
			return out
		}
		buf = make([]C.child, 2*len(buf)+64)
	}
}

// flattenInto writes the subtree of n into dst (len(dst) must be at least
// the expected count; the result may be shorter), growing when the estimate
// was low. It returns the filled slice.
func flattenInto(n C.TSNode, field uint16, dst []node) []node {
	for {
		var p *C.flatnode
		if len(dst) > 0 {
			p = (*C.flatnode)(unsafe.Pointer(&dst[0]))
		}
		got := int(C.flatten(n, C.uint16_t(field), p, C.int32_t(len(dst))))
		if got >= 0 {
			return dst[:got]
		}
		dst = make([]node, 2*len(dst)+64)
	}
}

func descendantCount(n C.TSNode) int { return int(C.ts_node_descendant_count(n)) }

// describeNode returns n's own data with its symbol still raw.
func describeNode(n C.TSNode) node {
	var out node
	C.describe(n, (*C.flatnode)(unsafe.Pointer(&out)))
	return out
}

// rootOf returns the C root node of a smacker tree.
func rootOf(t *sitter.Tree) C.TSNode { return cNode(t.RootNode()) }

const (
	flagNamed    = 1
	flagMissing  = 2
	flagExtra    = 4
	flagHasError = 8
)

// sizeofFlatnode lets a test check that node and flatnode agree.
var sizeofFlatnode = int(C.sizeof_flatnode)

// Whole-file parsers are kept for reuse and never freed: there are at most
// as many as parses ever ran at once, a few hundred KB each. (A sync.Pool
// would drop them at every GC, leaking their C memory.)
var wholeParsers struct {
	sync.Mutex
	free []*C.TSParser
}

// parseWhole parses src with tree-sitter and flattens it into dst (grown
// when too small), freeing the C tree before it returns.
func parseWhole(src []byte, dst []node) ([]node, error) {
	if len(src) > MaxSourceSize {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, len(src), MaxSourceSize)
	}
	wholeParsers.Lock()
	var p *C.TSParser
	if n := len(wholeParsers.free); n > 0 {
		p, wholeParsers.free = wholeParsers.free[n-1], wholeParsers.free[:n-1]
	}
	wholeParsers.Unlock()
	if p == nil {
		p = C.new_python_parser()
	}
	// The parser reads src only during the call and the tree keeps no
	// pointer into it, so Go memory is passed without a copy.
	var text *C.char
	if len(src) > 0 {
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	t := C.ts_parser_parse_string(p, nil, text, C.uint32_t(len(src)))
	if t == nil {
		// A failed parse leaves state the next parse would resume (T2).
		C.ts_parser_reset(p)
	}
	wholeParsers.Lock()
	wholeParsers.free = append(wholeParsers.free, p)
	wholeParsers.Unlock()
	if t == nil {
		return nil, errors.New("parse: tree-sitter returned no tree")
	}
	defer C.ts_tree_delete(t)
	root := C.ts_tree_root_node(t)
	if n := descendantCount(root); cap(dst) < n {
		dst = make([]node, n)
	}
	return flattenInto(root, 0, dst[:cap(dst)]), nil
}

// cTSNode lets files without cgo name the C node type.
type cTSNode = C.TSNode
