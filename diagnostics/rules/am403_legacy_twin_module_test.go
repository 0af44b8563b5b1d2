package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM403(t *testing.T) { ruletest.Run(t, AM403, All) }

// A long importer list is cut in the message; related information still
// links every import.
func TestAM403ManyImporters(t *testing.T) {
	files := map[string]string{
		"app/__init__.py":            "",
		"app/services/__init__.py":   "",
		"app/services/user.py":       "# Legacy 🐢\ndef get_name(user_id: int) -> str:\n    return f'socio-{user_id}'\n",
		"app/services/async_user.py": "# Async 🚀\nasync def get_name(user_id: int) -> str:\n    return f'socio-{user_id}'\n",
		"app/routes/__init__.py":     "",
	}
	for _, r := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		files["app/routes/"+r+".py"] = "from app.services.user import get_name\n\n\ndef nombre() -> str:\n    return get_name(1)\n"
	}
	_, diags := projectDiagnostics(t, "AM403", files)
	got := diags["app/services/user.py"]
	if len(got) != 1 {
		t.Fatalf("want one AM403 on user.py, got %d", len(got))
	}
	d := got[0]
	if !strings.Contains(d.Message, "app.routes.a, app.routes.b, app.routes.c, app.routes.d, app.routes.e and 2 more") || len(d.Related) != 7 {
		t.Errorf("message %q with %d related", d.Message, len(d.Related))
	}
	if d.Start != 0 || d.End != len("# Legacy 🐢") {
		t.Errorf("range [%d, %d) is not the first line", d.Start, d.End)
	}
	if len(diags) != 1 {
		t.Errorf("only user.py is a legacy twin, got %d files", len(diags))
	}
}
