package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/asyncmig/asyncmig/internal/report"
)

func init() {
	register("report", "report migration progress per endpoint and tier", runReport)
}

func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	format := fs.String("format", "text", "output `format`: "+strings.Join(report.Formats(), ", "))
	var failUnder repeatFlag
	fs.Var(&failUnder, "fail-under", "exit 1 when `TIER=PCT` is not met (TIER \"all\" is the whole project); repeatable")
	var sf settingsFlags
	sf.register(fs, false)
	paths, err := parseArgs(fs, args, stdout, stderr, "asyncmig report [flags] [PATH...]")
	if err != nil {
		return exitFor(err, stderr, "report")
	}
	goals := map[string]float64{}
	for _, spec := range failUnder {
		tier, pct, err := report.ParseFailUnder(spec)
		if err != nil {
			return exitFor(usageError("%v", err), stderr, "report")
		}
		goals[tier] = pct
	}
	valid := false
	for _, f := range report.Formats() {
		valid = valid || f == *format
	}
	if !valid && *format != "md" {
		return exitFor(usageError("unknown --format %q (want one of %s)", *format, strings.Join(report.Formats(), ", ")), stderr, "report")
	}
	override, err := sf.overrides()
	if err != nil {
		return exitFor(err, stderr, "report")
	}
	ctx := context.Background()
	proj, err := loadProject(ctx, paths, override, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "asyncmig report: %v\n", err)
		return exitError
	}
	rep := report.Build(proj, proj.Check(ctx, registeredRules()))
	if err := report.Write(stdout, rep, *format); err != nil {
		fmt.Fprintf(stderr, "asyncmig report: %v\n", err)
		return exitError
	}
	below, err := rep.Below(goals)
	if err != nil {
		return exitFor(usageError("%v", err), stderr, "report")
	}
	for _, msg := range below {
		fmt.Fprintf(stderr, "asyncmig report: %s\n", msg)
	}
	if len(below) > 0 {
		return exitFindings
	}
	return exitClean
}
