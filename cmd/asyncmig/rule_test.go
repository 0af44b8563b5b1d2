package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
)

func TestRuleDoc(t *testing.T) {
	for _, key := range []string{"AM501", "am501", "naive-utcnow"} {
		r := asyncmig(t, "rule", key)
		if r.code != exitClean {
			t.Fatalf("%s: %s", key, r)
		}
		if !strings.HasPrefix(r.stdout, "# naive-utcnow (AM501)\n") {
			t.Errorf("%s: title: %q", key, r.stdout[:min(len(r.stdout), 60)])
		}
		mustContain(t, "rule AM501", r.stdout, "Default severity: **warning**", "## What it does", "## Why is this bad?", "## Example", "## Fix", "timezone.utc")
	}
}

func TestRuleAll(t *testing.T) {
	r := asyncmig(t, "rule", "--all")
	if r.code != exitClean {
		t.Fatal(r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(rules.All) {
		t.Fatalf("%d lines for %d rules:\n%s", len(lines), len(rules.All), r.stdout)
	}
	for i, rule := range rules.All {
		if f := strings.Fields(lines[i]); f[0] != rule.Code || !strings.Contains(lines[i], " "+rule.Name+" ") {
			t.Errorf("line %d = %q, want %s and %s", i+1, lines[i], rule.Code, rule.Name)
		}
	}

	r = asyncmig(t, "rule", "--all", "--output-format", "json")
	var list []ruleJSON
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != len(rules.All) {
		t.Fatalf("%v: %s", err, r)
	}
	for i, rule := range rules.All {
		if list[i].Code != rule.Code || list[i].Name != rule.Name || !strings.Contains(list[i].Explanation, "## What it does") || !strings.HasSuffix(list[i].URL, rule.Code+".md") {
			t.Errorf("json %d: %+v", i, list[i])
		}
	}
	r = asyncmig(t, "rule", "AM502", "--output-format", "json")
	var one ruleJSON
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || one.Code != "AM502" || one.Severity != "warning" || one.Fix != "sometimes available" {
		t.Errorf("%v: %+v", err, one)
	}
}

func TestRuleErrors(t *testing.T) {
	useRules(t, rules.AM501)
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"rule"}, "give one rule code"},
		{[]string{"rule", "AM501", "AM502"}, "give one rule code"},
		{[]string{"rule", "AM501", "--all"}, "not both"},
		{[]string{"rule", "AM777"}, `unknown rule "AM777"`},
		{[]string{"rule", "AM502"}, "AM502 is a documented code but not implemented in this build"},
		{[]string{"rule", "AM501", "--output-format", "yaml"}, `unknown --output-format "yaml"`},
		{[]string{"rule", "--todas"}, "-todas"},
	}
	for _, tc := range cases {
		r := asyncmig(t, tc.args...)
		if r.code != exitError || !strings.Contains(r.stderr, tc.msg) || r.stdout != "" {
			t.Errorf("%v: want exit 2 and %q on stderr: %s", tc.args, tc.msg, r)
		}
	}
}
