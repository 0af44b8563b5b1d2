//go:build unix

package cache

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A checkout controls what sits at .asyncmig_cache. A link there must not
// make `asyncmig check` write outside the project, and a FIFO where the
// snapshot should be must not block it.

func TestSaveDoesNotWriteThroughALinkedCacheDirectory(t *testing.T) {
	base := t.TempDir()
	elsewhere := filepath.Join(base, "otro sitio ñ")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "proyecto", DirName)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, dir); err != nil {
		t.Skip(err)
	}
	if err := Save(dir, &Snapshot{Key: "k", Files: map[string]*Entry{}}); err == nil {
		t.Error("saved through a symlinked cache directory")
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("files written through the link: %v", entries)
	}
}

func TestSaveDoesNotFollowALinkedGitignore(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, DirName)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(base, "creado-por-el-enlace")
	if err := os.Symlink(target, filepath.Join(dir, ".gitignore")); err != nil {
		t.Skip(err)
	}
	snap := &Snapshot{Key: "clave ñ", Files: map[string]*Entry{}}
	if err := Save(dir, snap); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dangling .gitignore link was followed: %v", err)
	}
	if got, err := Load(dir, snap.Key); err != nil || got.Key != snap.Key {
		t.Errorf("the snapshot itself was not saved: %v", err)
	}
}

func TestLoadRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(Path(dir, "k"), 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Load(dir, "k")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrMiss) {
			t.Errorf("Load of a FIFO: %v, want a miss", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
}
