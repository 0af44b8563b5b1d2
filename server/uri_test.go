package server

import (
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"
)

func TestURIToPath(t *testing.T) {
	tests := []struct {
		uri  protocol.DocumentURI
		want string
	}{
		{"file:///home/jos%C3%A9/caf%C3%A9%20%F0%9F%8E%89.py", "/home/josé/café 🎉.py"},
		{"file:///tmp/ñandú.py", "/tmp/ñandú.py"},
		{"file://localhost/srv/app/main.py", "/srv/app/main.py"},
		{"FILE:///srv/app/main.py", "/srv/app/main.py"},
	}
	for _, tt := range tests {
		got, err := uriToPath(tt.uri)
		if err != nil || got != filepath.FromSlash(tt.want) {
			t.Errorf("uriToPath(%q) = %q, %v; want %q", tt.uri, got, err, tt.want)
		}
	}
}

// uri.URI.Filename panics on these (gotcha 12); we return an error.
func TestURIToPathRejectsNonFileURIs(t *testing.T) {
	for _, uri := range []protocol.DocumentURI{
		"untitled:Untitled-1",
		"vscode-notebook-cell:/home/ana/análisis.ipynb#W0sZmlsZQ%3D%3D",
		"https://example.com/app.py",
		"file://fileserver/share/app.py",
		"file://",
		"/home/ana/app.py",
		"",
		"file:///bad%zzescape.py",
	} {
		if got, err := uriToPath(uri); err == nil {
			t.Errorf("uriToPath(%q) = %q, want an error", uri, got)
		}
	}
}
