package server

import (
	"context"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

func TestRequestBeforeInitializeIsRejected(t *testing.T) {
	c := start(t, nil)
	for _, method := range []string{"test/echo", "shutdown", "textDocument/hover"} {
		wantError(t, c.Call(method, map[string]any{}, nil), -32002, "server not initialized", method)
	}
	// Notifications other than exit are dropped, so initialized does not
	// announce the server yet.
	c.Notify("initialized", map[string]any{})
	c.Initialize(nil)
	echo(t, c)
	ready := 0
	for _, m := range c.Messages() {
		if m.Method == "window/logMessage" {
			ready++
		}
	}
	if ready != 1 {
		t.Errorf("got %d ready messages, want 1 (the early initialized must be dropped)", ready)
	}
}

func TestSecondInitializeIsRejected(t *testing.T) {
	c := startInitialized(t, nil)
	wantError(t, c.Call("initialize", map[string]any{"capabilities": map[string]any{}}, nil), -32600, "initialize")
	echo(t, c)
}

func TestRequestsAfterShutdownAreRejected(t *testing.T) {
	c := startInitialized(t, nil)
	c.Shutdown()
	for _, method := range []string{"test/echo", "initialize", "shutdown", "no/such/method"} {
		wantError(t, c.Call(method, map[string]any{}, nil), -32600, "shutting down", method)
	}
	c.Exit()
	if code := c.ExitCode(); code != 0 {
		t.Errorf("exit code %d after shutdown and exit, want 0", code)
	}
}

// v0.12.0 answered shutdown with {} params -32602 and ignored exit with {}
// params, so the server never exited (gotcha 10).
func TestShutdownAndExitWithEmptyObjectParams(t *testing.T) {
	c := startInitialized(t, nil)
	c.SendRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":"bye","method":"shutdown","params":{}}`))
	reply := c.WaitResponse(`"bye"`)
	if reply.Error != nil || string(reply.Result) != "null" {
		t.Fatalf("shutdown with {} params: got %s, want result null", reply.Raw)
	}
	c.SendRaw(lsptest.Frame(`{"jsonrpc":"2.0","method":"exit","params":{}}`))
	if code := c.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// v0.12.0 never called its handler for initialized without params.
func TestInitializedWithoutParams(t *testing.T) {
	c := start(t, nil)
	if err := c.Call("initialize", map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
		t.Fatal(err)
	}
	c.SendRaw(lsptest.Frame(`{"jsonrpc":"2.0","method":"initialized"}`))
	msg := c.WaitNotification("window/logMessage", nil, lsptest.Timeout)
	var params protocol.LogMessageParams
	if err := json.Unmarshal(msg.Params, &params); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(params.Message, "asyncmig 1.2.3-test ready") {
		t.Errorf("ready message %q does not name the server and its version", params.Message)
	}
}

func TestExitCodes(t *testing.T) {
	t.Run("exit without shutdown", func(t *testing.T) {
		c := startInitialized(t, nil)
		c.Exit()
		if code := c.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
	t.Run("exit before initialize", func(t *testing.T) {
		c := start(t, nil)
		c.Exit()
		if code := c.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
	t.Run("stream ends without shutdown", func(t *testing.T) {
		c := startInitialized(t, nil)
		c.CloseStream()
		if code := c.ExitCode(); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
	t.Run("stream ends after shutdown", func(t *testing.T) {
		c := startInitialized(t, nil)
		c.Shutdown()
		c.CloseStream()
		if code := c.ExitCode(); code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
	})
}

func TestPositionEncodingNegotiation(t *testing.T) {
	tests := []struct {
		name    string
		general any
		want    string
	}{
		{"utf-8 offered", map[string]any{"positionEncodings": []string{"utf-16", "utf-8"}}, "utf-8"},
		{"only utf-16 offered", map[string]any{"positionEncodings": []string{"utf-16"}}, "utf-16"},
		{"utf-32 offered", map[string]any{"positionEncodings": []string{"utf-32"}}, "utf-16"},
		{"nothing offered", nil, "utf-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := start(t, nil)
			caps := map[string]any{}
			if tt.general != nil {
				caps["general"] = tt.general
			}
			raw := c.Initialize(map[string]any{"processId": 1, "capabilities": caps})
			if !strings.Contains(string(raw), `"positionEncoding":"`+tt.want+`"`) {
				t.Errorf("initialize result does not carry positionEncoding %q:\n%s", tt.want, raw)
			}
			msg := c.WaitNotification("window/logMessage", nil, lsptest.Timeout)
			if !strings.Contains(string(msg.Params), "positions in "+tt.want) {
				t.Errorf("the server does not use what it negotiated: %s", msg.Params)
			}
		})
	}
}

func TestInitializeAdvertisesCapabilities(t *testing.T) {
	c := start(t, nil)
	var result struct {
		Capabilities struct {
			TextDocumentSync struct {
				OpenClose bool            `json:"openClose"`
				Change    int             `json:"change"`
				Save      *map[string]any `json:"save"`
			} `json:"textDocumentSync"`
			CodeActionProvider struct {
				CodeActionKinds []string `json:"codeActionKinds"`
				ResolveProvider bool     `json:"resolveProvider"`
			} `json:"codeActionProvider"`
			HoverProvider          bool `json:"hoverProvider"`
			ExecuteCommandProvider struct {
				Commands []string `json:"commands"`
			} `json:"executeCommandProvider"`
		} `json:"capabilities"`
		ServerInfo struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"serverInfo"`
	}
	if err := json.Unmarshal(c.Initialize(nil), &result); err != nil {
		t.Fatal(err)
	}
	caps := result.Capabilities
	sync := caps.TextDocumentSync
	if !sync.OpenClose || sync.Change != 2 || sync.Save == nil || (*sync.Save)["includeText"] == true {
		t.Errorf("textDocumentSync = %+v, want openClose, incremental changes, save without text", sync)
	}
	if got := strings.Join(caps.CodeActionProvider.CodeActionKinds, ","); got != "quickfix,source.fixAll.asyncmig,refactor.rewrite.asyncmig.migrateFunction" || !caps.CodeActionProvider.ResolveProvider {
		t.Errorf("codeActionProvider = %+v", caps.CodeActionProvider)
	}
	if !caps.HoverProvider {
		t.Error("hoverProvider is not advertised")
	}
	if got := strings.Join(caps.ExecuteCommandProvider.Commands, ","); got != "asyncmig.fixAll,asyncmig.ignoreRule,asyncmig.showReport" {
		t.Errorf("commands = %s", got)
	}
	if result.ServerInfo.Name != "asyncmig" || result.ServerInfo.Version != "1.2.3-test" {
		t.Errorf("serverInfo = %+v", result.ServerInfo)
	}
}

// A client capability v0.12.0 mistypes must not fail initialize.
func TestInitializeToleratesCapabilityShapes(t *testing.T) {
	c := start(t, nil)
	params := json.RawMessage(`{"processId":null,"rootUri":null,"capabilities":{
		"textDocument":{"semanticTokens":{"requests":{"range":{},"full":{"delta":true}}}},
		"general":{"positionEncodings":["utf-8"],"markdown":{"parser":"marked"}}}}`)
	raw := c.Initialize(params)
	if !strings.Contains(string(raw), `"positionEncoding":"utf-8"`) {
		t.Errorf("initialize result: %s", raw)
	}
}

func TestInitializeWithInvalidParams(t *testing.T) {
	c := start(t, nil)
	wantError(t, c.Call("initialize", map[string]any{"capabilities": 5}, nil), -32602, "initialize", "invalid params")
	wantError(t, c.Call("initialize", nil, nil), -32602, "params are missing")
	// Still uninitialized, and a correct initialize works.
	wantError(t, c.Call("test/echo", map[string]any{}, nil), -32002)
	c.Initialize(nil)
	echo(t, c)
}

func TestSessionKeepsClientCapabilities(t *testing.T) {
	var params initializeParams
	raw := `{"processId":4242,"clientInfo":{"name":"Visual Studio Code","version":"1.96.0"},
		"rootUri":"file:///home/jos%C3%A9/proyecto","initializationOptions":{"select":["AM101"]},
		"capabilities":{
			"workspace":{"applyEdit":true,"workspaceEdit":{"documentChanges":true},"didChangeWatchedFiles":{"dynamicRegistration":true}},
			"textDocument":{"codeAction":{"codeActionLiteralSupport":{"codeActionKind":{"valueSet":["quickfix"]}}},"hover":{"contentFormat":["markdown","plaintext"]}},
			"window":{"workDoneProgress":true}}}`
	if err := json.Unmarshal([]byte(raw), &params); err != nil {
		t.Fatal(err)
	}
	got := sessionFromInitialize(&params)
	want := session{
		clientName:               "Visual Studio Code 1.96.0",
		positionEncoding:         textpos.UTF16,
		rootURI:                  "file:///home/jos%C3%A9/proyecto",
		applyEdit:                true,
		versionedDocumentChanges: true,
		watchedFilesDynamic:      true,
		codeActionLiterals:       true,
		hoverMarkdown:            true,
		workDoneProgress:         true,
	}
	if string(got.initOptions) != `{"select":["AM101"]}` {
		t.Errorf("initializationOptions = %s", got.initOptions)
	}
	got.initOptions = nil
	if !equalSession(got, want) {
		t.Errorf("session =\n%+v\nwant\n%+v", got, want)
	}

	// A client that says nothing gets the conservative defaults.
	bare := sessionFromInitialize(&initializeParams{})
	if !equalSession(bare, session{positionEncoding: textpos.UTF16}) {
		t.Errorf("bare session = %+v", bare)
	}
}

func equalSession(a, b session) bool { return reflect.DeepEqual(a, b) }

// Requests that arrived before shutdown are answered before it is.
func TestShutdownDrainsPendingRequests(t *testing.T) {
	started := make(chan struct{})
	c := startInitialized(t, map[string]handlerFunc{
		"test/slow": func(_ *Server, ctx context.Context, r *request) (any, *jsonrpc2.Error) {
			r.release()
			close(started)
			<-ctx.Done()
			return "finished anyway", nil
		},
	})
	slow := c.Send("test/slow", nil)
	<-started
	c.Shutdown()
	var slowAt, shutdownAt int
	for i, m := range c.Messages() {
		if m.IsResponse() && string(m.ID) == slow {
			slowAt = i
			if m.Error == nil || m.Error.Code != -32800 {
				t.Errorf("pending request at shutdown: got %s, want -32800", m.Raw)
			}
		}
		if m.IsResponse() && string(m.Result) == "null" {
			shutdownAt = i
		}
	}
	if slowAt == 0 || slowAt > shutdownAt {
		t.Errorf("the pending request was answered at %d, after shutdown's reply at %d", slowAt, shutdownAt)
	}
}

func TestServeServesOneConnection(t *testing.T) {
	s := newTestServer(t, Options{}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(nil)
	if code := s.Serve(t.Context(), nopCloser{strings.NewReader(""), io.Discard}); code != 1 {
		t.Errorf("a second Serve returned %d, want 1", code)
	}
	echo(t, c) // the first session is unaffected
}
