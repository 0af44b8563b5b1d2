package pymodel

import "testing"

// A module that hands globals() to other code at module level (generated
// protobuf modules define their messages so) may have any name; one that
// only reads globals() inside a function is still fully known.
func TestModuleGlobalsHandedOut(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.mensajes_pb2": `
from google.protobuf.internal import builder as _builder

DESCRIPTOR = object()
_globals = globals()
_builder.BuildTopDescriptorsAndMessages(DESCRIPTOR, "mensajes_pb2", _globals)  # 📨
`,
		"app.registro": `
REGISTRO = {}


def registrar(nombre):
    return globals().get(nombre)
`,
	})
	if exists, certain := files["app.mensajes_pb2"].Eval.HasName(files["app.mensajes_pb2"].Module, "Reserva"); exists || certain {
		t.Errorf("HasName(Reserva) in a module filled through globals() = %v, %v; want false, false", exists, certain)
	}
	if exists, certain := files["app.registro"].Eval.HasName(files["app.registro"].Module, "Reserva"); exists || !certain {
		t.Errorf("HasName(Reserva) = %v, %v; want false, true", exists, certain)
	}
}
