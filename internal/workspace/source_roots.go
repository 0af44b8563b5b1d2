package workspace

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/asyncmig/asyncmig/internal/files"
)

// Import roots besides the project root and root/src: a monorepo keeps its
// Python code in backend/ and imports `onyx.db`, not `backend.onyx.db`.
// Without that root every such import looks external, cross-file analysis
// sees nothing, and a module the whole backend imports looks unused.

// SourceRoots returns the extra import roots of the project at root, as
// absolute paths, deepest first: configured (`src` in [tool.asyncmig],
// relative to configRoot) or, when that is not set, the folders the root's
// pyproject.toml puts on other tools' import path — pytest's `pythonpath`,
// ty's `environment.root` and `extra-paths`, pyright's `extraPaths`,
// mypy's `mypy_path`. Ruff's `src` is not read: it only marks first-party
// code, and projects often list their package folders there
// (`src = ["advanced_alchemy", "tests"]`), which as roots would make
// `advanced_alchemy/types/` the standard library's `types`. Folders that
// do not exist, lie outside the root, are the root or root/src, or are
// packages themselves (an __init__.py: a package is not an import root)
// are left out.
func SourceRoots(root, configRoot string, configured []string) []string {
	var dirs []string
	if configured != nil {
		for _, d := range configured {
			dirs = append(dirs, filepath.Join(configRoot, filepath.FromSlash(d)))
		}
	} else if data, err := files.Read(filepath.Join(root, "pyproject.toml")); err == nil {
		for _, d := range declaredRoots(data) {
			dirs = append(dirs, filepath.Join(root, filepath.FromSlash(d)))
		}
	}
	seen := map[string]bool{root: true, filepath.Join(root, "src"): true}
	var out []string
	for _, d := range dirs {
		d = filepath.Clean(d)
		rel, err := filepath.Rel(root, d)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || seen[d] {
			continue
		}
		if info, err := os.Stat(d); err != nil || !info.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "__init__.py")); err == nil {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// declaredRoots reads the import roots other tools' tables in pyproject.toml
// name, relative to the file's folder. A file that does not parse declares
// none (the configuration loader reports it).
func declaredRoots(data []byte) []string {
	var doc struct {
		Tool struct {
			Pytest struct {
				IniOptions struct {
					Pythonpath any `toml:"pythonpath"`
				} `toml:"ini_options"`
			} `toml:"pytest"`
			Ty struct {
				Environment struct {
					Root       any `toml:"root"`
					ExtraPaths any `toml:"extra-paths"`
				} `toml:"environment"`
			} `toml:"ty"`
			Pyright struct {
				ExtraPaths []string `toml:"extraPaths"`
			} `toml:"pyright"`
			Mypy struct {
				MypyPath any `toml:"mypy_path"`
			} `toml:"mypy"`
		} `toml:"tool"`
	}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil
	}
	t := doc.Tool
	out := pathList(t.Pytest.IniOptions.Pythonpath, " ")
	out = append(out, pathList(t.Ty.Environment.Root, "")...)
	out = append(out, pathList(t.Ty.Environment.ExtraPaths, "")...)
	out = append(out, t.Pyright.ExtraPaths...)
	out = append(out, pathList(t.Mypy.MypyPath, ",:")...)
	var clean []string
	for _, p := range out {
		p = strings.TrimSpace(p)
		if p == "" || strings.ContainsAny(p, "$*?") || filepath.IsAbs(p) {
			continue // environment variables and globs are not followed
		}
		clean = append(clean, p)
	}
	return clean
}

// pathList reads a list of strings, or one string holding several paths
// split by any of seps.
func pathList(v any, seps string) []string {
	switch v := v.(type) {
	case string:
		if seps == "" {
			return []string{v}
		}
		return strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) })
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// AddSourceRoots puts extra import roots (SourceRoots) before root/src and
// the root. Call it before any module is named.
func (w *Workspace) AddSourceRoots(dirs []string) {
	if len(dirs) == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.roots = append(append([]string{}, dirs...), w.roots...)
}
