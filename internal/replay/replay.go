// Package replay measures asyncmig's language server the way a user feels
// it: it starts a real `asyncmig serve`, lets it index a workspace, opens
// documents like an editor, and replays a recorded typing session — one
// didChange per keystroke — timing each keystroke from the moment its
// didChange is written to the moment the publishDiagnostics of that
// version arrives. The server's memory (RSS, and its goroutines and live
// heap when it answers the debug requests) is sampled along the way, and
// an optional soak of many more edits shows whether it grows.
//
// Keystrokes are sent one at a time, each after the previous one's
// diagnostics: the time measured is the server's work, not a queue. Run
// the server with a 0 ms debounce to exclude the configured wait.
package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Options configure one replay.
type Options struct {
	// Server is the command to run, e.g. {"/path/to/asyncmig", "serve"}.
	Server []string
	// Root is the workspace folder (it must hold Session.File).
	Root    string
	Session *Session
	// Open is how many documents are open during the session, the edited
	// one included (0: just that one).
	Open int
	// DebounceMS is the server's debounce-ms setting.
	DebounceMS int
	// SoakEdits, when positive, are sent after the session: one character
	// typed and deleted again, over and over, in the edited file.
	SoakEdits int
	// Stderr receives the server's log (nil: discarded).
	Stderr io.Writer
	// Timeout bounds each wait for the server (0: two minutes, for the
	// initial index of a large workspace on a loaded machine).
	Timeout time.Duration
}

// Report is what a replay measured.
type Report struct {
	Keystrokes []time.Duration // didChange → publishDiagnostics, in order
	// KeystrokeCPU is the CPU time the server used (all its threads)
	// during each keystroke, in order: on a loaded machine wall time
	// includes waiting for a core, this does not. Empty when the system
	// does not say (no /proc/PID/task/*/schedstat).
	KeystrokeCPU []time.Duration
	// Diagnostics is how many the server published for the last keystroke.
	Diagnostics int
	IndexTime   time.Duration // initialize → end of the index progress
	OpenFiles   int
	// RSS of the server process, in bytes, after indexing, after opening
	// the documents, after the session, after the soak; Peak is its high
	// water mark (0 when /proc is not available).
	RSSIndexed, RSSOpened, RSSSession, RSSSoak, RSSPeak uint64
	// Runtime is what the server said about itself after the session and
	// after the soak (nil when it does not answer asyncmig/debugRuntime).
	RuntimeSession, RuntimeSoak *Runtime
	SoakEdits                   int
	// SoakRSS samples the RSS every tenth of the soak.
	SoakRSS []uint64
	// TextMatches is false when the server's copy of the edited document
	// differs from the client's at the end (nil: could not ask).
	TextMatches *bool
}

// Runtime is the server's answer to asyncmig/debugRuntime.
type Runtime struct {
	Goroutines    int    `json:"goroutines"`
	HeapAlloc     uint64 `json:"heapAlloc"`
	HeapObjects   uint64 `json:"heapObjects"`
	OpenDocuments int    `json:"openDocuments"`
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of ds by the nearest-rank
// method: the smallest value with at least q of the values at or below it.
func Quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(q*float64(len(s)) + 0.999999)
	return s[min(max(rank, 1), len(s))-1]
}

// Run replays opt.Session against a new server process.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if len(opt.Server) == 0 || opt.Session == nil {
		return nil, errors.New("replay: a server command and a session are needed")
	}
	if opt.Timeout == 0 {
		opt.Timeout = 2 * time.Minute
	}
	root, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, err
	}
	editedPath := filepath.Join(root, filepath.FromSlash(opt.Session.File))
	text, err := os.ReadFile(editedPath)
	if err != nil {
		return nil, err
	}
	if err := opt.Session.Fits(text); err != nil {
		return nil, err
	}
	others, err := otherFiles(root, editedPath, opt.Open-1)
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, opt.Server[0], opt.Server[1:]...)
	cmd.Env = append(os.Environ(), "ASYNCMIG_DEBUG_REQUESTS=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = opt.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the server: %w", err)
	}
	defer func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	settings := map[string]any{"debounce-ms": opt.DebounceMS}
	c := newClient(stdout, stdin, settings)
	r := &Report{OpenFiles: 1 + len(others)}
	pid := cmd.Process.Pid

	start := time.Now()
	if err := c.call("initialize", initializeParams(root, settings), nil, opt.Timeout); err != nil {
		return nil, err
	}
	c.notify("initialized", map[string]any{})
	if err := c.waitProgressEnd(opt.Timeout); err != nil {
		return nil, err
	}
	r.IndexTime = time.Since(start)
	r.RSSIndexed = rss(pid, "VmRSS")

	// The other documents first, then the edited one, each waited for.
	for _, path := range append(others, editedPath) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		uri := fileURI(filepath.ToSlash(path))
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": uri, "languageId": "python", "version": 1, "text": string(data)}})
		if _, err := c.waitPublished(uri, 1, opt.Timeout); err != nil {
			return nil, err
		}
	}
	r.RSSOpened = rss(pid, "VmRSS")

	uri := fileURI(filepath.ToSlash(editedPath))
	version := int32(1)
	cpuBefore, cpuOK := cpuTime(pid)
	change := func(ch Change) (published, time.Time, error) {
		version++
		sent := time.Now()
		err := c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{ch},
		})
		if err != nil {
			return published{}, sent, err
		}
		p, err := c.waitPublished(uri, version, opt.Timeout)
		return p, sent, err
	}
	for _, ch := range opt.Session.Changes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, sent, err := change(ch)
		if err != nil {
			return nil, err
		}
		r.Keystrokes = append(r.Keystrokes, p.at.Sub(sent))
		r.Diagnostics = p.diagnostics
		if cpuOK {
			cpu, _ := cpuTime(pid)
			r.KeystrokeCPU = append(r.KeystrokeCPU, cpu-cpuBefore)
			cpuBefore = cpu
		}
	}
	r.RSSSession = rss(pid, "VmRSS")
	r.RuntimeSession = debugRuntime(c, opt.Timeout)
	final, err := opt.Session.Apply(text, len(opt.Session.Changes))
	if err != nil {
		return nil, err
	}

	if opt.SoakEdits > 0 {
		if err := soak(ctx, c, uri, &version, final, opt, r, pid); err != nil {
			return nil, err
		}
		r.RSSSoak = rss(pid, "VmRSS")
		r.RuntimeSoak = debugRuntime(c, opt.Timeout)
	}
	r.TextMatches = sameText(c, uri, final, opt.Timeout)
	r.RSSPeak = rss(pid, "VmHWM")
	c.call("shutdown", nil, nil, opt.Timeout)
	c.notify("exit", nil)
	return r, nil
}

// soak types a character at the end of the edited file and deletes it
// again, opt.SoakEdits times, without waiting for each; every tenth of the
// way it waits for the diagnostics of the latest version (so the server
// cannot fall behind unboundedly) and samples the RSS.
func soak(ctx context.Context, c *client, uri string, version *int32, text []byte, opt Options, r *Report, pid int) error {
	end := positionOf(text, len(text))
	after := Position{Line: end.Line, Character: end.Character + 1} // ñ is one UTF-16 unit
	step := max(opt.SoakEdits/10, 1)
	for i := 0; i < opt.SoakEdits; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		ch := Change{Range: Range{end, end}, Text: "ñ"}
		if i%2 == 1 {
			ch = Change{Range: Range{end, after}}
		}
		*version++
		err := c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": *version},
			"contentChanges": []any{ch},
		})
		if err != nil {
			return err
		}
		if (i+1)%step == 0 || i == opt.SoakEdits-1 {
			if _, err := c.waitPublished(uri, *version, opt.Timeout); err != nil {
				return err
			}
			r.SoakRSS = append(r.SoakRSS, rss(pid, "VmRSS"))
		}
	}
	if opt.SoakEdits%2 == 1 {
		// Leave the text as the session left it.
		*version++
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": *version},
			"contentChanges": []any{Change{Range: Range{end, after}}},
		})
		if _, err := c.waitPublished(uri, *version, opt.Timeout); err != nil {
			return err
		}
	}
	r.SoakEdits = opt.SoakEdits
	return nil
}

func initializeParams(root string, settings map[string]any) map[string]any {
	return map[string]any{
		"processId":  os.Getpid(),
		"clientInfo": map[string]any{"name": "asyncmig-replay"},
		"rootUri":    fileURI(filepath.ToSlash(root)),
		"workspaceFolders": []any{map[string]any{
			"uri": fileURI(filepath.ToSlash(root)), "name": filepath.Base(root)}},
		"initializationOptions": settings,
		"capabilities": map[string]any{
			"general": map[string]any{"positionEncodings": []string{"utf-16"}},
			"window":  map[string]any{"workDoneProgress": true},
			"workspace": map[string]any{
				"configuration": true,
				"workspaceEdit": map[string]any{"documentChanges": true},
			},
			"textDocument": map[string]any{
				"synchronization":    map[string]any{"didSave": true},
				"publishDiagnostics": map[string]any{"relatedInformation": true, "versionSupport": true},
			},
		},
	}
}

// otherFiles picks n Python files of the workspace besides the edited one,
// routers first (the files people keep open), in a stable order.
func otherFiles(root, edited string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	var all []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".py") && path != edited && d.Name() != "__init__.py" {
			all = append(all, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := strings.Contains(all[i], "routes"), strings.Contains(all[j], "routes")
		if ri != rj {
			return ri
		}
		return all[i] < all[j]
	})
	if len(all) < n {
		return nil, fmt.Errorf("the workspace has %d other Python files, %d wanted open", len(all), n)
	}
	return all[:n], nil
}

// rss reads a memory field (VmRSS, VmHWM) of a process from /proc, in
// bytes; 0 where /proc does not exist.
func rss(pid int, field string) uint64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// cpuTime is the CPU time all threads of a process have used, from the
// scheduler's nanosecond counters.
func cpuTime(pid int) (time.Duration, bool) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, false
	}
	var total time.Duration
	for _, t := range tasks {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue // the thread just exited
		}
		ns, err := strconv.ParseInt(strings.Fields(string(data) + " x")[0], 10, 64)
		if err != nil {
			return 0, false
		}
		total += time.Duration(ns)
	}
	return total, true
}

func debugRuntime(c *client, timeout time.Duration) *Runtime {
	var rt Runtime
	if err := c.call("asyncmig/debugRuntime", map[string]any{}, &rt, timeout); err != nil {
		return nil
	}
	return &rt
}

// sameText asks the server for its copy of the document (debug request);
// nil when it does not answer.
func sameText(c *client, uri string, want []byte, timeout time.Duration) *bool {
	var doc struct {
		Text string `json:"text"`
	}
	if err := c.call("asyncmig/debugDocument", map[string]any{"textDocument": map[string]any{"uri": uri}}, &doc, timeout); err != nil {
		return nil
	}
	same := bytes.Equal([]byte(doc.Text), want)
	return &same
}
