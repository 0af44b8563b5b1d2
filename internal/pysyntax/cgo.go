package pysyntax

// This file and arena.c are the only places that touch tree-sitter's C API
// directly.
//
// smacker/go-tree-sitter is fine for parsing but two of its paths are not:
//   - (*Tree).Edit builds its TSInputEdit with new_end_point = OldEndPoint
//     (bindings.go EditInput.c, ARCHITECTURE.md T1). The Python scanner's
//     get_column reads extent.column, so wrong points can mis-indent an
//     incremental parse. We call ts_tree_edit with the right struct.
//   - Walking a tree through smacker's Node/TreeCursor costs a cgo call and a
//     map insert per node (≈550 ns/node here); flattening in one C call costs
//     ≈15 ns/node and gives the analysis a pure-Go, goroutine-safe tree.
//
// The declarations below mirror tree_sitter/api.h of the pinned smacker
// version (ABI 14); the symbols are linked from smacker's own C objects.
// layout_test.go fails if the layout assumptions stop holding.
//
// flatten reads tree-sitter's private Subtree structs directly rather than
// going through TSTreeCursor: the cursor walk cost ≈65 ns/node (a field-map
// scan and a stack walk per node in ts_tree_cursor_current_field_id, a dozen
// out-of-line calls per node), ≈20% of tree-sitter's own parse time on the
// critical path of indexing a workspace; the direct walk costs ≈15 ns/node
// (BenchmarkFlatten). The mirrors of those private structs
// are copied from the pinned smacker module (go-tree-sitter
// v0.0.0-20240827094217-dd81d9e9be82: subtree.h, length.h, tree.h, parser.h)
// because cgo cannot include headers from another module's directory.
// flatten_cursor, the old cursor walker, stays as the reference that tests
// compare flatten with on every input.

/*
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <stdatomic.h>
#include "arena.h"

typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
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
TSSymbol ts_node_grammar_symbol(TSNode);
uint32_t ts_node_child_count(TSNode);
const void *ts_tree_language(const TSTree *);
uint32_t ts_language_version(const void *);
uint32_t ts_language_symbol_count(const void *);
uint32_t ts_language_field_count(const void *);
const char *ts_language_field_name_for_id(const void *, TSFieldId);
const char *ts_language_symbol_name(const void *, TSSymbol);
int ts_language_symbol_type(const void *, TSSymbol);
void ts_tree_edit(TSTree *, const TSInputEdit *);

// Whole-file parses (the index, the CLI) call the parser directly, in an
// arena (arena.c): smacker's ParseCtx copies the source into C memory and
// wraps the tree in a Go object with a finalizer, neither of which a tree
// dropped at once needs.
TSNode ts_tree_root_node(const TSTree *);

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

// flatten_cursor is the public-API walker flatten replaced, kept as the
// reference tests compare flatten with. It writes root's subtree in preorder
// into out and returns the node count, or -1 when cap is too small.
static int32_t flatten_cursor(TSNode root, uint16_t rootField, flatnode *out, int32_t cap) {
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

// ---- Private tree-sitter structs, mirrored (see the top of this file). ----
// Only the little-endian layout of SubtreeInlineData is mirrored.
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "pysyntax mirrors tree-sitter's little-endian SubtreeInlineData only"
#endif

// length.h
typedef struct { uint32_t bytes; TSPoint extent; } Length;

// subtree.h
typedef struct {
	union { char *long_data; char short_data[24]; };
	uint32_t length;
} ExternalScannerState;

typedef struct {
	bool is_inline : 1;
	bool visible : 1;
	bool named : 1;
	bool extra : 1;
	bool has_changes : 1;
	bool is_missing : 1;
	bool is_keyword : 1;
	uint8_t symbol;
	uint16_t parse_state;
	uint8_t padding_columns;
	uint8_t padding_rows : 4;
	uint8_t lookahead_bytes : 4;
	uint8_t padding_bytes;
	uint8_t size_bytes;
} SubtreeInlineData;

typedef struct {
	volatile uint32_t ref_count;
	Length padding;
	Length size;
	uint32_t lookahead_bytes;
	uint32_t error_cost;
	uint32_t child_count;
	TSSymbol symbol;
	uint16_t parse_state;
	bool visible : 1;
	bool named : 1;
	bool extra : 1;
	bool fragile_left : 1;
	bool fragile_right : 1;
	bool has_changes : 1;
	bool has_external_tokens : 1;
	bool has_external_scanner_state_change : 1;
	bool depends_on_column: 1;
	bool is_missing : 1;
	bool is_keyword : 1;
	union {
		struct {
			uint32_t visible_child_count;
			uint32_t named_child_count;
			uint32_t visible_descendant_count;
			int32_t dynamic_precedence;
			uint16_t repeat_depth;
			uint16_t production_id;
			struct { TSSymbol symbol; uint16_t parse_state; } first_leaf;
		};
		ExternalScannerState external_scanner_state;
		int32_t lookahead_char;
	};
} SubtreeHeapData;

typedef union { SubtreeInlineData data; const SubtreeHeapData *ptr; } Subtree;

// parser.h
typedef struct { TSFieldId field_id; uint8_t child_index; bool inherited; } TSFieldMapEntry;
typedef struct { uint16_t index; uint16_t length; } TSFieldMapSlice;
typedef struct { bool visible; bool named; bool supertype; } TSSymbolMetadata;

// parser.h struct TSLanguage, up to the last field we read.
typedef struct {
	uint32_t version;
	uint32_t symbol_count;
	uint32_t alias_count;
	uint32_t token_count;
	uint32_t external_token_count;
	uint32_t state_count;
	uint32_t large_state_count;
	uint32_t production_id_count;
	uint32_t field_count;
	uint16_t max_alias_sequence_length;
	const uint16_t *parse_table;
	const uint16_t *small_parse_table;
	const uint32_t *small_parse_table_map;
	const void *parse_actions;
	const char * const *symbol_names;
	const char * const *field_names;
	const TSFieldMapSlice *field_map_slices;
	const TSFieldMapEntry *field_map_entries;
	const TSSymbolMetadata *symbol_metadata;
	const TSSymbol *public_symbol_map;
	const uint16_t *alias_map;
	const TSSymbol *alias_sequences;
} LanguageHead;

// tree.h struct TSTree, up to language.
typedef struct { Subtree root; const LanguageHead *language; } TreeHead;

// Offsets as compiled from the real headers on LP64 (gcc, x86-64/arm64).
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(SubtreeInlineData) == 8 && sizeof(Subtree) == 8, "Subtree");
_Static_assert(sizeof(SubtreeHeapData) == 80, "SubtreeHeapData");
_Static_assert(offsetof(SubtreeHeapData, size) == 16 && offsetof(SubtreeHeapData, error_cost) == 32 &&
	offsetof(SubtreeHeapData, child_count) == 36 && offsetof(SubtreeHeapData, symbol) == 40 &&
	offsetof(SubtreeHeapData, visible_child_count) == 48 &&
	offsetof(SubtreeHeapData, production_id) == 66, "SubtreeHeapData fields");
_Static_assert(offsetof(LanguageHead, production_id_count) == 28 && offsetof(LanguageHead, field_count) == 32 &&
	offsetof(LanguageHead, max_alias_sequence_length) == 36 && offsetof(LanguageHead, field_map_slices) == 88 &&
	offsetof(LanguageHead, symbol_metadata) == 104 && offsetof(LanguageHead, public_symbol_map) == 112 &&
	offsetof(LanguageHead, alias_sequences) == 128, "TSLanguage fields");
_Static_assert(offsetof(TreeHead, language) == 8, "TSTree");
#endif

#define TS_SYM_ERROR ((TSSymbol)-1)
#define TS_SYM_ERROR_REPEAT ((TSSymbol)-2)

// ts_language_symbol_metadata
static inline TSSymbolMetadata symbol_metadata(const LanguageHead *l, TSSymbol s) {
	if (s == TS_SYM_ERROR) return (TSSymbolMetadata){true, true, false};
	if (s == TS_SYM_ERROR_REPEAT) return (TSSymbolMetadata){false, false, false};
	return l->symbol_metadata[s];
}

// ts_language_public_symbol
static inline TSSymbol public_symbol(const LanguageHead *l, TSSymbol s) {
	return s == TS_SYM_ERROR ? s : l->public_symbol_map[s];
}

// The first non-inherited field of structural child k in production pid, as
// ts_tree_cursor_current_field_id finds it.
static TSFieldId field_scan(const LanguageHead *l, uint32_t pid, uint32_t k) {
	if (l->field_count == 0) return 0;
	TSFieldMapSlice sl = l->field_map_slices[pid];
	const TSFieldMapEntry *m = &l->field_map_entries[sl.index], *end = m + sl.length;
	for (; m < end; m++)
		if (!m->inherited && m->child_index == k) return m->field_id;
	return 0;
}

// fieldtab holds field_scan's answer for every production and structural
// index below max_alias_sequence_length, built once per process, so a
// child's field is one load instead of a scan per node.
typedef struct { const LanguageHead *lang; uint32_t width; TSFieldId f[]; } fieldtab;
static _Atomic(fieldtab *) fieldtab_cache;

static const fieldtab *fieldtab_for(const LanguageHead *l) {
	fieldtab *t = atomic_load_explicit(&fieldtab_cache, memory_order_acquire);
	if (t) return t->lang == l ? t : NULL;
	uint32_t w = l->max_alias_sequence_length, np = l->production_id_count;
	t = malloc(sizeof(fieldtab) + (size_t)np * w * sizeof(TSFieldId));
	if (!t) return NULL;
	t->lang = l;
	t->width = w;
	for (uint32_t p = 0; p < np; p++)
		for (uint32_t k = 0; k < w; k++) t->f[p * w + k] = field_scan(l, p, k);
	fieldtab *none = NULL;
	if (!atomic_compare_exchange_strong_explicit(&fieldtab_cache, &none, t, memory_order_acq_rel, memory_order_acquire)) {
		free(t);
		t = none;
	}
	return t->lang == l ? t : NULL;
}

// st_* read a Subtree as subtree.h's accessors do.
static inline bool st_extra(Subtree s) { return s.data.is_inline ? s.data.extra : s.ptr->extra; }
static inline bool st_visible(Subtree s) { return s.data.is_inline ? s.data.visible : s.ptr->visible; }
static inline uint32_t st_child_count(Subtree s) { return s.data.is_inline ? 0 : s.ptr->child_count; }
static inline uint32_t st_padding(Subtree s) { return s.data.is_inline ? s.data.padding_bytes : s.ptr->padding.bytes; }
static inline uint32_t st_size(Subtree s) { return s.data.is_inline ? s.data.size_bytes : s.ptr->size.bytes; }
static inline const Subtree *st_children(Subtree s) { return (const Subtree *)s.ptr - s.ptr->child_count; }

// fill writes everything about a visible node but its links, as record and
// describe do through the public API. alias is 0 when not aliased.
static inline void fill(flatnode *f, const LanguageHead *l, Subtree s, TSSymbol alias, uint32_t start) {
	uint8_t flags;
	TSSymbol sym;
	uint32_t size;
	if (s.data.is_inline) {
		sym = s.data.symbol;
		size = s.data.size_bytes;
		flags = (s.data.named ? FLAG_NAMED : 0) | (s.data.extra ? FLAG_EXTRA : 0) |
			(s.data.is_missing ? FLAG_MISSING | FLAG_HAS_ERROR : 0);
	} else {
		const SubtreeHeapData *h = s.ptr;
		sym = h->symbol;
		size = h->size.bytes;
		flags = (h->named ? FLAG_NAMED : 0) | (h->extra ? FLAG_EXTRA : 0) |
			(h->is_missing ? FLAG_MISSING | FLAG_HAS_ERROR : 0) | (h->error_cost > 0 ? FLAG_HAS_ERROR : 0);
	}
	if (alias) {
		sym = alias;
		flags = (flags & ~FLAG_NAMED) | (symbol_metadata(l, alias).named ? FLAG_NAMED : 0);
	}
	f->kind = public_symbol(l, sym);
	f->flags = flags;
	f->start = start;
	f->end = start + size;
}

// A frame iterates the children of one subtree: a visible node's, or an
// invisible one's that the walk descends through as the cursor does.
typedef struct {
	const Subtree *kids;
	uint32_t count, i;
	uint32_t sci;            // structural index of kids[i]: extras take none
	uint32_t pos;            // start byte of kids[i], padding excluded
	const TSSymbol *aliases; // the production's alias sequence, or NULL
	uint32_t pid;
	bool fields;             // the production has a field map
	TSFieldId inherited;     // field of the invisible wrapper, for children without their own
	int32_t owner;           // out index of the nearest visible ancestor
	bool closes;             // owner's own frame: popping it ends owner's subtree
} frame;

static inline void frame_init(frame *f, const LanguageHead *l, Subtree s, uint32_t pos, int32_t owner, bool closes, TSFieldId inherited) {
	const SubtreeHeapData *h = s.ptr;
	f->kids = st_children(s);
	f->count = h->child_count;
	f->i = 0;
	f->sci = 0;
	f->pos = pos;
	f->pid = h->production_id;
	f->aliases = h->production_id ? &l->alias_sequences[h->production_id * l->max_alias_sequence_length] : NULL;
	f->fields = l->field_count != 0 && l->field_map_slices[h->production_id].length != 0;
	f->inherited = inherited;
	f->owner = owner;
	f->closes = closes;
}

// flatten writes root's subtree in preorder into out, exactly as
// flatten_cursor does, walking the Subtree structs the way tree_cursor.c's
// CursorChildIterator does. It returns the node count, or -1 when cap is
// too small. The frame stack lives on the heap past 64 levels: no depth limit.
static int32_t flatten(TSNode root, uint16_t rootField, flatnode *out, int32_t cap) {
	if (cap < 1) return -1;
	const LanguageHead *l = ((const TreeHead *)root.tree)->language;
	const fieldtab *ft = fieldtab_for(l);
	Subtree rs = *(const Subtree *)root.id;
	TSSymbol rootAlias = (TSSymbol)root.context[3];
	fill(&out[0], l, rs, rootAlias, root.context[0]);
	out[0].field = rootField;
	out[0].parent = -1;
	out[0].next = -1;
	out[0].last = -1; // holds the last child written until the subtree ends
	if (st_child_count(rs) == 0) {
		out[0].last = 1;
		return 1;
	}
	frame local[64], *stack = local;
	uint32_t depth = 1, room = 64;
	frame_init(&stack[0], l, rs, root.context[0], 0, true, 0);
	int32_t n = 1;
	while (depth > 0) {
		frame *f = &stack[depth - 1];
		if (f->i == f->count) {
			if (f->closes) out[f->owner].last = n;
			depth--;
			continue;
		}
		// CursorChildIterator's step.
		Subtree c = f->kids[f->i];
		uint32_t start = f->pos;
		bool extra = st_extra(c), visible = st_visible(c);
		// ts_tree_cursor_current_node gives an extra below the root the
		// root's alias (rootAlias): a cursor quirk we copy.
		TSSymbol alias = rootAlias;
		TSFieldId field = 0;
		if (!extra) {
			alias = 0;
			if (f->aliases) {
				alias = f->aliases[f->sci];
				visible |= alias != 0;
			}
			// ts_tree_cursor_current_field_id: own field, else the wrapper's.
			if (f->fields)
				field = ft && f->pid < l->production_id_count && f->sci < ft->width ?
					ft->f[f->pid * ft->width + f->sci] : field_scan(l, f->pid, f->sci);
			if (!field) field = f->inherited;
			f->sci++;
		}
		f->pos = start + st_size(c);
		if (++f->i < f->count) f->pos += st_padding(f->kids[f->i]);

		uint32_t kids = st_child_count(c);
		frame child;
		if (visible) {
			if (n >= cap) {
				if (stack != local) free(stack);
				return -1;
			}
			flatnode *o = &out[n];
			fill(o, l, c, alias, start);
			o->field = field;
			o->parent = f->owner;
			o->next = -1;
			int32_t prev = out[f->owner].last;
			if (prev >= 0) out[prev].next = n;
			out[f->owner].last = n;
			if (kids == 0) {
				o->last = n + 1;
				n++;
				continue;
			}
			o->last = -1;
			frame_init(&child, l, c, start, n, true, 0);
			n++;
		} else if (kids > 0 && c.ptr->visible_child_count > 0) {
			frame_init(&child, l, c, start, f->owner, false, field);
		} else {
			continue;
		}
		if (depth == room) {
			frame *grown = malloc(2 * room * sizeof(frame));
			if (!grown) abort(); // as ts_malloc does
			memcpy(grown, stack, room * sizeof(frame));
			if (stack != local) free(stack);
			stack = grown;
			room *= 2;
		}
		stack[depth++] = child;
	}
	if (stack != local) free(stack);
	return n;
}

// layout_probe checks the mirrors against the public API on node n and its
// language; each set bit is one disagreement (layout_test.go).
static uint32_t layout_probe(TSNode n) {
	const LanguageHead *l = ((const TreeHead *)n.tree)->language;
	Subtree s = *(const Subtree *)n.id;
	uint32_t bad = 0;
	if ((const void *)l != ts_tree_language(n.tree)) bad |= 1 << 0;
	if ((s.data.is_inline ? s.data.symbol : s.ptr->symbol) != ts_node_grammar_symbol(n)) bad |= 1 << 1;
	if (n.context[0] + st_size(s) != ts_node_end_byte(n)) bad |= 1 << 2;
	if ((s.data.is_inline ? s.data.is_missing : s.ptr->is_missing) != ts_node_is_missing(n)) bad |= 1 << 3;
	if (st_extra(s) != ts_node_is_extra(n)) bad |= 1 << 4;
	flatnode f;
	fill(&f, l, s, (TSSymbol)n.context[3], n.context[0]);
	if (!!(f.flags & FLAG_HAS_ERROR) != ts_node_has_error(n)) bad |= 1 << 5;
	if (!!(f.flags & FLAG_NAMED) != ts_node_is_named(n)) bad |= 1 << 6;
	if (f.kind != ts_node_symbol(n)) bad |= 1 << 7;
	uint32_t kids = st_child_count(s);
	if ((kids ? s.ptr->visible_child_count : 0) != ts_node_child_count(n)) bad |= 1 << 8;
	if ((kids ? s.ptr->visible_descendant_count : 0) + 1 != ts_node_descendant_count(n)) bad |= 1 << 9;
	if (l->version != ts_language_version(l) || l->symbol_count + l->alias_count != ts_language_symbol_count(l) ||
		l->field_count != ts_language_field_count(l)) bad |= 1 << 10;
	for (uint32_t i = 1; i <= l->field_count; i++)
		if (l->field_names[i] != ts_language_field_name_for_id(l, i)) bad |= 1 << 11;
	for (uint32_t i = 1; i < l->symbol_count + l->alias_count; i++) {
		TSSymbolMetadata m = l->symbol_metadata[i];
		int want = m.named && m.visible ? 0 : m.visible ? 1 : 2;
		if (l->symbol_names[i] != ts_language_symbol_name(l, i) || ts_language_symbol_type(l, i) != want) bad |= 1 << 12;
	}
	return bad;
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
	return flattenGrowing(n, field, dst, false)
}

// flattenReferenceInto is flattenInto through flatten_cursor, for tests.
func flattenReferenceInto(n C.TSNode, field uint16, dst []node) []node {
	return flattenGrowing(n, field, dst, true)
}

func flattenGrowing(n C.TSNode, field uint16, dst []node, reference bool) []node {
	for {
		got := flattenRaw(n, field, dst, reference)
		if got >= 0 {
			return dst[:got]
		}
		dst = make([]node, 2*len(dst)+64)
	}
}

// flattenRaw is one call of flatten, or of flatten_cursor when reference is
// set, with cap = len(dst).
func flattenRaw(n C.TSNode, field uint16, dst []node, reference bool) int {
	var p *C.flatnode
	if len(dst) > 0 {
		p = (*C.flatnode)(unsafe.Pointer(&dst[0]))
	}
	if reference {
		return int(C.flatten_cursor(n, C.uint16_t(field), p, C.int32_t(len(dst))))
	}
	return int(C.flatten(n, C.uint16_t(field), p, C.int32_t(len(dst))))
}

func descendantCount(n C.TSNode) int { return int(C.ts_node_descendant_count(n)) }

// describeNode returns n's own data with its symbol still raw.
func describeNode(n C.TSNode) node {
	var out node
	C.describe(n, (*C.flatnode)(unsafe.Pointer(&out)))
	return out
}

// layoutProbe is layout_probe for tests.
func layoutProbe(n C.TSNode) uint32 { return uint32(C.layout_probe(n)) }

// visibleNodes lists root's subtree in preorder as the cursor yields it, for
// tests that start a walk at every node.
func visibleNodes(root C.TSNode) []C.TSNode {
	c := C.ts_tree_cursor_new(root)
	defer C.ts_tree_cursor_delete(&c)
	out := []C.TSNode{root}
	for {
		if C.ts_tree_cursor_goto_first_child(&c) {
			out = append(out, C.ts_tree_cursor_current_node(&c))
			continue
		}
		for !C.ts_tree_cursor_goto_next_sibling(&c) {
			if !C.ts_tree_cursor_goto_parent(&c) {
				return out
			}
		}
		out = append(out, C.ts_tree_cursor_current_node(&c))
	}
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

// Whole-file parses run in arenas (arena.c): tree-sitter's allocations for
// a parse come from one arena and are dropped together once the tree is
// flattened, instead of a malloc and a free per node and a tree walk to
// free them (the C library's allocator and ts_tree_delete were ~12% of
// indexing a workspace). An arena gives memory back only when the parse is
// done (freed small blocks are reused meanwhile), so it takes somewhat
// more than tree-sitter's own peak: ~40 bytes per source byte on real code,
// up to ~130 on broken code where error recovery churns (tree-sitter alone:
// ~100; degenerate input such as "a\n" repeated builds trees of ~300 bytes
// per source byte either way). Sources over arenaMaxSource (rare; generated
// code) parse with the C library's allocator instead.
//
// Arenas are kept for reuse and never freed: there are at most as many as
// parses ever ran at once, each keeping one chunk of at most 4 MB between
// parses. (A sync.Pool would drop them at every GC, leaking their memory.)
const arenaMaxSource = 512 << 10

var wholeArenas struct {
	sync.Mutex
	free []*C.arena
}

func init() { C.arena_install() }

func takeArena() *C.arena {
	wholeArenas.Lock()
	defer wholeArenas.Unlock()
	if n := len(wholeArenas.free); n > 0 {
		a := wholeArenas.free[n-1]
		wholeArenas.free = wholeArenas.free[:n-1]
		return a
	}
	return C.arena_new()
}

func giveArena(a *C.arena) {
	C.arena_reset(a)
	wholeArenas.Lock()
	wholeArenas.free = append(wholeArenas.free, a)
	wholeArenas.Unlock()
}

// parseWhole parses src with tree-sitter and flattens it into dst (grown
// when too small); the C tree is gone when it returns.
func parseWhole(src []byte, dst []node) ([]node, error) {
	if len(src) > MaxSourceSize {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, len(src), MaxSourceSize)
	}
	var a *C.arena // nil: the C library's allocator
	if len(src) <= arenaMaxSource {
		a = takeArena()
		defer giveArena(a)
	}
	// The parser reads src only during the call and the tree keeps no
	// pointer into it, so Go memory is passed without a copy.
	var text *C.char
	if len(src) > 0 {
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	t := C.arena_parse(a, text, C.uint32_t(len(src)))
	if t == nil {
		return nil, errors.New("parse: tree-sitter returned no tree")
	}
	if a == nil {
		defer C.ts_tree_delete(t)
	}
	root := C.ts_tree_root_node(t)
	if n := descendantCount(root); cap(dst) < n {
		dst = make([]node, n)
	}
	return flattenInto(root, 0, dst[:cap(dst)]), nil
}

// cTSNode lets files without cgo name the C node type.
type cTSNode = C.TSNode

// arenaFootprint parses src in an arena of its own, as parseWhole does, and
// says how many bytes of chunks the parse needed and how many the arena
// keeps for the next one; the arena is freed.
// arenaRetain is the most an arena keeps between parses.
const arenaRetain = C.ARENA_RETAIN

func arenaFootprint(src []byte) (took, kept int, err error) {
	a := C.arena_new()
	defer C.arena_free_all(a)
	var text *C.char
	if len(src) > 0 {
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	if C.arena_parse(a, text, C.uint32_t(len(src))) == nil {
		err = errors.New("parse: tree-sitter returned no tree")
	}
	C.arena_reset(a)
	return int(C.arena_took(a)), int(C.arena_retained(a)), err
}
