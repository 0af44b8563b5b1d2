// Package editors_test checks that the editor snippets users copy are valid in their own
// format and start the server the way it expects: `asyncmig serve`, Python only, and the
// options the server knows.
package editors_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

var serveCommand = []string{"asyncmig", "serve"}

func TestHelixLanguagesToml(t *testing.T) {
	var cfg struct {
		LanguageServer map[string]struct {
			Command string
			Args    []string
			Config  map[string]any
		} `toml:"language-server"`
		Language []struct {
			Name            string
			LanguageServers []string `toml:"language-servers"`
		}
	}
	md, err := toml.DecodeFile("helix/languages.toml", &cfg)
	if err != nil {
		t.Fatalf("helix/languages.toml is not valid TOML: %v", err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		t.Errorf("helix/languages.toml has keys this test does not know (typo?): %v", undecoded)
	}
	server, ok := cfg.LanguageServer["asyncmig"]
	if !ok {
		t.Fatal("no [language-server.asyncmig]")
	}
	if got := append([]string{server.Command}, server.Args...); !equal(got, serveCommand) {
		t.Errorf("helix command = %q, want %q", got, serveCommand)
	}
	checkServerOptions(t, "helix config", server.Config)
	if len(cfg.Language) != 1 || cfg.Language[0].Name != "python" || !contains(cfg.Language[0].LanguageServers, "asyncmig") {
		t.Errorf("helix [[language]] must be python with asyncmig among its language-servers, got %+v", cfg.Language)
	}
}

func TestZedSettings(t *testing.T) {
	var cfg struct {
		Languages map[string]struct {
			LanguageServers []string `json:"language_servers"`
		} `json:"languages"`
		LSP map[string]struct {
			Binary struct {
				Path      string   `json:"path"`
				Arguments []string `json:"arguments"`
			} `json:"binary"`
			InitializationOptions map[string]any `json:"initialization_options"`
		} `json:"lsp"`
	}
	decodeJSONC(t, "zed/settings.json", &cfg)
	if servers := cfg.Languages["Python"].LanguageServers; !contains(servers, "asyncmig") || !contains(servers, "...") {
		t.Errorf("zed Python language_servers = %q, want asyncmig plus \"...\" (keep the defaults)", servers)
	}
	server := cfg.LSP["asyncmig"]
	if got := append([]string{server.Binary.Path}, server.Binary.Arguments...); !equal(got, serveCommand) {
		t.Errorf("zed binary = %q, want %q", got, serveCommand)
	}
	checkServerOptions(t, "zed initialization_options", server.InitializationOptions)

	ext := readFile(t, "zed/extension.toml")
	var manifest struct {
		ID              string `toml:"id"`
		LanguageServers map[string]struct {
			Languages []string `toml:"languages"`
		} `toml:"language_servers"`
	}
	if _, err := toml.Decode(ext, &manifest); err != nil {
		t.Fatalf("zed/extension.toml: %v", err)
	}
	if !contains(manifest.LanguageServers["asyncmig"].Languages, "Python") {
		t.Errorf("zed/extension.toml does not register asyncmig for Python: %+v", manifest)
	}
	// The settings key the snippet uses must be the one the extension reads.
	if lib := readFile(t, "zed/src/lib.rs"); strings.Count(lib, `LspSettings::for_worktree("asyncmig"`) != 2 {
		t.Error(`zed/src/lib.rs must read its binary and options from lsp.asyncmig (LspSettings::for_worktree("asyncmig", …))`)
	}
}

func TestSublimeSettings(t *testing.T) {
	var cfg struct {
		Clients map[string]struct {
			Enabled               bool           `json:"enabled"`
			Command               []string       `json:"command"`
			Selector              string         `json:"selector"`
			InitializationOptions map[string]any `json:"initializationOptions"`
		} `json:"clients"`
		CodeActionsOnSave map[string]bool `json:"lsp_code_actions_on_save"`
	}
	decodeJSONC(t, "sublime/LSP-asyncmig.sublime-settings", &cfg)
	client, ok := cfg.Clients["asyncmig"]
	if !ok || !client.Enabled {
		t.Fatalf("sublime: clients.asyncmig missing or not enabled: %+v", cfg)
	}
	if !equal(client.Command, serveCommand) || client.Selector != "source.python" {
		t.Errorf("sublime: command %q selector %q, want %q and source.python", client.Command, client.Selector, serveCommand)
	}
	checkServerOptions(t, "sublime initializationOptions", client.InitializationOptions)
	if !cfg.CodeActionsOnSave["source.fixAll.asyncmig"] {
		t.Error("sublime: lsp_code_actions_on_save should show source.fixAll.asyncmig")
	}
}

func TestEmacsEglotForm(t *testing.T) {
	el := readFile(t, "emacs/asyncmig-eglot.el")
	if depth := parenDepth(el); depth != 0 {
		t.Fatalf("emacs/asyncmig-eglot.el has unbalanced parentheses (depth %d at end)", depth)
	}
	for _, want := range []string{
		`(add-to-list 'eglot-server-programs`,
		`'((python-mode python-ts-mode)`,
		`. ("asyncmig" "serve"`,
		`:initializationOptions (:unsafeFixes :json-false)`,
		`"source.fixAll.asyncmig"`,
	} {
		if !strings.Contains(el, want) {
			t.Errorf("emacs/asyncmig-eglot.el lacks %q", want)
		}
	}
}

func TestNeovimConfigs(t *testing.T) {
	for _, f := range []string{"nvim/lsp/asyncmig.lua", "nvim/nvim-0.8.lua", "nvim/lspconfig.lua"} {
		lua := readFile(t, f)
		if !strings.Contains(lua, "cmd = { 'asyncmig', 'serve' }") {
			t.Errorf("%s: cmd is not { 'asyncmig', 'serve' }", f)
		}
		if !regexp.MustCompile(`'pyproject\.toml', 'setup\.cfg', '\.git'`).MatchString(lua) {
			t.Errorf("%s: root markers are not pyproject.toml, setup.cfg, .git", f)
		}
		if !strings.Contains(lua, "unsafeFixes = false") {
			t.Errorf("%s: init_options should show unsafeFixes", f)
		}
	}
}

// checkServerOptions asserts a snippet passes only options the server knows, spelled as it
// accepts them, so a user's copy does not start with a configuration warning.
func checkServerOptions(t *testing.T, where string, opts map[string]any) {
	t.Helper()
	for key, value := range opts {
		if key != "unsafeFixes" && key != "unsafe-fixes" {
			t.Errorf("%s: unknown server option %q", where, key)
		}
		if _, ok := value.(bool); !ok {
			t.Errorf("%s: %s = %v, want a boolean", where, key, value)
		}
	}
	if len(opts) == 0 {
		t.Errorf("%s: no options shown; the snippet should show unsafeFixes", where)
	}
}

// decodeJSONC reads the JSON-with-comments that Zed and Sublime accept: // and /* */ comments
// outside strings and trailing commas.
func decodeJSONC(t *testing.T, path string, v any) {
	t.Helper()
	plain := stripJSONC(readFile(t, path))
	if err := json.Unmarshal([]byte(plain), v); err != nil {
		t.Fatalf("%s is not valid JSON with comments: %v\n%s", path, err, plain)
	}
}

func stripJSONC(src string) string {
	var out strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inString:
			out.WriteByte(c)
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			out.WriteByte(c)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			out.WriteByte('\n')
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return out.String() + "<unterminated comment>"
			}
			i += end + 3
		default:
			out.WriteByte(c)
		}
	}
	return regexp.MustCompile(`,(\s*[}\]])`).ReplaceAllString(out.String(), "$1")
}

func TestStripJSONC(t *testing.T) {
	in := "{\n  // comentario: ¿qué tal? 🎉\n  \"a\": \"http://no-es-comentario ñ\", /* bloque */\n  \"b\": [1, 2,],\n}\n"
	var got map[string]any
	if err := json.Unmarshal([]byte(stripJSONC(in)), &got); err != nil {
		t.Fatalf("stripJSONC output is not JSON: %v", err)
	}
	if got["a"] != "http://no-es-comentario ñ" || len(got["b"].([]any)) != 2 {
		t.Errorf("stripJSONC changed the values: %v", got)
	}
}

// parenDepth counts Emacs Lisp parentheses outside strings, comments and ?\( characters.
func parenDepth(src string) int {
	depth := 0
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '?' && i+1 < len(src) && src[i+1] == '\\':
			i += 2
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
	}
	return depth
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
