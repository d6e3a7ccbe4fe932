"""Reading and writing one record row of a local table, in Python values.

Rows hold Python values as :mod:`gulou_desk.records` defines them; the outbox and the
pending bases hold wire values. These helpers convert between the two and keep both
sides canonical (a value that goes through the wire and back is unchanged), so that
"changed or not" is decided the same way locally and on the server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gulou_desk.domain.problems import Problem
from gulou_desk.records import ENTITIES, EntitySpec, FieldSpec, value_from_wire, value_to_wire
from gulou_desk.store.errors import NotAllowed
from gulou_desk.store.schema import RECORD_TABLES, SYNC_VERSION


def spec_of(entity: str) -> EntitySpec:
    try:
        return ENTITIES[entity]
    except KeyError:
        raise NotAllowed("unknown_entity", entity, f"unknown entity {entity!r}") from None


def table_of(entity: str) -> sa.Table:
    spec_of(entity)
    return RECORD_TABLES[entity]


# --- values -------------------------------------------------------------------------


def field_problems(
    spec: EntitySpec, names: Iterable[str], *, editable_only: bool = False
) -> list[Problem]:
    """Fields the spec does not have (``unknown_field``) or, for an update, that only a
    workflow step or the server may change (``not_editable``)."""
    problems: list[Problem] = []
    for name in names:
        field = spec.by_name.get(name)
        if field is None:
            problems.append(Problem(name, "unknown_field", f"{spec.name} has no field {name!r}"))
        elif editable_only and not field.editable:
            problems.append(Problem(name, "not_editable", f"{spec.name}.{name} is not editable"))
    return problems


def canonical_values(spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated Python values as the wire gives them back (times lose their sub-second
    part: the wire has seconds), so the local row equals what the server will hold."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        field: FieldSpec = spec.by_name[name]
        out[name] = value_from_wire(field, value_to_wire(field, value))
    return out


def wire_fields(spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Wire form of the given fields only (``records.to_wire`` gives every field)."""
    return {name: value_to_wire(spec.by_name[name], v) for name, v in values.items()}


def python_fields(spec: EntitySpec, data: Mapping[str, Any]) -> dict[str, Any]:
    """Python values of the spec's fields in wire ``data``; fields a newer server added
    and this client does not know are ignored."""
    return {
        f.name: value_from_wire(f, data[f.name]) for f in spec.fields if f.name in data
    }


def record_values(spec: EntitySpec, row: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's fields of a row (no ``id``, no ``sync_version``)."""
    return {name: row[name] for name in spec.field_names}


# --- rows ---------------------------------------------------------------------------


def load_row(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """The row as a dict (``id``, fields, ``sync_version``), or ``None``."""
    table = table_of(entity)
    row = session.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
    return dict(row) if row is not None else None


def insert_row(
    session: Session, entity: str, record_id: str, values: Mapping[str, Any],
    sync_version: int | None,
) -> None:
    table = table_of(entity)
    session.execute(
        sa.insert(table).values(id=record_id, **dict(values), **{SYNC_VERSION: sync_version})
    )


def update_row(session: Session, entity: str, record_id: str, values: Mapping[str, Any]) -> None:
    if not values:
        return
    table = table_of(entity)
    session.execute(sa.update(table).where(table.c.id == record_id).values(**dict(values)))


def replace_row(
    session: Session, entity: str, record_id: str, values: Mapping[str, Any],
    sync_version: int | None,
) -> None:
    """Insert or overwrite the whole row (fields missing from ``values`` become empty)."""
    spec = spec_of(entity)
    table = table_of(entity)
    full = {f.name: values.get(f.name, f.empty_value()) for f in spec.fields}
    full[SYNC_VERSION] = sync_version
    stmt = sqlite_insert(table).values(id=record_id, **full)
    session.execute(stmt.on_conflict_do_update(index_elements=[table.c.id], set_=full))


def delete_rows(session: Session, entity: str, record_ids: Iterable[str]) -> None:
    table = table_of(entity)
    ids = list(record_ids)
    if ids:
        session.execute(sa.delete(table).where(table.c.id.in_(ids)))
