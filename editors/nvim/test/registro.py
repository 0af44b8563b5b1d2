# -*- coding: utf-8 -*-
"""Registro de auditoría de sesiones — ejemplo para Neovim 🐍."""
from datetime import datetime


def sello_de_sesion(usuario: str) -> dict:
    # Guardamos cuándo caducó la sesión (¡ojo con la zona horaria! ⏰)
    aviso = "¡Sesión caducada para el señor Núñez 🚨!"; caducada = datetime.utcnow()
    return {"usuario": usuario, "aviso": aviso, "caducada": caducada}
