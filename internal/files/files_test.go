package files

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

// tree writes files (slash paths → content) under a fresh, symlink-free
// directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create symlinks here: %v", err)
	}
}

// discover runs Discover on root with a deadline: a walk that loops or
// blocks fails the test instead of hanging the suite.
func discover(t *testing.T, root string, paths ...string) ([]string, []Skipped) {
	t.Helper()
	type result struct {
		found   []string
		skipped []Skipped
		err     error
	}
	done := make(chan result, 1)
	go func() {
		found, skipped, err := Discover(root, paths, nil)
		done <- result{found, skipped, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.found, r.skipped
	case <-time.After(30 * time.Second):
		t.Fatal("Discover did not return within 30s (a symlink loop or a blocking file?)")
		return nil, nil
	}
}

func rel(t *testing.T, root string, paths []string) []string {
	t.Helper()
	out := make([]string, len(paths))
	for i, p := range paths {
		r, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = filepath.ToSlash(r)
	}
	slices.Sort(out)
	return out
}

func skippedReason(skipped []Skipped, path string) (string, bool) {
	for _, s := range skipped {
		if s.Path == path {
			return s.Reason, true
		}
	}
	return "", false
}

func TestDiscoverSymlinks(t *testing.T) {
	outside := tree(t, map[string]string{"secreto.py": "clave = 'no leer' # 🔑\n", "paquete/mod.py": "x = 1\n"})
	root := tree(t, map[string]string{
		"app/servicio.py":          "# Conexión asíncrona 🎉\n",
		"app/sub/modelo.py":        "class Usuario: pass\n",
		"app/sub/cálculo ñandú.py": "total = 0\n",
	})
	symlink(t, filepath.Join(root, "app", "sub"), filepath.Join(root, "enlace_dir"))    // inside: followed, not duplicated
	symlink(t, "servicio.py", filepath.Join(root, "app", "alias.py"))                   // inside: followed
	symlink(t, "..", filepath.Join(root, "app", "sub", "arriba"))                       // loop back to app/
	symlink(t, filepath.Join(root, "bucle"), filepath.Join(root, "bucle"))              // a link to itself
	symlink(t, outside, filepath.Join(root, "fuera"))                                   // directory outside
	symlink(t, filepath.Join(outside, "secreto.py"), filepath.Join(root, "secreto.py")) // file outside
	symlink(t, filepath.Join(root, "fuera"), filepath.Join(root, "app", "salto"))       // inside link to an outside link
	symlink(t, filepath.Join(root, "no-existe.py"), filepath.Join(root, "roto.py"))     // dangling

	found, skipped := discover(t, root, root)
	want := []string{"app/alias.py", "app/servicio.py", "app/sub/cálculo ñandú.py", "app/sub/modelo.py"}
	if got := rel(t, root, found); !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
	for _, f := range found {
		if real, err := filepath.EvalSymlinks(f); err != nil || !strings.HasPrefix(real, root+string(filepath.Separator)) {
			t.Errorf("%s resolves to %s (%v), outside the root", f, real, err)
		}
	}
	for name, reason := range map[string]string{
		"fuera":      "outside the project",
		"secreto.py": "outside the project",
		"app/salto":  "outside the project",
		"roto.py":    "broken symlink",
		"bucle":      "broken symlink",
	} {
		got, ok := skippedReason(skipped, filepath.Join(root, filepath.FromSlash(name)))
		if !ok || !strings.Contains(got, reason) {
			t.Errorf("%s: skipped = %v %q, want a reason containing %q", name, ok, got, reason)
		}
	}
}

// A directory reached twice (through a link, or a link loop) is walked
// once, whichever path reaches it first.
func TestDiscoverWalksEachDirectoryOnce(t *testing.T) {
	root := tree(t, map[string]string{"a/b/c/hoja.py": "x = '🌿'\n"})
	symlink(t, root, filepath.Join(root, "a", "b", "c", "raíz"))
	symlink(t, filepath.Join(root, "a"), filepath.Join(root, "a", "b", "otra_a"))
	found, _ := discover(t, root, root)
	if got := rel(t, root, found); !slices.Equal(got, []string{"a/b/c/hoja.py"}) {
		t.Errorf("found %q", got)
	}
}

func TestDiscoverSkipsFilesThatAreNotRegular(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	root := tree(t, map[string]string{"app/bueno.py": "x = 1\n"})
	fifo := filepath.Join(root, "app", "tubería.py")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	found, skipped := discover(t, root, root)
	if got := rel(t, root, found); !slices.Equal(got, []string{"app/bueno.py"}) {
		t.Errorf("found %q", got)
	}
	if reason, ok := skippedReason(skipped, fifo); !ok || !strings.Contains(reason, "not a regular file") {
		t.Errorf("the FIFO: skipped = %v %q", ok, reason)
	}
	// Named explicitly, it is skipped the same way.
	found, skipped = discover(t, root, fifo)
	if len(found) != 0 || len(skipped) != 1 {
		t.Errorf("explicit FIFO: found %q, skipped %v", found, skipped)
	}

	// Read refuses it at once rather than waiting for a writer forever.
	done := make(chan error, 1)
	go func() {
		_, err := Read(fifo)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("Read(FIFO) = %v, want ErrNotRegular", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read blocked on a FIFO")
	}
}

func TestDiscoverReportsUnreadableDirectories(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permission bits do not stop this user from reading")
	}
	root := tree(t, map[string]string{"app/bueno.py": "x = 1\n", "cerrado/oculto.py": "y = 2\n"})
	closed := filepath.Join(root, "cerrado")
	if err := os.Chmod(closed, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(closed, 0o755) })
	found, skipped := discover(t, root, root)
	if got := rel(t, root, found); !slices.Equal(got, []string{"app/bueno.py"}) {
		t.Errorf("found %q", got)
	}
	if reason, ok := skippedReason(skipped, closed); !ok || !strings.Contains(reason, "unreadable") {
		t.Errorf("unreadable directory: skipped = %v %q", ok, reason)
	}
}

func TestReadReportsUnreadableFiles(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permission bits do not stop this user from reading")
	}
	root := tree(t, map[string]string{"app/cerrado.py": "x = 1\n"})
	p := filepath.Join(root, "app", "cerrado.py")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(p); !errors.Is(err, os.ErrPermission) {
		t.Errorf("Read of a mode-000 file: %v, want a permission error", err)
	}
}

func TestReadRefusesBinaryAndOversized(t *testing.T) {
	root := tree(t, map[string]string{
		"binario.py": "x = 1\x00\x01",
		"tarde.py":   strings.Repeat("# relleno ñ\n", 1000) + "\x00", // NUL past 8 KiB: text
	})
	if _, err := Read(filepath.Join(root, "binario.py")); !errors.Is(err, ErrBinary) {
		t.Errorf("binary: %v", err)
	}
	if _, err := Read(filepath.Join(root, "tarde.py")); err != nil {
		t.Errorf("NUL after the first 8 KiB: %v", err)
	}
	big := filepath.Join(root, "grande.py")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x = 1\n"), MaxFileSize/6+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(big); err == nil {
		t.Error("oversized file was read")
	}
	found, skipped := discover(t, root, root)
	if slices.Contains(found, big) {
		t.Error("oversized file was discovered")
	}
	if _, ok := skippedReason(skipped, big); !ok {
		t.Error("oversized file was not reported")
	}
}

func TestWriteAtomicReplacesContentAndKeepsMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o600, 0o755, 0o640, 0o444} {
		root := tree(t, map[string]string{"app/servicio.py": "viejo = 'año'\n"})
		p := filepath.Join(root, "app", "servicio.py")
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		newText := "nuevo = '🎉 ñandú'\r\n"
		if err := WriteAtomic(root, p, []byte(newText)); err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode() != mode {
			t.Errorf("mode %v became %v", mode, info.Mode())
		}
		if got, _ := os.ReadFile(p); string(got) != newText {
			t.Errorf("content %q", got)
		}
		assertNoTempFiles(t, filepath.Dir(p))
	}
}

func TestWriteAtomicFollowsSymlinksOnlyInsideTheRoot(t *testing.T) {
	outside := tree(t, map[string]string{"ajeno.py": "no_tocar = True\n"})
	root := tree(t, map[string]string{"app/real.py": "x = 'viejo'\n"})
	inside := filepath.Join(root, "app", "enlace.py")
	symlink(t, "real.py", inside)
	chain := filepath.Join(root, "cadena.py")
	symlink(t, filepath.Join("app", "enlace.py"), chain)
	escape := filepath.Join(root, "app", "fuga.py")
	symlink(t, filepath.Join(outside, "ajeno.py"), escape)

	if err := WriteAtomic(root, inside, []byte("x = 'nuevo 🎉'\n")); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(root, chain, []byte("x = 'otra vez'\n")); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{inside, chain} {
		info, err := os.Lstat(link)
		if err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink (%v, %v)", link, info.Mode(), err)
		}
	}
	if target, _ := os.Readlink(inside); target != "real.py" {
		t.Errorf("the link now points at %q", target)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "app", "real.py")); string(got) != "x = 'otra vez'\n" {
		t.Errorf("the link's target holds %q", got)
	}

	err := WriteAtomic(root, escape, []byte("pwned = True\n"))
	if err == nil || !strings.Contains(err.Error(), "outside the project") {
		t.Errorf("writing through a link out of the root: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(outside, "ajeno.py")); string(got) != "no_tocar = True\n" {
		t.Errorf("the file outside the root changed: %q", got)
	}
	if info, err := os.Lstat(escape); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the escaping link was replaced: %v %v", info.Mode(), err)
	}
	assertNoTempFiles(t, outside)
	assertNoTempFiles(t, filepath.Join(root, "app"))
}

func TestWriteAtomicFailuresLeaveNoTrace(t *testing.T) {
	root := tree(t, map[string]string{"app/x.py": "x = 1\n"})
	if err := WriteAtomic(root, filepath.Join(root, "app", "no_existe.py"), []byte("y")); err == nil {
		t.Error("writing a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(root, "app", "no_existe.py")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file was created: %v", err)
	}
	// Renaming a file over a directory fails after the temporary file is
	// written: it must be removed.
	dir := filepath.Join(root, "app", "paquete.py")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(root, dir, []byte("z = 3\n")); err == nil {
		t.Error("a directory was replaced by a file")
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
	assertNoTempFiles(t, filepath.Join(root, "app"))
}

// Readers racing the writer see the old or the new content, never a prefix.
func TestWriteAtomicReadersNeverSeePartialContent(t *testing.T) {
	root := tree(t, nil)
	p := filepath.Join(root, "grande.py")
	versions := [][]byte{
		bytes.Repeat([]byte("a = 'versión A 🅰'\n"), 40000),
		bytes.Repeat([]byte("b = 'versión B 🅱'  # más larga\n"), 50000),
	}
	if err := os.WriteFile(p, versions[0], 0o644); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad []string
	var mu sync.Mutex
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := os.ReadFile(p)
				if err == nil && !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) {
					mu.Lock()
					bad = append(bad, string(got[:min(len(got), 40)]))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range 30 {
		if err := WriteAtomic(root, p, versions[(i+1)%2]); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d reads saw neither version, e.g. one starting %q", len(bad), bad[0])
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".asyncmig-") {
			t.Errorf("temporary file left behind: %s", filepath.Join(dir, e.Name()))
		}
	}
}

// Read sizes its buffer from Stat; the content must come out whole whatever
// the hint (a file can grow or shrink between Stat and Read), and the limit
// must hold.
func TestReadUpToIgnoresAWrongSizeHint(t *testing.T) {
	for _, size := range []int{0, 1, 511, 512, 513, 100_000} {
		content := bytes.Repeat([]byte("ñ = 1 # café\n"), size/15+1)[:size]
		for _, hint := range []int64{0, 1, int64(size) / 2, int64(size) + 1, int64(size) * 3} {
			for name, r := range map[string]func() io.Reader{
				"whole":    func() io.Reader { return bytes.NewReader(content) },
				"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(content)) },
			} {
				got, err := readUpTo(r(), hint, int64(size)+1)
				if err != nil || !bytes.Equal(got, content) {
					t.Fatalf("size %d hint %d %s: got %d bytes, err %v", size, hint, name, len(got), err)
				}
				if size > 0 {
					limited, err := readUpTo(r(), hint, int64(size)-1)
					if err != nil || !bytes.Equal(limited, content[:size-1]) {
						t.Fatalf("size %d hint %d %s, limit %d: got %d bytes, err %v", size, hint, name, size-1, len(limited), err)
					}
				}
			}
		}
	}
	if _, err := readUpTo(iotest.ErrReader(errors.New("disk on fire")), 10, 100); err == nil {
		t.Fatal("a read error was swallowed")
	}
}
