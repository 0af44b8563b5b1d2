package server

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"go.lsp.dev/protocol"
)

// Open documents are keyed by the URI string exactly as the client sent it;
// a path is derived only to read the workspace from disk.

// uriToPath returns the filesystem path of a file: URI. Other schemes
// (untitled:, vscode-notebook-cell:, …) are an error, not a panic as in
// uri.URI.Filename (gotcha 12); such documents get single-file analysis only.
func uriToPath(docURI protocol.DocumentURI) (string, error) {
	u, err := url.Parse(string(docURI))
	if err != nil {
		return "", fmt.Errorf("invalid document URI %q: %w", docURI, err)
	}
	if !strings.EqualFold(u.Scheme, "file") {
		return "", fmt.Errorf("document URI %q is not a file: URI", docURI)
	}
	if u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
		return "", fmt.Errorf("document URI %q names a remote host (%s)", docURI, u.Host)
	}
	p := u.Path
	if p == "" {
		return "", fmt.Errorf("document URI %q has no path", docURI)
	}
	// file:///C:/x → C:/x on Windows.
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.FromSlash(p), nil
}
