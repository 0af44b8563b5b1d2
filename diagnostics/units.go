package diagnostics

import (
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// A unit is one top-level statement of a file: what an incremental run
// (incremental.go) re-checks or reuses. The units partition the text: each
// runs from its statement's first byte to the next statement's (the first
// from 0, the last to the end), so every edit falls in some unit.
type unit struct {
	start, end  int // bytes
	first, last int // preorder node range of the statement
	kind        unitKind
	// broken: the statement has a syntax error. tree-sitter's recovery
	// weighs the whole file, so the same broken text can parse otherwise
	// after an edit elsewhere: such a unit is never reused.
	broken bool
	// imports: an import statement (fixes adding imports look at those).
	imports bool
	deps    *unitDeps // shared by every run that sees the same text
}

type unitKind uint8

const (
	unitOther unitKind = iota // imports, assignments, top-level if/try, …
	unitFunc                  // def, async def, decorated or not
	unitClass
)

// unitDeps is what a unit defines and names, as far as its text shows:
// the links along which a change in one statement can change what the
// rules find in another.
type unitDeps struct {
	// Module-level names it binds and attributes it may give objects or
	// classes.
	defNames, defAttrs set
	// Names and attribute names it mentions (string contents included:
	// annotations and `__all__` are strings).
	refNames, refAttrs set
	// dynamic: it reaches names or attributes no text lists (setattr,
	// globals(), `import *`, a module __getattr__, …); a change to it
	// re-checks the whole file.
	dynamic bool
}

type set map[string]struct{}

func (s set) add(k string) { s[k] = struct{}{} }

// meets reports whether s and t share an element.
func (s set) meets(t set) bool {
	if len(t) < len(s) {
		s, t = t, s
	}
	for k := range s {
		if _, ok := t[k]; ok {
			return true
		}
	}
	return false
}

func (s set) addAll(t set) {
	for k := range t {
		s[k] = struct{}{}
	}
}

// dynamicNames are the names whose use makes a statement's effects
// unlistable by name: attributes set by string, the module's dictionary,
// module- and class-level attribute hooks, export lists.
var dynamicNames = map[string]bool{
	"setattr": true, "delattr": true, "vars": true, "globals": true, "locals": true,
	"exec": true, "eval": true, "__dict__": true, "__getattr__": true, "__getattribute__": true,
	"__setattr__": true, "__all__": true, "__class__": true, "__import__": true, "__builtins__": true,
}

// unitsOf splits t into its top-level units.
func unitsOf(t *pysyntax.Tree) []unit {
	var out []unit
	for c := t.Root().FirstChild(); !c.IsNull(); c = c.NextSibling() {
		first, last := c.Descendants()
		u := unit{start: c.Start(), first: first, last: last, kind: kindOfUnit(c), broken: c.HasError() || c.IsMissing(),
			imports: c.Is(pysyntax.ImportStatement) || c.Is(pysyntax.ImportFromStatement) || c.Is(pysyntax.FutureImportStatement)}
		if len(out) == 0 {
			u.start = 0
		} else {
			out[len(out)-1].end = u.start
		}
		out = append(out, u)
	}
	if len(out) > 0 {
		out[len(out)-1].end = len(t.Src)
	}
	return out
}

func kindOfUnit(n pysyntax.Node) unitKind {
	if n.Is(pysyntax.DecoratedDefinition) {
		n = n.ChildByField(pysyntax.FieldDefinition)
	}
	switch n.Kind() {
	case pysyntax.FunctionDefinition:
		return unitFunc
	case pysyntax.ClassDefinition:
		return unitClass
	}
	return unitOther
}

// firstDefinition returns the index of the first def or class (len(units)
// if none): the import block of a file ends there.
func firstDefinition(units []unit) int {
	for i, u := range units {
		if u.kind != unitOther {
			return i
		}
	}
	return len(units)
}

// unitAt returns the index of the unit holding offset off.
func unitAt(units []unit, off int) int {
	lo, hi := 0, len(units)
	for lo < hi {
		m := (lo + hi) / 2
		if units[m].start <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// depsOf reads u's dependencies from its nodes. A name counts as defined
// where the model binds one (pymodel's builder): definitions, assignment,
// for and with targets, imports, `except … as`, `:=`, `global`.
func depsOf(t *pysyntax.Tree, u unit) *unitDeps {
	d := &unitDeps{defNames: set{}, defAttrs: set{}, refNames: set{}, refAttrs: set{}}
	// The definitions we are in, innermost last: their node ranges end at
	// ends[i], and classes[i] says whether it is a class.
	var ends []int
	var classes []bool
	// bind records what a binding position names: at module level a
	// module name, in a class body a class attribute, in a function a
	// local (nothing others see); an attribute target is one everywhere.
	bind := func(target pysyntax.Node) {
		target.Walk(func(m pysyntax.Node) bool {
			switch {
			case m.Is(pysyntax.Attribute):
				d.defAttrs.add(m.ChildByField(pysyntax.FieldAttribute).Text())
			case m.Is(pysyntax.Identifier) && m.Field() != pysyntax.FieldAttribute:
				switch {
				case len(ends) == 0:
					d.defNames.add(m.Text())
				case classes[len(classes)-1]:
					d.defAttrs.add(m.Text())
				}
			}
			return true
		})
	}
	for i := u.first; i < u.last; i++ {
		n := t.At(i)
		for len(ends) > 0 && ends[len(ends)-1] <= i {
			ends, classes = ends[:len(ends)-1], classes[:len(classes)-1]
		}
		switch n.Kind() {
		case pysyntax.Identifier:
			name := n.Text()
			if dynamicNames[name] {
				d.dynamic = true
			}
			if n.Field() == pysyntax.FieldAttribute && n.Parent().Is(pysyntax.Attribute) {
				d.refAttrs.add(name)
			} else {
				d.refNames.add(name)
			}
		case pysyntax.StringContent:
			if n.End()-n.Start() <= 512 {
				forEachWord(n.Bytes(), func(b []byte) {
					w := string(b)
					if dynamicNames[w] {
						d.dynamic = true
					}
					d.refNames.add(w)
					d.refAttrs.add(w)
				})
			}
		case pysyntax.WildcardImport, pysyntax.MatchStatement:
			d.dynamic = true // binds names no text lists; match: not modelled here
		case pysyntax.FunctionDefinition, pysyntax.ClassDefinition:
			name := n.ChildByField(pysyntax.FieldName)
			if len(ends) == 0 {
				d.defNames.add(name.Text())
			} else {
				d.defAttrs.add(name.Text()) // a method, or a class a function may hand out
			}
			_, end := n.Descendants()
			ends, classes = append(ends, end), append(classes, n.Is(pysyntax.ClassDefinition))
		case pysyntax.GlobalStatement:
			n.Walk(func(m pysyntax.Node) bool {
				if m.Is(pysyntax.Identifier) {
					d.defNames.add(m.Text())
				}
				return true
			})
		case pysyntax.Assignment, pysyntax.AugmentedAssignment, pysyntax.ForStatement, pysyntax.TypeAliasStatement:
			bind(n.ChildByField(pysyntax.FieldLeft))
		case pysyntax.ForInClause:
			n.ChildByField(pysyntax.FieldLeft).Walk(func(m pysyntax.Node) bool {
				if m.Is(pysyntax.Attribute) {
					d.defAttrs.add(m.ChildByField(pysyntax.FieldAttribute).Text())
				}
				return true
			})
		case pysyntax.AsPatternTarget, pysyntax.DeleteStatement, pysyntax.ImportStatement, pysyntax.ImportFromStatement:
			bind(n)
		case pysyntax.NamedExpression:
			bind(n.ChildByField(pysyntax.FieldName))
		case pysyntax.ExceptClause:
			for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
				if c.Is(pysyntax.TokAs) {
					bind(c.NextSibling())
				}
			}
		}
	}
	return d
}

// forEachWord calls f with each identifier-like word of b; the words are
// slices of b.
func forEachWord(b []byte, f func([]byte)) {
	start := -1
	for i := 0; i <= len(b); i++ {
		word := i < len(b) && (b[i] == '_' || b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || b[i] >= '0' && b[i] <= '9' || b[i] >= 0x80)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			f(b[start:i])
			start = -1
		}
	}
}
