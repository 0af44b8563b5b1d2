package server

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// workDone reports server-initiated progress (window/workDoneProgress/create
// then $/progress begin, report, end). When the client does not support it,
// or refused the token, every method does nothing, so callers need no checks.
type workDone struct {
	s     *Server
	token *protocol.ProgressToken // nil: inactive
}

// beginWorkDone starts a progress bar titled title. name goes into the token
// ("asyncmig/<name>/<n>") to make client logs readable.
func (s *Server) beginWorkDone(ctx context.Context, name, title string) *workDone {
	if !s.session().workDoneProgress {
		return &workDone{s: s}
	}
	token := protocol.NewProgressToken(fmt.Sprintf("asyncmig/%s/%d", name, s.progressSeq.Add(1)))
	var ignored any
	if err := call(ctx, s, protocol.MethodWorkDoneProgressCreate, &protocol.WorkDoneProgressCreateParams{Token: *token}, &ignored); err != nil {
		s.log.Debug("the client refused a progress token", zap.Error(err))
		return &workDone{s: s}
	}
	w := &workDone{s: s, token: token}
	w.send(ctx, &protocol.WorkDoneProgressBegin{Kind: protocol.WorkDoneProgressKindBegin, Title: title})
	return w
}

// report updates the message and the percentage (0–100).
func (w *workDone) report(ctx context.Context, message string, percentage uint32) {
	w.send(ctx, &protocol.WorkDoneProgressReport{Kind: protocol.WorkDoneProgressKindReport, Message: message, Percentage: percentage})
}

// end closes the progress bar; further calls do nothing.
func (w *workDone) end(ctx context.Context, message string) {
	w.send(ctx, &protocol.WorkDoneProgressEnd{Kind: protocol.WorkDoneProgressKindEnd, Message: message})
	w.token = nil
}

func (w *workDone) send(ctx context.Context, value any) {
	if w.token == nil {
		return
	}
	// By pointer, so the token marshals as "asyncmig/…", not {} (gotcha 14).
	if err := w.s.client.Progress(ctx, &protocol.ProgressParams{Token: *w.token, Value: value}); err != nil {
		w.s.log.Debug("could not send $/progress", zap.Error(err))
	}
}
