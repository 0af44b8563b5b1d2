package project

import (
	"runtime/debug"
	"sync"
	"testing"
)

// Overlapping indexes (two workspace folders) share one raise, and the GC
// percent the process had comes back when the last one ends, whatever the
// order; a process that turned the GC off keeps it off.
func TestIndexingRestoresTheGCPercent(t *testing.T) {
	for _, start := range []int{100, 37, -1} {
		prev := debug.SetGCPercent(start)
		a := collectLessWhileIndexing()
		if got := debug.SetGCPercent(-1); start > 0 && got != start*indexGCFactor || start < 0 && got != start {
			t.Errorf("start %d: %d while indexing", start, got)
		}
		debug.SetGCPercent(pct(start))
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); collectLessWhileIndexing()() }()
		}
		wg.Wait()
		if got := debug.SetGCPercent(pct(start)); got != pct(start) {
			t.Errorf("start %d: %d once the overlapping indexes ended, while the first still runs", start, got)
		}
		a()
		a() // a second call changes nothing
		if got := debug.SetGCPercent(prev); got != start {
			t.Errorf("start %d: %d after indexing", start, got)
		}
	}
}

func pct(start int) int {
	if start > 0 {
		return start * indexGCFactor
	}
	return start
}
