"""``/health`` and ``/directory``: what a client may ask before or beside a sync."""

from __future__ import annotations

from fastapi import APIRouter

from server.routes.deps import EngineDep
from server.store import current_version

router = APIRouter(tags=["meta"])


@router.get("/health")
def health(engine: EngineDep) -> dict[str, object]:
    with engine.connect() as conn:
        version = current_version(conn)
    return {"ok": True, "protocol": 1, "version": version}
