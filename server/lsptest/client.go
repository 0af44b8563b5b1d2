// Package lsptest drives asyncmig's language server from tests the way an
// editor does: framed JSON-RPC over an in-memory pipe (New) or over the
// stdio of a real `asyncmig serve` process (Exec).
//
// The client keeps every message it receives, raw bytes included, so tests
// can assert exactly what an editor would see. Its framing is written apart
// from the server's on purpose: a shared bug would hide itself.
//
// Every client also checks, for the whole test, the promises the server
// makes to any editor: no error reply with code 0, never two replies to one
// request, only valid JSON-RPC on the wire. Breaking one fails the test.
package lsptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeout is how long a client waits for the server before failing the
// test. It guards against hangs; it is not a performance bound.
const Timeout = 10 * time.Second

// ServeFunc runs a server over rwc and returns its exit code, like
// (*server.Server).Serve.
type ServeFunc func(ctx context.Context, rwc io.ReadWriteCloser) int

// Message is one message from the server.
type Message struct {
	// ID is the raw JSON id: nil for a notification, `null` for an error
	// reply the server could not tie to a request.
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *ResponseError  `json:"error,omitempty"`
	// Raw is the body exactly as received.
	Raw []byte `json:"-"`
}

// IsResponse reports whether m answers a request.
func (m *Message) IsResponse() bool { return m.Method == "" }

// IsNotification reports whether m is a notification from the server.
func (m *Message) IsNotification() bool { return m.Method != "" && m.ID == nil }

// ResponseError is a JSON-RPC error object.
type ResponseError struct {
	Code    int64           `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *ResponseError) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

// RequestHandler answers a server→client request.
type RequestHandler func(params json.RawMessage) (result any, err *ResponseError)

// Client is a test's editor.
type Client struct {
	t    testing.TB
	conn io.ReadWriteCloser
	// closeInput ends the stream towards the server (stdin for a process).
	closeInput func() error
	in         *bufio.Reader

	writeMu sync.Mutex
	nextID  int

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced whenever state below changes
	messages   []*Message
	responses  map[string]*Message // by canonical id
	handlers   map[string]RequestHandler
	readErr    error
	violations []string

	readerDone chan struct{}
	answering  sync.WaitGroup

	exitDone chan struct{}
	exitCode int
}

// New starts serve over an in-memory pipe and returns the client end. When
// the test ends the client closes the pipe, and the test fails if serve
// does not return.
func New(t testing.TB, serve ServeFunc) *Client {
	t.Helper()
	serverEnd, clientEnd := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	c := newClient(t, clientEnd, clientEnd.Close)
	go func() {
		code := serve(ctx, serverEnd)
		_ = serverEnd.Close()
		c.exitCode = code
		close(c.exitDone)
	}()
	t.Cleanup(func() { c.finish(cancel) })
	return c
}

func newClient(t testing.TB, conn io.ReadWriteCloser, closeInput func() error) *Client {
	c := &Client{
		t:          t,
		conn:       conn,
		closeInput: closeInput,
		in:         bufio.NewReader(conn),
		changed:    make(chan struct{}),
		responses:  make(map[string]*Message),
		handlers: map[string]RequestHandler{
			// What editors answer when they accept the request.
			"window/workDoneProgress/create": acknowledge,
			"client/registerCapability":      acknowledge,
			"client/unregisterCapability":    acknowledge,
		},
		readerDone: make(chan struct{}),
		exitDone:   make(chan struct{}),
	}
	go c.read()
	return c
}

func acknowledge(json.RawMessage) (any, *ResponseError) { return nil, nil }

// finish runs at cleanup: close the stream, wait for the server to stop,
// then report what the reader saw.
func (c *Client) finish(afterExit func()) {
	c.t.Helper()
	_ = c.closeInput()
	select {
	case <-c.exitDone:
	case <-time.After(Timeout):
		c.t.Errorf("lsptest: the server did not stop within %v after its input closed", Timeout)
	}
	afterExit()
	_ = c.conn.Close()
	<-c.readerDone
	c.answering.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.violations {
		c.t.Errorf("lsptest: %s", v)
	}
}

// read is the reader goroutine: it records every message and answers
// server→client requests.
func (c *Client) read() {
	defer close(c.readerDone)
	for {
		body, err := readFrame(c.in)
		if err != nil {
			c.update(func() { c.readErr = err })
			return
		}
		msg := &Message{Raw: body}
		var envelope struct {
			JSONRPC string `json:"jsonrpc"`
		}
		if err := json.Unmarshal(body, msg); err != nil || json.Unmarshal(body, &envelope) != nil || envelope.JSONRPC != "2.0" {
			c.update(func() {
				c.violations = append(c.violations, fmt.Sprintf("the server sent a body that is not JSON-RPC 2.0: %s", body))
			})
			continue
		}
		c.update(func() { c.record(msg) })
		if !msg.IsResponse() && msg.ID != nil {
			c.answering.Add(1)
			go c.answer(msg) // not on this goroutine: the write could wait on the server's reader
		}
	}
}

func (c *Client) record(msg *Message) {
	c.messages = append(c.messages, msg)
	if !msg.IsResponse() {
		return
	}
	if msg.Error != nil && msg.Error.Code == 0 {
		c.violations = append(c.violations, fmt.Sprintf("error reply with code 0: %s", msg.Raw))
	}
	if msg.Error == nil && msg.Result == nil {
		c.violations = append(c.violations, fmt.Sprintf("reply with neither result nor error: %s", msg.Raw))
	}
	key := canonicalID(msg.ID)
	if key == "null" || key == "" {
		if msg.Error == nil {
			c.violations = append(c.violations, fmt.Sprintf("successful reply without an id: %s", msg.Raw))
		}
		return
	}
	if first, dup := c.responses[key]; dup {
		c.violations = append(c.violations, fmt.Sprintf("two replies to request %s:\n  %s\n  %s", key, first.Raw, msg.Raw))
		return
	}
	c.responses[key] = msg
}

func (c *Client) answer(req *Message) {
	defer c.answering.Done()
	c.mu.Lock()
	h, ok := c.handlers[req.Method]
	c.mu.Unlock()
	reply := map[string]any{"jsonrpc": "2.0", "id": req.ID}
	if !ok {
		reply["error"] = &ResponseError{Code: -32601, Message: "lsptest: no handler for " + req.Method}
	} else if result, err := h(req.Params); err != nil {
		reply["error"] = err
	} else {
		reply["result"] = result
	}
	body, err := json.Marshal(reply)
	if err != nil {
		c.update(func() {
			c.violations = append(c.violations, fmt.Sprintf("encoding the reply to %s: %v", req.Method, err))
		})
		return
	}
	_ = c.write(body) // fails only once the server is gone
}

// update changes client state under the lock and wakes waiters.
func (c *Client) update(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f()
	close(c.changed)
	c.changed = make(chan struct{})
}

// HandleRequest sets how the client answers a server→client request. Without
// a handler the client answers -32601, except for progress and registration
// requests, which it accepts.
func (c *Client) HandleRequest(method string, h RequestHandler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers[method] = h
}

// Frame wraps a body in LSP framing, for SendRaw.
func Frame(body string) []byte {
	return []byte("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}

// SendRaw writes bytes to the server as they are: frames, broken frames, or
// anything else. The error is the write's: a server that gives up on a
// broken frame may close the stream before it has all been written, and a
// later wait reports a stream that ended unexpectedly.
func (c *Client) SendRaw(b []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_, err := c.conn.Write(b)
	return err
}

func (c *Client) write(body []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_, err := c.conn.Write(Frame(string(body)))
	return err
}

func (c *Client) send(msg map[string]any) {
	c.t.Helper()
	body, err := json.Marshal(msg)
	if err != nil {
		c.t.Fatalf("lsptest: encoding %v: %v", msg["method"], err)
	}
	if err := c.write(body); err != nil {
		c.t.Fatalf("lsptest: sending %v: %v", msg["method"], err)
	}
}

// Notify sends a notification. nil params are omitted.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		msg["params"] = params
	}
	c.send(msg)
}

// Send sends a request without waiting and returns its id as JSON text, for
// WaitResponse and $/cancelRequest. nil params are omitted.
func (c *Client) Send(method string, params any) (id string) {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	n := c.nextID
	c.mu.Unlock()
	msg := map[string]any{"jsonrpc": "2.0", "id": n, "method": method}
	if params != nil {
		msg["params"] = params
	}
	c.send(msg)
	return strconv.Itoa(n)
}

// Call sends a request, waits for its reply and decodes the result into
// result (if not nil). It returns the reply's error, if any.
func (c *Client) Call(method string, params, result any) *ResponseError {
	c.t.Helper()
	reply := c.WaitResponse(c.Send(method, params))
	if reply.Error != nil {
		return reply.Error
	}
	if result != nil {
		if err := json.Unmarshal(reply.Result, result); err != nil {
			c.t.Fatalf("lsptest: decoding the result of %s: %v\n%s", method, err, reply.Raw)
		}
	}
	return nil
}

// WaitResponse waits for the reply to the request whose id is the JSON text
// id (`3`, `"abc"`).
func (c *Client) WaitResponse(id string) *Message {
	c.t.Helper()
	key := canonicalID(json.RawMessage(id))
	return c.wait("the reply to request "+id, Timeout, func() *Message { return c.responses[key] })
}

// WaitNotification waits for a notification named method whose params
// satisfy match (nil matches any), received at any time so far or within
// timeout.
func (c *Client) WaitNotification(method string, match func(params json.RawMessage) bool, timeout time.Duration) *Message {
	c.t.Helper()
	return c.WaitMessage("notification "+method, timeout, func(m *Message) bool {
		return m.IsNotification() && m.Method == method && (match == nil || match(m.Params))
	})
}

// WaitMessage waits for any message satisfying match; what describes it in
// the failure.
func (c *Client) WaitMessage(what string, timeout time.Duration, match func(*Message) bool) *Message {
	c.t.Helper()
	return c.wait(what, timeout, func() *Message {
		for _, m := range c.messages {
			if match(m) {
				return m
			}
		}
		return nil
	})
}

// Messages returns every message received so far.
func (c *Client) Messages() []*Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*Message(nil), c.messages...)
}

// wait polls find (under the lock) each time the client's state changes.
func (c *Client) wait(what string, timeout time.Duration, find func() *Message) *Message {
	c.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		m, changed, readErr := find(), c.changed, c.readErr
		c.mu.Unlock()
		if m != nil {
			return m
		}
		if readErr != nil {
			c.t.Fatalf("lsptest: waiting for %s: the stream ended (%v)", what, readErr)
		}
		select {
		case <-changed:
		case <-deadline.C:
			c.t.Fatalf("lsptest: no %s within %v", what, timeout)
		}
	}
}

// Initialize sends initialize with params (nil: no capabilities), then the
// initialized notification, and returns the raw initialize result.
func (c *Client) Initialize(params any) json.RawMessage {
	c.t.Helper()
	if params == nil {
		params = map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
	}
	var result json.RawMessage
	if err := c.Call("initialize", params, &result); err != nil {
		c.t.Fatalf("lsptest: initialize failed: %v", err)
	}
	c.Notify("initialized", map[string]any{})
	return result
}

// Shutdown sends shutdown and fails the test unless it succeeds.
func (c *Client) Shutdown() {
	c.t.Helper()
	if err := c.Call("shutdown", nil, nil); err != nil {
		c.t.Fatalf("lsptest: shutdown failed: %v", err)
	}
}

// Exit sends the exit notification.
func (c *Client) Exit() {
	c.t.Helper()
	c.Notify("exit", nil)
}

// CloseStream closes the stream to the server, as an editor that dies does.
func (c *Client) CloseStream() {
	_ = c.closeInput()
}

// ExitCode waits for the server to stop and returns its exit code.
func (c *Client) ExitCode() int {
	c.t.Helper()
	select {
	case <-c.exitDone:
		return c.exitCode
	case <-time.After(Timeout):
		c.t.Fatalf("lsptest: the server did not stop within %v", Timeout)
		return -1
	}
}

// canonicalID strips insignificant whitespace so ids compare as map keys.
func canonicalID(id json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, id); err != nil {
		return string(id)
	}
	return buf.String()
}

// readFrame reads one Content-Length frame.
func readFrame(r *bufio.Reader) ([]byte, error) {
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			if length, err = strconv.Atoi(strings.TrimSpace(value)); err != nil {
				return nil, fmt.Errorf("bad Content-Length %q", value)
			}
		}
	}
	if length < 0 {
		return nil, fmt.Errorf("frame without Content-Length")
	}
	body := make([]byte, length)
	_, err := io.ReadFull(r, body)
	return body, err
}
