"""Tables of the client's local store.

Synced records get one Core table per entity of :mod:`gulou_desk.records`, built from the
spec (the columns are never typed a second time) plus ``sync_version``: the server version
of the copy we hold, ``NULL`` for a record created on this device and not yet confirmed.

The store's own bookkeeping (outbox, conflicts, rejections, sync state, the records seen by
a re-pull under way, drafts, and the server copy of records with pending edits) lives in
typed declarative models that share the same :data:`METADATA`, so one Alembic history
covers everything.

Changing anything here needs a migration (``gulou_desk/store/migrations/versions``); a test
compares the models with the migrations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import NullType

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
    "ticket": (("status",), ("assignee_id",), ("grid_id",), ("household_id", "status")),
    "inbox_message": (("status",), ("grid_id",)),
    "ticket_event": (("ticket_id", "at"),),
    "questionnaire": (("community_id", "status"),),
    "questionnaire_response": (("questionnaire_id", "grid_id"),),
    "consultation": (("community_id", "stage"),),
    "consultation_comment": (("consultation_id", "received_at"),),
    "consultation_meeting": (("consultation_id",),),
    "volunteer": (("community_id",),),
    "volunteer_activity": (("community_id", "starts_at"),),
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
    held_at: Mapped[dt.datetime | None]
    """Set aside (``outbox.hold``): not pushed until the user retries it; the later
    mutations of the same record wait behind it, every other one goes on."""
    held_code: Mapped[str | None] = mapped_column(sa.String(64))
    """Why: ``server_error`` (failed three times), ``too_large``, ``validation`` …"""
    failures: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    """Pushes that carried this mutation alone and failed (one a cycle at most)."""


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
    changed_by: Mapped[str | None] = mapped_column(sa.String(36), nullable=True)
    """Who wrote the server's value (a staff id; None: the system, or an older server)."""
    changed_at: Mapped[dt.datetime | None]
    """When the server's value was written, if the server said."""


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


class RepullSeen(Base):
    """The records one page of the full re-pull under way sent (upserts), one row per page
    and entity. The server refused our cursor, so the engine pulls everything again
    (:data:`~gulou_desk.store.sync_state.SyncKey.REPULL` is set meanwhile); each page adds
    its rows in its own transaction, and the last page sweeps every synced record that no
    row names (it left the user's scope) and empties the table. Kept in the store, not in
    memory, so that a re-pull cut short (crash, cancel, offline) still ends with its sweep
    when a later cycle resumes it.

    A page's ids go in as one JSON list: one row appended per entity and page, where a row
    per record (``entity, id`` as the key) is a B-tree insert at a random place (ids are
    UUIDs) for each of them — in a street's 213k-record re-pull, 0.25 s against 2.3 s
    (0.05 s against 1.3 s for the bare inserts). The sweep reads the lists back once. A
    "seen by re-pull n" column on every record table would cost as little to write but
    changes every record table and their version-guarded upsert (a record the guard
    leaves alone would lose its mark). Only a re-pull writes here; a normal pull pays
    nothing.
    """

    __tablename__ = "repull_seen"

    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(sa.String(32))
    record_ids: Mapped[list[Any]]


class Draft(Base):
    """Unsaved form content (a visit being filled in, say), kept across restarts."""

    __tablename__ = "drafts"
    __table_args__ = (sa.Index("ix_drafts_kind_record_id", "kind", "record_id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str | None] = mapped_column(sa.String(36))
    payload: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]


# --- search index (gulou_desk/store/search_index.py) ----------------------------------------


class SearchDoc(Base):
    """One household's entry in the search index: what the search tests a page's rows on
    (the words of each column of the FTS5 table ``household_fts``, whose rowid is
    ``doc``; each phone's digits and each ID number once, which ``household_phones`` and
    ``household_numbers`` index), plus the sort keys and the visit due date that the
    register's filters and the visit plan read.

    Rows are written by ``search_index.catch_up`` only, never by hand.
    """

    __tablename__ = "search_docs"
    __table_args__ = (
        sa.Index("ix_search_docs_sort_address", "sort_address"),
        sa.Index("ix_search_docs_sort_name", "sort_name"),
    )

    doc: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    household_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    head: Mapped[str] = mapped_column(sa.Text)
    head_initials: Mapped[str] = mapped_column(sa.Text)
    head_part: Mapped[str] = mapped_column(sa.Text)
    people: Mapped[str] = mapped_column(sa.Text)
    people_initials: Mapped[str] = mapped_column(sa.Text)
    people_part: Mapped[str] = mapped_column(sa.Text)
    place: Mapped[str] = mapped_column(sa.Text)
    phones: Mapped[str] = mapped_column(sa.Text)
    ids: Mapped[str] = mapped_column(sa.Text)
    sort_name: Mapped[str] = mapped_column(sa.Text)
    sort_address: Mapped[str] = mapped_column(sa.Text)
    last_visit_at: Mapped[dt.datetime | None]
    """The later of the household's ``last_visit_at`` and its newest visit held here (a
    visit made offline counts at once)."""
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    """When the next visit is due (``cadence.visit_due``); NULL: never visited."""


class SearchDirty(Base):
    """Households whose index entry is out of date. SQL triggers on ``households``,
    ``residents`` and ``visits`` (migration 0003) add them on every write, whoever
    writes; ``search_index.catch_up`` empties it before each write transaction commits."""

    __tablename__ = "search_dirty"

    household_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)


SEARCH_FTS = "household_fts"
"""The FTS5 table of the search index's words (contentless, ``detail=column``, prefix
indexes for typing 1–3 letters): names, initials, parts of names, the address."""
SEARCH_NUMBERS = "household_numbers"
"""The FTS5 table of the search index's ID numbers (migration 0018; phones too until
migration 0020): the same rowids, without prefix indexes, which a number of four or more
characters never uses; a row is deleted by its rowid alone (``contentless_delete=1``,
migration 0019)."""
SEARCH_PHONES = "household_phones"
"""The FTS5 table of the search index's phones (migration 0020): each phone's digits, in
trigrams (``tokenize='trigram'``), so any run of 4+ digits is found as a substring; a row
is deleted by its rowid alone."""

# FTS5 makes a virtual table and its shadow tables; they are declared here only so that
# the models match the migrations (Alembic compares tables, it cannot create virtual
# ones). Never create them from this metadata: migrations 0018 to 0020 do, with CREATE
# VIRTUAL TABLE.
for _table, _columns in ((SEARCH_FTS, ("head", "head_initials", "head_part", "people",
                                       "people_initials", "people_part", "place")),
                         (SEARCH_NUMBERS, ("ids",)), (SEARCH_PHONES, ("phones",))):
    sa.Table(_table, METADATA, *(sa.Column(name, NullType) for name in _columns),
             info={"fts5": True})
    sa.Table(f"{_table}_data", METADATA,
             sa.Column("id", sa.Integer, primary_key=True, nullable=True),
             sa.Column("block", sa.BLOB), info={"fts5": True})
    sa.Table(f"{_table}_idx", METADATA,
             sa.Column("segid", NullType, primary_key=True),
             sa.Column("term", NullType, primary_key=True),
             sa.Column("pgno", NullType), info={"fts5": True})
    sa.Table(f"{_table}_config", METADATA,
             sa.Column("k", NullType, primary_key=True),
             sa.Column("v", NullType), info={"fts5": True})
for _table in (SEARCH_NUMBERS, SEARCH_PHONES):  # contentless_delete=1 (migrations 0019, 0020)
    sa.Table(f"{_table}_docsize", METADATA,
             sa.Column("id", sa.Integer, primary_key=True, nullable=True),
             sa.Column("sz", sa.BLOB), sa.Column("origin", sa.Integer), info={"fts5": True})


# --- photos and other blobs (photos.py, sync/blobs.py) ----------------------------------


class LocalBlob(Base):
    """A content-addressed photo of a visit (its bytes in :class:`PhotoData`), and whether the
    server has it: ``uploaded_at`` is set once the server confirmed it (PUT or HEAD), so
    it is never sent again; ``last_error`` keeps why the server refused it."""

    __tablename__ = "local_blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime]
    uploaded_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class PhotoData(Base):
    """The bytes of a photo held on this device and of its thumbnail. They live inside
    the store, so the store's encryption covers them: a resident's photo never lies in a
    plain file (issue 14 item 3). Content-addressed: one row per sha256 of ``data``."""

    __tablename__ = "photo_data"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
