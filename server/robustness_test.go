package server

// Protocol robustness against a real `asyncmig serve` process: lifecycle
// abuse, bad params, cancellation, abrupt endings, and documents no editor
// should send but some do (50 MB, binary, NUL, CRLF, lone CR, BOM, a
// 20,000-character line, 10,000 nested parentheses). Each is answered, or
// skipped with a log line; the process never crashes or hangs, and keeps
// answering afterwards. The in-process tests (lifecycle_test.go,
// cancel_test.go, stream_test.go…) pin the details; these prove the
// shipped binary behaves the same over real pipes.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// realServer is a running `asyncmig serve` with debug requests on and its
// log in a file.
type realServer struct {
	*lsptest.Client
	t   *testing.T
	log string
}

func startReal(t *testing.T) *realServer {
	t.Helper()
	t.Setenv(DebugRequestsEnv, "1")
	logFile := filepath.Join(t.TempDir(), "servidor ñ.log")
	c := lsptest.Exec(t, "serve", "--log-file", logFile, "--log-level", "debug")
	s := &realServer{Client: c, t: t, log: logFile}
	t.Cleanup(func() {
		if strings.Contains(s.logText(), "panic") {
			t.Errorf("the server log mentions a panic:\n%s", tail(s.logText(), 4000))
		}
	})
	return s
}

func startRealInitialized(t *testing.T) *realServer {
	t.Helper()
	s := startReal(t)
	s.Initialize(initParams("", editorCaps(), nil))
	return s
}

func (s *realServer) logText() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// waitLog waits for a log line containing every part.
func (s *realServer) waitLog(parts ...string) {
	s.t.Helper()
	deadline := time.Now().Add(lsptest.Timeout)
	for {
		text := s.logText()
		for _, line := range strings.Split(text, "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no log line with %q in:\n%s", parts, tail(text, 4000))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// document returns the server's copy of an open document.
func (s *realServer) document(uri string) DebugDocumentResult {
	s.t.Helper()
	var got DebugDocumentResult
	if err := s.Call(methodDebugDocument, map[string]any{"textDocument": map[string]any{"uri": uri}}, &got); err != nil {
		s.t.Fatalf("%s: %v", methodDebugDocument, err)
	}
	return got
}

// alive opens a small document and checks the server still analyses it
// and answers about it: the process neither died nor wedged.
func (s *realServer) alive() {
	s.t.Helper()
	uri := fmt.Sprintf("file:///prueba/vivo_%d.py", time.Now().UnixNano())
	s.Open(uri, 1, tiendaPy)
	p := s.WaitDiagnostics(uri, 1)
	if d := diagnosticOf(s.t, p, "AM501"); d.Range.Start.Line != 3 {
		s.t.Fatalf("the server answers, but wrongly: %s", p.Raw)
	}
	if got := s.document(uri); got.Text != tiendaPy {
		s.t.Fatalf("the server holds %q", got.Text)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// utf16Units counts s in UTF-16 code units, independently of textpos.
func utf16Units(s string) uint32 { return uint32(len(utf16.Encode([]rune(s)))) }

// position of the first needle in text, per the LSP rules (lines end at
// \n, \r\n or \r; characters in UTF-16), computed independently of textpos.
func positionOf(text, needle string) protocol.Position {
	off := strings.Index(text, needle)
	line, start := 0, 0
	for i := 0; i < off; i++ {
		switch text[i] {
		case '\n':
			line, start = line+1, i+1
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			line, start = line+1, i+1
		}
	}
	return protocol.Position{Line: uint32(line), Character: utf16Units(text[start:off])}
}

func TestRealServerLifecycle(t *testing.T) {
	t.Run("requests before initialize", func(t *testing.T) {
		s := startReal(t)
		wantError(t, s.Call("textDocument/hover", map[string]any{}, nil), -32002, "not initialized")
		wantError(t, s.Call("shutdown", nil, nil), -32002, "not initialized")
		s.Initialize(initParams("", editorCaps(), nil))
		s.alive()
	})
	t.Run("second initialize", func(t *testing.T) {
		s := startRealInitialized(t)
		wantError(t, s.Call("initialize", initParams("", editorCaps(), nil), nil), -32600, "initialize")
		s.alive()
	})
	t.Run("unknown methods", func(t *testing.T) {
		s := startRealInitialized(t)
		wantError(t, s.Call("textDocument/semanticTokens/full", map[string]any{}, nil), -32601, "textDocument/semanticTokens/full")
		s.Notify("$/desconocido/ñ", map[string]any{"x": 1})
		s.Notify("workspace/didRenameFiles", map[string]any{})
		s.alive()
	})
	t.Run("debug requests are off by default", func(t *testing.T) {
		t.Setenv(DebugRequestsEnv, "")
		c := lsptest.Exec(t, "serve")
		c.Initialize(nil)
		c.Open("file:///prueba/a.py", 1, "x = 1\n")
		wantError(t, c.Call(methodDebugDocument, map[string]any{"textDocument": map[string]any{"uri": "file:///prueba/a.py"}}, nil), -32601)
		wantError(t, c.Call(methodDebugRuntime, map[string]any{}, nil), -32601)
	})
	t.Run("shutdown then requests", func(t *testing.T) {
		s := startRealInitialized(t)
		s.Shutdown()
		wantError(t, s.Call("textDocument/hover", map[string]any{}, nil), -32600, "shutting down")
		wantError(t, s.Call("shutdown", nil, nil), -32600, "shutting down")
		s.Exit()
		if code := s.ExitCode(); code != 0 {
			t.Errorf("exit code %d after shutdown and exit, want 0", code)
		}
	})
	t.Run("exit without shutdown", func(t *testing.T) {
		s := startRealInitialized(t)
		s.Exit()
		if code := s.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
	t.Run("stdin closed abruptly", func(t *testing.T) {
		s := startRealInitialized(t)
		s.Open("file:///prueba/a.py", 1, tiendaPy)
		s.SendRaw([]byte("Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\",")) // half a message
		s.CloseStream()
		if code := s.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
	t.Run("stdin closed with a request waiting on the client", func(t *testing.T) {
		s := startRealInitialized(t)
		held := make(chan struct{})
		t.Cleanup(func() { close(held) })
		s.HandleRequest("workspace/applyEdit", func(json.RawMessage) (any, *lsptest.ResponseError) {
			<-held
			return map[string]any{"applied": true}, nil
		})
		uri := "file:///prueba/fechas.py"
		s.Open(uri, 1, tiendaPy)
		s.Send("workspace/executeCommand", map[string]any{"command": "asyncmig.fixAll", "arguments": []any{uri}})
		s.WaitMessage("workspace/applyEdit", lsptest.Timeout, func(m *lsptest.Message) bool { return m.Method == "workspace/applyEdit" })
		s.CloseStream()
		if code := s.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
}

func TestRealServerBadParams(t *testing.T) {
	t.Run("invalid params", func(t *testing.T) {
		s := startRealInitialized(t)
		wantError(t, s.Call("textDocument/hover", "texto", nil), -32602)
		wantError(t, s.Call("textDocument/codeAction", map[string]any{"textDocument": 5}, nil), -32602)
		wantError(t, s.Call("workspace/executeCommand", map[string]any{"command": "asyncmig.nada"}, nil), -32602, "asyncmig.nada")
		wantError(t, s.Call("workspace/executeCommand", map[string]any{"command": "asyncmig.fixAll", "arguments": []any{7}}, nil), -32602)
		s.alive()
	})
	t.Run("notifications with bad params keep the state", func(t *testing.T) {
		s := startRealInitialized(t)
		uri := "file:///prueba/estado.py"
		s.Open(uri, 1, tiendaPy)
		s.WaitDiagnostics(uri, 1)
		s.Notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": "dos"}, "contentChanges": 7})
		s.Notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": 3},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": 90, "character": 0}, "end": map[string]any{"line": 91, "character": 0}}, "text": "x"}},
		})
		s.Notify("textDocument/didOpen", map[string]any{"textDocument": "no es un documento"})
		s.Notify("textDocument/didClose", 42)
		s.waitLog("undecodable didChange", uri)
		s.waitLog("didChange not applied", uri)
		s.waitLog("notification failed", "textDocument/didClose")
		if got := s.document(uri); got.Version != 1 || got.Text != tiendaPy {
			t.Fatalf("state changed by rejected notifications: version %d, text %q", got.Version, got.Text)
		}
		// The next good change applies to the kept text.
		at := positionOf(tiendaPy, "ts =")
		s.Change(uri, 4, protocol.Range{Start: at, End: at}, "# ¡ojo! 🎯\n")
		want := strings.Replace(tiendaPy, "ts =", "# ¡ojo! 🎯\nts =", 1)
		p := s.WaitDiagnostics(uri, 4)
		if got := s.document(uri); got.Text != want {
			t.Errorf("after a good change: %q, want %q", got.Text, want)
		}
		if d := diagnosticOf(t, p, "AM501"); d.Range.Start != positionOf(want, "datetime.utcnow") {
			t.Errorf("diagnostic at %+v, want %+v", d.Range.Start, positionOf(want, "datetime.utcnow"))
		}
	})
}

func TestRealServerCancelRequest(t *testing.T) {
	// workspace/executeCommand asyncmig.fixAll waits for the client's
	// workspace/applyEdit answer: a slow request of the real server.
	for _, tc := range []struct {
		name string
		send func(s *realServer, params map[string]any) (id string, cancelID any)
	}{
		{"numeric id", func(s *realServer, params map[string]any) (string, any) {
			id := s.Send("workspace/executeCommand", params)
			return id, jsonNumber(id)
		}},
		{"string id", func(s *realServer, params map[string]any) (string, any) {
			body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": "corregir-ñ-🎉", "method": "workspace/executeCommand", "params": params})
			s.SendRaw(lsptest.Frame(string(body)))
			return `"corregir-ñ-🎉"`, "corregir-ñ-🎉"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startRealInitialized(t)
			held := make(chan struct{})
			s.HandleRequest("workspace/applyEdit", func(json.RawMessage) (any, *lsptest.ResponseError) {
				<-held
				return map[string]any{"applied": true}, nil
			})
			uri := "file:///prueba/fechas.py"
			s.Open(uri, 1, tiendaPy)
			id, cancelID := tc.send(s, map[string]any{"command": "asyncmig.fixAll", "arguments": []any{uri}})
			s.WaitMessage("workspace/applyEdit", lsptest.Timeout, func(m *lsptest.Message) bool { return m.Method == "workspace/applyEdit" })
			s.Notify("$/cancelRequest", map[string]any{"id": cancelID})
			reply := s.WaitResponse(id)
			close(held)
			if reply.Error == nil || reply.Error.Code != -32800 {
				t.Fatalf("cancelled request: got %s, want error -32800", reply.Raw)
			}
			s.alive()
		})
	}
}

// framed sends a hand-built didOpen whose "text" value is raw: bytes a JSON
// encoder would never produce (invalid UTF-8, raw control characters).
func framedOpen(uri string, rawText []byte) []byte {
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"` + uri + `","languageId":"python","version":1,"text":"`)
	b.Write(rawText)
	b.WriteString(`"}}}`)
	return lsptest.Frame(b.String())
}

func TestRealServerHostileDocuments(t *testing.T) {
	t.Run("50 MB didOpen", func(t *testing.T) {
		if testing.Short() {
			t.Skip("50 MB")
		}
		s := startRealInitialized(t)
		uri := "file:///prueba/enorme.py"
		line := "x = datetime.utcnow()  # año 🎉 ñandú\n"
		s.Open(uri, 1, strings.Repeat(line, 50<<20/len(line)+1))
		s.waitLog("cannot be analysed", uri, "too large")
		p := s.WaitDiagnostics(uri, 1)
		if len(p.Diagnostics) != 0 {
			t.Errorf("a file too large to analyse got %d diagnostics", len(p.Diagnostics))
		}
		var actions []protocol.CodeAction
		if err := s.Call("textDocument/codeAction", codeActionRequest(uri, protocol.Range{}, nil), &actions); err != nil || len(actions) != 0 {
			t.Errorf("code actions on it: %v, %d", err, len(actions))
		}
		s.alive()
	})
	t.Run("binary file", func(t *testing.T) {
		s := startRealInitialized(t)
		raw := []byte{0x7f, 'E', 'L', 'F', 0xff, 0xfe, 0xc3, 0x28, 0xf0, 0x9f, 0x8e, 0x01, 0x1b, '[', '3', '1', 'm'}
		uri := "file:///prueba/binario.py"
		s.SendRaw(framedOpen(uri, append(raw, `\u0000\u0000 ~`...)))
		s.SendRaw(framedOpen("file:///prueba/control.py", []byte("x = 1\x00\x01\x02\nprint(x)\x7f")))
		s.alive()
		for _, u := range []string{uri, "file:///prueba/control.py"} {
			// Accepted and kept unanalysed, or refused as a message: either
			// way, it was answered for.
			reply := s.Send(methodDebugDocument, map[string]any{"textDocument": map[string]any{"uri": u}})
			m := s.WaitResponse(reply)
			var got DebugDocumentResult
			if m.Error == nil {
				if err := json.Unmarshal(m.Result, &got); err != nil || got.Parsed {
					t.Errorf("%s: binary content was analysed: %s", u, m.Raw)
				}
			}
		}
	})
	t.Run("NUL byte", func(t *testing.T) {
		s := startRealInitialized(t)
		uri := "file:///prueba/nulo.py"
		s.Open(uri, 1, "from datetime import datetime\nts = datetime.utcnow()\x00\n")
		s.waitLog("cannot be analysed", uri, "binary")
		if p := s.WaitDiagnostics(uri, 1); len(p.Diagnostics) != 0 {
			t.Errorf("binary document got diagnostics: %s", p.Raw)
		}
		// Removing the NUL makes it Python again.
		s.ChangeFull(uri, 2, tiendaPy)
		diagnosticOf(t, s.WaitDiagnostics(uri, 2), "AM501")
	})
	// AM501 must fire, at the LSP position of the call, whatever ends the
	// lines. (tree-sitter reads a lone \r as an error, so only the line
	// before the first lone \r is sure to be analysed in that case.)
	lineEndings := map[string]string{
		"CRLF":    "from datetime import datetime\r\n\r\n# Fecha de alta 📅\r\nnombre = 'Año 🚀'; ts = datetime.utcnow()\r\n",
		"lone CR": "import datetime; ts = datetime.datetime.utcnow()  # Año 🚀\r# Fecha 📅\rnombre = 'ñ'; ts = datetime.datetime.utcnow()\r",
		"mixed":   "from datetime import datetime\n\r\n# Fecha 📅\r\nnombre = 'Año 🚀'; ts = datetime.utcnow()\n# fin\r",
		"BOM":     "\ufeffimport datetime; ts = datetime.datetime.utcnow()  # 🚀\n",
	}
	for name, text := range lineEndings {
		t.Run(name, func(t *testing.T) {
			s := startRealInitialized(t)
			uri := "file:///prueba/" + strings.ReplaceAll(name, " ", "_") + ".py"
			s.Open(uri, 1, text)
			p := s.WaitDiagnostics(uri, 1)
			if got := s.document(uri); got.Text != text {
				t.Errorf("the server holds %q", got.Text)
			}
			call := "datetime.utcnow()"
			if strings.Contains(text, "datetime.datetime.utcnow()") {
				call = "datetime.datetime.utcnow()"
			}
			calls := map[protocol.Position]bool{}
			for i := 0; i < len(text); i++ {
				if strings.HasPrefix(text[i:], call) {
					calls[positionOf(text, text[i:])] = true
				}
			}
			found := 0
			for _, d := range p.Diagnostics {
				if d.Code != "AM501" {
					continue
				}
				found++
				if !calls[d.Range.Start] {
					t.Errorf("AM501 at %+v, where no call starts (calls at %v)", d.Range.Start, calls)
				}
			}
			if found == 0 {
				t.Errorf("no AM501: %s", p.Raw)
			}
		})
	}
	t.Run("20,000-character line", func(t *testing.T) {
		s := startRealInitialized(t)
		uri := "file:///prueba/larga.py"
		var b strings.Builder
		b.WriteString("from datetime import datetime\nfechas = ['ñandú 🎉', ")
		for b.Len() < 20000 {
			b.WriteString("datetime.utcnow(), ")
		}
		b.WriteString("]\n")
		text := b.String()
		s.Open(uri, 1, text)
		p := s.WaitDiagnostics(uri, 1)
		n := strings.Count(text, "datetime.utcnow()")
		if len(p.Diagnostics) != n {
			t.Fatalf("%d diagnostics, want %d", len(p.Diagnostics), n)
		}
		last := p.Diagnostics[len(p.Diagnostics)-1]
		lastAt := strings.LastIndex(text, "datetime.utcnow()")
		if want := utf16Units(text[strings.Index(text, "\n")+1 : lastAt]); last.Range.Start.Line != 1 || last.Range.Start.Character != want {
			t.Errorf("last diagnostic at %+v, want 1:%d", last.Range.Start, want)
		}
		var actions []protocol.CodeAction
		if err := s.Call("textDocument/codeAction", codeActionRequest(uri, last.Range, []protocol.Diagnostic{last}), &actions); err != nil || len(actions) == 0 {
			t.Errorf("code actions at the end of the line: %v, %d", err, len(actions))
		}
	})
	t.Run("10,000 nested parentheses", func(t *testing.T) {
		s := startRealInitialized(t)
		depth := 10000
		for name, text := range map[string]string{
			"parens":   "from datetime import datetime\nx = " + strings.Repeat("(", depth) + "datetime.utcnow()" + strings.Repeat(")", depth) + "\n",
			"lists":    "x = " + strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth) + "\n",
			"calls":    "async def f(db):\n    return " + strings.Repeat("g(", depth) + "db.execute(q)" + strings.Repeat(")", depth) + "\n",
			"awaits":   "async def f():\n    return " + strings.Repeat("await (", depth) + "x" + strings.Repeat(")", depth) + "\n",
			"unclosed": "x = " + strings.Repeat("(", depth) + "\n",
		} {
			uri := "file:///prueba/profundo_" + name + ".py"
			s.Open(uri, 1, text)
			p := s.WaitDiagnostics(uri, 1)
			var hover json.RawMessage
			if err := s.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 1, "character": 5000}}, &hover); err != nil {
				t.Errorf("%s: hover: %v", name, err)
			}
			if name == "parens" && len(p.Diagnostics) != 1 {
				t.Errorf("%s: %s", name, p.Raw)
			}
		}
		s.alive()
	})
}

// Bytes that are not LSP on a real process's stdin: bad bodies are
// answered -32700 and skipped; a broken frame ends the session with exit
// code 1, never a crash.
func TestRealServerGarbageOnStdin(t *testing.T) {
	s := startRealInitialized(t)
	for _, body := range []string{"texto plano 🎉", "\xff\xfe\x00\x01", `{"jsonrpc":"2.0","id":`, "[]", `{"id":{"a":1},"method":7}`} {
		s.SendRaw(lsptest.Frame(body))
	}
	s.alive()
	nulls := 0
	for _, m := range s.Messages() {
		if m.IsResponse() && string(m.ID) == "null" && m.Error != nil && m.Error.Code == -32700 {
			nulls++
		}
	}
	if nulls < 4 {
		t.Errorf("%d parse-error replies, want one per bad body", nulls)
	}
	s.SendRaw([]byte("GET / HTTP/1.1\r\nHost: 🎉\r\n\r\n"))
	if code := s.ExitCode(); code != 1 {
		t.Errorf("exit code %d after a broken frame, want 1", code)
	}
	if runtime.GOOS != "windows" && strings.Contains(s.logText(), "goroutine ") {
		t.Errorf("the log holds a stack trace:\n%s", tail(s.logText(), 3000))
	}
}

// An editor that dies closes our stdin while documents are open, analyses
// are pending and a request waits on the client: Serve must return and
// leave no goroutine behind.
func TestServeLeavesNoGoroutineWhenTheStreamEnds(t *testing.T) {
	before := runtime.NumGoroutine()
	held := make(chan struct{})
	func() {
		c := lsptest.New(t, newTestServer(t, Options{}, nil).Serve)
		c.Initialize(initParams("", editorCaps(), map[string]any{"debounce-ms": 2000}))
		c.HandleRequest("workspace/applyEdit", func(json.RawMessage) (any, *lsptest.ResponseError) {
			<-held
			return map[string]any{"applied": true}, nil
		})
		for i := range 5 {
			c.Open(fmt.Sprintf("file:///prueba/m%d.py", i), 1, tiendaPy)
		}
		c.Send("workspace/executeCommand", map[string]any{"command": "asyncmig.fixAll", "arguments": []any{"file:///prueba/m0.py"}})
		c.WaitMessage("workspace/applyEdit", lsptest.Timeout, func(m *lsptest.Message) bool { return m.Method == "workspace/applyEdit" })
		c.Change("file:///prueba/m1.py", 2, protocol.Range{}, "# cambio ñ\n") // a debounce timer pending
		c.CloseStream()
		if code := c.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	}()
	close(held) // the test's own editor goroutine
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left after the session ended (%d before):\n%s", n-before, before, buf[:runtime.Stack(buf, true)])
	}
}
