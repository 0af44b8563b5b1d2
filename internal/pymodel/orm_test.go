package pymodel

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// ormWorkspace is a workspace of already built modules for the ORM tests.
type ormWorkspace map[string]*Module

func (w ormWorkspace) Module(name string) *Module       { return w[name] }
func (w ormWorkspace) ParamFlows(fn *Function) [][]Flow { return nil }

func (w ormWorkspace) build(t *testing.T, name, src string) *Module {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := Build(tree, name, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", false)
	w[name] = m
	return m
}

const ormModels = `# Modelos del gimnasio 🏋️ — socios, rutinas y pagos (año 2024)
from typing import List, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, DynamicMapped, Mapped, WriteOnlyMapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Socio(Base):
    __tablename__ = "socios"
    id: Mapped[int] = mapped_column(primary_key=True)
    año: Mapped[int]
    rutinas: Mapped[list["Rutina"]] = relationship(back_populates="socio")
    pagos: Mapped[List["Pago"]] = relationship()
    etiquetas: Mapped["set[Etiqueta]"] = relationship()
    plan: Mapped[Optional["Plan"]] = relationship()
    entrenador: Mapped["Entrenador"] = relationship()
    sede: Mapped["Sede | None"] = relationship()
    avisos: DynamicMapped["Aviso"] = relationship()
    cuotas: WriteOnlyMapped["Cuota"] = relationship()
    notas = relationship("Nota", lazy="dynamic")
    legacy = relationship("Legacy")


class SocioVip(Socio):
    nivel: Mapped[str] = mapped_column(String(20))
`

func TestORMAttr(t *testing.T) {
	ws := ormWorkspace{}
	m := ws.build(t, "app.models", ormModels)
	ev := NewEvaluator(ws, Options{})
	var socio, vip *Class
	for _, c := range m.Classes {
		switch c.Name {
		case "Socio":
			socio = c
		case "SocioVip":
			vip = c
		}
	}
	cases := []struct {
		class *Class
		attr  string
		want  ORMKind
	}{
		{socio, "id", ORMColumn},
		{socio, "año", ORMColumn}, // annotation only, non-ASCII name
		{socio, "rutinas", ORMCollection},
		{socio, "pagos", ORMCollection},
		{socio, "etiquetas", ORMCollection}, // the whole type in a string
		{socio, "plan", ORMToOne},
		{socio, "entrenador", ORMToOne},
		{socio, "sede", ORMToOne},
		{socio, "avisos", ORMDynamic},
		{socio, "cuotas", ORMDynamic},
		{socio, "notas", ORMDynamic},
		{socio, "legacy", ORMRelationship}, // no annotation: cardinality unknown
		{socio, "__tablename__", ORMUnknown},
		{socio, "no_existe", ORMUnknown},
		{vip, "rutinas", ORMCollection}, // inherited
		{vip, "nivel", ORMColumn},
	}
	for _, c := range cases {
		if got := ev.ORMAttr(m, c.class, c.attr); got != c.want {
			t.Errorf("%s.%s: got %s, want %s", c.class.Name, c.attr, got, c.want)
		}
	}
}

func TestQueryEntity(t *testing.T) {
	ws := ormWorkspace{}
	ws.build(t, "app.models", ormModels)
	src := `# Rutas: argumentos de query() 🔎
import app.models
import app.models as modelos
import externo.tablas as tablas
from app import models
from app.models import Socio
from externo import esquemas
from externo.esquemas import Base
from externo.modelos import Cliente
from sqlalchemy import MetaData, Table, func
from sqlalchemy.orm import aliased

usuarios = Table("usuarios", MetaData())
alias_socio = aliased(Socio)

entidad = Socio
columna = Socio.id
relacion = Socio.rutinas
agregado = func.count(Socio.id)
etiqueta = Socio.id.label("número")
externa = Cliente
columna_externa = Cliente.email
por_modulo = esquemas.Cliente
por_modulo_columna = esquemas.Cliente.email
por_alias_de_modulo = tablas.Pedido
por_alias_de_modulo_columna = tablas.Pedido.total
tabla = usuarios
alias = alias_socio
ruta_completa = app.models.Socio
ruta_alias = modelos.Socio.id
submodulo = models.SocioVip
integrado = len
sin_definir = desconocido


def consulta(x):
    return x  # parámetro
`
	m := ws.build(t, "app.routes", src)
	ev := NewEvaluator(ws, Options{})
	want := map[string]ORMKind{
		"entidad": ORMEntity, "columna": ORMColumn, "relacion": ORMUnknown, "agregado": ORMColumn,
		"etiqueta": ORMColumn, "externa": ORMEntity, "columna_externa": ORMColumn, "por_modulo": ORMEntity,
		"por_modulo_columna": ORMColumn, "por_alias_de_modulo": ORMEntity, "por_alias_de_modulo_columna": ORMColumn,
		"tabla": ORMColumn, "alias": ORMEntity, "ruta_completa": ORMEntity, "ruta_alias": ORMColumn,
		"submodulo": ORMEntity, "integrado": ORMUnknown, "sin_definir": ORMUnknown,
	}
	for name, w := range want {
		bs := m.Scope.Names[name]
		if len(bs) != 1 || bs[0].Value == nil {
			t.Fatalf("%s is not a simple assignment", name)
		}
		if got := ev.QueryEntity(m, m.Scope, bs[0].Value); got != w {
			t.Errorf("query(%s): got %s, want %s", name, got, w)
		}
	}
	param := &Expr{Op: OpName, Name: "x"}
	inFunc := m.ScopeAt(strings.Index(src, "return x"))
	if got := ev.QueryEntity(m, inFunc, param); got != ORMUnknown {
		t.Errorf("a parameter: got %s, want unknown", got)
	}
}
