"""督办: overdue open tickets are escalated by the system.

A ticket is overdue when its ``due_at`` has passed while it is open
(:data:`~gulou_desk.records.OPEN_TICKET_STATUSES`) and not escalated yet. A ticket
waiting on the resident (status ``waiting``, or ``paused_at`` set) is not: its SLA
clock is stopped, and resuming it moves ``due_at`` by the paused working days.

Escalating sets ``escalated`` and writes a ``ticket_event`` of kind ``escalate`` with no
actor (the system) and ``data = {"reason": "overdue", "due_at": …}`` (the client words
it), both through :class:`~server.store.RecordWriter`, so they sync to everyone who sees
the ticket, the street's supervisors among them.

:func:`escalate_overdue` is idempotent (an escalated ticket is no longer a candidate)
and safe to run from several processes at once (candidates are locked and re-checked in
the writing transaction). Within one process it never runs twice at once.
:class:`Escalator` runs it periodically in a background thread (``gulou-server serve``);
``gulou-server escalate`` runs it once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

import sqlalchemy as sa

from gulou_desk.records import OPEN_TICKET_STATUSES, format_datetime, new_id
from gulou_desk.records import now as wall_clock
from server.database import writer
from server.periodic import PeriodicJob
from server.schema import RECORD_TABLES
from server.store import RecordWriter, field_values

log = logging.getLogger(__name__)

BATCH = 200
"""Tickets escalated per transaction."""
DEFAULT_INTERVAL_SECONDS = 300.0
EVENT_KIND = "escalate"
REASON_OVERDUE = "overdue"

_running = threading.Lock()


def _overdue(now: dt.datetime) -> sa.ColumnElement[bool]:
    t = RECORD_TABLES["ticket"]
    return sa.and_(
        t.c.due_at.is_not(None),
        t.c.due_at < now,
        t.c.status.in_(sorted(OPEN_TICKET_STATUSES - {"waiting"})),
        t.c.paused_at.is_(None),
        sa.or_(t.c.escalated.is_(None), t.c.escalated == sa.false()),
    )


def escalate_overdue(engine: sa.Engine, now: dt.datetime) -> int:
    """Escalate every ticket overdue at ``now``; returns how many were escalated (0 when
    another call in this process is running: that one escalates them)."""
    if not _running.acquire(blocking=False):
        log.info("escalation is already running in this process; skipped")
        return 0
    try:
        total = 0
        while True:
            done = _escalate_batch(engine, now)
            total += done
            if not done:  # a short batch may mean rows changed meanwhile: look again
                break
        if total:
            log.info("escalated %d overdue ticket(s)", total)
        return total
    finally:
        _running.release()


def _escalate_batch(engine: sa.Engine, now: dt.datetime) -> int:
    t = RECORD_TABLES["ticket"]
    with writer(engine).begin() as conn:
        # FOR UPDATE (PostgreSQL): a ticket changed by a concurrent transaction is
        # re-checked against the condition before it is taken. SQLite has one writer.
        # The rows are locked in id order, the order of every push that locks two tickets
        # (store.lock): in due order, a merge of two overdue tickets could hold the one
        # this job waits for while waiting for one the job holds (a deadlock).
        rows = list(conn.execute(
            sa.select(t).where(_overdue(now)).order_by(t.c.id).limit(BATCH)
            .with_for_update()).mappings())
        records = RecordWriter(conn)
        for row in rows:
            values = field_values("ticket", dict(row))
            values["escalated"] = True
            records.save("ticket", row["id"], values, changed=["escalated"])
            records.save("ticket_event", new_id(), {
                "ticket_id": row["id"], "actor_id": None, "kind": EVENT_KIND, "body": None,
                "at": now, "data": {"reason": REASON_OVERDUE,
                                    "due_at": format_datetime(row["due_at"])},
            })
        return len(rows)


class Escalator(PeriodicJob):
    """Runs :func:`escalate_overdue` every ``interval`` seconds in a daemon thread."""

    name = "escalation"

    def __init__(self, engine: sa.Engine, interval: float = DEFAULT_INTERVAL_SECONDS,
                 clock: Callable[[], dt.datetime] = wall_clock) -> None:
        super().__init__(engine, interval, clock)

    def run_once(self) -> int:
        return escalate_overdue(self.engine, self.clock())
