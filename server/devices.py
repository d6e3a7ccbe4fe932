"""Devices: the synced ``device`` record of each computer a staff member signs in on, and
what revoking one does.

At each sign-in the server writes the ``device`` record of (staff member, device id)
through the one write path (``RecordWriter``): name, first and last seen, ``active``. An
admin, or a supervisor of the staff member's street, revokes it with the push action
``device`` / ``revoke`` (checked for role by the workflow table, for scope by the keys
the record carries: ``devices`` and ``ps:<street>``). Revoking ends every session of that
device (``device_sessions.revoked_reason = "device_revoked"``); the device's next call,
or its next token refresh, is answered ``401`` with code ``device_revoked``, and the app
deletes its local data (its store, photos and keyring entries) and returns to sign-in.
A device that never calls again keeps what it has: that is the limit of a remote wipe.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from server.audit import Author
from server.schema import RECORD_TABLES, device_sessions
from server.store import RecordWriter, field_values

DEVICE_NAMESPACE = uuid.UUID("7c4b1f0e-5f5e-4c61-9d7e-8a8f0e2d6b11")
REVOKED_REASON = "device_revoked"


def record_id(staff_id: str, device_id: str) -> str:
    """The id of the ``device`` record of a staff member's device (stable across
    sign-ins, so one computer is one record)."""
    return str(uuid.uuid5(DEVICE_NAMESPACE, f"device/{staff_id}/{device_id}"))


def signed_in(conn: sa.Connection, staff_id: str, device_id: str, name: str,
              at: dt.datetime) -> str:
    """Write the device record at a sign-in (a revoked device signing in again — after
    its wipe, or handed to someone — is active again). ``conn`` is a writing
    transaction (``server.database.writer``)."""
    rid = record_id(staff_id, device_id)
    table = RECORD_TABLES["device"]
    row = conn.execute(sa.select(table).where(table.c.id == rid)).mappings().first()
    values: dict[str, Any] = field_values("device", row) if row is not None else {
        "staff_id": staff_id, "device_id": device_id, "first_seen_at": at}
    values.update({"name": name[:128], "last_seen_at": at, "status": "active",
                   "revoked_at": None, "revoked_by_id": None, "revoked_reason": None})
    RecordWriter(conn, Author(staff_id=staff_id, device_id=device_id, action="sign_in",
                              subject=("device", rid))).save("device", rid, values)
    return rid


def end_sessions(conn: sa.Connection, device: Mapping[str, Any], at: dt.datetime) -> int:
    """The device was revoked: every open session of it ends. Returns how many."""
    result = conn.execute(
        sa.update(device_sessions)
        .where(device_sessions.c.staff_id == device["staff_id"],
               device_sessions.c.device_id == device["device_id"],
               device_sessions.c.revoked_at.is_(None))
        .values(revoked_at=at, revoked_reason=REVOKED_REASON))
    return int(result.rowcount or 0)
