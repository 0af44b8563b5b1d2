package pymodel

import (
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Calls in lazy setup behind a run-once guard are marked Once; calls that
// run at every call of their function are not.
func TestOnceGuards(t *testing.T) {
	src := `import threading
import time

_motor = None
_candado = threading.Lock()
CACHE = {}


def motor():
    global _motor
    if _motor is None:
        with _candado:
            if _motor is None:
                _motor = conectar_lento("postgresql://gimnasio")
    return _motor


def motor_con_retorno():
    global _motor
    if _motor is not None:
        return _motor
    esperar_base_de_datos()
    _motor = conectar_lento("postgresql://ñandú")
    return _motor


def sin_global():
    _motor = None
    if _motor is None:
        _motor = cada_vez_local()
    return _motor


def por_clave(clave):
    if clave not in CACHE:
        CACHE[clave] = cada_vez_por_clave(clave)
    return CACHE[clave]


def olvida_marcar():
    global _motor
    if _motor is None:
        cada_vez_sin_asignar()


def forzable(forzar=False):
    global _motor
    if _motor is None or forzar:
        _motor = cada_vez_forzado()
    return _motor


def objeto_local():
    servidor = Servidor()
    if not servidor.listo:
        servidor.listo = True
        cada_vez_objeto_nuevo()


class Servidor:
    _instancia = None

    def __init__(self):
        self.listo = False
        self._cliente = None

    def arrancar(self, espera=None):
        if not self.listo and espera is None:
            self.listo = True
            time.sleep(0.1)  # 🚀 una vez por objeto
        registrar_llamada()

    def cliente(self):
        if self._cliente is not None:
            return self._cliente
        self._cliente = crear_cliente_lento()
        return self._cliente

    @classmethod
    def instancia(cls):
        if cls._instancia is None:
            cls._instancia, extra = cls(), crear_extra_lento()
        return cls._instancia

    def reintentar(self):
        if self._cliente is None:
            self._cliente = crear_cliente_lento()
        else:
            cada_vez_en_else()
`
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := Build(tree, "app.arranque", "/ws/app/arranque.py", false)
	once := map[string][]bool{}
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls {
			name, _ := cs.Call.X.Dotted()
			once[name] = append(once[name], cs.Once)
		}
	}
	want := map[string]bool{
		"conectar_lento": true, "esperar_base_de_datos": true, "time.sleep": true,
		"crear_cliente_lento": true, "crear_extra_lento": true,
		"cada_vez_local": false, "cada_vez_por_clave": false, "cada_vez_sin_asignar": false,
		"cada_vez_forzado": false, "cada_vez_objeto_nuevo": false, "registrar_llamada": false,
		"cada_vez_en_else": false, "Servidor": false,
	}
	for name, w := range want {
		if len(once[name]) == 0 {
			t.Errorf("no call of %s found", name)
		}
		for _, got := range once[name] {
			if got != w {
				t.Errorf("%s: Once = %v, want %v", name, got, w)
			}
		}
	}
}
