"""Periodic jobs run once across every server process on the same database: two
``gulou-server serve`` processes (one of them with two uvicorn workers) and a
``gulou-server jobs --once`` on PostgreSQL, and each job ran exactly once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gulou_desk.records import now
from server.database import make_engine, migrate
from server.performance import scheduled_periods
from server.periodic import claim, job_runs, release
from server.schema import RECORD_TABLES, outbound_messages
from tests.processes import ServerProcess
from tests.world import T0, build_world

DAY = dt.timedelta(days=1)


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(pg_url)
    migrate(eng)
    yield eng
    eng.dispose()


def _runs(engine: sa.Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as conn:
        return {r["name"]: dict(r) for r in conn.execute(sa.select(job_runs)).mappings()}


def _count(engine: sa.Engine, entity: str, **where: object) -> int:
    t = RECORD_TABLES[entity]
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t).where(
            *[t.c[k] == v for k, v in where.items()])).scalar_one())


def test_two_servers_run_each_job_once(pg_url: str, engine: sa.Engine,
                                       tmp_path: Path) -> None:
    w = build_world(engine)
    for k in range(3):
        w.ticket(f"overdue{k}", "gridA", status="accepted", assignee_id=w["worker1"],
                 due_at=T0 - DAY)
    # An announcement due now, to the groups of grids A and B (the 鼓宝 console).
    w.save("announcement", "notice", {
        "community_id": w["community"], "grid_ids": [w["gridA"], w["gridB"]],
        "kind": "notice", "title": "停水通知", "text": "明天停水", "recurrence": "none",
        "send_at": now() - dt.timedelta(minutes=1), "status": "scheduled", "sent_count": 0,
        "history": []})
    jobs = ("--job", "escalation=3600", "--job", "performance=3600",
            "--job", "announcements=3600", "--job", "covers=3600")
    servers = [ServerProcess(pg_url, tmp_path, *jobs, name="a"),
               ServerProcess(pg_url, tmp_path, *jobs, "--workers", "2", name="b")]
    try:
        for server in servers:
            server.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = _runs(engine)
            if len(runs) == 4 and all(r["last_finished_at"] for r in runs.values()):
                break
            time.sleep(0.2)
        time.sleep(2)  # both processes have looked at the jobs by now, and again below
        extra = subprocess.run([sys.executable, "-m", "server.cli", "jobs", "--once",
                                "--db", pg_url], capture_output=True, text=True, timeout=60)
        assert extra.returncode == 0, extra.stderr
        assert "nothing" in extra.stdout
        runs = _runs(engine)
    finally:
        for server in servers:
            server.stop()
    assert {name: r["runs"] for name, r in runs.items()} == {"escalation": 1,
                                                            "performance": 1,
                                                            "announcements": 1,
                                                            "covers": 1}
    assert all(str(r["last_outcome"]).startswith("ok") for r in runs.values())
    # The effects, once: three overdue tickets, three escalations; one record a worker.
    assert _count(engine, "ticket_event", kind="escalate") == 3
    periods = scheduled_periods(now())  # this month, and the last one early on
    assert _count(engine, "performance_record") == 3 * len(periods)  # 3 workers
    # The announcement went once: one message per group, and it is sent.
    with engine.connect() as conn:
        groups = sorted(conn.execute(sa.select(outbound_messages.c.group_id)).scalars())
    assert groups == ["wx-gridA", "wx-gridB"]
    assert _count(engine, "announcement", status="sent") == 1
    logs = [s.log() for s in servers]
    assert sum(log.count("job escalation ran") for log in logs) == 1, logs
    assert sum(log.count("job performance ran") for log in logs) == 1, logs
    assert sum(log.count("job announcements ran") for log in logs) == 1, logs


def test_a_run_is_claimed_by_one_caller_and_due_again_after_the_interval(
        engine: sa.Engine) -> None:
    at = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    started = claim(engine, "probe", at=at)
    assert started == at
    assert claim(engine, "probe", at=at + dt.timedelta(seconds=5)) is None  # running
    release(engine, "probe", at, 60, "ok")
    assert claim(engine, "probe", at=at + dt.timedelta(seconds=30)) is None  # not due
    assert claim(engine, "probe", at=at + dt.timedelta(seconds=61)) is not None


def test_a_run_whose_process_died_is_taken_over_when_its_lease_ends(
        engine: sa.Engine) -> None:
    at = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert claim(engine, "probe", at=at, lease=10) is not None  # and never released
    assert claim(engine, "probe", at=at + dt.timedelta(seconds=9)) is None
    assert claim(engine, "probe", at=at + dt.timedelta(seconds=11)) is not None
    assert _runs(engine)["probe"]["runs"] == 2
