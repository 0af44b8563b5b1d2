package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() {
	register("fix", "apply fixes to Python files and folders (default .)", runFix)
}

const fixSynopsis = "asyncmig fix [flags] [PATH...]"

func runFix(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("asyncmig fix", flag.ContinueOnError)
	diff := fs.Bool("diff", false, "print a unified diff of the fixes instead of writing them; exit 1 if anything would change")
	fs.BoolVar(diff, "check", false, "alias of --diff")
	quiet := fs.Bool("quiet", false, "leave out the summary line")
	fs.BoolVar(quiet, "q", false, "alias of --quiet")
	var sf settingsFlags
	sf.register(fs, true)
	paths, err := parseArgs(fs, args, stdout, stderr, fixSynopsis)
	if err != nil {
		return exitFor(err, stderr, "fix")
	}
	override, err := sf.overrides()
	if err != nil {
		return exitFor(err, stderr, "fix")
	}
	ctx := context.Background()
	projects, err := loadProjects(ctx, paths, override, stderr)
	if err != nil {
		return exitFor(err, stderr, "fix")
	}
	ruleSet := registeredRules()
	var tally fixTally
	for _, proj := range projects {
		if err := fixProject(ctx, proj, ruleSet, *diff, &tally, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "asyncmig fix: %v\n", err)
			return exitError
		}
	}
	if !*quiet {
		summary := fixSummary(*diff, tally.errors, tally.files, tally.remaining, tally.unsafeOnly)
		if *diff {
			fmt.Fprintln(stderr, summary) // stdout stays a patch
		} else {
			fmt.Fprintln(stdout, summary)
		}
	}
	switch {
	case tally.failed:
		return exitError
	case *diff && tally.files > 0:
		return exitFindings
	case !*diff && tally.remaining > 0:
		return exitFindings
	}
	return exitClean
}

// fixTally adds up a fix run over its projects.
type fixTally struct {
	errors, files         int // fixes applied (or that would be) and files changed
	remaining, unsafeOnly int // findings left, and those only --unsafe-fixes would fix
	failed                bool
}

// fixProject fixes the target files of one project until stable, then
// writes them (or prints their diff) and counts what is left.
func fixProject(ctx context.Context, proj *project.Project, ruleSet []*diagnostics.Rule, diff bool, tally *fixTally, stdout, stderr io.Writer) error {
	unsafe := proj.Config.UnsafeFixes
	// A file that does not parse is left alone: its fixed text would not
	// parse either, and where the tree is broken a fix can land anywhere.
	broken := map[*project.File]bool{}
	for _, f := range proj.Files {
		if !f.IndexOnly && f.Tree != nil && f.Tree.HasError() {
			broken[f] = true
			fmt.Fprintf(stderr, "asyncmig fix: %s: not fixed: syntax error on line %d\n", displayPath(f.Path), firstErrorLine(f))
		}
	}
	res := proj.FixFiles(ctx, ruleSet, func(f *project.File, d *diagnostics.Diagnostic) *diagnostics.Fix {
		if broken[f] {
			return nil
		}
		return d.PreferredFix(unsafe)
	})
	if !res.Converged {
		fmt.Fprintf(stderr, "asyncmig fix: warning: fixes still changing the code after %d passes; stopped (please report it: a rule's fixes do not settle)\n", res.Passes)
	}

	changed := make([]*project.File, 0, len(res.Files))
	for f := range res.Files {
		changed = append(changed, f)
	}
	sort.Slice(changed, func(i, j int) bool { return changed[i].Path < changed[j].Path })
	var writes []pendingWrite
	for _, f := range changed {
		st := res.Files[f]
		name := displayPath(f.Path)
		if st.Refused > 0 {
			fmt.Fprintf(stderr, "asyncmig fix: %s: %d fix%s left out: applying %s would have broken the syntax (please report it)\n",
				name, st.Refused, plural(st.Refused, "es"), pick(st.Refused == 1, "it", "them"))
		}
		text, ok := res.Changed[f]
		if !ok {
			continue
		}
		if line := syntaxErrorLine(text); line > 0 {
			// The fixer refuses such passes; this is the last guard.
			fmt.Fprintf(stderr, "asyncmig fix: %s: not changed: the fixed text would not parse (line %d)\n", name, line)
			tally.failed = true
			continue
		}
		if diff {
			slashed := filepath.ToSlash(name)
			if err := writeUnifiedDiff(stdout, "a/"+slashed, "b/"+slashed, st.Original, text); err != nil {
				return err
			}
			tally.errors += st.Applied
			tally.files++
			continue
		}
		writes = append(writes, pendingWrite{f: f, name: name, text: text, applied: st.Applied})
	}
	// Each write syncs its file before the rename; doing them in parallel
	// keeps a project-wide fix from waiting on the disk one file at a time.
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, w := range writes {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, w pendingWrite) {
			defer wg.Done()
			errs[i] = files.WriteAtomic(proj.Root, w.f.Path, w.text)
			<-sem
		}(i, w)
	}
	wg.Wait()
	for i, w := range writes {
		if errs[i] != nil {
			fmt.Fprintf(stderr, "asyncmig fix: %s: not written: %v\n", w.name, errs[i])
			tally.failed = true
			continue
		}
		tally.errors += w.applied
		tally.files++
	}

	// What is left, on the fixed text.
	results := proj.Check(ctx, ruleSet)
	for _, f := range proj.Files {
		r := results[f]
		for _, e := range r.Errors {
			fmt.Fprintf(stderr, "asyncmig fix: internal error: %v\n", e)
			tally.failed = true
		}
		tally.remaining += len(r.Diagnostics)
		if !unsafe {
			for i := range r.Diagnostics {
				if r.Diagnostics[i].PreferredFix(false) == nil && r.Diagnostics[i].PreferredFix(true) != nil {
					tally.unsafeOnly++
				}
			}
		}
	}
	return nil
}

// fixSummary is the closing line: "Fixed 37 errors in 12 files, 4
// remaining need manual changes."
func fixSummary(diff bool, fixed, fixedFiles, remaining, unsafeOnly int) string {
	var b strings.Builder
	switch {
	case fixed == 0 && remaining == 0:
		return "No errors found."
	case fixed == 0:
		b.WriteString("Nothing to fix")
	default:
		verb := "Fixed"
		if diff {
			verb = "Would fix"
		}
		fmt.Fprintf(&b, "%s %d error%s in %d file%s", verb, fixed, plural(fixed, "s"), fixedFiles, plural(fixedFiles, "s"))
	}
	if remaining > 0 {
		manual := remaining - unsafeOnly
		switch {
		case unsafeOnly == 0:
			fmt.Fprintf(&b, ", %d remaining need%s manual changes", remaining, pick(remaining == 1, "s", ""))
		case manual == 0:
			fmt.Fprintf(&b, ", %d remaining fixable with `--unsafe-fixes`", remaining)
		default:
			fmt.Fprintf(&b, ", %d remaining: %d fixable with `--unsafe-fixes`, %d need%s manual changes", remaining, unsafeOnly, manual, pick(manual == 1, "s", ""))
		}
	}
	b.WriteString(".")
	return b.String()
}

// firstErrorLine is the 1-based line of the first ERROR or MISSING node.
func firstErrorLine(f *project.File) int {
	line := 0
	f.Tree.Root().Walk(func(n pysyntax.Node) bool {
		if line > 0 {
			return false
		}
		if n.IsError() || n.IsMissing() {
			line = bytes.Count(f.Src[:n.Start()], []byte{'\n'}) + 1
			return false
		}
		return n.HasError()
	})
	return max(line, 1)
}

// syntaxErrorLine parses text and returns the line of its first syntax
// error, 0 when it parses clean.
func syntaxErrorLine(text []byte) int {
	t, err := pysyntax.Parse(text)
	if err != nil {
		return 1
	}
	if fixer.CountErrors(t) == 0 {
		return 0
	}
	return firstErrorLine(&project.File{Src: text, Tree: t})
}

func plural(n int, suffix string) string {
	if n == 1 {
		return ""
	}
	return suffix
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// pendingWrite is a fixed file waiting to be written.
type pendingWrite struct {
	f       *project.File
	name    string
	text    []byte
	applied int
}
