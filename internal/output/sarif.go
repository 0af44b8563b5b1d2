package output

import (
	"bufio"
	"cmp"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// SARIF 2.1.0 (OASIS), as GitHub code scanning and other viewers read it.
// Columns are counted in Unicode code points like every other format here;
// SARIF's default is UTF-16 code units, so the run declares columnKind.
// Files under the working directory get URIs relative to %SRCROOT%, which
// the run defines, so a report can be moved with its checkout; others get
// absolute file: URIs.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifSrcRoot = "%SRCROOT%"
	toolInfoURI  = "https://github.com/asyncmig/asyncmig"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
	ColumnKind         string                           `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     *sarifMessage      `json:"shortDescription,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           *sarifRuleProps    `json:"properties,omitempty"`
}

// sarifRuleProps says whether the rule offers fixes at all (some findings
// of a fixable rule may still have none).
type sarifRuleProps struct {
	Fixable bool `json:"fixable"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	Properties      map[string]string     `json:"properties,omitempty"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
}

func writeSARIF(w *bufio.Writer, r *report) error {
	rules, ruleIndex := r.sarifRules()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "asyncmig",
			Version:        r.opt.ToolVersion,
			InformationURI: toolInfoURI,
			Rules:          rules,
		}},
		Results:    make([]sarifResult, 0, len(r.items)),
		ColumnKind: "unicodeCodePoints",
	}
	if r.workDir != "" && filepath.IsAbs(r.workDir) {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{sarifSrcRoot: {URI: fileURI(r.workDir, true)}}
	}
	for _, it := range r.items {
		d, s := it.diag, it.file
		artifact := r.artifactLocation(s.path)
		res := sarifResult{
			RuleID:    d.Code,
			RuleIndex: ruleIndex[d.Code],
			Level:     sarifLevel(d.Severity),
			Message:   sarifMessage{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: artifact, Region: s.region(d.Start, d.End)}}},
		}
		for i, rel := range d.Related {
			loc := sarifLocation{ID: new(i + 1), Message: &sarifMessage{Text: rel.Message}}
			loc.PhysicalLocation.ArtifactLocation = r.artifactLocation(cmp.Or(rel.Path, s.path))
			if rs := r.relatedSource(s, rel); rs != nil {
				loc.PhysicalLocation.Region = rs.region(rel.Start, rel.End)
			}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		for _, fix := range d.Fixes {
			if fix.Applicability == diagnostics.DisplayOnly {
				continue // not meant to be applied; SARIF fixes are applied by viewers
			}
			change := sarifArtifactChange{ArtifactLocation: artifact}
			for _, e := range fix.Edits {
				rep := sarifReplacement{DeletedRegion: *s.region(e.Start, e.End)}
				if e.NewText != "" {
					rep.InsertedContent = &sarifMessage{Text: e.NewText}
				}
				change.Replacements = append(change.Replacements, rep)
			}
			if len(change.Replacements) == 0 {
				continue // the schema requires at least one replacement
			}
			res.Fixes = append(res.Fixes, sarifFix{
				Description:     sarifMessage{Text: fix.Title},
				ArtifactChanges: []sarifArtifactChange{change},
				Properties:      map[string]string{"applicability": fix.Applicability.String()},
			})
		}
		run.Results = append(run.Results, res)
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}, "  ")
}

// sarifRules lists the rules given in Options, sorted by code, plus any code
// a result uses that the caller did not describe (a result's ruleIndex must
// point into the table).
func (r *report) sarifRules() ([]sarifRule, map[string]int) {
	byCode := map[string]sarifRule{}
	for _, rule := range r.opt.Rules {
		sr := sarifRule{
			ID:                   rule.Code,
			Name:                 rule.Name,
			HelpURI:              cmp.Or(rule.URL, diagnostics.RuleURL(rule.Code)),
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
			Properties:           &sarifRuleProps{Fixable: rule.Fixable},
		}
		if rule.Summary != "" {
			sr.ShortDescription = &sarifMessage{Text: rule.Summary}
		}
		byCode[rule.Code] = sr
	}
	for _, it := range r.items {
		if _, ok := byCode[it.diag.Code]; !ok {
			byCode[it.diag.Code] = sarifRule{
				ID:                   it.diag.Code,
				Name:                 it.diag.Name,
				HelpURI:              diagnostics.RuleURL(it.diag.Code),
				DefaultConfiguration: sarifConfiguration{Level: sarifLevel(it.diag.Severity)},
			}
		}
	}
	rules := make([]sarifRule, 0, len(byCode))
	for _, rule := range byCode {
		rules = append(rules, rule)
	}
	slices.SortFunc(rules, func(a, b sarifRule) int { return strings.Compare(a.ID, b.ID) })
	index := make(map[string]int, len(rules))
	for i, rule := range rules {
		index[rule.ID] = i
	}
	return rules, index
}

func (s *source) region(start, end int) *sarifRegion {
	a, b := s.location(start), s.location(end)
	return &sarifRegion{StartLine: a.Row, StartColumn: a.Column, EndLine: b.Row, EndColumn: b.Column}
}

func (r *report) artifactLocation(path string) sarifArtifactLocation {
	if rel, ok := r.underWorkDir(path); ok {
		return sarifArtifactLocation{URI: (&url.URL{Path: rel}).String(), URIBaseID: sarifSrcRoot}
	}
	if filepath.IsAbs(path) {
		return sarifArtifactLocation{URI: fileURI(path, false)}
	}
	return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(path)}).String()}
}

// fileURI is the file: URI of an absolute path; directories end in "/", as
// SARIF requires of uriBaseId values.
func fileURI(path string, dir bool) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func sarifLevel(s diagnostics.Severity) string {
	switch s {
	case diagnostics.SeverityError:
		return "error"
	case diagnostics.SeverityWarning:
		return "warning"
	}
	return "note"
}
