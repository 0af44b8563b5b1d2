package pymodel

// routerClasses are the FastAPI classes whose route decorators register a
// request handler.
var routerClasses = map[string]bool{
	"fastapi.APIRouter": true, "fastapi.routing.APIRouter": true,
	"fastapi.FastAPI": true, "fastapi.applications.FastAPI": true,
}

// routeDecorators are the decorator factories of those classes that make
// the decorated function answer requests.
var routeDecorators = map[string]bool{
	"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true, "options": true,
	"trace": true, "api_route": true, "websocket": true,
}

// IsRequestHandler reports whether a decorator of fn registers it as a
// FastAPI request handler: `@router.get("/x")`, `@app.post(...)`,
// `@router.api_route(...)`, `@router.websocket(...)` on an APIRouter or
// FastAPI instance, however it was imported.
func (ev *Evaluator) IsRequestHandler(m *Module, fn *Function) bool {
	if m == nil || fn == nil {
		return false
	}
	for _, d := range fn.Decorators {
		if d.Op != OpCall || d.X == nil || d.X.Op != OpAttr || !routeDecorators[d.X.Name] {
			continue
		}
		if base := ev.Eval(m, m.scopeOfFunc(fn), d.X.X); base.Kind == ExtInstance && routerClasses[base.Name] {
			return true
		}
	}
	return false
}
