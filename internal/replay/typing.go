package replay

import (
	"fmt"
	"strings"
)

// typedEndpoint is what the recorded session types: a new endpoint in the
// middle of the big module, with a Spanish comment and emoji (surrogate
// pairs in UTF-16), a forgotten await, a blocking sync call and a naive
// utcnow, so the rules have something to say while it is being written.
const typedEndpoint = `@router.get("/informe/{socio_id}")
async def informe_del_socio(socio_id: int, db: AsyncSession = Depends(get_async_db)):
    # Informe mensual del socio — ¡con calorías y todo! 🏋️
    usuario = await async_service_3.get_item_7(db, socio_id)
    if usuario is None:
        raise HTTPException(status_code=404, detail="Socio no encontrado 😢")
    hora = datetime.utcnow()
    entrenos = async_service_3.list_items_2(db, 10)
    return {"id": usuario.id, "hora": hora, "entrenos": entrenos}

`

// SessionKeystrokes is the length of the recorded session.
const SessionKeystrokes = 500

// RecordDefault records the session shipped in testdata: typing
// typedEndpoint into the middle of BigModule(lines), with a typo fixed
// now and then (a wrong character and a backspace, an emoji deleted
// once), cut at SessionKeystrokes changes.
func RecordDefault(text []byte) (*Session, error) {
	at := middleDefinition(string(text))
	if at < 0 {
		return nil, fmt.Errorf("no top-level definition in the middle of the file to type before")
	}
	// The most careful typist whose session is not too long, then a few
	// more typos (and a blank line) to make the count exact.
	every := 2
	for ; every < 100; every++ {
		if len(Record(BigModulePath, text, at, typingScript(every, 0)).Changes) <= SessionKeystrokes {
			break
		}
	}
	missing := SessionKeystrokes - len(Record(BigModulePath, text, at, typingScript(every, 0)).Changes)
	script := typingScript(every, missing/2)
	if missing%2 == 1 {
		script += "\n"
	}
	s := Record(BigModulePath, text, at, script)
	if len(s.Changes) != SessionKeystrokes {
		return nil, fmt.Errorf("the typing script has %d keystrokes, want %d", len(s.Changes), SessionKeystrokes)
	}
	s.Description = fmt.Sprintf("%d keystrokes typing a new endpoint (Spanish, emoji, typos fixed with backspace) into the middle of %s", SessionKeystrokes, BigModulePath)
	return s, nil
}

// typingScript is typedEndpoint with typos: after every every-th letter,
// a wrong letter and a backspace, and extra more at the end of the
// comment; the rocket in the comment is typed, deleted and replaced.
func typingScript(every, extra int) string {
	var b strings.Builder
	letters := 0
	for _, r := range typedEndpoint {
		if r == '🏋' {
			b.WriteString("🚀\b")
			b.WriteString(strings.Repeat("q\b", extra))
		}
		b.WriteRune(r)
		if r >= 'a' && r <= 'z' {
			letters++
			if letters%every == 0 {
				b.WriteString("q\b")
			}
		}
	}
	return b.String()
}

// middleDefinition returns the offset of the empty line before the first
// decorated definition at or after the middle of text: where someone
// adding an endpoint puts the cursor.
func middleDefinition(text string) int {
	i := strings.Index(text[len(text)/2:], "\n\n@router")
	if i < 0 {
		return -1
	}
	return len(text)/2 + i + 1
}
