package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM405(t *testing.T) { ruletest.Run(t, AM405, All) }

// Look-alikes beyond the fixtures: calls on self in a mixin or a template
// method base, attributes assigned from outside the class, unknown class
// decorators and ABC bases keep the rule silent; a dataclass is closed.
func TestAM405OpenCases(t *testing.T) {
	srcs, diags := projectDiagnostics(t, "AM405", map[string]string{
		"app/__init__.py": "",
		"app/services.py": `# Servicios con formas variadas 🧩
import abc
from dataclasses import dataclass

from app.registry import register


class TimestampMixin:
    def touch(self) -> None:
        # El método save lo pone la clase con la que se mezcla 🔀
        self.save()


class BaseReport:
    def render(self) -> str:
        return self.body()

    @classmethod
    def build(cls) -> "BaseReport":
        return cls.default()


@register
class Registered:
    def ping(self) -> str:
        return "pong"


class Abstracto(abc.ABC):
    def ping(self) -> str:
        return "pong"


@dataclass
class Punto:
    x: int
    y: int

    def norma(self) -> int:
        return abs(self.x) + abs(self.y)


class Plain:
    def ping(self) -> str:
        return "pong"
`,
		"app/registry.py": "def register(cls):\n    return cls\n",
		"app/api.py": `# Llamadas 📞
from app.services import Abstracto, Plain, Punto, Registered


def usar() -> list:
    plano = Plain()
    plano.extra = lambda: "añadido a mano ✋"
    return [
        plano.extra(),
        Registered().pong(),
        Abstracto().pong(),
        Punto(1, 2).normal(),
    ]
`,
	})
	if d := diags["app/services.py"]; len(d) != 0 {
		t.Errorf("calls on self/cls must stay silent, got %q", d[0].Message)
	}
	got := diags["app/api.py"]
	if len(got) != 1 || !strings.Contains(got[0].Message, "`Punto(1, 2).normal` does not exist") {
		t.Fatalf("want only Punto(1, 2).normal, got %v", got)
	}
	if out := fixed(t, srcs["app/api.py"], got[0]); !strings.Contains(out, "Punto(1, 2).norma()") {
		t.Errorf("fix should call norma:\n%s", out)
	}
}
