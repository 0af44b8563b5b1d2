package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
	"github.com/asyncmig/asyncmig/internal/project"
)

func TestAM101(t *testing.T) { ruletest.Run(t, AM101, All) }

const am101Header = `# Informes del gimnasio 📊 — año 2024
from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_async_db
from app.models import User
`

// Where `await` cannot be written, there is no fix, and the message says why.
func TestAM101NoAwaitNoFix(t *testing.T) {
	src := am101Header + `

async def informe(db: AsyncSession = Depends(get_async_db)):
    total = sum(db.query(User).count() for _ in range(2))  # generador
    contar = lambda: db.query(User).count()  # lambda
    return total, contar
`
	ds := diagnoseSnippet(t, AM101, src)
	if len(ds) != 2 {
		t.Fatalf("want 2 diagnostics, got %d", len(ds))
	}
	for _, d := range ds {
		if len(d.Fixes) > 0 {
			t.Errorf("%s: fix offered where `await` is not allowed: %s", d.Message, d.Fixes[0].Title)
		}
		if !strings.Contains(d.Message, "`await` is not allowed here") {
			t.Errorf("message does not say why there is no fix: %s", d.Message)
		}
	}
}

func TestAM101Imports(t *testing.T) {
	cases := []struct {
		name, imports, want string
	}{
		{"none yet: one line for both names, in isort order", "", "from fastapi import Depends\nfrom sqlalchemy import func, select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"},
		{"appended to the existing line", "from sqlalchemy import String\n", "from sqlalchemy import String, func, select\n"},
		{"one name per line", "from sqlalchemy import (\n    String,\n)\n", "from sqlalchemy import (\n    String,\n    func,\n    select,\n)\n"},
		{"select from sqlalchemy.future is reused", "from sqlalchemy.future import select\n", "from sqlalchemy import func\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := am101Header + c.imports + `

async def total(db: AsyncSession = Depends(get_async_db)):
    return db.query(User).count()
`
			ds := diagnoseSnippet(t, AM101, src)
			if len(ds) != 1 {
				t.Fatalf("want 1 diagnostic, got %d", len(ds))
			}
			out := applyFirstFix(t, src, ds[0])
			if !strings.Contains(out, c.want) {
				t.Errorf("imports not as expected, want %q in:\n%s", c.want, out)
			}
			if !strings.Contains(out, "return (await db.execute(select(func.count()).select_from(select(User).subquery()))).scalar_one()\n") {
				t.Errorf("rewrite missing:\n%s", out)
			}
		})
	}
}

// A local `select` would capture the rewrite: no fix.
func TestAM101ShadowedName(t *testing.T) {
	src := am101Header + `

async def buscar(select: str, db: AsyncSession = Depends(get_async_db)):
    return db.query(User).filter(User.nombre == select).all()
`
	ds := diagnoseSnippet(t, AM101, src)
	if len(ds) != 1 {
		t.Fatalf("want 1 diagnostic, got %d", len(ds))
	}
	if len(ds[0].Fixes) > 0 {
		t.Fatalf("fix offered although `select` is a parameter: %s", ds[0].Fixes[0].Title)
	}
	if !strings.Contains(ds[0].Message, "`select` means something else") {
		t.Errorf("message does not say why: %s", ds[0].Message)
	}
}

// am101BenchSource is a 5,000-line router: async endpoints with Query
// chains on an AsyncSession (each reported, most with a fix), sync twins,
// Spanish comments and emoji.
func am101BenchSource() []byte {
	var b strings.Builder
	b.WriteString(am101Header + "from sqlalchemy.orm import Session, joinedload\n\nfrom app.db import get_db\n")
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, `

async def socios_%[1]d(db: AsyncSession = Depends(get_async_db)):
    # Socios activos del gimnasio nº %[1]d — ¡rápido! 🚀
    activos = db.query(User).options(joinedload(User.workouts)).filter(User.activo.is_(True)).order_by(User.id).all()
    total = db.query(User).filter_by(activo=True).count()
    return activos, total, db.query(User).get(%[1]d)


def socios_legacy_%[1]d(db: Session = Depends(get_db)):
    return db.query(User).filter(User.activo.is_(True)).all()
`, i)
	}
	return []byte(b.String())
}

func benchmarkCheck(b *testing.B, rules []*diagnostics.Rule) {
	root := b.TempDir()
	path := filepath.Join(root, "app", "routes.py")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	src := am101BenchSource()
	if err := os.WriteFile(path, src, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	proj, err := project.Load(ctx, root, []string{root}, project.Options{})
	if err != nil {
		b.Fatal(err)
	}
	f := proj.Files[0]
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		proj.CheckFile(ctx, f, rules)
	}
}

// BenchmarkAM101 runs AM101 alone over the file, as on a keystroke;
// BenchmarkAM101Baseline is the same run with no rule (model and walk only).
func BenchmarkAM101(b *testing.B)         { benchmarkCheck(b, []*diagnostics.Rule{AM101}) }
func BenchmarkAM101Baseline(b *testing.B) { benchmarkCheck(b, nil) }
