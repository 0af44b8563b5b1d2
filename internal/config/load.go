package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/BurntSushi/toml"
)

// Config file names, in the order they win within one directory (as
// ruff.toml wins over pyproject.toml).
const (
	AsyncmigTOML  = "asyncmig.toml"
	PyprojectTOML = "pyproject.toml"
)

// Load reads one config file: `[tool.asyncmig]` when it is named
// pyproject.toml, its top-level keys otherwise. The error is only for a file
// that cannot be read or is not valid TOML; the configuration is then the
// defaults, and a Problem says why (with the line of the TOML error).
func Load(path string) (*Config, []Problem, error) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	data, err := readConfigFile(path)
	if err != nil {
		c := Default()
		c.Root, c.Path = filepath.Dir(path), path
		return c, []Problem{{Path: path, Message: "cannot read the config file: " + plainError(err) + "; using the defaults"}}, err
	}
	c, problems, _, err := parse(path, data)
	return c, problems, err
}

// Discover finds the configuration for files in dir: walking up from dir, the
// first directory holding an asyncmig.toml, or a pyproject.toml with a
// [tool.asyncmig] table, wins. A pyproject.toml without that table (a
// sub-project's, say) is skipped. No config file means Default().
func Discover(dir string) (*Config, []Problem, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Default(), nil, err
	}
	for d := dir; ; {
		if r, ok := candidate(d); ok {
			return r.cfg, r.problems, r.err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return Default(), nil, nil
		}
		d = parent
	}
}

type loaded struct {
	cfg      *Config
	problems []Problem
	err      error
}

// candidate loads the config file of directory d, if it has one.
func candidate(d string) (loaded, bool) {
	for _, name := range []string{AsyncmigTOML, PyprojectTOML} {
		path := filepath.Join(d, name)
		data, err := readConfigFile(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) || isNotDir(err) {
				continue
			}
			// An unreadable config file must not silently be skipped: its
			// settings would vanish without a word.
			c := Default()
			c.Root, c.Path = d, path
			return loaded{c, []Problem{{Path: path, Message: "cannot read the config file: " + plainError(err) + "; using the defaults"}}, err}, true
		}
		if name == PyprojectTOML && !bytes.Contains(data, []byte("asyncmig")) {
			continue // most pyproject.toml files: no need to parse them
		}
		c, problems, found, err := parse(path, data)
		if found {
			return loaded{c, problems, err}, true
		}
	}
	return loaded{}, false
}

// errNotDir comes back when a "directory" on the walk is really a file
// (Discover was handed a file path).
var errNotDir = syscall.ENOTDIR

func isNotDir(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe) && errors.Is(pe.Err, errNotDir)
}

// readConfigFile reads path if it is a regular file. Anything else is an
// error: reading a FIFO named pyproject.toml would block forever.
func readConfigFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("not a regular file (%s)", info.Mode().Type())}
	}
	return os.ReadFile(path)
}

// plainError drops the path from an *os.PathError, which the Problem shows.
func plainError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parse decodes a config file. found is false for a pyproject.toml without
// [tool.asyncmig]; a pyproject.toml that is not valid TOML but mentions
// asyncmig counts as found, so its error is reported rather than ignored.
func parse(path string, data []byte) (c *Config, problems []Problem, found bool, err error) {
	c = Default()
	c.Root, c.Path = filepath.Dir(path), path
	isPyproject := filepath.Base(path) == PyprojectTOML

	var doc map[string]any
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		p := Problem{Path: path, Message: "not valid TOML: " + err.Error() + "; using the defaults until it is fixed"}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p.Line = errorLine(pe, data)
			p.Key = pe.LastKey
			p.Message = "not valid TOML: " + pe.Message + "; using the defaults until it is fixed"
		}
		return c, []Problem{p}, true, err
	}

	s := &source{path: path, where: AsyncmigTOML, keyOrder: keysOf(md)}
	table := doc
	if isPyproject {
		s.where = "[tool.asyncmig]"
		s.prefix = []string{"tool", "asyncmig"}
		tool, _ := doc["tool"].(map[string]any)
		v, ok := tool["asyncmig"]
		if !ok {
			return c, nil, false, nil
		}
		if table, ok = v.(map[string]any); !ok {
			s.loc = locate(string(data))
			s.report(nil, s.loc.line(s.prefix), fmt.Sprintf("tool.asyncmig must be a table ([tool.asyncmig]), got %s", s.typeName(v)))
			return c, s.problems, true, nil
		}
	}
	s.loc = locate(string(data))
	s.applyAll(c, table)
	return c, s.problems, true, nil
}

func keysOf(md toml.MetaData) [][]string {
	keys := md.Keys()
	out := make([][]string, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

// errorLine is the line of a TOML syntax error. toml v1.6.0 reports errors at
// the end of the input one line early (line 0 for `"\` alone), while its
// byte offset is right, so the line is counted from the offset.
func errorLine(pe toml.ParseError, data []byte) int {
	if start := pe.Position.Start; start > 0 && start <= len(data) {
		return 1 + bytes.Count(data[:start], []byte("\n"))
	}
	return max(pe.Position.Line, 1)
}
