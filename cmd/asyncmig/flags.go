package main

// Flag handling shared by check, fix and config: flags may come before or
// after the paths (as with ruff), and the rule-selection flags become one
// settings map that config.Merge layers over every file's configuration.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/config"
)

// registeredRules is the rule set the commands run; tests swap it to
// exercise paths no real rule takes (a fix that breaks the syntax).
var registeredRules = func() []*diagnostics.Rule { return rules.All }

// errUsage marks an error that is the user's (exit 2 with the message).
var errUsage = errors.New("usage")

// usageError formats a message for a bad command line.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// listFlag collects a comma-separated, repeatable flag: `--select AM1,AM3
// --select AM501` is three selectors.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// repeatFlag collects a repeatable flag whose values may hold commas.
type repeatFlag []string

func (r *repeatFlag) String() string     { return strings.Join(*r, " ") }
func (r *repeatFlag) Set(v string) error { *r = append(*r, v); return nil }

// settingsFlags are the flags that override configuration files.
type settingsFlags struct {
	selects, ignores, extendSelects listFlag
	targetVersion                   string
	settings                        repeatFlag
	unsafeFixes                     bool
	fs                              *flag.FlagSet
}

func (s *settingsFlags) register(fs *flag.FlagSet, withUnsafe bool) {
	s.fs = fs
	fs.Var(&s.selects, "select", "only these rule `codes` or prefixes (comma-separated; replaces the config's select)")
	fs.Var(&s.ignores, "ignore", "skip these rule `codes` or prefixes (comma-separated)")
	fs.Var(&s.extendSelects, "extend-select", "enable these rule `codes` or prefixes on top of select")
	fs.StringVar(&s.targetVersion, "target-version", "", "Python `version` the code runs on (py38 … py314)")
	fs.Var(&s.settings, "config", "override one setting, `KEY=VALUE` in TOML (e.g. 'blocking-modules = [\"stripe\"]'); repeatable")
	if withUnsafe {
		fs.BoolVar(&s.unsafeFixes, "unsafe-fixes", false, "include unsafe fixes (--unsafe-fixes=false overrides the config)")
	}
}

// overrides returns the flags as a settings map for config.Merge, after
// checking that Merge accepts every value: a bad flag is a usage error, not
// a problem to print and ignore.
func (s *settingsFlags) overrides() (map[string]any, error) {
	m := map[string]any{}
	for _, kv := range s.settings {
		one, err := parseSetting(kv)
		if err != nil {
			return nil, err
		}
		for k, v := range one {
			m[k] = v
		}
	}
	set := map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["select"] {
		m["select"] = []string(s.selects)
	}
	if set["ignore"] {
		m["ignore"] = []string(s.ignores)
	}
	if set["extend-select"] {
		m["extend-select"] = []string(s.extendSelects)
	}
	if set["target-version"] {
		m["target-version"] = s.targetVersion
	}
	if set["unsafe-fixes"] {
		m["unsafe-fixes"] = s.unsafeFixes
	}
	if problems := config.Default().Merge(m); len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Message
		}
		return nil, usageError("bad setting on the command line: %s", strings.Join(msgs, "; "))
	}
	return m, nil
}

// parseSetting reads one --config value, `key = value` in TOML, so lists
// and tables are written as in pyproject.toml. A bare word is taken as a
// string (--config target-version=py311), as a shell user would expect.
func parseSetting(kv string) (map[string]any, error) {
	key, value, ok := strings.Cut(kv, "=")
	if !ok {
		return nil, usageError("--config %q: expected KEY=VALUE in TOML, e.g. --config 'ignore = [\"AM501\"]'", kv)
	}
	var m map[string]any
	_, err := toml.Decode(kv, &m)
	if err != nil {
		if v := strings.TrimSpace(value); v != "" && !strings.ContainsAny(v[:1], "\"'[{") {
			if _, err2 := toml.Decode(key+"="+strconv.Quote(v), &m); err2 == nil {
				return m, nil
			}
		}
		return nil, usageError("--config %q: not a TOML `key = value`: %v", kv, err)
	}
	return m, nil
}

// parseArgs parses flags that may be interleaved with positional arguments;
// everything after a lone "--" is positional. -h prints the usage on
// stdout and returns flag.ErrHelp.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, synopsis string) ([]string, error) {
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	var rest []string
	for i, a := range args {
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			args = args[:i]
			break
		}
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(fs, stdout, synopsis)
				return nil, err
			}
			// flag has printed the problem already.
			return nil, usageError("run `%s -h` for the flags", fs.Name())
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return append(positional, rest...), nil
}

func printUsage(fs *flag.FlagSet, w io.Writer, synopsis string) {
	fmt.Fprintf(w, "usage: %s\n\nflags:\n", synopsis)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// exitFor prints err the way every command does and returns the exit code
// for it: 0 for -h, 2 otherwise.
func exitFor(err error, stderr io.Writer, name string) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	fmt.Fprintf(stderr, "asyncmig %s: %s\n", name, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
	return exitError
}

// displayPath shows path relative to the working directory when it lies
// inside it, as ruff does; otherwise as given.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// useColor decides ANSI colours: NO_COLOR wins, FORCE_COLOR forces them,
// otherwise only when w is a terminal.
func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	if os.Getenv("FORCE_COLOR") != "" {
		return true
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}
