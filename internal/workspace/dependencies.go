package workspace

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/asyncmig/asyncmig/internal/files"
)

// The third-party distributions a project declares tell which top-level
// import names are not its own: a folder named like one (an `alembic/`
// of migration scripts, a `redis/` of deployment files) sits beside the
// installed package, which is what `import alembic` loads.

// dependencyCache holds the normalised names (PEP 503) of the declared
// distributions, read once per workspace: a configuration change builds a
// new workspace.
type dependencyCache struct {
	once  sync.Once
	names map[string]bool
	own   string // the project's own distribution, normalised
}

// DeclaresDependency reports whether the project declares a third-party
// distribution named like the top-level import name top (`alembic`,
// `redis_om` for `redis-om`): in pyproject.toml (`[project]` dependencies
// and optional dependencies, `[dependency-groups]`, Poetry's dependency
// tables, PDM's and uv's dev dependencies) or in requirements*.txt files
// at the root or in a requirements/ folder. The project's own name, which
// extras often list (`gimnasio[redis]`), is not a dependency.
func (w *Workspace) DeclaresDependency(top string) bool {
	c := &w.dependencies
	c.once.Do(func() { c.names, c.own = readDeclaredDependencies(w.root) })
	return top != "" && c.names[normalizeDistribution(top)]
}

// ExtendsPackage reports whether the project's distribution is an add-on
// named after the top-level package top (`agno-infra` shipping more of
// `agno/`): its files install into a package another distribution
// provides, so a submodule the workspace lacks may well be that one's.
func (w *Workspace) ExtendsPackage(top string) bool {
	c := &w.dependencies
	c.once.Do(func() { c.names, c.own = readDeclaredDependencies(w.root) })
	return top != "" && strings.HasPrefix(c.own, normalizeDistribution(top)+"-")
}

func readDeclaredDependencies(root string) (map[string]bool, string) {
	names := map[string]bool{}
	own := ""
	if data, err := files.Read(filepath.Join(root, "pyproject.toml")); err == nil {
		own = pyprojectDependencies(data, names)
	}
	for _, path := range requirementFiles(root) {
		if data, err := files.Read(path); err == nil {
			for _, n := range requirementNames(data) {
				names[n] = true
			}
		}
	}
	if own != "" {
		delete(names, own)
	}
	return names, own
}

// pyprojectDependencies adds the distributions pyproject.toml declares to
// names and returns the project's own normalised name. A file that does
// not parse declares nothing (the configuration loader reports it).
func pyprojectDependencies(data []byte, names map[string]bool) (own string) {
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return ""
	}
	addSpecs := func(v any) {
		list, _ := v.([]any)
		for _, item := range list {
			if s, ok := item.(string); ok {
				if n := requirementName(s); n != "" {
					names[n] = true
				}
			}
		}
	}
	addKeys := func(v any) {
		m, _ := v.(map[string]any)
		for k := range m {
			if n := normalizeDistribution(k); n != "python" {
				names[n] = true
			}
		}
	}
	project, _ := doc["project"].(map[string]any)
	if name, ok := project["name"].(string); ok {
		own = normalizeDistribution(name)
	}
	addSpecs(project["dependencies"])
	for _, group := range asTable(project["optional-dependencies"]) {
		addSpecs(group)
	}
	for _, group := range asTable(doc["dependency-groups"]) {
		addSpecs(group)
	}
	tool := asTable(doc["tool"])
	poetry := asTable(tool["poetry"])
	if name, ok := poetry["name"].(string); ok && own == "" {
		own = normalizeDistribution(name)
	}
	addKeys(poetry["dependencies"])
	addKeys(poetry["dev-dependencies"])
	for _, group := range asTable(poetry["group"]) {
		addKeys(asTable(group)["dependencies"])
	}
	for _, group := range asTable(asTable(tool["pdm"])["dev-dependencies"]) {
		addSpecs(group)
	}
	addSpecs(asTable(tool["uv"])["dev-dependencies"])
	return own
}

func asTable(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// requirementNames lists the distributions of a requirements file: one
// requirement a line; options (-r, -e, --hash …), URLs and comments are
// skipped.
func requirementNames(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), files.MaxFileSize)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if line == "" || line[0] == '#' || line[0] == '-' {
			continue
		}
		if n := requirementName(line); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// requirementName is the normalised distribution name a PEP 508
// requirement starts with ("SQLAlchemy[asyncio]>=2" → "sqlalchemy"), or
// "" for what is not a requirement by name (a URL, a local path).
func requirementName(spec string) string {
	spec = strings.TrimSpace(spec)
	end := 0
	for end < len(spec) && isDistributionChar(spec[end]) {
		end++
	}
	if end < len(spec) && !strings.ContainsRune(" \t[<>=!~;@(", rune(spec[end])) {
		return "" // git+https://…, ./vendor/pkg, C:\wheels\…
	}
	return normalizeDistribution(spec[:end])
}

func isDistributionChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// normalizeDistribution is PEP 503's normal form: lower case, each run of
// `-`, `_` and `.` one `-`. An import name compares the same way, so
// `redis_om` matches the distribution `redis-om`.
func normalizeDistribution(name string) string {
	var b strings.Builder
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// requirementFiles lists the requirements files DeclaresDependency reads.
func requirementFiles(root string) []string {
	var reqs []string
	for _, pattern := range []string{"requirements*.txt", filepath.Join("requirements", "*.txt")} {
		m, _ := filepath.Glob(filepath.Join(root, pattern))
		reqs = append(reqs, m...)
	}
	return reqs
}

// DependencyInputs returns the bytes DeclaresDependency decides from (the
// root's pyproject.toml and requirements files, with their names), for
// cache keys: a dependency added or removed changes what AM404 may judge.
func DependencyInputs(root string) []byte {
	var out []byte
	for _, path := range append([]string{filepath.Join(root, "pyproject.toml")}, requirementFiles(root)...) {
		if data, err := files.Read(path); err == nil {
			out = append(out, path...)
			out = append(out, 0)
			out = append(out, data...)
			out = append(out, 0)
		}
	}
	return out
}
