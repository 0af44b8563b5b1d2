package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM304(t *testing.T) { ruletest.Run(t, AM304, All) }

func TestAM304FixShapes(t *testing.T) {
	src := `import asyncio


async def principal(rapido: bool, a, b):
    # Dos formas raras pero válidas 🧪
    estado = asyncio.run(a() if rapido else b()).estado
    asyncio.run(a(), debug=True)
    return estado
`
	ds := diagnoseSnippet(t, AM304, src)
	if len(ds) != 2 {
		t.Fatalf("want 2 AM304 diagnostics, got %d", len(ds))
	}
	fixed := applyFirstFix(t, src, ds[0])
	if !strings.Contains(fixed, "estado = (await (a() if rapido else b())).estado\n") {
		t.Errorf("parenthesised fix:\n%s", fixed)
	}
	if len(ds[1].Fixes) != 0 {
		t.Errorf("asyncio.run with debug=True must not be rewritten (the argument would be lost): %q", ds[1].Fixes[0].Title)
	}
}
