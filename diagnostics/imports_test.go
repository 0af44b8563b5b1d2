package diagnostics

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

func modelFile(t *testing.T, src string) *pymodel.File {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ws := workspace.New(t.TempDir(), pymodel.Options{}, workspace.Twins{})
	mod := pymodel.Build(tree, "app.vistas", "/proyecto/app/vistas.py", false)
	return pymodel.NewFile(tree, mod, ws.Evaluator())
}

func applyEdit(src string, e *Edit) string {
	return src[:e.Start] + e.NewText + src[e.End:]
}

// Windows editors save UTF-8 with a byte order mark; an import added at the
// top of such a file must go after the mark, or Python sees U+FEFF before
// the first statement and the mark is no longer a mark.
func TestImportEditAfterBOM(t *testing.T) {
	const bom = "\ufeff"
	cases := []struct {
		name, src, want string
	}{
		{
			name: "no imports, no docstring",
			src:  bom + "async def listar(db):\r\n    return select(Socio)  # ¡ojo! 🎉\r\n",
			want: bom + "from sqlalchemy import select\r\nasync def listar(db):\r\n    return select(Socio)  # ¡ojo! 🎉\r\n",
		},
		{
			name: "leading comments",
			src:  bom + "# -*- coding: utf-8 -*-\r\n# Vistas del gimnasio 🏋️\r\nasync def listar(db):\r\n    return select(Socio)\r\n",
			want: bom + "# -*- coding: utf-8 -*-\r\n# Vistas del gimnasio 🏋️\r\nfrom sqlalchemy import select\r\nasync def listar(db):\r\n    return select(Socio)\r\n",
		},
		{
			name: "docstring",
			src:  bom + "\"\"\"Vistas — señal 📡.\"\"\"\r\nasync def listar(db):\r\n    return select(Socio)\r\n",
			want: bom + "\"\"\"Vistas — señal 📡.\"\"\"\r\nfrom sqlalchemy import select\r\nasync def listar(db):\r\n    return select(Socio)\r\n",
		},
		{
			name: "existing import line",
			src:  bom + "import asyncio\r\nasync def listar(db):\r\n    return select(Socio)\r\n",
			want: bom + "import asyncio\r\n\r\nfrom sqlalchemy import select\r\nasync def listar(db):\r\n    return select(Socio)\r\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := modelFile(t, tc.src)
			e, ok := ImportEdit(f, "sqlalchemy", "select")
			if !ok || e == nil {
				t.Fatalf("ImportEdit = %v, %v; want an edit", e, ok)
			}
			got := applyEdit(tc.src, e)
			if got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
			if !strings.HasPrefix(got, bom) || strings.Count(got, bom) != 1 {
				t.Errorf("the BOM is not first and alone: %q", got)
			}
		})
	}
}

func TestModuleImportEditAfterBOM(t *testing.T) {
	src := "\ufeffasync def esperar():\n    await asyncio.sleep(1)  # ⏳ pausa\n"
	f := modelFile(t, src)
	e, ok := ModuleImportEdit(f, "asyncio")
	if !ok || e == nil {
		t.Fatalf("ModuleImportEdit = %v, %v; want an edit", e, ok)
	}
	want := "\ufeffimport asyncio\nasync def esperar():\n    await asyncio.sleep(1)  # ⏳ pausa\n"
	if got := applyEdit(src, e); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// New imports go where isort/Ruff would put them, so a fixed file passes
// `ruff check --select I` as it did before.
func TestImportEditIsortOrder(t *testing.T) {
	cases := []struct {
		name, src, module, imported, want string
	}{
		{
			name:   "sorted into its section",
			src:    "import asyncio\nimport time\n\nfrom fastapi import Depends\nfrom sqlalchemy.orm import Session\n\nfrom app.models import User\n",
			module: "sqlalchemy", imported: "select",
			want: "import asyncio\nimport time\n\nfrom fastapi import Depends\nfrom sqlalchemy import select\nfrom sqlalchemy.orm import Session\n\nfrom app.models import User\n",
		},
		{
			name:   "stdlib section created before third party",
			src:    "\"\"\"Rutas 🚀.\"\"\"\nfrom fastapi import Depends\n",
			module: "datetime", imported: "timezone",
			want: "\"\"\"Rutas 🚀.\"\"\"\nfrom datetime import timezone\n\nfrom fastapi import Depends\n",
		},
		{
			name:   "name kept in order-by-type position",
			src:    "from sqlalchemy import Column, ForeignKey, func, update\n",
			module: "sqlalchemy", imported: "select",
			want: "from sqlalchemy import Column, ForeignKey, func, select, update\n",
		},
		{
			name:   "one name per line",
			src:    "from sqlalchemy import (\n    delete,\n    update,\n)\n",
			module: "sqlalchemy", imported: "select",
			want: "from sqlalchemy import (\n    delete,\n    select,\n    update,\n)\n",
		},
		{
			name:   "unsorted list: appended",
			src:    "from sqlalchemy import update, delete\n",
			module: "sqlalchemy", imported: "select",
			want: "from sqlalchemy import update, delete, select\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := modelFile(t, c.src)
			e, ok := ImportEdit(f, c.module, c.imported)
			if !ok || e == nil {
				t.Fatalf("no edit (ok=%v)", ok)
			}
			got := c.src[:e.Start] + e.NewText + c.src[e.End:]
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// An import line that also holds other code the parser read as something
// else (here the start of a decorator) gets no import next to it: the new
// line would separate the decorator from its function. Ordinary trailing
// comments and `;` statements keep the fix.
func TestImportEditBesideALineWithMoreCode(t *testing.T) {
	for _, c := range []struct {
		name, src string
		ok        bool
		want      string
	}{
		{"a name after the import on its line", "from sqlalchemy.ext.asyncio import create_async_engine AsyncEngine\n\n\nasync def nueva(db: AsyncSession):\n    pass\n", false, ""},
		{"decorator on the import line", "\"\"\"Cachés ⚡.\"\"\"\nfrom __future__ import annot@ti*ns\n\n\nasync def nueva(db: AsyncSession):\n    pass\n", false, ""},
		{"trailing comment", "from __future__ import annotations  # ¡tipos! 🧐\n\n\nasync def nueva(db: AsyncSession):\n    pass\n", true,
			"from __future__ import annotations  # ¡tipos! 🧐\n\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\nasync def nueva(db: AsyncSession):\n    pass\n"},
		{"semicolon", "import os; import sys\n\n\nasync def nueva(db: AsyncSession):\n    pass\n", true,
			"import os; import sys\n\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\nasync def nueva(db: AsyncSession):\n    pass\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, ok := ImportEdit(modelFile(t, c.src), "sqlalchemy.ext.asyncio", "AsyncSession")
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (edit %+v)", ok, c.ok, e)
			}
			if ok {
				if got := applyEdit(c.src, e); got != c.want {
					t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
				}
			}
		})
	}
}
