package pymodel

import "testing"

// A coroutine inside a display goes where the display goes, a *splat is an
// argument, and logging or json use their arguments as values.
func TestUseOfContainersAndSplats(t *testing.T) {
	_, files := build(t, map[string]string{
		"u": `
import asyncio
import json
import logging

logger = logging.getLogger(__name__)


async def work():
    pass


async def main(items):
    tareas = [work(), work()]
    await asyncio.gather(*tareas)
    await asyncio.gather(*[work()])
    olvidadas = [work()]
    por_nombre = {"a": work()}
    logger.info("resultado 📊 %s", work())
    logging.warning("¡ojo! %s", work())
    json.dumps({"x": work()})
    [work(), 1]
    for x in [work()]:
        pass
    retry(work())
    return {"perfil": work()}, por_nombre, olvidadas


def plain():
    return [work()]
`,
	})
	f := files["u"]
	cases := []struct {
		context string
		want    Use
	}{
		{"tareas = [work(), ", UseHandedOn},                 // the list is splatted into gather
		{"gather(*[work()])", UseHandedOn},                  // a splatted display
		{"olvidadas = [work()]", UseAssigned},               // a list never handed on
		{`por_nombre = {"a": work()}`, UseAssigned},         // a dict value, the dict is returned
		{`logger.info("resultado 📊 %s", work())`, UseValue}, // logged, never run
		{`logging.warning("¡ojo! %s", work())`, UseValue},
		{`json.dumps({"x": work()})`, UseValue},
		{"    [work(), 1]", UseDiscarded},
		{"for x in [work()]", UseUnclear},
		{"retry(work())", UseHandedOn}, // an unknown callee may await it
		{`return {"perfil": work()}`, UseValue},
		{"return [work()]", UseHandedOn}, // returned from a plain def
	}
	for _, c := range cases {
		n := nodeAt(t, f, c.context, "work()")
		if got := f.UseOf(n); got != c.want {
			t.Errorf("%q: use %d, want %d", c.context, got, c.want)
		}
	}
}

// `from . import sub` in a package __init__ binds the submodule, also when
// reached as an attribute of the package from another module.
func TestPackageImportsItsSubmodule(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.services.__init__":   "from . import async_user\n",
		"app.services.async_user": "async def get_profile(db, uid):\n    pass\n",
		"app.api": `
from app import services


async def read(db):
    services.async_user.get_profile(db, 1)
`,
	})
	f := files["app.api"]
	v := f.Value(nodeAt(t, f, "services.async_user.get_profile(db, 1)", "services.async_user.get_profile"))
	if !f.Eval.IsCoroutineFunction(v) || v.Func.Name != "get_profile" {
		t.Errorf("services.async_user.get_profile: got %+v, want the coroutine function", v)
	}
}
