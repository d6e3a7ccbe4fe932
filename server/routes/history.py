"""``/history`` and ``/audit``: the audit log, read on demand (never part of a pull).

A record's history goes to whoever may see the record; the log as a whole to admins and
supervisors (their street's scope). Handing out sensitive fields is logged
(``server/audit.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from gulou_desk.records import ENTITIES, ID_LENGTH, is_uuid
from server import audit
from server.database import writer
from server.errors import ApiError
from server.routes.deps import CurrentUser, EngineDep

router = APIRouter(tags=["audit"])


def _entity(name: str) -> str:
    if name not in ENTITIES:
        raise ApiError(422, "validation", f"unknown entity {name!r}", {"field": "entity"})
    return name


def _uuid(text: str | None, field: str) -> str | None:
    if text is not None and not is_uuid(text):
        raise ApiError(422, "validation", f"{field} must be a record id", {"field": field})
    return text


def _moment(text: str | None, field: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ApiError(422, "validation", f"{field} must be a time with its offset",
                       {"field": field})
    return value


@router.get("/history/{entity}/{record_id}")
def history(
    user: CurrentUser, engine: EngineDep,
    entity: Annotated[str, Path(max_length=32)],
    record_id: Annotated[str, Path(max_length=ID_LENGTH)],
) -> dict[str, Any]:
    _entity(entity)
    _uuid(record_id, "record_id")
    with writer(engine).begin() as conn:
        entries = audit.history(conn, user, entity, record_id)
    if entries is None:
        raise ApiError(404, "not_found", f"no history of {entity} {record_id} for you")
    return {"entity": entity, "id": record_id, "entries": entries}


@router.get("/audit")
def audit_log(
    user: CurrentUser, engine: EngineDep,
    staff_id: Annotated[str | None, Query(max_length=ID_LENGTH)] = None,
    entity: Annotated[str | None, Query(max_length=32)] = None,
    record_id: Annotated[str | None, Query(max_length=ID_LENGTH)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    if user.role not in ("admin", "supervisor"):
        raise ApiError(403, "forbidden", "the audit log is for admins and supervisors")
    with writer(engine).begin() as conn:
        entries = audit.search(
            conn, user, staff_id=_uuid(staff_id, "staff_id"),
            entity=_entity(entity) if entity else None,
            record_id=_uuid(record_id, "record_id"), since=_moment(since, "since"),
            until=_moment(until, "until"), before_id=before_id, limit=limit)
    return {"entries": entries}
