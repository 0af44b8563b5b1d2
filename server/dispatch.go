package server

// Dispatch: how one message becomes at most one reply.
//
// The conn's read goroutine calls receive for every request and notification
// and must never block (replies to our own server→client calls arrive on the
// same goroutine). receive gives each message a goroutine that waits for the
// previous message to release the queue, so messages start in arrival order
// (gopls's jsonrpc2.Async, gotcha 8):
//
//   - notifications (text sync above all) run to completion before the next
//     message starts, so document state changes strictly in order;
//   - requests too, unless the handler calls req.release() once it has taken
//     what it needs (a snapshot): then later messages start while it works,
//     and a slow request never stalls typing.
//
// The dispatcher, not the handler, replies: exactly once per request. A
// handler returns (result, *jsonrpc2.Error); a panic becomes -32603 and a log
// line with the stack, and the server keeps serving (gotcha 7). A cancelled
// request is answered -32800 at once, even if its handler is still running
// (cancel.go). The lifecycle gate (admit) runs before the method table, so
// no handler ever sees a message the LSP lifecycle forbids.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// handlerFunc handles one method. ctx is cancelled by $/cancelRequest, by
// shutdown, and when the session ends. For notifications the result is
// ignored and an error is logged.
type handlerFunc func(s *Server, ctx context.Context, req *request) (result any, err *jsonrpc2.Error)

// methods is the server's whole LSP surface: one line per method, the handler
// in its own file. Unknown requests get -32601; unknown notifications are
// logged at debug level and ignored.
var methods = map[string]handlerFunc{
	protocol.MethodInitialize:  (*Server).initialize,
	protocol.MethodInitialized: (*Server).initialized,
	protocol.MethodShutdown:    (*Server).shutdown,
	protocol.MethodExit:        (*Server).exit,

	protocol.MethodTextDocumentDidOpen:   (*Server).didOpen,
	protocol.MethodTextDocumentDidChange: (*Server).didChange,
	protocol.MethodTextDocumentDidClose:  (*Server).didClose,
	protocol.MethodTextDocumentDidSave:   (*Server).didSave,

	protocol.MethodTextDocumentCodeAction:  (*Server).codeAction,
	methodCodeActionResolve:                (*Server).resolveCodeAction,
	protocol.MethodTextDocumentHover:       (*Server).hover,
	protocol.MethodTextDocumentCodeLens:    (*Server).codeLens,
	protocol.MethodCodeLensResolve:         (*Server).resolveCodeLens,
	protocol.MethodWorkspaceExecuteCommand: (*Server).executeCommand,

	protocol.MethodWorkspaceDidChangeConfiguration: (*Server).didChangeConfiguration,
	protocol.MethodWorkspaceDidChangeWatchedFiles:  (*Server).didChangeWatchedFiles,
}

// request is one incoming request or notification.
type request struct {
	method string
	params json.RawMessage
	isCall bool
	id     jsonrpc2.ID // requests only
	seq    uint64      // arrival order

	ctx    context.Context
	cancel context.CancelFunc

	reply           jsonrpc2.Replier
	replied         atomic.Bool
	answered        chan struct{} // closed once the reply is written (requests)
	stopCancelReply func() bool   // disarms the -32800 reply (requests)

	releaseOnce sync.Once
	released    chan struct{}
}

// release lets the next message start. Request handlers call it once they no
// longer depend on the order of later messages; the dispatcher calls it when
// the handler returns. Calling it more than once is harmless.
func (r *request) release() { r.releaseOnce.Do(func() { close(r.released) }) }

// decode unmarshals the params into v, or returns the -32602 error to reply.
func (r *request) decode(v any) *jsonrpc2.Error {
	if len(r.params) == 0 || string(r.params) == "null" {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: params are missing", r.method))
	}
	if err := json.Unmarshal(r.params, v); err != nil {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: invalid params: %v", r.method, err))
	}
	return nil
}

// receive runs on the conn's read goroutine, once per request or
// notification, in arrival order. It must not block.
func (s *Server) receive(_ context.Context, reply jsonrpc2.Replier, msg jsonrpc2.Request) error {
	if _, isNotification := msg.(*jsonrpc2.Notification); isNotification && msg.Method() == protocol.MethodCancelRequest {
		// Not queued: its target may be running or waiting in the queue.
		s.cancelRequest(msg.Params())
		return nil
	}
	s.arrivals++
	r := &request{method: msg.Method(), params: msg.Params(), seq: s.arrivals, reply: reply, released: make(chan struct{})}
	call, isCall := msg.(*jsonrpc2.Call)
	s.workMu.Lock()
	if s.closing {
		s.workMu.Unlock()
		return nil
	}
	s.work.Add(1) // run
	if isCall {
		s.work.Add(1) // the cancellation reply, until it runs or is disarmed
	}
	s.workMu.Unlock()

	r.ctx, r.cancel = context.WithCancel(s.ctx)
	if isCall {
		r.isCall = true
		r.id = call.ID()
		r.answered = make(chan struct{})
		s.calls.add(s.log, r)
		r.stopCancelReply = context.AfterFunc(r.ctx, func() {
			defer s.work.Done()
			s.respond(r, nil, nil) // respond turns it into -32800
		})
	}
	prev := s.tail
	s.tail = r.released
	go s.run(prev, r)
	return nil
}

// run waits for the previous message to release the queue, then handles r.
func (s *Server) run(prev <-chan struct{}, r *request) {
	defer s.work.Done()
	defer r.release()
	defer r.cancel()
	select {
	case <-prev:
	case <-s.ctx.Done():
		return // the session is over; nothing can be answered
	}
	if r.ctx.Err() != nil {
		return // cancelled while queued, and already answered -32800
	}
	if !s.admit(r) {
		return
	}
	h, ok := s.methods[r.method]
	if !ok {
		if r.isCall {
			s.respond(r, nil, jsonrpc2.NewError(jsonrpc2.MethodNotFound, "method not found: "+r.method))
		} else {
			s.log.Debug("ignoring an unknown notification", zap.String("method", r.method))
		}
		return
	}
	result, err := s.invoke(h, r)
	if r.isCall {
		s.respond(r, result, err)
	} else if err != nil {
		// Replying to a notification is impossible, so this log line is the
		// only trace of a dropped notification (gotcha 11).
		s.log.Error("notification failed", zap.String("method", r.method),
			zap.Int32("code", int32(err.Code)), zap.String("error", err.Message))
	}
}

// invoke calls h and turns a panic into -32603, a log line with the stack
// and a message in the client's log: one broken handler must not take the
// server down.
func (s *Server) invoke(h handlerFunc, r *request) (result any, rpcErr *jsonrpc2.Error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("handler panicked", zap.String("method", r.method),
				zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))
			s.logToClient(protocol.MessageTypeError, fmt.Sprintf(
				"asyncmig: internal error while handling %s (%v); the server keeps running, details are in its log", r.method, p))
			result, rpcErr = nil, jsonrpc2.NewError(jsonrpc2.InternalError, fmt.Sprintf("%s: internal error: %v", r.method, p))
		}
	}()
	return h(s, r.ctx, r)
}

// respond sends the one reply r gets; later calls do nothing. It is safe
// from any goroutine.
func (s *Server) respond(r *request, result any, rpcErr *jsonrpc2.Error) {
	if !r.replied.CompareAndSwap(false, true) {
		s.log.Debug("dropping a second reply", zap.String("method", r.method))
		return
	}
	defer close(r.answered)
	if r.stopCancelReply() {
		s.work.Done() // the cancellation reply will never run
	}
	s.calls.remove(r)
	if r.ctx.Err() != nil {
		// Cancelled: whatever the handler made of it, the client asked for
		// -32800 and gets it, the same way whoever replies first.
		result, rpcErr = nil, jsonrpc2.NewError(protocol.CodeRequestCancelled, r.method+": request cancelled")
	}

	var err error // a nil *jsonrpc2.Error must not become a non-nil error
	if rpcErr != nil {
		if rpcErr.Code == 0 {
			// Code 0 is no JSON-RPC error code; clients treat it as garbage (gotcha 9).
			s.log.Error("handler returned an error without a code", zap.String("method", r.method), zap.String("error", rpcErr.Message))
			rpcErr = jsonrpc2.NewError(jsonrpc2.InternalError, rpcErr.Message)
		}
		err = rpcErr
	}
	werr := r.reply(context.Background(), result, err)
	if werr == nil {
		return
	}
	if errors.Is(werr, errStreamWrite) {
		s.log.Debug("could not send a reply; the client is gone", zap.String("method", r.method), zap.Error(werr))
		return
	}
	// The result did not encode, so no reply went out: send an error instead.
	s.log.Error("cannot encode a result", zap.String("method", r.method), zap.Error(werr))
	fallback := jsonrpc2.NewError(jsonrpc2.InternalError, r.method+": the server could not encode its result")
	if werr := r.reply(context.Background(), nil, fallback); werr != nil {
		s.log.Debug("could not send a reply", zap.String("method", r.method), zap.Error(werr))
	}
}

// lifecycleState is where the session is in the LSP lifecycle.
type lifecycleState int32

const (
	stateUninitialized lifecycleState = iota
	stateInitialized
	stateShutdown
)

// admit applies the LSP lifecycle before any handler runs: before
// initialize, requests get -32002 and notifications other than exit are
// dropped; after shutdown, requests get -32600 and only exit is handled; a
// second initialize gets -32600.
func (s *Server) admit(r *request) bool {
	var rejection *jsonrpc2.Error
	switch lifecycleState(s.lifecycle.Load()) {
	case stateUninitialized:
		if r.method == protocol.MethodInitialize || r.method == protocol.MethodExit {
			return true
		}
		rejection = jsonrpc2.NewError(jsonrpc2.ServerNotInitialized,
			fmt.Sprintf("server not initialized: %s received before initialize", r.method))
	case stateInitialized:
		if r.method != protocol.MethodInitialize {
			return true
		}
		rejection = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received; it may be sent only once")
	case stateShutdown:
		if r.method == protocol.MethodExit {
			return true
		}
		rejection = jsonrpc2.NewError(jsonrpc2.InvalidRequest,
			fmt.Sprintf("server is shutting down: %s received after shutdown, only exit is accepted", r.method))
	}
	if r.isCall {
		s.respond(r, nil, rejection)
	} else {
		s.log.Debug("dropping a notification the lifecycle does not allow", zap.String("method", r.method), zap.String("reason", rejection.Message))
	}
	return false
}
