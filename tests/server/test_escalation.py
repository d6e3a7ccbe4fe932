"""督办: overdue open tickets are escalated once, by the system, and the street's
supervisor sees it; paused, finished and not-yet-due tickets are left alone."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.records import now
from server import cli
from server.escalation import Escalator, escalate_overdue
from server.schema import RECORD_TABLES
from tests.conftest import LiveServer
from tests.world import T0, Api, World, build_world, held

DAY = dt.timedelta(days=1)


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    worker1 = w["worker1"]
    w.ticket("overdue", "gridA", status="accepted", assignee_id=worker1, due_at=T0 - DAY)
    w.ticket("overdueNew", "gridC", due_at=T0 - dt.timedelta(minutes=1))
    w.ticket("notYet", "gridA", status="assigned", assignee_id=worker1, due_at=T0 + DAY)
    w.ticket("waiting", "gridA", status="waiting", assignee_id=worker1,
             due_at=T0 - DAY, paused_at=T0 - 2 * DAY)
    w.ticket("pausedAt", "gridB", status="in_progress", assignee_id=worker1,
             due_at=T0 - DAY, paused_at=T0 - 2 * DAY)
    for status in ("resolved", "closed", "cancelled", "merged"):
        w.ticket(status, "gridA", status=status, assignee_id=worker1, due_at=T0 - DAY)
    w.ticket("already", "gridA", status="in_progress", assignee_id=worker1,
             due_at=T0 - DAY, escalated=True)
    w.ticket("otherStreet", "gridX", due_at=T0 - DAY)
    return w


def _rows(engine: sa.Engine, entity: str, **where: Any) -> list[dict[str, Any]]:
    t = RECORD_TABLES[entity]
    with engine.connect() as conn:
        q = sa.select(t).where(*[t.c[k] == v for k, v in where.items()])
        return [dict(r) for r in conn.execute(q).mappings()]


def _escalations(engine: sa.Engine) -> list[str]:
    return sorted(e["ticket_id"] for e in _rows(engine, "ticket_event", kind="escalate"))


def test_overdue_open_tickets_are_escalated_once(live_server: LiveServer,
                                                 world: World) -> None:
    engine = live_server.engine
    assert escalate_overdue(engine, T0) == 3
    escalated = {t["id"] for t in _rows(engine, "ticket", escalated=True)}
    assert escalated == {world["overdue"], world["overdueNew"], world["otherStreet"],
                         world["already"]}
    assert _escalations(engine) == sorted([world["overdue"], world["overdueNew"],
                                           world["otherStreet"]])
    [event] = _rows(engine, "ticket_event", ticket_id=world["overdue"], kind="escalate")
    assert event["actor_id"] is None  # the system
    assert event["data"] == {"reason": "overdue", "due_at": "2026-11-01T09:00:00+08:00"}
    # Idempotent: running again (later, too) changes nothing.
    assert escalate_overdue(engine, T0) == 0
    assert escalate_overdue(engine, T0 + DAY) == 0
    assert len(_escalations(engine)) == 3


def test_paused_finished_and_not_yet_due_tickets_are_left_alone(live_server: LiveServer,
                                                               world: World) -> None:
    escalate_overdue(live_server.engine, T0)
    untouched = ("notYet", "waiting", "pausedAt", "resolved", "closed", "cancelled",
                 "merged", "tA")
    for name in untouched:
        [row] = _rows(live_server.engine, "ticket", id=world[name])
        assert not row["escalated"], name
    assert not set(_escalations(live_server.engine)) & {world[n] for n in untouched}
    # The day after, the ticket that was not yet due is; the paused ones still are not.
    escalate_overdue(live_server.engine, T0 + 2 * DAY)
    assert world["notYet"] in _escalations(live_server.engine)
    assert world["waiting"] not in _escalations(live_server.engine)


def test_the_supervisor_sees_the_escalation(live_server: LiveServer, world: World) -> None:
    supervisor = Api(live_server.api).login("supervisor1")
    _, cursor = supervisor.pull_all()
    other_street = Api(live_server.api).login("worker9")
    _, other_cursor = other_street.pull_all()
    escalate_overdue(live_server.engine, T0)

    state = held(supervisor.pull_all(cursor)[0])
    assert state[("ticket", world["overdue"])]["data"]["escalated"] is True
    events = [c["data"] for (entity, _), c in state.items()
              if entity == "ticket_event" and c["data"]["kind"] == "escalate"]
    assert sorted(e["ticket_id"] for e in events) == sorted([world["overdue"],
                                                             world["overdueNew"]])
    assert all(e["actor_id"] is None and e["data"]["reason"] == "overdue" for e in events)
    # The other street's ticket reaches its own people, not this supervisor.
    theirs = held(other_street.pull_all(other_cursor)[0])
    assert [c["data"]["ticket_id"] for (entity, _), c in theirs.items()
            if entity == "ticket_event"] == [world["otherStreet"]]


def test_a_reopened_ticket_can_be_escalated_again(live_server: LiveServer,
                                                  world: World) -> None:
    from server.database import writer
    from server.store import RecordWriter, field_values

    engine = live_server.engine
    escalate_overdue(engine, T0)
    [row] = _rows(engine, "ticket", id=world["overdue"])
    values = field_values("ticket", row)
    values.update(escalated=False, due_at=T0 + DAY)  # what reopening does: a fresh SLA
    with writer(engine).begin() as conn:
        RecordWriter(conn).save("ticket", world["overdue"], values)
    assert escalate_overdue(engine, T0 + DAY / 2) == 0
    assert escalate_overdue(engine, T0 + 2 * DAY) == 2  # it and the not-yet-due one
    assert _escalations(engine).count(world["overdue"]) == 2


def test_concurrent_runs_escalate_each_ticket_once(live_server: LiveServer,
                                                   world: World) -> None:
    results: list[int] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        results.append(escalate_overdue(live_server.engine, T0))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 3
    assert len(_escalations(live_server.engine)) == 3


def test_the_background_escalator_runs_periodically(live_server: LiveServer,
                                                    world: World) -> None:
    moments = iter([T0 - 2 * DAY, T0, T0 + 2 * DAY])
    last = [T0 + 2 * DAY]

    def clock() -> dt.datetime:
        last[0] = next(moments, last[0])
        return last[0]

    escalator = Escalator(live_server.engine, interval=0.02, clock=clock)
    escalator.start()
    try:
        deadline = time.monotonic() + 20
        while len(_escalations(live_server.engine)) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        escalator.stop()
    # The first run (two days early) found nothing; the next ones the overdue tickets,
    # then the one that fell due; never one twice.
    assert len(_escalations(live_server.engine)) == 4
    assert len(set(_escalations(live_server.engine))) == 4


def test_gulou_server_escalate_runs_once(live_server: LiveServer, world: World,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    late = world.ticket("late", "gridA", due_at=now() - DAY)
    assert cli.main(["escalate", "--db", live_server.db_url]) == 0
    out = capsys.readouterr().out
    # Everything due before today is overdue by the wall clock: the three, the late one
    # and the one that was not yet due on T0.
    assert "escalated 5 overdue ticket(s)" in out
    assert late in _escalations(live_server.engine)
    assert cli.main(["escalate", "--db", live_server.db_url]) == 0
    assert "escalated 0 overdue ticket(s)" in capsys.readouterr().out
