"""The worker's visit plan: who is due, grouped for a walk, counted; states on the edges
of their days; a household's visit history and tickets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk import records
from gulou_desk.domain import cadence
from gulou_desk.domain.cadence import VisitState
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI
from gulou_desk.store.engine import Store
from gulou_desk.store.usecases import create_record
from gulou_desk.store.visit_plan import (
    PlanCounts,
    VisitPlan,
    tickets_of,
    visit_plan,
    visits_of,
)
from sync.apply import apply_page
from sync.wire import Change

GRID = "grid-1"
OTHER = "grid-2"
TODAY = dt.date(2026, 11, 30)
_versions = iter(range(1, 1_000_000))


def pull(store: Store, *changes: Change) -> None:
    with store.write() as session:
        apply_page(session, list(changes), f"c{next(_versions)}")


def upsert(entity: str, record_id: str, **values: Any) -> Change:
    spec = records.entity(entity)
    full = {f.name: f.empty_value() for f in spec.fields}
    full.update(values)
    return Change(entity=entity, id=record_id, op="upsert", version=next(_versions),
                  data=records.to_wire(spec, full))


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def days_before(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def hh(record_id: str, *, estate: str = "颐和新村", building: str = "3", unit: str = "1",
       room: str = "101", tags: list[str] | None = None, last: dt.datetime | None = None,
       **values: Any) -> Change:
    return upsert("household", record_id, grid_id=values.pop("grid_id", GRID), estate=estate,
                  building=building, unit=unit, room=room, head_name=record_id,
                  status=values.pop("status", "active"), tags=tags or [],
                  last_visit_at=last, **values)


def plan(store: Store, grids: list[str] | None = None, today: dt.date = TODAY) -> VisitPlan:
    with store.session() as session:
        return visit_plan(session, worker_grid_ids=[GRID] if grids is None else grids,
                          today=today)


def states(p: VisitPlan) -> dict[str, VisitState]:
    return {h.id: h.due.state for h in p.households()}


def test_states_around_the_boundaries(local_store: Store) -> None:
    pull(local_store,
         # 独居老人: every 7 days
         hh("overdue-1", tags=["独居老人"], last=at(days_before(8))),
         hh("due-today", tags=["独居老人"], last=at(days_before(7))),
         hh("due-tomorrow", tags=["独居老人"], last=at(days_before(6))),
         # 低保: every 30 days; due in 6 days is still this week, in 7 days is not
         hh("in-6-days", tags=["低保"], last=at(days_before(24))),
         hh("in-7-days", tags=["低保"], last=at(days_before(23))),
         hh("never"),
         # the household's own cadence wins over its tags' (90 → 10)
         hh("own-cadence", tags=[], visit_cadence_days=10, last=at(days_before(10))),
         # 23:30 in Shanghai is still that day there (15:30 UTC)
         hh("late-evening", tags=["独居老人"], last=at(days_before(8), 23, 30)),
         hh("early-morning", tags=["独居老人"], last=at(days_before(7), 0, 10)),
         hh("moved-out", status="moved_out", last=None),
         hh("other-grid", grid_id=OTHER, last=None))
    got = states(plan(local_store))
    assert got == {
        "overdue-1": VisitState.OVERDUE,
        "due-today": VisitState.DUE_TODAY,
        "due-tomorrow": VisitState.DUE_THIS_WEEK,
        "in-6-days": VisitState.DUE_THIS_WEEK,
        "never": VisitState.NEVER_VISITED,
        "own-cadence": VisitState.DUE_TODAY,
        "late-evening": VisitState.OVERDUE,
        "early-morning": VisitState.DUE_TODAY,
    }
    overdue = next(h for h in plan(local_store).households() if h.id == "overdue-1")
    assert overdue.due.days_overdue == 1
    # Every state agrees with the domain's rule, on each day around.
    for offset in range(-2, 10):
        today = TODAY + dt.timedelta(days=offset)
        for h in plan(local_store, today=today).households():
            assert h.due == cadence.visit_due(h.last_visit_at, None if h.id != "own-cadence"
                                              else 10, list(h.tags), today)


def test_grouped_by_estate_and_building_in_walking_order(local_store: Store) -> None:
    pull(local_store,
         hh("y10-1-201", estate="颐和新村", building="10", unit="1", room="201"),
         hh("y2-2-101", estate="颐和新村", building="2", unit="2", room="101"),
         hh("y2-1-1101", estate="颐和新村", building="2", unit="1", room="1101"),
         hh("y2-1-301", estate="颐和新村", building="2", unit="1", room="301",
            tags=["独居老人"], last=at(days_before(9))),
         hh("h5-1-101", estate="汇林绿洲", building="5", unit="1", room="101",
            tags=["低保"], last=at(days_before(27))),
         hh("h5-1-102", estate="汇林绿洲", building="5", unit="1", room="102",
            last=at(days_before(1))))  # visited yesterday: not in the plan
    p = plan(local_store)
    assert [e.estate for e in p.estates] == ["汇林绿洲", "颐和新村"]  # huilin < yihe
    hui, yihe = p.estates
    assert [(b.building, [h.id for h in b.households]) for b in yihe.buildings] == [
        ("2", ["y2-1-301", "y2-1-1101", "y2-2-101"]),  # unit 1 rooms 301 < 1101, unit 2
        ("10", ["y10-1-201"]),
    ]
    assert [(b.building, [h.id for h in b.households]) for b in hui.buildings] == [
        ("5", ["h5-1-101"])]
    assert yihe.buildings[0].counts == PlanCounts(overdue=1, never_visited=2)
    assert yihe.counts == PlanCounts(overdue=1, never_visited=3)
    assert hui.counts == PlanCounts(due_this_week=1)
    assert p.counts == PlanCounts(overdue=1, never_visited=3, due_this_week=1)
    assert (p.counts.due_now, p.counts.total) == (4, 5)
    assert [h.id for h in p.households(VisitState.OVERDUE)] == ["y2-1-301"]


def test_only_the_workers_grids(local_store: Store) -> None:
    pull(local_store, hh("mine"), hh("theirs", grid_id=OTHER))
    assert set(states(plan(local_store, [GRID]))) == {"mine"}
    assert set(states(plan(local_store, [GRID, OTHER]))) == {"mine", "theirs"}
    assert plan(local_store, []).estates == ()
    with local_store.session() as session:
        everyone = visit_plan(session, worker_grid_ids=None, today=TODAY)
    assert set(states(everyone)) == {"mine", "theirs"}


def test_a_visit_saved_here_takes_the_household_off_the_plan_at_once(
        local_store: Store, worker: Actor) -> None:
    now = records.now().replace(microsecond=0)
    today = now.astimezone(SHANGHAI).date()
    pull(local_store,
         upsert("visit_template", "tpl", name="常规走访", version=1, active=True, fields=[]),
         upsert("staff", worker.id, username="w", display_name="王社工",
                role="social_worker"),
         hh("due", tags=["独居老人"], last=now - dt.timedelta(days=20)))
    assert states(plan(local_store, today=today)) == {"due": VisitState.OVERDUE}
    vid, _ = create_record(local_store, "visit", {
        "household_id": "due", "template_id": "tpl", "visited_at": now, "answers": {},
        "notes": "身体不错", "photos": ["a" * 64]}, actor=worker)
    assert states(plan(local_store, today=today)) == {}
    with local_store.session() as session:
        [visit] = visits_of(session, "due")
    assert (visit.id, visit.visited_at, visit.worker_name, visit.template_name) == (
        vid, now, "王社工", "常规走访")
    assert visit.pending and visit.photos == ("a" * 64,) and visit.notes == "身体不错"


def test_visit_history_newest_first(local_store: Store) -> None:
    pull(local_store,
         upsert("visit_template", "tpl", name="独居老人关爱走访", version=2, fields=[]),
         upsert("staff", "w-1", username="w1", display_name="李社工", role="social_worker"),
         hh("h"),
         upsert("visit", "v-old", household_id="h", worker_id="w-1", template_id="tpl",
                template_version=2, visited_at=at(days_before(40)), answers={"ok": True},
                follow_up=True),
         upsert("visit", "v-new", household_id="h", worker_id="w-gone", template_id="tpl",
                template_version=2, visited_at=at(days_before(3))),
         upsert("visit", "v-other", household_id="elsewhere", worker_id="w-1",
                template_id="tpl", template_version=2, visited_at=at(days_before(1))))
    with local_store.session() as session:
        history = visits_of(session, "h")
        assert visits_of(session, "nobody") == []
    assert [v.id for v in history] == ["v-new", "v-old"]
    assert history[0].worker_name is None  # a worker not in the local copy
    assert (history[1].worker_name, history[1].template_name, history[1].follow_up,
            history[1].answers, history[1].pending) == ("李社工", "独居老人关爱走访", True,
                                                        {"ok": True}, False)


@pytest.mark.parametrize("now_offset_hours", [-1, 1])
def test_tickets_open_first_with_overdue_flag(local_store: Store,
                                               now_offset_hours: int) -> None:
    due = at(TODAY, 12)
    now = due + dt.timedelta(hours=now_offset_hours)
    pull(local_store,
         upsert("staff", "w-1", username="w1", display_name="李社工", role="social_worker"),
         hh("h"),
         upsert("ticket", "t-closed", number="GL1", title="路灯", category="other",
                status="closed", grid_id=GRID, household_id="h", created_at=at(TODAY, 9)),
         upsert("ticket", "t-open-old", number="GL2", title="漏水", category="other",
                status="accepted", grid_id=GRID, household_id="h", assignee_id="w-1",
                created_at=at(days_before(5)), due_at=due),
         upsert("ticket", "t-open-new", number="GL3", title="噪音", category="other",
                status="new", grid_id=GRID, household_id="h", created_at=at(TODAY, 8)),
         upsert("ticket", "t-elsewhere", number="GL4", title="别处", category="other",
                status="new", grid_id=GRID, household_id="other", created_at=at(TODAY, 8)))
    with local_store.session() as session:
        tickets = tickets_of(session, "h", now=now)
    assert [t.id for t in tickets] == ["t-open-new", "t-open-old", "t-closed"]
    assert [t.is_open for t in tickets] == [True, True, False]
    assert tickets[1].assignee_name == "李社工"
    assert tickets[1].overdue is (now_offset_hours > 0)
    assert not tickets[0].overdue and not tickets[2].overdue
