// Package server is asyncmig's language server: LSP transport, dispatch,
// lifecycle and scheduling on top of go.lsp.dev/jsonrpc2 v0.10.0 and the wire
// types of go.lsp.dev/protocol v0.12.0. It translates between the protocol
// and the analysis packages; it never analyses code itself.
//
// The library's own server plumbing (protocol.NewServer, ServerHandler,
// Handlers) is not used: its dispatch crashes or stalls on inputs real
// editors send (ARCHITECTURE.md, gotchas 1–14). What we keep from it is the
// connection (jsonrpc2.Conn, which matches replies to our own calls), the
// client dispatcher for server→client notifications, and the wire types.
//
// File map: stream.go frames bytes, dispatch.go schedules messages and
// guarantees replies, cancel.go handles $/cancelRequest, lifecycle.go holds
// initialize/shutdown/exit, and each LSP feature has its own file plus one
// line in the method table (dispatch.go).
package server

import (
	"context"
	"io"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/document"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// Options configures a Server.
type Options struct {
	// Logger receives the server's log. nil discards it. It must not write
	// to the protocol stream (stdout under `asyncmig serve`).
	Logger *zap.Logger
	// Version is reported to the client in serverInfo.
	Version string
	// TraceRPC logs every message in and out at debug level.
	TraceRPC bool

	// maxMessageBytes caps one message body (0: defaultMaxMessageBytes);
	// tests lower it.
	maxMessageBytes int64
	// rules replaces rules.All; tests add rules of their own.
	rules []*diagnostics.Rule
	// beforeIndex, when set, runs before indexing starts; tests hold the
	// index back with it.
	beforeIndex func()
	// beforeFullIndex runs before a folder's full index starts (after it
	// opened from the cache, if it could); tests hold it back.
	beforeFullIndex func()
}

// Server is one language-server session. A Server serves one connection.
type Server struct {
	opts    Options
	log     *zap.Logger
	methods map[string]handlerFunc

	lifecycle         atomic.Int32 // a lifecycleState
	shutdownRequested atomic.Bool
	serving           atomic.Bool

	// Set by Serve before the first message is read.
	ctx    context.Context // the session; cancelled when it ends
	conn   jsonrpc2.Conn
	client protocol.Client

	calls callRegistry // in-flight requests, by id
	// tail is closed when the most recently received message releases the
	// queue. Only the conn's read goroutine touches tail and arrivals.
	tail     chan struct{}
	arrivals uint64

	// workMu makes "the session is closing" and work.Add atomic, so no
	// message goroutine starts once Serve waits for them.
	workMu  sync.Mutex
	closing bool
	work    sync.WaitGroup

	exitOnce sync.Once
	exited   chan struct{}

	progressSeq atomic.Int64
	// lensRefreshes counts the workspace/codeLens/refresh wanted and not
	// yet sent (codelens.go).
	lensRefreshes atomic.Int64

	sessMu sync.Mutex
	sess   session

	// What the server knows of the code: open documents (textsync.go),
	// configuration and workspace indexes (state.go, index.go), and the
	// analysis of each document (diagnose.go).
	docs  *document.Store
	code  *codebase
	diag  *diagnoser
	rules []*diagnostics.Rule

	// pendingProblems are the problems of initializationOptions, shown
	// once the client is initialized.
	pendingProblems []string
}

// session is what initialize negotiated.
type session struct {
	clientName       string
	positionEncoding textpos.Encoding // LSP 3.17 positionEncoding; v0.12.0 lacks it
	rootURI          protocol.DocumentURI
	workspaceFolders []protocol.WorkspaceFolder
	initOptions      []byte // initializationOptions, raw JSON; config.go reads it

	// Client capabilities asyncmig acts on.
	applyEdit                bool // workspace/applyEdit
	versionedDocumentChanges bool // WorkspaceEdit.documentChanges
	watchedFilesDynamic      bool // dynamic registration of didChangeWatchedFiles
	codeActionLiterals       bool // CodeAction literals rather than Commands
	hoverMarkdown            bool // hover contents as markdown
	workDoneProgress         bool // server-initiated progress
	workspaceConfiguration   bool // workspace/configuration
	resolveCodeActionEdit    bool // codeAction/resolve may fill in `edit`
	eagerCodeLens            bool // codeLens/resolve may not fill in `command`
	codeLensRefresh          bool // workspace/codeLens/refresh
}

// New returns a Server ready to Serve one connection.
func New(opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	tail := make(chan struct{})
	close(tail)
	ruleSet := opts.rules
	if ruleSet == nil {
		ruleSet = rules.All
	}
	s := &Server{
		opts:    opts,
		log:     log,
		methods: maps.Clone(methods),
		tail:    tail,
		exited:  make(chan struct{}),
		docs:    document.NewStore(),
		rules:   ruleSet,
	}
	s.code = newCodebase()
	s.diag = newDiagnoser()
	return s
}

// After the session ends, Serve waits this long for handlers that ignore
// cancellation (a bug, logged) and for the read goroutine. A read blocked on
// a stdin the client keeps open after exit cannot be interrupted, so that
// wait is short: the process exits anyway.
const (
	handlerGrace = 2 * time.Second
	readerGrace  = 100 * time.Millisecond
)

// Serve runs the session over rwc until the client sends exit, the stream
// ends, or ctx is cancelled, and returns the process exit code the LSP
// specification asks for: 0 if shutdown was received first, else 1.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) (exitCode int) {
	if !s.serving.CompareAndSwap(false, true) {
		s.log.Error("Serve called twice: a Server serves a single connection")
		return 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.ctx = ctx
	s.conn = jsonrpc2.NewConn(newStream(rwc, s.log, s.opts.TraceRPC, s.opts.maxMessageBytes))
	s.client = protocol.ClientDispatcher(s.conn, s.log.Named("client"))
	s.conn.Go(ctx, s.receive)

	select {
	case <-s.exited:
	case <-s.conn.Done():
		if err := s.conn.Err(); err != nil && err != io.EOF {
			s.log.Error("the connection failed", zap.Error(err))
		} else {
			s.log.Info("the client closed the connection")
		}
	case <-ctx.Done():
		s.log.Info("stopping", zap.Error(context.Cause(ctx)))
	}

	s.workMu.Lock()
	s.closing = true
	s.workMu.Unlock()
	s.diag.stopTimers()
	s.code.stopTimers()
	_ = s.conn.Close()
	cancel()
	if !waitTimeout(s.work.Wait, handlerGrace) {
		s.log.Error("some handlers ignored cancellation and were still running at exit")
	}
	waitTimeout(func() { <-s.conn.Done() }, readerGrace)

	if s.shutdownRequested.Load() {
		return 0
	}
	return 1
}

func waitTimeout(wait func(), d time.Duration) bool {
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

// enterBackground registers work that runs outside any message (debounce
// timers, indexing) so Serve waits for it; it reports false once the session
// is closing, and the work must then not start. Call s.work.Done when done.
func (s *Server) enterBackground() bool {
	s.workMu.Lock()
	defer s.workMu.Unlock()
	if s.closing {
		return false
	}
	s.work.Add(1)
	return true
}

// goBackground runs f on its own goroutine as background work.
func (s *Server) goBackground(f func()) {
	if !s.enterBackground() {
		return
	}
	go func() {
		defer s.work.Done()
		f()
	}()
}

// session returns a copy of what initialize negotiated.
func (s *Server) session() session {
	s.sessMu.Lock()
	defer s.sessMu.Unlock()
	return s.sess
}
