package workspace

import (
	"runtime"
	"sync"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// maxFlowRounds bounds the fixed point: a session handed through more than
// this many layers of project functions is not followed further.
const maxFlowRounds = 6

// flowIndex lets an evaluator see the flows being computed.
type flowIndex struct {
	w     *Workspace
	flows map[string][][]pymodel.Flow
}

func (f *flowIndex) Module(name string) *pymodel.Module { return f.w.Module(name) }
func (f *flowIndex) ParamFlows(fn *pymodel.Function) [][]pymodel.Flow {
	return f.flows[fn.Key]
}

// computeFlows records, for every project function parameter, the session
// kinds call sites pass to it, iterating until nothing changes: a function
// that receives an AsyncSession and passes it on makes its callee receive
// one too.
//
// The first round evaluates every call site; later rounds only the call
// sites whose arguments can see the flows that changed: those inside a
// function (or nested in one) whose parameters received new kinds, and in
// the methods of a class whose methods did (self attributes come from
// them). Rounds run on workers goroutines.
func (w *Workspace) computeFlows(mods []*pymodel.Module, workers int) map[string][][]pymodel.Flow {
	type site struct {
		m  *pymodel.Module
		cs *pymodel.CallSite
	}
	var sites []site
	var owners []siteOwner
	for _, m := range mods {
		for _, cs := range m.Calls {
			if cs.PassesNames {
				sites = append(sites, site{m, cs})
			}
		}
		for _, fn := range m.Functions {
			lo := len(sites)
			for _, cs := range fn.Calls {
				if cs.PassesNames {
					sites = append(sites, site{m, cs})
				}
			}
			if len(sites) > lo {
				owners = append(owners, siteOwner{fn, siteRun{int32(lo), int32(len(sites))}})
			}
		}
	}
	contrib := make([]map[string][][]pymodel.Flow, len(sites))
	// Workers take consecutive chunks of sites: a module's sites then
	// mostly meet one evaluator, whose memo of the module's names serves
	// them all (dealt out one by one, every worker evaluated every module).
	// Chunks are dealt in a fixed order, not to whichever worker is free:
	// an evaluator's memo keeps what a cycle cut short, so the same
	// workers must see the same sites in the same order every run.
	const chunk = 256
	evaluate := func(idxs []int, cur map[string][][]pymodel.Flow) {
		var wg sync.WaitGroup
		for k := 0; k < workers; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				ev := pymodel.NewEvaluator(&flowIndex{w: w, flows: cur}, w.opts)
				out := map[string][][]pymodel.Flow{}
				for lo := k * chunk; lo < len(idxs); lo += workers * chunk {
					for _, i := range idxs[lo:min(lo+chunk, len(idxs))] {
						addCallFlows(ev, sites[i].m, sites[i].cs, out)
						if len(out) == 0 {
							contrib[i] = nil
							continue
						}
						contrib[i] = out
						out = map[string][][]pymodel.Flow{}
					}
				}
			}(k)
		}
		wg.Wait()
	}
	aggregate := func() map[string][][]pymodel.Flow {
		out := map[string][][]pymodel.Flow{}
		for _, c := range contrib {
			for key, params := range c {
				cur := out[key]
				for len(cur) < len(params) {
					cur = append(cur, nil)
				}
				for i, fl := range params {
					cur[i] = append(cur[i], fl...)
				}
				out[key] = cur
			}
		}
		return out
	}
	all := make([]int, len(sites))
	for i := range all {
		all[i] = i
	}
	// Round 1 needs the index of who sees what. With every core given, it
	// is built while round 0 runs rather than after it; a refresh that must
	// leave a core free (RefreshInBackground) builds it in its own turn.
	seersReady := make(chan *flowSeers, 1)
	beside := workers >= runtime.GOMAXPROCS(0)
	if beside {
		go func() { seersReady <- newFlowSeers(owners, len(sites)) }()
	}
	cur := map[string][][]pymodel.Flow{}
	evaluate(all, cur)
	var seers *flowSeers
	for round := 1; round < maxFlowRounds; round++ {
		next := aggregate()
		changed := changedFlowKeys(cur, next)
		if len(changed) == 0 {
			return next
		}
		cur = next
		switch {
		case seers != nil:
		case beside:
			seers = <-seersReady
		default:
			seers = newFlowSeers(owners, len(sites))
		}
		evaluate(seers.affected(changed), cur)
	}
	return aggregate()
}

// flowSeers indexes which call sites' arguments may read a function's
// parameters: the sites inside it (or nested in it), and the sites in the
// methods of a class one of whose methods it is (self attributes come from
// them). Built once, it answers each round in time proportional to what
// changed; walking every site's scopes and class methods each round was a
// sequential tenth of a second on 2,000 modules. A function's sites sit
// side by side, and the functions a site is nested in are its function and
// those enclosing it (class bodies and comprehensions in between own no
// calls), so the index is built from one scope walk per function.
type flowSeers struct {
	sites   int
	inFunc  map[string][]siteRun         // function key → sites
	inClass map[*pymodel.Class][]siteRun // class → sites in its methods
	classes map[string][]*pymodel.Class  // method key → classes listing it
}

// siteRun is the sites [lo, hi).
type siteRun struct{ lo, hi int32 }

// siteOwner is the function whose body holds the sites of run.
type siteOwner struct {
	fn  *pymodel.Function
	run siteRun
}

func newFlowSeers(owners []siteOwner, sites int) *flowSeers {
	f := &flowSeers{sites: sites, inFunc: make(map[string][]siteRun, len(owners)), inClass: map[*pymodel.Class][]siteRun{}}
	for _, o := range owners {
		for s := o.fn.Scope; s != nil; s = s.Parent {
			fn := s.Func
			if fn == nil {
				continue
			}
			f.inFunc[fn.Key] = append(f.inFunc[fn.Key], o.run)
			if fn.Class != nil {
				f.inClass[fn.Class] = append(f.inClass[fn.Class], o.run)
			}
		}
	}
	methods := 0
	for c := range f.inClass {
		methods += len(c.Methods)
	}
	f.classes = make(map[string][]*pymodel.Class, methods)
	for c := range f.inClass {
		for _, meth := range c.Methods {
			f.classes[meth.Key] = append(f.classes[meth.Key], c)
		}
	}
	return f
}

// affected lists, in order, the sites that may see the flows of changed.
func (f *flowSeers) affected(changed map[string]bool) []int {
	mark := make([]bool, f.sites)
	markRuns := func(runs []siteRun) {
		for _, r := range runs {
			for i := r.lo; i < r.hi; i++ {
				mark[i] = true
			}
		}
	}
	for key := range changed {
		markRuns(f.inFunc[key])
		for _, c := range f.classes[key] {
			markRuns(f.inClass[c])
		}
	}
	var out []int
	for i, m := range mark {
		if m {
			out = append(out, i)
		}
	}
	return out
}

// changedFlowKeys lists the functions whose flows differ between a and b.
func changedFlowKeys(a, b map[string][][]pymodel.Flow) map[string]bool {
	out := map[string]bool{}
	for key, pb := range b {
		if !sameParamFlows(a[key], pb) {
			out[key] = true
		}
	}
	for key, pa := range a {
		if _, ok := b[key]; !ok && len(pa) > 0 {
			out[key] = true
		}
	}
	return out
}

func sameParamFlows(pa, pb [][]pymodel.Flow) bool {
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if len(pa[i]) != len(pb[i]) {
			return false
		}
		for j := range pa[i] {
			if pa[i][j].Kind != pb[i][j].Kind || pa[i][j].Start != pb[i][j].Start || pa[i][j].Caller != pb[i][j].Caller {
				return false
			}
		}
	}
	return true
}

func addCallFlows(ev *pymodel.Evaluator, m *pymodel.Module, cs *pymodel.CallSite, out map[string][][]pymodel.Flow) {
	call := cs.Call
	if call == nil || len(call.Args) == 0 {
		return
	}
	// Evaluate the cheap side first: most calls pass no session.
	var kinds []pymodel.VKind
	any := false
	for _, a := range call.Args {
		k := pymodel.Unknown
		if a.Op == pymodel.OpName || a.Op == pymodel.OpAttr {
			if v := ev.Eval(m, cs.Scope, a); v.IsSession() {
				k, any = v.Kind, true
			}
		}
		kinds = append(kinds, k)
	}
	if !any {
		return
	}
	target, skipSelf := Callee(ev, m, cs.Scope, call)
	if target == nil {
		return
	}
	for i, a := range call.Args {
		if kinds[i] == pymodel.Unknown {
			continue
		}
		p := MapArgument(target, call, a, skipSelf)
		if p == nil {
			continue
		}
		fl := out[target.Key]
		for len(fl) <= p.ParamIndex {
			fl = append(fl, nil)
		}
		caller := ""
		if cs.Func != nil {
			caller = cs.Func.Qual
		}
		fl[p.ParamIndex] = append(fl[p.ParamIndex], pymodel.Flow{Kind: kinds[i], Caller: m, Start: a.Start, End: a.End, CallerFunc: caller})
		out[target.Key] = fl
	}
}

// Callee resolves the project function a call runs: a function, a method
// through an instance or class, or a class's __init__. skipSelf says the
// first parameter is bound (self/cls) and takes no argument.
func Callee(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr) (*pymodel.Function, bool) {
	t, ok := ResolveCall(ev, m, scope, call)
	if !ok || t.Func == nil {
		return nil, false
	}
	return t.Func, t.SkipSelf
}

// MapArgument finds the parameter an argument binds to.
func MapArgument(fn *pymodel.Function, call, arg *pymodel.Expr, skipSelf bool) *pymodel.Binding {
	if arg.Kw != "" {
		p := fn.Param(arg.Kw)
		if p != nil && (p.ParamKind == pymodel.ParamNormal || p.ParamKind == pymodel.ParamKeywordOnly) {
			return p
		}
		return nil
	}
	pos := 0
	for _, a := range call.Args {
		if a == arg {
			break
		}
		if a.Op == pymodel.OpStarred {
			return nil // *args before: positions unknown
		}
		if a.Kw == "" {
			pos++
		}
	}
	if skipSelf {
		pos++
	}
	n := 0
	for _, p := range fn.Params {
		if p.ParamKind != pymodel.ParamNormal {
			return nil
		}
		if n == pos {
			return p
		}
		n++
	}
	return nil
}
