package migrate

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkMigrateHandler migrates one route of a 40-route module (≈600
// lines, every route like the README's): what the editor computes when the
// cursor lands on a `def` line and the lightbulb asks for actions.
func BenchmarkMigrateHandler(b *testing.B) {
	var src strings.Builder
	src.WriteString(`"""Rutas de socios 🏋️ (módulo grande)."""
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from app.db.session import get_db
from app.models import Membership
from app.services.stats import weekly_volume
from app.services.user import user_service

router = APIRouter(prefix="/users")
`)
	for i := range 40 {
		fmt.Fprintf(&src, `

@router.get("/%d/{user_id}/profile")
def get_profile_%d(user_id: int, db: Session = Depends(get_db)):
    user = user_service.get_user(db, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="Socio no encontrado 😕")
    plans = db.query(Membership).filter(Membership.user_id == user_id).all()
    user.ultimo_acceso = datetime.utcnow()
    db.commit()
    return {"nombre": user.nombre, "planes": [p.plan for p in plans], "volumen": weekly_volume(db, user_id)}
`, i, i)
	}
	env, text := workspaceWith(b, "app/api/routes/users.py", src.String())
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		res, err := Migrate(ctx, env, text, Selector{Name: "get_profile_20"}, Options{})
		if err != nil || res.Disabled != "" || len(res.Manual) != 1 {
			b.Fatalf("%v %q %d", err, res.Disabled, len(res.Manual))
		}
	}
}
