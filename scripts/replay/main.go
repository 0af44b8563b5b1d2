// Command replay replays a recorded typing session against a real
// `asyncmig serve` and prints the keystroke latencies and the server's
// memory (see internal/replay):
//
//	go run ./scripts/replay prepare DIR          # add the 5,000-line module to a generated workspace
//	go run ./scripts/replay record DIR FILE      # record the default session against it
//	go run ./scripts/replay run -server BIN [-session FILE] [-open 50] [-soak N] [-pprof ADDR] [-json] DIR
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/asyncmig/asyncmig/internal/replay"
)

// bigModuleLines is the size of the edited module, the keystroke target's.
const bigModuleLines = 5000

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "prepare":
		err = prepare(os.Args[2:])
	case "record":
		err = record(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: replay prepare DIR | replay record DIR FILE | replay run -server BIN [-session FILE] [-open N] [-soak N] [-debounce MS] [-json] DIR")
	os.Exit(2)
}

func prepare(args []string) error {
	if len(args) != 1 {
		usage()
	}
	text, err := replay.WriteBigModule(args[0], bigModuleLines)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", filepath.Join(args[0], replay.BigModulePath), len(text))
	return nil
}

func record(args []string) error {
	if len(args) != 2 {
		usage()
	}
	text, err := os.ReadFile(filepath.Join(args[0], filepath.FromSlash(replay.BigModulePath)))
	if err != nil {
		return err
	}
	s, err := replay.RecordDefault(text)
	if err != nil {
		return err
	}
	return s.Save(args[1])
}

func run(args []string) error {
	flags := flag.NewFlagSet("replay run", flag.ExitOnError)
	server := flags.String("server", "asyncmig", "the asyncmig `binary` to run as `asyncmig serve`")
	sessionPath := flags.String("session", filepath.Join("internal", "replay", "testdata", "typing500.json"), "recorded typing session `file`")
	open := flags.Int("open", 50, "documents open during the session, the edited one included")
	debounce := flags.Int("debounce", 0, "the server's debounce-ms setting (0 measures the work, not the wait)")
	soakEdits := flags.Int("soak", 0, "edits to send after the session to watch memory")
	asJSON := flags.Bool("json", false, "print the report as JSON")
	logPath := flags.String("log", "", "write the server's log to `file`")
	pprofAddr := flags.String("pprof", "", "run the server with --pprof `address`, to profile it during the replay")
	flags.Parse(args)
	if flags.NArg() != 1 {
		usage()
	}
	session, err := replay.LoadSession(*sessionPath)
	if err != nil {
		return err
	}
	var stderr io.Writer
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			return err
		}
		defer f.Close()
		stderr = f
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	command := []string{*server, "serve", "--log-level", "warn"}
	if *pprofAddr != "" {
		command = append(command, "--pprof", *pprofAddr)
	}
	rep, err := replay.Run(ctx, replay.Options{
		Server: command, Root: flags.Arg(0), Session: session,
		Open: *open, DebounceMS: *debounce, SoakEdits: *soakEdits, Stderr: stderr,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(summary(rep))
	}
	s := summary(rep)
	fmt.Printf("keystrokes %d: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%d diagnostics at the end)\n",
		s.Keystrokes, s.MedianMS, s.P90MS, s.P99MS, s.MaxMS, s.Diagnostics)
	if len(rep.KeystrokeCPU) > 0 {
		fmt.Printf("server CPU per keystroke: median %.2f ms, p90 %.2f ms, p99 %.2f ms, mean %.2f ms\n", s.CPUMedianMS, s.CPUP90MS, s.CPUP99MS, s.CPUMeanMS)
	}
	fmt.Printf("index %.1f s; RSS MB: indexed %.0f, %d open %.0f, after session %.0f, peak %.0f\n",
		s.IndexSeconds, s.RSSIndexedMB, s.OpenFiles, s.RSSOpenedMB, s.RSSSessionMB, s.RSSPeakMB)
	if rep.RuntimeSession != nil {
		fmt.Printf("after session: %d goroutines, live heap %.0f MB\n", rep.RuntimeSession.Goroutines, mb(rep.RuntimeSession.HeapAlloc))
	}
	if rep.SoakEdits > 0 {
		fmt.Printf("soak %d edits: RSS %.0f → %.0f MB", rep.SoakEdits, s.RSSSessionMB, s.RSSSoakMB)
		if rep.RuntimeSoak != nil {
			fmt.Printf(", %d goroutines, live heap %.0f MB", rep.RuntimeSoak.Goroutines, mb(rep.RuntimeSoak.HeapAlloc))
		}
		fmt.Println()
	}
	if rep.TextMatches != nil && !*rep.TextMatches {
		return fmt.Errorf("the server's copy of %s differs from the editor's", session.File)
	}
	return nil
}

// Summary is the report in the units the bench table prints.
type Summary struct {
	Keystrokes                        int
	MedianMS, P90MS, P99MS, MaxMS     float64
	CPUMedianMS, CPUP90MS, CPUP99MS   float64
	CPUMeanMS                         float64
	Diagnostics                       int
	IndexSeconds                      float64
	OpenFiles                         int
	RSSIndexedMB, RSSOpenedMB         float64
	RSSSessionMB, RSSSoakMB           float64
	RSSPeakMB                         float64
	SoakEdits                         int
	SoakRSSMB                         []float64
	GoroutinesSession, GoroutinesSoak int
	HeapSessionMB, HeapSoakMB         float64
	TextMatches                       *bool
}

func summary(r *replay.Report) Summary {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	s := Summary{
		Keystrokes: len(r.Keystrokes), MedianMS: ms(replay.Quantile(r.Keystrokes, 0.5)),
		P90MS: ms(replay.Quantile(r.Keystrokes, 0.9)), P99MS: ms(replay.Quantile(r.Keystrokes, 0.99)),
		MaxMS: ms(replay.Quantile(r.Keystrokes, 1)), Diagnostics: r.Diagnostics,
		IndexSeconds: r.IndexTime.Seconds(), OpenFiles: r.OpenFiles,
		RSSIndexedMB: mb(r.RSSIndexed), RSSOpenedMB: mb(r.RSSOpened), RSSSessionMB: mb(r.RSSSession),
		RSSSoakMB: mb(r.RSSSoak), RSSPeakMB: mb(r.RSSPeak), SoakEdits: r.SoakEdits, TextMatches: r.TextMatches,
	}
	if len(r.KeystrokeCPU) > 0 {
		s.CPUMedianMS, s.CPUP90MS = ms(replay.Quantile(r.KeystrokeCPU, 0.5)), ms(replay.Quantile(r.KeystrokeCPU, 0.9))
		s.CPUP99MS = ms(replay.Quantile(r.KeystrokeCPU, 0.99))
		var total time.Duration
		for _, d := range r.KeystrokeCPU {
			total += d
		}
		s.CPUMeanMS = ms(total / time.Duration(len(r.KeystrokeCPU)))
	}
	for _, v := range r.SoakRSS {
		s.SoakRSSMB = append(s.SoakRSSMB, mb(v))
	}
	if rt := r.RuntimeSession; rt != nil {
		s.GoroutinesSession, s.HeapSessionMB = rt.Goroutines, mb(rt.HeapAlloc)
	}
	if rt := r.RuntimeSoak; rt != nil {
		s.GoroutinesSoak, s.HeapSoakMB = rt.Goroutines, mb(rt.HeapAlloc)
	}
	return s
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
