package project

import (
	"reflect"
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/testfiles"
)

// Index parses every file into storage it reuses for the next one, which
// is only sound while a model keeps nothing of its tree. This walks
// everything a model reaches and fails on a syntax tree, a node handle
// (both would read another file's nodes once the storage is reused) or a
// function value (which could hide either).
func TestModelsKeepNoSyntaxTree(t *testing.T) {
	dir := t.TempDir()
	if _, err := benchgen.Generate(dir, 12, 1); err != nil {
		t.Fatal(err)
	}
	files := testfiles.Python(t, dir, testfiles.Examples, testfiles.RuleFixtures)
	if len(files) < 50 {
		t.Fatalf("only %d Python files found", len(files))
	}
	var scratch pysyntax.Scratch
	for _, f := range files {
		tree, err := scratch.Parse(f.Src)
		if err != nil {
			t.Fatal(err)
		}
		m := pymodel.Build(tree, "m", f.Path, false)
		if where := syntaxReachable(reflect.ValueOf(m), "Module", map[walked]bool{}); where != "" {
			t.Fatalf("%s: the model reaches %s", f.Path, where)
		}
	}
}

var (
	treeType = reflect.TypeOf(pysyntax.Tree{})
	nodeType = reflect.TypeOf(pysyntax.Node{})
)

// walked is a pointer or map already walked. The type is part of it: a
// struct and its first field share an address.
type walked struct {
	t reflect.Type
	p uintptr
}

// syntaxReachable returns the path to the first tree, node or function
// reachable from v, or "".
func syntaxReachable(v reflect.Value, path string, seen map[walked]bool) string {
	switch v.Type() {
	case treeType, nodeType:
		return path + " (" + v.Type().String() + ")"
	}
	switch v.Kind() {
	case reflect.Func, reflect.UnsafePointer, reflect.Chan:
		if !v.IsNil() {
			return path + " (" + v.Type().String() + ")"
		}
	case reflect.Pointer, reflect.Map:
		key := walked{v.Type(), v.Pointer()}
		if v.IsNil() || seen[key] {
			return ""
		}
		seen[key] = true
		if v.Kind() == reflect.Pointer {
			return syntaxReachable(v.Elem(), path, seen)
		}
		for it := v.MapRange(); it.Next(); {
			if w := syntaxReachable(it.Key(), path+"[key]", seen); w != "" {
				return w
			}
			if w := syntaxReachable(it.Value(), path+"[]", seen); w != "" {
				return w
			}
		}
	case reflect.Interface:
		if !v.IsNil() {
			return syntaxReachable(v.Elem(), path, seen)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if w := syntaxReachable(v.Field(i), path+"."+v.Type().Field(i).Name, seen); w != "" {
				return w
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return ""
		}
		for i := 0; i < v.Len(); i++ {
			if w := syntaxReachable(v.Index(i), path+"[]", seen); w != "" {
				return w
			}
		}
	}
	return ""
}
