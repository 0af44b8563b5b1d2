package rules

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// callNode finds the syntax node of a call site of this file.
func callNode(f *pymodel.File, cs *pymodel.CallSite) (pysyntax.Node, bool) {
	n := f.Tree.DescendantAt(int(cs.Start), int(cs.End))
	if !n.Is(pysyntax.Call) || n.Start() != int(cs.Start) || n.End() != int(cs.End) {
		return pysyntax.Node{}, false
	}
	return n, true
}
