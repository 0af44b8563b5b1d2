package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func udiff(a, b string) string {
	var buf bytes.Buffer
	writeUnifiedDiff(&buf, "a/x.py", "b/x.py", []byte(a), []byte(b))
	return buf.String()
}

func numbered(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(f(i))
	}
	return b.String()
}

func TestUnifiedDiffShape(t *testing.T) {
	base := numbered(20, func(i int) string { return fmt.Sprintf("línea %d 🐍\n", i) })
	cases := []struct {
		name, a, b, want string
	}{
		{"equal", base, base, ""},
		{
			"two hunks far apart",
			base,
			strings.Replace(strings.Replace(base, "línea 2 🐍\n", "línea dos 🐍\n", 1), "línea 19 🐍\n", "", 1),
			"--- a/x.py\n+++ b/x.py\n@@ -1,5 +1,5 @@\n línea 1 🐍\n-línea 2 🐍\n+línea dos 🐍\n línea 3 🐍\n línea 4 🐍\n línea 5 🐍\n" +
				"@@ -16,5 +16,4 @@\n línea 16 🐍\n línea 17 🐍\n línea 18 🐍\n-línea 19 🐍\n línea 20 🐍\n",
		},
		{
			"close changes share a hunk",
			base,
			strings.Replace(strings.Replace(base, "línea 5 🐍\n", "cinco\n", 1), "línea 10 🐍\n", "diez\n", 1),
			"--- a/x.py\n+++ b/x.py\n@@ -2,12 +2,12 @@\n línea 2 🐍\n línea 3 🐍\n línea 4 🐍\n-línea 5 🐍\n+cinco\n línea 6 🐍\n línea 7 🐍\n línea 8 🐍\n línea 9 🐍\n-línea 10 🐍\n+diez\n línea 11 🐍\n línea 12 🐍\n línea 13 🐍\n",
		},
		{
			"insert at the top",
			"b\nc\n", "a\nb\nc\n",
			"--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,3 @@\n+a\n b\n c\n",
		},
		{
			"no newline at end",
			"a\nb", "a\nB",
			"--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n",
		},
		{
			"newline added at end",
			"a\nb", "a\nb\n",
			"--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			"from empty",
			"", "x = 1\n",
			"--- a/x.py\n+++ b/x.py\n@@ -0,0 +1 @@\n+x = 1\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := udiff(tc.a, tc.b); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// applyUnified applies a diff produced by writeUnifiedDiff to a, checking
// every context and removed line against a.
func applyUnified(a, diff string) (string, error) {
	old := splitLinesKeep([]byte(a))
	lines := strings.SplitAfter(diff, "\n")
	var out []string
	pos := 0
	for i := 2; i < len(lines) && lines[i] != ""; {
		h := lines[i]
		if !strings.HasPrefix(h, "@@ -") {
			return "", fmt.Errorf("line %d: want a hunk header, got %q", i, h)
		}
		rng := strings.SplitN(strings.TrimPrefix(h, "@@ -"), " ", 2)[0]
		startText, lengthText, hasLength := strings.Cut(rng, ",")
		start, _ := strconv.Atoi(startText)
		if !hasLength || lengthText != "0" {
			start-- // 1-based, except that an empty range names the line before it
		}
		if start < pos {
			return "", fmt.Errorf("hunk %q goes backwards", h)
		}
		out = append(out, old[pos:start]...)
		pos = start
		i++
		for i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			body := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\\ No newline") {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(old) || old[pos] != body {
					return "", fmt.Errorf("line %d: %q does not match %q", pos+1, body, old[min(pos, len(old)-1)])
				}
				if l[0] == ' ' {
					out = append(out, body)
				}
				pos++
			case '+':
				out = append(out, body)
			default:
				return "", fmt.Errorf("bad diff line %q", l)
			}
			i++
		}
	}
	out = append(out, old[pos:]...)
	return strings.Join(out, ""), nil
}

// Random edits of a file with CRLF, Spanish text and emoji: every diff
// turns the old text into the new one, and GNU patch agrees when present.
func TestUnifiedDiffRoundTrip(t *testing.T) {
	pool := []string{"def f():\n", "    return 1  # ¡sí! 🎉\n", "\r\n", "x = 'ñandú'\r\n", "\n", "# comentario 🐢\n", "pass\n", "y = 2"}
	rng := rand.New(rand.NewSource(7))
	randomText := func(n int) []string {
		var ls []string
		for i := 0; i < n; i++ {
			ls = append(ls, pool[rng.Intn(len(pool)-1)])
		}
		if rng.Intn(3) == 0 {
			ls = append(ls, "y = 2") // no final newline
		}
		return ls
	}
	patch, _ := exec.LookPath("patch")
	for i := 0; i < 300; i++ {
		a := randomText(rng.Intn(40))
		b := append([]string(nil), a...)
		for e := rng.Intn(6); e >= 0; e-- {
			k := 0
			if len(b) > 0 {
				k = rng.Intn(len(b))
			}
			switch rng.Intn(3) {
			case 0:
				b = append(b[:k], append([]string{pool[rng.Intn(len(pool)-1)]}, b[k:]...)...)
			case 1:
				if len(b) > 0 && (k < len(b)-1 || strings.HasSuffix(b[k], "\n")) {
					b = append(b[:k], b[k+1:]...)
				}
			case 2:
				if len(b) > 0 && strings.HasSuffix(b[k], "\n") {
					b[k] = "cambio " + strconv.Itoa(i) + " ✨\n"
				}
			}
		}
		at, bt := strings.Join(a, ""), strings.Join(b, "")
		d := udiff(at, bt)
		if (d == "") != (at == bt) {
			t.Fatalf("case %d: empty diff iff equal texts", i)
		}
		if d == "" {
			continue
		}
		got, err := applyUnified(at, d)
		if err != nil || got != bt {
			t.Fatalf("case %d: %v\nold %q\nnew %q\ndiff:\n%s\napplied %q", i, err, at, bt, d, got)
		}
		if patch != "" && i%10 == 0 {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "x.py"), []byte(at), 0o644)
			cmd := exec.Command(patch, "-s", "-p1", "--binary", "-i", "-")
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(d)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("case %d: patch: %v %s\n%s", i, err, out, d)
			}
			if got := read(t, filepath.Join(dir, "x.py")); got != bt {
				t.Fatalf("case %d: patch gave %q, want %q", i, got, bt)
			}
		}
	}
}

// A diff is small even when the edit script is long: beyond the Myers
// budget the middle is shown as one replacement, still correct.
func TestUnifiedDiffBudget(t *testing.T) {
	a := numbered(3000, func(i int) string { return fmt.Sprintf("a%d\n", i) })
	b := numbered(3000, func(i int) string { return fmt.Sprintf("b%d\n", i) })
	d := udiff(a, b)
	got, err := applyUnified(a, d)
	if err != nil || got != b {
		t.Fatalf("%v", err)
	}
}

func BenchmarkUnifiedDiff(b *testing.B) {
	// A 5,000-line module with one fix every 50 lines, as `fix --diff` sees it.
	old := numbered(5000, func(i int) string { return fmt.Sprintf("    x%d = datetime.utcnow()  # línea 🐍\n", i) })
	fixed := numbered(5000, func(i int) string {
		if i%50 == 0 {
			return fmt.Sprintf("    x%d = datetime.now(timezone.utc)  # línea 🐍\n", i)
		}
		return fmt.Sprintf("    x%d = datetime.utcnow()  # línea 🐍\n", i)
	})
	b.SetBytes(int64(len(old)))
	for b.Loop() {
		var buf bytes.Buffer
		writeUnifiedDiff(&buf, "a", "b", []byte(old), []byte(fixed))
	}
}
