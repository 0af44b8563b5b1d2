package files

import (
	"bufio"
	"bytes"
	"path"
	"path/filepath"
	"strings"
)

// Gitignore is the .gitignore at the root of a workspace folder. The
// language server's index leaves out what it ignores (generated code and
// vendored copies would fill the index with modules nobody edits), and
// imports of ignored paths are not judged: the module may be generated at
// build time. It covers what
// such files say in practice — names and globs at any depth, anchored
// paths, `**`, directory-only patterns and `!` negation — but not nested
// .gitignore files or git's global excludes.
type Gitignore struct {
	root  string
	rules []ignoreRule
}

type ignoreRule struct {
	segments []string // the pattern split at "/"
	anchored bool     // contains a "/" before its end: matches from the root
	dirOnly  bool     // ends with "/"
	negate   bool     // starts with "!"
}

// LoadGitignore reads root/.gitignore; nil when there is none (or it is
// unreadable, which only costs indexing a few more files). Read refuses a
// FIFO, which would block indexing forever.
func LoadGitignore(root string) *Gitignore {
	data, err := Read(filepath.Join(root, ".gitignore"))
	if err != nil {
		return nil
	}
	return parseGitignore(root, data)
}

func parseGitignore(root string, data []byte) *Gitignore {
	g := &Gitignore{root: root}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r ignoreRule
		if strings.HasPrefix(line, "!") {
			r.negate, line = true, line[1:]
		}
		line = strings.TrimPrefix(line, `\`) // \# and \! stand for themselves
		if strings.HasSuffix(line, "/") {
			r.dirOnly, line = true, strings.TrimRight(line, "/")
		}
		r.anchored = strings.Contains(line, "/")
		line = strings.TrimPrefix(line, "/")
		if line == "" {
			continue
		}
		r.segments = strings.Split(line, "/")
		g.rules = append(g.rules, r)
	}
	return g
}

// Excluded and ExcludedDir make a Gitignore an Excluder.
func (g *Gitignore) Excluded(p string) bool    { return g.ignored(p, false) }
func (g *Gitignore) ExcludedDir(p string) bool { return g.ignored(p, true) }

// Ignores reports whether git ignores p, a path that need not exist: p
// itself (as a file, or as a directory when isDir) or a directory above it.
func (g *Gitignore) Ignores(p string, isDir bool) bool {
	comps, ok := g.components(p)
	for i := 1; ok && i < len(comps); i++ {
		if g.matches(comps[:i], true) {
			return true
		}
	}
	return ok && g.matches(comps, isDir)
}

// ignored applies the rules to p. Directories are pruned as the walk meets
// them, so a file is only ever asked about when no directory above it was
// ignored.
func (g *Gitignore) ignored(p string, isDir bool) bool {
	comps, ok := g.components(p)
	return ok && g.matches(comps, isDir)
}

// components splits p below the root into its path components; false for
// the root itself, paths outside it and a nil Gitignore.
func (g *Gitignore) components(p string) ([]string, bool) {
	if g == nil {
		return nil, false
	}
	rel, err := filepath.Rel(g.root, p)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return nil, false
	}
	return strings.Split(filepath.ToSlash(rel), "/"), true
}

// matches applies the rules in order to a path below the root; the last
// one that matches decides.
func (g *Gitignore) matches(comps []string, isDir bool) bool {
	ignored := false
	for _, r := range g.rules {
		if r.dirOnly && !isDir {
			continue
		}
		var match bool
		if r.anchored {
			match = matchSegments(r.segments, comps)
		} else {
			match, _ = path.Match(r.segments[0], comps[len(comps)-1])
		}
		if match {
			ignored = !r.negate
		}
	}
	return ignored
}

// matchSegments matches path components against pattern segments, where
// "**" stands for any number of components.
func matchSegments(pattern, comps []string) bool {
	if len(pattern) == 0 {
		return len(comps) == 0
	}
	if pattern[0] == "**" {
		for i := 0; i <= len(comps); i++ {
			if matchSegments(pattern[1:], comps[i:]) {
				return true
			}
		}
		return false
	}
	if len(comps) == 0 {
		return false
	}
	if ok, _ := path.Match(pattern[0], comps[0]); !ok {
		return false
	}
	return matchSegments(pattern[1:], comps[1:])
}
