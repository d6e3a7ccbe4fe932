"""The central server's tables.

Record tables are built from :mod:`gulou_desk.records` (one column per field, nothing
re-typed) plus the server's bookkeeping:

- ``sync_version``: the version of the record's latest write (one server-wide counter);
- ``field_versions``: field name → version of the write that last changed it, which makes
  the per-field conflict check of a push a lookup; ``field_clients``: which device wrote
  it, so that two offline edits of one field from the same device are not a conflict with
  each other;
- ``wire``: the record's ``data`` object as serialised JSON, kept with the row so that a
  pull streams stored text instead of converting every row again.

Sync bookkeeping (see docs/architecture.md, "How a pull never skips a change"):

- ``sync_counter``: one row; each write takes ``value + 1`` inside its transaction, so the
  row lock hands out versions in commit order;
- ``change_log``: one row per write (version, entity, id, op, old and new scope keys);
- ``change_key``: (scope key, version) for every key a logged write touched, so that a pull
  finds the writes of its scope with one index range scan per key;
- ``record_key``: the current scope keys of every live record, with its version, for the
  backfill of a scope a user gains and the revoke of a scope they lose.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gulou_desk.db import AwareDateTime, record_columns
from gulou_desk.records import (
    DEVICE_ID_LENGTH,
    DEVICE_NAME_LENGTH,
    ENTITIES,
    EXTERNAL_ID_LENGTH,
    ID_LENGTH,
    INBOX_MESSAGE,
    MUTATION_ID_LENGTH,
    USERNAME_LENGTH,
    text_limit,
)

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "grid": (("community_id",), ("wechat_group_id",)),
    "community": (("street_id",),),
    "staff": (("username",),),
    "household": (("grid_id",),),
    "resident": (("household_id",),),
    "visit": (("household_id",), ("worker_id",)),
    "ticket": (("grid_id",), ("assignee_id",), ("status",)),
    "ticket_event": (("ticket_id",),),
    "inbox_message": (("grid_id",), ("status",)),
    "performance_record": (("worker_id", "period"),),
    "questionnaire": (("community_id",), ("code",)),
    "questionnaire_response": (("questionnaire_id",),),
    "consultation": (("community_id",), ("code",)),
    "consultation_comment": (("consultation_id",),),
    "consultation_meeting": (("consultation_id",),),
    "volunteer": (("community_id", "sender_id"),),
    "volunteer_activity": (("community_id",), ("code",)),
    "device": (("staff_id",),),
    "cover": (("staff_id",),),
    "wechat_group": (("group_id",),),
    "announcement": (("status", "send_at"), ("community_id",)),
    "bot_question": (("community_id", "status"),),
}


def _record_table(name: str) -> sa.Table:
    spec = ENTITIES[name]
    cols: list[Any] = record_columns(spec)
    cols += [
        sa.Column("sync_version", sa.BigInteger, nullable=False),
        sa.Column("field_versions", sa.JSON, nullable=False),
        # field → client_id of the device whose push last wrote it (absent: server-side)
        sa.Column("field_clients", sa.JSON, nullable=True),
        sa.Column("wire", sa.Text, nullable=False),
    ]
    table = sa.Table(spec.table, metadata, *cols)
    for i, columns in enumerate(_INDEXES.get(name, ())):
        sa.Index(f"ix_{spec.table}_{i}_{'_'.join(columns)}", *[table.c[c] for c in columns])
    return table


RECORD_TABLES: dict[str, sa.Table] = {name: _record_table(name) for name in ENTITIES}

sync_counter = sa.Table(
    "sync_counter", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

change_log = sa.Table(
    "change_log", metadata,
    sa.Column("version", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("record_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column("op", sa.String(8), nullable=False),  # upsert | delete
    sa.Column("old_keys", sa.JSON, nullable=False),
    sa.Column("new_keys", sa.JSON, nullable=False),
    # The device (push ``client_id``) whose update made this version exactly as it sent
    # it (its base was the current version, every field written as sent, nothing else):
    # that device holds the record at this version already, and its pulls skip it.
    sa.Column("exact_client", sa.String(DEVICE_ID_LENGTH), nullable=True),
)

change_key = sa.Table(
    "change_key", metadata,
    sa.Column("key", sa.String(48), primary_key=True),
    sa.Column("version", sa.BigInteger, primary_key=True, autoincrement=False),
)

record_key = sa.Table(
    "record_key", metadata,
    sa.Column("key", sa.String(48), primary_key=True),
    sa.Column("entity", sa.String(32), primary_key=True),
    sa.Column("record_id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Index("ix_record_key_key_version", "key", "version"),
    sa.Index("ix_record_key_record", "entity", "record_id"),
)

key_sets = sa.Table(
    "key_sets", metadata,
    sa.Column("ref", sa.String(32), primary_key=True),
    sa.Column("keys", sa.JSON, nullable=False),
)
"""Sets of scope keys by content address: a pull cursor refers to them by ``ref``."""

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("at", AwareDateTime, nullable=False),
    sa.Column("staff_id", sa.String(ID_LENGTH), nullable=True),  # None: the system
    sa.Column("device_id", sa.String(MUTATION_ID_LENGTH), nullable=True),
    sa.Column("mutation_id", sa.String(MUTATION_ID_LENGTH), nullable=True),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("record_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column("op", sa.String(32), nullable=False),
    sa.Column("version", sa.BigInteger, nullable=True),
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("keys", sa.JSON, nullable=False),
    sa.Index("ix_audit_log_record", "entity", "record_id"),
    sa.Index("ix_audit_log_staff_at", "staff_id", "at"),
    sa.Index("ix_audit_log_at", "at"),
)
"""The history of every write of a synced record (append-only; ``server/audit.py``):
who (a staff id, or None for the system), when, through which device and mutation, the
operation (``create``, ``update``, ``delete``, an action's name, or ``read`` when someone
read the history of sensitive fields), the fields and their old and new wire values, and
the record's scope keys at that write (the history is read with the record's scope)."""

# --- auth -----------------------------------------------------------------------------

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("staff_id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("username", sa.String(USERNAME_LENGTH), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("must_change_password", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
)

device_sessions = sa.Table(
    "device_sessions", metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("staff_id", sa.String(ID_LENGTH), nullable=False, index=True),
    sa.Column("device_id", sa.String(DEVICE_ID_LENGTH), nullable=False),
    sa.Column("device_name", sa.String(DEVICE_NAME_LENGTH), nullable=False, default=""),
    sa.Column("created_at", AwareDateTime, nullable=False),
    sa.Column("revoked_at", AwareDateTime, nullable=True),
    sa.Column("revoked_reason", sa.String(32), nullable=True),
)

refresh_tokens = sa.Table(
    "refresh_tokens", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("session_id", sa.String(ID_LENGTH), nullable=False, index=True),
    sa.Column("expires_at", AwareDateTime, nullable=False),
    sa.Column("spent_at", AwareDateTime, nullable=True),
    # 0003: the token that replaced this one, for the grace window of a lost answer: its
    # hash, and the token itself sealed with a key only this (spent) token gives.
    sa.Column("successor_hash", sa.String(64), nullable=True),
    sa.Column("successor_sealed", sa.Text, nullable=True),
)

login_throttle = sa.Table(
    "login_throttle", metadata,
    # sha256 of the counter's name ("u:<username>", "a:<address>", "ua:<username> <addr>"):
    # neither usernames nor addresses are kept in the clear for this.
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("window_start", AwareDateTime, nullable=False),
    sa.Column("locked_until", AwareDateTime, nullable=True),
)
"""Login attempts per username, per address and per username at an address (server.auth):
in the database, so that every server process counts the same attempts."""

seen_signatures = sa.Table(
    "seen_signatures", metadata,
    sa.Column("signature", sa.String(64), primary_key=True),
    sa.Column("expires_at", AwareDateTime, nullable=False, index=True),
)
"""Bot request signatures seen within their window: the same signature again is a replay."""

# --- push idempotency -----------------------------------------------------------------

applied_mutations = sa.Table(
    "applied_mutations", metadata,
    sa.Column("mutation_id", sa.String(MUTATION_ID_LENGTH), primary_key=True),
    sa.Column("staff_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
    sa.Column("at", AwareDateTime, nullable=False),
)

# --- counters, intake, outbound, blobs --------------------------------------------------

ticket_numbers = sa.Table(
    "ticket_numbers", metadata,
    sa.Column("day", sa.String(8), primary_key=True),
    sa.Column("last", sa.Integer, nullable=False),
)

short_codes = sa.Table(
    "short_codes", metadata,
    sa.Column("entity", sa.String(32), primary_key=True),
    sa.Column("last", sa.Integer, nullable=False),
)
"""The last number given per kind of participation item (``问卷12``: questionnaire, 12)."""

intake_messages = sa.Table(
    "intake_messages", metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("external_id", sa.String(EXTERNAL_ID_LENGTH), primary_key=True),
    # The record the message became: an inbox message's id, or (``handled_as`` set) the
    # questionnaire response, consultation comment or activity it was taken as.
    sa.Column("inbox_message_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column("received_at", AwareDateTime, nullable=False),
    # 0003: what the intake made of it (null: an inbox message); the answer it was given
    sa.Column("handled_as", sa.String(32), nullable=True),
    sa.Column("outcome", sa.JSON, nullable=True),
)

outbound_messages = sa.Table(
    "outbound_messages", metadata,
    sa.Column("id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("group_id", sa.String(text_limit(INBOX_MESSAGE.field("group_id"))),
              nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("inbox_message_id", sa.String(ID_LENGTH), nullable=True),
    sa.Column("created_at", AwareDateTime, nullable=False),
    sa.Column("acked_at", AwareDateTime, nullable=True, index=True),
    # 0002: the part of a long reply split into several (order within created_at), and
    # when the bot was last handed the message (the per-group rate limit, server/outbound)
    sa.Column("part", sa.Integer, nullable=False, server_default="0"),
    sa.Column("handed_out_at", AwareDateTime, nullable=True),
)

blobs = sa.Table(
    "blobs", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("content_type", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", AwareDateTime, nullable=False),
    sa.Column("created_by", sa.String(ID_LENGTH), nullable=True),
)

# --- periodic jobs (server/periodic.py) ---------------------------------------------

job_runs = sa.Table(
    "job_runs", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("next_due_at", AwareDateTime, nullable=False),
    sa.Column("running_until", AwareDateTime, nullable=True),
    sa.Column("last_started_at", AwareDateTime, nullable=True),
    sa.Column("last_finished_at", AwareDateTime, nullable=True),
    sa.Column("last_host", sa.String(128), nullable=True),
    sa.Column("last_outcome", sa.String(255), nullable=True),
    sa.Column("runs", sa.Integer, nullable=False, server_default="0"),
)
"""One row per job: when it is due next, who runs it now (the lease), how it last went."""
