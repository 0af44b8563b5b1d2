//go:build linux

package server

// SECURITY.md promises that the server never runs project code and never
// opens a network connection. Through a whole session on the bundled
// example (indexing, diagnostics, code actions, fix-all, watched files),
// /proc shows what the process really holds: no socket among its file
// descriptors, no child process.

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// pidsOf lists the processes running the executable at path.
func pidsOf(t *testing.T, path string) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == path {
			out = append(out, pid)
		}
	}
	return out
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(pid int) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			out = append(out, e.Name()+" "+string(stat[:min(len(stat), 60)]))
		}
	}
	return out
}

func TestServerOpensNoSocketAndRunsNoProcess(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "examples", "gym"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Skip("no bundled example")
	}
	s := startReal(t)
	bin := lsptest.Binary(t)
	s.Initialize(initParams(root, editorCaps(), nil))
	s.waitLog("indexed the workspace")
	editor := &editorApplying{}
	s.HandleRequest("workspace/applyEdit", editor.handle)

	var opened []string
	filepath.WalkDir(filepath.Join(root, "app"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".py") && len(opened) < 30 {
			opened = append(opened, p)
		}
		return nil
	})
	for _, p := range opened {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		uri := fileURI(p)
		s.Open(uri, 1, string(text))
		pub := s.WaitDiagnostics(uri, 1)
		for _, d := range pub.Diagnostics {
			var actions []protocol.CodeAction
			if err := s.Call("textDocument/codeAction", codeActionRequest(uri, d.Range, []protocol.Diagnostic{d}), &actions); err != nil {
				t.Errorf("%s: %v", uri, err)
			}
		}
		s.Call("workspace/executeCommand", map[string]any{"command": "asyncmig.fixAll", "arguments": []any{uri}}, nil)
	}
	s.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{
		map[string]any{"uri": fileURI(filepath.Join(root, "pyproject.toml")), "type": 2},
		map[string]any{"uri": fileURI(opened[0]), "type": 2},
	}})
	s.alive()

	pids := pidsOf(t, bin)
	if len(pids) != 1 {
		t.Fatalf("found %d processes running %s", len(pids), bin)
	}
	pid := strconv.Itoa(pids[0])
	fds, err := os.ReadDir(filepath.Join("/proc", pid, "fd"))
	if err != nil {
		t.Skipf("cannot list the server's descriptors: %v", err)
	}
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc", pid, "fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, "socket:") {
			t.Errorf("the server holds a socket: fd %s → %s", fd.Name(), target)
		}
	}
	if kids := childrenOf(pids[0]); len(kids) > 0 {
		t.Errorf("the server started processes: %q", kids)
	}
	if len(fds) < 3 {
		t.Errorf("only %d descriptors listed: the check saw nothing", len(fds))
	}
}
