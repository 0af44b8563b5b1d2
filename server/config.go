package server

// Editor settings: initializationOptions at startup, then
// workspace/didChangeConfiguration (the settings object, possibly under an
// "asyncmig" key, as VS Code sends it; when a client sends null, the server
// asks for the "asyncmig" section with workspace/configuration). They are
// merged over each file's configuration (state.go). Problems with settings
// or config files are shown once with window/showMessage and logged.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/project"
)

// settingsFromJSON decodes a settings object; null or absent means none.
func settingsFromJSON(raw json.RawMessage) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var settings map[string]any
	if err := json.Unmarshal(raw, &settings); err != nil {
		return nil, fmt.Errorf("settings must be a JSON object: %w", err)
	}
	return settings, nil
}

// setSettings replaces the editor settings and returns their problems
// (unknown keys, bad values), which leave the rest in force.
func (s *Server) setSettings(settings map[string]any) []config.Problem {
	probe := config.Default()
	problems := probe.Merge(settings)
	c := s.code
	c.mu.Lock()
	c.settings = settings
	c.debounce = time.Duration(probe.DebounceMS) * time.Millisecond
	clear(c.merged)
	c.mu.Unlock()
	return problems
}

// debounce is the delay between a change and the analysis it triggers.
func (s *Server) debounce() time.Duration {
	c := s.code
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.debounce
}

func (s *Server) settingsOverride() map[string]any {
	c := s.code
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.settings
}

func (s *Server) didChangeConfiguration(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	var p struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	settings, err := settingsFromJSON(p.Settings)
	if err != nil {
		s.showProblems([]string{"asyncmig settings: " + err.Error()})
		return nil, nil
	}
	if settings == nil {
		if !s.session().workspaceConfiguration {
			return nil, nil
		}
		// The pull model: the notification only says "something changed".
		s.goBackground(func() {
			if settings, ok := s.pullSettings(s.ctx); ok {
				s.applySettings(settings)
			}
		})
		return nil, nil
	}
	s.goBackground(func() { s.applySettings(settings) })
	return nil, nil
}

// pullSettings asks the client for the "asyncmig" section.
func (s *Server) pullSettings(ctx context.Context) (map[string]any, bool) {
	var result []json.RawMessage
	params := &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: "asyncmig"}}}
	if err := call(ctx, s, protocol.MethodWorkspaceConfiguration, params, &result); err != nil {
		s.log.Warn("workspace/configuration failed", zap.Error(err))
		return nil, false
	}
	if len(result) == 0 {
		return nil, false
	}
	settings, err := settingsFromJSON(result[0])
	if err != nil {
		s.showProblems([]string{"asyncmig settings: " + err.Error()})
		return nil, false
	}
	return settings, true
}

// applySettings installs new settings and re-checks what they affect.
func (s *Server) applySettings(settings map[string]any) {
	problems := s.setSettings(settings)
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.String()
	}
	s.showProblems(msgs)
	s.configurationChanged()
}

// configurationChanged follows a change of settings or config files: the
// folders whose index depends on it are re-indexed, and every open
// document is checked again.
func (s *Server) configurationChanged() {
	s.code.forgetConfigs()
	s.reportConfigProblems()
	var reindex []*folder
	for _, f := range s.code.allFolders() {
		if s.indexKey(f) != f.indexedWith() {
			reindex = append(reindex, f)
		}
	}
	if len(reindex) > 0 {
		s.startIndexing(reindex)
	}
	for _, u := range s.docs.URIs() {
		s.scheduleDiagnostics(u, 0)
	}
}

// indexKey is what a folder's index depends on in its configuration: the
// evaluator options and twin patterns it was built with, and the excludes
// that decided which files are in it.
func (s *Server) indexKey(f *folder) string {
	cfg := s.code.config(f.root, f.root)
	return fmt.Sprintf("%+v|%+v|%q|%q|%s", project.EvalOptions(cfg), project.TwinsOf(cfg), cfg.Exclude, cfg.ExtendExclude, f.gitignoreStamp())
}

// reportConfigProblems shows the problems of config files loaded since the
// last call (config.Cache hands each out once per load).
func (s *Server) reportConfigProblems() {
	problems := s.code.configs.Unreported()
	if len(problems) == 0 {
		return
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.String()
	}
	s.showProblems(msgs)
}

// showProblems logs configuration problems and shows each message once per
// session: a bad value must not pop up again at every keystroke.
func (s *Server) showProblems(msgs []string) {
	c := s.code
	c.mu.Lock()
	var fresh []string
	for _, m := range msgs {
		if !c.shown[m] {
			c.shown[m] = true
			fresh = append(fresh, m)
		}
	}
	c.mu.Unlock()
	if len(fresh) == 0 {
		return
	}
	for _, m := range fresh {
		s.log.Warn("configuration problem", zap.String("problem", m))
	}
	msg := "asyncmig: " + strings.Join(fresh, "\n")
	if len(fresh) > 1 {
		msg = fmt.Sprintf("asyncmig: %d configuration problems (the rest of the configuration applies):\n%s", len(fresh), strings.Join(fresh, "\n"))
	}
	if err := s.client.ShowMessage(context.Background(), &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg}); err != nil {
		s.log.Debug("could not send window/showMessage", zap.Error(err))
	}
}
