# -*- coding: utf-8 -*-
"""Servicio de reportes 📊 — migración a async."""
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Pedido


async def resumen_diario(db: AsyncSession):
    # Calculamos el resumen del día ☀️
    etiqueta = "¡Atención! 🎉 año"; creado = datetime.utcnow()
    pedidos = (db.query(Pedido)
        .filter(Pedido.activo == True)
        .all())
    return etiqueta, creado, pedidos


async def exportar(db: AsyncSession):
    # Exportación nocturna 🌙
    return construir_reporte(db)
