// Command asyncmig keeps a Python backend's sync→async migration honest: a
// language server (serve), a CI linter (check), a bulk fixer (fix), a
// migration progress report (report) and rule documentation (rule).
//
// Exit codes: 0 clean, 1 findings (or a changed --diff), 2 usage or internal
// error, with the message on stderr.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
)

// version is overridden at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

// command is one subcommand. run gets the arguments after the subcommand name.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file in init, so adding a command
// touches only its own file.
var commands = map[string]command{}

func register(name, summary string, run func(args []string, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: run}
}

func init() {
	register("version", "print the asyncmig version", func(args []string, stdout, stderr io.Writer) int {
		fmt.Fprintf(stdout, "asyncmig %s\n", version)
		return exitClean
	})
}

func main() {
	if len(os.Args) > 1 {
		tuneBatchGC(os.Args[1])
	}
	// ASYNCMIG_CPUPROFILE=FILE writes a CPU profile of any command, for
	// users reporting slowness and for our own measurements.
	if path := os.Getenv("ASYNCMIG_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if err := pprof.StartCPUProfile(f); err == nil {
				code := run(os.Args[1:], os.Stdout, os.Stderr)
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitError
		}
		return exitClean
	}
	if args[0] == "--version" {
		args[0] = "version"
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "asyncmig: unknown command %q (run `asyncmig help`)\n", args[0])
		return exitError
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: asyncmig <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
}
