//go:build race

package nvim_test

const raceEnabled = true
