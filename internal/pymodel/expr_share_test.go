package pymodel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Build converts each call once and shares its Expr; these tests pin that
// the model still says exactly what converting each node alone says.

func buildSrc(t *testing.T, src string) (*Module, *pysyntax.Tree) {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Build(tree, "app.rutas", "/ws/app/rutas.py", false), tree
}

// sameExpr compares two Exprs field by field, recursively.
func sameExpr(a, b *Expr) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Op != b.Op || a.Name != b.Name || a.Kw != b.Kw || a.Start != b.Start || a.End != b.End || len(a.Args) != len(b.Args) || !sameExpr(a.X, b.X) {
		return false
	}
	for i := range a.Args {
		if !sameExpr(a.Args[i], b.Args[i]) {
			return false
		}
	}
	return true
}

// callNode finds the call node covering exactly [start, end).
func callNode(tree *pysyntax.Tree, start, end int32) pysyntax.Node {
	for i := 0; i < tree.Len(); i++ {
		if n := tree.At(i); n.Is(pysyntax.Call) && n.Start() == int(start) && n.End() == int(end) {
			return n
		}
	}
	return pysyntax.Node{}
}

func TestCallSitesMatchAFreshConversion(t *testing.T) {
	deep := "x"
	for i := 0; i < 30; i++ {
		deep = fmt.Sprintf("envolver_%d(%s)", i, deep)
	}
	src := `# Rutas con sesiones ñandú 🦤
async def ver_señal(db: AsyncSession = Depends(obtener_sesión)):
    resultado = await db.execute(select(Usuario).where(Usuario.año == calcular(db=db, año=ahora())))
    guardar(clave=crear_clave(db), valor=[consulta(db) for _ in rango()])
    return registrar(detalle=formatear("¡hola! 🎉", db=db))

profundo = ` + deep + "\n"
	m, tree := buildSrc(t, src)
	sites := append([]*CallSite(nil), m.Calls...)
	for _, fn := range m.Functions {
		sites = append(sites, fn.Calls...)
	}
	if len(sites) < 40 {
		t.Fatalf("only %d call sites", len(sites))
	}
	for _, cs := range sites {
		n := callNode(tree, cs.Start, cs.End)
		if n.IsNull() {
			t.Fatalf("no call node at %d-%d", cs.Start, cs.End)
		}
		if want := ExprOf(n); !sameExpr(cs.Call, want) {
			t.Errorf("call site %q: the model's Expr differs from ExprOf", n.Text())
		}
		if cs.Call.Kw != "" {
			t.Errorf("call site %q carries keyword %q of the argument it is", n.Text(), cs.Call.Kw)
		}
	}
}

func TestKeywordArgumentsKeepTheirKeyword(t *testing.T) {
	m, _ := buildSrc(t, "resultado = guardar(sesión=crear_sesión(), valor=crear_sesión())\n")
	bs := m.Scope.Names["resultado"]
	if len(bs) != 1 || bs[0].Value == nil {
		t.Fatalf("bindings of resultado: %v", bs)
	}
	call := bs[0].Value
	if got := call.Keyword("sesión"); got == nil || got.Op != OpCall {
		t.Fatalf("guardar(sesión=…) has no sesión= call argument: %+v", call.Args)
	}
	if got := call.Keyword("valor"); got == nil || got.Kw != "valor" {
		t.Errorf("valor= argument: %+v", got)
	}
	// The call site of the inner call is the same call without a keyword.
	for _, cs := range m.Calls {
		if name, _ := cs.Call.X.Dotted(); name == "crear_sesión" && cs.Call.Kw != "" {
			t.Errorf("the call site of crear_sesión() has keyword %q", cs.Call.Kw)
		}
	}
}

// The workspace index keeps a model of every module: nested calls must not
// be held once per level of nesting.
func TestBuildSharesNestedCalls(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "usuario_%d = db.query(Usuario).filter(Usuario.id == obtener(%d)).order_by(Usuario.año).first()\n", i, i)
	}
	m, _ := buildSrc(t, b.String())
	// The binding's value and the outermost call site are one Expr, and the
	// inner call sites point into it rather than holding copies (calls the
	// Expr does not model, inside a comparison, have their own).
	inTree := map[*Expr]bool{}
	byRange := map[[2]int32]*Expr{}
	var mark func(e *Expr)
	mark = func(e *Expr) {
		if e == nil || inTree[e] {
			return
		}
		inTree[e] = true
		if e.Op == OpCall {
			byRange[[2]int32{e.Start, e.End}] = e
		}
		mark(e.X)
		for _, a := range e.Args {
			mark(a)
		}
	}
	for _, bs := range m.Scope.Names {
		for _, bd := range bs {
			mark(bd.Value)
		}
	}
	shared := 0
	for _, cs := range m.Calls {
		e, modelled := byRange[[2]int32{cs.Start, cs.End}]
		if modelled && e != cs.Call {
			t.Fatalf("call site at %d-%d holds its own copy of the expression", cs.Start, cs.End)
		}
		if modelled {
			shared++
		}
	}
	if shared != 50*4 {
		t.Errorf("%d call sites share the assignments' Exprs, want 200", shared)
	}
}
