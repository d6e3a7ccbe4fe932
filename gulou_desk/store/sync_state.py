"""The sync engine's small key/value state, kept in the store (``sync_state`` table).

Written in the same transaction as the data it describes: a pulled page and its cursor
are committed together.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.store.schema import SyncState


class SyncKey(enum.StrEnum):
    CURSOR = "cursor"
    LAST_SYNC_AT = "last_sync_at"
    USER_ID = "user_id"
    USER = "user"
    SERVER_URL = "server_url"
    CLIENT_ID = "client_id"
    REPULL = "repull"
    """Set while a full re-pull is under way (the server refused our cursor): pages go on
    noting what they bring in ``repull_seen`` until the last one sweeps (sync/apply.py)."""


def get_state(session: Session, key: str, default: Any = None) -> Any:
    """The JSON value stored under ``key``, or ``default``."""
    row = session.get(SyncState, str(key))
    return default if row is None else row.value


def set_state(session: Session, key: str, value: Any) -> None:
    """Store a JSON value under ``key`` (``None`` removes it), in the caller's transaction."""
    row = session.get(SyncState, str(key))
    if value is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(SyncState(key=str(key), value=value))
    else:
        row.value = value


def last_sync_at(session: Session) -> dt.datetime | None:
    """When this store last ended a sync well (``None``: never, or unreadable)."""
    return records.moment_or_none(get_state(session, SyncKey.LAST_SYNC_AT))
