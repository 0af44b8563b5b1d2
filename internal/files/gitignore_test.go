package files

import (
	"path/filepath"
	"testing"
)

// Ignores answers for paths that need not exist (a generated module a
// fresh clone lacks), through the directories above them.
func TestGitignoreIgnores(t *testing.T) {
	root := t.TempDir()
	g := parseGitignore(root, []byte(`# generado 🛠️
*_pb2.py
/app/core/generated_settings.py
app/clients/
build
app/stubs/*
!app/stubs/keep.py
`))
	for _, c := range []struct {
		path  string
		isDir bool
		want  bool
	}{
		{"app/proto/user_pb2.py", false, true},          // a name glob at any depth
		{"app/proto/user_pb2.pyi", false, false},        // another extension
		{"app/core/generated_settings.py", false, true}, // anchored
		{"lib/app/core/generated_settings.py", false, false},
		{"app/clients/billing/api.py", false, true}, // under an ignored directory
		{"app/clients", true, true},
		{"app/clients.py", false, false}, // a directory-only pattern
		{"build/lib/app.py", false, true},
		{"app/stubs/auto.py", false, true},
		{"app/stubs/keep.py", false, false}, // negated
		{"app/services/user.py", false, false},
		{"app", true, false},
	} {
		if got := g.Ignores(filepath.Join(root, filepath.FromSlash(c.path)), c.isDir); got != c.want {
			t.Errorf("Ignores(%s, dir=%v) = %v, want %v", c.path, c.isDir, got, c.want)
		}
	}
	if g.Ignores(filepath.Join(filepath.Dir(root), "user_pb2.py"), false) {
		t.Error("a path outside the root was ignored")
	}
	var none *Gitignore
	if none.Ignores(filepath.Join(root, "user_pb2.py"), false) {
		t.Error("no .gitignore ignored a path")
	}
}
