package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

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
	pprofAddr := flags.String("pprof", "", "serve Go's profiling endpoints (/debug/pprof/) on `address` (host:port; host defaults to 127.0.0.1)")
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
	if *pprofAddr != "" {
		addr, stopProfiling, err := serveProfiling(*pprofAddr)
		if err != nil {
			fmt.Fprintf(stderr, "asyncmig serve: --pprof: %v\n", err)
			return exitError
		}
		defer stopProfiling()
		// On stderr as well as in the log: whoever asked for it needs the
		// port, and the log may be a file.
		fmt.Fprintf(stderr, "asyncmig serve: profiling at http://%s/debug/pprof/\n", addr)
		logger.Info("profiling endpoints", zap.String("url", "http://"+addr+"/debug/pprof/"))
	}
	srv := server.New(server.Options{Logger: logger, Version: version, TraceRPC: *traceRPC})
	return srv.Serve(ctx, stdio{in: os.Stdin, out: stdout})
}

// serveProfiling serves net/http/pprof's handlers on addr, on a mux of
// their own. An address without a host listens on the loopback interface
// only: the profiles show the user's code paths and should not be open to
// the network by accident.
func serveProfiling(addr string) (string, func(), error) {
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }, nil
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
