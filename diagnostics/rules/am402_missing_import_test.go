package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM402(t *testing.T) { ruletest.Run(t, AM402, All) }

// Python's scoping decides, not the spelling: a class attribute is not
// visible from its methods, a lambda parameter or a `global` declaration
// is not a use, and code the parser could not read makes no claim.
func TestAM402Scoping(t *testing.T) {
	src := `# Reglas de ámbito 🧭
from sqlalchemy import select


class Consultas:
    func = None  # atributo de clase

    def contar(self, modelo):
        return select(func.count(modelo.id))  # NameError: func no es visible aquí


ordenar = lambda update: update  # parámetro de lambda


def reiniciar():
    global asyncio
    asyncio = None


x = (insert +
`
	ds := diagnoseSnippet(t, AM402, src)
	var names []string
	for _, d := range ds {
		names = append(names, src[d.Start:d.End])
	}
	if strings.Join(names, " ") != "func" {
		t.Fatalf("AM402 reported %q, want only the class-scoped `func`", names)
	}
	fixed := applyFirstFix(t, src, ds[0])
	if !strings.Contains(fixed, "from sqlalchemy import func, select\n") {
		t.Errorf("fix:\n%s", fixed)
	}
}

// A relative star import the index cannot resolve could provide any name.
func TestAM402UnresolvedStarImportIsSilent(t *testing.T) {
	src := "from ....fuera_del_proyecto import *\n\n\nasync def pausa():\n    await asyncio.sleep(1)\n"
	if ds := diagnoseSnippet(t, AM402, src); len(ds) != 0 {
		t.Errorf("AM402 reported %q through an unresolvable star import", ds[0].Message)
	}
}
