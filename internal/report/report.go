// Package report measures a migration: every FastAPI route with its
// method, path, handler, sync or async status and the findings inside it;
// counts per router file and per tier (from [tool.asyncmig.tiers]); and the
// legacy sync modules that still have importers although their async twin
// exists. It renders text, markdown, JSON and a self-contained HTML page.
package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	wsindex "github.com/asyncmig/asyncmig/internal/workspace" // the tests have a fixture named workspace
)

// Status is where an endpoint stands in the migration.
type Status string

const (
	StatusSync     Status = "sync"           // still a plain def
	StatusMigrated Status = "migrated"       // async def, no findings
	StatusFindings Status = "async-findings" // async def with asyncmig findings
)

// Route is one FastAPI endpoint.
type Route struct {
	Method   string         `json:"method"`
	Path     string         `json:"path"`
	Handler  string         `json:"handler"`
	File     string         `json:"file"`
	Line     int            `json:"line"`
	Async    bool           `json:"async"`
	Status   Status         `json:"status"`
	Findings int            `json:"findings"`
	Codes    map[string]int `json:"codes,omitempty"`
	Tier     string         `json:"tier,omitempty"`
}

// Group counts the routes of a router file or a tier.
type Group struct {
	Name         string  `json:"name"`
	Total        int     `json:"total"`
	Sync         int     `json:"sync"`
	Migrated     int     `json:"migrated"`
	WithFindings int     `json:"async_with_findings"`
	Percent      float64 `json:"percent_migrated"`
}

func (g *Group) add(r Route) {
	g.Total++
	switch r.Status {
	case StatusSync:
		g.Sync++
	case StatusMigrated:
		g.Migrated++
	case StatusFindings:
		g.WithFindings++
	}
	g.Percent = percent(g.Migrated, g.Total)
}

func percent(n, total int) float64 {
	if total == 0 {
		return 100
	}
	return float64(int(float64(n)*1000/float64(total)+0.5)) / 10
}

// Twin is a sync module with its async twin.
type Twin struct {
	Sync      string   `json:"sync"`
	Async     string   `json:"async"`
	SyncFile  string   `json:"sync_file"`
	Importers []string `json:"importers"` // modules still importing the sync one
}

// Report is the whole migration state.
type Report struct {
	Root   string  `json:"root"`
	Total  Group   `json:"total"`
	Tiers  []Group `json:"tiers"`
	Files  []Group `json:"files"`
	Routes []Route `json:"routes"`
	Twins  []Twin  `json:"twins"`
	// Legacy counts twins whose sync module still has importers: the files
	// blocking "0 legacy sync files".
	Legacy int `json:"legacy_with_importers"`
}

// Build computes the report from a checked project.
func Build(p *project.Project, results map[*project.File]diagnostics.Result) *Report {
	in := Input{Root: p.Root, Config: p.Config, Workspace: p.Workspace}
	for _, f := range p.Files {
		if f.Module == nil {
			continue
		}
		in.Files = append(in.Files, Source{Path: f.Path, Src: f.Src, Module: f.Module, Diagnostics: results[f].Diagnostics})
	}
	return Compute(in)
}

// Input is what a report is computed from, for callers that hold a
// workspace index rather than a loaded project (the language server).
type Input struct {
	Root      string
	Config    *config.Config // the root's configuration (tiers)
	Workspace *wsindex.Workspace
	// Files are the modules to look for routes in and for include_router
	// calls; every module of the workspace, so prefixes resolve.
	Files []Source
}

// Source is one file of the input.
type Source struct {
	Path   string // absolute
	Module *pymodel.Module
	// Src is the text Module was built from, and Diagnostics its findings;
	// both matter only in files that have route handlers.
	Src         []byte
	Diagnostics []diagnostics.Diagnostic
}

// Compute computes the report.
func Compute(in Input) *Report {
	r := &Report{Root: in.Root}
	cfg := in.Config
	if cfg == nil {
		cfg = config.Default()
	}
	ev := in.Workspace.Evaluator()
	mounts := collectMounts(in, ev)
	for _, f := range in.Files {
		if f.Module == nil {
			continue
		}
		rel := relPath(in.Root, f.Path)
		for _, fn := range f.Module.Functions {
			routes := routesOf(ev, f.Module, fn, mounts)
			if len(routes) == 0 {
				continue
			}
			a := Assess(fn, f.Diagnostics)
			for _, rt := range routes {
				rt.File, rt.Line = rel, lineOf(f.Src, int(fn.NameStart))
				rt.Handler = fn.Qual
				rt.Async = fn.Async
				rt.Status, rt.Findings, rt.Codes = a.Status, a.Findings, a.Codes
				rt.Tier = tierOf(cfg.Tiers, rel, rt.Path)
				r.Routes = append(r.Routes, rt)
			}
		}
	}
	sort.SliceStable(r.Routes, func(i, j int) bool {
		a, b := r.Routes[i], r.Routes[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	r.Total.Name = "all"
	files := map[string]*Group{}
	tiers := map[string]*Group{}
	for _, t := range cfg.Tiers {
		tiers[t.Name] = &Group{Name: t.Name, Percent: 100}
	}
	for _, rt := range r.Routes {
		r.Total.add(rt)
		if files[rt.File] == nil {
			files[rt.File] = &Group{Name: rt.File}
		}
		files[rt.File].add(rt)
		name := rt.Tier
		if name == "" {
			name = "(no tier)"
		}
		if tiers[name] == nil {
			tiers[name] = &Group{Name: name}
		}
		tiers[name].add(rt)
	}
	if len(r.Routes) == 0 {
		r.Total.Percent = 100
	}
	for _, t := range cfg.Tiers {
		r.Tiers = append(r.Tiers, *tiers[t.Name])
	}
	if g := tiers["(no tier)"]; g != nil {
		r.Tiers = append(r.Tiers, *g)
	}
	for _, g := range files {
		r.Files = append(r.Files, *g)
	}
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Name < r.Files[j].Name })
	r.Twins = twins(in)
	for _, t := range r.Twins {
		if len(t.Importers) > 0 {
			r.Legacy++
		}
	}
	return r
}

// Handler is a function that FastAPI route decorators register.
type Handler struct {
	Func *pymodel.Function
	// Routes has the method and path of each of its route decorators, as
	// written: without the prefixes of the routers it is mounted under.
	Routes []Route
}

// Handlers lists m's route handlers in the order of m.Functions: the
// functions a decorator such as @router.get(...) or @app.post(...) registers
// on an APIRouter or FastAPI instance, however it was imported. The report
// finds its routes the same way.
func Handlers(ev *pymodel.Evaluator, m *pymodel.Module) []Handler {
	if m == nil {
		return nil
	}
	var out []Handler
	for _, fn := range m.Functions {
		if routes := routesOf(ev, m, fn, nil); len(routes) > 0 {
			out = append(out, Handler{Func: fn, Routes: routes})
		}
	}
	return out
}

// Assessment is where one handler stands in the migration.
type Assessment struct {
	Status   Status
	Findings int
	Codes    map[string]int // findings per rule code; nil when none
}

// Assess rates handler fn from the diagnostics of its file: a plain def is
// sync; an async def is migrated unless findings (diagnostics starting
// inside it, information ones excepted) remain.
func Assess(fn *pymodel.Function, diags []diagnostics.Diagnostic) Assessment {
	var a Assessment
	for _, d := range diags {
		if d.Start >= int(fn.Start) && d.Start < int(fn.End) && d.Severity != diagnostics.SeverityInformation {
			if a.Codes == nil {
				a.Codes = map[string]int{}
			}
			a.Codes[d.Code]++
			a.Findings++
		}
	}
	switch {
	case !fn.Async:
		a.Status = StatusSync
	case a.Findings > 0:
		a.Status = StatusFindings
	default:
		a.Status = StatusMigrated
	}
	return a
}

// Label is the assessment in a few words: "async ✓",
// "sync — not migrated", "async — 2 findings".
func (a Assessment) Label() string {
	switch a.Status {
	case StatusSync:
		return "sync — not migrated"
	case StatusMigrated:
		return "async ✓"
	}
	return fmt.Sprintf("async — %d finding%s", a.Findings, plural(a.Findings))
}

func tierOf(tiers []config.Tier, rel, route string) string {
	for _, t := range tiers {
		if t.MatchFile(rel) || route != "" && t.MatchRoute(route) {
			return t.Name
		}
	}
	return ""
}

func twins(in Input) []Twin {
	var out []Twin
	for _, m := range in.Workspace.Modules() {
		if m.Name == "" {
			continue
		}
		async := in.Workspace.AsyncTwinModule(m.Name)
		if async == "" {
			continue
		}
		t := Twin{Sync: m.Name, Async: async, SyncFile: relPath(in.Root, m.Path)}
		seen := map[string]bool{}
		for _, imp := range in.Workspace.Importers(m.Name) {
			if imp.Module == m.Name || seen[imp.Module] {
				continue
			}
			seen[imp.Module] = true
			t.Importers = append(t.Importers, imp.Module)
		}
		sort.Strings(t.Importers)
		out = append(out, t)
	}
	return out
}

func relPath(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return strings.Count(string(src[:off]), "\n") + 1
}

// routerClasses are the FastAPI classes whose decorators register routes.
var routerClasses = map[string]bool{
	"fastapi.APIRouter": true, "fastapi.routing.APIRouter": true,
	"fastapi.FastAPI": true, "fastapi.applications.FastAPI": true,
}

var httpMethods = map[string]string{
	"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
	"head": "HEAD", "options": "OPTIONS", "trace": "TRACE", "websocket": "WS", "api_route": "",
}

// routesOf lists the routes fn's decorators register.
func routesOf(ev *pymodel.Evaluator, m *pymodel.Module, fn *pymodel.Function, mounts map[string][]string) []Route {
	var out []Route
	scope := m.ScopeAt(int(fn.Start))
	for _, d := range fn.Decorators {
		if d.Op != pymodel.OpCall || d.X == nil || d.X.Op != pymodel.OpAttr {
			continue
		}
		method, ok := httpMethods[d.X.Name]
		if !ok {
			continue
		}
		base := ev.Eval(m, scope, d.X.X)
		if base.Kind != pymodel.ExtInstance || !routerClasses[base.Name] {
			continue
		}
		path := ""
		if a := d.Positional(0); a != nil && a.Op == pymodel.OpStr {
			path = a.Name
		} else if a := d.Keyword("path"); a != nil && a.Op == pymodel.OpStr {
			path = a.Name
		}
		if method == "" {
			method = "GET"
			if ms := d.Keyword("methods"); ms != nil && ms.Op == pymodel.OpTuple {
				var names []string
				for _, x := range ms.Args {
					if x.Op == pymodel.OpStr {
						names = append(names, strings.ToUpper(x.Name))
					}
				}
				if len(names) > 0 {
					method = strings.Join(names, ",")
				}
			}
		}
		prefixes := []string{""}
		if mounts != nil { // nil from Handlers, which wants no prefixes
			if key, ok := routerKey(ev, m, scope, d.X.X); ok && len(mounts[key]) > 0 {
				prefixes = mounts[key]
			}
		}
		out = append(out, Route{Method: method, Path: joinPath(prefixes[0], path)})
	}
	return out
}

func joinPath(prefix, path string) string {
	if prefix == "" {
		return path
	}
	return strings.TrimSuffix(prefix, "/") + path
}
