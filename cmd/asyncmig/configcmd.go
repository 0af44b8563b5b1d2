package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/asyncmig/asyncmig/internal/config"
)

func init() {
	register("config", "print the effective configuration for a path (default .)", runConfig)
}

const configSynopsis = "asyncmig config [flags] [PATH]"

// runConfig prints, as TOML, the configuration that applies to PATH: the
// config file found from it, with the command line's overrides. Problems in
// the file go to stderr and make the exit code 1; what is printed is what
// still applies.
func runConfig(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("asyncmig config", flag.ContinueOnError)
	var sf settingsFlags
	sf.register(fs, true)
	paths, err := parseArgs(fs, args, stdout, stderr, configSynopsis)
	if err != nil {
		return exitFor(err, stderr, "config")
	}
	if len(paths) > 1 {
		return exitFor(usageError("give one path, not %d", len(paths)), stderr, "config")
	}
	override, err := sf.overrides()
	if err != nil {
		return exitFor(err, stderr, "config")
	}
	path := "."
	if len(paths) == 1 {
		path = paths[0]
	}
	info, err := os.Stat(path)
	if err != nil {
		return exitFor(err, stderr, "config")
	}
	dir := path
	if !info.IsDir() {
		dir = filepath.Dir(path)
	}
	cfg, problems, err := config.Discover(dir)
	if err != nil {
		return exitFor(err, stderr, "config")
	}
	for _, p := range problems {
		fmt.Fprintf(stderr, "asyncmig: warning: %s\n", p)
	}
	if len(override) > 0 {
		cfg = cfg.Clone()
		cfg.Merge(override)
	}
	fmt.Fprint(stdout, cfg.Dump())
	if len(problems) > 0 {
		return exitFindings
	}
	return exitClean
}
