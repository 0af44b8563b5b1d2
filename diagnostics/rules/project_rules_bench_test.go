package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/project"
)

// bigRouter is a 5,000-line router of async endpoints that use a sync
// service instance and class with async twins (AM401), call methods that do
// not exist (AM405) and import a twin that was never written (AM404):
// the worst case for the import rules on one keystroke.
func bigRouter() string {
	var b strings.Builder
	b.WriteString(`# Router enorme, migrado a medias 🚧
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_async_db
from app.services.async_svc_0 import async_service_0
from app.services.async_svc_404 import async_service_404
from app.services.svc_0 import service_0
from app.services.svc_1 import Service1

router = APIRouter(prefix="/grande", tags=["grande"])
`)
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		m := i % 16
		fmt.Fprintf(&b, `

@router.get("/big/%[1]d/{item_id}")
async def big_%[1]d(item_id: int, db: AsyncSession = Depends(get_async_db)):
    # Obtener el usuario %[1]d — ¡año de migración! 🚀
    usuario = service_0.get_item_%[2]d(db, item_id)
    otro = await async_service_0.get_item_%[2]d(db, item_id)
    raro = await async_service_0.get_item_%[2]d_async(db, item_id)
    clase = Service1().list_items_%[2]d(db)
    return {"u": usuario, "o": otro, "r": raro, "c": clase, "x": async_service_404}
`, i, m)
	}
	return b.String()
}

var (
	importBenchOnce sync.Once
	importBenchProj *project.Project
	importBenchErr  error
)

func importBenchProject(b *testing.B) (*project.Project, *project.File) {
	importBenchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "asyncmig-am40x-")
		if err != nil {
			importBenchErr = err
			return
		}
		if _, err := benchgen.Generate(dir, 150, 1); err != nil {
			importBenchErr = err
			return
		}
		if err := os.WriteFile(filepath.Join(dir, "app", "api", "routes", "big.py"), []byte(bigRouter()), 0o644); err != nil {
			importBenchErr = err
			return
		}
		importBenchProj, importBenchErr = project.Load(context.Background(), dir, []string{dir}, project.Options{})
	})
	if importBenchErr != nil {
		b.Fatal(importBenchErr)
	}
	for _, f := range importBenchProj.Files {
		if filepath.Base(f.Path) == "big.py" {
			return importBenchProj, f
		}
	}
	b.Fatal("big.py not loaded")
	return nil, nil
}

var importRules = []*diagnostics.Rule{AM401, AM403, AM404, AM405}

// BenchmarkImportRulesBigFile runs AM401/403/404/405 on the 5,000-line
// router, as one keystroke would.
func BenchmarkImportRulesBigFile(b *testing.B) {
	proj, big := importBenchProject(b)
	ctx := context.Background()
	res := proj.CheckFile(ctx, big, importRules)
	if len(res.Errors) > 0 || len(res.Diagnostics) < 100 {
		b.Fatalf("unexpected run: %d diagnostics, errors %v", len(res.Diagnostics), res.Errors)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		proj.CheckFile(ctx, big, importRules)
	}
}

// BenchmarkImportRulesWorkspace runs them on every file of a 150-module
// generated workspace (one core), per file.
func BenchmarkImportRulesWorkspace(b *testing.B) {
	proj, _ := importBenchProject(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range proj.Files {
			proj.CheckFile(ctx, f, importRules)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(proj.Files)), "ns/file")
}

// BenchmarkNoRulesWorkspace is the floor for BenchmarkImportRulesWorkspace:
// the same files through the engine with no rule.
func BenchmarkNoRulesWorkspace(b *testing.B) {
	proj, _ := importBenchProject(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range proj.Files {
			proj.CheckFile(ctx, f, nil)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(proj.Files)), "ns/file")
}

// BenchmarkImportRulesMarginal is what the import rules add to a run of
// every other rule over the workspace, which pays for most of the
// evaluation they need (the evaluator is shared within a run): compare
// its two sub-benchmarks.
func BenchmarkImportRulesMarginal(b *testing.B) {
	proj, _ := importBenchProject(b)
	ctx := context.Background()
	var others []*diagnostics.Rule
	for _, r := range All {
		switch r {
		case AM401, AM403, AM404, AM405:
		default:
			others = append(others, r)
		}
	}
	for _, c := range []struct {
		name  string
		rules []*diagnostics.Rule
	}{{"others", others}, {"all", All}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for _, f := range proj.Files {
					proj.CheckFile(ctx, f, c.rules)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(proj.Files)), "ns/file")
		})
	}
}
