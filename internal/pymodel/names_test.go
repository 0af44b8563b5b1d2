package pymodel

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// mapIndex is a workspace of already built modules.
type mapIndex map[string]*Module

func (ix mapIndex) Module(name string) *Module       { return ix[name] }
func (ix mapIndex) ParamFlows(fn *Function) [][]Flow { return nil }
func (ix mapIndex) add(t *testing.T, name, src string) *Module {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := Build(tree, name, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", false)
	ix[name] = m
	return m
}

// at returns the scope of the first occurrence of marker in m's source.
func scopeAt(t *testing.T, m *Module, src, marker string) *Scope {
	t.Helper()
	i := strings.Index(src, marker)
	if i < 0 {
		t.Fatalf("marker %q not in source", marker)
	}
	return m.ScopeAt(i)
}

func TestResolveName(t *testing.T) {
	ix := mapIndex{}
	ix.add(t, "app.db.base", "# Hub de imports 🗄️\nfrom sqlalchemy import select, update\n_privado = 1\n")
	ix.add(t, "app.db.opaque", "from sqlalchemy import *\n")
	ix.add(t, "app.db.dynamic", "def __getattr__(name):\n    return name\n")
	ev := NewEvaluator(ix, Options{})

	src := `"""Módulo con ñ y emoji 🏋️."""
from app.db.base import *

class Panel:
    select_local = 1

    def metodo(self, func):
        return func, select_local, select, update, len, __name__, asyncio  # aquí

def reintentar(func):
    async def envoltorio():
        return await func()  # dentro
    return envoltorio

def fuera():
    timezone = "Europe/Madrid"
    return [timezone for _ in range(2)], _privado  # comprensión
`
	m := ix.add(t, "app.services.panel", src)
	inMethod := scopeAt(t, m, src, "return func, select_local")
	cases := []struct {
		scope *Scope
		name  string
		want  NameStatus
	}{
		{inMethod, "func", NameBound},                           // parameter
		{inMethod, "select_local", NameUnbound},                 // class attributes are not visible in methods
		{inMethod, "select", NameBound},                         // from the workspace hub
		{inMethod, "update", NameBound},                         // idem
		{inMethod, "len", NameBound},                            // builtin
		{inMethod, "__name__", NameBound},                       // module dunder
		{inMethod, "asyncio", NameUnbound},                      // nowhere: the hub is fully known
		{inMethod, "_privado", NameUnknown},                     // import * skips it unless __all__ says otherwise
		{scopeAt(t, m, src, "await func()"), "func", NameBound}, // enclosing function's parameter
		{scopeAt(t, m, src, "timezone for _"), "timezone", NameBound},
		{m.Scope, "reintentar", NameBound},
		{m.Scope, "Panel", NameBound},
	}
	for _, c := range cases {
		if got := ev.ResolveName(m, c.scope, c.name); got != c.want {
			t.Errorf("ResolveName(%q) = %d, want %d", c.name, got, c.want)
		}
	}

	// A hub the workspace cannot see through makes missing names unknown.
	for _, hub := range []string{"app.db.opaque", "app.db.dynamic", "gym_shared.helpers"} {
		src := "from " + hub + " import *\n\nx = select\n"
		m := ix.add(t, "app.uses_"+strings.ReplaceAll(hub, ".", "_"), src)
		if got := ev.ResolveName(m, m.Scope, "select"); got != NameUnknown {
			t.Errorf("through %s: ResolveName(select) = %d, want NameUnknown", hub, got)
		}
	}
	// A relative star import that climbs out of the workspace: unknowable.
	tree, _ := pysyntax.Parse([]byte("from ... import *\nx = select\n"))
	top := Build(tree, "app", "/ws/app.py", false)
	if !top.UnresolvedStarImport {
		t.Fatal("`from ... import *` above the top-level package was not recorded as unresolved")
	}
	if got := ev.ResolveName(top, top.Scope, "select"); got != NameUnknown {
		t.Errorf("unresolved star import: ResolveName(select) = %d, want NameUnknown", got)
	}
	if exists, certain := ev.HasName(top, "select"); exists || certain {
		t.Errorf("HasName through an unresolved star import = (%v, %v), want (false, false)", exists, certain)
	}
}
