package pymodel

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// testIndex is a workspace of in-memory modules for the evaluator.
type testIndex struct {
	mods  map[string]*Module
	flows map[*Function][][]Flow
}

func (ix *testIndex) Module(name string) *Module       { return ix.mods[name] }
func (ix *testIndex) ParamFlows(fn *Function) [][]Flow { return ix.flows[fn] }

func build(t *testing.T, files map[string]string) (*testIndex, map[string]*File) {
	t.Helper()
	ix := &testIndex{mods: map[string]*Module{}, flows: map[*Function][][]Flow{}}
	out := map[string]*File{}
	for name, src := range files {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		isPkg := strings.HasSuffix(name, ".__init__")
		modName := strings.TrimSuffix(name, ".__init__")
		m := Build(tree, modName, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", isPkg)
		ix.mods[modName] = m
		out[modName] = &File{Module: m, Tree: tree, Src: tree.Src}
	}
	ev := NewEvaluator(ix, Options{AsyncSessionDependencies: []string{"get_configured_db"}})
	for _, f := range out {
		f.Eval = ev
	}
	return ix, out
}

// nodeAt finds the node spanning exactly needle inside the first match of
// context (which must contain needle) in f.
func nodeAt(t *testing.T, f *File, context, needle string) pysyntax.Node {
	t.Helper()
	src := string(f.Src)
	c := strings.Index(src, context)
	if c < 0 {
		t.Fatalf("context %q not found", context)
	}
	i := strings.Index(context, needle)
	if i < 0 {
		t.Fatalf("%q is not in context %q", needle, context)
	}
	off := c + i
	n := f.Tree.DescendantAt(off, off+len(needle))
	for !n.IsNull() && (n.Start() != off || n.End() != off+len(needle)) {
		n = n.Parent()
	}
	if n.IsNull() {
		t.Fatalf("no node spans %q", needle)
	}
	return n
}

const sessionModule = `
from collections.abc import AsyncGenerator, Generator
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker(bind=engine)
AsyncSessionLocal = async_sessionmaker(create_async_engine("postgresql+asyncpg://"))
LegacyAsync = sessionmaker(engine, class_=AsyncSession)


def get_db() -> Generator[Session, None, None]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


async def get_async_db():
    # Sin anotación: lo decide el yield 🚀
    async with AsyncSessionLocal() as session:
        yield session
`

func TestSessionKinds(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.db.session": sessionModule,
		"app.api.users": `
from typing import Annotated, Optional
from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession as AS
from app.db.session import get_db, get_async_db, AsyncSessionLocal, LegacyAsync
from app.db import session as dbs


async def a(db: AS = Depends(get_db)):
    db  # a


async def b(db: Optional["AS"], s2: AS | None, s3: Annotated[AS, Depends(get_db)]):
    db, s2, s3  # b


async def c(db = Depends(get_async_db), other = Depends(dbs.get_async_db), cfg = Depends(get_configured_db)):
    db, other, cfg  # c


async def d():
    async with AsyncSessionLocal() as s:
        s  # d
    legacy = LegacyAsync()
    legacy  # e
    with dbs.SessionLocal() as sync:
        sync  # f


class Service:
    def __init__(self, db: AS):
        self.db = db

    def run(self):
        self.db  # g
`,
	})
	f := files["app.api.users"]
	cases := []struct {
		context, needle string
		want            VKind
	}{
		{"db  # a", "db", SyncSession},                 // Depends(get_db) beats the AsyncSession annotation
		{"db, s2, s3  # b", "db", AsyncSession},        // Optional["AS"] string annotation
		{"db, s2, s3  # b", "s2", AsyncSession},        // AS | None
		{"db, s2, s3  # b", "s3", SyncSession},         // Annotated[…, Depends(get_db)]
		{"db, other, cfg  # c", "db", AsyncSession},    // async generator yielding from async_sessionmaker
		{"db, other, cfg  # c", "other", AsyncSession}, // through a module attribute
		{"db, other, cfg  # c", "cfg", AsyncSession},   // configured dependency name
		{"s  # d", "s", AsyncSession},                  // async with AsyncSessionLocal() as s
		{"legacy  # e", "legacy", AsyncSession},        // sessionmaker(class_=AsyncSession)
		{"sync  # f", "sync", SyncSession},             // with SessionLocal() as sync
		{"self.db  # g", "self.db", AsyncSession},      // self.db assigned in __init__
	}
	for _, c := range cases {
		n := nodeAt(t, f, c.context, c.needle)
		if got := f.Value(n).Kind; got != c.want {
			t.Errorf("%s in %q: got %s, want %s", c.needle, c.context, got, c.want)
		}
	}
}

func TestNamesDoNotDecide(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.services.user": `
class UserService:
    def get_user_async(self, db, uid):
        return db.get(User, uid)

    async def get_user(self, db, uid):
        return await db.get(User, uid)


user_service = UserService()
`,
		"app.api.r": `
from app.services.user import user_service as svc
from app.services import user


async def h(db):
    svc.get_user_async(db, 1)
    svc.get_user(db, 1)
    user.user_service.get_user(db, 1)
`,
	})
	f := files["app.api.r"]
	ev := f.Eval
	syncM := f.Value(nodeAt(t, f, "svc.get_user_async(", "svc.get_user_async"))
	asyncM := f.Value(nodeAt(t, f, "svc.get_user(", "svc.get_user"))
	viaModule := f.Value(nodeAt(t, f, "user.user_service.get_user(", "user.user_service.get_user"))
	if !ev.IsSyncFunction(syncM) || ev.IsCoroutineFunction(syncM) {
		t.Errorf("get_user_async is a plain def: %+v", syncM)
	}
	if !ev.IsCoroutineFunction(asyncM) || !asyncM.Bound {
		t.Errorf("get_user is a bound coroutine function: %+v", asyncM)
	}
	if !ev.IsCoroutineFunction(viaModule) {
		t.Errorf("module attribute chain should resolve: %+v", viaModule)
	}
}

func TestScopesAndShadowing(t *testing.T) {
	_, files := build(t, map[string]string{
		"m": `
import asyncio
from app.x import select

counter = 0


class K:
    select = "atributo de clase"

    def method(self):
        return select


def f():
    global counter
    counter = 1
    select = "local ñ"
    return select


async def g():
    def inner():
        return select
    return lambda: select
`,
	})
	f := files["m"]
	m := f.Module
	// Inside K.method, the class attribute is not visible: module import.
	n := nodeAt(t, f, "return select\n\n\ndef f", "select")
	bs, where := m.Lookup(f.ScopeOf(n), "select")
	if where != m.Scope || len(bs) != 1 || bs[0].Kind != BindImportFrom {
		t.Errorf("method sees %v in %v", bs, where)
	}
	// f's local select shadows the import.
	n = nodeAt(t, f, "return select\n\n\nasync", "select")
	if bs, where := m.Lookup(f.ScopeOf(n), "select"); where == m.Scope || bs[0].Kind != BindAssign {
		t.Errorf("local assignment should shadow the import")
	}
	// global counter assigned in f binds at module level.
	if bs, _ := m.Lookup(f.ScopeOf(nodeAt(t, f, "counter = 1", "counter")), "counter"); len(bs) != 2 || bs[1].Value == nil {
		t.Errorf("global counter: %v", bs)
	}
	// Async context: the nested def and the lambda reset it.
	if !f.InAsync(nodeAt(t, f, "return lambda: select", "lambda: select")) {
		t.Error("g's body is async")
	}
	if f.InAsync(nodeAt(t, f, "return select\n    return lambda", "select")) || f.InAsync(nodeAt(t, f, "lambda: select", "select")) {
		t.Error("nested def and lambda bodies are not async context")
	}
}

func TestRelativeImports(t *testing.T) {
	cases := []struct {
		mod   string
		pkg   bool
		level int
		rest  string
		want  string
	}{
		{"app.services.user", false, 1, "", "app.services"},
		{"app.services.user", false, 1, "async_user", "app.services.async_user"},
		{"app.services.user", false, 2, "db", "app.db"},
		{"app.services", true, 1, "user", "app.services.user"},
		{"app.services", true, 2, "", "app"},
		{"app", false, 2, "x", ""},
		{"", false, 1, "x", ""},
	}
	for _, c := range cases {
		if got := ResolveRelative(c.mod, c.pkg, c.level, c.rest); got != c.want {
			t.Errorf("ResolveRelative(%q, %v, %d, %q) = %q, want %q", c.mod, c.pkg, c.level, c.rest, got, c.want)
		}
	}
}

func TestFlowsOverrideAnnotations(t *testing.T) {
	ix, files := build(t, map[string]string{
		"svc": `
from sqlalchemy.orm import Session


def get_user(db: Session, uid: int):
    return db.query(User).get(uid)
`,
	})
	f := files["svc"]
	fn := f.Module.Functions[0]
	flow := Flow{Kind: AsyncSession, Caller: f.Module, Start: 1, End: 3, CallerFunc: "perfil"}
	ix.flows[fn] = [][]Flow{{flow}}
	v := f.Value(nodeAt(t, f, "db.query", "db"))
	if v.Kind != AsyncSession || v.Via == nil || v.Via.CallerFunc != "perfil" {
		t.Errorf("db should be an AsyncSession arriving from perfil, got %+v", v)
	}
}

func TestUseOf(t *testing.T) {
	_, files := build(t, map[string]string{
		"u": `
import asyncio


async def work():
    pass


async def main(tasks):
    await work()
    work()
    x = work()
    y = work()
    await y
    asyncio.gather(work())
    tasks.append(work())
    if work():
        pass
    work().x
    len(work())
    _ = work()
    return work()


def plain():
    return work()
`,
	})
	f := files["u"]
	cases := []struct {
		context string
		want    Use
	}{
		{"await work()", UseAwaited},
		{"    work()\n    x", UseDiscarded},
		{"x = work()", UseAssigned},
		{"y = work()", UseHandedOn},
		{"gather(work())", UseHandedOn},
		{"append(work())", UseHandedOn},
		{"if work():", UseValue},
		{"work().x", UseValue},
		{"len(work())", UseValue},
		{"_ = work()", UseAssigned},
		{"    return work()\n\n\ndef", UseValue},
		{"def plain():\n    return work()", UseHandedOn},
	}
	for _, c := range cases {
		n := nodeAt(t, f, c.context, "work()")
		if got := f.UseOf(n); got != c.want {
			t.Errorf("%q: use %d, want %d", c.context, got, c.want)
		}
	}
}

func TestAnnotationStrings(t *testing.T) {
	for s, ok := range map[string]bool{
		"AsyncSession": true, "Optional[AsyncSession]": true, "AsyncSession | None": true,
		"sqlalchemy.ext.asyncio.AsyncSession": true, "Dict[str, int]": true, "lambda: 1": false, "": false,
	} {
		e := parseAnnotationString(&Expr{Op: OpStr, Name: s})
		if (e != nil) != ok {
			t.Errorf("parseAnnotationString(%q) = %v", s, e)
		}
	}
}

// ShapeHash ignores what only moves code (comments, blank lines, edits
// that shift offsets) and sees what other modules can observe.
func TestShapeHash(t *testing.T) {
	base := `from sqlalchemy.orm import Session


def get_user(db: Session, uid: int):
    # Obtener el usuario 🚀
    return db.query(User).get(uid)
`
	shape := func(src string) uint64 {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return ShapeHash(Build(tree, "app.svc", "/ws/app/svc.py", false))
	}
	h := shape(base)
	if h != shape(base) {
		t.Fatal("not deterministic")
	}
	same := []string{
		"# Cabecera nueva ñ\n\n" + base,
		strings.Replace(base, "# Obtener el usuario 🚀", "# Buscar al socio por id (año 2024)", 1),
		strings.Replace(base, "return db", "if uid < 0:\n        raise ValueError\n    return db", 1),
	}
	for _, s := range same {
		if shape(s) != h {
			t.Errorf("shape changed by an edit others cannot see:\n%s", s)
		}
	}
	different := []string{
		strings.Replace(base, "def get_user", "async def get_user", 1),
		strings.Replace(base, "uid: int", "uid: str", 1),
		strings.Replace(base, "get(uid)", "get(uid, with_for_update=True)", 1),
		base + "\n\ndef otra():\n    pass\n",
		strings.Replace(base, "return db", "x = 1 + 2\n    return db", 1), // a new binding

		strings.Replace(base, "from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession as Session", 1),
	}
	for _, s := range different {
		if shape(s) == h {
			t.Errorf("shape missed a visible change:\n%s", s)
		}
	}
}
