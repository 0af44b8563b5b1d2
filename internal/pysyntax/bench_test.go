package pysyntax

import (
	"context"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"

	"github.com/asyncmig/asyncmig/internal/benchgen"
)

// BenchmarkParseOnly is the floor: tree-sitter alone, C tree freed.
func BenchmarkParseOnly(b *testing.B) {
	src := benchgen.EndpointModule(5000)
	p := sitter.NewParser()
	p.SetLanguage(python.GetLanguage())
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		t, _ := p.ParseCtx(context.Background(), nil, src)
		t.Close()
	}
}

// BenchmarkParse is parse plus flattening into the Go tree.
func BenchmarkParse(b *testing.B) {
	src := benchgen.EndpointModule(5000)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKeystroke is one typed character in the middle of a 5,000-line
// file: edit the C tree, reparse with it, rebuild the flat tree reusing
// every untouched top-level statement.
func BenchmarkKeystroke(b *testing.B) {
	src := benchgen.EndpointModule(5000)
	doc, err := ParseDoc(src)
	if err != nil {
		b.Fatal(err)
	}
	at := strings.Index(string(src[len(src)/2:]), "item = result") + len(src)/2
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate inserting and deleting one character so the text stays bounded.
		var next []byte
		var e Edit
		if i%2 == 0 {
			next = applyEdit(src, edit{at, at, "x"})
			e = NewEdit(src, at, at, []byte("x"))
		} else {
			next = applyEdit(src, edit{at, at + 1, ""})
			e = NewEdit(src, at, at+1, nil)
		}
		nd, err := doc.Reparse(next, []Edit{e})
		if err != nil {
			b.Fatal(err)
		}
		doc.Close()
		doc, src = nd, next
	}
	b.StopTimer()
	st := doc.Stats()
	b.ReportMetric(float64(st.WalkedChunks), "walked-chunks")
	b.ReportMetric(float64(st.ReusedChunks), "reused-chunks")
	doc.Close()
}

// BenchmarkFlatten is the C walk alone on a parsed 5,000-line module: the
// direct Subtree walker against the cursor walker it replaced.
func BenchmarkFlatten(b *testing.B) {
	tr := cParse(b, nil, benchgen.EndpointModule(5000))
	defer tr.Close()
	root := rootOf(tr)
	dst := make([]node, descendantCount(root))
	for _, w := range []struct {
		name      string
		reference bool
	}{{"direct", false}, {"cursor", true}} {
		b.Run(w.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if flattenRaw(root, 0, dst, w.reference) != len(dst) {
					b.Fatal("short flatten")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(dst)), "ns/node")
		})
	}
}
