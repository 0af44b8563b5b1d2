package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/asyncmig/asyncmig/server"
	"go.uber.org/zap"
)

func init() {
	register("serve", "run the language server on stdin/stdout (LSP)", runServe)
}

func runServe(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("asyncmig serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	logFile := flags.String("log-file", "", "append the server log to `file` instead of stderr")
	logLevel := flags.String("log-level", "info", "log `level`: debug, info, warn or error")
	traceRPC := flags.Bool("trace-rpc", false, "log every message in and out (implies --log-level debug)")
	flags.Bool("stdio", true, "accepted and ignored: stdio is the only transport (VS Code passes it)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitError
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "asyncmig serve: unexpected argument %q\n", flags.Arg(0))
		return exitError
	}
	level := *logLevel
	if *traceRPC {
		level = "debug" // the trace is logged at debug level
	}
	logger, closeLog, err := server.NewLogger(server.LogOptions{File: *logFile, Level: level}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "asyncmig serve: %v\n", err)
		return exitError
	}
	defer closeLog()

	// stdout carries the protocol and nothing else: anything in the process
	// that prints to os.Stdout by mistake lands on stderr instead.
	if stdout == os.Stdout {
		os.Stdout = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger.Info("asyncmig serve starting", zap.String("version", version), zap.Int("pid", os.Getpid()))
	srv := server.New(server.Options{Logger: logger, Version: version, TraceRPC: *traceRPC})
	return srv.Serve(ctx, stdio{in: os.Stdin, out: stdout})
}

// stdio is the server's connection: the client writes our stdin and reads
// our stdout.
type stdio struct {
	in  *os.File
	out io.Writer
}

func (s stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.out.Write(p) }

// Close closes stdin. A read already blocked on it may not return; Serve
// does not wait for it.
func (s stdio) Close() error { return s.in.Close() }
