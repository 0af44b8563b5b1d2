package server

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// LogOptions configures NewLogger.
type LogOptions struct {
	// File receives the log, appended to; "" means the fallback writer
	// (stderr under `asyncmig serve`, which editors show in their output
	// panel). Never stdout: that is the protocol stream.
	File string
	// Level is debug, info, warn or error; "" means info.
	Level string
}

// NewLogger builds the server's logger. close flushes it and closes the
// log file, if any.
func NewLogger(opts LogOptions, fallback io.Writer) (log *zap.Logger, close func() error, err error) {
	level, err := ParseLogLevel(opts.Level)
	if err != nil {
		return nil, nil, err
	}
	out := zapcore.AddSync(fallback)
	closeFile := func() error { return nil }
	if opts.File != "" {
		f, err := os.OpenFile(opts.File, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("opening the log file: %w", err)
		}
		out, closeFile = zapcore.AddSync(f), f.Close
	}
	enc := zap.NewDevelopmentEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	log = zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(out), level))
	return log, func() error {
		_ = log.Sync() // fails harmlessly on pipes and terminals
		return closeFile()
	}, nil
}

// ParseLogLevel accepts the --log-level values.
func ParseLogLevel(s string) (zapcore.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return zapcore.DebugLevel, nil
	case "", "info":
		return zapcore.InfoLevel, nil
	case "warn", "warning":
		return zapcore.WarnLevel, nil
	case "error":
		return zapcore.ErrorLevel, nil
	}
	return 0, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", s)
}

// logToClient sends window/logMessage, for things the user should see in
// the editor's log without a popup: the server's own log may be a file
// nobody reads.
func (s *Server) logToClient(typ protocol.MessageType, message string) {
	// The session ctx may already be cancelled; the stream writes anyway.
	if err := s.client.LogMessage(context.Background(), &protocol.LogMessageParams{Type: typ, Message: message}); err != nil {
		s.log.Debug("could not send window/logMessage", zap.Error(err))
	}
}
