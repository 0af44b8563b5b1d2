package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// callRegistry holds the requests that have not been answered yet, by id, so
// $/cancelRequest and shutdown can reach them.
type callRegistry struct {
	mu   sync.Mutex
	byID map[jsonrpc2.ID]*request
}

func (c *callRegistry) add(log *zap.Logger, r *request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = make(map[jsonrpc2.ID]*request)
	}
	if old, ok := c.byID[r.id]; ok {
		log.Warn("the client reused the id of a pending request; $/cancelRequest will reach only the newer one",
			zap.String("id", fmt.Sprintf("%q", r.id)), zap.String("pending", old.method), zap.String("new", r.method))
	}
	c.byID[r.id] = r
}

func (c *callRegistry) remove(r *request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID[r.id] == r {
		delete(c.byID, r.id)
	}
}

func (c *callRegistry) get(id jsonrpc2.ID) *request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byID[id]
}

// pendingBefore returns the unanswered requests that arrived before r.
func (c *callRegistry) pendingBefore(r *request) []*request {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*request
	for _, p := range c.byID {
		if p.seq < r.seq {
			out = append(out, p)
		}
	}
	return out
}

// cancelRequest handles $/cancelRequest: the request's ctx is cancelled, and
// the dispatcher answers it -32800 unless it has already replied. Unknown ids
// are normal (the reply crossed the cancellation) and only logged.
func (s *Server) cancelRequest(params json.RawMessage) {
	id, err := parseCancelID(params)
	if err != nil {
		s.log.Error("ignoring a malformed $/cancelRequest", zap.Error(err), zap.ByteString("params", snippet(params, 200)))
		return
	}
	r := s.calls.get(id)
	if r == nil {
		s.log.Debug("$/cancelRequest for a request that is not pending", zap.String("id", fmt.Sprintf("%q", id)))
		return
	}
	s.log.Debug("cancelling", zap.String("method", r.method), zap.String("id", fmt.Sprintf("%q", id)))
	r.cancel()
}

// parseCancelID reads the id of $/cancelRequest. protocol.CancelParams
// decodes it into interface{}, where a JSON number becomes float64, while
// the library's CancelHandler only matches int32 and string: numeric
// cancellations never cancelled anything (gotcha 2).
func parseCancelID(params json.RawMessage) (jsonrpc2.ID, error) {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return jsonrpc2.ID{}, fmt.Errorf("decoding params: %w", err)
	}
	if len(p.ID) == 0 || string(p.ID) == "null" {
		return jsonrpc2.ID{}, errors.New("no id")
	}
	var number float64
	if err := json.Unmarshal(p.ID, &number); err == nil {
		if number != math.Trunc(number) || number < math.MinInt32 || number > math.MaxInt32 {
			return jsonrpc2.ID{}, fmt.Errorf("id %s is not a 32-bit integer, so no request has it", p.ID)
		}
		return jsonrpc2.NewNumberID(int32(number)), nil
	}
	var name string
	if err := json.Unmarshal(p.ID, &name); err != nil {
		return jsonrpc2.ID{}, fmt.Errorf("id %s is neither a number nor a string", p.ID)
	}
	return jsonrpc2.NewStringID(name), nil
}
