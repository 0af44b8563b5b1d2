package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM104(t *testing.T) { ruletest.Run(t, AM104, All) }

// A library dependency has an async twin only when the configuration
// lists one of its twin names as an async session dependency; then the fix
// imports it from the same library. `Annotated[Session, Depends(…)]` is
// reported but not rewritten.
func TestAM104ConfiguredTwinAndAnnotated(t *testing.T) {
	files := map[string]string{
		"pyproject.toml": `[project]
name = "gimnasio"

[tool.asyncmig]
sync-session-dependencies = ["get_legacy_db", "get_reporting_db"]
async-session-dependencies = ["erp_core.db.get_async_legacy_db"]
`,
		"app/routes.py": `# Facturas del ERP 🧾
from typing import Annotated

from erp_core.db import get_legacy_db, get_reporting_db
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

router = APIRouter()


@router.get("/facturas")
async def facturas(db: Session = Depends(get_legacy_db)):
    return db.execute("SELECT 'año'").all()


@router.get("/informes")
async def informes(db=Depends(get_reporting_db)):
    return db.execute("SELECT 1").all()


@router.get("/anotada")
async def anotada(db: Annotated[Session, Depends(get_legacy_db)]):
    return db.execute("SELECT 1").all()
`,
	}
	src := files["app/routes.py"]
	ds := diagnoseProject(t, AM104, files)["app/routes.py"]
	if len(ds) != 3 {
		t.Fatalf("got %d diagnostics, want 3: %v", len(ds), ds)
	}
	byParam := map[string]int{}
	for i, d := range ds {
		byParam[src[d.Start:d.End]] = i
	}
	d := ds[byParam["db: Session = Depends(get_legacy_db)"]]
	fixed := applyFirstFix(t, src, d)
	for _, want := range []string{
		"async def facturas(db: AsyncSession = Depends(get_async_legacy_db)):",
		"from erp_core.db import get_async_legacy_db, get_legacy_db, get_reporting_db\n",
		"from sqlalchemy.ext.asyncio import AsyncSession\n",
	} {
		if !strings.Contains(fixed, want) {
			t.Errorf("fixed source lacks %q:\n%s", want, fixed)
		}
	}
	// get_reporting_db has no configured twin; the Annotated form is left alone.
	for _, p := range []string{"db=Depends(get_reporting_db)", "db: Annotated[Session, Depends(get_legacy_db)]"} {
		i, ok := byParam[p]
		if !ok {
			t.Errorf("no diagnostic on %q", p)
			continue
		}
		if len(ds[i].Fixes) != 0 {
			t.Errorf("%q gets a fix: %s", p, ds[i].Fixes[0].Title)
		}
	}
}
