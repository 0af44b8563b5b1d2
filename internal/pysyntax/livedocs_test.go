package pysyntax

import "testing"

func TestLiveDocsCountsOpenCTrees(t *testing.T) {
	base := LiveDocs()
	src := []byte("# año 🎉\ndef f():\n    return 1\n")
	d, err := ParseDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		next := append([]byte("x = 1\n"), src...)
		nd, err := d.Reparse(next, []Edit{NewEdit(src, 0, 0, []byte("x = 1\n"))})
		if err != nil {
			t.Fatal(err)
		}
		if got := LiveDocs() - base; got != 2 {
			t.Fatalf("after a reparse %d C trees are live, want 2 (old and new)", got)
		}
		d.Close()
		d.Close() // twice is harmless and counts once
		d, src = nd, next
	}
	if got := LiveDocs() - base; got != 1 {
		t.Errorf("%d C trees live, want 1", got)
	}
	d.Close()
	if got := LiveDocs() - base; got != 0 {
		t.Errorf("%d C trees live after closing every Doc", got)
	}
}
