package server

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// definedElsewhere reports every call of a function defined in another
// module, pointing at the definition: relatedInformation in another file.
var definedElsewhere = &diagnostics.Rule{
	Code: "AM997", Name: "definida-en-otro-sitio", Severity: diagnostics.SeverityHint, Doc: "Prueba 🧪.",
	Kinds: []pysyntax.Kind{pysyntax.Call},
	Check: func(p *diagnostics.Pass, call pysyntax.Node) {
		v := p.File.Value(call.ChildByField(pysyntax.FieldFunction))
		if v.Kind != pymodel.FunctionRef || v.Mod == nil || v.Mod.Path == "" || v.Mod.Path == p.File.Module.Path {
			return
		}
		p.Report(diagnostics.Diagnostic{Start: call.Start(), End: call.End(), Message: "llamada a " + v.Func.Name,
			Related: []diagnostics.Related{{Path: v.Mod.Path, Start: int(v.Func.NameStart), End: int(v.Func.NameEnd), Message: "definida aquí"}}})
	},
}

// onlyRelated returns the related information of p's finding with code,
// which must have exactly one.
func onlyRelated(t *testing.T, p *lsptest.Published, code string) protocol.DiagnosticRelatedInformation {
	t.Helper()
	for _, d := range p.Diagnostics {
		if d.Code == code {
			if len(d.RelatedInformation) != 1 {
				t.Fatalf("%s related information %+v", code, d.RelatedInformation)
			}
			return d.RelatedInformation[0]
		}
	}
	t.Fatalf("no %s in %v", code, p.Codes())
	return protocol.DiagnosticRelatedInformation{}
}

var relatedFiles = map[string]string{
	"services/__init__.py": "",
	"services/user.py":     "# Servicio 👤\ndef obtener_año(user_id: int) -> dict:\n    return {}\n",
	"routes.py":            "from services.user import obtener_año\n\n\nasync def ver(user_id):\n    return obtener_año(user_id)\n",
}

// Positions in another file come from that file's own text: the file on
// disk when it is closed, the editor's buffer when it is open.
func TestRelatedInformationInAnotherFile(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, relatedFiles)
	ruleSet := append(slices.Clone(rules.All), definedElsewhere)
	c := startDocs(t, Options{rules: ruleSet}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	routesURI := fileURI(filepath.Join(root, "routes.py"))
	userURI := fileURI(filepath.Join(root, "services", "user.py"))

	related := func(p *lsptest.Published) protocol.DiagnosticRelatedInformation {
		t.Helper()
		return onlyRelated(t, p, "AM997")
	}
	// "obtener_año": 11 UTF-16 units, 12 bytes.
	name := func(line uint32) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: line, Character: 4}, End: protocol.Position{Line: line, Character: 15}}
	}

	c.Open(routesURI, 1, relatedFiles["routes.py"])
	p := c.WaitDiagnostics(routesURI, 1)
	ri := related(p)
	if string(ri.Location.URI) != userURI || ri.Location.Range != name(1) || ri.Message != "definida aquí" {
		t.Errorf("related %+v, want %s at %+v", ri, userURI, name(1))
	}

	// The service is opened with a new first line: its offsets now mean
	// the buffer's text.
	c.Open(userURI, 1, "# línea nueva ✨\n"+relatedFiles["services/user.py"])
	c.WaitDiagnostics(userURI, 1)
	c.ChangeFull(routesURI, 2, relatedFiles["routes.py"])
	p = c.WaitDiagnostics(routesURI, 2)
	if ri := related(p); ri.Location.Range != name(2) {
		t.Errorf("with the service open: related range %+v, want %+v", ri.Location.Range, name(2))
	}
}

// cuentasService is a sync-annotated helper that queries with the legacy API.
const cuentasService = "# Cuentas 🧮\n" +
	"from sqlalchemy.orm import Session\n" +
	"\n" +
	"from app.models import Usuario\n" +
	"\n" +
	"\n" +
	"def contar(db: Session) -> int:\n" +
	"    return db.query(Usuario).count()\n"

// A session kind that reached a parameter through a call site points at
// that call. Typing above the call moves it without changing what the
// module shows other files, so no workspace refresh follows: the place
// must still be found in the text being typed, not where the last
// refresh saw it.
func TestRelatedCallSiteFollowsTyping(t *testing.T) {
	src := strings.Replace(cuentasService, "from sqlalchemy.orm", "from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy.orm", 1) +
		"\n\nasync def ver(db: AsyncSession):\n    return contar(db)  # año 🎉\n"
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"app/__init__.py": "", "app/models.py": "class Usuario:\n    pass\n", "app/cuentas.py": src})
	c := startDocs(t, Options{}, initParams(root, editorCaps(), map[string]any{"debounce-ms": 0}))
	waitIndexed(t, c)
	uri := fileURI(filepath.Join(root, "app", "cuentas.py"))
	callArg := func(p *lsptest.Published) protocol.Range {
		t.Helper()
		return onlyRelated(t, p, "AM101").Location.Range
	}
	at := func(line uint32) protocol.Range {
		return protocol.Range{Start: protocol.Position{Line: line, Character: 18}, End: protocol.Position{Line: line, Character: 20}}
	}
	c.Open(uri, 1, src)
	if got := callArg(c.WaitDiagnostics(uri, 1)); got != at(12) {
		t.Fatalf("related %+v, want %+v", got, at(12))
	}
	// Two lines typed at the top, one keystroke each.
	c.Change(uri, 2, protocol.Range{}, "# nueva línea ✨\n")
	c.WaitDiagnostics(uri, 2)
	c.Change(uri, 3, protocol.Range{}, "# otra más\n")
	if got := callArg(c.WaitDiagnostics(uri, 3)); got != at(14) {
		t.Errorf("after typing two lines above: related %+v, want %+v", got, at(14))
	}
}

// The same across files: the function with the finding in one open file,
// its caller in another. Typing above the call in the caller moves the
// place the finding points at; once typing pauses the finding is
// published again, pointing where the call now is.
func TestRelatedCallSiteInAnotherFileFollowsTyping(t *testing.T) {
	service := cuentasService
	const routes = "# Rutas 🚦\n" +
		"from sqlalchemy.ext.asyncio import AsyncSession\n" +
		"\n" +
		"from app.cuentas import contar\n" +
		"\n" +
		"\n" +
		"async def ver(db: AsyncSession):\n" +
		"    return contar(db)  # año 🎉\n"
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"app/__init__.py": "", "app/models.py": "class Usuario:\n    pass\n",
		"app/cuentas.py": service, "app/rutas.py": routes})
	c := startDocs(t, Options{}, initParams(root, editorCaps(), map[string]any{"debounce-ms": 0}))
	waitIndexed(t, c)
	serviceURI := fileURI(filepath.Join(root, "app", "cuentas.py"))
	routesURI := fileURI(filepath.Join(root, "app", "rutas.py"))
	callArg := func(p *lsptest.Published) protocol.Location {
		t.Helper()
		return onlyRelated(t, p, "AM101").Location
	}
	at := func(line uint32) protocol.Location {
		return protocol.Location{URI: protocol.DocumentURI(routesURI),
			Range: protocol.Range{Start: protocol.Position{Line: line, Character: 18}, End: protocol.Position{Line: line, Character: 20}}}
	}
	c.Open(serviceURI, 1, service)
	if got := callArg(c.WaitDiagnostics(serviceURI, 1)); got != at(7) {
		t.Fatalf("related %+v, want %+v", got, at(7))
	}
	c.Open(routesURI, 1, routes)
	c.WaitDiagnostics(routesURI, 1)
	mark := c.Mark()
	c.Change(routesURI, 2, protocol.Range{}, "# nueva línea ✨\n")
	c.WaitDiagnostics(routesURI, 2)
	p := c.WaitDiagnosticsSince(mark, serviceURI, lsptest.Timeout, func(p *lsptest.Published) bool {
		for _, d := range p.Diagnostics {
			if d.Code == "AM101" && len(d.RelatedInformation) == 1 && d.RelatedInformation[0].Location != at(7) {
				return true
			}
		}
		return false
	})
	if got := callArg(p); got != at(8) {
		t.Errorf("after a line typed above the call: related %+v, want %+v", got, at(8))
	}
}
