package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// naiveDatetimeCall matches calls of datetime.datetime.<method> in any
// import style and returns the node of the `datetime` class expression.
func naiveDatetimeCall(p *diagnostics.Pass, call pysyntax.Node, method string) (cls pysyntax.Node, ok bool) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	if !fn.Is(pysyntax.Attribute) || !fn.ChildByField(pysyntax.FieldAttribute).TextIs(method) {
		return pysyntax.Node{}, false
	}
	if p.File.Qualified(fn) != "datetime.datetime."+method {
		return pysyntax.Node{}, false
	}
	return fn.ChildByField(pysyntax.FieldObject), true
}

// utcExpr returns how to spell the UTC timezone in this file, and the edit
// that makes it available. cls is the expression naming the datetime
// class (`datetime`, `datetime.datetime`, `dt.datetime`, `DateTime`).
func utcExpr(p *diagnostics.Pass, cls pysyntax.Node) (string, *diagnostics.Edit, bool) {
	f := p.File
	py311 := p.Config.TargetMinor() >= 11
	// Module style: `X.datetime` where X is the datetime module.
	if cls.Is(pysyntax.Attribute) {
		mod := cls.ChildByField(pysyntax.FieldObject)
		if v := f.Value(mod); v.Kind == pymodel.External && v.Name == "datetime" {
			alias := mod.Text()
			if py311 && strings.Contains(string(f.Src), alias+".UTC") {
				return alias + ".UTC", nil, true
			}
			return alias + ".timezone.utc", nil, true
		}
		return "", nil, false
	}
	// From-import style: reuse an existing timezone/UTC import, else add
	// `timezone` to the `from datetime import` line.
	var tzName, utcName string
	for name, bs := range f.Module.Scope.Names {
		for _, b := range bs {
			if b.Kind != pymodel.BindImportFrom || b.Module != "datetime" {
				continue
			}
			switch b.Imported {
			case "timezone":
				tzName = name
			case "UTC":
				utcName = name
			}
		}
	}
	if py311 && utcName != "" {
		return utcName, nil, true
	}
	if tzName != "" {
		return tzName + ".utc", nil, true
	}
	edit, ok := diagnostics.ImportEdit(f, "datetime", "timezone")
	if !ok {
		return "", nil, false // `timezone` means something else here
	}
	return "timezone.utc", edit, true
}

// awareFixes builds the two fixes RULES.md asks for, unsafe first.
func awareFixes(call pysyntax.Node, replacement string, imp *diagnostics.Edit) []diagnostics.Fix {
	mk := func(text string, app diagnostics.Applicability) diagnostics.Fix {
		edits := []diagnostics.Edit{{Start: call.Start(), End: call.End(), NewText: text}}
		if imp != nil {
			edits = append(edits, *imp)
		}
		return diagnostics.Fix{Title: "Replace with `" + text + "`", Applicability: app, Edits: edits}
	}
	return []diagnostics.Fix{
		mk(replacement, diagnostics.Unsafe),
		mk(replacement+".replace(tzinfo=None)", diagnostics.Safe),
	}
}
