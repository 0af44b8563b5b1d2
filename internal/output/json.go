package output

import (
	"bufio"
	"bytes"
	"encoding/json"
)

// jsonDiagnostic is Ruff's JSON shape (ruff check --output-format json), so
// tools that read Ruff's output read ours. Fields are in Ruff's (sorted)
// order; "cell" is always null since asyncmig does not check notebooks.
type jsonDiagnostic struct {
	Cell        *int     `json:"cell"`
	Code        string   `json:"code"`
	EndLocation location `json:"end_location"`
	Filename    string   `json:"filename"`
	Fix         *jsonFix `json:"fix"`
	Location    location `json:"location"`
	Message     string   `json:"message"`
	Name        string   `json:"name"`
	NoqaRow     int      `json:"noqa_row"`
	Severity    string   `json:"severity"`
	URL         string   `json:"url"`
}

type jsonFix struct {
	Applicability string     `json:"applicability"`
	Edits         []jsonEdit `json:"edits"`
	Message       string     `json:"message"`
}

type jsonEdit struct {
	Content     string   `json:"content"`
	EndLocation location `json:"end_location"`
	Location    location `json:"location"`
}

func (r *report) jsonDiagnostics() []jsonDiagnostic {
	out := make([]jsonDiagnostic, 0, len(r.items))
	for _, it := range r.items {
		d, s := it.diag, it.file
		jd := jsonDiagnostic{
			Code:        d.Code,
			EndLocation: s.location(d.End),
			Filename:    s.path,
			Location:    s.location(d.Start),
			Message:     d.Message,
			Name:        r.ruleName(d.Code, d.Name),
			// noqa comments go on the line where the diagnostic starts.
			NoqaRow:  s.location(d.Start).Row,
			Severity: d.Severity.String(),
			URL:      r.ruleURL(d.Code),
		}
		if fix := shownFix(d, r.opt.UnsafeFixes); fix != nil {
			jf := &jsonFix{Applicability: fix.Applicability.String(), Message: fix.Title, Edits: make([]jsonEdit, 0, len(fix.Edits))}
			for _, e := range fix.Edits {
				jf.Edits = append(jf.Edits, jsonEdit{Content: e.NewText, Location: s.location(e.Start), EndLocation: s.location(e.End)})
			}
			jd.Fix = jf
		}
		out = append(out, jd)
	}
	return out
}

// ruleName prefers the diagnostic's own name, then the registry's.
func (r *report) ruleName(code, name string) string {
	if name != "" {
		return name
	}
	for _, rule := range r.opt.Rules {
		if rule.Code == code {
			return rule.Name
		}
	}
	return ""
}

func writeJSON(w *bufio.Writer, r *report) error {
	ds := r.jsonDiagnostics()
	if len(ds) == 0 {
		return encodeJSON(w, ds, "  ")
	}
	// Element by element, with the indentation the whole array would get.
	var buf []byte
	w.WriteString("[\n")
	for i := range ds {
		buf = append(buf[:0], "  "...)
		buf = appendDiagnosticJSON(buf, &ds[i], "  ")
		if i < len(ds)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	_, err := w.WriteString("]\n")
	return err
}

func writeJSONLines(w *bufio.Writer, r *report) error {
	for _, d := range r.jsonDiagnostics() {
		if err := encodeJSON(w, d, ""); err != nil {
			return err
		}
	}
	return nil
}

// encodeJSON writes v and a newline, leaving "<", ">" and "&" unescaped as
// Ruff (serde_json) does.
func encodeJSON(w *bufio.Writer, v any, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
