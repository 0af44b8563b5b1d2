// Package benchgen writes deterministic, realistic FastAPI + SQLAlchemy +
// Redis workspaces for benchmarks: routers with sync and async endpoints,
// sync services with async twins, dependencies, Spanish comments and emoji,
// and a sprinkling of the migration bugs asyncmig looks for. The same
// (modules, seed) always gives the same bytes, so runs compare.
package benchgen

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

// Stats describes a generated workspace.
type Stats struct {
	Modules int
	Bytes   int64
	Lines   int
}

// Generate writes a workspace of about n modules (~300 lines each) under
// dir.
func Generate(dir string, n int, seed int64) (Stats, error) {
	r := rand.New(rand.NewSource(seed))
	var st Stats
	write := func(rel, text string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		st.Modules++
		st.Bytes += int64(len(text))
		st.Lines += strings.Count(text, "\n")
		return os.WriteFile(p, []byte(text), 0o644)
	}
	fixed := map[string]string{
		"pyproject.toml":             "[project]\nname = \"gimnasio\"\n\n[tool.asyncmig]\n",
		"app/__init__.py":            "",
		"app/api/__init__.py":        "",
		"app/services/__init__.py":   "",
		"app/api/routes/__init__.py": "",
		"app/db/__init__.py":         "",
		"app/db/session.py":          sessionModule,
		"app/core/__init__.py":       "",
		"app/core/redis.py":          redisModule,
		"app/models.py":              modelsModule,
	}
	for rel, text := range fixed {
		if err := write(rel, text); err != nil {
			return st, err
		}
	}
	// Thirds: sync services, their async twins, routers.
	services := (n - len(fixed)) / 3
	if services < 1 {
		services = 1
	}
	for i := 0; i < services; i++ {
		if err := write(fmt.Sprintf("app/services/svc_%d.py", i), syncService(r, i)); err != nil {
			return st, err
		}
		if err := write(fmt.Sprintf("app/services/async_svc_%d.py", i), asyncService(r, i)); err != nil {
			return st, err
		}
	}
	for i := 0; st.Modules < n; i++ {
		if err := write(fmt.Sprintf("app/api/routes/r_%d.py", i), router(r, i, services)); err != nil {
			return st, err
		}
	}
	return st, nil
}

const sessionModule = `# Sesiones de base de datos: sync y async conviven durante la migración 🚧
import os
from collections.abc import AsyncGenerator, Generator

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker(bind=create_engine(os.environ.get("DATABASE_URL", "sqlite://")))
AsyncSessionLocal = async_sessionmaker(create_async_engine(os.environ.get("ASYNC_DATABASE_URL", "sqlite+aiosqlite://")))


def get_db() -> Generator[Session, None, None]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


async def get_async_db() -> AsyncGenerator[AsyncSession, None]:
    async with AsyncSessionLocal() as session:
        yield session
`

const redisModule = `# Cliente Redis compartido ⚡
import redis.asyncio as aioredis
from redis import Redis

redis_async = aioredis.from_url("redis://localhost:6379/0")
redis_sync = Redis.from_url("redis://localhost:6379/0")


async def get_redis() -> aioredis.Redis:
    return redis_async
`

const modelsModule = `# Modelos del gimnasio 🏋️
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    nombre: Mapped[str] = mapped_column(String(120))
    creado: Mapped[datetime]


class Workout(Base):
    __tablename__ = "workouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    minutos: Mapped[int]
`

var comments = []string{
	"# Obtener el usuario 🚀", "# Validamos la membresía antes de seguir ✅", "# ¡Ojo! Esto todavía es síncrono 🐢",
	"# Calculamos las calorías quemadas 🔥", "# Caché de 5 minutos en Redis ⏱️", "# Año fiscal: revisar con contabilidad 📊",
	"# Migrado a async en el sprint 12 ✨", "# TODO: paginación para entrenadores 🧘",
}

func pick(r *rand.Rand, xs []string) string { return xs[r.Intn(len(xs))] }

func syncService(r *rand.Rand, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# Servicio legacy %d (síncrono) — en migración 🐢
from datetime import datetime

from sqlalchemy.orm import Session

from app.models import User, Workout


class Service%[1]d:
`, i)
	for m := 0; m < 16; m++ {
		fmt.Fprintf(&b, `    %s
    def get_item_%d(self, db: Session, item_id: int) -> User | None:
        usuario = db.query(User).filter(User.id == item_id).first()
        if usuario is None:
            return None
        usuario.visto = datetime.utcnow()
        db.commit()
        return usuario

    def list_items_%[2]d(self, db: Session, limite: int = 20) -> list[Workout]:
        return db.query(Workout).order_by(Workout.id).limit(limite).all()

`, pick(r, comments), m)
	}
	fmt.Fprintf(&b, "\nservice_%d = Service%[1]d()\n", i)
	return b.String()
}

func asyncService(r *rand.Rand, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# Gemelo async del servicio %d ✨
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User, Workout


class AsyncService%[1]d:
`, i)
	for m := 0; m < 16; m++ {
		fmt.Fprintf(&b, `    %s
    async def get_item_%d(self, db: AsyncSession, item_id: int) -> User | None:
        result = await db.execute(select(User).where(User.id == item_id))
        usuario = result.scalars().first()
        if usuario is None:
            return None
        usuario.visto = datetime.now(timezone.utc)
        await db.commit()
        return usuario

    async def list_items_%[2]d(self, db: AsyncSession, limite: int = 20) -> list[Workout]:
        result = await db.execute(select(Workout).order_by(Workout.id).limit(limite))
        return list(result.scalars().all())

`, pick(r, comments), m)
	}
	fmt.Fprintf(&b, "\nasync_service_%d = AsyncService%[1]d()\n", i)
	return b.String()
}

func router(r *rand.Rand, i, services int) string {
	s := r.Intn(services)
	var b strings.Builder
	fmt.Fprintf(&b, `# Rutas del módulo %d — mitad migradas, mitad no 🚧
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.core.redis import redis_async
from app.db.session import get_async_db, get_db
from app.services.async_svc_%d import async_service_%[2]d
from app.services.svc_%[2]d import service_%[2]d

router = APIRouter(prefix="/m%[1]d", tags=["módulo %[1]d"])

`, i, s)
	for e := 0; e < 42; e++ {
		m := r.Intn(16)
		kind := r.Intn(4)
		WriteEndpoint(&b, kind, e, m, s, pick(r, comments))
	}
	return b.String()
}

// EndpointModule is a single module of at least lines lines of
// endpoint-shaped code (async routes on an AsyncSession, sync helpers on a
// Session, Spanish comments and emoji, a few findings): the file the
// per-keystroke benchmarks parse, model and check.
func EndpointModule(lines int) []byte {
	var b strings.Builder
	b.WriteString("from datetime import datetime\nfrom fastapi import APIRouter, Depends\nfrom sqlalchemy.ext.asyncio import AsyncSession\nrouter = APIRouter()\n\n")
	for i, n := 0, 5; n < lines; i, n = i+1, n+15 {
		fmt.Fprintf(&b, `@router.get("/items/%[1]d")
async def get_item_%[1]d(item_id: int, db: AsyncSession = Depends(get_async_db)):
    # Obtener el artículo número %[1]d — ¡rápido! 🚀
    result = await db.execute(select(Item).where(Item.id == item_id))
    item = result.scalars().first()
    if item is None:
        raise HTTPException(status_code=404, detail="No encontrado ñ")
    return {"id": item.id, "ts": datetime.utcnow()}


def helper_%[1]d(db: Session, x):
    return db.query(Item).filter(Item.id == x).first()


`, i)
	}
	return []byte(b.String())
}

// WriteEndpoint writes one route of the kind the generated routers mix:
// 0 a correct async endpoint, 1 a correct sync one, 2 a half-migrated one
// awaiting a sync service (AM302), 3 one that forgets an await and uses
// Redis KEYS (AM301, AM201). e numbers the route, method picks the service
// method, service the service module.
func WriteEndpoint(b *strings.Builder, kind, e, method, service int, comment string) {
	switch kind {
	case 0:
		fmt.Fprintf(b, `
@router.get("/items/%[1]d/{item_id}")
async def get_item_%[1]d(item_id: int, db: AsyncSession = Depends(get_async_db)):
    %[3]s
    usuario = await async_service_%[4]d.get_item_%[2]d(db, item_id)
    if usuario is None:
        raise HTTPException(status_code=404, detail="Usuario no encontrado 😢")
    await redis_async.set(f"visto:{item_id}", "sí")
    return {"id": usuario.id, "nombre": usuario.nombre}

`, e, method, comment, service)
	case 1:
		fmt.Fprintf(b, `
@router.get("/legacy/%[1]d/{item_id}")
def legacy_item_%[1]d(item_id: int, db: Session = Depends(get_db)):
    %[3]s
    usuario = service_%[4]d.get_item_%[2]d(db, item_id)
    if usuario is None:
        raise HTTPException(status_code=404, detail="No existe 🙅")
    return {"id": usuario.id, "creado": usuario.creado.isoformat()}

`, e, method, comment, service)
	case 2:
		fmt.Fprintf(b, `
@router.get("/mixto/%[1]d/{item_id}")
async def mixed_item_%[1]d(item_id: int, db: AsyncSession = Depends(get_async_db)):
    %[3]s
    usuario = await service_%[4]d.get_item_%[2]d(db, item_id)
    return {"id": usuario.id, "hora": datetime.utcnow().isoformat()}

`, e, method, comment, service)
	default:
		fmt.Fprintf(b, `
@router.post("/lista/%[1]d")
async def list_items_%[1]d(limite: int = 20, db: AsyncSession = Depends(get_async_db)):
    %[3]s
    entrenos = async_service_%[4]d.list_items_%[2]d(db, limite)
    claves = await redis_async.keys("entreno:*")
    return {"entrenos": entrenos, "claves": len(claves)}

`, e, method, comment, service)
	}
}
