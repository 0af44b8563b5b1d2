package server

import (
	"os"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// Diagnostics point into other files (relatedInformation: the call site
// that passes an AsyncSession, the module that still imports a legacy
// twin). Their offsets are bytes of the text the index was built from —
// the open document's when it is open, the file on disk otherwise — and
// only that text can turn them into positions.

// diskLines caches the line indexes of files on disk, by path, checked
// against size and modification time.
type diskLines struct {
	mu      sync.Mutex
	entries map[string]diskLinesEntry
}

type diskLinesEntry struct {
	size  int64
	mtime time.Time
	lines *textpos.LineIndex
}

// maxDiskLines bounds the cache; related information names few files.
const maxDiskLines = 256

func newDiskLines() *diskLines { return &diskLines{entries: map[string]diskLinesEntry{}} }

func (d *diskLines) get(path string) (*textpos.LineIndex, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	e, ok := d.entries[path]
	d.mu.Unlock()
	if ok && e.size == info.Size() && e.mtime.Equal(info.ModTime()) {
		return e.lines, nil
	}
	text, err := files.Read(path)
	if err != nil {
		return nil, err
	}
	lines := textpos.NewLineIndex(text)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.entries) >= maxDiskLines {
		clear(d.entries)
	}
	d.entries[path] = diskLinesEntry{size: info.Size(), mtime: info.ModTime(), lines: lines}
	return lines, nil
}

// linesOf returns the URI and line index of the file at path: the open
// document's (under the URI the client opened it with), else the disk's.
func (s *Server) linesOf(path string) (protocol.DocumentURI, *textpos.LineIndex, error) {
	if u, ok := s.code.openURI(path); ok {
		if snap := s.docs.Get(u); snap != nil {
			return protocol.DocumentURI(u), snap.Lines, nil
		}
	}
	lines, err := s.code.disk.get(path)
	if err != nil {
		return "", nil, err
	}
	return protocol.DocumentURI(uri.File(path)), lines, nil
}
