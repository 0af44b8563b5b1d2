package config

import "strings"

// specificity is how precisely selector names code: -1 when it does not match,
// 0 for "ALL", else the prefix length ("AM1" = 3 beats "AM" = 2).
func specificity(selector, code string) int {
	if selector == "ALL" {
		return 0
	}
	if selector != "" && strings.HasPrefix(code, selector) {
		return len(selector)
	}
	return -1
}

// RuleEnabled reports whether rule code runs on the file at relPath (relative
// to Root, or absolute; "" skips per-file-ignores).
//
// As in Ruff, among select, extend-select and ignore the most specific
// matching selector decides and ignore wins a tie; a matching
// per-file-ignores entry then switches the rule off for that file whatever
// select says, because "nothing in tests/" is what users mean by it.
func (c *Config) RuleEnabled(code, relPath string) bool {
	best, on := -1, false
	consider := func(selectors []string, enable bool) {
		for _, sel := range selectors {
			s := specificity(sel, code)
			if s > best || (s == best && s >= 0 && !enable) {
				best, on = s, enable
			}
		}
	}
	consider(c.Select, true)
	consider(c.ExtendSelect, true)
	consider(c.Ignore, false)
	if !on || relPath == "" || len(c.PerFileIgnores) == 0 {
		return on
	}
	rel, inside := relativeTo(c.Root, relPath)
	comps := splitPath(rel)
	for pattern, selectors := range c.PerFileIgnores {
		g := cachedGlob(pattern)
		if g == nil || !g.matchComps(comps, false, inside) {
			continue
		}
		for _, sel := range selectors {
			if specificity(sel, code) >= 0 {
				return false
			}
		}
	}
	return true
}

// SeverityFor returns the configured severity override for code, chosen by
// the most specific matching selector (two distinct selectors matching one
// code never tie); ok is false when none is set.
func (c *Config) SeverityFor(code string) (string, bool) {
	best, severity := -1, ""
	for sel, sev := range c.Severity {
		if s := specificity(sel, code); s > best {
			best, severity = s, sev
		}
	}
	return severity, best >= 0
}

// Excluded reports whether the file at p (relative to Root, or absolute) is
// left out by exclude or extend-exclude, itself or through a directory above
// it.
func (c *Config) Excluded(p string) bool {
	return c.excluded(p, false)
}

// ExcludedDir is Excluded for a directory, so a walker can prune it; it also
// honours directory-only patterns such as "generated/".
func (c *Config) ExcludedDir(p string) bool {
	return c.excluded(p, true)
}

func (c *Config) excluded(p string, isDir bool) bool {
	rel, inside := relativeTo(c.Root, p)
	comps := splitPath(rel)
	for _, list := range [][]string{c.Exclude, c.ExtendExclude} {
		for _, pattern := range list {
			if g := cachedGlob(pattern); g != nil && g.matchComps(comps, isDir, inside) {
				return true
			}
		}
	}
	return false
}

// MatchFile reports whether the file at rel (relative to the config's Root)
// belongs to the tier.
func (t Tier) MatchFile(rel string) bool {
	rel, inside := relativeTo("", rel)
	comps := splitPath(rel)
	for _, pattern := range t.Files {
		if g := cachedGlob(pattern); g != nil && g.matchComps(comps, false, inside) {
			return true
		}
	}
	return false
}

// MatchRoute reports whether an endpoint's route path belongs to the tier: a
// plain entry is a prefix that ends at a segment boundary ("/api/v1" covers
// "/api/v1/users", not "/api/v10"), an entry with wildcards is a glob over
// the whole path.
func (t Tier) MatchRoute(route string) bool {
	route = "/" + strings.Trim(route, "/")
	for _, entry := range t.Routes {
		if hasWildcard(entry) {
			g := cachedGlob("/" + strings.Trim(entry, "/"))
			if g != nil && matchSegments(g.segs, splitPath(route)) {
				return true
			}
			continue
		}
		prefix := "/" + strings.Trim(entry, "/")
		if prefix == "/" || route == prefix || strings.HasPrefix(route, prefix+"/") {
			return true
		}
	}
	return false
}

func hasWildcard(s string) bool {
	return strings.ContainsAny(s, "*?[")
}

// ModuleTwin names the async twin of a module: the pattern applies to the
// last dotted component ("app.services.user" → "app.services.async_user").
func (p TwinPatterns) ModuleTwin(module string) string {
	dir, base := "", module
	if i := strings.LastIndexByte(module, '.'); i >= 0 {
		dir, base = module[:i+1], module[i+1:]
	}
	return dir + strings.ReplaceAll(p.Module, "{module}", base)
}

// ClassTwin names the async twin of a class ("UserService" → "AsyncUserService").
func (p TwinPatterns) ClassTwin(class string) string {
	return strings.ReplaceAll(p.Class, "{Class}", class)
}

// NameTwin names the async twin of a module-level name
// ("user_service" → "async_user_service").
func (p TwinPatterns) NameTwin(name string) string {
	return strings.ReplaceAll(p.Name, "{name}", name)
}
