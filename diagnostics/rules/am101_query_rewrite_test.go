package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// tableFacts answers the translator from source text: what each query
// argument is, and what each `Entity.attr` is.
type tableFacts struct {
	entities map[string]pymodel.ORMKind
	attrs    map[string]pymodel.ORMKind
}

func (f tableFacts) Entity(n pysyntax.Node) pymodel.ORMKind { return f.entities[n.Text()] }
func (f tableFacts) Relationship(path pysyntax.Node) pymodel.ORMKind {
	return f.attrs[path.Text()]
}
func (f tableFacts) Attr(entity pysyntax.Node, name string) pymodel.ORMKind {
	return f.attrs[entity.Text()+"."+name]
}
func (f tableFacts) Loader(callee pysyntax.Node) string {
	switch t := callee.Text(); t {
	case "joinedload", "selectinload", "subqueryload", "contains_eager", "defaultload", "Load":
		return t
	}
	return ""
}

var gym = tableFacts{
	entities: map[string]pymodel.ORMKind{
		"User": pymodel.ORMEntity, "Workout": pymodel.ORMEntity, "Trainer": pymodel.ORMEntity, "Usuario": pymodel.ORMEntity,
		"User.id": pymodel.ORMColumn, "User.email": pymodel.ORMColumn, "Workout.tipo": pymodel.ORMColumn,
		"func.count(Workout.id)": pymodel.ORMColumn, "func.max(Workout.fecha)": pymodel.ORMColumn,
	},
	attrs: map[string]pymodel.ORMKind{
		"User.workouts": pymodel.ORMCollection, "User.trainer": pymodel.ORMToOne, "Workout.user": pymodel.ORMToOne,
		"Workout.trainer": pymodel.ORMToOne, "Trainer.clientes": pymodel.ORMCollection, "User.avisos": pymodel.ORMDynamic,
		"User.email": pymodel.ORMColumn, "User.legacy": pymodel.ORMRelationship,
	},
}

func TestRewriteQuery(t *testing.T) {
	cases := []struct {
		name, chain string
		want        string // the rewritten expression, or "!reason substring"
		needs       string
	}{
		// Terminals.
		{"all", `db.query(User).all()`, `(await db.execute(select(User))).scalars().all()`, "select"},
		{"first adds limit", `db.query(User).filter(User.email == e).first()`,
			`(await db.execute(select(User).where(User.email == e).limit(1))).scalars().first()`, "select"},
		{"one", `db.query(User).filter(User.id == 1).one()`, `(await db.execute(select(User).where(User.id == 1))).scalars().one()`, "select"},
		{"one_or_none", `db.query(User).filter(User.id == 1).one_or_none()`,
			`(await db.execute(select(User).where(User.id == 1))).scalars().one_or_none()`, "select"},
		{"scalar on a column", `db.query(func.max(Workout.fecha)).filter(Workout.user_id == u).scalar()`,
			`(await db.execute(select(func.max(Workout.fecha)).where(Workout.user_id == u))).scalar_one_or_none()`, "select"},
		{"scalar on an entity", `db.query(User).filter(User.id == 1).scalar()`,
			`(await db.execute(select(User).where(User.id == 1))).scalar_one_or_none()`, "select"},
		{"count over a subquery", `db.query(User).filter(User.activo.is_(True)).count()`,
			`(await db.execute(select(func.count()).select_from(select(User).where(User.activo.is_(True)).subquery()))).scalar_one()`, "func select"},
		{"count ignores de-duplication", `db.query(User).join(User.workouts).count()`,
			`(await db.execute(select(func.count()).select_from(select(User).join(User.workouts).subquery()))).scalar_one()`, "func select"},
		{"get", `db.query(User).get(user_id)`, `await db.get(User, user_id)`, ""},
		{"get with options", `db.query(User).options(joinedload(User.workouts)).get(5)`,
			`await db.get(User, 5, options=[joinedload(User.workouts)])`, ""},
		{"get as an attribute base", `db.query(User).get(5).email`, `(await db.get(User, 5)).email`, ""},
		{"stray await on the list", `await db.query(User).all()`, `(await db.execute(select(User))).scalars().all()`, "select"},
		{"stray await on get", `await db.query(User).get(1)`, `await db.get(User, 1)`, ""},
		{"receiver expression", `self.db.query(User).all()`, `(await self.db.execute(select(User))).scalars().all()`, "select"},

		// Clauses.
		{"clauses kept, filter renamed", `db.query(Workout).filter_by(tipo=t).order_by(Workout.fecha.desc()).offset(5).limit(10).all()`,
			`(await db.execute(select(Workout).filter_by(tipo=t).order_by(Workout.fecha.desc()).offset(5).limit(10))).scalars().all()`, "select"},
		{"group_by and having", `db.query(Workout.tipo).group_by(Workout.tipo).having(func.count() > 2).all()`,
			`(await db.execute(select(Workout.tipo).group_by(Workout.tipo).having(func.count() > 2))).all()`, "select"},
		{"outerjoin isouter", `db.query(User).outerjoin(User.trainer).join(Workout, Workout.user_id == User.id, isouter=True).filter(x).distinct().all()`,
			`(await db.execute(select(User).outerjoin(User.trainer).join(Workout, Workout.user_id == User.id, isouter=True).where(x).distinct())).scalars().all()`, "select"},
		{"non-ASCII text keeps its bytes", `db.query(Usuario).filter(Usuario.año == 2024, Usuario.nombre == "Ñandú 🦤").first()`,
			`(await db.execute(select(Usuario).where(Usuario.año == 2024, Usuario.nombre == "Ñandú 🦤").limit(1))).scalars().first()`, "select"},
		{"multi-line chain keeps comments and layout", "(\n        db.query(User)  # socios 🏋️\n        .filter(User.activo)\n        # sin límite\n        .all()\n    )",
			"(\n        (await db.execute(select(User)  # socios 🏋️\n        .where(User.activo)\n        # sin límite\n        )).scalars().all()\n    )", "select"},

		// Rows, not scalars.
		{"several entities", `db.query(User, Workout).join(Workout, Workout.user_id == User.id).all()`,
			`(await db.execute(select(User, Workout).join(Workout, Workout.user_id == User.id))).all()`, "select"},
		{"one column", `db.query(Workout.tipo).distinct().all()`, `(await db.execute(select(Workout.tipo).distinct())).all()`, "select"},
		{"columns first", `db.query(User.id, User.email).first()`, `(await db.execute(select(User.id, User.email).limit(1))).first()`, "select"},
		{"columns one", `db.query(func.count(Workout.id), func.max(Workout.fecha)).one()`,
			`(await db.execute(select(func.count(Workout.id), func.max(Workout.fecha)))).one()`, "select"},
		{"unknown arguments without joins", `db.query(a, b).all()`, `(await db.execute(select(a, b))).all()`, "select"},

		// De-duplication the legacy Query did.
		{"collection join", `db.query(User).join(User.workouts).all()`, `(await db.execute(select(User).join(User.workouts))).scalars().unique().all()`, "select"},
		{"collection join, one", `db.query(User).join(User.workouts).filter(User.id == 1).one()`,
			`(await db.execute(select(User).join(User.workouts).where(User.id == 1))).scalars().unique().one()`, "select"},
		{"collection join, scalar", `db.query(User).join(User.workouts).scalar()`,
			`(await db.execute(select(User).join(User.workouts))).unique().scalar_one_or_none()`, "select"},
		{"collection join, first reads one row", `db.query(User).join(User.workouts).first()`,
			`(await db.execute(select(User).join(User.workouts).limit(1))).scalars().first()`, "select"},
		{"collection join with distinct", `db.query(Trainer).join(Trainer.clientes).distinct().all()`,
			`(await db.execute(select(Trainer).join(Trainer.clientes).distinct())).scalars().all()`, "select"},
		{"to-one join", `db.query(Workout).join(Workout.trainer).all()`, `(await db.execute(select(Workout).join(Workout.trainer))).scalars().all()`, "select"},
		{"relationship of unknown cardinality", `db.query(User).join(User.legacy).all()`,
			`(await db.execute(select(User).join(User.legacy))).scalars().unique().all()`, "select"},
		{"join target with onclause", `db.query(User).join(Workout, Workout.user_id == User.id).all()`,
			`(await db.execute(select(User).join(Workout, Workout.user_id == User.id))).scalars().unique().all()`, "select"},
		{"columns over a collection join", `db.query(User.email).join(User.workouts).all()`,
			`(await db.execute(select(User.email).join(User.workouts))).all()`, "select"},
		{"rows with an entity over a collection join", `db.query(User, User.email).join(User.workouts).all()`,
			`(await db.execute(select(User, User.email).join(User.workouts))).unique().all()`, "select"},
		{"joinedload of a collection", `db.query(User).options(joinedload(User.workouts)).all()`,
			`(await db.execute(select(User).options(joinedload(User.workouts)))).scalars().unique().all()`, "select"},
		{"joinedload of a collection, first", `db.query(User).options(joinedload(User.workouts)).first()`,
			`(await db.execute(select(User).options(joinedload(User.workouts)).limit(1))).scalars().unique().first()`, "select"},
		{"joinedload of a collection, distinct", `db.query(User).options(joinedload(User.workouts)).distinct().all()`,
			`(await db.execute(select(User).options(joinedload(User.workouts)).distinct())).scalars().unique().all()`, "select"},
		{"joinedload to-one", `db.query(Workout).options(joinedload(Workout.trainer)).all()`,
			`(await db.execute(select(Workout).options(joinedload(Workout.trainer)))).scalars().all()`, "select"},
		{"collection at the second hop", `db.query(Workout).options(joinedload(Workout.user).joinedload(User.workouts)).all()`,
			`(await db.execute(select(Workout).options(joinedload(Workout.user).joinedload(User.workouts)))).scalars().unique().all()`, "select"},
		{"selectinload of a collection", `db.query(User).options(selectinload(User.workouts)).all()`,
			`(await db.execute(select(User).options(selectinload(User.workouts)))).scalars().all()`, "select"},
		{"Load object", `db.query(Workout).options(Load(Workout).joinedload(Workout.trainer)).all()`,
			`(await db.execute(select(Workout).options(Load(Workout).joinedload(Workout.trainer)))).scalars().all()`, "select"},
		{"options we cannot read", `db.query(User).options(*opciones).all()`,
			`(await db.execute(select(User).options(*opciones))).scalars().unique().all()`, "select"},

		// No mechanical equivalent.
		{"from_self", `db.query(Workout).limit(10).from_self().order_by(Workout.id).all()`, "!`.from_self()` has no select() equivalent", ""},
		{"aliased join", `db.query(User).join(User.trainer, aliased=True).all()`, "!aliased", ""},
		{"string join", `db.query(User).join("workouts").all()`, "!names a relationship with a string", ""},
		{"string loader", `db.query(User).options(joinedload("workouts")).all()`, "!loader option names a relationship with a string", ""},
		{"string at a later hop", `db.query(Workout).options(joinedload(Workout.user).joinedload("workouts")).all()`, "!with a string", ""},
		{"tuple join", `db.query(User).join((Workout, Workout.user_id == User.id)).all()`, "!legacy tuple form", ""},
		{"chained join", `db.query(User).join(User.workouts, Workout.user).all()`, "!chain of relationships", ""},
		{"dynamic relationship after get", `db.query(User).get(1).avisos.filter(x).all()`, "!dynamic relationship", ""},
		{"queried like a dynamic relationship", `db.query(Cliente).get(1).pedidos.filter(x).all()`, "!queried like a dynamic relationship", ""},
		{"not run here", `db.query(User).filter(x)`, "!not run in this expression", ""},
		{"statement attribute", `db.query(User).statement`, "!not run in this expression", ""},
		{"with_entities", `db.query(User).with_entities(User.id).all()`, "!`.with_entities()` is not rewritten automatically", ""},
		{"subquery", `db.query(User.id).filter(x).subquery()`, "!`.subquery()` is not rewritten automatically", ""},
		{"values", `db.query(User).values(User.id)`, "!`.values()` has no select() equivalent", ""},
		{"unknown single argument", `db.query(x).all()`, "!may be an entity or a column", ""},
		{"unknown arguments over a join", `db.query(a, b).join(User.workouts).all()`, "!de-duplicated", ""},
		{"starred entities", `db.query(*cols).all()`, "!not listed", ""},
		{"get after filter", `db.query(User).filter(x).get(1)`, "!Session.get() equivalent", ""},
		{"get with a comment inside", "(db.query(User)  # 🔑\n .get(1))", "!comments", ""},
		{"terminal with arguments", `db.query(User).all(5)`, "!called with arguments", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := "async def f(db):\n    return "
			src := prefix + c.chain + "\n"
			tree, err := pysyntax.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var query pysyntax.Node
			tree.Root().Walk(func(n pysyntax.Node) bool {
				if query.IsNull() && n.Is(pysyntax.Call) && n.ChildByField(pysyntax.FieldFunction).Is(pysyntax.Attribute) &&
					n.ChildByField(pysyntax.FieldFunction).ChildByField(pysyntax.FieldAttribute).TextIs("query") {
					query = n
				}
				return query.IsNull()
			})
			if query.IsNull() {
				t.Fatalf("no query call in %q", c.chain)
			}
			rw, why := rewriteQuery(tree.Src, parseQueryChain(query), gym)
			if strings.HasPrefix(c.want, "!") {
				if why == "" {
					t.Fatalf("want no rewrite (%s), got edits %+v", c.want[1:], rw.Edits)
				}
				if !strings.Contains(why, c.want[1:]) {
					t.Errorf("reason %q does not say %q", why, c.want[1:])
				}
				return
			}
			if why != "" {
				t.Fatalf("no rewrite: %s", why)
			}
			out, err := fixer.Apply(tree.Src, rw.Edits)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.TrimSuffix(strings.TrimPrefix(string(out), prefix), "\n")
			if got != c.want {
				t.Errorf("\n got: %s\nwant: %s", got, c.want)
			}
			if n := strings.Join(rw.Needs, " "); n != c.needs {
				t.Errorf("needs %q, want %q", n, c.needs)
			}
			if !strings.Contains(rw.Title, "`") {
				t.Errorf("title %q shows no code", rw.Title)
			}
			if fixed, err := pysyntax.Parse(out); err != nil || fixed.HasError() {
				t.Errorf("the rewrite does not parse: %s", out)
			}
		})
	}
}
