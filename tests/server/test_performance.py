"""Performance records on the real server: the monthly computation (server/performance.py),
every workflow step allowed and refused by role over HTTP, decisions on a record that
changed meanwhile (``stale``), ticket events that carry what the figures need, and the
``gulou-server compute-performance`` command.

tests/server/test_push.py has "a worker never approves their own record"; the rest of
the performance workflow is here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.domain import performance as perf
from gulou_desk.domain import sla
from gulou_desk.records import SHANGHAI, format_datetime, new_id, now
from server import cli
from server.database import make_engine, migrate
from server.performance import (
    PerformanceScheduler,
    compute_period,
    compute_period_report,
    scheduled_periods,
)
from server.schema import RECORD_TABLES
from server.store import load
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def engine(server_db_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(server_db_url)
    migrate(eng)
    yield eng
    eng.dispose()


def visit(w: World, household: str, worker: str, when: dt.datetime) -> str:
    return w.save("visit", None, {
        "household_id": w[household], "worker_id": w[worker], "template_id": w["template"],
        "template_version": 1, "visited_at": when, "answers": {"at_home": True},
        "follow_up": False, "photos": []})


def event(w: World, ticket: str, actor: str, kind: str, when: dt.datetime,
          **data: Any) -> str:
    return w.save("ticket_event", None, {"ticket_id": w[ticket], "actor_id": w[actor],
                                         "kind": kind, "at": when, "data": data})


def october_world(engine: sa.Engine) -> World:
    """worker1 (grids A, B): a 独居老人 household visited weekly, a municipal ticket opened
    before National Day and resolved on its 5th working day, a satisfied follow-up."""
    w = build_world(engine)
    w.household("hA3", "gridA", head_name="孙秀英", room="303", tags=["独居老人"],
                last_visit_at=at(9, 28))
    visit(w, "hA3", "worker1", at(9, 28))
    visit(w, "hA3", "worker1", at(10, 5))
    visit(w, "hA3", "worker1", at(10, 12))
    visit(w, "hB1", "worker1", at(10, 20))
    w.ticket("tOct", "gridA", status="closed", assignee_id=w["worker1"],
             created_at=at(9, 30), due_at=sla.due_at("municipal", at(9, 30)),
             satisfaction="satisfied", resolution="已修复")
    event(w, "tOct", "clerk1", "created", at(9, 30))
    event(w, "tOct", "clerk1", "assign", at(9, 30, 11))
    event(w, "tOct", "worker1", "accept", at(10, 8, 9))
    event(w, "tOct", "worker1", "resolve", at(10, 12, 16))
    event(w, "tOct", "clerk1", "close", at(10, 14), satisfaction="satisfied")
    return w


def records_of(engine: sa.Engine, period: str) -> dict[str, dict[str, Any]]:
    t = RECORD_TABLES["performance_record"]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).where(t.c.period == period)).mappings().all()
    return {r["worker_id"]: dict(r) for r in rows}


# --- the monthly computation -------------------------------------------------------------


def test_compute_period_creates_each_workers_record_with_its_figures(engine: sa.Engine) -> None:
    w = october_world(engine)
    assert compute_period(engine, "2026-10", NOW) == 3
    got = records_of(engine, "2026-10")
    assert set(got) == {w["worker1"], w["worker2"], w["worker9"]}
    mine = got[w["worker1"]]
    assert mine["id"] == perf.record_id(w["worker1"], "2026-10")
    assert mine["status"] == "draft" and mine["score"] is None and mine["history"] == []
    f = mine["figures"]
    # hA1, hA2 never visited: due Oct 1, missed; hB1 due Oct 1, met Oct 20; hA3 weekly
    # from Sep 28: Oct 5 and 12 met, Oct 19 and 26 missed.
    assert {k: f[k] for k in perf.FIGURES} == {
        "visits_done": 3, "visits_due": 7, "key_visits": 2, "tickets_resolved": 1,
        "on_time_rate": 1.0, "avg_satisfaction": 100.0, "median_accept_hours": 190.0}
    assert f["through"] == "2026-10-31" and f["visits_due_met"] == 3
    assert f["basis"]["tickets_resolved"][0][1:] == [
        w["tOct"], "2026-10-12T16:00:00+08:00", "2026-10-13T10:00:00+08:00", True]
    assert f["suggested_score"] == perf.suggested_score(f)
    other = got[w["worker2"]]["figures"]
    assert (other["visits_done"], other["visits_due"]) == (0, 1)


def test_compute_period_twice_writes_nothing_new(engine: sa.Engine) -> None:
    october_world(engine)
    compute_period(engine, "2026-10", NOW)
    before = {w: r["sync_version"] for w, r in records_of(engine, "2026-10").items()}
    report = compute_period_report(engine, "2026-10", NOW + dt.timedelta(hours=5))
    assert report.written == 0 and len(report.unchanged) == 3
    after = {w: r["sync_version"] for w, r in records_of(engine, "2026-10").items()}
    assert after == before


def test_a_draft_is_refreshed_and_only_it(engine: sa.Engine) -> None:
    w = october_world(engine)
    compute_period(engine, "2026-10", NOW)
    before = records_of(engine, "2026-10")
    visit(w, "hC1", "worker2", at(10, 30))  # synced late, from an offline device
    report = compute_period_report(engine, "2026-10", NOW)
    assert report.refreshed == [perf.record_id(w["worker2"], "2026-10")]
    after = records_of(engine, "2026-10")
    assert after[w["worker2"]]["figures"]["visits_done"] == 1
    assert after[w["worker2"]]["history"] == []
    assert after[w["worker1"]]["sync_version"] == before[w["worker1"]]["sync_version"]


def test_submitted_and_approved_records_are_never_changed(engine: sa.Engine) -> None:
    w = october_world(engine)
    compute_period(engine, "2026-10", NOW)
    rows = records_of(engine, "2026-10")
    for worker, status in (("worker1", "submitted"), ("worker2", "approved")):
        row = rows[w[worker]]
        w.save("performance_record", None, {
            **{k: row[k] for k in ("worker_id", "period", "figures", "history")},
            "status": status, "self_assessment": "本月走访完成"}, record_id=row["id"])
    frozen = records_of(engine, "2026-10")
    visit(w, "hA1", "worker1", at(10, 25))
    visit(w, "hC1", "worker2", at(10, 25))
    report = compute_period_report(engine, "2026-10", NOW)
    assert sorted(report.held) == sorted([frozen[w["worker1"]]["id"],
                                          frozen[w["worker2"]]["id"]])
    assert report.written == 0
    now_rows = records_of(engine, "2026-10")
    for worker in ("worker1", "worker2"):
        assert now_rows[w[worker]]["sync_version"] == frozen[w[worker]]["sync_version"]
        assert now_rows[w[worker]]["figures"] == frozen[w[worker]]["figures"]


def test_a_returned_record_is_refreshed_with_a_history_entry(engine: sa.Engine) -> None:
    w = october_world(engine)
    compute_period(engine, "2026-10", NOW)
    row = records_of(engine, "2026-10")[w["worker2"]]
    history = [{"action": "submit", "actor_id": w["worker2"], "at": "2026-11-01T09:00:00+08:00"},
               {"action": "return", "actor_id": w["supervisor1"],
                "at": "2026-11-02T09:00:00+08:00", "comment": "走访记录没同步"}]
    w.save("performance_record", None, {
        "worker_id": row["worker_id"], "period": "2026-10", "figures": row["figures"],
        "status": "returned", "history": history, "decision_comment": "走访记录没同步",
        "supervisor_id": w["supervisor1"]}, record_id=row["id"])
    visit(w, "hC1", "worker2", at(10, 9))
    assert compute_period(engine, "2026-10", NOW) == 1
    got = records_of(engine, "2026-10")[w["worker2"]]
    assert got["status"] == "returned" and got["figures"]["visits_done"] == 1
    assert got["history"][:2] == history
    assert got["history"][2] == {"action": "recomputed", "actor_id": None,
                                 "at": "2026-11-20T03:00:00+08:00"}


def test_a_record_made_elsewhere_is_found_by_worker_and_period(engine: sa.Engine) -> None:
    w = build_world(engine)
    made = w.save("performance_record", None, {  # the demo data's random ids
        "worker_id": w["worker9"], "period": "2026-09", "figures": {"visits_done": 5},
        "status": "draft", "history": []})
    compute_period(engine, "2026-09", NOW)
    got = records_of(engine, "2026-09")
    assert got[w["worker9"]]["id"] == made
    assert got[w["worker9"]]["figures"]["visits_done"] == 0
    t = RECORD_TABLES["performance_record"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 3


def test_the_current_month_counts_up_to_today_and_a_future_month_is_refused(
        engine: sa.Engine) -> None:
    w = build_world(engine)
    compute_period(engine, "2026-11", NOW)
    f = records_of(engine, "2026-11")[w["worker1"]]["figures"]
    assert f["through"] == "2026-11-20"
    with pytest.raises(perf.PeriodError) as err:
        compute_period(engine, "2026-12", NOW)
    assert err.value.code == "future_period"
    with pytest.raises(perf.PeriodError):
        compute_period(engine, "2026-13", NOW)


def test_inactive_workers_get_no_new_record(engine: sa.Engine) -> None:
    w = build_world(engine)
    staff = load_staff(engine, w["worker9"])
    w.save("staff", None, {**staff, "active": False}, record_id=w["worker9"])
    compute_period(engine, "2026-10", NOW)
    assert set(records_of(engine, "2026-10")) == {w["worker1"], w["worker2"]}


def load_staff(engine: sa.Engine, sid: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = load(conn, "staff", sid)
    assert row is not None
    return {k: row[k] for k in ("username", "display_name", "role", "community_id",
                                "street_id", "active")}


def test_two_runs_at_once_make_one_record_each(engine: sa.Engine) -> None:
    october_world(engine)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            compute_period(engine, "2026-10", NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    t = RECORD_TABLES["performance_record"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 3


# --- on a schedule -----------------------------------------------------------------------


def test_scheduled_runs_cover_the_current_month_and_the_previous_one_early_on() -> None:
    assert scheduled_periods(at(11, 3)) == ["2026-10", "2026-11"]
    assert scheduled_periods(at(11, 8)) == ["2026-11"]
    assert scheduled_periods(dt.datetime(2027, 1, 2, tzinfo=SHANGHAI)) == ["2026-12",
                                                                          "2027-01"]
    # 2026-11-30 23:30 UTC is already December 1 in Nanjing.
    assert scheduled_periods(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)) == [
        "2026-11", "2026-12"]


def test_the_scheduler_computes_right_away_and_keeps_going_after_an_error(
        engine: sa.Engine, caplog: pytest.LogCaptureFixture) -> None:
    w = build_world(engine)
    assert PerformanceScheduler(engine, clock=lambda: at(11, 3)).run_once() == 6
    with pytest.raises(ValueError):
        PerformanceScheduler(engine, interval=0)
    calls: list[int] = []

    def clock() -> dt.datetime:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("clock broke")  # a failed run is logged, the next one runs
        return at(11, 20)

    scheduler = PerformanceScheduler(engine, interval=0.05, clock=clock)
    scheduler.start()
    deadline = dt.datetime.now() + dt.timedelta(seconds=20)
    while len(calls) < 3 and dt.datetime.now() < deadline:
        threading.Event().wait(0.05)
    scheduler.stop()
    assert len(calls) >= 3
    assert "performance run failed" in caplog.text
    assert records_of(engine, "2026-11")[w["worker1"]]["figures"]["through"] == "2026-11-20"


# --- the command -----------------------------------------------------------------------


def test_compute_performance_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    eng = make_engine(url)
    migrate(eng)
    build_world(eng)
    eng.dispose()
    assert cli.main(["compute-performance", "--db", url, "--period", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "performance 2026-10 through 2026-10-31: 3 created" in out
    assert cli.main(["compute-performance", "--db", url, "--period", "2026-10"]) == 0
    assert "0 created, 0 refreshed, 3 unchanged" in capsys.readouterr().out
    assert cli.main(["compute-performance", "--db", url, "--period", "Oct"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert cli.main(["compute-performance", "--db", url, "--period", "2999-01"]) == 2
    assert "has not begun" in capsys.readouterr().err


# --- the workflow over HTTP, by role ---------------------------------------------------------


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def draft(world: World, worker: str = "worker1", period: str = "2026-10") -> str:
    return world.save("performance_record", None, {
        "worker_id": world[worker], "period": period,
        "figures": {"visits_done": 3, "visits_due": 4}, "status": "draft", "history": []},
        record_id=perf.record_id(world[worker], period))


def act(api: Api, rid: str, action: str, base: int | None = None,
        **args: Any) -> dict[str, Any]:
    extra = {"base_version": base} if base is not None else {}
    [result] = api.push(mutation("performance_record", rid, "action", action=action,
                                 args=args, **extra))
    return result


def edit(api: Api, rid: str, base: int, **fields: Any) -> dict[str, Any]:
    [result] = api.push(mutation("performance_record", rid, "update", base_version=base,
                                 fields=fields))
    return result


def current(api: Api, rid: str) -> dict[str, Any]:
    change = held(api.pull_all()[0])[("performance_record", rid)]
    return {**change["data"], "version": change["version"]}


def code(result: dict[str, Any]) -> str:
    return "applied" if result["status"] == "applied" else str(result["error"]["code"])


def test_submit_only_by_the_records_own_worker(live_server: LiveServer, world: World) -> None:
    rid = draft(world)
    logins = {u: Api(live_server.api).login(u) for u in
              ("worker2", "clerk1", "supervisor1", "admin", "worker1")}
    # Out of their scope: the record does not exist for them.
    assert code(act(logins["worker2"], rid, "submit")) == "not_found"
    assert code(act(logins["clerk1"], rid, "submit")) == "not_found"
    # In scope but not theirs: only the worker submits.
    assert code(act(logins["supervisor1"], rid, "submit")) == "forbidden"
    assert code(act(logins["admin"], rid, "submit")) == "forbidden"
    assert code(act(logins["worker1"], rid, "submit")) == "applied"
    assert code(act(logins["worker1"], rid, "submit")) == "invalid_transition"
    assert current(logins["supervisor1"], rid)["status"] == "submitted"


def test_decisions_only_by_supervisors_and_admins_of_the_street(
        live_server: LiveServer, world: World) -> None:
    rid = draft(world)
    worker = Api(live_server.api).login("worker1")
    sup = Api(live_server.api).login("supervisor1")
    admin = Api(live_server.api).login("admin")
    clerk = Api(live_server.api).login("clerk1")
    world.staff("supervisor2", "supervisor", street="street2")
    elsewhere = Api(live_server.api).login("supervisor2")
    assert code(act(sup, rid, "approve")) == "invalid_transition"  # still a draft
    assert code(act(worker, rid, "submit")) == "applied"
    assert code(act(clerk, rid, "approve")) == "not_found"
    assert code(act(elsewhere, rid, "approve")) == "not_found"
    assert code(act(elsewhere, rid, "return", comment="x")) == "not_found"
    assert code(act(worker, rid, "return", comment="自己退回")) == "forbidden"
    assert code(act(sup, rid, "return")) == "validation"  # a return says why
    assert code(act(sup, rid, "approve", score=120)) == "validation"
    assert code(act(sup, rid, "return", comment="请补充走访说明")) == "applied"
    returned = current(worker, rid)
    assert returned["status"] == "returned"
    assert returned["decision_comment"] == "请补充走访说明"
    assert code(act(sup, rid, "approve")) == "invalid_transition"
    # A returned record is edited and resubmitted; the admin decides this time.
    assert code(edit(worker, rid, returned["version"], self_assessment="补充：10月走访4户")
                ) == "applied"
    assert code(act(worker, rid, "submit")) == "applied"
    assert code(act(admin, rid, "approve", score=88.5, comment="同意")) == "applied"
    final = current(sup, rid)
    assert (final["status"], final["score"], final["supervisor_id"]) == (
        "approved", 88.5, world["admin"])
    assert [(h["action"], h["actor_id"]) for h in final["history"]] == [
        ("submit", world["worker1"]), ("return", world["supervisor1"]),
        ("submit", world["worker1"]), ("approve", world["admin"])]
    assert final["history"][1]["comment"] == "请补充走访说明"
    assert final["history"][3]["score"] == 88.5
    # Approved is final: no more edits, no more decisions.
    assert code(edit(worker, rid, final["version"], self_assessment="再改")) == "forbidden"
    assert code(act(sup, rid, "return", comment="重新看")) == "invalid_transition"


def test_only_the_worker_edits_the_self_assessment(live_server: LiveServer,
                                                   world: World) -> None:
    rid = draft(world)
    sup = Api(live_server.api).login("supervisor1")
    version = current(sup, rid)["version"]
    assert code(edit(sup, rid, version, self_assessment="代写")) == "forbidden"
    assert code(edit(sup, rid, version, score=99)) == "forbidden"
    worker = Api(live_server.api).login("worker1")
    assert code(edit(worker, rid, version, figures={"visits_done": 99})) == "forbidden"


def test_an_edit_after_submission_needs_a_new_decision(live_server: LiveServer,
                                                       world: World) -> None:
    rid = draft(world)
    worker = Api(live_server.api).login("worker1")
    sup = Api(live_server.api).login("supervisor1")
    assert code(act(worker, rid, "submit")) == "applied"
    seen = current(sup, rid)["version"]
    # The worker edits the self-assessment after submitting: still submitted, and the
    # history says so.
    assert code(edit(worker, rid, current(worker, rid)["version"],
                     self_assessment="补充说明")) == "applied"
    record = current(sup, rid)
    assert record["status"] == "submitted"
    assert [h["action"] for h in record["history"]] == ["submit", "edited"]
    # The supervisor's decision on the version they saw is refused as stale …
    stale = act(sup, rid, "approve", base=seen, score=90)
    assert code(stale) == "stale"
    assert "self_assessment" in stale["error"]["details"]["fields"]
    assert stale["error"]["details"]["server_version"] == record["version"]
    assert code(act(sup, rid, "return", base=seen, comment="x")) == "stale"
    assert current(sup, rid)["status"] == "submitted"
    # … and accepted on the version that shows the edit.
    assert code(act(sup, rid, "approve", base=record["version"], score=90)) == "applied"
    assert current(worker, rid)["status"] == "approved"


# --- ticket events carry what the figures need ---------------------------------------------


def test_ticket_events_record_the_due_time_moved_and_the_satisfaction(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    worker = Api(live_server.api).login("worker1")
    tid = world["tA"]

    def step(api: Api, action: str, **args: Any) -> None:
        [r] = api.push(mutation("ticket", tid, "action", action=action, args=args))
        assert r["status"] == "applied", r

    step(clerk, "assign", assignee_id=world["worker1"])
    step(worker, "accept")
    step(worker, "wait", reason="居民不在家")
    step(worker, "resume")
    step(worker, "resolve", resolution="已修好")
    step(clerk, "close", satisfaction="basically_satisfied")
    changes, _ = clerk.pull_all()
    got = held(changes)
    events = {c["data"]["kind"]: c["data"] for c in got.values()
              if c["entity"] == "ticket_event" and c["data"]["ticket_id"] == tid}
    ticket = got[("ticket", tid)]["data"]
    assert events["close"]["data"] == {"satisfaction": "basically_satisfied"}
    assert events["accept"]["data"] == {}
    # The pause lasted no working day here, so resume moved nothing; assign set the
    # due time of a ticket that had none.
    assert events["resume"]["data"] == {}
    assert events["assign"]["data"] == {"due_at": ticket["due_at"]}


def test_a_workers_pushed_visit_is_in_their_months_draft_at_once(
        live_server: LiveServer, world: World) -> None:
    """The server recomputed drafts once an hour, so after a sync a social worker's
    "My performance" listed this month twice, the live preview (14 visits) beside the
    server's draft (13) (found by a new user's pass). A push that brings the worker's
    visits refreshes their drafts at once; another worker's push leaves theirs alone."""
    moment = now()
    period = perf.period_of(moment.astimezone(SHANGHAI).date())
    compute_period(live_server.engine, period, moment)
    before = records_of(live_server.engine, period)
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("visit", new_id(), "create", fields={
        "household_id": world["hA1"], "worker_id": world["worker1"],
        "template_id": world["template"], "template_version": 1,
        "visited_at": format_datetime(now()), "answers": {"at_home": True}}))
    assert r["status"] == "applied", r
    after = records_of(live_server.engine, period)
    mine = world["worker1"]
    assert after[mine]["figures"]["visits_done"] == before[mine]["figures"]["visits_done"] + 1
    assert after[mine]["sync_version"] > before[mine]["sync_version"]
    others = [w for w in before if w != mine]
    assert others and all(after[w]["sync_version"] == before[w]["sync_version"]
                          for w in others)
    # It reaches the worker's device with the same pull.
    change = held(w1.pull_all()[0])[("performance_record", after[mine]["id"])]
    assert change["data"]["figures"]["visits_done"] == after[mine]["figures"]["visits_done"]
