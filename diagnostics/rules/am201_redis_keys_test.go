package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM201(t *testing.T) { ruletest.Run(t, AM201, All) }

// The fault is reported whatever the shape; the rewrite only where it keeps
// the code valid and the keys in hand.
func TestAM201FixOnlyWhereTheRewriteHolds(t *testing.T) {
	src := `import redis
import redis.asyncio as aioredis

cliente = aioredis.from_url("redis://cache:6379/0")
sincrono = redis.Redis(host="cache")


async def sin_await():
    pendiente = cliente.keys("sesión:*")  # corrutina sin esperar: AM301 la señala
    return await pendiente


def en_def_normal():
    return cliente.keys("racha:*")


async def con_opciones():
    return await cliente.keys("tmp:*", target_nodes="all")


def con_list_propio(list):
    return sincrono.keys("plan:*")


async def sincrono_esperado():
    # await sobre el cliente síncrono 🙃: también se quita
    return await sincrono.keys("token:*")
`
	ds := diagnoseSnippet(t, AM201, src)
	if len(ds) != 5 {
		t.Fatalf("want 5 AM201 diagnostics, got %d", len(ds))
	}
	for _, d := range ds[:4] {
		if len(d.Fixes) != 0 {
			t.Errorf("%s: unexpected fix %q", d.Message, d.Fixes[0].Title)
		}
	}
	fixed := applyFirstFix(t, src, ds[4])
	if !strings.Contains(fixed, `    return list(sincrono.scan_iter(match="token:*", count=100))`+"\n") {
		t.Errorf("sync client under await:\n%s", fixed)
	}
}
