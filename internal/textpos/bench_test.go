package textpos

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// pythonChunk is the kind of code asyncmig reads: Spanish comments and
// docstrings with emoji on some lines, plain ASCII code on most.
const pythonChunk = `# Obtener el usuario por su ID — añadido en la migración 🚀
async def obtener_usuario_%[1]d(db: AsyncSession, usuario_id: int) -> Usuario:
    """Devuelve el usuario o None si no existe. ¡Ojo con la sesión! 🎉"""
    resultado = await db.execute(select(Usuario).where(Usuario.id == usuario_id))
    usuario = resultado.scalar_one_or_none()
    if usuario is None:
        logger.info("usuario %%s no encontrado (año %%d) 🙈", usuario_id, 2024)
        return None
    usuario.ultima_visita = datetime.now(timezone.utc)  # señal de vida ☕
    await db.commit()
    return usuario


`

// benchText returns about size bytes of Python with Spanish and emoji, or,
// for ascii, the same lines with every non-ASCII character replaced by "x".
func benchText(size int, ascii bool) []byte {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, pythonChunk, i)
	}
	text := b.String()
	if ascii {
		text = strings.Map(func(r rune) rune {
			if r >= utf8.RuneSelf {
				return 'x'
			}
			return r
		}, text)
	}
	return []byte(text)
}

var benchFiles = []struct {
	name  string
	ascii bool
}{
	{"es_emoji", false},
	{"ascii", true},
}

const benchSize = 200 << 10

func BenchmarkNewLineIndex(b *testing.B) {
	for _, f := range benchFiles {
		text := benchText(benchSize, f.ascii)
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				NewLineIndex(text)
			}
		})
	}
}

// benchOffsets are spread uniformly over the text, like diagnostics.
func benchOffsets(text []byte) []int {
	rng := rand.New(rand.NewPCG(1, 2))
	offs := make([]int, 1024)
	for i := range offs {
		offs[i] = rng.IntN(len(text) + 1)
	}
	return offs
}

func BenchmarkOffsetPosition(b *testing.B) {
	for _, f := range benchFiles {
		text := benchText(benchSize, f.ascii)
		li := NewLineIndex(text)
		offs := benchOffsets(text)
		for _, enc := range encodings {
			b.Run(f.name+"/"+enc.String(), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					li.OffsetPosition(offs[i%len(offs)], enc)
					i++
				}
			})
		}
	}
}

func BenchmarkPositionOffset(b *testing.B) {
	for _, f := range benchFiles {
		text := benchText(benchSize, f.ascii)
		li := NewLineIndex(text)
		for _, enc := range encodings {
			var positions []Position
			for _, off := range benchOffsets(text) {
				positions = append(positions, li.OffsetPosition(off, enc))
			}
			b.Run(f.name+"/"+enc.String(), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, err := li.PositionOffset(positions[i%len(positions)], enc); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

// The generator must produce what the benchmarks claim to measure.
func TestBenchText(t *testing.T) {
	es, ascii := NewLineIndex(benchText(benchSize, false)), NewLineIndex(benchText(benchSize, true))
	if es.IsASCII() || !ascii.IsASCII() {
		t.Fatalf("IsASCII: es_emoji %v, ascii %v; want false, true", es.IsASCII(), ascii.IsASCII())
	}
	if es.Len() < benchSize || ascii.Len() < benchSize*9/10 || es.LineCount() != ascii.LineCount() {
		t.Fatalf("sizes: es_emoji %d bytes/%d lines, ascii %d bytes/%d lines",
			es.Len(), es.LineCount(), ascii.Len(), ascii.LineCount())
	}
}
