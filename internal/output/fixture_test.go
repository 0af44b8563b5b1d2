package output

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// The fixture is a small half-migrated project, checked from workDir:
//
//   - app/services/reportes.py: Spanish and emoji before a diagnostic on the
//     same line (AM501, two fixes), a range over three lines (AM101, an
//     unsafe fix only) and a finding without a fix whose related
//     information points into this file and into another (AM105);
//   - app/legado/cálculo fiscal.py: CRLF line ends, a non-ASCII name with a
//     space (URI escaping), a safe fix (AM102) and an information-level
//     finding on a line ending in an emoji (AM403);
//   - /opt/compartido/util.py: outside the working directory (AM304);
//   - app/__init__.py: no findings.
const workDir = "/home/dev/tienda"

const (
	reportesPath = workDir + "/app/services/reportes.py"
	calculoPath  = workDir + "/app/legado/cálculo fiscal.py"
	utilPath     = "/opt/compartido/util.py"
	initPath     = workDir + "/app/__init__.py"
)

var fixtureRules = []Rule{
	{Code: "AM101", Name: "query-on-async-session", Summary: "Legacy `Query` API used on an AsyncSession", Severity: diagnostics.SeverityError, Fixable: true},
	{Code: "AM102", Name: "async-session-call-not-awaited", Summary: "AsyncSession coroutine method called without `await`", Severity: diagnostics.SeverityError, Fixable: true},
	{Code: "AM105", Name: "async-session-to-sync-api", Summary: "AsyncSession passed to a parameter annotated `Session`", Severity: diagnostics.SeverityWarning, Fixable: true},
	{Code: "AM304", Name: "event-loop-reentry", Summary: "`asyncio.run` inside async code", Severity: diagnostics.SeverityError, Fixable: true},
	{Code: "AM403", Name: "legacy-twin-module", Summary: "Sync module whose async twin exists", Severity: diagnostics.SeverityInformation},
	{Code: "AM501", Name: "naive-utcnow", Summary: "`datetime.utcnow()` returns a naive datetime", Severity: diagnostics.SeverityWarning, Fixable: true},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "tienda", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// find returns the byte range of needle inside the only occurrence of
// within in src (within == "" means needle itself must occur once).
func find(t testing.TB, src []byte, within, needle string) (start, end int) {
	t.Helper()
	if within == "" {
		within = needle
	}
	if n := bytes.Count(src, []byte(within)); n != 1 {
		t.Fatalf("fixture: %q occurs %d times, want 1", within, n)
	}
	at := bytes.Index(src, []byte(within))
	i := strings.Index(within, needle)
	if i < 0 {
		t.Fatalf("fixture: %q not in %q", needle, within)
	}
	return at + i, at + i + len(needle)
}

func fixtureFiles(t testing.TB) []File {
	t.Helper()
	reportes := readFixture(t, "reportes.py")
	calculo := readFixture(t, "cálculo fiscal.py")
	util := readFixture(t, "util.py")
	if !bytes.Contains(calculo, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(calculo, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("fixture: cálculo fiscal.py must use CRLF line ends (check .gitattributes)")
	}

	_, importEnd := find(t, reportes, "", "from datetime import datetime")
	utcStart, utcEnd := find(t, reportes, "", "datetime.utcnow()")
	addTimezone := diagnostics.Edit{Start: importEnd, End: importEnd, NewText: ", timezone"}
	queryStart, _ := find(t, reportes, "", "db.query(Pedido)")
	_, allEnd := find(t, reportes, "", ".all())")
	allEnd-- // the closing parenthesis belongs to the assignment
	callStart, callEnd := find(t, reportes, "", "construir_reporte(db)")
	paramStart, paramEnd := find(t, reportes, "exportar(db: AsyncSession)", "db: AsyncSession")
	syncParamStart, syncParamEnd := find(t, calculo, "", "db: Session")

	commitStart, commitEnd := find(t, calculo, "", "db.commit()")
	headerEnd := bytes.IndexByte(calculo, '\r')
	runStart, runEnd := find(t, util, "", "asyncio.run(tarea())")

	return []File{
		{
			Path: utilPath, DisplayPath: "../../../opt/compartido/util.py", Source: util,
			Diagnostics: []diagnostics.Diagnostic{{
				Code: "AM304", Name: "event-loop-reentry", Start: runStart, End: runEnd, Severity: diagnostics.SeverityError,
				Message: "`asyncio.run(tarea())` inside `async def principal` raises: the event loop is already running",
				Fixes: []diagnostics.Fix{{Title: "Await the coroutine directly", Applicability: diagnostics.Safe,
					Edits: []diagnostics.Edit{{Start: runStart, End: runEnd, NewText: "await tarea()"}}}},
			}},
		},
		{
			// Given out of position order: Write sorts.
			Path: reportesPath, DisplayPath: "app/services/reportes.py", Source: reportes,
			Diagnostics: []diagnostics.Diagnostic{
				{
					Code: "AM105", Name: "async-session-to-sync-api", Start: callStart, End: callEnd, Severity: diagnostics.SeverityWarning,
					Message: "AsyncSession `db` passed to `construir_reporte`, whose parameter is a sync `Session`",
					Related: []diagnostics.Related{
						{Start: paramStart, End: paramEnd, Message: "`db` is an AsyncSession here"},
						{Path: calculoPath, Start: syncParamStart, End: syncParamEnd, Message: "`construir_reporte` expects a sync `Session` here"},
					},
				},
				{
					Code: "AM501", Name: "naive-utcnow", Start: utcStart, End: utcEnd, Severity: diagnostics.SeverityWarning,
					Message: "`datetime.utcnow()` returns a naive datetime",
					Fixes: []diagnostics.Fix{
						{Title: "Replace with `datetime.now(timezone.utc)`", Applicability: diagnostics.Unsafe,
							Edits: []diagnostics.Edit{addTimezone, {Start: utcStart, End: utcEnd, NewText: "datetime.now(timezone.utc)"}}},
						{Title: "Replace with `datetime.now(timezone.utc).replace(tzinfo=None)`", Applicability: diagnostics.Safe,
							Edits: []diagnostics.Edit{addTimezone, {Start: utcStart, End: utcEnd, NewText: "datetime.now(timezone.utc).replace(tzinfo=None)"}}},
					},
				},
				{
					Code: "AM101", Name: "query-on-async-session", Start: queryStart, End: allEnd, Severity: diagnostics.SeverityError,
					Message: "`db.query(Pedido)` on AsyncSession `db`: the legacy Query API does not exist there",
					Fixes: []diagnostics.Fix{{Title: "Rewrite as `(await db.execute(select(Pedido)...)).scalars().all()`", Applicability: diagnostics.Unsafe,
						Edits: []diagnostics.Edit{{Start: queryStart, End: allEnd,
							NewText: "(await db.execute(\n        select(Pedido).where(Pedido.activo == True)\n    )).scalars().all()"}}}},
				},
			},
		},
		{Path: initPath, DisplayPath: "app/__init__.py"},
		{
			Path: calculoPath, DisplayPath: "app/legado/cálculo fiscal.py", Source: calculo,
			Diagnostics: []diagnostics.Diagnostic{
				{
					Code: "AM102", Name: "async-session-call-not-awaited", Start: commitStart, End: commitEnd, Severity: diagnostics.SeverityError,
					Message: "`db.commit()` is a coroutine on AsyncSession and is never awaited",
					Fixes: []diagnostics.Fix{{Title: "Insert `await`", Applicability: diagnostics.Safe,
						Edits: []diagnostics.Edit{{Start: commitStart, End: commitStart, NewText: "await "}}}},
				},
				{
					Code: "AM403", Name: "legacy-twin-module", Start: 0, End: headerEnd, Severity: diagnostics.SeverityInformation,
					Message: "`app.legado.cálculo fiscal` has an async twin; still imported by `app.services.reportes`",
				},
			},
		},
	}
}

func fixtureOptions(format string) Options {
	return Options{Format: format, Rules: fixtureRules, ToolVersion: "0.1.0-test", WorkDir: workDir}
}

func render(t testing.TB, files []File, opt Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, files, opt); err != nil {
		t.Fatalf("Write(%s): %v", opt.Format, err)
	}
	return b.String()
}

// checkGolden compares got with testdata/name.golden, or rewrites it under
// -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./internal/output -update` to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (-update rewrites it)\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first differing lines, enough to see what changed.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + strings.ReplaceAll(wl, "\x1b", `\x1b`) + "\n  got:  " + strings.ReplaceAll(gl, "\x1b", `\x1b`)
		}
	}
	return ""
}
