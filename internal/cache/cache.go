// Package cache persists a project's check results between runs, like
// Ruff's cache: per file, the content hash, the diagnostics and the source
// they were computed from, plus the workspace-wide facts (call-site flows,
// importers, subclasses). A snapshot is only ever used when its key — tool
// build, configuration, rule set, project root — matches exactly; any
// unreadable, truncated, corrupt or foreign file is ignored and the run
// falls back to analysing from scratch. Writes are atomic (temp file and
// rename), so concurrent runs each see a complete snapshot or none.
package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// formatVersion changes whenever the snapshot layout does.
const formatVersion = 2

var magic = [8]byte{'a', 's', 'y', 'n', 'c', 'm', 'i', 'g'}

// DirName is the cache directory created in the project root.
const DirName = ".asyncmig_cache"

// Hash is a file content digest.
type Hash [32]byte

// HashOf digests content.
func HashOf(b []byte) Hash { return sha256.Sum256(b) }

// Entry is what the cache knows about one file.
type Entry struct {
	Hash Hash
	// Checked: Diagnostics hold this file's results (it was a target).
	Checked     bool
	Diagnostics []diagnostics.Diagnostic
	// RelatedInto lists other files the diagnostics point into: edits
	// there move those positions.
	RelatedInto []string
	// Source is the text the entry was computed from, to tell on the next
	// run whether an edit changed what other modules can see. It is stored
	// in a separate file (SrcOff, SrcLen) that only a run with edits reads:
	// an unchanged run does not pay for it. Load leaves it nil; use
	// Snapshot.Source.
	Source         []byte
	SrcOff, SrcLen int64
}

// Snapshot is one project's cached state.
type Snapshot struct {
	Key   string
	Files map[string]*Entry // by absolute path
	Facts workspace.Facts

	srcPath string // the sources file of a loaded snapshot
}

// Source returns the text a file's entry was computed from, read from the
// sources file and checked against the entry's hash (a concurrent run may
// have replaced that file): false when it is not available.
func (s *Snapshot) Source(path string) ([]byte, bool) {
	e := s.Files[path]
	if e == nil {
		return nil, false
	}
	if e.Source != nil {
		return e.Source, true
	}
	f, err := os.Open(s.srcPath)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	buf := make([]byte, e.SrcLen)
	if _, err := f.ReadAt(buf, e.SrcOff); err != nil || HashOf(buf) != e.Hash {
		return nil, false
	}
	return buf, true
}

// Path returns where the snapshot for key lives under root.
func Path(dir, key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(dir, fmt.Sprintf("%x.bin", sum[:12]))
}

// ErrMiss is returned when there is no usable snapshot.
var ErrMiss = errors.New("cache miss")

// Load reads the snapshot for key, or fails with an error wrapping ErrMiss
// saying why (missing, truncated, corrupt, other key or format).
func Load(dir, key string) (*Snapshot, error) {
	// Only a regular file: a FIFO or a link to /dev/zero shipped in a
	// checkout would block or exhaust the reader.
	if info, err := os.Lstat(Path(dir, key)); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", ErrMiss)
	}
	data, err := os.ReadFile(Path(dir, key))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMiss, err)
	}
	if len(data) < 20 || !bytes.Equal(data[:8], magic[:]) {
		return nil, fmt.Errorf("%w: not an asyncmig cache file", ErrMiss)
	}
	n := binary.LittleEndian.Uint64(data[8:16])
	sum := binary.LittleEndian.Uint32(data[16:20])
	body := data[20:]
	if uint64(len(body)) != n {
		return nil, fmt.Errorf("%w: truncated (%d of %d bytes)", ErrMiss, len(body), n)
	}
	if crc32.Checksum(body, crcTable) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrMiss)
	}
	var head struct {
		Format int
		Key    string
	}
	dec := gob.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&head); err != nil || head.Format != formatVersion || head.Key != key {
		return nil, fmt.Errorf("%w: other format or key", ErrMiss)
	}
	s := Snapshot{Key: key}
	var count int
	if err := dec.Decode(&s.Facts); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMiss, err)
	}
	if err := dec.Decode(&count); err != nil || count < 0 {
		return nil, fmt.Errorf("%w: inconsistent snapshot", ErrMiss)
	}
	s.Files = make(map[string]*Entry, min(count, 1<<16))
	for range count {
		var rec fileRecord
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMiss, err)
		}
		s.Files[rec.Path] = &rec.Entry
	}
	s.srcPath = Path(dir, key) + ".src"
	return &s, nil
}

// fileRecord is one file's entry on disk: entries are encoded one by one,
// so neither side holds the whole encoded snapshot in memory.
type fileRecord struct {
	Path  string
	Entry Entry
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Save writes s atomically. The directory gets a .gitignore so the cache
// never ends up in version control.
func Save(dir string, s *Snapshot) error {
	// A checkout can ship .asyncmig_cache as a link to anywhere: writing
	// through it would write outside the project.
	if info, err := os.Lstat(dir); err == nil && info.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symlink; not writing through it (pass its target as --cache-dir)", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// O_EXCL creates the file but never follows a link, dangling or not.
	if f, err := os.OpenFile(filepath.Join(dir, ".gitignore"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
		f.WriteString("# Created by asyncmig automatically.\n*\n")
		f.Close()
	}
	// Sources first, to their own file, so a reader that sees the new
	// snapshot finds sources at least as new (and checks them by hash).
	paths := make([]string, 0, len(s.Files))
	for p := range s.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	stored := make([]fileRecord, len(paths))
	err := writeAtomic(dir, Path(dir, s.Key)+".src", false, func(w io.Writer) error {
		var off int64
		for i, p := range paths {
			e := *s.Files[p]
			src, _ := s.Source(p)
			e.SrcOff, e.SrcLen, e.Source = off, int64(len(src)), nil
			if _, err := w.Write(src); err != nil {
				return err
			}
			off += int64(len(src))
			stored[i] = fileRecord{Path: p, Entry: e}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = writeAtomic(dir, Path(dir, s.Key), true, func(w io.Writer) error {
		enc := gob.NewEncoder(w)
		if err := enc.Encode(struct {
			Format int
			Key    string
		}{formatVersion, s.Key}); err != nil {
			return err
		}
		if err := enc.Encode(s.Facts); err != nil {
			return err
		}
		if err := enc.Encode(len(stored)); err != nil {
			return err
		}
		for i := range stored {
			if err := enc.Encode(&stored[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		pruneStale(dir, Path(dir, s.Key), time.Now().Add(-staleAfter))
	}
	return err
}

// staleAfter is how long a snapshot of another key (an older asyncmig, a
// configuration since changed) is kept: each is the size of the project's
// sources twice over, and upgrades would otherwise pile them up. A key
// still in use is rewritten whenever files change; one pruned while in use
// costs a cold run, never a wrong answer.
const staleAfter = 7 * 24 * time.Hour

// pruneStale removes snapshots and leftover temporary files in dir not
// modified since before; keep is the snapshot just written. Only names
// this package writes are touched, and only regular files.
func pruneStale(dir, keep string, before time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		ours := strings.HasSuffix(name, ".bin") || strings.HasSuffix(name, ".bin.src") ||
			strings.HasPrefix(name, "snapshot-") && strings.HasSuffix(name, ".tmp")
		path := filepath.Join(dir, name)
		if !ours || !e.Type().IsRegular() || path == keep || path == keep+".src" {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(before) {
			os.Remove(path)
		}
	}
}

// writeAtomic streams body to path through a temporary file in dir. With
// header, the file starts with the magic, the body's length and its
// checksum, which are only known once the body is written.
func writeAtomic(dir, path string, header bool, body func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(dir, "snapshot-*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	err = func() error {
		defer tmp.Close()
		var head [20]byte
		if header {
			if _, err := tmp.Write(head[:]); err != nil {
				return err
			}
		}
		buf := bufio.NewWriterSize(tmp, 1<<20)
		sum := crc32.New(crcTable)
		counted := &countingWriter{w: io.MultiWriter(buf, sum)}
		if err := body(counted); err != nil {
			return err
		}
		if err := buf.Flush(); err != nil {
			return err
		}
		if header {
			copy(head[:8], magic[:])
			binary.LittleEndian.PutUint64(head[8:16], uint64(counted.n))
			binary.LittleEndian.PutUint32(head[16:20], sum.Sum32())
			if _, err := tmp.WriteAt(head[:], 0); err != nil {
				return err
			}
		}
		return tmp.Close()
	}()
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// BuildID identifies the running binary: its version and, since a
// development build keeps its version string across code changes, the
// executable's size and modification time.
func BuildID(version string) string {
	exe, err := os.Executable()
	if err != nil {
		return version
	}
	info, err := os.Stat(exe)
	if err != nil {
		return version
	}
	return fmt.Sprintf("%s|%d|%d", version, info.Size(), info.ModTime().UnixNano())
}
