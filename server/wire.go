package server

import (
	"encoding/json"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/codeactions"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// Wire types that go.lsp.dev/protocol v0.12.0 lacks or gets wrong (LSP 3.17).
// Everything else on the wire uses the protocol package's types.

// codeActionKindFixAll is our source.fixAll action kind. v0.12.0 defines
// neither CodeActionKind "source.fixAll" nor a way to sub-kind it.
const codeActionKindFixAll = codeactions.KindFixAll

// codeActionKindSourceFixAll is LSP 3.17's source.fixAll, which editors ask
// for on save; ours is a sub-kind of it.
const codeActionKindSourceFixAll protocol.CodeActionKind = "source.fixAll"

// initializeParams holds the part of initialize's params the server uses.
// It is not protocol.InitializeParams on purpose: decoding the whole
// ClientCapabilities tree fails the entire initialize when a client sends a
// shape v0.12.0 mistypes (semanticTokens.requests.range may be `{}`, v0.12.0
// wants a bool), and v0.12.0 has no general.positionEncodings at all.
type initializeParams struct {
	ClientInfo            *protocol.ClientInfo       `json:"clientInfo,omitempty"`
	RootURI               protocol.DocumentURI       `json:"rootUri,omitempty"`
	WorkspaceFolders      []protocol.WorkspaceFolder `json:"workspaceFolders,omitempty"`
	InitializationOptions json.RawMessage            `json:"initializationOptions,omitempty"`
	Capabilities          clientCapabilities         `json:"capabilities"`
}

// clientCapabilities lists only the client capabilities asyncmig acts on.
type clientCapabilities struct {
	General *struct {
		// PositionEncodings is LSP 3.17's general.positionEncodings, absent
		// from v0.12.0's GeneralClientCapabilities.
		PositionEncodings []string `json:"positionEncodings,omitempty"`
	} `json:"general,omitempty"`
	Workspace *struct {
		ApplyEdit     bool `json:"applyEdit,omitempty"`
		WorkspaceEdit *struct {
			DocumentChanges bool `json:"documentChanges,omitempty"`
		} `json:"workspaceEdit,omitempty"`
		DidChangeWatchedFiles *struct {
			DynamicRegistration bool `json:"dynamicRegistration,omitempty"`
		} `json:"didChangeWatchedFiles,omitempty"`
		// Configuration: the client answers workspace/configuration.
		Configuration bool `json:"configuration,omitempty"`
		CodeLens      *struct {
			RefreshSupport bool `json:"refreshSupport,omitempty"`
		} `json:"codeLens,omitempty"`
	} `json:"workspace,omitempty"`
	TextDocument *struct {
		CodeAction *struct {
			CodeActionLiteralSupport json.RawMessage `json:"codeActionLiteralSupport,omitempty"`
			// ResolveSupport lists the CodeAction properties the client
			// fills in later through codeAction/resolve.
			ResolveSupport *struct {
				Properties []string `json:"properties,omitempty"`
			} `json:"resolveSupport,omitempty"`
		} `json:"codeAction,omitempty"`
		Hover *struct {
			ContentFormat []protocol.MarkupKind `json:"contentFormat,omitempty"`
		} `json:"hover,omitempty"`
		// CodeLens is present when the client shows code lenses.
		// ResolveSupport is LSP 3.18's, absent from v0.12.0.
		CodeLens *struct {
			ResolveSupport *struct {
				Properties []string `json:"properties,omitempty"`
			} `json:"resolveSupport,omitempty"`
		} `json:"codeLens,omitempty"`
	} `json:"textDocument,omitempty"`
	Window *struct {
		WorkDoneProgress bool `json:"workDoneProgress,omitempty"`
	} `json:"window,omitempty"`
}

// initializeResult replaces protocol.InitializeResult, whose
// ServerCapabilities has no positionEncoding field (LSP 3.17).
type initializeResult struct {
	Capabilities serverCapabilities   `json:"capabilities"`
	ServerInfo   *protocol.ServerInfo `json:"serverInfo,omitempty"`
}

type serverCapabilities struct {
	protocol.ServerCapabilities
	PositionEncoding string `json:"positionEncoding,omitempty"`
}

// didChangeParams replaces protocol.DidChangeTextDocumentParams: v0.12.0's
// TextDocumentContentChangeEvent has `Range Range` (a value), so a
// full-document change (no range) decodes as an insertion at 0:0 (gotcha 5).
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []contentChange                          `json:"contentChanges"`
}

// contentChange is one change event; Range == nil replaces the whole text.
type contentChange struct {
	Range       *protocol.Range `json:"range,omitempty"`
	RangeLength uint32          `json:"rangeLength,omitempty"`
	Text        string          `json:"text"`
}

// codeActionParams adds LSP 3.17's context.triggerKind, absent from v0.12.0's
// CodeActionContext.
type codeActionParams struct {
	protocol.CodeActionParams
	Context codeActionContext `json:"context"`
}

type codeActionContext struct {
	protocol.CodeActionContext
	TriggerKind codeActionTriggerKind `json:"triggerKind,omitempty"`
}

// codeActionTriggerKind: 1 = invoked by the user, 2 = automatic (cursor
// moves, lightbulb). 0 means an older client did not say.
type codeActionTriggerKind int

const (
	codeActionTriggerInvoked   codeActionTriggerKind = 1
	codeActionTriggerAutomatic codeActionTriggerKind = 2
)

// publishDiagnosticsParams replaces protocol.PublishDiagnosticsParams, whose
// Version is a uint32 with omitempty: a document at version 0 (Neovim starts
// there) lost its version, and negative int32 versions had no spelling.
type publishDiagnosticsParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"` // never nil: null breaks clients (gotcha 4)
}

// diagnosticData is what a published diagnostic carries in `data`. Code
// actions read it only as a hint: the client's copy may be stale, so edits
// always come from the server's own analysis of the current version.
type diagnosticData struct {
	Code    string `json:"code"`
	Version int32  `json:"version"`
}

// fixAllData is the `data` of a fix-all action sent without its edit, for
// codeAction/resolve to compute it.
type fixAllData struct {
	FixAll  bool                 `json:"fixAll"`
	URI     protocol.DocumentURI `json:"uri"`
	Version int32                `json:"version"`
}

// fromProtocolRange converts a client range (in the negotiated encoding)
// for textpos; the other direction is codeactions.Range.
func fromProtocolRange(r protocol.Range) textpos.Range {
	return textpos.Range{
		Start: textpos.Position{Line: r.Start.Line, Character: r.Start.Character},
		End:   textpos.Position{Line: r.End.Line, Character: r.End.Character},
	}
}
