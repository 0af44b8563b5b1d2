package pysyntax

import (
	"slices"
	"testing"
)

// Parse, Scratch.Parse (the index) and ParseDoc (the editor) take different
// routes into tree-sitter; they must build the same tree, and a Scratch
// must give each file its own tree whatever it parsed before.
func TestWholeFileParsesAgree(t *testing.T) {
	srcs := append([][]byte{nil, []byte("# solo un comentario 🎉\n"), []byte("def f(:\n  return (\n"), []byte("x = 1\r\ny = 2\r\n")}, fixtureSources(t)...)
	var scratch Scratch
	// Backwards, then the first and the last again: the storage is reused
	// by smaller and larger trees alike.
	var order []int
	for i := len(srcs) - 1; i >= 0; i-- {
		order = append(order, i)
	}
	for _, i := range append(order, 0, len(srcs)-1) {
		src := srcs[i]
		want := editorNodes(t, src)
		whole, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		reused, err := scratch.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(whole.nodes, want) || !slices.Equal(reused.nodes, want) || string(reused.Src) != string(src) {
			t.Fatalf("source %d: Parse (%d nodes) or Scratch.Parse (%d) differs from ParseDoc (%d)", i, whole.Len(), reused.Len(), len(want))
		}
	}
}
