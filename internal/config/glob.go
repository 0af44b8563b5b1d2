package config

// Globs follow gitignore (and so Ruff's exclude) closely enough that users do
// not have to learn a third dialect:
//
//   - `*` matches within one path segment, `?` one character (a rune, so `?`
//     matches "ñ"), `[a-z]`/`[!a-z]` a character class, `\x` a literal x;
//   - `**` as a whole segment matches any number of directories (a trailing
//     `/**` only what is inside, not the directory itself);
//   - a trailing `/` matches directories only;
//   - a pattern with no other `/` matches a file or directory name at any
//     depth; one with a `/` is anchored at the config file's directory;
//   - a path matches when the pattern matches it or any directory above it,
//     so excluding `build` excludes everything under build/.

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

type glob struct {
	anchored bool
	dirOnly  bool
	segs     []segment
}

// segment is one compiled path segment; doubleStar stands for `**`.
type segment struct {
	doubleStar bool
	toks       []token
}

type tokenKind uint8

const (
	tokLiteral tokenKind = iota
	tokAnyRune
	tokStar
	tokClass
)

type token struct {
	kind    tokenKind
	r       rune
	negated bool
	ranges  []runeRange
}

type runeRange struct{ lo, hi rune }

// compileGlob checks a pattern and compiles it. The error says what is wrong
// in words a user can act on.
func compileGlob(pattern string) (*glob, error) {
	if strings.TrimSpace(pattern) == "" {
		return nil, errors.New("empty pattern")
	}
	if !utf8.ValidString(pattern) {
		return nil, errors.New("pattern is not valid UTF-8")
	}
	if strings.HasPrefix(pattern, "!") {
		return nil, errors.New(`negated patterns ("!…") are not supported; list what to match instead`)
	}
	p := filepath.ToSlash(pattern)
	g := &glob{}
	for strings.HasPrefix(p, "./") {
		g.anchored = true // "./build" means the build at the root, as in Ruff
		p = p[2:]
	}
	if strings.HasPrefix(p, "/") {
		g.anchored = true
		p = strings.TrimLeft(p, "/")
	}
	if strings.HasSuffix(p, "/") {
		g.dirOnly = true
		p = strings.TrimRight(p, "/")
	}
	if p == "" {
		return nil, errors.New("pattern matches nothing (only slashes)")
	}
	parts := strings.Split(p, "/")
	if len(parts) > 1 {
		g.anchored = true
	}
	for _, part := range parts {
		if part == "" {
			continue // "a//b" means "a/b"
		}
		if part == ".." {
			return nil, errors.New(`".." is not allowed: patterns are relative to the directory of the config file`)
		}
		if part == "." {
			continue
		}
		if part == "**" {
			if n := len(g.segs); n == 0 || !g.segs[n-1].doubleStar { // "**/**" is "**"
				g.segs = append(g.segs, segment{doubleStar: true})
			}
			continue
		}
		toks, err := compileSegment(part)
		if err != nil {
			return nil, err
		}
		g.segs = append(g.segs, segment{toks: toks})
	}
	if len(g.segs) == 0 {
		return nil, errors.New("pattern matches nothing")
	}
	return g, nil
}

func compileSegment(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '*':
			if len(toks) == 0 || toks[len(toks)-1].kind != tokStar {
				toks = append(toks, token{kind: tokStar})
			}
			i += size
		case '?':
			toks = append(toks, token{kind: tokAnyRune})
			i += size
		case '\\':
			if i+size >= len(s) {
				return nil, errors.New(`pattern ends with a lone "\"`)
			}
			lit, n := utf8.DecodeRuneInString(s[i+size:])
			toks = append(toks, token{kind: tokLiteral, r: lit})
			i += size + n
		case '[':
			tok, n, err := compileClass(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok)
			i += n
		default:
			toks = append(toks, token{kind: tokLiteral, r: r})
			i += size
		}
	}
	return toks, nil
}

// compileClass reads "[...]" at the start of s and returns its length in bytes.
// As in gitignore, "!" or "^" negates and a "]" right after the opening
// bracket is literal.
func compileClass(s string) (token, int, error) {
	tok := token{kind: tokClass}
	i := 1
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		tok.negated = true
		i++
	}
	first := true
	for {
		if i >= len(s) {
			return token{}, 0, fmt.Errorf("unclosed character class %q", s)
		}
		if s[i] == ']' && !first {
			return tok, i + 1, nil
		}
		first = false
		lo, n := classRune(s, i)
		if n == 0 {
			return token{}, 0, errors.New(`pattern ends with a lone "\"`)
		}
		i += n
		hi := lo
		if i+1 < len(s) && s[i] == '-' && s[i+1] != ']' {
			var m int
			hi, m = classRune(s, i+1)
			if m == 0 {
				return token{}, 0, errors.New(`pattern ends with a lone "\"`)
			}
			i += 1 + m
			if hi < lo {
				return token{}, 0, fmt.Errorf("character range %q-%q is reversed", lo, hi)
			}
		}
		tok.ranges = append(tok.ranges, runeRange{lo, hi})
	}
}

// classRune decodes one (possibly escaped) rune of a class; 0 length means a
// trailing backslash.
func classRune(s string, i int) (rune, int) {
	if s[i] == '\\' {
		if i+1 >= len(s) {
			return 0, 0
		}
		r, n := utf8.DecodeRuneInString(s[i+1:])
		return r, 1 + n
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return r, n
}

// match reports whether the slash-separated relative path, or one of the
// directories above it, matches. isDir says whether the path itself is a
// directory. insideRoot false means the path is not under the config
// directory, where anchored patterns cannot apply.
func (g *glob) match(rel string, isDir, insideRoot bool) bool {
	return g.matchComps(splitPath(rel), isDir, insideRoot)
}

// matchComps is match for a path already split into components, so callers
// trying many patterns split it once.
func (g *glob) matchComps(comps []string, isDir, insideRoot bool) bool {
	if g.anchored && !insideRoot {
		return false
	}
	for k := 1; k <= len(comps); k++ {
		if g.dirOnly && k == len(comps) && !isDir {
			continue
		}
		if g.anchored {
			if matchSegments(g.segs, comps[:k]) {
				return true
			}
		} else if matchSegments(g.segs, comps[k-1:k]) {
			return true
		}
	}
	return false
}

func splitPath(rel string) []string {
	var comps []string
	for _, c := range strings.Split(rel, "/") {
		if c != "" && c != "." {
			comps = append(comps, c)
		}
	}
	return comps
}

// matchSegments matches whole path components. Without "**" it is a plain
// walk; with it, a table over (segment, component) keeps the cost
// proportional to their product, where naive backtracking over several "**"
// would grow exponentially with the path depth.
func matchSegments(segs []segment, comps []string) bool {
	if !slices.ContainsFunc(segs, func(s segment) bool { return s.doubleStar }) {
		if len(segs) != len(comps) {
			return false
		}
		for i, seg := range segs {
			if !matchSegment(seg.toks, comps[i]) {
				return false
			}
		}
		return true
	}
	ns, nc := len(segs), len(comps)
	// next[j] holds whether segs[i+1:] matches comps[j:]; cur is row i.
	next := make([]bool, nc+1)
	cur := make([]bool, nc+1)
	next[nc] = true
	for i := ns - 1; i >= 0; i-- {
		for j := nc; j >= 0; j-- {
			switch {
			case segs[i].doubleStar && i == ns-1:
				cur[j] = j < nc // "dir/**" matches what is inside dir, not dir itself
			case segs[i].doubleStar:
				cur[j] = next[j] || (j < nc && cur[j+1])
			default:
				cur[j] = j < nc && next[j+1] && matchSegment(segs[i].toks, comps[j])
			}
		}
		next, cur = cur, next
	}
	return next[0]
}

// matchSegment is the classic iterative wildcard match with one backtrack
// point per star, rune by rune so "?" and classes see whole characters.
func matchSegment(toks []token, name string) bool {
	ti, ni := 0, 0
	starTok, starName := -1, 0
	for ni < len(name) || ti < len(toks) {
		if ti < len(toks) {
			t := toks[ti]
			if t.kind == tokStar {
				starTok, starName = ti, ni
				ti++
				continue
			}
			if ni < len(name) {
				r, size := utf8.DecodeRuneInString(name[ni:])
				if t.matches(r) {
					ti++
					ni += size
					continue
				}
			}
		}
		if starTok < 0 || starName >= len(name) {
			return false
		}
		_, size := utf8.DecodeRuneInString(name[starName:])
		starName += size
		ti, ni = starTok+1, starName
	}
	return true
}

func (t token) matches(r rune) bool {
	switch t.kind {
	case tokLiteral:
		return r == t.r
	case tokAnyRune:
		return true
	case tokClass:
		in := false
		for _, rg := range t.ranges {
			if rg.lo <= r && r <= rg.hi {
				in = true
				break
			}
		}
		return in != t.negated
	}
	return false
}

// globCache memoizes compiled patterns, so Config stays a plain struct whose
// fields callers may set directly, while matching does not recompile.
var globCache sync.Map // pattern → *glob (nil when invalid)

func cachedGlob(pattern string) *glob {
	if g, ok := globCache.Load(pattern); ok {
		return g.(*glob)
	}
	g, err := compileGlob(pattern)
	if err != nil {
		g = nil
	}
	globCache.Store(pattern, g)
	return g
}

// relativeTo turns p (absolute, or relative to root) into a clean
// slash-separated path relative to root; inside is false when p lies outside
// root, and the path is then returned without its leading slash.
func relativeTo(root, p string) (rel string, inside bool) {
	if p == "" {
		return "", true
	}
	if filepath.IsAbs(p) {
		if root != "" {
			if r, err := filepath.Rel(root, p); err == nil {
				r = filepath.ToSlash(r)
				if r != ".." && !strings.HasPrefix(r, "../") {
					return r, true
				}
			}
		}
		return strings.TrimLeft(filepath.ToSlash(filepath.Clean(p)), "/"), false
	}
	r := path.Clean(filepath.ToSlash(p))
	if r != ".." && !strings.HasPrefix(r, "../") {
		return r, true
	}
	for r == ".." || strings.HasPrefix(r, "../") {
		r = strings.TrimPrefix(strings.TrimPrefix(r, ".."), "/")
	}
	return r, false
}
