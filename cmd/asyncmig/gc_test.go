package main

import (
	"strings"
	"testing"
)

func TestBatchMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		meminfo string
		want    int64
		ok      bool
	}{
		{"MemTotal:       16384000 kB\nMemFree:         2000000 kB\nMemAvailable:    8000000 kB\n", 8000000 * 1024 / 4 * 3, true},
		{"MemTotal:       16384000 kB\nMemAvailable:     512000 kB\n", 0, false}, // under 1 GiB: collect early
		{"MemTotal:       16384000 kB\n", 0, false},                              // an old kernel without MemAvailable
		{"MemAvailable:    lots kB\n", 0, false},
		{"MemAvailable:    8000000 MB\n", 0, false}, // unknown unit
		{"", 0, false},
	} {
		got, ok := batchMemoryLimit(strings.NewReader(c.meminfo))
		if got != c.want || ok != c.ok {
			t.Errorf("batchMemoryLimit(%q) = %d, %v; want %d, %v", c.meminfo, got, ok, c.want, c.ok)
		}
	}
}
