package output

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// benchFiles is a 5,000-line module, every line with Spanish and an emoji
// before the flagged call, and one diagnostic with a safe fix on every
// other line: a large but realistic `asyncmig check` run.
func benchFiles() []File {
	var b strings.Builder
	var ds []diagnostics.Diagnostic
	for i := range 5000 {
		line := fmt.Sprintf("    creado_%d = \"¡Atención! 🎉 año\"; ts = datetime.utcnow()  # revisión nº %d\n", i, i)
		if i%2 == 0 {
			start := b.Len() + strings.Index(line, "datetime.utcnow()")
			end := start + len("datetime.utcnow()")
			ds = append(ds, diagnostics.Diagnostic{
				Code: "AM501", Name: "naive-utcnow", Start: start, End: end, Severity: diagnostics.SeverityWarning,
				Message: "`datetime.utcnow()` returns a naive datetime",
				Fixes: []diagnostics.Fix{{Title: "Replace with `datetime.now(timezone.utc).replace(tzinfo=None)`", Applicability: diagnostics.Safe,
					Edits: []diagnostics.Edit{{Start: start, End: end, NewText: "datetime.now(timezone.utc).replace(tzinfo=None)"}}}},
			})
		}
		b.WriteString(line)
	}
	return []File{{Path: "/home/dev/tienda/app/grande.py", DisplayPath: "app/grande.py", Source: []byte(b.String()), Diagnostics: ds}}
}

func BenchmarkWrite(b *testing.B) {
	files := benchFiles()
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			opt := Options{Format: format, Rules: fixtureRules, WorkDir: "/home/dev/tienda"}
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, files, opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(files[0].Diagnostics)), "diagnostics/op")
		})
	}
}
