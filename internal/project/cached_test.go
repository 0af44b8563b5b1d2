package project

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/cache"
)

func cacheOpts(build string) *CacheOptions {
	return &CacheOptions{Build: build, Rules: "all"}
}

// run checks root (with or without the cache) and renders every
// diagnostic of every file, so runs can be compared byte for byte.
func run(t *testing.T, root string, opts *CacheOptions) (string, *Project) {
	t.Helper()
	ctx := context.Background()
	p, err := Load(ctx, root, []string{root}, Options{Cache: opts})
	if err != nil {
		t.Fatal(err)
	}
	res := p.Check(ctx, rules.All)
	p.SaveCache(res)
	return render(root, p, res), p
}

func render(root string, p *Project, res map[*File]diagnostics.Result) string {
	type row struct {
		File string
		D    diagnostics.Diagnostic
	}
	var rows []row
	for _, f := range p.Files {
		rel, _ := filepath.Rel(root, f.Path)
		for _, d := range res[f].Diagnostics {
			rows = append(rows, row{rel, d})
		}
	}
	out, _ := json.MarshalIndent(rows, "", " ")
	return string(out)
}

func parsed(p *Project) int {
	n := 0
	for _, f := range p.Files {
		if f.Tree != nil {
			n++
		}
	}
	return n
}

func genWorkspace(t *testing.T) string {
	root := t.TempDir()
	if _, err := benchgen.Generate(root, 40, 3); err != nil {
		t.Fatal(err)
	}
	return root
}

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWarmRunUnchanged(t *testing.T) {
	root := genWorkspace(t)
	cold, p := run(t, root, cacheOpts("b1"))
	if p.warm != nil {
		t.Fatal("first run cannot be warm")
	}
	warm, p2 := run(t, root, cacheOpts("b1"))
	if p2.warm == nil || parsed(p2) != 0 {
		t.Fatalf("unchanged workspace: warm=%v, %d files parsed", p2.warm != nil, parsed(p2))
	}
	if warm != cold {
		t.Fatal("cached results differ from the cold run")
	}
	if !strings.Contains(cold, "AM3") {
		t.Fatal("the generated workspace should have findings")
	}
}

// An edit others cannot see re-checks a few files and must give exactly
// what a cold run gives — positions shifted by the edit included.
func TestWarmRunAfterBodyEdit(t *testing.T) {
	root := genWorkspace(t)
	run(t, root, cacheOpts("b1"))
	// A service module called with sessions from many routers: comments
	// shift every offset below them (related locations into it move).
	svc := filepath.Join(root, "app/services/svc_0.py")
	editFile(t, svc, "class Service0:", "# Revisado por el equipo de plataforma — ¡año 2025! 🚀\n# (sin cambios de comportamiento)\n\n\nclass Service0:")
	router := filepath.Join(root, "app/api/routes/r_0.py")
	editFile(t, router, "router = APIRouter(", "# Nota: ruta revisada ✅\nrouter = APIRouter(")

	want, _ := run(t, root, nil)
	// The cache was written by the first run, before the edits.
	got, p := run(t, root, cacheOpts("b1"))
	if p.warm == nil {
		t.Fatal("a body-only edit should not need a cold run")
	}
	if n := parsed(p); n >= len(p.Files)/2 {
		t.Errorf("%d of %d files parsed for a two-file edit", n, len(p.Files))
	}
	if got != want {
		t.Fatalf("warm results differ from a cold run after the edit\nwant %d bytes, got %d", len(want), len(got))
	}
}

func TestVisibleEditRunsCold(t *testing.T) {
	root := genWorkspace(t)
	run(t, root, cacheOpts("b1"))
	svc := filepath.Join(root, "app/services/svc_0.py")
	editFile(t, svc, "    def get_item_0(", "    async def get_item_0(")
	want, _ := run(t, root, nil)
	got, p := run(t, root, cacheOpts("b1"))
	if p.warm != nil {
		t.Fatal("async-ness changed: the cache must not be used")
	}
	if got != want {
		t.Fatal("results differ from a cold run")
	}
}

func TestBrokenOrForeignCacheFallsBack(t *testing.T) {
	root := genWorkspace(t)
	want, p := run(t, root, cacheOpts("b1"))
	path := cache.Path(filepath.Join(root, cache.DirName), p.cacheKey())
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, corrupt := range map[string][]byte{
		"truncated": data[:len(data)/2],
		"bit flip":  flip(data, len(data)-10),
		"empty":     nil,
		"garbage":   []byte("¡no soy una caché! 🙃"),
	} {
		if err := os.WriteFile(path, corrupt, 0o644); err != nil {
			t.Fatal(err)
		}
		got, p := run(t, root, cacheOpts("b1"))
		if p.warm != nil {
			t.Errorf("%s cache was used", name)
		}
		if got != want {
			t.Errorf("%s cache: results differ", name)
		}
	}
	// Another build (version or binary) never reads this one's snapshot.
	run(t, root, cacheOpts("b1"))
	if _, p := run(t, root, cacheOpts("b2")); p.warm != nil {
		t.Error("a cache from another build was used")
	}
}

func flip(b []byte, i int) []byte {
	out := append([]byte(nil), b...)
	out[i] ^= 0xff
	return out
}

func TestConcurrentRunsShareTheCacheSafely(t *testing.T) {
	root := genWorkspace(t)
	want, _ := run(t, root, nil)
	var wg sync.WaitGroup
	outs := make([]string, 4)
	for i := range outs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			outs[i], _ = run(t, root, cacheOpts("b1"))
		}(i)
	}
	wg.Wait()
	for i, o := range outs {
		if o != want {
			t.Errorf("concurrent run %d differs", i)
		}
	}
	if got, p := run(t, root, cacheOpts("b1")); p.warm == nil || got != want {
		t.Error("the cache left by concurrent runs is not usable")
	}
}

// Refresh in lazy mode loads everything first: facts stay global.
func TestLazyRefreshLoadsAll(t *testing.T) {
	root := genWorkspace(t)
	want, _ := run(t, root, cacheOpts("b1"))
	ctx := context.Background()
	p, err := Load(ctx, root, []string{root}, Options{Cache: cacheOpts("b1")})
	if err != nil || p.warm == nil {
		t.Fatalf("warm load: %v", err)
	}
	before := len(p.Workspace.Modules())
	p.Workspace.Refresh()
	if after := len(p.Workspace.Modules()); after <= before || after != len(p.Files) {
		t.Fatalf("Refresh loaded %d → %d of %d modules", before, after, len(p.Files))
	}
	p.warm = nil // check everything against the refreshed workspace
	for _, f := range p.Files {
		if f.Tree == nil {
			p.setSource(f, f.Src)
			p.Workspace.Put(f.Module)
		}
	}
	p.Workspace.Refresh()
	if got := render(root, p, p.Check(ctx, rules.All)); got != want {
		t.Fatal("results after leaving lazy mode differ from a cold run")
	}
}

// The language server opens a project the CLI checked without parsing,
// and what it then computes matches a full index.
func TestIndexFromCache(t *testing.T) {
	root := genWorkspace(t)
	opts := IndexOptions{Cache: cacheOpts("b1")}
	if _, ok := IndexFromCache(context.Background(), root, opts); ok {
		t.Fatal("no snapshot yet: IndexFromCache must fail")
	}
	// The CLI's key includes the file configurations; Index uses the root
	// configuration for every file, as the CLI does without nested ones.
	run(t, root, cacheOpts("b1"))
	lazy, ok := IndexFromCache(context.Background(), root, opts)
	if !ok {
		t.Fatal("snapshot not used")
	}
	full, err := Index(context.Background(), root, IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lf, ff := lazy.Workspace.Facts(), full.Workspace.Facts()
	a, _ := json.Marshal(lf)
	b, _ := json.Marshal(ff)
	if string(a) != string(b) {
		t.Fatal("facts of the lazy workspace differ from a full index")
	}
	editFile(t, filepath.Join(root, "app/models.py"), "class User(Base):", "class User(Base):  # 👤")
	if _, ok := IndexFromCache(context.Background(), root, opts); ok {
		t.Fatal("a changed file must not open from the cache")
	}
}

// What AM404 may judge depends on files that are not Python: declaring a
// dependency (a new requirements file) or ignoring a path (.gitignore: an
// ignored module may be generated) must not be answered from the cache.
func TestAM404InputsChangeRunsCold(t *testing.T) {
	for name, text := range map[string]string{
		"requirements.txt": "alembic==1.13\n# migraciones 🗃️\n",
		".gitignore":       "# generado 🛠️\n*_pb2.py\n",
	} {
		t.Run(name, func(t *testing.T) {
			root := genWorkspace(t)
			run(t, root, cacheOpts("b1"))
			if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, p := run(t, root, cacheOpts("b1")); p.warm != nil {
				t.Fatalf("a new %s was answered from the cache", name)
			}
		})
	}
}

// The sources file is read only when files changed, and checked by hash:
// a damaged or foreign one makes the run cold, never wrong.
func TestBrokenSourcesFallBack(t *testing.T) {
	root := genWorkspace(t)
	_, p := run(t, root, cacheOpts("b1"))
	src := cache.Path(filepath.Join(root, cache.DirName), p.cacheKey()) + ".src"
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	svc := filepath.Join(root, "app/services/svc_0.py")
	snap, err := cache.Load(filepath.Join(root, cache.DirName), p.cacheKey())
	if err != nil {
		t.Fatal(err)
	}
	e := snap.Files[svc]
	damaged := flip(data, int(e.SrcOff+e.SrcLen/2)) // inside svc_0.py's old text
	if err := os.WriteFile(src, damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, p := run(t, root, cacheOpts("b1")); p.warm == nil {
		t.Fatal("nothing changed: the run should not need the sources")
	}
	editFile(t, svc, "class Service0:", "# otro comentario ✨\nclass Service0:")
	want, _ := run(t, root, nil)
	got, p2 := run(t, root, cacheOpts("b1"))
	if p2.warm != nil {
		t.Error("damaged sources were trusted")
	}
	if got != want {
		t.Error("results differ from a cold run")
	}
}
