// Package files finds the Python files a run covers and writes fixed files
// back safely.
//
// Discovery walks the given paths, prunes excluded directories (the
// configuration's exclude globs, which default to virtualenvs,
// node_modules, site-packages, caches), never follows a symlink out of the
// root or around a loop, and skips binary (NUL in the first 8 KiB) and
// oversized files with a reason the caller logs. Writes go to a temporary
// file in the same directory and are renamed over the original, keeping
// its permissions, so a crash leaves either the old or the new file.
package files

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxFileSize is the largest Python file analysed.
const MaxFileSize = 5 << 20

// Skipped is a file left out of a run, with the reason.
type Skipped struct {
	Path   string
	Reason string
}

// Excluder decides whether a path is excluded (the configuration's).
type Excluder interface {
	Excluded(path string) bool
	ExcludedDir(path string) bool
}

// Discover lists the .py/.pyi files under paths. Files named explicitly are
// still subject to exclude (Ruff's force-exclude), so a pre-commit hook that
// passes every changed file agrees with a whole-project run. root bounds
// symlink following.
func Discover(root string, paths []string, ex Excluder) ([]string, []Skipped, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, err
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	var out []string
	var skipped []Skipped
	seen := map[string]bool{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, err
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		if !info.IsDir() {
			if ex != nil && ex.Excluded(abs) {
				continue
			}
			if s, ok := checkFile(abs, info); !ok {
				skipped = append(skipped, s)
				continue
			}
			if !seen[abs] {
				seen[abs] = true
				out = append(out, abs)
			}
			continue
		}
		walkErr := walk(root, abs, ex, seen, map[string]bool{}, &out, &skipped)
		if walkErr != nil {
			return nil, nil, walkErr
		}
	}
	sort.Strings(out)
	return out, skipped, nil
}

func walk(root, dir string, ex Excluder, seen, visitedDirs map[string]bool, out *[]string, skipped *[]Skipped) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		*skipped = append(*skipped, Skipped{dir, err.Error()})
		return nil
	}
	if visitedDirs[real] {
		return nil // a symlink loop or a second path to the same directory
	}
	visitedDirs[real] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		*skipped = append(*skipped, Skipped{dir, "unreadable directory: " + err.Error()})
		return nil
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				*skipped = append(*skipped, Skipped{p, "broken symlink"})
				continue
			}
			if !within(root, target) {
				*skipped = append(*skipped, Skipped{p, "symlink points outside the project"})
				continue
			}
			info, err := os.Stat(target)
			if err != nil {
				continue
			}
			if info.IsDir() {
				typ = fs.ModeDir
			} else {
				typ = 0
			}
		}
		if typ.IsDir() {
			if e.Name() == ".git" || ex != nil && ex.ExcludedDir(p) {
				continue
			}
			if err := walk(root, p, ex, seen, visitedDirs, out, skipped); err != nil {
				return err
			}
			continue
		}
		if !strings.HasSuffix(e.Name(), ".py") && !strings.HasSuffix(e.Name(), ".pyi") {
			continue
		}
		if ex != nil && ex.Excluded(p) {
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			*skipped = append(*skipped, Skipped{p, err.Error()})
			continue
		}
		if s, ok := checkFile(p, info); !ok {
			*skipped = append(*skipped, s)
			continue
		}
		if !seen[p] {
			seen[p] = true
			*out = append(*out, p)
		}
	}
	return nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func checkFile(p string, info os.FileInfo) (Skipped, bool) {
	if !info.Mode().IsRegular() {
		// A FIFO named x.py would block the reader forever; devices and
		// sockets are no source either.
		return Skipped{p, "not a regular file (" + info.Mode().Type().String() + ")"}, false
	}
	if info.Size() > MaxFileSize {
		return Skipped{p, fmt.Sprintf("larger than %d MB", MaxFileSize>>20)}, false
	}
	return Skipped{}, true
}

// ErrBinary marks a file with a NUL byte near its start.
var ErrBinary = errors.New("binary file (NUL byte in the first 8 KiB)")

// ErrNotRegular marks a path that is not a regular file (a FIFO, a socket,
// a device): opening a FIFO for reading blocks until a writer appears.
var ErrNotRegular = errors.New("not a regular file")

// Read reads a source file, refusing binary and oversized content and
// anything but a regular file.
func Read(p string) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	} else if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, info.Mode().Type())
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Sized from Stat (plus the byte that sees EOF), the read allocates
	// once; io.ReadAll's doubling allocated twice the source of a
	// workspace index. The limit still holds if the file grew since.
	b, err := readUpTo(f, min(info.Size(), MaxFileSize)+1, MaxFileSize+1)
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MB", MaxFileSize>>20)
	}
	head := b
	if len(head) > 8<<10 {
		head = head[:8<<10]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, ErrBinary
	}
	return b, nil
}

// readUpTo reads r to EOF or limit bytes, starting with a buffer of
// sizeHint bytes.
func readUpTo(r io.Reader, sizeHint, limit int64) ([]byte, error) {
	b := make([]byte, 0, max(sizeHint, 512))
	for int64(len(b)) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := min(int64(cap(b)), limit) - int64(len(b))
		n, err := r.Read(b[len(b) : len(b)+int(room)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

// WriteAtomic replaces path's content: write a temporary file next to it,
// sync, keep the mode, rename over the original. A symlink is followed and
// its target replaced (the link itself stays), but only inside root.
func WriteAtomic(root, path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if root != "" {
		r, err := filepath.EvalSymlinks(root)
		if err == nil && !within(r, target) {
			return fmt.Errorf("%s resolves outside the project (%s): not writing", path, target)
		}
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".asyncmig-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	cleanup := func() { os.Remove(tmpName) }
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		cleanup()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		cleanup()
		return err
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return err
	}
	if err := os.Chmod(tmpName, info.Mode().Perm()); err != nil {
		cleanup()
		return err
	}
	if err := os.Rename(tmpName, target); err != nil {
		cleanup()
		return err
	}
	return nil
}
