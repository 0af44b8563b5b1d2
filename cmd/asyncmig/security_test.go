package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// SECURITY.md: asyncmig never runs project code and never opens network
// connections. No package of ours that the binary links may import what
// would do either; a new import here needs a decision and a line in
// SECURITY.md, not a quiet merge. (server/sandbox_linux_test.go checks the
// running server the same way through /proc.)
func TestBinaryImportsNoProcessOrNetworkPackages(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-json", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := map[string]string{
		"os/exec": "runs programs", "plugin": "loads code", "net": "opens connections",
		"net/http": "opens connections", "net/rpc": "opens connections", "net/smtp": "opens connections",
		"crypto/tls": "opens connections",
	}
	// Decided exceptions: `asyncmig serve --pprof ADDR` listens for
	// profiling requests, only when asked and on loopback unless an address
	// says otherwise (SECURITY.md).
	allowed := map[string]bool{
		"github.com/asyncmig/asyncmig/cmd/asyncmig net":            true,
		"github.com/asyncmig/asyncmig/cmd/asyncmig net/http":       true,
		"github.com/asyncmig/asyncmig/cmd/asyncmig net/http/pprof": true,
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	ours := 0
	for {
		var pkg struct {
			ImportPath string
			Imports    []string
			Module     *struct{ Path string }
		}
		if err := dec.Decode(&pkg); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if pkg.Module == nil || pkg.Module.Path != "github.com/asyncmig/asyncmig" {
			continue
		}
		ours++
		for _, imp := range pkg.Imports {
			if why, bad := forbidden[imp]; bad && !allowed[pkg.ImportPath+" "+imp] {
				t.Errorf("%s imports %s, which %s", pkg.ImportPath, imp, why)
			}
		}
	}
	if ours < 5 {
		t.Fatalf("only %d packages of this module in the binary: the check saw nothing", ours)
	}
}
