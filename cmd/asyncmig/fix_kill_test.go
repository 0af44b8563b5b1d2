package main

// `asyncmig fix` killed at a random moment must leave every file either as
// it was or as a complete run would have written it: never truncated, never
// half old and half new, never with another mode. The fixer runs as a child
// process (this test binary re-executed) so SIGKILL is real, on a generated
// project large enough that the kill often lands while files are being
// written.

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asyncmig/asyncmig/internal/benchgen"
)

const fixChildEnv = "ASYNCMIG_TEST_FIX_CHILD"

// TestFixChildProcess is not a test: it is the CLI, run by the kill test as
// a child process with the arguments after "--".
func TestFixChildProcess(t *testing.T) {
	if os.Getenv(fixChildEnv) != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// fixChild starts `asyncmig fix` in dir as a child process.
func fixChild(t *testing.T, dir string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFixChildProcess$", "--", "fix", "--quiet")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), fixChildEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// snapshotTree reads every regular file under dir (slash paths), with modes.
func snapshotTree(t *testing.T, dir string) (map[string][]byte, map[string]fs.FileMode) {
	t.Helper()
	content, modes := map[string][]byte{}, map[string]fs.FileMode{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		content[rel], modes[rel] = b, info.Mode()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return content, modes
}

func writeTree(t *testing.T, dir string, content map[string][]byte, modes map[string]fs.FileMode) {
	t.Helper()
	for rel, b := range content {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, modes[rel].Perm()); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, modes[rel].Perm()); err != nil { // WriteFile's mode is masked by the umask
			t.Fatal(err)
		}
	}
}

func TestFixKilledMidRunLeavesEveryFileOldOrNew(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	if testing.Short() {
		t.Skip("spawns several fix runs")
	}
	seed := time.Now().UnixNano()
	r := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)

	pristine := t.TempDir()
	if _, err := benchgen.Generate(pristine, 150, 11); err != nil {
		t.Fatal(err)
	}
	old, modes := snapshotTree(t, pristine)
	// Modes other than the default must survive too.
	i := 0
	for _, rel := range slices.Sorted(maps.Keys(old)) {
		if strings.HasSuffix(rel, ".py") {
			modes[rel] = []fs.FileMode{0o644, 0o600, 0o755, 0o640}[i%4]
			i++
		}
	}

	// A complete run gives the new content and how long writing takes.
	refDir := filepath.Join(t.TempDir(), "proyecto ñ")
	writeTree(t, refDir, old, modes)
	start := time.Now()
	cmd, out := fixChild(t, refDir)
	if err := cmd.Wait(); err != nil && cmd.ProcessState.ExitCode() != exitFindings {
		t.Fatalf("reference fix run: %v\n%s", err, out)
	}
	full := time.Since(start)
	fixed, fixedModes := snapshotTree(t, refDir)
	var changed []string
	var firstWrite, lastWrite time.Time
	firstFile := ""
	for rel := range old {
		if fixedModes[rel] != modes[rel] {
			t.Errorf("reference run changed the mode of %s: %v → %v", rel, modes[rel], fixedModes[rel])
		}
		if bytes.Equal(old[rel], fixed[rel]) {
			continue
		}
		changed = append(changed, rel)
		info, err := os.Stat(filepath.Join(refDir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if m := info.ModTime(); firstWrite.IsZero() || m.Before(firstWrite) {
			firstWrite, firstFile = m, rel
		}
		if m := info.ModTime(); m.After(lastWrite) {
			lastWrite = m
		}
	}
	if len(fixed) != len(old) {
		t.Fatalf("the reference run left %d files, started with %d", len(fixed), len(old))
	}
	if len(changed) < 20 {
		t.Fatalf("only %d files changed: the project is too small to test interrupted writes", len(changed))
	}
	writing := lastWrite.Sub(firstWrite)
	t.Logf("reference run: %v, %d of %d files changed, writing took %v", full, len(changed), len(old), writing)

	mixed := 0
	const trials = 3
	for trial := range trials {
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("intento %d", trial))
		writeTree(t, dir, old, modes)
		cmd, out := fixChild(t, dir)
		var delay time.Duration
		if trial == 0 {
			// Anywhere in the run, analysis included.
			delay = time.Duration(r.Int63n(int64(full)))
			time.Sleep(delay)
		} else {
			// Aim at the writes: wait for the first file to change.
			first := filepath.Join(dir, filepath.FromSlash(firstFile))
			deadline := time.Now().Add(2*full + 10*time.Second)
			for time.Now().Before(deadline) {
				if b, err := os.ReadFile(first); err == nil && !bytes.Equal(b, old[firstFile]) {
					break
				}
				time.Sleep(time.Millisecond)
			}
			delay = time.Duration(r.Int63n(int64(writing)*8/10 + 1))
			time.Sleep(delay)
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		got, gotModes := snapshotTree(t, dir)
		nOld, nNew, temps := 0, 0, 0
		for rel, b := range got {
			if _, known := old[rel]; !known {
				if strings.Contains(rel, ".asyncmig-") {
					temps++ // an abandoned temporary file; never a source
					continue
				}
				t.Errorf("trial %d: unexpected file %s", trial, rel)
				continue
			}
			switch {
			case bytes.Equal(b, old[rel]) && bytes.Equal(b, fixed[rel]):
			case bytes.Equal(b, old[rel]):
				nOld++
			case bytes.Equal(b, fixed[rel]):
				nNew++
			default:
				t.Errorf("trial %d: %s is neither the old nor the new content (%d bytes; old %d, new %d)",
					trial, rel, len(b), len(old[rel]), len(fixed[rel]))
			}
			if gotModes[rel] != modes[rel] {
				t.Errorf("trial %d: %s mode %v, want %v", trial, rel, gotModes[rel], modes[rel])
			}
		}
		for rel := range old {
			if _, ok := got[rel]; !ok {
				t.Errorf("trial %d: %s is gone", trial, rel)
			}
		}
		if nOld > 0 && nNew > 0 {
			mixed++
		}
		t.Logf("trial %d: killed after %v: %d files old, %d new, %d temporary files left", trial, delay, nOld, nNew, temps)

		// Running fix again finishes the job.
		if trial == trials-1 {
			cmd, out := fixChild(t, dir)
			if err := cmd.Wait(); err != nil && cmd.ProcessState.ExitCode() != exitFindings {
				t.Fatalf("fix after a kill: %v\n%s", err, out)
			}
			again, _ := snapshotTree(t, dir)
			for rel := range old {
				if !bytes.Equal(again[rel], fixed[rel]) {
					t.Errorf("after a kill and a second run, %s differs from a single complete run", rel)
				}
			}
		}
		_ = out
	}
	// With writes slow enough to hit, some kill must have landed mid-way,
	// or this test proves nothing about interrupted writes.
	if writing > 100*time.Millisecond && mixed == 0 {
		t.Errorf("no trial was killed while files were being written (writing takes %v)", writing)
	}
}
