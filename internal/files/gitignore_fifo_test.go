//go:build unix

package files

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO named .gitignore at a workspace root used to block indexing
// forever (os.ReadFile waits for a writer); it now counts as no .gitignore.
func TestGitignoreThatIsAFIFO(t *testing.T) {
	root := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(root, ".gitignore"), 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan *Gitignore, 1)
	go func() { done <- LoadGitignore(root) }()
	select {
	case g := <-done:
		if g != nil {
			t.Errorf("a FIFO gave ignore rules: %+v", g)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("LoadGitignore blocked on a FIFO")
	}
}
