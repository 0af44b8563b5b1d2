package replay

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

const sessionFile = "testdata/typing500.json"

// The shipped session is what RecordDefault records against the 5,000-line
// module: regenerate it with `go run ./scripts/replay record DIR FILE`.
func TestShippedSessionIsReproducible(t *testing.T) {
	shipped, err := os.ReadFile(sessionFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := RecordDefault([]byte(BigModule(5000)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.json")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(path)
	if !bytes.Equal(shipped, again) {
		t.Errorf("%s is not what RecordDefault records now; record it again", sessionFile)
	}
}

func TestSessionTypesTheEndpoint(t *testing.T) {
	s, err := LoadSession(sessionFile)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte(BigModule(5000))
	if err := s.Fits(text); err != nil {
		t.Fatal(err)
	}
	if len(s.Changes) != SessionKeystrokes {
		t.Fatalf("%d keystrokes, want %d", len(s.Changes), SessionKeystrokes)
	}
	if err := s.Fits([]byte(BigModule(4000))); err == nil {
		t.Error("the session fits a different text")
	}
	final, err := s.Apply(text, len(s.Changes))
	if err != nil {
		t.Fatal(err)
	}
	// The endpoint, typed at the empty line in the middle (and maybe a
	// blank line more, to make the count).
	at := middleDefinition(string(text))
	want := string(text[:at]) + typedEndpoint + string(text[at:])
	if len(final) == len(want)+1 {
		want = string(text[:at]) + typedEndpoint + "\n" + string(text[at:])
	}
	if string(final) != want {
		i := 0
		for i < len(final) && i < len(want) && final[i] == want[i] {
			i++
		}
		t.Fatalf("after the session the text differs at byte %d: %q", i, final[i:min(i+80, len(final))])
	}
	tree, err := pysyntax.Parse(final)
	if err != nil || tree.HasError() {
		t.Errorf("the typed module does not parse cleanly (%v)", err)
	}
	// Typos were fixed with backspace, the emoji deleted as one character.
	backspaces, emoji := 0, false
	for i, c := range s.Changes {
		if c.Text == "" {
			backspaces++
			if c.Range.End.Character-c.Range.Start.Character == 2 {
				emoji = true
			}
		}
		if c.Text == "" && c.Range.Start == c.Range.End {
			t.Errorf("change %d deletes nothing", i+1)
		}
	}
	if backspaces < 10 || !emoji {
		t.Errorf("%d backspaces, emoji deleted: %v", backspaces, emoji)
	}
}

func TestPositionsCountUTF16(t *testing.T) {
	text := []byte("# año 🎉 ñ\nx = \"🚀é\"\n")
	for _, tc := range []struct {
		off  int
		want Position
	}{
		{0, Position{0, 0}},
		{len("# año"), Position{0, 5}},
		{len("# año 🎉"), Position{0, 8}},
		{len("# año 🎉 ñ\nx = \"🚀"), Position{1, 7}},
		{len(text), Position{2, 0}},
	} {
		if got := positionOf(text, tc.off); got != tc.want {
			t.Errorf("positionOf(%d) = %v, want %v", tc.off, got, tc.want)
		}
		if off, err := offsetOf(text, tc.want); err != nil || off != tc.off {
			t.Errorf("offsetOf(%v) = %d, %v, want %d", tc.want, off, err, tc.off)
		}
	}
	if _, err := offsetOf(text, Position{0, 7}); err == nil {
		t.Error("a position inside the surrogate pair of 🎉 was accepted")
	}
	if _, err := offsetOf(text, Position{5, 0}); err == nil {
		t.Error("a line past the end was accepted")
	}
}

func TestRecordGroupsWhatAnEditorInsertsAtOnce(t *testing.T) {
	text := []byte("def f():\n    pass\n")
	s := Record("f.py", text, len("def f():\n    pass"), "\n    x = 1  # 🏋️ ok\b\b")
	var texts []string
	for _, c := range s.Changes {
		texts = append(texts, c.Text)
	}
	got := strings.Join(texts, "|")
	if want := "\n    |x| |=| |1| | |#| |🏋️| |o|k||"; got != want {
		t.Errorf("changes %q, want %q", got, want)
	}
	final, err := s.Apply(text, len(s.Changes))
	if err != nil {
		t.Fatal(err)
	}
	if want := "def f():\n    pass\n    x = 1  # 🏋️ \n"; string(final) != want {
		t.Errorf("text %q, want %q", final, want)
	}
}

func TestQuantile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for q, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := Quantile(ds, q); got != want {
			t.Errorf("Quantile(%v) = %v, want %v", q, got, want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Quantile reordered its argument")
	}
	if Quantile(nil, 0.5) != 0 {
		t.Error("Quantile of nothing")
	}
}

func TestRecordClosesPairsLikeAnEditor(t *testing.T) {
	text := []byte("\nvalor\n")
	s := Record("f.py", text, 0, `f(x, "a{ñ}")`)
	var texts []string
	for _, c := range s.Changes {
		texts = append(texts, c.Text)
	}
	// ( " and { come with their closer; typing the closers sends nothing.
	if got, want := strings.Join(texts, "|"), `f|()|x|,| |""|a|{}|ñ`; got != want {
		t.Errorf("changes %q, want %q", got, want)
	}
	final, err := s.Apply(text, len(s.Changes))
	if err != nil {
		t.Fatal(err)
	}
	if want := "f(x, \"a{ñ}\")\nvalor\n"; string(final) != want {
		t.Errorf("text %q, want %q", final, want)
	}
	// Before a word character nothing is closed.
	s = Record("f.py", text, 1, "(")
	if len(s.Changes) != 1 || s.Changes[0].Text != "(" {
		t.Errorf("before `valor`: %+v", s.Changes)
	}
}
