package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// blockingFunctions are library calls that block the thread they run on
// (RULES.md AM303), by qualified name, with the async twin when there is a
// drop-in one.
var blockingFunctions = func() map[string]string {
	m := map[string]string{
		"time.sleep":             "asyncio.sleep",
		"urllib.request.urlopen": "",
		"subprocess.run":         "", "subprocess.call": "", "subprocess.check_call": "", "subprocess.check_output": "",
	}
	verbs := []string{"get", "post", "put", "patch", "delete", "head", "options", "request"}
	for _, owner := range []string{"requests", "requests.api", "requests.Session", "requests.sessions.Session", "httpx", "httpx.Client"} {
		for _, v := range verbs {
			m[owner+"."+v] = ""
		}
	}
	for _, owner := range []string{"requests.Session", "requests.sessions.Session", "httpx.Client"} {
		m[owner+".send"] = ""
	}
	m["httpx.stream"], m["httpx.Client.stream"] = "", ""
	return m
}()

// blockingPrimitive is a call that blocks by what it calls directly.
type blockingPrimitive struct {
	// Reason says what the call does, for "it …" and "which …" clauses:
	// "calls `time.sleep`", "sends a sync Redis command".
	Reason string
	// Note qualifies a call whose source does not say why it blocks
	// ("a sync Redis command"); empty when the call text is enough.
	Note string
	// Twin is the awaitable drop-in replacement ("asyncio.sleep"), if any.
	Twin string
}

// primitiveBlocking classifies call (code in scope of module m) as a
// blocking library call, a command of a sync Redis client, database I/O
// on a sync Session kept in an attribute, or a call into a module listed
// in blocking-modules. A sync Session parameter or one the function opens
// is AM104's, and its method calls follow from that.
func primitiveBlocking(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr, blockingModules []string) (blockingPrimitive, bool) {
	v := ev.Eval(m, scope, call.X)
	if v.Kind == pymodel.External {
		if twin, ok := blockingFunctions[v.Name]; ok {
			return blockingPrimitive{Reason: "calls `" + v.Name + "`", Twin: twin}, true
		}
		for _, mod := range blockingModules {
			if mod != "" && (v.Name == mod || strings.HasPrefix(v.Name, mod+".")) {
				note := "`" + mod + "` is listed in blocking-modules"
				return blockingPrimitive{Reason: "calls `" + v.Name + "` (" + note + ")", Note: note}, true
			}
		}
	}
	if call.X != nil && call.X.Op == pymodel.OpAttr {
		// The sync client has the same commands as the asyncio one; there
		// they return coroutines, here they block.
		if recv := ev.Eval(m, scope, call.X.X); recv.Kind == pymodel.SyncRedis && pymodel.AsyncRedisCoroutineMethod(call.X.Name) &&
			!awaitsContradictAnnotation(ev, m, scope, call.X.X) {
			return blockingPrimitive{Reason: "sends a sync Redis command", Note: "a sync Redis command"}, true
		}
		if storedSessionIO(ev, m, scope, call) {
			return blockingPrimitive{Reason: "does database I/O on a sync Session", Note: "a sync Session"}, true
		}
	}
	return blockingPrimitive{}, false
}

// storedSessionIO reports a call that talks to the database through a sync
// Session held in an attribute (`self.db.commit()`,
// `self.db.query(User).filter(…).first()`; a query chain counts at the
// call that runs it). The attribute's kind comes from the class (`self.db
// = db` with `db: Session`) and the calls that construct it; a class that
// awaits calls on the same attribute elsewhere in the module holds an
// AsyncSession whatever its annotation says, and proves nothing.
func storedSessionIO(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr) bool {
	method := call.X.Name
	recv := call.X.X
	if !sessionIOMethods[method] || method == "query" || ev.Eval(m, scope, recv).Kind != pymodel.SyncSession {
		if !queryTerminals[method] && method != "delete" && method != "update" { // bulk DELETE/UPDATE run too
			return false
		}
		// Down the chain to the session: s.query(X).filter(…).first().
		for recv != nil && recv.Op == pymodel.OpCall && recv.X != nil && recv.X.Op == pymodel.OpAttr && recv.X.Name != "query" {
			recv = recv.X.X
		}
		if recv == nil || recv.Op != pymodel.OpCall || recv.X == nil || recv.X.Op != pymodel.OpAttr {
			return false
		}
		recv = recv.X.X
		if ev.Eval(m, scope, recv).Kind != pymodel.SyncSession {
			return false
		}
	}
	if recv.Op != pymodel.OpAttr {
		return false // a parameter or a local: AM104's
	}
	spelled, ok := recv.Dotted()
	if !ok {
		return false
	}
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls {
			if cs.Awaited && cs.Call != nil && cs.Call.X != nil && cs.Call.X.Op == pymodel.OpAttr {
				if d, ok := cs.Call.X.X.Dotted(); ok && d == spelled {
					return false
				}
			}
		}
	}
	return true
}

// awaitsContradictAnnotation reports a receiver name whose client kind
// rests on its parameter annotation alone (pymodel.AnnotationOnly) while
// its async def awaits calls on it: `conn: redis.Redis` with
// `await conn.set(…)` runs with an asyncio client, whatever the
// annotation says, so none of its calls provably blocks.
func awaitsContradictAnnotation(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, recv *pymodel.Expr) bool {
	fn := scope.Function()
	if recv == nil || recv.Op != pymodel.OpName || fn == nil || !fn.Async || !ev.AnnotationOnly(m, scope, recv.Name) {
		return false
	}
	param, _ := m.Lookup(scope, recv.Name)
	for _, cs := range fn.Calls {
		if !cs.Awaited || cs.Scope == nil {
			continue
		}
		base := receiverRoot(cs.Call)
		if base == nil || base.Name != recv.Name {
			continue
		}
		if bs, _ := m.Lookup(cs.Scope, base.Name); len(bs) == len(param) && len(bs) > 0 && bs[0] == param[0] {
			return true
		}
	}
	return false
}

// receiverRoot is the name a method call chain starts from: `conn` for
// `conn.ft(name).info()`; nil when it starts elsewhere.
func receiverRoot(call *pymodel.Expr) *pymodel.Expr {
	e := call
	for e != nil && (e.Op == pymodel.OpCall || e.Op == pymodel.OpAttr) {
		if e.Op == pymodel.OpCall && e != call && e.X != nil && e.X.Op != pymodel.OpAttr {
			return nil // f(x).m(): the chain starts at a call of something else
		}
		e = e.X
	}
	if e == nil || e.Op != pymodel.OpName || e == call.X {
		return nil // a plain function call, not a method
	}
	return e
}

// opensSyncSession is AM104's premise for a call: it creates a sync
// Session, from a session factory (`SessionLocal()`, `factory.begin()`) or
// the Session class (`Session(engine)`). A factory known only by its
// conventional name is not sync when the call is entered with `async with`
// (pymodel.ConventionalSyncFactory). `Session()` with no argument is
// bound to no engine: it cannot reach a database (code uses one to work
// out cascades in memory), so it opens nothing that blocks.
func opensSyncSession(ev *pymodel.Evaluator, m *pymodel.Module, cs *pymodel.CallSite) bool {
	scope, call := cs.Scope, cs.Call
	callee := ev.Eval(m, scope, call.X)
	switch callee.Kind {
	case pymodel.SyncSessionFactory:
		return !cs.AsyncEntered || !pymodel.ConventionalSyncFactory(callee)
	case pymodel.External:
		if len(call.Args) == 0 && pymodel.IsSessionClass(callee.Name) {
			return false
		}
		return ev.CallResult(m, scope, call, callee).Kind == pymodel.SyncSession
	}
	return false
}

// maxBlockingDepth bounds how many calls deep the index looks for blocking
// code, and maxBlockingVisits how many functions one question may visit:
// past them a function counts as not blocking (silence over guessing).
const (
	maxBlockingDepth  = 8
	maxBlockingVisits = 512
)

// blockingIndex answers "does calling this project function block the
// event loop?" for one analysis run: a plain def blocks when it opens a
// sync Session, makes a blocking library call, or calls project code that
// blocks — transitively, through the workspace index, with a depth limit
// and cycle safety. What each function calls is computed once and shared
// by every question of the run.
type blockingIndex struct {
	ev              *pymodel.Evaluator
	blockingModules []string
	facts           map[*pymodel.Function]*functionFacts
	sessionParams   map[*pymodel.Function][]*pymodel.Binding
	verdicts        map[*pymodel.Function]*blockingPath // nil value: proven not to block
	// queries holds, per parameter, whether its function does database
	// I/O with it (see paramQueries).
	queries map[*pymodel.Binding]bool
}

func newBlockingIndex(ev *pymodel.Evaluator, blockingModules []string) *blockingIndex {
	return &blockingIndex{
		ev: ev, blockingModules: blockingModules,
		facts:         map[*pymodel.Function]*functionFacts{},
		sessionParams: map[*pymodel.Function][]*pymodel.Binding{},
		verdicts:      map[*pymodel.Function]*blockingPath{},
		queries:       map[*pymodel.Binding]bool{},
	}
}

// blockingSite is a place in the workspace that blocks.
type blockingSite struct {
	Mod        *pymodel.Module
	Start, End int32
}

// blockingPath explains why a call blocks: the project functions it goes
// through (Chain, after the callee itself) and what the last one does.
type blockingPath struct {
	Chain  []string
	Reason string // "opens a sync Session", "calls `time.sleep`", "takes a sync Session (`db`)"
	// Owner is the function Reason is about; Site where it happens.
	Owner string
	Site  blockingSite
}

// functionFacts are what a function's own body does.
type functionFacts struct {
	reason string // why the body blocks by itself ("" when it does not)
	site   blockingSite
	edges  []blockingEdge
}

// blockingEdge is a call from a function's body to a project plain def.
type blockingEdge struct {
	target workspace.Target
	// takes names the sync Session parameter the call fills ("" when none).
	takes string
	site  blockingSite
}

// CallBlocks reports whether call, which runs project target, blocks.
func (ix *blockingIndex) CallBlocks(m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr, target workspace.Target) (blockingPath, bool) {
	if !ix.runsSyncBody(target) {
		return blockingPath{}, false
	}
	if param := ix.takesSession(m, scope, call, target); param != nil {
		return blockingPath{Reason: "takes a sync Session (`" + param.Name + "`)", Owner: target.Func.Qual,
			Site: blockingSite{target.Mod, param.StmtStart, param.StmtEnd}}, true
	}
	return ix.bodyBlocks(target.Func, target.Mod)
}

// runsSyncBody: calling target runs a plain def's body right away (not a
// coroutine, generator or lambda, and no decorator changes that).
func (ix *blockingIndex) runsSyncBody(t workspace.Target) bool {
	fn := t.Func
	if fn == nil || fn.Async || fn.Generator || fn.Lambda {
		return false
	}
	return ix.ev.IsSyncFunction(pymodel.Value{Kind: pymodel.FunctionRef, Func: fn, Mod: t.Mod})
}

// takesSession returns the parameter annotated `Session` that call fills
// with something other than an AsyncSession (an AsyncSession there is
// AM105's fault, not a blocking call) and that the function does database
// I/O with. Receiving a session blocks nothing: constructors are left
// out, and so are functions that only store it, log it or read its
// `info` (a session tracker, an `after_commit` listener).
func (ix *blockingIndex) takesSession(m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr, t workspace.Target) *pymodel.Binding {
	if t.Class != nil || call.HasStarred() {
		return nil
	}
	params, ok := ix.sessionParams[t.Func]
	if !ok {
		for _, p := range t.Func.Params {
			if p.Annot != nil && ix.ev.Annotation(t.Mod, definitionScope(t.Mod, t.Func), p.Annot).Kind == pymodel.SyncSession {
				params = append(params, p)
			}
		}
		ix.sessionParams[t.Func] = params
	}
	for _, p := range params {
		for _, a := range call.Args {
			if workspace.MapArgument(t.Func, call, a, t.SkipSelf) != p {
				continue
			}
			if ix.ev.Eval(m, scope, a).Kind != pymodel.AsyncSession && ix.paramQueries(t.Func, t.Mod, p) {
				return p
			}
		}
	}
	return nil
}

// functionFacts computes (once) what fn's own body calls.
func (ix *blockingIndex) functionFacts(fn *pymodel.Function, mod *pymodel.Module) *functionFacts {
	if fa, ok := ix.facts[fn]; ok {
		return fa
	}
	fa := &functionFacts{}
	ix.facts[fn] = fa
	for _, cs := range fn.Calls {
		if cs.Once {
			continue // lazy setup: blocks the first call only
		}
		site := blockingSite{mod, cs.Start, cs.End}
		if fa.reason == "" {
			if prim, ok := primitiveBlocking(ix.ev, mod, cs.Scope, cs.Call, ix.blockingModules); ok {
				fa.reason, fa.site = prim.Reason, site
			} else if opensSyncSession(ix.ev, mod, cs) {
				fa.reason, fa.site = "opens a sync Session", site
			}
		}
		t, ok := workspace.ResolveCall(ix.ev, mod, cs.Scope, cs.Call)
		if !ok || !ix.runsSyncBody(t) {
			continue
		}
		e := blockingEdge{target: t, site: site}
		if p := ix.takesSession(mod, cs.Scope, cs.Call, t); p != nil {
			e.takes = p.Name
		}
		fa.edges = append(fa.edges, e)
	}
	return fa
}

// bodyBlocks reports whether running fn's body blocks: breadth first
// through the calls it makes, so the shortest explanation wins.
func (ix *blockingIndex) bodyBlocks(fn *pymodel.Function, mod *pymodel.Module) (blockingPath, bool) {
	if v, ok := ix.verdicts[fn]; ok {
		if v == nil {
			return blockingPath{}, false
		}
		return *v, true
	}
	type node struct {
		fn     *pymodel.Function
		mod    *pymodel.Module
		parent *node
		depth  int
	}
	// chain lists the functions from the root's first callee down to n.
	chain := func(n *node) []string {
		var out []string
		for ; n.parent != nil; n = n.parent {
			out = append(out, n.fn.Qual)
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out
	}
	found := func(n *node, tail blockingPath) (blockingPath, bool) {
		path := tail
		path.Chain = append(chain(n), tail.Chain...)
		// Every function on the way blocks for the same reason.
		for m := n; m != nil; m = m.parent {
			sub := tail
			sub.Chain = path.Chain[len(chain(m)):]
			ix.verdicts[m.fn] = &sub
		}
		return path, true
	}
	root := &node{fn: fn, mod: mod}
	visited := map[*pymodel.Function]bool{fn: true}
	queue := []*node{root}
	complete := true
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		fa := ix.functionFacts(n.fn, n.mod)
		if fa.reason != "" {
			return found(n, blockingPath{Reason: fa.reason, Owner: n.fn.Qual, Site: fa.site})
		}
		for _, e := range fa.edges {
			if e.takes != "" {
				return found(n, blockingPath{Chain: []string{e.target.Func.Qual}, Reason: "takes a sync Session (`" + e.takes + "`)",
					Owner: e.target.Func.Qual, Site: e.site})
			}
		}
		if n.depth >= maxBlockingDepth {
			complete = complete && len(fa.edges) == 0
			continue
		}
		for _, e := range fa.edges {
			next := e.target.Func
			if visited[next] {
				continue
			}
			visited[next] = true
			if v, ok := ix.verdicts[next]; ok {
				if v != nil {
					tail := *v
					tail.Chain = append([]string{next.Qual}, v.Chain...)
					return found(n, tail)
				}
				continue
			}
			if len(visited) > maxBlockingVisits {
				complete = false
				continue
			}
			queue = append(queue, &node{fn: next, mod: e.target.Mod, parent: n, depth: n.depth + 1})
		}
	}
	if complete {
		// Everything reachable was seen: nothing on the way blocks.
		for f := range visited {
			if _, ok := ix.verdicts[f]; !ok {
				ix.verdicts[f] = nil
			}
		}
	}
	return blockingPath{}, false
}

// sessionIOMethods are the sync Session methods that talk to the
// database: the ones SQLAlchemy turned into coroutines on AsyncSession
// (delete too: it loads what it cascades to), the legacy Query API,
// whose results are read from the database, the bulk operations, and
// begin/begin_nested (a SAVEPOINT at once; the block ends in a COMMIT).
var sessionIOMethods = func() map[string]bool {
	m := map[string]bool{
		"query": true, "begin": true, "begin_nested": true,
		"bulk_save_objects": true, "bulk_insert_mappings": true, "bulk_update_mappings": true,
	}
	for name := range pymodel.SessionCoroutineMethods {
		m[name] = true
	}
	return m
}()

// paramRef is a parameter of a function of module mod.
type paramRef struct {
	fn    *pymodel.Function
	mod   *pymodel.Module
	param *pymodel.Binding
	depth int
}

// paramQueries reports whether fn does database I/O with its parameter
// param: calls one of its I/O methods, or passes it to project code that
// does — breadth first through the calls, with the same bounds as
// bodyBlocks. What cannot be followed (a third-party call, a closure, a
// value stored for later) is no proof.
func (ix *blockingIndex) paramQueries(fn *pymodel.Function, mod *pymodel.Module, param *pymodel.Binding) bool {
	if v, ok := ix.queries[param]; ok {
		return v
	}
	visited := map[*pymodel.Binding]bool{param: true}
	queue := []paramRef{{fn: fn, mod: mod, param: param}}
	complete := true
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		queries, passes := ix.paramUses(n)
		if queries {
			ix.queries[param] = true
			return true
		}
		for _, next := range passes {
			if visited[next.param] {
				continue
			}
			if v, ok := ix.queries[next.param]; ok {
				if v {
					ix.queries[param] = true
					return true
				}
				continue
			}
			if next.depth > maxBlockingDepth || len(visited) >= maxBlockingVisits {
				complete = false
				continue
			}
			visited[next.param] = true
			queue = append(queue, next)
		}
	}
	if complete {
		for b := range visited {
			ix.queries[b] = false
		}
	}
	return false
}

// paramUses reads what n's function does with its parameter: whether it
// calls one of its I/O methods, and the project parameters it passes it
// to.
func (ix *blockingIndex) paramUses(n paramRef) (queries bool, passes []paramRef) {
	refers := func(cs *pymodel.CallSite, e *pymodel.Expr) bool {
		if e == nil || e.Op != pymodel.OpName || e.Name != n.param.Name {
			return false
		}
		bs, _ := n.mod.Lookup(cs.Scope, e.Name)
		for _, b := range bs {
			if b == n.param {
				return true
			}
		}
		return false
	}
	for _, cs := range n.fn.Calls {
		if cs.Call == nil || cs.Scope == nil {
			continue
		}
		if x := cs.Call.X; x != nil && x.Op == pymodel.OpAttr && sessionIOMethods[x.Name] && refers(cs, x.X) {
			return true, nil
		}
		for _, a := range cs.Call.Args {
			if !refers(cs, a) {
				continue
			}
			t, ok := workspace.ResolveCall(ix.ev, n.mod, cs.Scope, cs.Call)
			if !ok || t.Class != nil || !ix.runsSyncBody(t) {
				continue
			}
			if q := workspace.MapArgument(t.Func, cs.Call, a, t.SkipSelf); q != nil {
				passes = append(passes, paramRef{fn: t.Func, mod: t.Mod, param: q, depth: n.depth + 1})
			}
		}
	}
	return false, passes
}
