package server

// workspace/executeCommand asyncmig.showReport: the migration report of a
// workspace folder — the same data as `asyncmig report` (internal/report) —
// computed from the server's index, with open documents as the editor has
// them rather than as saved.
//
// Only the files that hold route handlers need the rules' findings: open
// ones reuse the analysis of their current version, closed ones are read,
// parsed and checked against the index, a few at a time so diagnostics of
// the document being typed in still get a turn. The message queue is
// released before any of that, so typing is never stuck behind a report.
//
// Arguments (all optional): a format name ("json", "markdown", "text",
// "html"), or {"format": …, "uri": …} where uri picks the workspace folder
// holding that document (default: the client's first folder). JSON comes
// back as the report.Report object, the other formats as one string.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/files"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/report"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// reportArgs are asyncmig.showReport's arguments.
type reportArgs struct {
	Format string               `json:"format"`
	URI    protocol.DocumentURI `json:"uri"`
}

func parseReportArgs(args []any) (reportArgs, *jsonrpc2.Error) {
	var a reportArgs
	bad := func(why string) *jsonrpc2.Error {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, commandShowReport+": "+why)
	}
	if len(args) > 0 {
		switch first := args[0].(type) {
		case nil:
		case string:
			a.Format = first
		case map[string]any:
			raw, _ := json.Marshal(first)
			if err := json.Unmarshal(raw, &a); err != nil {
				return a, bad("invalid argument: " + err.Error())
			}
		default:
			return a, bad(`the argument must be a format name or {"format", "uri"}`)
		}
	}
	if a.Format == "" {
		a.Format = "json"
	}
	if !slices.Contains(report.Formats(), a.Format) && a.Format != "md" {
		return a, bad(fmt.Sprintf("unknown format %q (want one of %s)", a.Format, strings.Join(report.Formats(), ", ")))
	}
	return a, nil
}

func (s *Server) commandShowReport(ctx context.Context, req *request, args []any) (any, *jsonrpc2.Error) {
	a, err := parseReportArgs(args)
	if err != nil {
		return nil, err
	}
	req.release()
	f, err := s.reportFolder(a.URI)
	if err != nil {
		return nil, err
	}
	rep := s.migrationReport(ctx, f)
	if ctx.Err() != nil {
		return nil, cancelled(req)
	}
	if a.Format == "json" {
		return rep, nil
	}
	var b strings.Builder
	if werr := report.Write(&b, rep, a.Format); werr != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, commandShowReport+": "+werr.Error())
	}
	return b.String(), nil
}

// reportFolder is the indexed workspace folder holding the document at
// docURI, or the client's first folder when docURI is empty.
func (s *Server) reportFolder(docURI protocol.DocumentURI) (*folder, *jsonrpc2.Error) {
	var f *folder
	if docURI != "" {
		path, err := uriToPath(docURI)
		if err != nil {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, commandShowReport+": "+err.Error())
		}
		if f = s.code.folderOf(path); f.root == "" {
			return nil, jsonrpc2.NewError(codeRequestFailed, fmt.Sprintf("%s: %s is in no workspace folder", commandShowReport, docURI))
		}
	} else {
		root := s.code.firstRoot()
		if root == "" {
			return nil, jsonrpc2.NewError(codeRequestFailed, commandShowReport+": the editor opened no workspace folder; the report covers a project")
		}
		f = s.code.folderOf(root)
	}
	if f.indexedWith() == "" {
		return nil, jsonrpc2.NewError(codeRequestFailed, fmt.Sprintf("%s: %s is still being indexed; try again when indexing ends", commandShowReport, f.root))
	}
	return f, nil
}

// migrationReport computes the report of f. When ctx is cancelled it
// returns early with a partial report the caller drops.
func (s *Server) migrationReport(ctx context.Context, f *folder) *report.Report {
	progress := s.beginWorkDone(ctx, "report", "asyncmig: migration report")
	defer progress.end(context.Background(), "")

	// Open documents first: analysing them puts their current text's
	// module into the index.
	open := map[string]*fileAnalysis{}
	for _, u := range s.code.openIn(f) {
		if snap := s.docs.Get(u); snap != nil {
			if fa := s.analysisFor(ctx, snap); fa.mod != nil && fa.target.path != "" {
				open[fa.target.path] = fa
			}
		}
	}
	ws := f.workspace()
	ev := ws.Evaluator()
	mods := ws.Modules()
	in := report.Input{Root: f.root, Config: s.code.config(f.root, f.root), Workspace: ws, Files: make([]report.Source, len(mods))}
	var closed []int // the closed files that have route handlers
	for i, m := range mods {
		in.Files[i] = report.Source{Path: m.Path, Module: m}
		if fa := open[m.Path]; fa != nil {
			in.Files[i] = report.Source{Path: m.Path, Module: fa.mod, Src: fa.snap.Text, Diagnostics: fa.diags}
		} else if len(report.Handlers(ev, m)) > 0 {
			closed = append(closed, i)
		}
	}

	tick := throttledReport(ctx, progress, "route files")
	var next, done int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range cap(s.diag.slots) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next == len(closed) || ctx.Err() != nil {
					mu.Unlock()
					return
				}
				i := closed[next]
				next++
				mu.Unlock()
				select {
				case s.diag.slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				in.Files[i] = s.checkClosed(ctx, in.Files[i].Path, ws)
				<-s.diag.slots
				mu.Lock()
				done++
				tick(done, len(closed))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return report.Compute(in)
}

// checkClosed reads, parses and checks a file that is not open. A file
// that cannot be read or parsed is left out, as `asyncmig report` does.
func (s *Server) checkClosed(ctx context.Context, path string, ws *workspace.Workspace) report.Source {
	src, err := files.Read(path)
	var tree *pysyntax.Tree
	if err == nil {
		tree, err = pysyntax.Parse(src)
	}
	if err != nil {
		s.log.Info("the report leaves out a file", zap.String("path", path), zap.Error(err))
		return report.Source{Path: path}
	}
	tg := s.targetFor(string(uri.File(path)))
	mod := pymodel.Build(tree, tg.module, tg.path, tg.isPkg)
	return report.Source{Path: path, Module: mod, Src: src, Diagnostics: s.check(ctx, tg, ws, tree, mod)}
}
