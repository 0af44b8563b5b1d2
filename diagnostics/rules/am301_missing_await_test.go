package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM301(t *testing.T) { ruletest.Run(t, AM301, All) }

// Forms the fixtures do not pin down: non-ASCII names (byte offsets must
// land on the call), a subscript base, a for iterable, and a generator
// expression, where inserting await would make an async generator.
func TestAM301Snippets(t *testing.T) {
	src := `import asyncio


async def señal(n: int) -> list[int]:
    await asyncio.sleep(0)
    return [n, n + 1]


async def main(ids: list[int]) -> int:
    primero = señal(1)[0]  # ⚠️ sin await
    for x in señal(2):
        print(x)
    return sum(len(señal(i)) for i in ids)
`
	diags := diagnoseSnippet(t, AM301, src)
	if len(diags) != 3 {
		t.Fatalf("want 3 AM301 diagnostics, got %d: %+v", len(diags), diags)
	}
	for _, d := range diags {
		if got := src[d.Start:d.End]; !strings.HasPrefix(got, "señal(") {
			t.Errorf("diagnostic covers %q, want the call", got)
		}
	}
	if got := applyFirstFix(t, src, diags[0]); !strings.Contains(got, "primero = (await señal(1))[0]  # ⚠️") {
		t.Errorf("subscript base not parenthesised:\n%s", got)
	}
	if got := applyFirstFix(t, src, diags[1]); !strings.Contains(got, "for x in await señal(2):") {
		t.Errorf("for iterable not awaited:\n%s", got)
	}
	if len(diags[2].Fixes) != 0 || !strings.Contains(diags[2].Message, "generator expression") {
		t.Errorf("inside a generator expression: want no fix and a hint, got %q with %d fixes", diags[2].Message, len(diags[2].Fixes))
	}
}
