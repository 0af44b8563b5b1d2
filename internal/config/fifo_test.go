//go:build unix

package config

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO named pyproject.toml (or asyncmig.toml) above the files used to
// block `asyncmig check` and the server forever in os.ReadFile. It is
// reported like an unreadable config file, and the defaults apply.
func TestConfigFileThatIsAFIFO(t *testing.T) {
	for _, name := range []string{PyprojectTOML, AsyncmigTOML} {
		dir := t.TempDir()
		fifo := filepath.Join(dir, name)
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		type result struct {
			cfg      *Config
			problems []Problem
		}
		done := make(chan result, 2)
		go func() {
			cfg, problems, _ := Discover(filepath.Join(dir, "app", "módulo"))
			done <- result{cfg, problems}
		}()
		go func() {
			cfg, problems, _ := Load(fifo)
			done <- result{cfg, problems}
		}()
		for range 2 {
			select {
			case r := <-done:
				if len(r.problems) != 1 || !strings.Contains(r.problems[0].Message, "not a regular file") {
					t.Errorf("%s: problems %v", name, r.problems)
				}
				if r.cfg == nil || r.cfg.DebounceMS != Default().DebounceMS {
					t.Errorf("%s: not the defaults: %+v", name, r.cfg)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: reading a FIFO config file blocked", name)
			}
		}
	}
}
