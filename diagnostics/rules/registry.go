// Package rules holds asyncmig's rules, one file per RULES.md row.
package rules

import (
	"sort"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// All is every rule, sorted by code.
var All = sorted([]*diagnostics.Rule{
	AM501, AM502,
})

func sorted(rs []*diagnostics.Rule) []*diagnostics.Rule {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Code < rs[j].Code })
	return rs
}

// ByCode returns the rule with the given code.
func ByCode(code string) *diagnostics.Rule {
	for _, r := range All {
		if r.Code == code {
			return r
		}
	}
	return nil
}
