"""Tables of the client's local store.

Synced records get one Core table per entity of :mod:`gulou_desk.records`, built from the
spec (the columns are never typed a second time) plus ``sync_version``: the server version
of the copy we hold, ``NULL`` for a record created on this device and not yet confirmed.

The store's own bookkeeping (outbox, conflicts, rejections, sync state, drafts, and the
server copy of records with pending edits) lives in typed declarative models that share
the same :data:`METADATA`, so one Alembic history covers everything.

Changing anything here needs a migration (``gulou_desk/store/migrations/versions``); a test
compares the models with the migrations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from gulou_desk.db import AwareDateTime, record_columns
from gulou_desk.records import ENTITIES

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

METADATA = sa.MetaData(naming_convention=NAMING_CONVENTION)

SYNC_VERSION = "sync_version"

# Indexes the views and the sync engine rely on, per entity (column tuples).
_RECORD_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "household": (("grid_id",), ("estate", "building")),
    "resident": (("household_id",),),
    "visit": (("household_id", "visited_at"),),
    "ticket": (("status",), ("assignee_id",), ("grid_id",)),
    "inbox_message": (("status",), ("grid_id",)),
    "ticket_event": (("ticket_id", "at"),),
}


def _record_table(entity: str) -> sa.Table:
    spec = ENTITIES[entity]
    indexes = [
        sa.Index(f"ix_{spec.table}_{'_'.join(cols)}", *cols)
        for cols in _RECORD_INDEXES.get(entity, ())
    ]
    return sa.Table(
        spec.table,
        METADATA,
        *record_columns(spec),
        sa.Column(SYNC_VERSION, sa.BigInteger, nullable=True),
        *indexes,
    )


RECORD_TABLES: dict[str, sa.Table] = {name: _record_table(name) for name in ENTITIES}
"""Entity name → its local table (columns: ``id``, the spec's fields, ``sync_version``)."""


class Base(DeclarativeBase):
    metadata = METADATA
    type_annotation_map = {
        dt.datetime: AwareDateTime(),
        dict[str, Any]: sa.JSON(),
        list[Any]: sa.JSON(),
    }


class Outbox(Base):
    """A user's edit waiting to be pushed; ``seq`` is the push order.

    ``fields`` holds the wire-form fields of a create/update (what is sent); for an action,
    ``args`` is sent and ``local_changes`` keeps the wire-form changes that the workflow
    step made to the local row (never sent: they are re-applied over pulled copies and
    undone when the action is rejected). ``base_version`` is the ``sync_version`` the user
    saw when editing (``NULL`` for a record created here and not yet confirmed).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_entity_record_id", "entity", "record_id"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    entity: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str] = mapped_column(sa.String(36))
    op: Mapped[str] = mapped_column(sa.String(8))
    base_version: Mapped[int | None] = mapped_column(sa.BigInteger)
    fields: Mapped[dict[str, Any] | None]
    action: Mapped[str | None] = mapped_column(sa.String(32))
    args: Mapped[dict[str, Any] | None]
    local_changes: Mapped[dict[str, Any] | None]
    created_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class PendingBase(Base):
    """The server's copy of a record that has pending edits (wire form).

    The local row always equals ``data`` with the pending mutations' changes laid over it,
    so a rejected edit can be undone exactly. ``data`` is ``NULL`` when the server holds no
    copy (created here and not yet confirmed, or deleted on the server). The row goes away
    when the record's last pending mutation is settled.
    """

    __tablename__ = "pending_bases"

    entity: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    version: Mapped[int | None] = mapped_column(sa.BigInteger)
    data: Mapped[dict[str, Any] | None]


class Conflict(Base):
    """A field the server kept its own value for, with the user's value kept too.

    ``server_version`` is the record version that the push result carried; "use mine"
    builds on it. Resolved by deleting the row.
    """

    __tablename__ = "conflicts"
    __table_args__ = (sa.Index("ix_conflicts_entity_record_id", "entity", "record_id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str] = mapped_column(sa.String(36))
    field: Mapped[str] = mapped_column(sa.String(64))
    server_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    client_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    mutation_id: Mapped[str] = mapped_column(sa.String(36))
    base_version: Mapped[int | None] = mapped_column(sa.BigInteger)
    server_version: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[dt.datetime]


class Rejection(Base):
    """A mutation the server refused, with the user's values kept (``fields`` / ``args``)."""

    __tablename__ = "rejections"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(sa.String(36))
    entity: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str] = mapped_column(sa.String(36))
    op: Mapped[str] = mapped_column(sa.String(8))
    action: Mapped[str | None] = mapped_column(sa.String(32))
    fields: Mapped[dict[str, Any] | None]
    args: Mapped[dict[str, Any] | None]
    code: Mapped[str] = mapped_column(sa.String(64))
    message: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any] | None]
    created_at: Mapped[dt.datetime]
    dismissed_at: Mapped[dt.datetime | None]


class SyncState(Base):
    """Key/value state of the sync engine (cursor, last sync time, user, server …)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)


class Draft(Base):
    """Unsaved form content (a visit being filled in, say), kept across restarts."""

    __tablename__ = "drafts"
    __table_args__ = (sa.Index("ix_drafts_kind_record_id", "kind", "record_id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str | None] = mapped_column(sa.String(36))
    payload: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]
