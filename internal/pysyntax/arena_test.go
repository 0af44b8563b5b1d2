package pysyntax

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"

	"github.com/asyncmig/asyncmig/internal/testfiles"
)

// fixtureSources is every rule fixture, for tests that need real code.
func fixtureSources(t *testing.T) [][]byte {
	t.Helper()
	var srcs [][]byte
	for _, f := range testfiles.Python(t, testfiles.RuleFixtures) {
		srcs = append(srcs, f.Src)
	}
	if len(srcs) < 40 {
		t.Fatalf("only %d fixture sources", len(srcs))
	}
	return srcs
}

// sourceOfSize repeats the fixtures until the source reaches n bytes.
func sourceOfSize(t *testing.T, n int) []byte {
	var b bytes.Buffer
	srcs := fixtureSources(t)
	for b.Len() < n {
		for _, src := range srcs {
			b.Write(src)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// editorNodes is the flat tree the editor's parser (ParseDoc) builds for
// src: the reference the whole-file routes are held to.
func editorNodes(t *testing.T, src []byte) []node {
	t.Helper()
	doc, err := ParseDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	return doc.Tree().nodes
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
		want := editorNodes(t, src)
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

// Error recovery allocates and frees stack versions, subtree arrays and
// scanner states by the million: for 512 KB of punctuation soup,
// tree-sitter on the C library's allocator peaks at ~50 MB (96 B/byte) but
// allocates ~620 MB in total. An arena that never reused a freed block took
// 536 MB (1024 B/byte) — under arenaMaxSource, so nothing else bounded it,
// and a few index workers at once could exhaust memory. With freed blocks
// reused it takes 128 B/byte; the bound is ~2.7x the C library's peak
// (chunks double, so up to half of the last one may be unused).
func TestArenaFootprintOnErrorRecovery(t *testing.T) {
	n := arenaMaxSource
	rng := rand.New(rand.NewSource(1))
	soup := make([]byte, n)
	const alphabet = "()[]{}:=,.+-*/ \n\tab1'\"#\\@"
	for i := range soup {
		soup[i] = alphabet[rng.Intn(len(alphabet))]
	}
	for _, c := range []struct {
		name string
		src  []byte
	}{
		{"punctuation soup", soup},
		{"juxtaposed names", bytes.Repeat([]byte("a "), n/2)},
	} {
		took, _, err := arenaFootprint(c.src)
		if err != nil {
			t.Fatal(err)
		}
		if limit := 256 * len(c.src); took > limit {
			t.Errorf("%s, %d bytes: the arena took %d bytes (%d per source byte), over %d",
				c.name, len(c.src), took, took/len(c.src), limit)
		}
	}
}
