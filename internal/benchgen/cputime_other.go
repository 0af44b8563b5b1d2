//go:build !unix

package benchgen

import "time"

func ProcessCPU() time.Duration { return 0 }
