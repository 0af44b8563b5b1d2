package main

// `asyncmig migrate PATH::FUNCTION`: the editor's "Migrate `f` to async"
// action on the command line, so a reviewer can read the whole change
// (--diff) before it is written. The engine is internal/migrate; this file
// loads the project, prints and writes.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/migrate"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

func init() {
	register("migrate", "migrate one sync function to async: asyncmig migrate PATH::FUNCTION", runMigrate)
}

const migrateSynopsis = "asyncmig migrate [flags] PATH::FUNCTION   (FUNCTION: `get_profile` or `UserService.get_user`)"

func runMigrate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("asyncmig migrate", flag.ContinueOnError)
	diff := fs.Bool("diff", false, "print the change as a unified diff instead of writing it; exit 1 if there is one")
	aware := fs.Bool("aware-datetimes", false, "rewrite utcnow() to the aware datetime.now(timezone.utc) (default: keep values naive with .replace(tzinfo=None); also on with unsafe-fixes)")
	var sf settingsFlags
	sf.register(fs, true)
	positional, err := parseArgs(fs, args, stdout, stderr, migrateSynopsis)
	if err != nil {
		return exitFor(err, stderr, "migrate")
	}
	if len(positional) != 1 {
		return exitFor(usageError("want one PATH::FUNCTION, got %d arguments (usage: %s)", len(positional), migrateSynopsis), stderr, "migrate")
	}
	path, function, ok := strings.Cut(positional[0], "::")
	if !ok || path == "" || function == "" {
		return exitFor(usageError("%q: want PATH::FUNCTION, e.g. app/api/routes/users.py::get_profile", positional[0]), stderr, "migrate")
	}
	if info, err := os.Stat(path); err != nil {
		return exitFor(err, stderr, "migrate")
	} else if info.IsDir() {
		return exitFor(usageError("%s is a directory: name the file that defines %s", path, function), stderr, "migrate")
	}
	override, err := sf.overrides()
	if err != nil {
		return exitFor(err, stderr, "migrate")
	}
	ctx := context.Background()
	projects, err := loadProjects(ctx, []string{path}, override, stderr)
	if err != nil {
		return exitFor(err, stderr, "migrate")
	}
	proj, file := findFile(projects, path)
	if file == nil {
		return exitFor(fmt.Errorf("%s is not a Python file asyncmig analyses (excluded, binary or too large)", path), stderr, "migrate")
	}
	if file.Err != nil {
		return exitFor(fmt.Errorf("%s: %v", path, file.Err), stderr, "migrate")
	}
	env := migrate.Env{
		Workspace: proj.Workspace, Config: file.Config, Rules: registeredRules(),
		Path: file.Path, Module: file.Module.Name, IsPackage: file.Module.IsPackage, RelPath: project.Rel(file.Config, file.Path),
	}
	opt := migrate.Options{AwareDatetimes: *aware || file.Config.UnsafeFixes}
	res, err := migrate.Migrate(ctx, env, file.Src, migrate.Selector{Name: function}, opt)
	if err != nil {
		if errors.Is(err, migrate.ErrNoFunction) {
			err = fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), migrate.ErrNoFunction.Error()+": "))
		}
		return exitFor(err, stderr, "migrate")
	}
	for _, e := range res.RuleErrors {
		fmt.Fprintf(stderr, "asyncmig migrate: internal error: %v\n", e)
	}
	if res.Disabled != "" {
		fmt.Fprintf(stderr, "asyncmig migrate: %s: not migrated: %s\n", displayPath(file.Path), res.Disabled)
		return exitError
	}
	name := displayPath(file.Path)
	summary := stdout
	if *diff {
		slashed := filepath.ToSlash(name)
		if err := writeUnifiedDiff(stdout, "a/"+slashed, "b/"+slashed, res.Original, res.Text); err != nil {
			return exitFor(err, stderr, "migrate")
		}
		summary = stderr // stdout stays a patch
	} else if err := files.WriteAtomic(proj.Root, file.Path, res.Text); err != nil {
		fmt.Fprintf(stderr, "asyncmig migrate: %s: not written: %v\n", name, err)
		return exitError
	}
	printMigration(summary, file.Path, res, *diff, projects)
	switch {
	case *diff:
		return exitFindings // a change is always shown: the function was sync
	case len(res.Manual) > 0 || res.CallersToUpdate() > 0:
		return exitFindings // work left for the user
	}
	return exitClean
}

// findFile returns the loaded file for path.
func findFile(projects []*project.Project, path string) (*project.Project, *project.File) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil
	}
	for _, p := range projects {
		for _, f := range p.Files {
			if f.Path == abs && !f.IndexOnly {
				return p, f
			}
		}
	}
	return nil, nil
}

// printMigration writes what was (or would be) done, the manual steps and
// the callers, with file:line:column places editors and terminals link.
func printMigration(w io.Writer, file string, res *migrate.Result, diff bool, projects []*project.Project) {
	name := displayPath(file)
	verb := "Migrated"
	if diff {
		verb = "Would migrate"
	}
	fmt.Fprintf(w, "%s `%s` in %s to async: %d edit%s.\n", verb, res.Function, name, len(res.Edits), plural(len(res.Edits), "s"))
	for _, a := range res.Applied {
		code := a.Code
		if code == "" {
			code = "     "
		}
		fmt.Fprintf(w, "  %s %s\n", code, a.Title)
	}
	if len(res.Manual) > 0 {
		fmt.Fprintf(w, "%d manual step%s, marked `%s…`:\n", len(res.Manual), plural(len(res.Manual), "s"), strings.TrimSpace(migrate.TODOPrefix))
		lines := textpos.NewLineIndex(res.Text)
		for _, m := range res.Manual {
			pos := lines.OffsetPosition(m.Start, textpos.UTF32)
			fmt.Fprintf(w, "  %s:%d:%d: %s\n", name, pos.Line+1, pos.Character+1, strings.TrimSpace(m.Code+" "+m.Message))
		}
	}
	if len(res.Callers) > 0 {
		fmt.Fprintf(w, "%d caller%s of `%s` (it returns a coroutine now):\n", len(res.Callers), plural(len(res.Callers), "s"), res.Function)
		texts := map[string]*textpos.LineIndex{name: textpos.NewLineIndex(res.Text)}
		for _, c := range res.Callers {
			li := texts[c.Path]
			if c.Path == file {
				li = texts[name] // calls in the migrated file are placed in its new text
			}
			if li == nil {
				li = textpos.NewLineIndex(sourceOf(projects, c.Path))
				texts[c.Path] = li
			}
			pos := li.OffsetPosition(c.Start, textpos.UTF32)
			in := "module level"
			if c.Function != "" {
				in = "`" + c.Function + "`"
			}
			fmt.Fprintf(w, "  %s:%d:%d: in %s: %s\n", displayPath(c.Path), pos.Line+1, pos.Character+1, in, c.Advice())
		}
	}
}

// sourceOf returns the loaded text of path, or reads it.
func sourceOf(projects []*project.Project, path string) []byte {
	for _, p := range projects {
		for _, f := range p.Files {
			if f.Path == path && f.Src != nil {
				return f.Src
			}
		}
	}
	src, _ := files.Read(path)
	return src
}
