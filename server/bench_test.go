package server

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// endpointsModule is a 5,000-line module of FastAPI endpoints with Spanish
// comments and emoji; every flagEvery-th endpoint calls datetime.utcnow().
func endpointsModule(flagEvery int) string {
	var b strings.Builder
	b.WriteString("from datetime import datetime\n\nfrom fastapi import APIRouter, Depends\nfrom sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\nrouter = APIRouter()\n\n")
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		stamp := "datetime.now()"
		if i%flagEvery == 0 {
			stamp = "datetime.utcnow()"
		}
		fmt.Fprintf(&b, `
@router.get("/artículos/%[1]d")
async def ver_artículo_%[1]d(artículo_id: int, db: AsyncSession = Depends(get_async_db)):
    # Obtener el artículo número %[1]d — ¡rápido! 🚀
    resultado = await db.execute(select(Artículo).where(Artículo.id == artículo_id))
    artículo = resultado.scalars().first()
    if artículo is None:
        raise HTTPException(status_code=404, detail="No encontrado ñ")
    return {"id": artículo.id, "visto": %[2]s}

`, i, stamp)
	}
	return b.String()
}

// BenchmarkKeystroke is the cost of one keystroke in a 5,000-line file,
// from didChange to the publishDiagnostics of the new version: the
// incremental reparse, rebuilding the module and putting it in the index,
// the rule run, the conversion and the JSON both ways over a pipe. The
// debounce is set to 0 ms: it is waiting, not work. cpu-ms/keystroke is
// the CPU the whole process (server and test client) spent per keystroke,
// steadier than ns/op on a loaded machine.
func BenchmarkKeystroke(b *testing.B) {
	for _, bc := range []struct {
		name      string
		flagEvery int
	}{
		{"few findings", 50},  // ~12 diagnostics
		{"every endpoint", 1}, // ~550 diagnostics to convert and send
	} {
		b.Run(bc.name, func(b *testing.B) {
			root := b.TempDir()
			text := endpointsModule(bc.flagEvery)
			writeFiles(b, root, map[string]string{"app/rutas.py": text, "app/__init__.py": ""})
			s := New(Options{Logger: zap.NewNop(), Version: "bench"})
			c := lsptest.New(b, s.Serve)
			c.Initialize(initParams(root, editorCaps(), map[string]any{"debounce-ms": 0}))
			waitIndexed(b, c)
			docURI := fileURI(filepath.Join(root, "app", "rutas.py"))
			c.Open(docURI, 1, text)
			diagnostics := len(c.WaitDiagnostics(docURI, 1).Diagnostics)
			// Type into the comment of an endpoint in the middle of the file.
			line := uint32(strings.Count(text[:strings.Index(text, "número 200 ")], "\n"))
			at := protocol.Position{Line: line, Character: 10}
			b.ResetTimer()
			cpu := benchgen.ProcessCPU()
			for i := 0; i < b.N; i++ {
				version := int32(i + 2)
				mark := c.Mark()
				c.Change(docURI, version, protocol.Range{Start: at, End: at}, "ñ")
				c.WaitDiagnosticsSince(mark, docURI, lsptest.Timeout, func(p *lsptest.Published) bool {
					return p.Version != nil && *p.Version == version
				})
				at.Character++
			}
			b.ReportMetric(float64((benchgen.ProcessCPU()-cpu).Microseconds())/float64(b.N)/1000, "cpu-ms/keystroke")
			b.ReportMetric(float64(diagnostics), "diagnostics")
		})
	}
}
