"""Scheduled announcements leave at their time: the periodic job ``announcements``
(:data:`server.jobs.JOBS`, once across processes and hosts: :mod:`server.periodic`).

Each run takes the announcements that are ``scheduled`` with ``send_at`` now or before,
oldest first, each in its own transaction with its row locked and its state read again
(so that two runs, were they ever to overlap, send it once: the second finds it sent).
The text goes to the groups of its target grids (none named: every grid of its
community) through the outbound queue, which keeps the per-group rate limit (a burst
waits its turn there, nothing is dropped). A one-off announcement becomes ``sent``; a
recurring one stays ``scheduled`` with its next time
(:func:`gulou_desk.domain.gubao.next_send_at`).

A welcome message (kind ``welcome``) is never posted here: scheduled, it is in force, and
鼓宝 says it to each newcomer as they join (:mod:`server.welcome`). Posted at its send
time, it greeted every member of the groups as if they had just joined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import gubao
from gulou_desk.records import format_datetime
from server import participation
from server.database import writer
from server.schema import RECORD_TABLES
from server.store import RecordWriter, field_values, load

WELCOME = "welcome"
PAGE = 100
"""At most this many announcements per run (the next run takes the rest)."""


def send_due(engine: sa.Engine, now: dt.datetime) -> int:
    """Send what is due at ``now``; returns how many announcements went."""
    t = RECORD_TABLES["announcement"]
    with engine.connect() as conn:
        due = list(conn.execute(sa.select(t.c.id).where(
            t.c.status == "scheduled", t.c.send_at <= now, t.c.kind.is_distinct_from(WELCOME))
            .order_by(t.c.send_at, t.c.id).limit(PAGE)).scalars())
    sent = 0
    for announcement_id in due:
        with writer(engine).begin() as conn:
            sent += _send(conn, announcement_id, now)
    return sent


def target_grids(conn: sa.Connection, announcement: Mapping[str, Any]) -> list[str]:
    """The grids an announcement goes to: its targets, else every grid of its community."""
    named = [g for g in announcement.get("grid_ids") or [] if isinstance(g, str)]
    if named:
        return named
    grids = RECORD_TABLES["grid"]
    return list(conn.execute(sa.select(grids.c.id).where(
        grids.c.community_id == announcement.get("community_id")).order_by(grids.c.id))
        .scalars())


def _send(conn: sa.Connection, announcement_id: str, now: dt.datetime) -> int:
    row = load(conn, "announcement", announcement_id, for_update=True)
    if row is None or row["status"] != "scheduled" or row["send_at"] is None \
            or row["send_at"] > now or row["kind"] == WELCOME:
        return 0  # sent, cancelled or moved meanwhile
    groups = participation.post(conn, target_grids(conn, row), row["text"] or "", now)
    values = field_values("announcement", row)
    following = gubao.next_send_at(row, now)
    values.update(sent_at=now, sent_count=(row["sent_count"] or 0) + 1,
                  history=[*(row["history"] or []), {
                      "action": "sent", "at": format_datetime(now), "groups": groups}])
    changed = ["sent_at", "sent_count", "history"]
    if following is None:
        values["status"] = "sent"
        changed.append("status")
    else:
        values["send_at"] = following
        changed.append("send_at")
    RecordWriter(conn).save("announcement", announcement_id, values, changed=changed)
    return 1
