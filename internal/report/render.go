package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Formats lists the output formats.
func Formats() []string { return []string{"text", "markdown", "json", "html"} }

// Write renders r in format.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "", "text":
		return writeText(w, r)
	case "markdown", "md":
		return writeMarkdown(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "html":
		return writeHTML(w, r)
	}
	return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

func statusLabel(rt Route) string {
	return Assessment{Status: rt.Status, Findings: rt.Findings}.Label()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func codes(rt Route) string {
	if len(rt.Codes) == 0 {
		return ""
	}
	keys := make([]string, 0, len(rt.Codes))
	for k := range rt.Codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if rt.Codes[k] > 1 {
			parts = append(parts, fmt.Sprintf("%s×%d", k, rt.Codes[k]))
		} else {
			parts = append(parts, k)
		}
	}
	return strings.Join(parts, " ")
}

func groupLine(g Group) string {
	return fmt.Sprintf("%d endpoints, %d migrated, %d async with findings, %d sync (%.1f%% migrated)", g.Total, g.Migrated, g.WithFindings, g.Sync, g.Percent)
}

func writeText(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "Migration progress: %s\n\n", groupLine(r.Total))
	if len(r.Tiers) > 0 {
		fmt.Fprintln(w, "Tiers:")
		for _, g := range r.Tiers {
			fmt.Fprintf(w, "  %-20s %s %s\n", g.Name, bar(g.Percent, 20), groupLine(g))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Routes:")
	width := 0
	for _, rt := range r.Routes {
		if l := len(rt.Method) + 1 + len(rt.Path); l > width {
			width = l
		}
	}
	for _, rt := range r.Routes {
		fmt.Fprintf(w, "  %-*s  %-28s %s:%d  %s %s\n", width, rt.Method+" "+rt.Path, rt.Handler, rt.File, rt.Line, statusLabel(rt), codes(rt))
	}
	if len(r.Twins) > 0 {
		fmt.Fprintf(w, "\nService twins (%d legacy sync modules still imported):\n", r.Legacy)
		for _, t := range r.Twins {
			fmt.Fprintf(w, "  %s ↔ %s: %s\n", t.Sync, t.Async, importersText(t))
		}
	}
	return nil
}

func importersText(t Twin) string {
	if len(t.Importers) == 0 {
		return "no importers left, can be deleted"
	}
	return "still imported by " + strings.Join(t.Importers, ", ")
}

func bar(pct float64, width int) string {
	filled := int(pct/100*float64(width) + 0.5)
	return "[" + strings.Repeat("█", filled) + strings.Repeat("·", width-filled) + "]"
}

// mdEscape keeps table cells intact.
func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func writeMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "# Async migration progress\n\n**%s**\n\n", groupLine(r.Total))
	if len(r.Tiers) > 0 {
		fmt.Fprint(w, "## Tiers\n\n")
		fmt.Fprintln(w, "| Tier | Endpoints | Migrated | Async with findings | Sync | % migrated |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
		for _, g := range r.Tiers {
			fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %.1f%% |\n", mdEscape(g.Name), g.Total, g.Migrated, g.WithFindings, g.Sync, g.Percent)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "## Router files\n\n")
	fmt.Fprintln(w, "| File | Endpoints | Migrated | Async with findings | Sync | % migrated |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, g := range r.Files {
		fmt.Fprintf(w, "| `%s` | %d | %d | %d | %d | %.1f%% |\n", g.Name, g.Total, g.Migrated, g.WithFindings, g.Sync, g.Percent)
	}
	fmt.Fprint(w, "\n## Routes\n\n")
	fmt.Fprintln(w, "| Method | Path | Handler | Location | Status | Findings |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, rt := range r.Routes {
		fmt.Fprintf(w, "| %s | `%s` | `%s` | `%s:%d` | %s | %s |\n", rt.Method, mdEscape(rt.Path), rt.Handler, rt.File, rt.Line, statusLabel(rt), codes(rt))
	}
	fmt.Fprintf(w, "\n## Service twins\n\n%d legacy sync modules still have importers.\n\n", r.Legacy)
	if len(r.Twins) > 0 {
		fmt.Fprintln(w, "| Sync module | Async twin | Still imported by |")
		fmt.Fprintln(w, "|---|---|---|")
		for _, t := range r.Twins {
			imp := "—"
			if len(t.Importers) > 0 {
				imp = "`" + strings.Join(t.Importers, "`, `") + "`"
			}
			fmt.Fprintf(w, "| `%s` | `%s` | %s |\n", t.Sync, t.Async, imp)
		}
	}
	return nil
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"status": statusLabel, "codes": codes, "pct": func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>asyncmig — migration progress</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left}
th{cursor:pointer;background:#f6f8fa;user-select:none}
.bar{background:#eaeef2;border-radius:4px;width:16rem;height:.9rem;display:inline-block;vertical-align:middle}
.bar>span{display:block;height:100%;border-radius:4px;background:#2da44e}
.sync{color:#9a6700}.migrated{color:#1a7f37}.async-findings{color:#cf222e}
code{font-size:12px}
</style></head><body>
<h1>Async migration progress</h1>
<p id="total">{{.Total.Total}} endpoints, {{.Total.Migrated}} migrated, {{.Total.WithFindings}} async with findings, {{.Total.Sync}} sync — {{pct .Total.Percent}}% migrated</p>
<h2>Tiers</h2>
<table id="tiers"><thead><tr><th>Tier</th><th>Progress</th><th>Endpoints</th><th>Migrated</th><th>Async with findings</th><th>Sync</th></tr></thead><tbody>
{{range .Tiers}}<tr data-tier="{{.Name}}"><td>{{.Name}}</td><td><span class="bar" title="{{pct .Percent}}%"><span style="width:{{pct .Percent}}%"></span></span> {{pct .Percent}}%</td><td>{{.Total}}</td><td>{{.Migrated}}</td><td>{{.WithFindings}}</td><td>{{.Sync}}</td></tr>
{{end}}</tbody></table>
<h2>Routes</h2>
<table id="routes" class="sortable"><thead><tr><th>Method</th><th>Path</th><th>Handler</th><th>Location</th><th>Tier</th><th>Status</th><th>Findings</th></tr></thead><tbody>
{{range .Routes}}<tr class="{{.Status}}"><td>{{.Method}}</td><td><code>{{.Path}}</code></td><td><code>{{.Handler}}</code></td><td><code>{{.File}}:{{.Line}}</code></td><td>{{.Tier}}</td><td>{{status .}}</td><td>{{codes .}}</td></tr>
{{end}}</tbody></table>
<h2>Service twins</h2>
<p>{{.Legacy}} legacy sync modules still have importers.</p>
<table id="twins"><thead><tr><th>Sync module</th><th>Async twin</th><th>Still imported by</th></tr></thead><tbody>
{{range .Twins}}<tr><td><code>{{.Sync}}</code></td><td><code>{{.Async}}</code></td><td>{{range $i, $m := .Importers}}{{if $i}}, {{end}}<code>{{$m}}</code>{{end}}</td></tr>
{{end}}</tbody></table>
<script>
document.querySelectorAll("table.sortable th").forEach(function(th, col){
  th.addEventListener("click", function(){
    var body = th.closest("table").tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.dataset.asc !== "1"; th.dataset.asc = asc ? "1" : "0";
    rows.sort(function(a, b){
      var x = a.cells[col].textContent, y = b.cells[col].textContent;
      return asc ? x.localeCompare(y, undefined, {numeric: true}) : y.localeCompare(x, undefined, {numeric: true});
    });
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
</script>
</body></html>
`))

func writeHTML(w io.Writer, r *Report) error { return page.Execute(w, r) }

// ParseFailUnder reads `TIER=PCT` (PCT in percent).
func ParseFailUnder(spec string) (string, float64, error) {
	i := strings.LastIndexByte(spec, '=')
	if i <= 0 {
		return "", 0, fmt.Errorf("--fail-under wants TIER=PCT, got %q", spec)
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(spec[i+1:], "%"), 64)
	if err != nil || pct < 0 || pct > 100 {
		return "", 0, fmt.Errorf("--fail-under %q: percentage must be a number between 0 and 100", spec)
	}
	return spec[:i], pct, nil
}

// Below lists the goals a report misses ("all" names the whole project).
// An unknown tier is an error: a typo must not pass a CI gate.
func (r *Report) Below(goals map[string]float64) ([]string, error) {
	var out []string
	names := make([]string, 0, len(goals))
	for n := range goals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		goal := goals[name]
		var g *Group
		if name == "all" {
			g = &r.Total
		}
		for i := range r.Tiers {
			if r.Tiers[i].Name == name {
				g = &r.Tiers[i]
			}
		}
		if g == nil {
			return nil, fmt.Errorf("--fail-under: no tier named %q", name)
		}
		if g.Percent < goal {
			out = append(out, fmt.Sprintf("tier %s is %.1f%% migrated, below the %.1f%% goal", name, g.Percent, goal))
		}
	}
	return out, nil
}
