package server

// workspace/executeCommand: asyncmig.fixAll and asyncmig.ignoreRule compute
// an edit of an open document and ask the client to apply it with
// workspace/applyEdit — after releasing the message queue, so the didChange
// the client sends while applying it is not stuck behind us.
// asyncmig.showReport returns the migration report (report.go).

import (
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/codeactions"
)

// codeRequestFailed is LSP 3.17's RequestFailed: a valid request the server
// could not carry out.
const codeRequestFailed jsonrpc2.Code = -32803

func (s *Server) executeCommand(ctx context.Context, req *request) (any, *jsonrpc2.Error) {
	var p protocol.ExecuteCommandParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	switch p.Command {
	case commandFixAll:
		return s.commandFixAll(ctx, req, p.Arguments)
	case commandIgnoreRule:
		return s.commandIgnoreRule(ctx, req, p.Arguments)
	case commandShowReport:
		return s.commandShowReport(ctx, req, p.Arguments) // report.go
	}
	return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("unknown command %q (asyncmig offers %s, %s and %s)", p.Command, commandFixAll, commandIgnoreRule, commandShowReport))
}

// commandArgs is what our commands take: the document URI, as a string or
// as {"uri": …}; ignoreRule also takes the rule code and the 0-based line,
// as {"uri", "code", "line"} or positionally.
type commandArgs struct {
	URI  protocol.DocumentURI `json:"uri"`
	Code string               `json:"code"`
	Line *uint32              `json:"line"`
}

func parseCommandArgs(command string, args []any) (commandArgs, *jsonrpc2.Error) {
	var a commandArgs
	bad := func(why string) *jsonrpc2.Error {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, command+": "+why)
	}
	if len(args) == 0 {
		return a, bad("missing the document URI argument")
	}
	switch first := args[0].(type) {
	case string:
		a.URI = protocol.DocumentURI(first)
		if len(args) > 1 {
			code, ok := args[1].(string)
			if !ok {
				return a, bad("the second argument must be a rule code")
			}
			a.Code = code
		}
		if len(args) > 2 {
			n, ok := args[2].(float64)
			if !ok || n < 0 || n != float64(uint32(n)) {
				return a, bad("the third argument must be a 0-based line number")
			}
			line := uint32(n)
			a.Line = &line
		}
	case map[string]any:
		raw, _ := json.Marshal(first)
		if err := json.Unmarshal(raw, &a); err != nil {
			return a, bad("invalid argument: " + err.Error())
		}
	default:
		return a, bad("the first argument must be the document URI")
	}
	if a.URI == "" {
		return a, bad("missing the document URI")
	}
	return a, nil
}

func (s *Server) commandFixAll(ctx context.Context, req *request, args []any) (any, *jsonrpc2.Error) {
	a, err := parseCommandArgs(commandFixAll, args)
	if err != nil {
		return nil, err
	}
	snap := s.docs.Get(string(a.URI))
	req.release()
	if snap == nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: %s is not open", commandFixAll, a.URI))
	}
	fa := s.analysisFor(ctx, snap)
	edit, ferr := s.fixAllEdit(ctx, codeactions.NewBuilder(documentOf(snap), s.actionOptions()), fa)
	if ctx.Err() != nil {
		return nil, cancelled(req)
	}
	if ferr != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, commandFixAll+": "+ferr.Error())
	}
	if edit == nil {
		return nil, nil // nothing to fix
	}
	return nil, s.apply(ctx, commandFixAll, codeactions.FixAllTitle(s.unsafeFixAll(fa)), edit)
}

func (s *Server) commandIgnoreRule(ctx context.Context, req *request, args []any) (any, *jsonrpc2.Error) {
	a, err := parseCommandArgs(commandIgnoreRule, args)
	if err != nil {
		return nil, err
	}
	if a.Code == "" || a.Line == nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, commandIgnoreRule+": takes the document URI, the rule code and the 0-based line")
	}
	snap := s.docs.Get(string(a.URI))
	req.release()
	if snap == nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: %s is not open", commandIgnoreRule, a.URI))
	}
	fa := s.analysisFor(ctx, snap)
	for i, d := range fa.diags {
		if d.Code != a.Code || snap.Lines.LineOf(d.Start) != int(*a.Line) {
			continue
		}
		action, ok, ierr := codeactions.NewBuilder(documentOf(snap), s.actionOptions()).Ignore(codeactions.Target{Diagnostic: &fa.diags[i], Published: fa.lsp[i]})
		if ierr != nil || !ok {
			s.log.Info("cannot add a noqa comment on this line", zap.String("uri", snap.URI), zap.Error(ierr))
			return nil, jsonrpc2.NewError(codeRequestFailed, fmt.Sprintf("%s: line %d cannot take a noqa comment", commandIgnoreRule, *a.Line+1))
		}
		return nil, s.apply(ctx, commandIgnoreRule, action.Title, action.Edit)
	}
	return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: no %s diagnostic on line %d of %s", commandIgnoreRule, a.Code, *a.Line+1, a.URI))
}

// apply sends workspace/applyEdit and turns a refusal into an error.
func (s *Server) apply(ctx context.Context, command, label string, edit *protocol.WorkspaceEdit) *jsonrpc2.Error {
	if !s.session().applyEdit {
		return jsonrpc2.NewError(codeRequestFailed, command+": the client cannot apply edits (no workspace.applyEdit capability)")
	}
	resp, err := s.applyEdit(ctx, &protocol.ApplyWorkspaceEditParams{Label: label, Edit: *edit})
	if err != nil {
		return jsonrpc2.NewError(codeRequestFailed, command+": workspace/applyEdit failed: "+err.Error())
	}
	if !resp.Applied {
		return jsonrpc2.NewError(codeRequestFailed, command+": the client did not apply the edit: "+resp.FailureReason)
	}
	return nil
}
