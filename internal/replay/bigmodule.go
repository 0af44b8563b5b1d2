package replay

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"

	"github.com/asyncmig/asyncmig/internal/benchgen"
)

// BigModulePath is where WriteBigModule puts the module the typing session
// edits, relative to the workspace root.
const BigModulePath = "app/api/routes/grande.py"

// WriteBigModule adds to a workspace made by internal/benchgen a router
// module of at least lines lines that imports and calls several of the
// workspace's services, sync and async: the file the keystroke target
// talks about, typed in while the rest of the workspace is indexed. The
// same (workspace, lines) always gives the same bytes.
func WriteBigModule(root string, lines int) (string, error) {
	if err := checkServices(root); err != nil {
		return "", err
	}
	text := BigModule(lines)
	path := filepath.Join(root, filepath.FromSlash(BigModulePath))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return text, os.WriteFile(path, []byte(text), 0o644)
}

// checkServices makes sure the services the big module imports exist.
func checkServices(root string) error {
	for i := 0; i < bigModuleImports; i++ {
		for _, name := range []string{"svc_%d.py", "async_svc_%d.py"} {
			rel := filepath.Join("app", "services", fmt.Sprintf(name, i))
			if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
				return fmt.Errorf("%s is missing: generate the workspace with scripts/genworkspace (at least 50 modules) first", rel)
			}
		}
	}
	return nil
}

// bigModuleImports is how many services the big module imports (each
// with its async twin).
const bigModuleImports = 12

var bigComments = []string{
	"# Obtener el usuario 🚀", "# Validamos la membresía antes de seguir ✅", "# ¡Ojo! Esto todavía es síncrono 🐢",
	"# Calculamos las calorías quemadas 🔥", "# Caché de 5 minutos en Redis ⏱️", "# Año fiscal: revisar con contabilidad 📊",
}

// BigModule returns the text WriteBigModule writes. It imports the first
// services of the workspace, which every generated workspace of 50 modules
// or more has, so one recorded session fits them all.
func BigModule(lines int) string {
	r := rand.New(rand.NewSource(int64(lines)))
	used := make([]int, bigModuleImports)
	for i := range used {
		used[i] = i
	}
	var b strings.Builder
	b.WriteString(`# Rutas del panel de administración — el módulo más grande del proyecto 🐘
# Mitad migrado a async, mitad no: aquí es donde más se escribe.
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.core.redis import redis_async
from app.db.session import get_async_db, get_db
`)
	for _, s := range used {
		fmt.Fprintf(&b, "from app.services.async_svc_%d import async_service_%[1]d\nfrom app.services.svc_%[1]d import service_%[1]d\n", s)
	}
	b.WriteString("\nrouter = APIRouter(prefix=\"/admin\", tags=[\"administración\"])\n\n")
	for e := 0; strings.Count(b.String(), "\n") < lines; e++ {
		s := used[r.Intn(len(used))]
		m := r.Intn(16)
		comment := bigComments[r.Intn(len(bigComments))]
		benchgen.WriteEndpoint(&b, r.Intn(4), e, m, s, comment)
	}
	return b.String()
}

// Workspace returns a generated workspace of n modules (internal/benchgen,
// seed 1) with the big module added, for benchmarks: it is generated once
// under the system's temporary directory and reused by later runs, so
// repeated benchmarks neither regenerate nor leave copies behind.
func Workspace(n int) (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("asyncmig-bench-%d-modules", n))
	done := filepath.Join(dir, ".generated")
	if want := generationStamp(n); readStamp(done) == want {
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if _, err := benchgen.Generate(dir, n, 1); err != nil {
		return "", err
	}
	if _, err := WriteBigModule(dir, 5000); err != nil {
		return "", err
	}
	return dir, os.WriteFile(done, []byte(generationStamp(n)), 0o644)
}

// generationStamp changes when the generated text would: a workspace made
// by an older generator is made again.
func generationStamp(n int) string {
	return fmt.Sprintf("%d modules, big module %s\n", n, textHash([]byte(BigModule(5000))))
}

func readStamp(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}
