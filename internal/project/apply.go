package project

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
)

// applyPass applies one pass of fixes to a file with the fixer's rules.
func applyPass(src []byte, fixes []*diagnostics.Fix) (out []byte, applied, refused int) {
	chosen := fixer.Select(fixes)
	next, refusedN := fixer.ApplyPass(src, chosen)
	if next == nil {
		return nil, 0, refusedN
	}
	return next, len(chosen) - refusedN, refusedN
}
