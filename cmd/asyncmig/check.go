package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/cache"
	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/output"
	"github.com/asyncmig/asyncmig/internal/project"
)

func init() {
	register("check", "lint Python files and folders (default .) and print the findings", runCheck)
}

const checkSynopsis = "asyncmig check [flags] [PATH...]"

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("asyncmig check", flag.ContinueOnError)
	format := fs.String("output-format", "full", "output `format`: "+strings.Join(output.Formats(), ", "))
	fs.StringVar(format, "format", "full", "alias of --output-format")
	statistics := fs.Bool("statistics", false, "print the number of findings per rule instead of the findings")
	exitZero := fs.Bool("exit-zero", false, "exit 0 even when there are findings")
	quiet := fs.Bool("quiet", false, "leave out the summary lines; findings and errors are still printed")
	fs.BoolVar(quiet, "q", false, "alias of --quiet")
	noCache := fs.Bool("no-cache", false, "analyse everything from scratch and leave the cache alone")
	cacheDir := fs.String("cache-dir", "", "keep the cache in `DIR` (default: .asyncmig_cache in the project root)")
	verbose := fs.Bool("verbose", false, "say on stderr how the cache was used")
	fs.BoolVar(verbose, "v", false, "alias of --verbose")
	var sf settingsFlags
	sf.register(fs, true)
	paths, err := parseArgs(fs, args, stdout, stderr, checkSynopsis)
	if err != nil {
		return exitFor(err, stderr, "check")
	}
	if !slices.Contains(output.Formats(), *format) {
		return exitFor(usageError("unknown --output-format %q (want one of %s)", *format, strings.Join(output.Formats(), ", ")), stderr, "check")
	}
	if *statistics && !slices.Contains([]string{"full", "concise", "json"}, *format) {
		return exitFor(usageError("--statistics prints full, concise or json, not %q", *format), stderr, "check")
	}
	override, err := sf.overrides()
	if err != nil {
		return exitFor(err, stderr, "check")
	}

	ctx := context.Background()
	var cacheOpts *project.CacheOptions
	if !*noCache && os.Getenv("ASYNCMIG_NO_CACHE") == "" {
		cacheOpts = &project.CacheOptions{Dir: *cacheDir, Build: cache.BuildID(version), Rules: rulesIDOf(registeredRules())}
		if *verbose {
			cacheOpts.Report = func(msg string) { fmt.Fprintf(stderr, "asyncmig: %s\n", msg) }
		}
	}
	projects, err := loadProjectsCached(ctx, paths, override, cacheOpts, stderr)
	if err != nil {
		return exitFor(err, stderr, "check")
	}
	var out []output.File
	var ruleErrors []error
	found := 0
	// The cache is written while the findings are printed: on a warm run
	// after an edit, the two are most of the time left.
	var saving sync.WaitGroup
	defer saving.Wait()
	for _, proj := range projects {
		results := proj.Check(ctx, registeredRules())
		saving.Go(func() { proj.SaveCache(results) })
		checked, n, errs := collect(proj, results)
		out, found, ruleErrors = append(out, checked...), found+n, append(ruleErrors, errs...)
	}
	for _, e := range ruleErrors {
		fmt.Fprintf(stderr, "asyncmig check: internal error: %v\n", e)
	}
	opt := output.Options{
		Format:      *format,
		Rules:       ruleMetadata(),
		UnsafeFixes: unsafeFixes(projects, override),
		Color:       useColor(stdout),
		ToolVersion: version,
		Quiet:       *quiet,
		ReadSource:  files.Read,
	}
	write := output.Write
	if *statistics {
		write = output.WriteStatistics
	}
	if err := write(stdout, out, opt); err != nil {
		fmt.Fprintf(stderr, "asyncmig check: %v\n", err)
		return exitError
	}
	switch {
	case len(ruleErrors) > 0:
		return exitError
	case found > 0 && !*exitZero:
		return exitFindings
	}
	return exitClean
}

// loadProjects loads the projects under paths with the command-line
// overrides (project.LoadPaths) and prints what the user should know first.
func loadProjects(ctx context.Context, paths []string, override map[string]any, stderr io.Writer) ([]*project.Project, error) {
	return loadProjectsCached(ctx, paths, override, nil, stderr)
}

// loadProjectsCached is loadProjects with the persistent cache (nil: off).
func loadProjectsCached(ctx context.Context, paths []string, override map[string]any, cacheOpts *project.CacheOptions, stderr io.Writer) ([]*project.Project, error) {
	projects, err := project.LoadPaths(ctx, paths, project.Options{Override: override, Cache: cacheOpts})
	if err != nil {
		return nil, err
	}
	printLoadIssues(projects, paths, stderr)
	return projects, nil
}

// loadProject loads paths as one project rooted above the first path, for
// commands that report on a single project (report).
func loadProject(ctx context.Context, paths []string, override map[string]any, stderr io.Writer) (*project.Project, error) {
	proj, err := project.Load(ctx, "", paths, project.Options{Override: override})
	if err != nil {
		return nil, err
	}
	printLoadIssues([]*project.Project{proj}, paths, stderr)
	return proj, nil
}

// printLoadIssues prints, once each, config problems (the rest of the
// configuration still applies) and the requested files left out.
func printLoadIssues(projects []*project.Project, paths []string, stderr io.Writer) {
	var requested []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			requested = append(requested, abs)
		}
	}
	if len(paths) == 0 {
		wd, _ := os.Getwd()
		requested = append(requested, wd)
	}
	seen := map[string]bool{}
	once := func(msg string) {
		if !seen[msg] {
			seen[msg] = true
			fmt.Fprintf(stderr, "asyncmig: warning: %s\n", msg)
		}
	}
	for _, proj := range projects {
		for _, p := range proj.Problems {
			once(p.String())
		}
		for _, s := range proj.Skipped {
			if !under(s.Path, requested) {
				continue // not asked for: only indexed
			}
			once(fmt.Sprintf("skipped %s: %s", displayPath(s.Path), s.Reason))
		}
		for _, f := range proj.Files {
			if f.Err != nil && !f.IndexOnly {
				once(fmt.Sprintf("skipped %s: %v", displayPath(f.Path), f.Err))
			}
		}
	}
}

// under reports whether path is one of dirs or inside one.
func under(path string, dirs []string) bool {
	for _, d := range dirs {
		if path == d || strings.HasPrefix(path, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// unsafeFixes is the run's fix mode: the flag, else the configuration of
// the first project.
func unsafeFixes(projects []*project.Project, override map[string]any) bool {
	if v, ok := override["unsafe-fixes"].(bool); ok {
		return v
	}
	return len(projects) > 0 && projects[0].Config.UnsafeFixes
}

// collect turns check results into output files (every analysed file, so
// formats that list clean files, like JUnit, see them), the number of
// findings, and the rule failures the run survived.
func collect(proj *project.Project, results map[*project.File]diagnostics.Result) ([]output.File, int, []error) {
	var out []output.File
	var errs []error
	found := 0
	for _, f := range proj.Files {
		// A warm run from the cache has sources but no trees: analysed
		// files are those read without error.
		if f.Err != nil || f.Src == nil || f.IndexOnly {
			continue
		}
		r := results[f]
		found += len(r.Diagnostics)
		errs = append(errs, r.Errors...)
		out = append(out, output.File{Path: f.Path, DisplayPath: displayPath(f.Path), Source: f.Src, Diagnostics: r.Diagnostics})
	}
	return out, found, errs
}

// ruleMetadata describes the registered rules for SARIF and statistics.
func ruleMetadata() []output.Rule {
	var out []output.Rule
	for _, r := range registeredRules() {
		out = append(out, output.Rule{
			Code:     r.Code,
			Name:     r.Name,
			Summary:  r.Summary,
			URL:      diagnostics.RuleURL(r.Code),
			Severity: r.Severity,
			Fixable:  r.Fix != diagnostics.FixNone,
		})
	}
	return out
}

// rulesIDOf names the rule set for the cache key (rules.ID for the
// registry; tests that swap rules get their own).
func rulesIDOf(rs []*diagnostics.Rule) string {
	if len(rs) == len(rules.All) && (len(rs) == 0 || rs[0] == rules.All[0]) {
		return rules.ID()
	}
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.Code + "/" + r.Name
	}
	return strings.Join(codes, ",")
}
