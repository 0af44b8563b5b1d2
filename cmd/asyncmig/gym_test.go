package main

// The bundled example, examples/gym, is the acceptance test of the whole
// pipeline: every seeded bug (`# want: CODE "regexp"`) of every registered
// rule is found by `asyncmig check`, nothing else of those rules is, and
// `asyncmig fix --unsafe-fixes` leaves no fixable finding and only code
// that parses. Rules that have not landed yet are not judged, so the test
// keeps passing, and keeps getting stricter, as rules are registered.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

var gymDir = filepath.Join("..", "..", "examples", "gym")

// seeded is one `# want:` annotation.
type seeded struct {
	file string // slash path relative to the project
	line int
	code string
	re   *regexp.Regexp
}

var (
	wantRE = regexp.MustCompile(`# want: (.*)`)
	itemRE = regexp.MustCompile(`^\s*(AM\d{3})(?:\s+"((?:[^"\\]|\\.)*)")?\s*(,|#|$)`)
)

// seededBugs reads every annotation of the .py files under root.
func seededBugs(t *testing.T, root string) []seeded {
	t.Helper()
	var out []seeded
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".py") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			m := wantRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			rest := m[1]
			for {
				it := itemRE.FindStringSubmatchIndex(rest)
				if it == nil {
					return fmt.Errorf("%s:%d: unreadable annotation %q", rel, i+1, m[1])
				}
				s := seeded{file: filepath.ToSlash(rel), line: i + 1, code: rest[it[2]:it[3]]}
				if it[4] >= 0 {
					s.re = regexp.MustCompile(rest[it[4]:it[5]])
				}
				out = append(out, s)
				if rest[it[6]:it[7]] != "," {
					break
				}
				rest = rest[it[1]:]
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonFinding is the part of the JSON output the example test reads.
type jsonFinding struct {
	Code     string `json:"code"`
	Filename string `json:"filename"`
	Message  string `json:"message"`
	Location struct {
		Row int `json:"row"`
	} `json:"location"`
	Fix *struct {
		Applicability string `json:"applicability"`
		Message       string `json:"message"`
	} `json:"fix"`
}

func checkJSON(t *testing.T, args ...string) []jsonFinding {
	t.Helper()
	r := asyncmig(t, append([]string{"check", "--output-format", "json"}, args...)...)
	if r.code == exitError {
		t.Fatalf("check failed: %s", r)
	}
	var out []jsonFinding
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("check output is not JSON: %v\n%s", err, r)
	}
	return out
}

func registeredCodes() map[string]bool {
	out := map[string]bool{}
	for _, r := range rules.All {
		out[r.Code] = true
	}
	return out
}

func TestGymExampleFindsEverySeededBug(t *testing.T) {
	root, err := filepath.Abs(gymDir)
	if err != nil {
		t.Fatal(err)
	}
	registered := registeredCodes()
	wants := seededBugs(t, root)
	judged := 0
	key := func(file string, line int, code string) string { return file + ":" + strconv.Itoa(line) + ":" + code }
	pending := map[string]seeded{}
	for _, w := range wants {
		if registered[w.code] {
			pending[key(w.file, w.line, w.code)] = w
			judged++
		}
	}
	if judged == 0 {
		t.Fatal("no seeded bug of a registered rule: the annotations or the registry are broken")
	}
	for _, d := range checkJSON(t, root) {
		if !registered[d.Code] {
			continue
		}
		rel, _ := filepath.Rel(root, d.Filename)
		k := key(filepath.ToSlash(rel), d.Location.Row, d.Code)
		w, ok := pending[k]
		switch {
		case !ok:
			t.Errorf("false positive %s: %s", k, d.Message)
		case w.re != nil && !w.re.MatchString(d.Message):
			t.Errorf("%s: message %q does not match %q", k, d.Message, w.re)
			delete(pending, k)
		default:
			delete(pending, k)
		}
	}
	missed := make([]string, 0, len(pending))
	for k := range pending {
		missed = append(missed, k)
	}
	sort.Strings(missed)
	for _, k := range missed {
		t.Errorf("seeded bug not found: %s", k)
	}
	t.Logf("%d seeded bugs of %d registered rules judged", judged, len(registered))
}

func TestGymExampleFixAll(t *testing.T) {
	root, err := filepath.Abs(gymDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "gym")
	if err := os.CopyFS(dir, os.DirFS(root)); err != nil {
		t.Fatal(err)
	}
	r := asyncmig(t, "fix", "--unsafe-fixes", dir)
	if r.code == exitError || r.stderr != "" {
		t.Fatalf("fix --unsafe-fixes: %s", r)
	}
	if !strings.HasPrefix(r.stdout, "Fixed ") {
		t.Errorf("the example has fixable bugs, yet: %s", r)
	}
	registered := registeredCodes()
	for _, d := range checkJSON(t, "--unsafe-fixes", dir) {
		if registered[d.Code] && d.Fix != nil && d.Fix.Applicability != "display-only" {
			t.Errorf("%s:%d: %s still has a fix after fixing (%s): %s", d.Filename, d.Location.Row, d.Code, d.Fix.Message, d.Message)
		}
	}

	var pyFiles []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".py") {
			pyFiles = append(pyFiles, path)
		}
		return err
	})
	for _, p := range pyFiles {
		src, _ := os.ReadFile(p)
		tree, err := pysyntax.Parse(src)
		if err != nil || fixer.CountErrors(tree) > 0 {
			t.Errorf("%s does not parse after fixing (%v):\n%s", p, err, src)
		}
	}
	if python, err := exec.LookPath("python3"); err == nil {
		// ast.parse: the compiler's own syntax check, without writing .pyc files.
		cmd := exec.Command(python, append([]string{"-c", "import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, 'rb').read(), f)"}, pyFiles...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("python3 rejects the fixed example: %v\n%s", err, out)
		}
	} else {
		t.Log("python3 not found: checked with tree-sitter only")
	}
}
