package rules

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// sessionCall is a method call on a SQLAlchemy session: `recv.method(…)`.
type sessionCall struct {
	Recv   pysyntax.Node
	Method string
	Value  pymodel.Value // the receiver: AsyncSession or SyncSession
}

// sessionMethodCall matches call when its callee is a method of a value
// the model proves to be an AsyncSession or a sync Session.
func sessionMethodCall(f *pymodel.File, call pysyntax.Node) (sessionCall, bool) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	if !fn.Is(pysyntax.Attribute) {
		return sessionCall{}, false
	}
	recv := fn.ChildByField(pysyntax.FieldObject)
	v := f.Value(recv)
	if !v.IsSession() {
		return sessionCall{}, false
	}
	return sessionCall{Recv: recv, Method: fn.ChildByField(pysyntax.FieldAttribute).Text(), Value: v}, true
}

// asyncSessionCoroutineCall is AM102's premise, which AM301 defers to: call
// runs a coroutine method of an AsyncSession (delete included).
func asyncSessionCoroutineCall(f *pymodel.File, call pysyntax.Node) (sessionCall, bool) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	if !fn.Is(pysyntax.Attribute) || !pymodel.SessionCoroutineMethods[string(fn.ChildByField(pysyntax.FieldAttribute).Bytes())] {
		return sessionCall{}, false
	}
	sc, ok := sessionMethodCall(f, call)
	if !ok || sc.Value.Kind != pymodel.AsyncSession {
		return sessionCall{}, false
	}
	return sc, true
}

// awaitsSessionPlainValue is AM103's premise, which AM302 defers to: the
// awaited call is a session method whose result is not awaitable — a plain
// method of AsyncSession, or any method of a sync Session.
func awaitsSessionPlainValue(f *pymodel.File, call pysyntax.Node) (sessionCall, bool) {
	sc, ok := sessionMethodCall(f, call)
	if !ok || sc.Value.Kind == pymodel.AsyncSession && !asyncSessionPlainResult[sc.Method] {
		return sessionCall{}, false
	}
	if sc.Value.Kind == pymodel.SyncSession && pymodel.SessionCoroutineMethods[sc.Method] && annotatedOnly(f, sc) {
		// `session: Session` with `await session.execute(q)` and no caller
		// or dependency saying which: the await is evidence too, and
		// removing it would break code that works.
		return sessionCall{}, false
	}
	return sc, true
}

// annotatedOnly reports a receiver whose session kind comes from nothing
// but its parameter annotation.
func annotatedOnly(f *pymodel.File, sc sessionCall) bool {
	return sc.Value.Via == nil && sc.Recv.Is(pysyntax.Identifier) && f.Eval.AnnotationOnly(f.Module, f.ScopeOf(sc.Recv), sc.Recv.Text())
}

// asyncSessionPlainResult are the AsyncSession methods whose result cannot
// be awaited. begin/begin_nested and the get_*transaction accessors are
// plain methods too, but they return an AsyncSessionTransaction, which is
// awaitable (`await db.begin()` starts it).
var asyncSessionPlainResult = func() map[string]bool {
	m := map[string]bool{}
	for name := range pymodel.SessionSyncMethods {
		switch name {
		case "begin", "begin_nested", "get_transaction", "get_nested_transaction":
			continue
		}
		m[name] = true
	}
	return m
}()
