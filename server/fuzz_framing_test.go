package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// probeID is the id of the request sent after the fuzzed bytes; seeds do
// not contain it, so no fuzzed message can answer or cancel it.
const probeID = "sonda-☃-después-de-la-basura"

// headerLine is the strict header grammar the reference model accepts.
var headerLine = regexp.MustCompile(`^([A-Za-z][A-Za-z-]{0,39}): ?([ -~]{0,100})$`)

// cleanFrames is the reference model of LSP framing, deliberately
// conservative: it accepts only input made of complete, well-formed frames
// (optional blank lines, CRLF header lines with exactly one plain
// Content-Length, then the body). For such input the server must read every
// frame and answer what follows; for anything else the fuzz target only
// requires that the server neither crashes nor hangs.
func cleanFrames(data []byte) ([][]byte, bool) {
	var bodies [][]byte
	for len(data) > 0 {
		for bytes.HasPrefix(data, []byte("\r\n")) || bytes.HasPrefix(data, []byte("\n")) {
			data = data[bytes.IndexByte(data, '\n')+1:]
		}
		if len(data) == 0 {
			break
		}
		length := -1
		for {
			end := bytes.Index(data, []byte("\r\n"))
			if end < 0 {
				return nil, false
			}
			line := string(data[:end])
			data = data[end+2:]
			if line == "" {
				break
			}
			m := headerLine.FindStringSubmatch(line)
			if m == nil {
				return nil, false
			}
			if strings.EqualFold(m[1], "Content-Length") {
				n, err := strconv.Atoi(m[2])
				if err != nil || length >= 0 || n < 0 || len(m[2]) > 9 || strings.TrimLeft(m[2], "0123456789") != "" {
					return nil, false
				}
				length = n
			}
		}
		if length < 0 || length > len(data) {
			return nil, false
		}
		bodies = append(bodies, data[:length])
		data = data[length:]
	}
	return bodies, true
}

// mayEndSession reports whether a body could be an exit notification,
// after which nothing needs an answer. It errs towards yes: any "exit",
// any case, and any \u escape (which could spell it).
func mayEndSession(body []byte) bool {
	lower := bytes.ToLower(body)
	return bytes.Contains(lower, []byte("exit")) || bytes.Contains(body, []byte(`\u`))
}

// FuzzFraming writes arbitrary bytes to a server, then a valid request.
// The server must never panic (in a handler or anywhere: a panic outside
// the dispatcher kills the fuzzing process), never send anything but
// well-formed JSON-RPC 2.0 with real error codes, never hang when the
// stream ends, and, when the bytes were complete frames, still answer the
// request that follows them.
func FuzzFraming(f *testing.F) {
	frame := func(bodies ...string) []byte {
		var b []byte
		for _, body := range bodies {
			b = append(b, lsptest.Frame(body)...)
		}
		return b
	}
	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8"]}}}}`
	initialized := `{"jsonrpc":"2.0","method":"initialized","params":{}}`
	open := `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///p/a.py","languageId":"python","version":1,"text":"from datetime import datetime\nts = datetime.utcnow()  # año 🎉\n"}}}`
	change := `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///p/a.py","version":2},"contentChanges":[{"range":{"start":{"line":1,"character":3},"end":{"line":1,"character":9}},"text":"ñ🎉"}]}}`
	action := `{"jsonrpc":"2.0","id":"acción","method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///p/a.py"},"range":{"start":{"line":1,"character":0},"end":{"line":1,"character":99}},"context":{"diagnostics":[]}}}`
	f.Add(frame(initialize, initialized, open, change, action))
	f.Add(frame(initialize, "texto plano 🎉", `[1,2]`, `{"jsonrpc":"2.0"}`, "", initialized))
	f.Add(frame(`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{}}`, `{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}`))
	f.Add(append([]byte("\r\n\ncontent-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"), frame(initialize)...))
	f.Add([]byte("Content-Length: 5\r\n\r\n{\"a\":"))
	f.Add([]byte("Content-Length: 99999999999\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: ñ\r\n\r\n"))
	f.Add(frame(`{"jsonrpc":"2.0","id":null,"method":"shutdown"}`, `{"jsonrpc":"2.0","id":3,"result":{"applied":true}}`))
	f.Add(frame(initialize, initialized, `{"jsonrpc":"2.0","id":4,"method":"workspace/executeCommand","params":{"command":"asyncmig.fixAll","arguments":["file:///p/a.py"]}}`))
	f.Add([]byte("\xff\xfe\x00Content-Length: 3\r\n\r\nabc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			t.Skip("larger than a fuzzing input needs to be")
		}
		bodies, clean := cleanFrames(data)
		expectAnswer := clean
		for _, b := range bodies {
			if mayEndSession(b) {
				expectAnswer = false
			}
		}

		core, logs := observer.New(zapcore.ErrorLevel)
		srv := New(Options{
			Logger: zap.New(core),
			// Fuzzed bytes must not make the server index the machine's
			// filesystem: indexing stops before it starts. (Goexit runs the
			// background task's deferred bookkeeping.)
			beforeIndex: runtime.Goexit,
		})
		srv.methods["test/echo"] = func(_ *Server, _ context.Context, r *request) (any, *jsonrpc2.Error) {
			return r.params, nil
		}
		serverEnd, clientEnd := net.Pipe()
		exited := make(chan int, 1)
		go func() {
			code := srv.Serve(context.Background(), serverEnd)
			serverEnd.Close()
			exited <- code
		}()

		c := newRawClient(t, clientEnd)
		c.write(data)
		probe, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": probeID, "method": "test/echo", "params": map[string]string{"text": spanish}})
		c.write(lsptest.Frame(string(probe)))
		if expectAnswer {
			if !c.waitProbe(10 * time.Second) {
				t.Fatalf("no answer to a request sent after %d complete frames", len(bodies))
			}
		}
		clientEnd.Close()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Fatal("the server did not stop within 10s after its input closed")
		}
		c.done()
		for _, e := range logs.All() {
			if strings.Contains(e.Message, "panicked") || strings.Contains(e.Message, "ignored cancellation") {
				t.Fatalf("%s: %v", e.Message, e.ContextMap())
			}
		}
	})
}

// rawClient is a minimal editor for the fuzz target: unlike lsptest.Client
// it allows what fuzzed input does (duplicate ids), and checks only what
// the server owes any input.
type rawClient struct {
	t     *testing.T
	conn  net.Conn
	probe chan struct{}
	wg    sync.WaitGroup

	writeMu sync.Mutex
	mu      sync.Mutex
	bad     []string
}

func newRawClient(t *testing.T, conn net.Conn) *rawClient {
	c := &rawClient{t: t, conn: conn, probe: make(chan struct{})}
	c.wg.Add(1)
	go c.read()
	return c
}

// write ignores errors: a server that gave up on broken framing closes
// the pipe.
func (c *rawClient) write(b []byte) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_, _ = c.conn.Write(b)
}

func (c *rawClient) read() {
	defer c.wg.Done()
	in := bufio.NewReader(c.conn)
	gotProbe := false
	for {
		body, err := readServerFrame(in)
		if err != nil {
			if err != io.EOF && err != io.ErrClosedPipe && !strings.Contains(err.Error(), "closed pipe") {
				c.fail("reading the server's output: %v", err)
			}
			return
		}
		var msg struct {
			JSONRPC string           `json:"jsonrpc"`
			ID      *json.RawMessage `json:"id"`
			Method  string           `json:"method"`
			Result  *json.RawMessage `json:"result"`
			Error   *struct {
				Code    *int64 `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &msg); err != nil || msg.JSONRPC != "2.0" {
			c.fail("not a JSON-RPC 2.0 message: %q", body)
			continue
		}
		switch {
		case msg.Method != "" && msg.ID != nil: // a request to the editor
			reply := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"no"}}`, *msg.ID)
			go c.write(lsptest.Frame(reply)) // never block the reader
		case msg.Method == "": // a response
			if (msg.Result == nil) == (msg.Error == nil) {
				c.fail("a response needs exactly one of result and error: %s", body)
			}
			if msg.Error != nil && (msg.Error.Code == nil || *msg.Error.Code == 0) {
				c.fail("error without a code: %s", body)
			}
			if msg.ID != nil && string(*msg.ID) == strconv.Quote(probeID) && !gotProbe {
				gotProbe = true
				close(c.probe)
			}
		}
	}
}

func (c *rawClient) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bad = append(c.bad, fmt.Sprintf(format, args...))
}

func (c *rawClient) waitProbe(d time.Duration) bool {
	select {
	case <-c.probe:
		return true
	case <-time.After(d):
		return false
	}
}

// done waits for the reader and reports what it saw wrong.
func (c *rawClient) done() {
	c.wg.Wait()
	c.writeMu.Lock() // let reply writers finish against the closed pipe
	c.writeMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.bad {
		c.t.Error(b)
	}
}

// readServerFrame reads one frame the server wrote; its framing must be
// exact.
func readServerFrame(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(line, "Content-Length: "), "\r\n"))
	if err != nil || !strings.HasSuffix(line, "\r\n") {
		return nil, fmt.Errorf("bad header %q from the server", line)
	}
	if blank, err := r.ReadString('\n'); err != nil || blank != "\r\n" {
		return nil, fmt.Errorf("no blank line after the header (%q, %v)", blank, err)
	}
	body := make([]byte, n)
	_, err = io.ReadFull(r, body)
	return body, err
}

func TestCleanFramesModel(t *testing.T) {
	for _, c := range []struct {
		in     string
		bodies int
		clean  bool
	}{
		{"", 0, true},
		{"Content-Length: 2\r\n\r\n{}", 1, true},
		{"\r\n\nContent-Length: 2\r\nContent-Type: x; charset=utf-8\r\n\r\n{}Content-Length: 0\r\n\r\n", 2, true},
		{"Content-Length: 3\r\n\r\n{}", 0, false},                     // body cut short
		{"Content-Length: 2\n\n{}", 0, false},                         // LF-only headers: not in the strict subset
		{"Content-Length: +2\r\n\r\n{}", 0, false},                    // sign
		{"Content-Length 2\r\n\r\n{}", 0, false},                      // no colon
		{"X: 1\r\n\r\n", 0, false},                                    // no Content-Length
		{"Content-Length: 1\r\nContent-Length: 1\r\n\r\nx", 0, false}, // twice
	} {
		bodies, clean := cleanFrames([]byte(c.in))
		if clean != c.clean || len(bodies) != c.bodies {
			t.Errorf("cleanFrames(%q) = %d bodies, %v; want %d, %v", c.in, len(bodies), clean, c.bodies, c.clean)
		}
	}
}
