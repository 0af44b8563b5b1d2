package main

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules/ and the README rule table from the registry")

const regenerate = "go test ./cmd/asyncmig -update-docs"

var (
	repoRoot = filepath.Join("..", "..")
	docsDir  = filepath.Join(repoRoot, "docs", "rules")
)

// generatedDocs is every generated file, by path, as the registry says it
// should read.
func generatedDocs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{filepath.Join(docsDir, "README.md"): rulesIndex(rules.All)}
	for _, r := range rules.All {
		out[filepath.Join(docsDir, r.Code+".md")] = ruleMarkdown(r)
	}
	readmePath := filepath.Join(repoRoot, "README.md")
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	withTable, err := readmeWithTable(string(readme), rules.All)
	if err != nil {
		t.Fatal(err)
	}
	out[readmePath] = withTable
	return out
}

// The rule pages, their index and the README table are generated from the
// registry, so documentation cannot drift from the rules; this test fails
// when they do and names the command that fixes it.
func TestDocsUpToDate(t *testing.T) {
	want := generatedDocs(t)
	// Pages of rules that no longer exist are stale too.
	entries, err := os.ReadDir(docsDir)
	if err != nil && !*updateDocs {
		t.Fatalf("%v (run `%s`)", err, regenerate)
	}
	for _, e := range entries {
		p := filepath.Join(docsDir, e.Name())
		if _, ok := want[p]; !ok && strings.HasPrefix(e.Name(), "AM") {
			if *updateDocs {
				os.Remove(p)
				continue
			}
			t.Errorf("%s documents no registered rule (run `%s`)", p, regenerate)
		}
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		got, _ := os.ReadFile(p)
		if string(got) == want[p] {
			continue
		}
		if *updateDocs {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(want[p]), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", p)
			continue
		}
		t.Errorf("%s is out of date with the rule registry; run `%s`", p, regenerate)
	}
}

// Every rule page is where diagnostics.RuleURL points (codeDescription,
// SARIF helpUri, the JSON url), and what `asyncmig rule` prints.
func TestDocsMatchRuleURLAndRuleCommand(t *testing.T) {
	for _, r := range rules.All {
		url := diagnostics.RuleURL(r.Code)
		if !strings.HasSuffix(url, "/docs/rules/"+r.Code+".md") {
			t.Errorf("%s: RuleURL %s does not point at docs/rules/%s.md", r.Code, url, r.Code)
		}
		out := asyncmig(t, "rule", r.Code)
		if out.stdout != ruleMarkdown(r) {
			t.Errorf("%s: `asyncmig rule` and the docs page differ", r.Code)
		}
	}
	index := rulesIndex(rules.All)
	for _, r := range rules.All {
		if !strings.Contains(index, "["+r.Code+"]("+r.Code+".md)") {
			t.Errorf("the index does not link %s", r.Code)
		}
	}
}

func TestReadmeTableNeedsMarkers(t *testing.T) {
	if _, err := readmeWithTable("# asyncmig\n\nno table here\n", rules.All); err == nil || !strings.Contains(err.Error(), "markers") {
		t.Errorf("a README without markers must be an error, got %v", err)
	}
	got, err := readmeWithTable("antes\n"+readmeTableBegin+"\nviejo | tabla\n"+readmeTableEnd+"\ndespués 🎉\n", rules.All[:1])
	if err != nil {
		t.Fatal(err)
	}
	want := "antes\n" + readmeTableBegin + "\n" + ruleTable(rules.All[:1], func(c string) string { return "docs/rules/" + c + ".md" }) + readmeTableEnd + "\ndespués 🎉\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// readmeCommands returns the first line of each ```sh block of README.md,
// and the one that follows the test-command marker.
func readmeCommands(t *testing.T) (first []string, testCommand string) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(readme), "\n")
	marked := false
	for i, l := range lines {
		if strings.HasPrefix(l, "<!-- test-command:") {
			marked = true
		}
		if l == "```sh" && i+1 < len(lines) {
			first = append(first, lines[i+1])
			if marked && testCommand == "" {
				testCommand = lines[i+1]
			}
		}
	}
	return first, testCommand
}

// README's second command is the whole test suite, and CI runs exactly it:
// the two cannot drift apart.
func TestCIRunsTheReadmeTestCommand(t *testing.T) {
	cmds, testCommand := readmeCommands(t)
	if testCommand == "" {
		t.Fatal("README.md has no test command after its <!-- test-command: --> marker")
	}
	if !strings.Contains(testCommand, "go test -race") || !strings.Contains(testCommand, "./...") ||
		!strings.Contains(testCommand, "ASYNCMIG_REQUIRE_NVIM=1") || !strings.Contains(testCommand, "editors/vscode/e2e/run.sh") {
		t.Errorf("the test command must run every Go test under -race, the Neovim test required and the VS Code e2e: %q", testCommand)
	}
	ci, err := os.ReadFile(filepath.Join(repoRoot, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(ci), "\n"), testCommand) {
		t.Errorf(".ci/run does not run README's test command verbatim: %q", testCommand)
	}
	for _, step := range []string{"gofmt -l", "go vet ./...", "apt-get install"} {
		if !strings.Contains(string(ci), step) {
			t.Errorf(".ci/run lacks %q", step)
		}
	}
	if info, err := os.Stat(filepath.Join(repoRoot, ".ci", "run")); err != nil || info.Mode()&0o111 == 0 {
		t.Errorf(".ci/run must be executable: %v", err)
	}
	// The first command builds and runs the main job on the bundled example.
	if len(cmds) < 2 || !strings.Contains(cmds[1], "go build") || !strings.Contains(cmds[1], "check examples/") {
		t.Errorf("README's first command should build asyncmig and check examples/: %q", cmds)
	}
}
