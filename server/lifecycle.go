package server

import (
	"context"
	"fmt"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/textpos"
)

// The lifecycle handlers. initialized, shutdown and exit never look at their
// params: with v0.12.0's decoding, `initialized` without params was never
// handled, `shutdown` with `{}` failed with -32602 and `exit` with `{}` was
// ignored, so the server never exited (gotcha 10).

// Commands the server advertises in executeCommandProvider.
const (
	commandFixAll     = "asyncmig.fixAll"
	commandIgnoreRule = "asyncmig.ignoreRule"
	commandShowReport = "asyncmig.showReport"
)

func (s *Server) initialize(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	var params initializeParams
	if err := req.decode(&params); err != nil {
		return nil, err
	}
	sess := sessionFromInitialize(&params)

	s.sessMu.Lock()
	s.sess = sess
	s.sessMu.Unlock()
	s.code.setFolders(folderRoots(&params, s.log))
	if settings, err := settingsFromJSON(params.InitializationOptions); err != nil {
		s.pendingProblems = []string{"asyncmig initializationOptions: " + err.Error()}
	} else {
		for _, p := range s.setSettings(settings) {
			s.pendingProblems = append(s.pendingProblems, p.String())
		}
	}
	s.lifecycle.Store(int32(stateInitialized))

	s.log.Info("initialized",
		zap.String("client", sess.clientName),
		zap.Stringer("positionEncoding", sess.positionEncoding),
		zap.String("rootUri", string(sess.rootURI)))

	return &initializeResult{
		Capabilities: serverCapabilities{
			ServerCapabilities: protocol.ServerCapabilities{
				TextDocumentSync: &protocol.TextDocumentSyncOptions{
					OpenClose: true,
					Change:    protocol.TextDocumentSyncKindIncremental,
					// We re-read nothing on save; the text is already ours.
					Save: &protocol.SaveOptions{IncludeText: false},
				},
				CodeActionProvider: &protocol.CodeActionOptions{
					CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, codeActionKindFixAll, codeActionKindMigrate},
					ResolveProvider: true,
				},
				HoverProvider:    true,
				CodeLensProvider: &protocol.CodeLensOptions{ResolveProvider: true},
				ExecuteCommandProvider: &protocol.ExecuteCommandOptions{
					Commands: []string{commandFixAll, commandIgnoreRule, commandShowReport},
				},
			},
			PositionEncoding: sess.positionEncoding.String(),
		},
		ServerInfo: &protocol.ServerInfo{Name: "asyncmig", Version: s.opts.Version},
	}, nil
}

// sessionFromInitialize negotiates the position encoding and keeps the
// client capabilities asyncmig acts on.
func sessionFromInitialize(p *initializeParams) session {
	sess := session{
		positionEncoding: textpos.UTF16, // the LSP default every client supports
		rootURI:          p.RootURI,
		workspaceFolders: p.WorkspaceFolders,
		initOptions:      p.InitializationOptions,
	}
	if p.ClientInfo != nil {
		sess.clientName = p.ClientInfo.Name
		if p.ClientInfo.Version != "" {
			sess.clientName += " " + p.ClientInfo.Version
		}
	}
	caps := p.Capabilities
	// UTF-8 when offered: our text is UTF-8, so no conversion per position.
	if caps.General != nil && slices.Contains(caps.General.PositionEncodings, textpos.UTF8.String()) {
		sess.positionEncoding = textpos.UTF8
	}
	if w := caps.Workspace; w != nil {
		sess.applyEdit = w.ApplyEdit
		sess.versionedDocumentChanges = w.WorkspaceEdit != nil && w.WorkspaceEdit.DocumentChanges
		sess.watchedFilesDynamic = w.DidChangeWatchedFiles != nil && w.DidChangeWatchedFiles.DynamicRegistration
		sess.workspaceConfiguration = w.Configuration
		sess.codeLensRefresh = w.CodeLens != nil && w.CodeLens.RefreshSupport
	}
	if td := caps.TextDocument; td != nil {
		if ca := td.CodeAction; ca != nil {
			lit := ca.CodeActionLiteralSupport
			sess.codeActionLiterals = len(lit) > 0 && string(lit) != "null"
			sess.resolveCodeActionEdit = ca.ResolveSupport != nil && slices.Contains(ca.ResolveSupport.Properties, "edit")
		}
		if h := td.Hover; h != nil {
			sess.hoverMarkdown = slices.Contains(h.ContentFormat, protocol.Markdown)
		}
		if cl := td.CodeLens; cl != nil && cl.ResolveSupport != nil {
			// LSP 3.17 clients resolve lenses when the server has a resolve
			// provider (VS Code, Neovim from 0.5 on, lsp-mode, Sublime);
			// 3.18 clients say which properties they resolve.
			sess.eagerCodeLens = !slices.Contains(cl.ResolveSupport.Properties, "command")
		}
	}
	sess.workDoneProgress = caps.Window != nil && caps.Window.WorkDoneProgress
	return sess
}

func (s *Server) initialized(context.Context, *request) (any, *jsonrpc2.Error) {
	sess := s.session()
	s.logToClient(protocol.MessageTypeInfo, fmt.Sprintf("asyncmig %s ready (positions in %s)", s.opts.Version, sess.positionEncoding))
	s.showProblems(s.pendingProblems)
	s.goBackground(func() { s.registerWatchers(s.ctx) })
	s.startIndexing(s.code.allFolders())
	return nil, nil
}

// folderRoots are the directories to index: the workspace folders, else
// the root URI. Folders that are not file: URIs cannot be read and are
// skipped with a log line.
func folderRoots(p *initializeParams, log *zap.Logger) []string {
	uris := make([]protocol.DocumentURI, 0, len(p.WorkspaceFolders)+1)
	for _, f := range p.WorkspaceFolders {
		uris = append(uris, protocol.DocumentURI(f.URI))
	}
	if len(uris) == 0 && p.RootURI != "" {
		uris = append(uris, p.RootURI)
	}
	var roots []string
	for _, u := range uris {
		path, err := uriToPath(u)
		if err != nil {
			log.Warn("not indexing a workspace folder", zap.Error(err))
			continue
		}
		roots = append(roots, path)
	}
	return roots
}

// shutdown stops accepting requests, then drains: every request that arrived
// before it is cancelled and answered before shutdown itself is.
func (s *Server) shutdown(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	s.lifecycle.Store(int32(stateShutdown))
	s.shutdownRequested.Store(true)
	pending := s.calls.pendingBefore(req)
	for _, p := range pending {
		p.cancel()
	}
	for _, p := range pending {
		<-p.answered
	}
	if len(pending) > 0 {
		s.log.Info("shutdown cancelled pending requests", zap.Int("count", len(pending)))
	}
	return nil, nil
}

// exit ends Serve; the exit code depends on whether shutdown came first.
func (s *Server) exit(context.Context, *request) (any, *jsonrpc2.Error) {
	s.exitOnce.Do(func() { close(s.exited) })
	return nil, nil
}
