package output

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// sarifValidator compiles the official SARIF 2.1.0 schema (vendored in
// testdata, see testdata/SARIF-SCHEMA.md) with format assertions on, so URIs
// are checked too.
func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchema, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func validateSARIF(t *testing.T, schema *jsonschema.Schema, out string) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	return schema.Validate(inst)
}

func TestSARIFValidAgainstSchema(t *testing.T) {
	schema := sarifValidator(t)
	noRelatedSource := fixtureFiles(t)
	noRelatedSource = append(noRelatedSource[:3:3], noRelatedSource[4:]...) // drop cálculo: related region unknown
	for name, files := range map[string][]File{
		"fixture":                      fixtureFiles(t),
		"no diagnostics":               nil,
		"related file not among files": noRelatedSource,
	} {
		for _, unsafe := range []bool{false, true} {
			opt := fixtureOptions("sarif")
			opt.UnsafeFixes = unsafe
			if err := validateSARIF(t, schema, render(t, files, opt)); err != nil {
				t.Errorf("%s (unsafe=%v): invalid SARIF: %v", name, unsafe, err)
			}
		}
	}
}

// The validator must reject what the schema forbids, or the test above
// proves nothing.
func TestSARIFSchemaRejectsInvalidLog(t *testing.T) {
	schema := sarifValidator(t)
	out := render(t, fixtureFiles(t), fixtureOptions("sarif"))
	for _, c := range []struct{ from, to string }{
		{`"level": "error"`, `"level": "fatal"`},
		{`"startLine": 10`, `"startLine": 0`},
		{`"columnKind": "unicodeCodePoints"`, `"columnKind": "codePoints"`},
	} {
		bad := strings.Replace(out, c.from, c.to, 1)
		if bad == out {
			t.Fatalf("%q not in the output", c.from)
		}
		if validateSARIF(t, schema, bad) == nil {
			t.Errorf("schema accepted %s", c.to)
		}
	}
}

type sarifDecoded struct {
	Version string `json:"version"`
	Runs    []struct {
		ColumnKind         string `json:"columnKind"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Fixable bool `json:"fixable"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations        []sarifDecodedLocation `json:"locations"`
			RelatedLocations []sarifDecodedLocation `json:"relatedLocations"`
			Fixes            []struct {
				Description struct {
					Text string `json:"text"`
				} `json:"description"`
				Properties      map[string]string `json:"properties"`
				ArtifactChanges []struct {
					Replacements []struct {
						DeletedRegion   sarifRegion   `json:"deletedRegion"`
						InsertedContent *sarifMessage `json:"insertedContent"`
					} `json:"replacements"`
				} `json:"artifactChanges"`
			} `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

type sarifDecodedLocation struct {
	PhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region"`
	} `json:"physicalLocation"`
	Message *sarifMessage `json:"message"`
}

func TestSARIFFields(t *testing.T) {
	files := fixtureFiles(t)
	var log sarifDecoded
	if err := json.Unmarshal([]byte(render(t, files, fixtureOptions("sarif"))), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q: columns are code points", run.ColumnKind)
	}
	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///home/dev/tienda/" {
		t.Errorf("%%SRCROOT%% = %q", got)
	}
	driver := run.Tool.Driver
	if driver.Name != "asyncmig" || driver.Version != "0.1.0-test" || len(driver.Rules) != len(fixtureRules) {
		t.Errorf("driver %s %s with %d rules", driver.Name, driver.Version, len(driver.Rules))
	}
	for i, rule := range driver.Rules {
		if want := fixtureRules[i]; rule.ID != want.Code || rule.Properties.Fixable != want.Fixable {
			t.Errorf("rule %d: %s fixable=%v, want %s fixable=%v (sorted by code)", i, rule.ID, rule.Properties.Fixable, want.Code, want.Fixable)
		}
		if rule.HelpURI != diagnostics.RuleURL(rule.ID) || rule.Name == "" || rule.DefaultConfiguration.Level == "" {
			t.Errorf("rule %+v lacks help, name or level", rule)
		}
	}
	if len(run.Results) != 6 {
		t.Fatalf("%d results, want 6", len(run.Results))
	}

	sources := map[string][]byte{}
	for _, f := range files {
		rel := strings.TrimPrefix(f.Path, workDir+"/")
		sources[rel] = f.Source
	}
	byCode := map[string]int{}
	for i, res := range run.Results {
		byCode[res.RuleID] = i
		if rule := driver.Rules[res.RuleIndex]; rule.ID != res.RuleID {
			t.Errorf("%s: ruleIndex %d points at %s", res.RuleID, res.RuleIndex, rule.ID)
		}
		loc := res.Locations[0].PhysicalLocation
		// URIs resolve back to the files, relative to %SRCROOT% when under
		// the working directory.
		var path string
		if loc.ArtifactLocation.URIBaseID == "%SRCROOT%" {
			u, err := url.Parse(loc.ArtifactLocation.URI)
			if err != nil || u.IsAbs() {
				t.Fatalf("%s: uri %q is not a relative reference", res.RuleID, loc.ArtifactLocation.URI)
			}
			path = u.Path
		} else {
			u, err := url.Parse(loc.ArtifactLocation.URI)
			if err != nil || u.Scheme != "file" || u.Path != utilPath {
				t.Fatalf("%s: uri %q, want file://%s", res.RuleID, loc.ArtifactLocation.URI, utilPath)
			}
			path = "/opt/compartido/util.py"
		}
		src, ok := sources[path]
		if !ok {
			t.Fatalf("%s: uri %q names no input file", res.RuleID, loc.ArtifactLocation.URI)
		}
		for _, f := range files {
			for _, d := range f.Diagnostics {
				if d.Code != res.RuleID {
					continue
				}
				start, end := naiveLocation(src, d.Start), naiveLocation(src, d.End)
				want := sarifRegion{StartLine: start.Row, StartColumn: start.Column, EndLine: end.Row, EndColumn: end.Column}
				if *loc.Region != want {
					t.Errorf("%s: region %+v, want %+v", res.RuleID, *loc.Region, want)
				}
			}
		}
	}
	if got := run.Results[byCode["AM403"]].Level; got != "note" {
		t.Errorf("information-level AM403 has level %q, want note", got)
	}

	utc := run.Results[byCode["AM501"]]
	if len(utc.Fixes) != 2 || utc.Fixes[0].Properties["applicability"] != "unsafe" || utc.Fixes[1].Properties["applicability"] != "safe" {
		t.Fatalf("AM501 fixes: %+v, want the unsafe and the safe alternative in order", utc.Fixes)
	}
	insertion := utc.Fixes[1].ArtifactChanges[0].Replacements[0]
	if r := insertion.DeletedRegion; r.StartLine != 3 || r.StartColumn != 30 || r.EndColumn != 30 || insertion.InsertedContent.Text != ", timezone" {
		t.Errorf("import insertion: %+v %+v", r, insertion.InsertedContent)
	}
	if fixes := run.Results[byCode["AM105"]].Fixes; len(fixes) != 0 {
		t.Errorf("AM105 has no fix, got %d", len(fixes))
	}

	related := run.Results[byCode["AM105"]].RelatedLocations
	if len(related) != 2 {
		t.Fatalf("AM105: %d related locations, want 2", len(related))
	}
	other := related[1].PhysicalLocation
	if other.ArtifactLocation.URI != "app/legado/c%C3%A1lculo%20fiscal.py" || other.Region == nil ||
		other.Region.StartLine != 5 || other.Region.StartColumn != 23 || related[1].Message.Text == "" {
		t.Errorf("related location in the sync module: %+v %+v", other.ArtifactLocation, other.Region)
	}
}
