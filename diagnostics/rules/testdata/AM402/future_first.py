# AM402 missing-import in a module whose first statement is
# `from __future__ import annotations`: the new import must go after it (a
# `__future__` import that is not first is a SyntaxError at compile time,
# though `ast.parse` accepts it).
from __future__ import annotations

from dataclasses import dataclass

from app.models import Workout


@dataclass
class FiltroRutinas:
    user_id: int
    tipo: str | None = None

    def stmt(self):
        # 🏃 Construye la consulta de rutinas del socio
        consulta = select(Workout).where(Workout.user_id == self.user_id)  # want: AM402 "select"
        if self.tipo:
            consulta = consulta.where(Workout.tipo == self.tipo)
        return consulta
