//go:build unix

package benchgen

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time the test process has used (user + system):
// on a loaded machine it measures work where wall time measures waiting.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
