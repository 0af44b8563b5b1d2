package replay

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"
)

// client speaks just enough LSP to drive a server the way an editor does:
// framed JSON-RPC, answers to the server's own requests, and a record of
// every publishDiagnostics with the moment its frame arrived.
type client struct {
	w   io.Writer
	wmu sync.Mutex

	mu       sync.Mutex
	nextID   int
	pending  map[string]chan *message
	progress map[string]bool // work-done tokens ended
	pub      map[string]published
	changed  chan struct{} // closed and replaced at every state change
	readErr  error
	settings map[string]any
}

type message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// published is the latest publishDiagnostics of one document.
type published struct {
	version     int32 // -1: no version
	diagnostics int
	at          time.Time
}

func newClient(r io.Reader, w io.Writer, settings map[string]any) *client {
	c := &client{w: w, pending: map[string]chan *message{}, progress: map[string]bool{},
		pub: map[string]published{}, changed: make(chan struct{}), settings: settings}
	go c.read(bufio.NewReaderSize(r, 1<<20))
	return c
}

func (c *client) read(r *bufio.Reader) {
	tp := textproto.NewReader(r)
	for {
		body, err := readFrame(tp, r)
		at := time.Now()
		if err != nil {
			c.update(func() { c.readErr = fmt.Errorf("reading from the server: %w", err) })
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			c.update(func() { c.readErr = fmt.Errorf("the server sent invalid JSON: %w", err) })
			return
		}
		switch {
		case m.Method == "" && m.ID != nil:
			c.mu.Lock()
			ch := c.pending[string(m.ID)]
			delete(c.pending, string(m.ID))
			c.mu.Unlock()
			if ch != nil {
				ch <- &m
			}
		case m.ID != nil:
			c.answer(&m)
		default:
			c.notification(&m, at)
		}
	}
}

func readFrame(tp *textproto.Reader, r io.Reader) ([]byte, error) {
	header, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(header.Get("Content-Length"))
	if err != nil || n < 0 {
		return nil, fmt.Errorf("bad Content-Length %q", header.Get("Content-Length"))
	}
	body := make([]byte, n)
	_, err = io.ReadFull(r, body)
	return body, err
}

// answer replies to a request from the server as a plain editor would.
func (c *client) answer(m *message) {
	var result any
	switch m.Method {
	case "workspace/configuration":
		var p struct {
			Items []json.RawMessage `json:"items"`
		}
		json.Unmarshal(m.Params, &p)
		items := make([]any, len(p.Items))
		for i := range items {
			items[i] = c.settings
		}
		result = items
	}
	c.write(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
}

func (c *client) notification(m *message, at time.Time) {
	switch m.Method {
	case "textDocument/publishDiagnostics":
		var p struct {
			URI         string            `json:"uri"`
			Version     *int32            `json:"version"`
			Diagnostics []json.RawMessage `json:"diagnostics"`
		}
		if json.Unmarshal(m.Params, &p) != nil {
			return
		}
		v := int32(-1)
		if p.Version != nil {
			v = *p.Version
		}
		c.update(func() { c.pub[p.URI] = published{version: v, diagnostics: len(p.Diagnostics), at: at} })
	case "$/progress":
		var p struct {
			Token json.RawMessage `json:"token"`
			Value struct {
				Kind string `json:"kind"`
			} `json:"value"`
		}
		if json.Unmarshal(m.Params, &p) == nil && p.Value.Kind == "end" {
			c.update(func() { c.progress[string(p.Token)] = true })
		}
	}
}

// update changes the client's state under its lock and wakes the waiters.
func (c *client) update(f func()) {
	c.mu.Lock()
	f()
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// waitFor waits until cond (called under the lock) holds.
func (c *client) waitFor(what string, timeout time.Duration, cond func() bool) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		ok, err, ch := cond(), c.readErr, c.changed
		c.mu.Unlock()
		if ok {
			return nil
		}
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		select {
		case <-ch:
		case <-deadline.C:
			return fmt.Errorf("no %s within %v", what, timeout)
		}
	}
}

// waitPublished waits for diagnostics of uri at version and returns when
// their frame arrived and how many there were.
func (c *client) waitPublished(uri string, version int32, timeout time.Duration) (published, error) {
	var p published
	err := c.waitFor(fmt.Sprintf("diagnostics of %s version %d", uri, version), timeout, func() bool {
		p = c.pub[uri]
		return p.version >= version
	})
	return p, err
}

// waitIndexed waits for the end of every work-done progress (the server's
// initial index reports one).
func (c *client) waitProgressEnd(timeout time.Duration) error {
	return c.waitFor("the end of indexing ($/progress end)", timeout, func() bool { return len(c.progress) > 0 })
}

func (c *client) write(msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return err
	}
	_, err = c.w.Write(body)
	return err
}

func (c *client) notify(method string, params any) error {
	return c.write(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and waits for its reply.
func (c *client) call(method string, params any, result any, timeout time.Duration) error {
	c.mu.Lock()
	c.nextID++
	id := strconv.Itoa(c.nextID)
	ch := make(chan *message, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.write(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params}); err != nil {
		return err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return &rpcError{Method: method, Code: m.Error.Code, Message: m.Error.Message}
		}
		if result != nil && len(m.Result) > 0 {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("no reply to %s within %v", method, timeout)
	}
}

type rpcError struct {
	Method  string
	Code    int
	Message string
}

func (e *rpcError) Error() string {
	return fmt.Sprintf("%s: error %d: %s", e.Method, e.Code, e.Message)
}

// fileURI turns an absolute slash path into a file URI the way VS Code
// does (percent-encoding what is not a plain path character).
func fileURI(path string) string {
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(path); i++ {
		ch := path[i]
		if ch == '/' || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}
