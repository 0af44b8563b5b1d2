package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// defaultMaxMessageBytes caps one frame's body: large enough for a didOpen of
// a 50 MB file (JSON escaping can double it), small enough that a corrupt
// Content-Length cannot make us allocate gigabytes.
const defaultMaxMessageBytes = 256 << 20

// maxHeaderLine bounds one header line; real headers are a few dozen bytes.
const maxHeaderLine = 4096

// errStreamWrite marks failures of the transport itself, so the dispatcher can
// tell "the client is gone" from "the result could not be encoded".
var errStreamWrite = errors.New("lsp stream write failed")

// stream is our jsonrpc2.Stream: LSP Content-Length framing that survives bad
// bodies. jsonrpc2.NewStream returns a decode error from Read, and conn.run
// then closes the connection: one malformed message would end the session
// (gotcha 6). Here a body that is not a JSON-RPC message gets a -32700 reply
// and reading goes on; only a broken frame (bad header, EOF) ends the session.
type stream struct {
	in      *bufio.Reader
	rwc     io.ReadWriteCloser
	log     *zap.Logger
	trace   bool
	maxBody int64

	// writeMu orders our own -32700 replies (written from Read) with the
	// conn's writes, which reach Write one at a time under the conn's lock.
	writeMu sync.Mutex
}

func newStream(rwc io.ReadWriteCloser, log *zap.Logger, trace bool, maxBody int64) *stream {
	if maxBody <= 0 {
		maxBody = defaultMaxMessageBytes
	}
	return &stream{in: bufio.NewReader(rwc), rwc: rwc, log: log, trace: trace, maxBody: maxBody}
}

// Read returns the next JSON-RPC message. Bodies that are not one are
// answered and skipped here, so the conn only ever sees an error when the
// session is over.
func (s *stream) Read(context.Context) (jsonrpc2.Message, int64, error) {
	for {
		length, err := s.readHeader()
		if err != nil {
			return nil, 0, err
		}
		if length > s.maxBody {
			s.log.Error("skipping a message larger than the size limit",
				zap.Int64("bytes", length), zap.Int64("limit", s.maxBody))
			if _, err := io.CopyN(io.Discard, s.in, length); err != nil {
				return nil, 0, fmt.Errorf("skipping an oversized body: %w", err)
			}
			s.replyWithoutID(jsonrpc2.InvalidRequest, fmt.Sprintf(
				"message of %d bytes exceeds the server's limit of %d bytes and was ignored", length, s.maxBody))
			continue
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(s.in, body); err != nil {
			return nil, 0, fmt.Errorf("reading a %d-byte body: %w", length, err)
		}
		if s.trace {
			s.log.Debug("rpc in", zap.ByteString("message", traceable(body)))
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err != nil {
			s.log.Error("ignoring a message that is not JSON-RPC",
				zap.Error(err), zap.ByteString("body", snippet(body, 200)))
			s.replyWithoutID(jsonrpc2.ParseError, "parse error: "+err.Error())
			continue
		}
		return msg, length, nil
	}
}

// readHeader reads header lines up to the blank line and returns the
// Content-Length. Unknown headers (Content-Type) are ignored; names are
// case-insensitive as in HTTP.
func (s *stream) readHeader() (int64, error) {
	length := int64(-1)
	seenHeader := false
	for {
		line, err := s.in.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) || len(line) > maxHeaderLine {
			return 0, fmt.Errorf("header line longer than %d bytes", maxHeaderLine)
		}
		if err != nil {
			if err == io.EOF && len(line) == 0 && !seenHeader {
				return 0, io.EOF // the client closed the stream between messages
			}
			return 0, fmt.Errorf("reading a header: %w", err)
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text == "" && !seenHeader {
			continue // tolerate stray line breaks between messages
		}
		seenHeader = true
		if text == "" {
			if length < 0 {
				return 0, errors.New("message without a Content-Length header")
			}
			return length, nil
		}
		name, value, ok := strings.Cut(text, ":")
		if !ok {
			return 0, fmt.Errorf("malformed header line %q", snippet(line, 80))
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("invalid Content-Length %q", strings.TrimSpace(value))
			}
			length = n
		}
	}
}

// Write frames and sends one message. ctx is ignored on purpose: a reply to a
// cancelled request (-32800) must still go out, and a half-written frame would
// corrupt the stream.
func (s *stream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	var body []byte
	var err error
	if m, ok := msg.(json.Marshaler); ok {
		body, err = m.MarshalJSON()
	} else {
		body, err = json.Marshal(msg)
	}
	if err != nil {
		return 0, fmt.Errorf("encoding a message: %w", err)
	}
	if s.trace {
		s.log.Debug("rpc out", zap.ByteString("message", traceable(body)))
	}
	return s.writeFrame(body)
}

func (s *stream) writeFrame(body []byte) (int64, error) {
	frame := make([]byte, 0, len(body)+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(len(body)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, body...)

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	n, err := s.rwc.Write(frame)
	if err != nil {
		return int64(n), fmt.Errorf("%w: %w", errStreamWrite, err)
	}
	return int64(n), nil
}

// replyWithoutID sends an error response with "id": null, which JSON-RPC
// prescribes when the request's id could not be read. jsonrpc2.Response
// cannot express a null id, so the frame is written by hand.
func (s *stream) replyWithoutID(code jsonrpc2.Code, message string) {
	body, err := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      *int            `json:"id"`
		Error   *jsonrpc2.Error `json:"error"`
	}{JSONRPC: jsonrpc2.Version, Error: jsonrpc2.NewError(code, message)})
	if err != nil {
		s.log.Error("encoding an error reply", zap.Error(err))
		return
	}
	if s.trace {
		s.log.Debug("rpc out", zap.ByteString("message", body))
	}
	if _, err := s.writeFrame(body); err != nil {
		s.log.Debug("could not send an error reply", zap.Error(err))
	}
}

func (s *stream) Close() error { return s.rwc.Close() }

// traceable keeps --trace-rpc usable when a client opens a 50 MB file.
func traceable(body []byte) []byte { return snippet(body, 64<<10) }

// snippet shortens b to at most n bytes without splitting a UTF-8 sequence,
// for log lines.
func snippet(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	out := bytes.Clone(b[:cut])
	return fmt.Appendf(out, "… (%d bytes in all)", len(b))
}
