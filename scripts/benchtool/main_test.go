package main

import (
	"strings"
	"testing"
)

func TestParseGoBenchTakesMedians(t *testing.T) {
	out := `goos: linux
BenchmarkKeystrokeIndexed-2   	     200	  30000000 ns/op	        41.00 cpu-ms/keystroke
BenchmarkKeystrokeIndexed-2   	     200	  20000000 ns/op	        39.00 cpu-ms/keystroke
BenchmarkKeystrokeIndexed-2   	     200	  90000000 ns/op	        45.00 cpu-ms/keystroke
BenchmarkOffsetPosition/es_emoji-2   	 1000	  120.5 ns/op
BenchmarkOffsetPosition/es_emoji-2   	 1000	  130.5 ns/op
PASS
`
	recs, err := parseGoBench(strings.NewReader(out), "server.")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records: %+v", len(recs), recs)
	}
	if r := recs[0]; r.Name != "server.BenchmarkKeystrokeIndexed" || r.Metrics["ns/op"] != 30000000 || r.Metrics["cpu-ms/keystroke"] != 41 {
		t.Errorf("first record %+v", r)
	}
	if r := recs[1]; r.Name != "server.BenchmarkOffsetPosition/es_emoji" || r.Metrics["ns/op"] != 125.5 {
		t.Errorf("second record %+v", r)
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		v, bound float64
		atMost   bool
		want     string
	}{
		{4, 5, true, "✅ holds"},
		{10, 5, true, "❌ misses (2.0× the bound)"},
		{1.8, 1.7, false, "✅ holds"},
		{1.19, 1.7, false, "❌ misses (70% of the bound)"},
	} {
		if got := verdict(tc.v, tc.bound, tc.atMost); got != tc.want {
			t.Errorf("verdict(%v, %v, %v) = %q, want %q", tc.v, tc.bound, tc.atMost, got, tc.want)
		}
	}
}
