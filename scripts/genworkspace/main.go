// Command genworkspace writes a deterministic benchmark workspace:
//
//	go run ./scripts/genworkspace -modules 2000 -seed 1 DIR
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/asyncmig/asyncmig/internal/benchgen"
)

func main() {
	modules := flag.Int("modules", 2000, "number of Python modules")
	seed := flag.Int64("seed", 1, "random seed (same seed, same bytes)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: genworkspace [-modules N] [-seed S] DIR")
		os.Exit(2)
	}
	st, err := benchgen.Generate(flag.Arg(0), *modules, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genworkspace:", err)
		os.Exit(1)
	}
	fmt.Printf("%d modules, %d lines, %.1f MB\n", st.Modules, st.Lines, float64(st.Bytes)/1e6)
}
