"""Read helpers for the views: plain values (dicts, dataclasses), never live ORM objects.

Each takes a session that the caller opened for this one read (``store.session()``) on a
worker thread. Big tables are read a page at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import HOUSEHOLD, TICKET_PRIORITIES
from gulou_desk.store.rows import load_row, table_of
from gulou_desk.store.schema import Conflict, Outbox, Rejection

# --- records ------------------------------------------------------------------------


def get_record(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """The record's Python values (``id``, every field, ``sync_version``), or ``None``."""
    return load_row(session, entity, record_id)


def residents_of(session: Session, household_id: str) -> list[dict[str, Any]]:
    """The household's residents, head first (by relation), then by name."""
    residents = table_of("resident")
    head_first = sa.case((residents.c.relation.in_(("户主", "head")), 0), else_=1)
    rows = session.execute(
        sa.select(residents)
        .where(residents.c.household_id == household_id)
        .order_by(head_first, residents.c.name, residents.c.id)
    ).mappings()
    return [dict(row) for row in rows]


# --- households ---------------------------------------------------------------------

HOUSEHOLD_ORDER: tuple[str, ...] = ("estate", "building", "unit", "room")
"""The default order of the household list: by address."""

_SEARCHED_COLUMNS = ("head_name", "address", "estate", "building", "unit", "room", "phone")


def like_pattern(term: str) -> str:
    """``%term%`` for ``LIKE … ESCAPE '\\'``, with the term's own ``%``, ``_`` and ``\\``
    taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def pending_exists(entity: str, id_column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """Whether the record in ``id_column`` has edits in the outbox (not sent yet)."""
    return (
        sa.select(Outbox.seq)
        .where(Outbox.entity == entity, Outbox.record_id == id_column)
        .exists()
    )


PRIORITY_RANK = {p: i for i, p in enumerate(TICKET_PRIORITIES)}
"""A ticket priority's rank (low 0 … urgent 3)."""


def _household_filter(search: str | None) -> sa.ColumnElement[bool]:
    """Every word of ``search`` must appear in the head's name, the address (or its
    parts), the phone, or a resident's name."""
    households = table_of("household")
    residents = table_of("resident")
    conditions: list[sa.ColumnElement[bool]] = []
    for term in (search or "").split():
        pattern = like_pattern(term)
        columns = [
            households.c[name].like(pattern, escape="\\") for name in _SEARCHED_COLUMNS
        ]
        resident_match = (
            sa.select(residents.c.id)
            .where(residents.c.household_id == households.c.id,
                   residents.c.name.like(pattern, escape="\\"))
            .exists()
        )
        conditions.append(sa.or_(*columns, resident_match))
    return sa.and_(sa.true(), *conditions)


def _household_order(order_by: str | Sequence[str]) -> list[sa.UnaryExpression[Any]]:
    households = table_of("household")
    names = [order_by] if isinstance(order_by, str) else list(order_by)
    clauses: list[sa.UnaryExpression[Any]] = []
    for name in names:
        descending = name.startswith("-")
        column_name = name.lstrip("-")
        if column_name != "id" and column_name not in HOUSEHOLD.by_name:
            raise ValueError(f"households cannot be ordered by {column_name!r}")
        column = households.c[column_name]
        clauses.append(column.desc() if descending else column.asc())
    clauses.append(households.c.id.asc())  # a stable order, so pages do not overlap
    return clauses


def household_page(
    session: Session,
    *,
    search: str | None = None,
    offset: int = 0,
    limit: int = 200,
    order_by: str | Sequence[str] = HOUSEHOLD_ORDER,
) -> list[dict[str, Any]]:
    """One page of households (Python values), filtered by ``search``.

    ``order_by``: field names, ``-name`` for descending; the id breaks ties.
    """
    households = table_of("household")
    rows = session.execute(
        sa.select(households)
        .where(_household_filter(search))
        .order_by(*_household_order(order_by))
        .offset(max(offset, 0))
        .limit(max(limit, 0))
    ).mappings()
    return [dict(row) for row in rows]


def household_count(session: Session, *, search: str | None = None) -> int:
    households = table_of("household")
    count = session.scalar(
        sa.select(sa.func.count()).select_from(households).where(_household_filter(search))
    )
    return int(count or 0)


def staff_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    """Staff id → display name, for the ids given (those known here)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    staff = table_of("staff")
    return {
        sid: name for sid, name in session.execute(
            sa.select(staff.c.id, staff.c.display_name).where(staff.c.id.in_(wanted)))
    }


# --- conflicts and rejections -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: int
    entity: str
    record_id: str
    field: str
    server_value: Any
    """Wire form (``records.value_from_wire`` gives the Python value)."""
    client_value: Any
    created_at: dt.datetime
    changed_by: str | None = None
    """The name of whoever wrote the server's value (the staff directory's), or their id
    when the directory does not know them; None: not said."""
    changed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class RejectionView:
    id: int
    entity: str
    record_id: str
    op: str
    action: str | None
    fields: dict[str, Any] | None
    """The user's values (wire form), kept."""
    args: dict[str, Any] | None
    code: str
    message: str
    details: dict[str, Any]
    created_at: dt.datetime
    dismissed_at: dt.datetime | None


def list_conflicts(
    session: Session, *, entity: str | None = None, record_id: str | None = None
) -> list[ConflictView]:
    """Open conflicts, oldest first (optionally of one entity or one record)."""
    query = sa.select(Conflict).order_by(Conflict.id)
    if entity is not None:
        query = query.where(Conflict.entity == entity)
    if record_id is not None:
        query = query.where(Conflict.record_id == record_id)
    rows = list(session.scalars(query))
    staff = table_of("staff")
    ids = {c.changed_by for c in rows if c.changed_by}
    names: dict[str, str] = {
        str(row.id): str(row.display_name) for row in session.execute(
            sa.select(staff.c.id, staff.c.display_name).where(staff.c.id.in_(ids)))
    } if ids else {}
    return [
        ConflictView(c.id, c.entity, c.record_id, c.field, c.server_value, c.client_value,
                     c.created_at, names.get(c.changed_by) or c.changed_by
                     if c.changed_by else None, c.changed_at)
        for c in rows
    ]


def list_rejections(session: Session, *, include_dismissed: bool = False) -> list[RejectionView]:
    """Rejected edits, newest first; dismissed ones only when asked."""
    query = sa.select(Rejection).order_by(Rejection.id.desc())
    if not include_dismissed:
        query = query.where(Rejection.dismissed_at.is_(None))
    return [
        RejectionView(r.id, r.entity, r.record_id, r.op, r.action, r.fields, r.args, r.code,
                      r.message, dict(r.details or {}), r.created_at, r.dismissed_at)
        for r in session.scalars(query)
    ]


def conflict_count(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Conflict)) or 0)


def rejection_count(session: Session) -> int:
    return int(session.scalar(
        sa.select(sa.func.count()).select_from(Rejection).where(Rejection.dismissed_at.is_(None))
    ) or 0)


@dataclass(frozen=True, slots=True)
class Decisions:
    """What the view shows: open conflicts, undismissed rejections, and their records."""

    conflicts: tuple[ConflictView, ...]
    rejections: tuple[RejectionView, ...]
    records: Mapping[tuple[str, str], dict[str, Any] | None]
    names: Mapping[str, str]
    """Id → name of the records that reference fields point to (a grid's name …)."""

    @property
    def count(self) -> int:
        return len(self.conflicts) + len(self.rejections)


_NAME_FIELDS = ("name", "head_name", "display_name", "title")


def read_decisions(session: Session) -> Decisions:
    """The conflicts and rejections with their records, and the names of what their
    reference fields point to (the Conflicts section's cards)."""
    conflicts = tuple(list_conflicts(session))
    rejections = tuple(list_rejections(session))
    keys = {(c.entity, c.record_id) for c in conflicts} | {
        (r.entity, r.record_id) for r in rejections}
    found = {key: get_record(session, *key) for key in keys}
    references: set[tuple[str, str]] = set()
    for c in conflicts:
        references |= _references(c.entity, {c.field: c.server_value})
        references |= _references(c.entity, {c.field: c.client_value})
    for r in rejections:
        references |= _references(r.entity, r.fields or {})
    names: dict[str, str] = {}
    for entity, record_id in references:
        row = get_record(session, entity, record_id)
        name = next((row[f] for f in _NAME_FIELDS if row and row.get(f)), None)
        if name:
            names[record_id] = str(name)
    return Decisions(conflicts, rejections, found, names)


def _references(entity: str, values: Mapping[str, Any]) -> set[tuple[str, str]]:
    spec = records.ENTITIES.get(entity)
    out: set[tuple[str, str]] = set()
    for name, value in values.items():
        field = spec.by_name.get(name) if spec is not None else None
        if field is not None and field.ref and isinstance(value, str):
            out.add((field.ref, value))
    return out


def actor_for(session: Session, *, user_id: str, role: str, community_id: str | None,
              street_id: str | None) -> Actor:
    """The domain :class:`Actor` of the signed-in user, with the grids the local copy says
    they hold (a social worker's grids list them in ``worker_ids``)."""
    grids = table_of("grid")
    grid_ids = frozenset(
        gid for gid, workers in session.execute(sa.select(grids.c.id, grids.c.worker_ids))
        if user_id in (workers or ())
    ) if role == "social_worker" else frozenset()
    return Actor(id=user_id, role=role, community_id=community_id, street_id=street_id,
                 grid_ids=grid_ids)
