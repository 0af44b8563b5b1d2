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

// awaitModule is a 5,000-line module where every screen has coroutine
// calls (awaited, handed on, stored and awaited later, lost) and awaits of
// plain defs through self and through a module-level service, which AM302
// checks against the overrides of the whole workspace.
func awaitModule() []byte {
	var b strings.Builder
	b.WriteString(`import asyncio

from app.services.pagos import pagos_service
`)
	for i := 0; strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, `

class Servicio%[1]d:
    def etiqueta(self, n: int) -> str:
        return f"socio {n} 🏋️"

    async def cargar(self, n: int) -> dict:
        await asyncio.sleep(0)
        return {"n": n}

    async def vista(self, ids: list[int]) -> dict:
        # Vista %[1]d — ¡a entrenar!
        datos = await self.cargar(1)
        tarea = self.cargar(2)
        otros = await asyncio.gather(*[self.cargar(i) for i in ids])
        texto = await self.etiqueta(3)
        total = await pagos_service.total(%[1]d)
        self.cargar(4)
        return {"datos": datos, "otros": otros, "texto": texto, "total": total, "t": await tarea}
`, i)
	}
	return []byte(b.String())
}

func BenchmarkKeystrokeAM30x(b *testing.B) {
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
	put("app.services.pagos", []byte("class Pagos:\n    def total(self, n):\n        return n * 1.21\n\n\npagos_service = Pagos()\n"))
	for i := 0; i < 300; i++ {
		put(fmt.Sprintf("app.services.m%d", i), []byte(fmt.Sprintf("from app.services.pagos import Pagos\n\n\nclass Otro%d(Pagos):\n    def etiqueta(self, n):\n        return str(n)\n", i)))
	}
	src := awaitModule()
	tree, mod := put("app.vistas", src)
	ws.Refresh()
	want := map[string]int{}
	for _, l := range strings.Split(string(src), "\n") {
		switch {
		case strings.Contains(l, "tarea = self.cargar") || strings.Contains(l, "otros = await"):
		case strings.HasPrefix(strings.TrimSpace(l), "self.cargar(4)"):
			want["AM301"]++
		case strings.Contains(l, "await self.etiqueta") || strings.Contains(l, "await pagos_service.total"):
			want["AM302"]++
		}
	}
	cases := []struct {
		name string
		rule *diagnostics.Rule
		// edited re-puts the module first, as a keystroke does: the
		// workspace generation changes and its caches are rebuilt.
		edited bool
	}{{"AM301", AM301, false}, {"AM302", AM302, false}, {"AM302-after-edit", AM302, true}}
	for _, c := range cases {
		r := c.rule
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if c.edited {
					ws.Put(mod)
				}
				f := pymodel.NewFile(tree, mod, ws.Evaluator())
				res := diagnostics.Run(context.Background(), diagnostics.Input{File: f, Workspace: ws}, []*diagnostics.Rule{r})
				if len(res.Diagnostics) != want[r.Code] || len(res.Errors) != 0 {
					b.Fatalf("%s: %d diagnostics, want %d (errors %v)", r.Code, len(res.Diagnostics), want[r.Code], res.Errors)
				}
			}
		})
	}
}
