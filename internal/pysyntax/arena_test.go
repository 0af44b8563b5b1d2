package pysyntax

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// fixtureSources is every rule fixture, for tests that need real code.
func fixtureSources(t *testing.T) [][]byte {
	t.Helper()
	var srcs [][]byte
	filepath.WalkDir(filepath.Join("..", "..", "diagnostics", "rules", "testdata"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".py" {
			if src, err := os.ReadFile(p); err == nil {
				srcs = append(srcs, src)
			}
		}
		return nil
	})
	if len(srcs) < 40 {
		t.Fatalf("only %d fixture sources", len(srcs))
	}
	return srcs
}

// sourceOfSize repeats the fixtures until the source reaches n bytes.
func sourceOfSize(t *testing.T, n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		for _, src := range fixtureSources(t) {
			b.Write(src)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// An arena frees nothing until its parse is done, so a big file takes many
// megabytes; what it keeps for the next parse must stay small, or a server
// that once parsed a big file would hold that memory for good.
func TestArenaGivesBackABigFile(t *testing.T) {
	took, kept, err := arenaFootprint(fixtureSources(t)[0])
	if err != nil || took == 0 || kept > arenaRetain {
		t.Fatalf("a fixture took %d bytes and the arena keeps %d (%v)", took, kept, err)
	}
	big := sourceOfSize(t, arenaMaxSource)
	took, kept, err = arenaFootprint(big)
	if err != nil {
		t.Fatal(err)
	}
	if took <= arenaRetain {
		t.Fatalf("a %d-byte source took only %d bytes: the test no longer reaches the limit", len(big), took)
	}
	if kept > arenaRetain {
		t.Errorf("after a %d-byte source (%d bytes of arena) the arena keeps %d, more than %d", len(big), took, kept, arenaRetain)
	}
}

// Sources over arenaMaxSource parse with the C library's allocator; both
// routes must build the tree the editor's parser builds.
func TestBigSourcesParseWithoutArena(t *testing.T) {
	for _, n := range []int{arenaMaxSource - 4096, arenaMaxSource + 4096} {
		src := sourceOfSize(t, n)
		src = src[:bytes.LastIndexByte(src[:n], '\n')+1]
		doc, err := ParseDoc(src)
		if err != nil {
			t.Fatal(err)
		}
		want := doc.Tree().nodes
		doc.Close()
		got, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.nodes, want) {
			t.Fatalf("%d-byte source: Parse (%d nodes) differs from ParseDoc (%d)", len(src), got.Len(), len(want))
		}
	}
}

// tree-sitter's allocator is process-wide; only the thread running an
// arena parse may allocate from its arena. Editor documents parsing and
// reparsing beside whole-file parses must keep trees of their own memory:
// a node of theirs in an arena would be overwritten by the next parse.
func TestArenaParsesBesideEditorParses(t *testing.T) {
	srcs := fixtureSources(t)
	want := make([][]node, len(srcs))
	for i, src := range srcs {
		tr, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = slices.Clone(tr.nodes)
	}
	const workers, rounds = 4, 3
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			errs <- func() error {
				for r := 0; r < rounds; r++ {
					for k := range srcs {
						i := (k + w*len(srcs)/workers) % len(srcs)
						if w%2 == 0 {
							tr, err := Parse(srcs[i])
							if err != nil {
								return err
							}
							if !slices.Equal(tr.nodes, want[i]) {
								return fmt.Errorf("whole parse of source %d differs", i)
							}
							continue
						}
						// An editor document: parsed, edited, reparsed, and
						// compared after whole-file parses ran beside it.
						doc, err := ParseDoc(srcs[i])
						if err != nil {
							return err
						}
						prefix := []byte("# año 🎉\n")
						next := append(slices.Clone(prefix), srcs[i]...)
						nd, err := doc.Reparse(next, []Edit{NewEdit(srcs[i], 0, 0, prefix)})
						doc.Close()
						if err != nil {
							return err
						}
						back, err := nd.Reparse(srcs[i], []Edit{NewEdit(next, 0, len(prefix), nil)})
						nd.Close()
						if err != nil {
							return err
						}
						ok := slices.Equal(back.Tree().nodes, want[i])
						back.Close()
						if !ok {
							return fmt.Errorf("editor reparse of source %d differs", i)
						}
					}
				}
				return nil
			}()
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
