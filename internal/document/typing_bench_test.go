package document

import (
	"path/filepath"
	"testing"

	"github.com/asyncmig/asyncmig/internal/replay"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// BenchmarkTypingSession applies the recorded typing session (500
// keystrokes into the middle of a 5,000-line module, the code broken most
// of the time as it is being typed) change by change: splice, line index
// and incremental reparse, the synchronous part of every didChange. One op
// is one keystroke.
func BenchmarkTypingSession(b *testing.B) {
	session, err := replay.LoadSession(filepath.Join("..", "replay", "testdata", "typing500.json"))
	if err != nil {
		b.Fatal(err)
	}
	text := []byte(replay.BigModule(5000))
	s := NewStore()
	const uri = "file:///bench/grande.py"
	s.Open(uri, 1, text)
	version := int32(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(session.Changes)
		if k == 0 && i > 0 {
			b.StopTimer()
			version++
			s.Open(uri, version, text)
			b.StartTimer()
		}
		ch := session.Changes[k]
		r := textpos.Range{
			Start: textpos.Position{Line: ch.Range.Start.Line, Character: ch.Range.Start.Character},
			End:   textpos.Position{Line: ch.Range.End.Line, Character: ch.Range.End.Character},
		}
		version++
		if _, err := s.Change(uri, version, []Change{{Range: &r, Text: ch.Text}}, textpos.UTF16); err != nil {
			b.Fatal(err)
		}
	}
}
