package pymodel

import "testing"

// `*args: T` and `**kwargs: T` annotate the items, not the name: the name
// is a tuple or a dict, never an instance, session or client.
func TestVariadicParamsAreContainers(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.extensiones": `
import redis
from sqlalchemy.orm import Session


class Extension:
    def aplicar(self) -> None: ...


def registrar(*sesiones: Session, **extensiones: Extension) -> None:
    sesiones  # tupla
    extensiones  # dict — ñandú 🚀


def clientes(*conexiones: redis.Redis, principal: redis.Redis) -> None:
    conexiones, principal  # redis
`,
	})
	f := files["app.extensiones"]
	cases := []struct {
		context, needle string
		want            VKind
	}{
		{"sesiones  # tupla", "sesiones", Unknown},
		{"extensiones  # dict", "extensiones", Unknown},
		{"conexiones, principal  # redis", "conexiones", Unknown},
		{"conexiones, principal  # redis", "principal", SyncRedis},
	}
	for _, c := range cases {
		n := nodeAt(t, f, c.context, c.needle)
		if got := f.Value(n).Kind; got != c.want {
			t.Errorf("%s in %q: got %s, want %s", c.needle, c.context, got, c.want)
		}
	}
}
