package pysyntax

import (
	"context"
	"fmt"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

// bigSource is a 5,000-line module of endpoint-shaped code with Spanish
// comments and emoji, the size the latency targets talk about.
func bigSource() []byte {
	var b strings.Builder
	b.WriteString("from datetime import datetime\nfrom fastapi import APIRouter, Depends\nrouter = APIRouter()\n\n")
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, `@router.get("/items/%[1]d")
async def get_item_%[1]d(item_id: int, db: AsyncSession = Depends(get_async_db)):
    # Obtener el artículo número %[1]d — ¡rápido! 🚀
    result = await db.execute(select(Item).where(Item.id == item_id))
    item = result.scalars().first()
    if item is None:
        raise HTTPException(status_code=404, detail="No encontrado ñ")
    return {"id": item.id, "ts": datetime.utcnow()}


def helper_%[1]d(db: Session, x):
    return db.query(Item).filter(Item.id == x).first()


`, i)
	}
	return []byte(b.String())
}

// BenchmarkParseOnly is the floor: tree-sitter alone, C tree freed.
func BenchmarkParseOnly(b *testing.B) {
	src := bigSource()
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
	src := bigSource()
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
	src := bigSource()
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
