package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Position and Range are LSP's, with UTF-16 characters: the encoding VS
// Code and most editors use, and the one where Spanish and emoji cost the
// most to convert.
type Position struct {
	Line      uint32 `json:"line"`
	Character uint32 `json:"character"`
}

type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Change is one incremental textDocument/didChange content change: one
// keystroke.
type Change struct {
	Range Range  `json:"range"`
	Text  string `json:"text"`
}

// Session is a recorded typing session: the changes an editor sent, one per
// keystroke, to one file whose text before the first keystroke is pinned
// by its hash.
type Session struct {
	Description string `json:"description"`
	// File is the edited file, relative to the workspace root, with '/'.
	File       string   `json:"file"`
	TextSHA256 string   `json:"textSHA256"`
	Changes    []Change `json:"changes"`
}

// LoadSession reads a session written by Save.
func LoadSession(path string) (*Session, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Session
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: not a typing session: %w", path, err)
	}
	if s.File == "" || len(s.Changes) == 0 {
		return nil, fmt.Errorf("%s: a typing session needs a file and at least one change", path)
	}
	return &s, nil
}

// Save writes s as indented JSON, one change per line.
func (s *Session) Save(path string) error {
	var b strings.Builder
	head, err := json.Marshal(struct {
		Description string `json:"description"`
		File        string `json:"file"`
		TextSHA256  string `json:"textSHA256"`
	}{s.Description, s.File, s.TextSHA256})
	if err != nil {
		return err
	}
	b.Write(head[:len(head)-1])
	b.WriteString(",\n\"changes\": [\n")
	for i, c := range s.Changes {
		line, err := json.Marshal(c)
		if err != nil {
			return err
		}
		b.Write(line)
		if i < len(s.Changes)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Fits reports whether text is the file the session was recorded against.
func (s *Session) Fits(text []byte) error {
	if got := textHash(text); got != s.TextSHA256 {
		return fmt.Errorf("%s is not the text this session was recorded against (sha256 %s, want %s)", s.File, got[:12], s.TextSHA256[:min(12, len(s.TextSHA256))])
	}
	return nil
}

func textHash(text []byte) string {
	sum := sha256.Sum256(text)
	return hex.EncodeToString(sum[:])
}

// Apply returns text after the first n changes of s, computed the way an
// editor does; the replay uses it to know what the server should hold.
func (s *Session) Apply(text []byte, n int) ([]byte, error) {
	for i, c := range s.Changes[:n] {
		start, err1 := offsetOf(text, c.Range.Start)
		end, err2 := offsetOf(text, c.Range.End)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("change %d: %w", i+1, err)
		}
		if end < start {
			return nil, fmt.Errorf("change %d: range end before start", i+1)
		}
		text = append(text[:start:start], append([]byte(c.Text), text[end:]...)...)
	}
	return text, nil
}

// offsetOf converts a UTF-16 position of text to a byte offset. It is
// written apart from internal/textpos on purpose: the replay checks the
// server, a shared bug would hide itself.
func offsetOf(text []byte, p Position) (int, error) {
	off := 0
	for line := uint32(0); line < p.Line; line++ {
		nl := bytes.IndexByte(text[off:], '\n')
		if nl < 0 {
			return 0, fmt.Errorf("line %d is past the end of the text", p.Line)
		}
		off += nl + 1
	}
	units := uint32(0)
	for off < len(text) && text[off] != '\n' && units < p.Character {
		r, size := utf8.DecodeRune(text[off:])
		units += uint32(utf16.RuneLen(r)) // an invalid byte is U+FFFD: one unit
		off += size
	}
	if units != p.Character {
		return 0, fmt.Errorf("character %d of line %d is past its end or inside a character", p.Character, p.Line)
	}
	return off, nil
}

// positionOf converts a byte offset of text to a UTF-16 position.
func positionOf(text []byte, off int) Position {
	head := text[:off]
	line := bytes.Count(head, []byte{'\n'})
	lineStart := bytes.LastIndexByte(head, '\n') + 1
	units := 0
	for _, r := range string(head[lineStart:]) {
		units += utf16.RuneLen(r)
	}
	return Position{Line: uint32(line), Character: uint32(units)}
}

// Backspace in a typing script deletes the character before the cursor.
const Backspace = '\b'

// Record records what an editor sends while someone types script at byte
// offset at of text, the way VS Code does for Python: one change per
// character; Backspace deletes the character before the cursor (the whole
// character: both UTF-16 units of an emoji); a newline is sent together
// with the indentation the editor adds after it; an opening bracket, or a
// quote outside a string, is inserted with its closing pair when what
// follows the cursor allows it, and typing that closing character then
// only moves the cursor over it (no change is sent).
func Record(file string, text []byte, at int, script string) *Session {
	s := &Session{File: file, TextSHA256: textHash(text)}
	cur := append([]byte(nil), text...)
	// closers are the auto-inserted closing characters right after the
	// cursor, innermost first: typing inserts before them.
	var closers []byte
	for i := 0; i < len(script); {
		r, size := utf8.DecodeRuneInString(script[i:])
		var c Change
		switch {
		case len(closers) > 0 && r == rune(closers[0]):
			closers = closers[1:]
			at++
			i += size
			continue
		case r == Backspace:
			_, prev := utf8.DecodeLastRune(cur[:at])
			c = Change{Range: Range{positionOf(cur, at-prev), positionOf(cur, at)}}
			cur = append(cur[:at-prev:at-prev], cur[at:]...)
			at -= prev
		default:
			typed := script[i : i+size]
			// An emoji with a variation selector or joiners is one
			// character to the user, inserted at once.
			for j := i + size; j < len(script); {
				next, n := utf8.DecodeRuneInString(script[j:])
				if next == '\u200d' && j+n < len(script) {
					_, m := utf8.DecodeRuneInString(script[j+n:])
					n += m
				} else if next < '\ufe00' || next > '\ufe0f' {
					break
				}
				j += n
				typed = script[i:j]
			}
			if r == '\n' {
				indent := len(script[i+1:]) - len(strings.TrimLeft(script[i+1:], " "))
				typed = script[i : i+1+indent]
			}
			size = len(typed)
			inserted := typed
			if closer, ok := autoClose(r, closers, cur, at); ok {
				inserted += string(closer)
				closers = append([]byte{closer}, closers...)
			}
			p := positionOf(cur, at)
			c = Change{Range: Range{p, p}, Text: inserted}
			cur = append(cur[:at:at], append([]byte(inserted), cur[at:]...)...)
			at += len(typed)
		}
		s.Changes = append(s.Changes, c)
		i += size
	}
	return s
}

// autoClose says whether typing r at offset at inserts a closing pair, as
// VS Code's Python configuration does: brackets anywhere, quotes outside
// strings, and only before whitespace, the end of the line, a closing
// character (or, for brackets, a quote).
func autoClose(r rune, closers []byte, text []byte, at int) (byte, bool) {
	pairs := map[rune]byte{'(': ')', '[': ']', '{': '}', '"': '"', '\'': '\''}
	closer, ok := pairs[r]
	if !ok {
		return 0, false
	}
	if (r == '"' || r == '\'') && slices.ContainsFunc(closers, func(c byte) bool { return c == '"' || c == '\'' }) {
		return 0, false // inside a string
	}
	// VS Code's defaults (autoCloseBefore for quotes, and for brackets).
	before := ";:.,=}])> \n\t\r"
	if rune(closer) != r {
		before += "'\"`"
	}
	if at < len(text) && !strings.ContainsRune(before, rune(text[at])) {
		return 0, false
	}
	return closer, true
}
