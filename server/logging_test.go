package server

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

func TestNewLoggerLevelsAndDestinations(t *testing.T) {
	var stderr bytes.Buffer
	log, closeLog, err := NewLogger(LogOptions{Level: "warn"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("not shown")
	log.Warn("sesión sin await 🎉")
	if err := closeLog(); err != nil {
		t.Fatal(err)
	}
	if got := stderr.String(); strings.Contains(got, "not shown") || !strings.Contains(got, "sesión sin await 🎉") {
		t.Errorf("stderr log:\n%s", got)
	}

	file := filepath.Join(t.TempDir(), "asyncmig ñ.log")
	for _, msg := range []string{"primera", "segunda"} {
		log, closeLog, err := NewLogger(LogOptions{File: file, Level: "debug"}, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		log.Debug(msg)
		if err := closeLog(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "primera") || !strings.Contains(string(data), "segunda") {
		t.Errorf("the log file was not appended to:\n%s", data)
	}
}

func TestNewLoggerRejectsBadSettings(t *testing.T) {
	if _, _, err := NewLogger(LogOptions{Level: "verbose"}, os.Stderr); err == nil || !strings.Contains(err.Error(), `"verbose"`) {
		t.Errorf("unknown level: err = %v", err)
	}
	if _, _, err := NewLogger(LogOptions{File: filepath.Join(t.TempDir(), "no", "such", "dir.log")}, os.Stderr); err == nil {
		t.Error("a log file in a missing directory: no error")
	}
}

func TestTraceRPCLogsEveryMessage(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	s := newTestServer(t, Options{Logger: zap.New(core), TraceRPC: true}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(nil)
	echo(t, c)
	var in, out bool
	for _, e := range logs.All() {
		msg, _ := e.ContextMap()["message"].(string)
		in = in || e.Message == "rpc in" && strings.Contains(msg, `"method":"test/echo"`)
		out = out || e.Message == "rpc out" && strings.Contains(msg, spanish)
	}
	if !in || !out {
		t.Errorf("trace: request logged %v, reply logged %v", in, out)
	}
}
