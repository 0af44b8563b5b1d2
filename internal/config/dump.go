package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Dump renders the effective configuration as TOML, for `asyncmig config`.
// The keys are asyncmig.toml's (top level), so the output can be saved as one
// and loads back to the same configuration.
func (c *Config) Dump() string {
	var b strings.Builder
	b.WriteString("# asyncmig effective configuration\n")
	if c.Path != "" {
		fmt.Fprintf(&b, "# from: %s\n", c.Path)
	} else {
		b.WriteString("# from: built-in defaults (no asyncmig.toml, nor pyproject.toml with [tool.asyncmig], found)\n")
	}
	if c.Root != "" {
		fmt.Fprintf(&b, "# globs are relative to: %s\n", c.Root)
	}
	b.WriteString("# in pyproject.toml these keys go under [tool.asyncmig]\n")
	fmt.Fprintf(&b, "# editor-only setting: debounce-ms = %d\n\n", c.DebounceMS)
	b.WriteString(c.body())
	return b.String()
}

// Hash is a stable digest of everything that changes diagnostics (not the
// editor-only debounce), for cache invalidation.
func (c *Config) Hash() string {
	sum := sha256.Sum256([]byte(c.Root + "\x00" + c.body()))
	return hex.EncodeToString(sum[:])
}

// body is the TOML of every setting, in a fixed order with sorted map keys.
func (c *Config) body() string {
	var b strings.Builder
	list := func(key string, v []string) {
		fmt.Fprintf(&b, "%s = %s\n", key, quoteArray(v))
	}
	list("select", c.Select)
	list("extend-select", c.ExtendSelect)
	list("ignore", c.Ignore)
	list("exclude", c.Exclude)
	list("extend-exclude", c.ExtendExclude)
	fmt.Fprintf(&b, "target-version = %s\n", quote(c.TargetVersion))
	list("async-session-dependencies", c.AsyncSessionDependencies)
	list("sync-session-dependencies", c.SyncSessionDependencies)
	list("redis-factories", c.RedisFactories)
	list("blocking-modules", c.BlockingModules)
	if c.Src != nil {
		list("src", c.Src)
	}
	fmt.Fprintf(&b, "unsafe-fixes = %t\n", c.UnsafeFixes)
	// Empty tables inline, before the first [table] header ends the top level.
	if len(c.PerFileIgnores) == 0 {
		b.WriteString("per-file-ignores = {}\n")
	}
	if len(c.Severity) == 0 {
		b.WriteString("severity = {}\n")
	}
	if len(c.Tiers) == 0 {
		b.WriteString("tiers = {}\n")
	}
	if len(c.PerFileIgnores) > 0 {
		b.WriteString("\n[per-file-ignores]\n")
		for _, k := range slices.Sorted(maps.Keys(c.PerFileIgnores)) {
			fmt.Fprintf(&b, "%s = %s\n", quote(k), quoteArray(c.PerFileIgnores[k]))
		}
	}
	if len(c.Severity) > 0 {
		b.WriteString("\n[severity]\n")
		for _, k := range slices.Sorted(maps.Keys(c.Severity)) {
			fmt.Fprintf(&b, "%s = %s\n", keyString([]string{k}), quote(c.Severity[k]))
		}
	}
	b.WriteString("\n[twin-patterns]\n")
	fmt.Fprintf(&b, "module = %s\nclass = %s\nname = %s\n", quote(c.TwinPatterns.Module), quote(c.TwinPatterns.Class), quote(c.TwinPatterns.Name))
	for _, t := range c.Tiers {
		fmt.Fprintf(&b, "\n[%s]\n", keyString([]string{"tiers", t.Name}))
		list("files", t.Files)
		list("routes", t.Routes)
	}
	return b.String()
}
