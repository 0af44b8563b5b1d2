package lsptest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The asyncmig binary, built once per test binary.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// Binary builds cmd/asyncmig once per test binary and returns its path. Call
// Main from TestMain so the build is removed afterwards.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			buildErr = err
			return
		}
		if binDir, err = os.MkdirTemp("", "asyncmig-lsptest-"); err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(binDir, "asyncmig")
		out, err := exec.Command(goTool, "build", "-o", binPath, "github.com/asyncmig/asyncmig/cmd/asyncmig").CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("lsptest: building asyncmig: %v", buildErr)
	}
	return binPath
}

// Main runs the tests and removes the binary Binary built. Use it as
// `func TestMain(m *testing.M) { os.Exit(lsptest.Main(m)) }`.
func Main(m *testing.M) int {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// Exec starts `asyncmig <args>` (e.g. "serve") and speaks LSP over its
// stdin/stdout. The process's stderr is shown if the test fails. At cleanup
// stdin is closed and the test fails if the process does not exit; it is
// killed then.
func Exec(t testing.TB, args ...string) *Client {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Our own pipe rather than StdoutPipe: Wait closes that one as soon as
	// the process exits, possibly before the last reply has been read.
	stdout, stdoutW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = stdoutW
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	err = cmd.Start()
	stdoutW.Close()
	if err != nil {
		stdout.Close()
		t.Fatalf("lsptest: starting asyncmig: %v", err)
	}
	c := newClient(t, pipes{stdout: stdout, stdin: stdin}, stdin.Close)
	go func() {
		err := cmd.Wait()
		var exitErr *exec.ExitError
		switch {
		case err == nil:
			c.exitCode = 0
		case errors.As(err, &exitErr):
			c.exitCode = exitErr.ExitCode()
		default:
			c.exitCode = -1
		}
		close(c.exitDone)
	}()
	t.Cleanup(func() {
		c.finish(func() {
			select {
			case <-c.exitDone:
			default:
				_ = cmd.Process.Kill()
				<-c.exitDone
			}
		})
		if t.Failed() {
			t.Logf("asyncmig stderr:\n%s", stderr.String())
		}
	})
	return c
}

// pipes joins the process's stdout (read) and stdin (write).
type pipes struct {
	stdout *os.File
	stdin  io.WriteCloser
}

func (p pipes) Read(b []byte) (int, error)  { return p.stdout.Read(b) }
func (p pipes) Write(b []byte) (int, error) { return p.stdin.Write(b) }

func (p pipes) Close() error {
	return errors.Join(p.stdin.Close(), p.stdout.Close())
}

// lockedBuffer collects stderr while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
