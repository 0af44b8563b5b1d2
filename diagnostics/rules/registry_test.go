package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/config"
)

// The registry is what users see through `asyncmig rule`, hover and SARIF:
// every rule must be complete, and codes must be the ones RULES.md fixes.
func TestRegistry(t *testing.T) {
	known := map[string]bool{}
	for _, c := range config.KnownCodes {
		known[c] = true
	}
	for i, r := range All {
		if i > 0 && All[i-1].Code >= r.Code {
			t.Errorf("registry not sorted at %s", r.Code)
		}
		if !known[r.Code] {
			t.Errorf("%s is not a RULES.md code", r.Code)
		}
		if r.Name == "" || r.Summary == "" || r.Severity == 0 {
			t.Errorf("%s: name, summary and severity are required", r.Code)
		}
		for _, section := range []string{"## What it does", "## Why is this bad?", "## Example", "## Fix"} {
			if !strings.Contains(r.Doc, section) {
				t.Errorf("%s: documentation lacks %q", r.Code, section)
			}
		}
		if r.Check == nil && r.Finish == nil {
			t.Errorf("%s checks nothing", r.Code)
		}
		if r.Check != nil && len(r.Kinds) == 0 {
			t.Errorf("%s has a Check but subscribes to no node kind", r.Code)
		}
	}
	if ByCode("AM501") != AM501 || ByCode("AM999") != nil {
		t.Error("ByCode is wrong")
	}
	_ = diagnostics.SeverityError
}
