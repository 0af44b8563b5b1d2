package config

// Validation and application of keys, shared by config files (Load) and
// editor settings (Merge): both arrive as decoded maps of any, so one code
// path checks both and reports problems the same way.

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// knownKeys are the settings a config file may hold.
var knownKeys = []string{
	"select", "ignore", "extend-select", "per-file-ignores",
	"exclude", "extend-exclude", "severity", "target-version", "twin-patterns",
	"async-session-dependencies", "sync-session-dependencies", "redis-factories",
	"blocking-modules", "src", "tiers", "unsafe-fixes",
}

// editorOnlyKeys are accepted from editor settings only.
var editorOnlyKeys = []string{"debounce-ms"}

const maxDebounceMS = 10_000

// source is where values come from: a config file (with lines) or editor
// settings (without). It collects each problem once.
type source struct {
	path     string   // config file; "" for editor settings
	where    string   // the container as users know it: "[tool.asyncmig]", "asyncmig.toml"
	prefix   []string // the key path of that container inside the file
	loc      *locator
	keyOrder [][]string // every key of the file in order (nil for settings)
	settings bool

	problems []Problem
	seen     map[string]bool
}

func (s *source) report(key []string, line int, msg string) {
	id := strconv.Itoa(line) + "\x00" + msg
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[id] {
		return
	}
	s.seen[id] = true
	s.problems = append(s.problems, Problem{Path: s.path, Line: line, Key: keyString(key), Message: msg})
}

// bad reports a problem with the value of key; value, when not nil, is the
// offending string, whose own line is used when it sits in a multi-line array.
func (s *source) bad(key []string, value *string, format string, args ...any) {
	full := append(slices.Clone(s.prefix), key...)
	line := s.loc.line(full)
	if value != nil {
		line = s.loc.valueLine(full, *value)
	}
	s.report(key, line, keyString(key)+": "+fmt.Sprintf(format, args...))
}

// keyString shows a key path as TOML would write it.
func keyString(key []string) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = k
		if k == "" || strings.ContainsFunc(k, func(r rune) bool {
			return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-'))
		}) {
			parts[i] = quote(k)
		}
	}
	return strings.Join(parts, ".")
}

// children lists the keys of table m (at key path rel) in file order for a
// config file, sorted for settings, which have no order.
func (s *source) children(rel []string, m map[string]any) []string {
	var out []string
	if s.keyOrder != nil {
		full := append(slices.Clone(s.prefix), rel...)
		seen := map[string]bool{}
		for _, k := range s.keyOrder {
			if len(k) > len(full) && slices.Equal(k[:len(full)], full) && !seen[k[len(full)]] {
				if _, ok := m[k[len(full)]]; ok {
					seen[k[len(full)]] = true
					out = append(out, k[len(full)])
				}
			}
		}
		rest := slices.Sorted(maps.Keys(m))
		for _, k := range rest {
			if !seen[k] {
				out = append(out, k)
			}
		}
		return out
	}
	return slices.Sorted(maps.Keys(m))
}

// typeName names a decoded value's type the way the user wrote it.
func (s *source) typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string (" + quote(v) + ")"
	case bool:
		return "a boolean"
	case int, int64, float64:
		return "a number"
	case []any, []string, []map[string]any:
		return "an array"
	case map[string]any:
		if s.settings {
			return "an object"
		}
		return "a table"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

func (s *source) tableWord() string {
	if s.settings {
		return "an object"
	}
	return "a table"
}

// applyAll applies every key of the asyncmig table m to c.
func (s *source) applyAll(c *Config, m map[string]any) {
	for _, name := range s.children(nil, m) {
		v := m[name]
		key := name
		if s.settings {
			if v == nil {
				continue // editors send null for a setting left unset
			}
			key = kebab(name)
		}
		if !slices.Contains(knownKeys, key) && !(s.settings && slices.Contains(editorOnlyKeys, key)) {
			s.unknownKey(name)
			continue
		}
		s.apply(c, name, key, v)
	}
}

func (s *source) unknownKey(name string) {
	line := s.loc.line(append(slices.Clone(s.prefix), name))
	k := kebab(name)
	if slices.Contains(editorOnlyKeys, k) {
		s.report([]string{name}, line, fmt.Sprintf("%s is an editor setting; set it in the editor's asyncmig settings, not in %s", quote(name), s.where))
		return
	}
	candidates := knownKeys
	if s.settings {
		candidates = append(slices.Clone(knownKeys), editorOnlyKeys...)
	}
	hint := ""
	if slices.Contains(candidates, k) {
		hint = " (did you mean " + quote(k) + "?)"
	} else if c, ok := closest(k, candidates, 3); ok {
		if s.settings && strings.ContainsFunc(name, unicode.IsUpper) {
			c = camel(c)
		}
		hint = " (did you mean " + quote(c) + "?)"
	} else if name == "tool" && len(s.prefix) == 0 {
		hint = " (in asyncmig.toml the settings are top-level keys, without [tool.asyncmig])"
	}
	if s.settings {
		s.report([]string{name}, 0, fmt.Sprintf("unknown setting %s%s", quote(name), hint))
		return
	}
	s.report([]string{name}, line, fmt.Sprintf("unknown key %s in %s%s", quote(name), s.where, hint))
}

// camel is the inverse of kebab, to suggest settings in the user's style.
func camel(k string) string {
	parts := strings.Split(k, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// apply checks one value and stores it when valid. Editor settings replace
// the file's value, except the extend-* keys, which add to it.
func (s *source) apply(c *Config, name, key string, v any) {
	k := []string{name}
	switch key {
	case "select":
		if sels, ok := s.selectors(k, v); ok {
			c.Select = sels
		}
	case "extend-select":
		if sels, ok := s.selectors(k, v); ok {
			if s.settings {
				sels = appendNew(c.ExtendSelect, sels)
			}
			c.ExtendSelect = sels
		}
	case "ignore":
		if sels, ok := s.selectors(k, v); ok {
			c.Ignore = sels
		}
	case "per-file-ignores":
		if m, ok := s.perFileIgnores(k, v); ok {
			c.PerFileIgnores = m
		}
	case "exclude":
		if globs, ok := s.globs(k, v); ok {
			c.Exclude = globs
		}
	case "extend-exclude":
		if globs, ok := s.globs(k, v); ok {
			if s.settings {
				globs = appendNew(c.ExtendExclude, globs)
			}
			c.ExtendExclude = globs
		}
	case "severity":
		if m, ok := s.severity(k, v); ok {
			c.Severity = m
		}
	case "target-version":
		if tv, ok := s.targetVersion(k, v); ok {
			c.TargetVersion = tv
		}
	case "twin-patterns":
		s.twinPatterns(k, v, &c.TwinPatterns)
	case "async-session-dependencies":
		if names, ok := s.pythonNames(k, v); ok {
			c.AsyncSessionDependencies = names
		}
	case "sync-session-dependencies":
		if names, ok := s.pythonNames(k, v); ok {
			c.SyncSessionDependencies = names
		}
	case "redis-factories":
		if names, ok := s.pythonNames(k, v); ok {
			c.RedisFactories = names
		}
	case "blocking-modules":
		if names, ok := s.pythonNames(k, v); ok {
			c.BlockingModules = names
		}
	case "src":
		if dirs, ok := s.relativeDirs(k, v); ok {
			c.Src = dirs
		}
	case "tiers":
		if tiers, ok := s.tiers(k, v); ok {
			c.Tiers = tiers
		}
	case "unsafe-fixes":
		if b, ok := v.(bool); ok {
			c.UnsafeFixes = b
		} else {
			s.bad(k, nil, "expected true or false, got %s", s.typeName(v))
		}
	case "debounce-ms":
		if ms, ok := s.milliseconds(k, v); ok {
			c.DebounceMS = ms
		}
	}
}

func appendNew(list, more []string) []string {
	out := slices.Clone(list)
	for _, m := range more {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// stringList accepts an array whose elements are strings; other elements are
// reported and skipped. ok is false when v is not an array at all.
func (s *source) stringList(key []string, v any) ([]string, bool) {
	switch v := v.(type) {
	case []string:
		return slices.Clone(v), true
	case []any:
		out := make([]string, 0, len(v))
		for i, e := range v {
			str, ok := e.(string)
			if !ok {
				s.bad(key, nil, "element %d: expected a string, got %s", i+1, s.typeName(e))
				continue
			}
			out = append(out, str)
		}
		return out, true
	default:
		hint := ""
		if str, ok := v.(string); ok {
			hint = fmt.Sprintf(" (write [%s])", quote(str))
		}
		s.bad(key, nil, "expected an array of strings, got %s%s", s.typeName(v), hint)
		return nil, false
	}
}

// selectors validates a list of rule selectors. A list whose every entry is
// bad is not applied, so a typo does not switch every rule off.
func (s *source) selectors(key []string, v any) ([]string, bool) {
	list, ok := s.stringList(key, v)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, sel := range list {
		if msg := selectorProblem(sel); msg != "" {
			s.bad(key, &sel, "%s", msg)
			continue
		}
		if !slices.Contains(out, sel) {
			out = append(out, sel)
		}
	}
	if len(out) == 0 && len(list) > 0 {
		return nil, false
	}
	return out, true
}

// selectorProblem explains why sel is not a rule selector, or returns "".
func selectorProblem(sel string) string {
	if validSelector(sel) {
		return ""
	}
	hint := ""
	if up := strings.ToUpper(strings.TrimSpace(sel)); up != sel && validSelector(up) {
		hint = " (did you mean " + quote(up) + "?)"
	} else {
		hint = didYouMean(sel, KnownCodes, 1)
	}
	if hint == "" {
		hint = fmt.Sprintf(` (a selector is "ALL" or a prefix of a rule code, %s…%s)`, KnownCodes[0], KnownCodes[len(KnownCodes)-1])
	}
	return "unknown rule selector " + quote(sel) + hint
}

func validSelector(sel string) bool {
	if sel == "ALL" {
		return true
	}
	if len(sel) < 2 {
		return false
	}
	for _, code := range KnownCodes {
		if strings.HasPrefix(code, sel) {
			return true
		}
	}
	return false
}

// globs validates a list of path patterns, dropping the bad ones.
// relativeDirs accepts directory paths relative to the configuration's
// folder, inside it.
func (s *source) relativeDirs(key []string, v any) ([]string, bool) {
	list, ok := s.stringList(key, v)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, p := range list {
		clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(p)))
		if p == "" || filepath.IsAbs(p) || clean == ".." || strings.HasPrefix(clean, "../") {
			s.bad(key, &p, "%s: expected a folder inside the project, relative to it", quote(p))
			continue
		}
		out = append(out, clean)
	}
	return out, true
}

func (s *source) globs(key []string, v any) ([]string, bool) {
	list, ok := s.stringList(key, v)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, p := range list {
		if _, err := compileGlob(p); err != nil {
			s.bad(key, &p, "bad glob %s: %v", quote(p), err)
			continue
		}
		out = append(out, p)
	}
	return out, true
}

func (s *source) table(key []string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		s.bad(key, nil, "expected %s, got %s", s.tableWord(), s.typeName(v))
	}
	return m, ok
}

func (s *source) perFileIgnores(key []string, v any) (map[string][]string, bool) {
	m, ok := s.table(key, v)
	if !ok {
		return nil, false
	}
	out := map[string][]string{}
	for _, pattern := range s.children(key, m) {
		k := append(slices.Clone(key), pattern)
		if _, err := compileGlob(pattern); err != nil {
			s.bad(k, nil, "bad glob %s: %v", quote(pattern), err)
			continue
		}
		if sels, ok := s.selectors(k, m[pattern]); ok {
			out[pattern] = sels
		}
	}
	return out, len(out) > 0 || len(m) == 0 // as with select: all bad, nothing applied
}

func (s *source) severity(key []string, v any) (map[string]string, bool) {
	m, ok := s.table(key, v)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for _, sel := range s.children(key, m) {
		k := append(slices.Clone(key), sel)
		if msg := selectorProblem(sel); msg != "" {
			s.bad(k, nil, "%s", msg)
			continue
		}
		sev, isString := m[sel].(string)
		if !isString {
			s.bad(k, nil, "expected one of %s, got %s", quoteList(Severities), s.typeName(m[sel]))
			continue
		}
		if !slices.Contains(Severities, sev) {
			hint := severityHint(sev)
			if hint == "" {
				hint = " (use one of " + quoteList(Severities) + ")"
			}
			s.bad(k, &sev, "unknown severity %s%s", quote(sev), hint)
			continue
		}
		out[sel] = sev
	}
	return out, len(out) > 0 || len(m) == 0
}

// severityHint suggests the intended severity for "Error", "warn", "info".
func severityHint(sev string) string {
	low := strings.ToLower(strings.TrimSpace(sev))
	for _, known := range Severities {
		if low != "" && strings.HasPrefix(known, low) {
			return " (did you mean " + quote(known) + "?)"
		}
	}
	return didYouMean(low, Severities, 2)
}

// parseTargetVersion reads "py38" … "py314" into the Python 3 minor version.
func parseTargetVersion(tv string) (int, bool) {
	digits, ok := strings.CutPrefix(tv, "py3")
	if !ok || digits == "" || digits[0] == '0' {
		return 0, false
	}
	minor, err := strconv.Atoi(digits)
	if err != nil || minor < 8 || minor > 14 {
		return 0, false
	}
	return minor, true
}

func (s *source) targetVersion(key []string, v any) (string, bool) {
	tv, ok := v.(string)
	if !ok {
		s.bad(key, nil, `expected a string such as "py311", got %s`, s.typeName(v))
		return "", false
	}
	if _, ok := parseTargetVersion(tv); ok {
		return tv, true
	}
	hint := ` (use "py38" … "py314")`
	// "3.11", "311", "python3.11" → "py311"
	digits := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(tv), "python"), "py"), ".", "")
	if _, ok := parseTargetVersion("py" + digits); ok {
		hint = " (did you mean " + quote("py"+digits) + "?)"
	}
	s.bad(key, &tv, "%s is not a supported Python version%s", quote(tv), hint)
	return "", false
}

// pythonNames validates dependency, factory and module names: Python
// identifiers, possibly dotted ("get_async_db", "app.deps.get_async_db").
func (s *source) pythonNames(key []string, v any) ([]string, bool) {
	list, ok := s.stringList(key, v)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, name := range list {
		if !isDottedName(name) {
			s.bad(key, &name, "%s is not a Python name (expected a name like \"get_async_db\" or a dotted path like \"app.deps.get_async_db\")", quote(name))
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, true
}

func isDottedName(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if !isIdentifier(part) {
			return false
		}
	}
	return true
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

var twinFields = []string{"module", "class", "name"}

func (s *source) twinPatterns(key []string, v any, tp *TwinPatterns) {
	m, ok := s.table(key, v)
	if !ok {
		return
	}
	for _, field := range s.children(key, m) {
		k := append(slices.Clone(key), field)
		var dst *string
		var placeholder, example string
		switch field {
		case "module":
			dst, placeholder, example = &tp.Module, "{module}", "async_{module}"
		case "class":
			dst, placeholder, example = &tp.Class, "{Class}", "Async{Class}"
		case "name":
			dst, placeholder, example = &tp.Name, "{name}", "async_{name}"
		default:
			s.bad(k, nil, "unknown key %s%s", quote(field), hintOrList(field, twinFields))
			continue
		}
		pattern, ok := m[field].(string)
		if !ok {
			s.bad(k, nil, "expected a string such as %s, got %s", quote(example), s.typeName(m[field]))
			continue
		}
		if msg := twinPatternProblem(pattern, placeholder); msg != "" {
			s.bad(k, &pattern, "%s", msg)
			continue
		}
		*dst = pattern
	}
}

// twinPatternProblem checks that a twin pattern holds its placeholder once and
// otherwise only identifier characters, so the twin is a valid Python name
// distinct from the original.
func twinPatternProblem(pattern, placeholder string) string {
	switch n := strings.Count(pattern, placeholder); {
	case n == 0:
		return fmt.Sprintf("%s lacks the %s placeholder", quote(pattern), placeholder)
	case n > 1:
		return fmt.Sprintf("%s holds %s more than once", quote(pattern), placeholder)
	}
	rest := strings.Replace(pattern, placeholder, "", 1)
	if rest == "" {
		return fmt.Sprintf("%s names every %s as its own twin; add a prefix or suffix", quote(pattern), strings.Trim(placeholder, "{}"))
	}
	for _, r := range rest {
		if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return fmt.Sprintf("%s would not make a Python name (%q is not allowed)", quote(pattern), r)
		}
	}
	return ""
}

var tierFields = []string{"files", "routes"}

// tiers reads name → {files, routes} in file order. Editor settings may also
// send an array of {name, files, routes}, since JSON objects lose their order.
func (s *source) tiers(key []string, v any) ([]Tier, bool) {
	var out []Tier
	add := func(name string, k []string, body any) {
		for _, t := range out {
			if t.Name == name {
				s.bad(k, nil, "tier %s is defined twice; the first one is kept", quote(name))
				return
			}
		}
		if t, ok := s.tier(k, name, body); ok {
			out = append(out, t)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		for _, name := range s.children(key, v) {
			add(name, append(slices.Clone(key), name), v[name])
		}
	case []any:
		if !s.settings {
			s.bad(key, nil, "expected a table of tier name → {files, routes}, got an array")
			return nil, false
		}
		for i, e := range v {
			m, ok := e.(map[string]any)
			name, named := m["name"].(string)
			if !ok || !named || name == "" {
				s.bad(key, nil, "element %d: expected an object with a \"name\"", i+1)
				continue
			}
			body := maps.Clone(m)
			delete(body, "name")
			add(name, append(slices.Clone(key), name), body)
		}
	default:
		s.bad(key, nil, "expected %s of tier name → {files, routes}, got %s", s.tableWord(), s.typeName(v))
		return nil, false
	}
	return out, true
}

func (s *source) tier(key []string, name string, v any) (Tier, bool) {
	m, ok := s.table(key, v)
	if !ok {
		return Tier{}, false
	}
	t := Tier{Name: name, Files: []string{}, Routes: []string{}}
	for _, field := range s.children(key, m) {
		k := append(slices.Clone(key), field)
		switch field {
		case "files":
			if globs, ok := s.globs(k, m[field]); ok {
				t.Files = globs
			}
		case "routes":
			if routes, ok := s.routes(k, m[field]); ok {
				t.Routes = routes
			}
		default:
			s.bad(k, nil, "unknown key %s%s", quote(field), hintOrList(field, tierFields))
		}
	}
	if len(t.Files) == 0 && len(t.Routes) == 0 {
		s.bad(key, nil, "the tier lists neither files nor routes, so nothing belongs to it")
	}
	return t, true
}

func (s *source) routes(key []string, v any) ([]string, bool) {
	list, ok := s.stringList(key, v)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, r := range list {
		if !strings.HasPrefix(r, "/") {
			s.bad(key, &r, "route %s must start with \"/\" (did you mean %s?)", quote(r), quote("/"+r))
			continue
		}
		if hasWildcard(r) {
			if _, err := compileGlob(r); err != nil {
				s.bad(key, &r, "bad route glob %s: %v", quote(r), err)
				continue
			}
		}
		out = append(out, r)
	}
	return out, true
}

func (s *source) milliseconds(key []string, v any) (int, bool) {
	var ms float64
	switch v := v.(type) {
	case float64:
		ms = v
	case int64:
		ms = float64(v)
	case int:
		ms = float64(v)
	default:
		s.bad(key, nil, "expected a number of milliseconds, got %s", s.typeName(v))
		return 0, false
	}
	if !(ms >= 0 && ms <= maxDebounceMS) || ms != float64(int(ms)) {
		s.bad(key, nil, "expected a whole number of milliseconds from 0 to %d, got %v", maxDebounceMS, ms)
		return 0, false
	}
	return int(ms), true
}

// hintOrList suggests the nearest of a few valid keys, or lists them all.
func hintOrList(key string, valid []string) string {
	if hint := didYouMean(key, valid, 2); hint != "" {
		return hint
	}
	return " (expected one of " + quoteList(valid) + ")"
}
