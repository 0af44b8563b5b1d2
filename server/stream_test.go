package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A body that is not JSON-RPC used to end the session (gotcha 6). Now the
// client gets -32700 with id null and the server reads on.
func TestBodyThatIsNotJSONRPC(t *testing.T) {
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":`, // cut short
		"texto plano 🎉",
		`[1,2,3]`,
		`{"jsonrpc":"2.0"}`,
		`{"jsonrpc":"1.0","id":5,"method":"test/echo"}`,
		"",
	} {
		t.Run(body, func(t *testing.T) {
			c := startInitialized(t, nil)
			c.SendRaw(lsptest.Frame(body))
			reply := c.WaitMessage("a reply with id null", lsptest.Timeout, func(m *lsptest.Message) bool {
				return m.IsResponse() && string(m.ID) == "null"
			})
			if reply.Error == nil || reply.Error.Code != -32700 {
				t.Errorf("got %s, want error -32700", reply.Raw)
			}
			echo(t, c)
		})
	}
}

func TestOversizedMessageIsSkipped(t *testing.T) {
	s := newTestServer(t, Options{maxMessageBytes: 1 << 10}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(nil)
	big := fmt.Sprintf(`{"jsonrpc":"2.0","id":"big","method":"test/echo","params":{"text":%q}}`, strings.Repeat("ñ", 1<<10))
	c.SendRaw(lsptest.Frame(big))
	reply := c.WaitMessage("a reply with id null", lsptest.Timeout, func(m *lsptest.Message) bool {
		return m.IsResponse() && string(m.ID) == "null"
	})
	wantError(t, reply.Error, -32600, fmt.Sprint(len(big)), "limit")
	echo(t, c)
}

// Only a broken frame ends the session.
func TestBrokenFrameEndsTheSession(t *testing.T) {
	for name, raw := range map[string]string{
		"header without colon":   "Content-Length 12\r\n\r\n",
		"no Content-Length":      "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}",
		"negative length":        "Content-Length: -4\r\n\r\n",
		"length is not a number": "Content-Length: doce\r\n\r\n",
		"header line too long":   "X-Padding: " + strings.Repeat("a", 5000) + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := startInitialized(t, nil)
			c.SendRaw([]byte(raw))
			if code := c.ExitCode(); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
		})
	}
}

func TestHeaderVariantsAreAccepted(t *testing.T) {
	c := startInitialized(t, nil)
	body := `{"jsonrpc":"2.0","id":"h","method":"test/echo","params":{"text":"` + spanish + `"}}`
	c.SendRaw([]byte("\r\ncontent-length: " + fmt.Sprint(len(body)) +
		"\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body))
	reply := c.WaitResponse(`"h"`)
	if !strings.Contains(string(reply.Result), spanish) {
		t.Errorf("got %s", reply.Raw)
	}
}

// The stream counts bytes, not characters, both ways.
func TestStreamFramesNonASCII(t *testing.T) {
	var out bytes.Buffer
	s := newStream(nopCloser{strings.NewReader(""), &out}, zap.NewNop(), false, 0)
	msg, err := jsonrpc2.NewCall(jsonrpc2.NewStringID("petición-1"), "test/echo", map[string]string{"text": spanish})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	back := newStream(nopCloser{bytes.NewReader(out.Bytes()), io.Discard}, zap.NewNop(), false, 0)
	got, n, err := back.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(out.String(), "\r\n\r\n")
	if header != fmt.Sprintf("Content-Length: %d", len(body)) || n != int64(len(body)) {
		t.Errorf("header %q for a %d-byte body (read reported %d)", header, len(body), n)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(msg)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("round trip changed the message:\n%s\n%s", gotJSON, wantJSON)
	}
	if _, _, err := back.Read(t.Context()); err != io.EOF {
		t.Errorf("after the last message: %v, want EOF", err)
	}
}

func TestSnippetKeepsUTF8(t *testing.T) {
	s := string(snippet([]byte("ñññ🎉🎉"), 7))
	if !strings.HasPrefix(s, "ñññ…") || !strings.Contains(s, "14 bytes") {
		t.Errorf("snippet = %q", s)
	}
}

type nopCloser struct {
	io.Reader
	io.Writer
}

func (nopCloser) Close() error { return nil }

func BenchmarkStreamRead(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20, 16 << 20} {
		// A didOpen of size bytes of Python with non-ASCII comments.
		text := strings.Repeat("x = 1  # conexión 🎉\n", size/24+1)[:size]
		body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen",
			"params": map[string]any{"textDocument": map[string]any{"uri": "file:///app/main.py", "text": text}}})
		frame := lsptest.Frame(string(body))
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(frame)))
			r := bytes.NewReader(frame)
			s := newStream(nopCloser{r, io.Discard}, zap.NewNop(), false, 0)
			for b.Loop() {
				r.Reset(frame)
				s.in.Reset(r)
				if _, _, err := s.Read(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
