package pymodel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// bigModule is a 5,000-line module of endpoint-shaped code with Spanish
// comments and emoji.
func bigModule() []byte {
	var b strings.Builder
	b.WriteString("from datetime import datetime\nfrom fastapi import APIRouter, Depends\nfrom sqlalchemy.ext.asyncio import AsyncSession\nrouter = APIRouter()\n\n")
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

func BenchmarkBuild(b *testing.B) {
	src := bigModule()
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
	src := bigModule()
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
