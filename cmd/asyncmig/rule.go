package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/config"
)

func init() {
	register("rule", "print a rule's documentation (asyncmig rule AM501), or list them all (--all)", runRule)
}

const ruleSynopsis = "asyncmig rule [--output-format text|json] (CODE | NAME | --all)"

// ruleJSON is a rule in `asyncmig rule --output-format json`.
type ruleJSON struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Summary     string `json:"summary"`
	Severity    string `json:"severity"`
	Fix         string `json:"fix"`
	URL         string `json:"url"`
	Explanation string `json:"explanation"`
}

func runRule(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("asyncmig rule", flag.ContinueOnError)
	all := fs.Bool("all", false, "list every rule: code, name, fix availability and summary")
	format := fs.String("output-format", "text", "`format`: text or json")
	names, err := parseArgs(fs, args, stdout, stderr, ruleSynopsis)
	if err != nil {
		return exitFor(err, stderr, "rule")
	}
	if *format != "text" && *format != "json" {
		return exitFor(usageError("unknown --output-format %q (want text or json)", *format), stderr, "rule")
	}
	switch {
	case *all && len(names) > 0:
		return exitFor(usageError("give a rule code or --all, not both"), stderr, "rule")
	case !*all && len(names) != 1:
		return exitFor(usageError("give one rule code (asyncmig rule AM501) or --all"), stderr, "rule")
	}
	var selected []*diagnostics.Rule
	if *all {
		selected = registeredRules()
	} else {
		r, err := findRule(names[0])
		if err != nil {
			return exitFor(err, stderr, "rule")
		}
		selected = []*diagnostics.Rule{r}
	}

	if *format == "json" {
		list := make([]ruleJSON, 0, len(selected))
		for _, r := range selected {
			list = append(list, ruleJSON{
				Code: r.Code, Name: r.Name, Summary: r.Summary, Severity: r.Severity.String(),
				Fix: fixAvailability(r.Fix), URL: diagnostics.RuleURL(r.Code), Explanation: ruleMarkdown(r),
			})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		var v any = list
		if !*all {
			v = list[0]
		}
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "asyncmig rule: %v\n", err)
			return exitError
		}
		return exitClean
	}
	if !*all {
		fmt.Fprint(stdout, ruleMarkdown(selected[0]))
		return exitClean
	}
	width := 0
	for _, r := range selected {
		width = max(width, len(r.Name))
	}
	for _, r := range selected {
		marker := "   "
		if r.Fix != diagnostics.FixNone {
			marker = "[*]"
		}
		fmt.Fprintf(stdout, "%s %s %-*s  %s\n", r.Code, marker, width, r.Name, r.Summary)
	}
	return exitClean
}

// findRule looks a rule up by code (any case) or kebab-case name.
func findRule(key string) (*diagnostics.Rule, error) {
	for _, r := range registeredRules() {
		if strings.EqualFold(r.Code, key) || r.Name == strings.ToLower(key) {
			return r, nil
		}
	}
	if slices.Contains(config.KnownCodes, strings.ToUpper(key)) {
		return nil, usageError("%s is a documented code but not implemented in this build (asyncmig %s); `asyncmig rule --all` lists what is", strings.ToUpper(key), version)
	}
	return nil, usageError("unknown rule %q; `asyncmig rule --all` lists the rules", key)
}
