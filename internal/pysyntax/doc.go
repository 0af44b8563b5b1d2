// Package pysyntax parses Python with tree-sitter and hands the rest of
// asyncmig a pure-Go syntax tree. It is the only package that imports
// smacker/go-tree-sitter or uses cgo.
//
// # Two trees
//
// tree-sitter's C tree is what incremental parsing needs, but it is a poor
// thing to analyse: every node access is a cgo call, smacker's wrappers
// write a cache map on reads (so even concurrent reads race, T3 in
// ARCHITECTURE.md), and nodes must not outlive the tree (T5). So each parse
// is flattened, in one C call, into a Tree: preorder nodes with byte offsets,
// parent/next-sibling/subtree-end links, kinds and fields. The Tree is
// immutable, goroutine-safe and owns no C memory; rules walk it with plain
// slice indexing.
//
// # Keystrokes
//
// A Doc keeps the C tree of an open document. Reparse edits that tree with
// ts_tree_edit (not smacker's Tree.Edit, which passes the old end point as
// the new one, T1), reparses with it, and rebuilds the flat tree top-level
// statement by top-level statement: a statement whose subtree tree-sitter
// reused (same heap object, same bytes) is copied from the previous flat
// tree with shifted offsets; only the statements around the edit are walked
// again. On a 5,000-line file that is about a millisecond per keystroke,
// almost all of it tree-sitter's own reparse.
//
// Positions shown to users never come from tree-sitter points (rows count
// '\n' only, columns are bytes): callers convert byte offsets with textpos.
package pysyntax
