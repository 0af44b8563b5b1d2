// Package config reads asyncmig's configuration: `[tool.asyncmig]` in
// pyproject.toml, or the top-level keys of asyncmig.toml, found by walking up
// from a file like Ruff does, plus editor settings and CLI flags layered on
// top (Merge).
//
// A bad key or value never discards the whole configuration: it becomes one
// Problem (with the line in the file) and everything valid still applies.
// Only TOML that does not parse falls back to the defaults.
//
// Rule codes are plain strings here: the rule engine imports config, not the
// reverse.
package config

import (
	"fmt"
	"maps"
	"slices"
)

// KnownCodes are the rule codes a selector may name, sorted.
var KnownCodes = []string{
	"AM101", "AM102", "AM103", "AM104", "AM105", "AM106",
	"AM201",
	"AM301", "AM302", "AM303", "AM304",
	"AM401", "AM402", "AM403", "AM404", "AM405",
	"AM501", "AM502",
}

// Severities are the values a severity override may take (LSP's names).
var Severities = []string{"error", "warning", "information", "hint"}

// DefaultExclude is what `exclude` holds unless the config replaces it
// (`extend-exclude` adds to it instead).
var DefaultExclude = []string{
	".venv", "venv", ".git", "node_modules", "site-packages", "__pycache__",
	"build", "dist", ".tox", ".mypy_cache", ".ruff_cache", ".asyncmig_cache",
}

// Config is the effective configuration for the files under Root.
type Config struct {
	Root string // directory holding the config file ("" = defaults)
	Path string // the config file it came from

	// Rule selectors: "ALL", "AM", "AM1", "AM10", "AM101" (prefix match).
	Select, Ignore, ExtendSelect []string
	// Glob (relative to Root) → selectors ignored in matching files.
	PerFileIgnores map[string][]string
	// Globs of paths never analysed.
	Exclude, ExtendExclude []string
	// Selector → "error" | "warning" | "information" | "hint"; the most
	// specific selector wins.
	Severity map[string]string
	// "py38" … "py314".
	TargetVersion string
	TwinPatterns  TwinPatterns
	// Extra names the rules treat as AsyncSession / Session dependencies,
	// Redis client factories, and modules whose calls block.
	AsyncSessionDependencies, SyncSessionDependencies, RedisFactories, BlockingModules []string
	// Src are the import roots besides Root and Root/src, relative to Root
	// (`["backend"]` when `backend/onyx/` is imported as `onyx`), like
	// Ruff's src. nil: the roots other tools declare (workspace.SourceRoots).
	Src []string
	// Migration tiers for `asyncmig report`, in file order.
	Tiers       []Tier
	UnsafeFixes bool
	// DebounceMS is an editor-only setting: the delay before re-checking a
	// changed document.
	DebounceMS int
}

// TwinPatterns name the async twin of a sync module, class or module-level
// name; each holds its placeholder: {module}, {Class}, {name}.
type TwinPatterns struct {
	Module string
	Class  string
	Name   string
}

// Tier is one migration tier: the endpoint files and route paths it covers.
type Tier struct {
	Name   string
	Files  []string // globs relative to Root
	Routes []string // route path prefixes ("/api/v1/users") or globs ("/api/*/admin")
}

// Problem is one bad key or value. Line is 1-based, 0 when unknown (editor
// settings have no lines).
type Problem struct {
	Path    string
	Line    int
	Key     string
	Message string
}

func (p Problem) String() string {
	switch {
	case p.Path == "":
		return "asyncmig settings: " + p.Message
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
	default:
		return p.Path + ": " + p.Message
	}
}

const (
	defaultTargetVersion = "py39"
	defaultDebounceMS    = 100
)

// Default returns the configuration used when no config file is found.
func Default() *Config {
	return &Config{
		Select:                   []string{"AM"},
		Ignore:                   []string{},
		ExtendSelect:             []string{},
		PerFileIgnores:           map[string][]string{},
		Exclude:                  slices.Clone(DefaultExclude),
		ExtendExclude:            []string{},
		Severity:                 map[string]string{},
		TargetVersion:            defaultTargetVersion,
		TwinPatterns:             TwinPatterns{Module: "async_{module}", Class: "Async{Class}", Name: "async_{name}"},
		AsyncSessionDependencies: []string{},
		SyncSessionDependencies:  []string{},
		RedisFactories:           []string{},
		BlockingModules:          []string{},
		DebounceMS:               defaultDebounceMS,
	}
}

// Clone returns a deep copy, so a shared (cached) Config can be merged with
// editor settings without affecting other readers.
func (c *Config) Clone() *Config {
	n := *c
	n.Select = slices.Clone(c.Select)
	n.Ignore = slices.Clone(c.Ignore)
	n.ExtendSelect = slices.Clone(c.ExtendSelect)
	n.PerFileIgnores = make(map[string][]string, len(c.PerFileIgnores))
	for k, v := range c.PerFileIgnores {
		n.PerFileIgnores[k] = slices.Clone(v)
	}
	n.Exclude = slices.Clone(c.Exclude)
	n.ExtendExclude = slices.Clone(c.ExtendExclude)
	n.Severity = maps.Clone(c.Severity)
	n.AsyncSessionDependencies = slices.Clone(c.AsyncSessionDependencies)
	n.SyncSessionDependencies = slices.Clone(c.SyncSessionDependencies)
	n.RedisFactories = slices.Clone(c.RedisFactories)
	n.BlockingModules = slices.Clone(c.BlockingModules)
	n.Src = slices.Clone(c.Src)
	if c.Tiers != nil {
		n.Tiers = make([]Tier, len(c.Tiers))
		for i, t := range c.Tiers {
			n.Tiers[i] = Tier{Name: t.Name, Files: slices.Clone(t.Files), Routes: slices.Clone(t.Routes)}
		}
	}
	return &n
}

// TargetMinor returns the minor version of the target Python 3 release
// (9 for "py39"), or the default's when TargetVersion is not valid.
func (c *Config) TargetMinor() int {
	if m, ok := parseTargetVersion(c.TargetVersion); ok {
		return m
	}
	m, _ := parseTargetVersion(defaultTargetVersion)
	return m
}
