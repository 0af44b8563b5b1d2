package pymodel

import (
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func BenchmarkBuild(b *testing.B) {
	src := benchgen.EndpointModule(5000)
	tree, err := pysyntax.Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Build(tree, "app.items", "/app/items.py", false)
	}
}

func BenchmarkShapeHash(b *testing.B) {
	src := benchgen.EndpointModule(5000)
	tree, err := pysyntax.Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	m := Build(tree, "app.items", "/app/items.py", false)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ShapeHash(m)
	}
}
