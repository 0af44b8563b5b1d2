package rules

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
)

func init() { register(AM403) }

var AM403 = &diagnostics.Rule{
	Code:     "AM403",
	Name:     "legacy-twin-module",
	Severity: diagnostics.SeverityInformation,
	Summary:  "A sync module whose async twin exists, with the modules that still import it",
	Fix:      diagnostics.FixNone,
	Finish:   finishAM403,
	// Whether the module pairs with its twin depends on its whole API.
	ModuleWide: true,
	Doc: `## What it does
Reports, once and on its first line, a sync module whose async twin exists
in the workspace under the configured ` + "`twin-patterns`" + ` (by default
` + "`app/services/user.py`" + ` ↔ ` + "`app/services/async_user.py`" + `; packages too), and lists
the modules that still import it, each linked as related information. The
pair decides, not the contents: a "sync" module already holding ` + "`async def`" + `s
is still the legacy half of a pair. Names alone do not make a pair: the two
share an API (a function, class or instance of one has its twin in the
other), and a class extending the other is one family, not two copies. When
nothing imports either module (two example scripts), nothing is reported.

## Why is this bad?
Two copies of a service drift apart: fixes land in one and not the other,
and code keeps importing the legacy one. This is the "find duplicate
services" check of a migration: when nothing imports the sync module any
more, it can be deleted.

## Example
` + "```python" + `
# app/services/user.py — app/services/async_user.py exists
class UserService:
    def get_user(self, db, user_id): ...
` + "```" + `

Use instead:
` + "```python" + `
# app/api/routes/users.py imports the twin, and user.py is deleted
from app.services.async_user import async_user_service
` + "```" + `

## Fix
None: moving each importer to the twin is a decision per call site (AM401
offers it where async code uses the sync module). ` + "`asyncmig report`" + ` lists
these modules.`,
}

// maxImportersNamed bounds the importer list in the message; related
// information links every one of them.
const maxImportersNamed = 5

func finishAM403(p *diagnostics.Pass) {
	w := p.Workspace
	mod := p.File.Module
	if w == nil || mod.Name == "" {
		return
	}
	twin := w.AsyncTwinModule(mod.Name)
	if twin == "" || w.SyncTwinModule(mod.Name) != "" {
		return // no twin, or this module is itself the async half of a pair
	}
	var names []string
	seen := map[string]bool{}
	var related []diagnostics.Related
	for _, imp := range w.Importers(mod.Name) {
		who := imp.Module
		if who == "" {
			who = filepath.Base(imp.Path)
		}
		if who == mod.Name {
			continue
		}
		if !seen[who] {
			seen[who] = true
			names = append(names, who)
		}
		if imp.End > imp.Start {
			related = append(related, diagnostics.Related{Path: imp.Path, Start: int(imp.Start), End: int(imp.End), Message: "`" + who + "` imports `" + mod.Name + "` here"})
		}
	}
	sort.Strings(names)
	if len(names) == 0 && len(w.Importers(twin)) == 0 {
		// Nothing imports either half: two scripts or examples side by side
		// (a cookbook's filtering.py and async_filtering.py), not a service
		// whose callers moved to the twin.
		return
	}
	msg := "`" + mod.Name + "` has an async twin, `" + twin + "`; "
	switch {
	case len(names) == 0:
		msg += "nothing imports it any more: delete it"
	case len(names) <= maxImportersNamed:
		msg += "still imported by " + strings.Join(names, ", ") + ": move them to the twin"
	default:
		msg += "still imported by " + strings.Join(names[:maxImportersNamed], ", ") + " and " + strconv.Itoa(len(names)-maxImportersNamed) + " more: move them to the twin"
	}
	src := p.Src()
	p.Report(diagnostics.Diagnostic{Start: 0, End: diagnostics.LineEnd(src, 0), Message: msg, Related: related})
}
