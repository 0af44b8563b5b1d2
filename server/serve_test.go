package server_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// These run the real `asyncmig serve` binary over its stdin/stdout.

func TestServeProcessLifecycle(t *testing.T) {
	c := lsptest.Exec(t, "serve", "--stdio")
	raw := c.Initialize(map[string]any{"capabilities": map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-8"}}}})
	if !strings.Contains(string(raw), `"positionEncoding":"utf-8"`) {
		t.Errorf("initialize result: %s", raw)
	}
	c.Shutdown()
	c.Exit()
	if code := c.ExitCode(); code != 0 {
		t.Errorf("exit code %d after shutdown and exit, want 0", code)
	}
}

// An editor that crashes closes our stdin: the process must go away.
func TestServeProcessExitsWhenStdinCloses(t *testing.T) {
	c := lsptest.Exec(t, "serve")
	c.Initialize(nil)
	c.CloseStream()
	if code := c.ExitCode(); code != 1 {
		t.Errorf("exit code %d, want 1 (no shutdown)", code)
	}
}

func TestServeTraceGoesToTheLogFileNotStdout(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "registro ñ.log")
	c := lsptest.Exec(t, "serve", "--trace-rpc", "--log-file", logFile)
	c.Initialize(nil)
	if err := c.Call("textDocument/semanticTokens/full", map[string]any{}, nil); err == nil || err.Code != -32601 {
		t.Errorf("unknown method: %v", err)
	}
	c.Shutdown()
	c.Exit()
	if code := c.ExitCode(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rpc in", "textDocument/semanticTokens/full", "rpc out", "-32601"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the log file lacks %q:\n%s", want, data)
		}
	}
}

func TestServeRejectsBadFlags(t *testing.T) {
	bin := lsptest.Binary(t)
	for _, args := range [][]string{
		{"serve", "--log-level", "verbose"},
		{"serve", "--no-such-flag"},
		{"serve", "extra"},
	} {
		cmd := exec.Command(bin, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		exitErr, ok := err.(*exec.ExitError)
		if !ok || exitErr.ExitCode() != 2 {
			t.Errorf("%v: err = %v, want exit code 2", args, err)
		}
		if len(out) != 0 {
			t.Errorf("%v wrote to stdout: %q", args, out)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: no message on stderr", args)
		}
	}
}
