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

// sessionServices is the workspace the benchmark module calls into: a sync
// service three calls deep into a sync Session, an async twin, and a sync
// API annotated `Session`.
var sessionServices = map[string]string{
	"app.db": `from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker()
AsyncSessionLocal = async_sessionmaker()


def get_db():
    with SessionLocal() as db:
        yield db


async def get_async_db():
    async with AsyncSessionLocal() as session:
        yield session
`,
	"app.services.stats": `from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import SessionLocal


def _contar(user_id: int) -> int:
    with SessionLocal() as s:
        return s.scalar(select(func.count()).where(user_id == user_id)) or 0


def cargar(user_id: int) -> dict:
    return {"visitas": _contar(user_id)}


def panel(user_id: int) -> dict:
    return {"panel": cargar(user_id), "saludo": saludo("ñ")}


def saludo(nombre: str) -> str:
    return f"¡Hola, {nombre}! 👋"


def auditar(db: Session, accion: str) -> None:
    db.commit()
`,
	"app.services.async_stats": `from sqlalchemy.ext.asyncio import AsyncSession


async def panel(user_id: int) -> dict:
    return {"panel": user_id}


async def registrar(db: AsyncSession, accion: str) -> None:
    await db.commit()
`,
}

// sessionModule is a 5,000-line module of endpoints where every screen has
// something for AM104, AM105, AM106 and AM303 to judge: blocking calls
// (direct, transitive, offloaded), sessions of both kinds handed to
// annotated parameters, and a sync Session parameter.
func sessionModule() []byte {
	var b strings.Builder
	b.WriteString(`import asyncio
import time

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.db import get_async_db, get_db
from app.services.async_stats import registrar
from app.services.stats import auditar, panel, saludo

router = APIRouter()
`)
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, `

@router.get("/socios/%[1]d")
async def socio_%[1]d(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Socio %[1]d — ¡a entrenar! 🏋️
    datos = panel(user_id)
    time.sleep(0)
    auditar(db, "lectura")
    await registrar(db, "lectura ✅")
    texto = saludo("Ana")
    otro = await asyncio.to_thread(panel, user_id)
    return {"datos": datos, "texto": texto, "otro": otro}


@router.get("/legacy/%[1]d")
async def legacy_%[1]d(user_id: int, db: Session = Depends(get_db)):
    await registrar(db, "legacy 🐢")
    return {"ok": saludo("Luis")}
`, i)
	}
	return []byte(b.String())
}

// BenchmarkKeystrokeSessionRules measures one diagnostics run of each of
// AM104, AM105, AM106 and AM303 over the module, as after each keystroke,
// in a workspace of 300 more modules; "none" is the walk alone.
func BenchmarkKeystrokeSessionRules(b *testing.B) {
	ws := workspace.New("/ws", pymodel.Options{}, workspace.Twins{})
	put := func(name string, src []byte) (*pysyntax.Tree, *pymodel.Module) {
		tree, err := pysyntax.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		mod := pymodel.Build(tree, name, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", false)
		ws.Put(mod)
		return tree, mod
	}
	for name, src := range sessionServices {
		put(name, []byte(src))
	}
	for i := 0; i < 300; i++ {
		put(fmt.Sprintf("app.services.m%d", i), []byte(fmt.Sprintf("from app.services.stats import panel\n\n\ndef vista_%d(x):\n    return panel(x)\n", i)))
	}
	src := sessionModule()
	tree, mod := put("app.routes", src)
	ws.Refresh()
	endpoints := strings.Count(string(src), "async def socio_")
	cases := []struct {
		rule *diagnostics.Rule
		want int
	}{
		{nil, 0},
		{AM104, endpoints},     // db: Session = Depends(get_db) in each legacy_N
		{AM105, endpoints},     // auditar(db, …) with the AsyncSession
		{AM106, endpoints},     // registrar(db, …) with the sync Session
		{AM303, 2 * endpoints}, // panel(user_id) and time.sleep(0)
	}
	for _, c := range cases {
		name, rules := "none", []*diagnostics.Rule(nil)
		if c.rule != nil {
			name, rules = c.rule.Code, []*diagnostics.Rule{c.rule}
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f := pymodel.NewFile(tree, mod, ws.Evaluator())
				res := diagnostics.Run(context.Background(), diagnostics.Input{File: f, Workspace: ws}, rules)
				if len(res.Diagnostics) != c.want || len(res.Errors) != 0 {
					b.Fatalf("%s: %d diagnostics, want %d (errors %v)", name, len(res.Diagnostics), c.want, res.Errors)
				}
			}
		})
	}
}
