package pymodel

import "testing"

// PEP 695 aliases are module names like the assignments they replace:
// imports of them resolve, and an alias of AsyncSession annotates one.
func TestTypeAliasStatement(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.tipos": `
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

type Opciones = Sequence[str]  # opciones de carga 🧩
type Orden[T] = tuple[T, bool]
type Sesion = AsyncSession


async def listar(db: Sesion, orden: Orden[str]) -> Opciones:
    return []
`,
	})
	f := files["app.tipos"]
	for _, name := range []string{"Opciones", "Orden", "Sesion"} {
		if exists, certain := f.Eval.HasName(f.Module, name); !exists || !certain {
			t.Errorf("HasName(%s) = %v, %v; want true, true", name, exists, certain)
		}
	}
	if names := f.Module.Scope.Names; names["T"] != nil {
		t.Error("the type parameter T leaked into the module scope")
	}
	fn := f.Module.Scope.Names["listar"][0].Func
	if got := f.Eval.Binding(f.Module, fn.Scope, fn.Params[0]).Kind; got != AsyncSession {
		t.Errorf("db: Sesion is %v, want AsyncSession", got)
	}
}
