package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Snapshots of other keys (an older asyncmig, a changed configuration) and
// temporary files a killed run left are removed once a week old; recent
// ones, the one just written and files that are not ours stay.
func TestSavePrunesStaleSnapshots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), DirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-8 * 24 * time.Hour)
	write := func(name string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("viejo ñ"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	staleBin := write("0123456789abcdef01234567.bin", old)
	staleSrc := write("0123456789abcdef01234567.bin.src", old)
	staleTmp := write("snapshot-123.tmp", old)
	recent := write("fedcba9876543210fedcba98.bin", time.Now().Add(-time.Hour))
	notOurs := write("notas.txt", old)

	if err := Save(dir, &Snapshot{Key: "clave ✨", Files: map[string]*Entry{}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{staleBin, staleSrc, staleTmp} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s: stale, still there (%v)", filepath.Base(p), err)
		}
	}
	for _, p := range []string{recent, notOurs, Path(dir, "clave ✨"), Path(dir, "clave ✨") + ".src"} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: removed (%v)", filepath.Base(p), err)
		}
	}
	if _, err := Load(dir, "clave ✨"); err != nil {
		t.Errorf("the snapshot just written does not load: %v", err)
	}
}
