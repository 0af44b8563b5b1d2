package pymodel

import "testing"

// Hubs that star-import each other must not send HasName round the cycle
// for ever (a stack overflow would take the whole server down).
func TestHasNameStarImportCycle(t *testing.T) {
	ix, ev := originWorkspace(t, map[string]string{
		"app.schemas.__init__": "# Esquemas 📦\nfrom app.schemas.common import *\n\n\nclass UserOut:\n    pass\n",
		"app.schemas.common":   "# Comunes, con ciclo 🔁\nfrom app.schemas import *\n\n\nclass Paginado:\n    pass\n",
	})
	pkg, common := ix["app.schemas"], ix["app.schemas.common"]
	for _, c := range []struct {
		mod    *Module
		name   string
		exists bool
	}{
		{pkg, "Paginado", true},
		{common, "UserOut", true},
		{pkg, "UserOutAsync", false},
		{common, "PaginadoAsync", false},
	} {
		exists, certain := ev.HasName(c.mod, c.name)
		if exists != c.exists || !certain {
			t.Errorf("HasName(%s, %s) = %v, %v; want %v, certain", c.mod.Name, c.name, exists, certain, c.exists)
		}
	}
}
