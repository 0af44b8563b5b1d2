package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM302(t *testing.T) { ruletest.Run(t, AM302, All) }

// A sync stub that subclasses override with an async def (the template
// method pattern) and a plain def returning a coroutine without saying so
// are awaitable; the exact instance of the base class is not.
func TestAM302Snippets(t *testing.T) {
	src := `import asyncio


class Repositorio:
    def buscar(self, uid: int):
        raise NotImplementedError

    async def buscar_o_404(self, uid: int):
        fila = await self.buscar(uid)
        return fila


class RepositorioAsync(Repositorio):
    async def buscar(self, uid: int):
        return uid


async def cobrar(importe: float) -> None:
    await asyncio.sleep(0)


def cobrar_luego(importe):
    return cobrar(importe)


def calcular_puntuación(n):
    return n * 2


base = Repositorio()


async def main():
    await cobrar_luego(9.9)
    await base.buscar(1)
    return await calcular_puntuación(3)  # 🎯
`
	diags := diagnoseSnippet(t, AM302, src)
	var got []string
	for _, d := range diags {
		got = append(got, src[d.Start:d.End])
	}
	want := []string{"base.buscar(1)", "calcular_puntuación(3)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("AM302 on %q, want %q", got, want)
	}
	if fixed := applyFirstFix(t, src, diags[1]); !strings.Contains(fixed, "    return calcular_puntuación(3)  # 🎯") {
		t.Errorf("Remove `await` fix:\n%s", fixed)
	}
}
