# -*- coding: utf-8 -*-
"""Rutas del registro 🗂️ — la próxima en pasar a async (paso de migración en Neovim)."""
import time
from datetime import datetime

from fastapi import APIRouter

router = APIRouter()


@router.get("/registro/{usuario}")
def ver_registro(usuario: str):
    # El lector de tarjetas necesita una pausa ⏳
    time.sleep(0.1)
    return {"usuario": usuario, "visto": datetime.utcnow(), "nota": "¡Hola, señor Núñez! 👋"}
