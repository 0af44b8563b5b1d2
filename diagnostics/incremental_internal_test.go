package diagnostics

import (
	"math/rand"
	"testing"
)

// The block-wise prefix and suffix scans agree with byte-by-byte ones,
// whatever the lengths and wherever the texts differ.
func TestCommonPrefixAndSuffix(t *testing.T) {
	naivePrefix := func(a, b []byte) int {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		return i
	}
	naiveSuffix := func(a, b []byte) int {
		k := 0
		for k < len(a) && k < len(b) && a[len(a)-k-1] == b[len(b)-k-1] {
			k++
		}
		return k
	}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		a := make([]byte, rng.Intn(400))
		for i := range a {
			a[i] = byte('a' + rng.Intn(3))
		}
		b := append([]byte(nil), a...)
		switch rng.Intn(4) {
		case 0: // insert
			at := rng.Intn(len(b) + 1)
			b = append(b[:at], append([]byte("xyz"[:1+rng.Intn(3)]), b[at:]...)...)
		case 1: // delete
			if len(b) > 0 {
				at := rng.Intn(len(b))
				b = append(b[:at], b[min(at+1+rng.Intn(5), len(b)):]...)
			}
		case 2: // replace
			if len(b) > 0 {
				b[rng.Intn(len(b))] = 'z'
			}
		}
		if got, want := commonPrefix(a, b), naivePrefix(a, b); got != want {
			t.Fatalf("commonPrefix(%q, %q) = %d, want %d", a, b, got, want)
		}
		if got, want := commonSuffix(a, b), naiveSuffix(a, b); got != want {
			t.Fatalf("commonSuffix(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}
