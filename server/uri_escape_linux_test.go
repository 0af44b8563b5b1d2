//go:build linux

package server

// The server reads from disk only what workspace analysis needs: the
// Python files of its workspace folders. A URI that climbs out with "..",
// percent-encoded or not, names a file outside every folder, or reaches
// outside through a symlink inside the workspace must not make it open a
// Python file out there, whatever the client does with it (open, change,
// close, watched-file events, code actions, hover). inotify sees every open
// of the files outside, by any process.

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// openWatch reports the names of files opened in dirs.
type openWatch struct {
	fd     int
	dirs   map[int32]string
	mu     sync.Mutex
	opened []string
	done   chan struct{}
}

func watchOpens(t *testing.T, dirs ...string) *openWatch {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		t.Skipf("inotify: %v", err)
	}
	w := &openWatch{fd: fd, dirs: map[int32]string{}, done: make(chan struct{})}
	for _, d := range dirs {
		wd, err := syscall.InotifyAddWatch(fd, d, syscall.IN_OPEN|syscall.IN_ACCESS)
		if err != nil {
			t.Skipf("inotify watch: %v", err)
		}
		w.dirs[int32(wd)] = d
	}
	go w.loop()
	t.Cleanup(func() { close(w.done); syscall.Close(fd) })
	return w
}

func (w *openWatch) loop() {
	buf := make([]byte, 64<<10)
	for {
		select {
		case <-w.done:
			return
		default:
		}
		n, err := syscall.Read(w.fd, buf)
		if err != nil || n <= 0 {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			var ev syscall.InotifyEvent
			binary.Read(bytes.NewReader(buf[off:off+syscall.SizeofInotifyEvent]), binary.NativeEndian, &ev)
			name := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(ev.Len)]
			name = bytes.TrimRight(name, "\x00")
			w.mu.Lock()
			w.opened = append(w.opened, filepath.Join(w.dirs[ev.Wd], string(name)))
			w.mu.Unlock()
			off += syscall.SizeofInotifyEvent + int(ev.Len)
		}
	}
}

// pythonOpens lists the .py files opened so far.
func (w *openWatch) pythonOpens() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, p := range w.opened {
		if strings.HasSuffix(p, ".py") {
			out = append(out, p)
		}
	}
	return out
}

func TestURIsOutsideTheWorkspaceAreNotRead(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "proyecto")
	outside := filepath.Join(base, "fuera")
	secret := "from datetime import datetime\nclave = datetime.utcnow()  # 🔑 secreto\n"
	writeFiles(t, root, map[string]string{
		"pyproject.toml":  "[project]\nname = \"gimnasio\"\n",
		"app/__init__.py": "",
		"app/main.py":     "from datetime import datetime\nahora = datetime.utcnow()  # año 🎉\n",
	})
	writeFiles(t, outside, map[string]string{"secreto.py": secret, "sub/otro.py": secret})
	if err := os.Symlink(filepath.Join(outside, "secreto.py"), filepath.Join(root, "app", "enlace.py")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink(filepath.Join(outside, "sub"), filepath.Join(root, "app", "sub_enlace")); err != nil {
		t.Skip(err)
	}

	s := startReal(t)
	s.Initialize(initParams(root, editorCaps(), nil))
	s.waitLog("indexed the workspace")
	w := watchOpens(t, outside, filepath.Join(outside, "sub"))

	rootURI := fileURI(root)
	uris := []string{
		rootURI + "/app/../../fuera/secreto.py",
		rootURI + "/app/%2E%2E/%2e%2e/fuera/secreto.py",
		rootURI + "/./app/../../fuera/sub/otro.py",
		fileURI(filepath.Join(outside, "secreto.py")),
		rootURI + "/app/enlace.py",          // a link inside the workspace to a file outside
		rootURI + "/app/sub_enlace/otro.py", // through a linked directory
		"file://localhost" + filepath.ToSlash(filepath.Join(outside, "sub", "otro.py")),
	}
	var events []map[string]any
	for i, u := range uris {
		s.Open(u, 1, "x = 1  # el editor manda su propio texto ✍️\n")
		s.WaitDiagnostics(u, 1)
		s.Change(u, 2, protocol.Range{}, "# ñ\n")
		s.WaitDiagnostics(u, 2)
		var actions []any
		if err := s.Call("textDocument/codeAction", codeActionRequest(u, protocol.Range{End: protocol.Position{Line: 1}}, nil), &actions); err != nil {
			t.Errorf("%s: code action: %v", u, err)
		}
		s.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 1}}, nil)
		if i%2 == 0 {
			s.Close(u) // the file on disk becomes the truth again — for workspace files only
		}
		for _, typ := range []int{1, 2, 3} {
			events = append(events, map[string]any{"uri": u, "type": typ})
		}
	}
	s.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": events})
	// The open document inside the workspace is still analysed: the server
	// did handle all of the above.
	s.alive()
	time.Sleep(300 * time.Millisecond) // background reloads run off the queue
	s.alive()
	if opened := w.pythonOpens(); len(opened) > 0 {
		t.Errorf("the server opened files outside the workspace: %q", opened)
	}
	if got := s.document(uris[1]); got.Text != "# ñ\nx = 1  # el editor manda su propio texto ✍️\n" {
		t.Errorf("the editor's text was replaced: %q", got.Text)
	}
}
