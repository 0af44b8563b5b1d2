package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestServeProfilingServesPprof(t *testing.T) {
	addr, stop, err := serveProfiling(":0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("an address without a host listens on %s, want the loopback interface", addr)
	}
	for path, want := range map[string]string{
		"/debug/pprof/goroutine?debug=1": "goroutine profile:",
		"/debug/pprof/":                  "heap",
	} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %s, body without %q:\n%.300s", path, resp.Status, want, body)
		}
	}
	stop()
	if _, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		t.Error("the profiling server still answers after stop")
	}
}

func TestServeRejectsBadPprofAddress(t *testing.T) {
	r := asyncmig(t, "serve", "--pprof", "127.0.0.1:99999")
	if r.code != exitError || !strings.Contains(r.stderr, "--pprof") || !strings.Contains(r.stderr, "99999") {
		t.Errorf("want exit 2 naming --pprof and the address, got %s", r)
	}
}
