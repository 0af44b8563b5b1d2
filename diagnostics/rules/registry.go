// Package rules holds asyncmig's rules, one file per RULES.md row. Each
// file registers its rule in init, so adding a rule touches only its files.
package rules

import (
	"sort"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// All is every rule, sorted by code (complete once package init is done).
var All []*diagnostics.Rule

func register(r *diagnostics.Rule) {
	i := sort.Search(len(All), func(i int) bool { return All[i].Code >= r.Code })
	if i < len(All) && All[i].Code == r.Code {
		panic("rules: duplicate code " + r.Code)
	}
	All = append(All, nil)
	copy(All[i+1:], All[i:])
	All[i] = r
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

// ID names the rule set (codes and names) for cache keys: results cached
// by a build with other rules are never reused.
func ID() string {
	var b strings.Builder
	for _, r := range All {
		b.WriteString(r.Code)
		b.WriteByte('/')
		b.WriteString(r.Name)
		b.WriteByte(',')
	}
	return b.String()
}
