//go:build !race

package nvim_test

const raceEnabled = false
