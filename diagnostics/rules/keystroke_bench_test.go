package rules

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// keystrokeModule is a 5,000-line module of endpoint-shaped code that gives
// AM102, AM103, AM201, AM304 and AM402 something to look at on every
// screen: sessions, Redis, asyncio and the names AM402 watches, with
// Spanish comments and emoji.
func keystrokeModule() []byte {
	var b strings.Builder
	b.WriteString(`import asyncio

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

AsyncSessionLocal = async_sessionmaker()
cache = aioredis.from_url("redis://cache:6379/0")
router = APIRouter()


async def get_async_db():
    async with AsyncSessionLocal() as session:
        yield session


`)
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, `@router.get("/socios/%[1]d")
async def socio_%[1]d(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Socio número %[1]d — ¡a entrenar! 🏋️
    socio = (await db.execute(select(User).where(User.id == user_id))).scalar_one()
    total = await db.scalar(select(func.count(Workout.id)).where(Workout.user_id == user_id))
    await db.execute(update(User).where(User.id == user_id).values(visitas=total))
    db.add(socio)
    await db.commit()
    claves = [k async for k in cache.scan_iter(match=f"racha:{user_id}:*", count=100)]
    await asyncio.sleep(0)
    return {"socio": socio.nombre, "total": total, "claves": claves}


def informe_%[1]d(datos: dict) -> list:
    return sorted(datos.keys())


`, i)
	}
	return []byte(b.String())
}

// BenchmarkKeystrokeRules measures one diagnostics run per rule over the
// module, as after each keystroke; "none" is the walk alone.
func BenchmarkKeystrokeRules(b *testing.B) {
	src := keystrokeModule()
	tree, err := pysyntax.Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	ws := workspace.New("/ws", pymodel.Options{}, workspace.Twins{})
	mod := pymodel.Build(tree, "app.socios", "/ws/app/socios.py", false)
	ws.Put(mod)
	ws.Refresh()
	cases := []struct {
		name  string
		rules []*diagnostics.Rule
	}{
		{"none", nil}, {"AM102", []*diagnostics.Rule{AM102}}, {"AM103", []*diagnostics.Rule{AM103}},
		{"AM201", []*diagnostics.Rule{AM201}}, {"AM304", []*diagnostics.Rule{AM304}}, {"AM402", []*diagnostics.Rule{AM402}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f := pymodel.NewFile(tree, mod, ws.Evaluator())
				res := diagnostics.Run(context.Background(), diagnostics.Input{File: f, Workspace: ws}, c.rules)
				if len(res.Diagnostics) != 0 || len(res.Errors) != 0 {
					b.Fatalf("the benchmark module should be clean: %v %v", res.Diagnostics, res.Errors)
				}
			}
		})
	}
}
