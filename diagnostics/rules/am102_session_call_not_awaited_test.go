package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM102(t *testing.T) { ruletest.Run(t, AM102, All) }

const am102Header = `from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

`

// Where `await` cannot be written the fault is still reported, but no fix
// is offered: a plain def, and a generator expression (an await there would
// make it an async generator).
func TestAM102NoFixWhereAwaitIsInvalid(t *testing.T) {
	src := am102Header + `def cerrar(db: AsyncSession) -> None:
    # Función síncrona con una AsyncSession: el commit nunca corre 😬
    db.commit()


async def alguno(db: AsyncSession, consultas) -> bool:
    return any(db.scalar(q).activo for q in consultas)
`
	ds := diagnoseSnippet(t, AM102, src)
	if len(ds) != 2 {
		t.Fatalf("want 2 AM102 diagnostics, got %d: %v", len(ds), ds)
	}
	for _, d := range ds {
		if len(d.Fixes) != 0 {
			t.Errorf("%q: offered %q where await is invalid", d.Message, d.Fixes[0].Title)
		}
	}
}

// A coroutine consumed on the spot by `async with`, or as the base of a
// subscript inside a list comprehension of an async def, is lost; the
// comprehension accepts `await` (it becomes an async comprehension).
func TestAM102ConsumedOnTheSpot(t *testing.T) {
	src := am102Header + `async def exportar(db: AsyncSession, ids):
    async with db.connection() as conn:
        print(conn)
    return [db.execute(select(1))[i] for i in ids]
`
	ds := diagnoseSnippet(t, AM102, src)
	if len(ds) != 2 {
		t.Fatalf("want 2 AM102 diagnostics, got %d: %v", len(ds), ds)
	}
	fixed := applyFirstFix(t, src, ds[0])
	if !strings.Contains(fixed, "async with await db.connection() as conn:") {
		t.Errorf("async with fix:\n%s", fixed)
	}
	fixed = applyFirstFix(t, src, ds[1])
	if !strings.Contains(fixed, "return [(await db.execute(select(1)))[i] for i in ids]") {
		t.Errorf("subscript fix:\n%s", fixed)
	}
}

// Long calls are abbreviated in the message on a character boundary, so a
// multi-byte character is never cut in half.
func TestAM102MessageAbbreviatesLongCalls(t *testing.T) {
	src := am102Header + `async def informe(db: AsyncSession):
    db.execute(text("SELECT nombre FROM socios WHERE ciudad = 'Logroño' AND nota = '🏋️🏋️🏋️'"))
`
	ds := diagnoseSnippet(t, AM102, src)
	if len(ds) != 1 {
		t.Fatalf("want 1 AM102 diagnostic, got %d", len(ds))
	}
	if !strings.HasPrefix(ds[0].Message, "`db.execute(…)` returns a coroutine on an AsyncSession") {
		t.Errorf("message: %s", ds[0].Message)
	}
}
