// Package output renders the results of `asyncmig check` in the formats CI
// systems and people read: Ruff-style text (full and concise), Ruff's JSON and
// JSON Lines shapes, SARIF 2.1.0, GitHub workflow annotations and JUnit XML.
//
// The engine reports byte offsets; every format here shows 1-based lines and
// 1-based columns counted in Unicode code points (Ruff's convention, and the
// columnKind declared in SARIF), converted through textpos. Write validates
// all ranges before printing anything, so bad input is a clear error and
// never half an output.
package output

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// Rule is the metadata of one rule, for SARIF's rule table and statistics.
type Rule struct {
	Code, Name, Summary, URL string
	Severity                 diagnostics.Severity
	Fixable                  bool
}

// File is one checked file and its findings.
type File struct {
	Path        string // absolute
	DisplayPath string // relative to the working directory, for text formats
	Source      []byte // the text the diagnostics' offsets point into
	Diagnostics []diagnostics.Diagnostic
}

// Options selects the format and the mode the results are shown for.
type Options struct {
	Format string // one of Formats(); "" means "full"
	Rules  []Rule
	// UnsafeFixes is the fix mode of the run: it decides which diagnostics
	// get the "[*]" fixable marker, which fix JSON shows and the hints about
	// --unsafe-fixes in the summary.
	UnsafeFixes bool
	Color       bool // ANSI colours in full, concise and statistics text
	ToolVersion string
	// Quiet leaves out the summary lines ("Found 3 errors." …), as ruff
	// --quiet does; the diagnostics themselves are still printed.
	Quiet bool
	// WorkDir is the directory SARIF URIs are made relative to (%SRCROOT%)
	// and related paths are displayed from; "" means the process's.
	WorkDir string
	// ReadSource, when set, loads files that related information points
	// into but that are not among the files written (AM105's call sites), so
	// they can be shown with line and column. Without it, or when it fails,
	// such locations are shown by path alone.
	ReadSource func(path string) ([]byte, error)
}

// Formats lists the names accepted in Options.Format, default first.
func Formats() []string {
	return []string{"full", "concise", "json", "json-lines", "sarif", "github", "junit"}
}

type renderFunc func(w *bufio.Writer, r *report) error

var renderers = map[string]renderFunc{
	"full":       writeFull,
	"concise":    writeConcise,
	"json":       writeJSON,
	"json-lines": writeJSONLines,
	"sarif":      writeSARIF,
	"github":     writeGitHub,
	"junit":      writeJUnit,
}

// Write renders files in opt.Format: files in path order, each file's
// diagnostics in position order. The caller's slices are not modified.
func Write(w io.Writer, files []File, opt Options) error {
	format := cmp.Or(opt.Format, "full")
	render, ok := renderers[format]
	if !ok {
		return fmt.Errorf("output: unknown format %q (want one of %s)", opt.Format, strings.Join(Formats(), ", "))
	}
	r, err := newReport(files, opt)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := render(bw, r); err != nil {
		return err
	}
	return bw.Flush()
}

// report is the validated, sorted input shared by all renderers.
type report struct {
	opt     Options
	files   []*source // sorted by path; only files with diagnostics
	items   []item    // every diagnostic, in output order
	sources map[string]*source
	workDir string // "" when it could not be determined
}

// source is one file's text with its line index.
type source struct {
	path    string
	display string
	text    []byte
	lines   *textpos.LineIndex
	items   []item
}

type item struct {
	file *source
	diag *diagnostics.Diagnostic
}

// location is a 1-based line and 1-based code-point column, in Ruff's JSON
// shape.
type location struct {
	Column int `json:"column"`
	Row    int `json:"row"`
}

func (s *source) location(offset int) location {
	p := s.lines.OffsetPosition(offset, textpos.UTF32)
	return location{Row: int(p.Line) + 1, Column: int(p.Character) + 1}
}

func newReport(files []File, opt Options) (*report, error) {
	r := &report{opt: opt, sources: make(map[string]*source, len(files))}
	r.workDir = opt.WorkDir
	if r.workDir == "" {
		if wd, err := os.Getwd(); err == nil {
			r.workDir = wd
		}
	}
	all := make([]*source, 0, len(files))
	for i := range files {
		f := &files[i]
		if f.Path == "" {
			return nil, fmt.Errorf("output: file %d has no path", i)
		}
		if _, dup := r.sources[f.Path]; dup {
			return nil, fmt.Errorf("output: %s is listed twice", f.Path)
		}
		s := &source{path: f.Path, display: cmp.Or(f.DisplayPath, f.Path), text: f.Source, lines: textpos.NewLineIndex(f.Source)}
		r.sources[f.Path] = s
		all = append(all, s)
		for j := range f.Diagnostics {
			s.items = append(s.items, item{file: s, diag: &f.Diagnostics[j]})
		}
	}
	// Related information may point into any given file, so every file is
	// indexed before any diagnostic is checked.
	for _, s := range all {
		for _, it := range s.items {
			if err := r.validate(s, it.diag); err != nil {
				return nil, err
			}
		}
	}
	slices.SortFunc(all, func(a, b *source) int { return strings.Compare(a.path, b.path) })
	for _, s := range all {
		slices.SortStableFunc(s.items, func(a, b item) int {
			return cmp.Or(cmp.Compare(a.diag.Start, b.diag.Start), strings.Compare(a.diag.Code, b.diag.Code), cmp.Compare(a.diag.End, b.diag.End))
		})
		if len(s.items) > 0 {
			r.files = append(r.files, s)
			r.items = append(r.items, s.items...)
		}
	}
	return r, nil
}

// validate rejects ranges that do not fit the text they point into: a
// renderer given such offsets would silently show the wrong place.
func (r *report) validate(s *source, d *diagnostics.Diagnostic) error {
	where := func() string { return fmt.Sprintf("output: %s: %s diagnostic at byte %d", s.display, d.Code, d.Start) }
	if d.Code == "" {
		return fmt.Errorf("%s has no code", where())
	}
	if err := checkRange(d.Start, d.End, len(s.text)); err != nil {
		return fmt.Errorf("%s: %w", where(), err)
	}
	for _, f := range d.Fixes {
		for _, e := range f.Edits {
			if err := checkRange(e.Start, e.End, len(s.text)); err != nil {
				return fmt.Errorf("%s: fix %q: edit %w", where(), f.Title, err)
			}
		}
	}
	for _, rel := range d.Related {
		target := s
		if rel.Path != "" && rel.Path != s.path {
			if target = r.sources[rel.Path]; target == nil {
				continue // loaded lazily; its offsets are checked then
			}
		}
		if err := checkRange(rel.Start, rel.End, len(target.text)); err != nil {
			return fmt.Errorf("%s: related location in %s: %w", where(), target.display, err)
		}
	}
	return nil
}

func checkRange(start, end, size int) error {
	if start < 0 || end < start || end > size {
		return fmt.Errorf("range [%d, %d) does not fit the %d-byte file", start, end, size)
	}
	return nil
}

// relatedSource returns the text a related location points into, or nil when
// it is unknown (not among the files and not readable, or its offsets no
// longer fit the file on disk).
func (r *report) relatedSource(from *source, rel diagnostics.Related) *source {
	if rel.Path == "" || rel.Path == from.path {
		return from
	}
	if s, ok := r.sources[rel.Path]; ok {
		if s == nil || checkRange(rel.Start, rel.End, len(s.text)) != nil {
			return nil
		}
		return s
	}
	var s *source
	if r.opt.ReadSource != nil {
		if text, err := r.opt.ReadSource(rel.Path); err == nil {
			s = &source{path: rel.Path, display: r.displayPath(rel.Path), text: text, lines: textpos.NewLineIndex(text)}
		}
	}
	r.sources[rel.Path] = s // remember failures too: read each file once
	if s == nil || checkRange(rel.Start, rel.End, len(s.text)) != nil {
		return nil
	}
	return s
}

// displayPath shows a path that is not one of the written files the way the
// caller shows those: relative to the working directory when under it.
func (r *report) displayPath(path string) string {
	if s := r.sources[path]; s != nil {
		return s.display
	}
	if rel, ok := r.underWorkDir(path); ok {
		return rel
	}
	return path
}

// underWorkDir returns path relative to the working directory, with forward
// slashes, when path lies inside it.
func (r *report) underWorkDir(path string) (string, bool) {
	if r.workDir == "" || !filepath.IsAbs(path) {
		return "", false
	}
	rel, err := filepath.Rel(r.workDir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// shownFix is the fix a format that shows one fix per diagnostic displays:
// the one bulk fixing would apply in this mode, else the first (Ruff shows
// unsafe fixes too, marked as such).
func shownFix(d *diagnostics.Diagnostic, unsafe bool) *diagnostics.Fix {
	if f := d.PreferredFix(unsafe); f != nil {
		return f
	}
	if len(d.Fixes) > 0 {
		return &d.Fixes[0]
	}
	return nil
}

// fixable reports whether `asyncmig fix` (with --unsafe-fixes when unsafe)
// would fix d: the "[*]" marker.
func fixable(d *diagnostics.Diagnostic, unsafe bool) bool {
	return d.PreferredFix(unsafe) != nil
}

// hiddenUnsafe reports whether d has an unsafe fix that only --unsafe-fixes
// would apply.
func hiddenUnsafe(d *diagnostics.Diagnostic, unsafe bool) bool {
	if unsafe || fixable(d, false) {
		return false
	}
	return slices.ContainsFunc(d.Fixes, func(f diagnostics.Fix) bool { return f.Applicability == diagnostics.Unsafe })
}

// ruleURL is the documentation address of code: the registry's, else the
// stable docs location.
func (r *report) ruleURL(code string) string {
	for _, rule := range r.opt.Rules {
		if rule.Code == code && rule.URL != "" {
			return rule.URL
		}
	}
	return diagnostics.RuleURL(code)
}
