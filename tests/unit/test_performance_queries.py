"""Performance reads of the local store (gulou_desk/store/performance_queries.py): the live
preview, drill-down, the approval queue, record views and the dashboard tables.

The local copy is filled the way a pull fills it (``replace_row`` with a version); tickets
are driven through the real workflow steps first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.domain import performance as perf
from gulou_desk.domain import workflows
from gulou_desk.domain.performance import PeriodError, Window
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.engine import Store
from gulou_desk.store.rows import replace_row

CLERK = Actor("clerk", "clerk", community_id="c1", street_id="s1")
W1 = Actor("w1", "social_worker", grid_ids=frozenset({"g1", "g2"}))
W2 = Actor("w2", "social_worker", grid_ids=frozenset({"g2"}))
W3 = Actor("w3", "social_worker", grid_ids=frozenset({"g3"}))
TODAY = dt.date(2026, 11, 28)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


class Ticket:
    def __init__(self, tid: str, number: str, grid: str, category: str,
                 created: dt.datetime) -> None:
        self.id = tid
        self.row: dict[str, Any] = {
            "number": number, "title": f"{category} {number}", "grid_id": grid,
            "assignee_id": None, "satisfaction": None, "paused_at": None,
            **workflows.new_ticket_fields(category, created, created_by_id=CLERK.id)}
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._event("created", CLERK.id, created, None, {})

    def _event(self, kind: str, actor: str, when: dt.datetime, body: str | None,
               data: dict[str, Any]) -> None:
        self.events.append((f"{self.id}-e{len(self.events)}", {
            "ticket_id": self.id, "actor_id": actor, "kind": kind, "body": body, "at": when,
            "data": data}))

    def step(self, action: str, actor: Actor, when: dt.datetime, **args: Any) -> Ticket:
        s = workflows.ticket_step({"id": self.id, **self.row}, action, args, actor, when)
        self.row.update(s.changes)
        data = {"satisfaction": args["satisfaction"]} if "satisfaction" in args else {}
        assert s.event_kind
        self._event(s.event_kind, actor.id, when, s.event_body, data)
        return self


def tickets() -> list[Ticket]:
    t1 = (Ticket("T1", "GL1", "g1", "municipal", at(9, 30))  # due Oct 13 (National Day)
          .step("assign", CLERK, at(9, 30, 11), assignee_id="w1")
          .step("accept", W1, at(9, 30, 14))
          .step("resolve", W1, at(10, 12, 16), resolution="修好")
          .step("close", CLERK, at(10, 14), satisfaction="satisfied"))
    t2 = (Ticket("T2", "GL2", "g1", "sanitation", at(10, 12))  # due Oct 15, still open
          .step("assign", CLERK, at(10, 12, 11), assignee_id="w1")
          .step("accept", W1, at(10, 12, 12)))
    t3 = (Ticket("T3", "GL3", "g2", "policy", at(10, 19))  # due Oct 21
          .step("assign", CLERK, at(10, 19, 11), assignee_id="w2")
          .step("accept", W2, at(10, 19, 13))
          .step("resolve", W2, at(10, 20), resolution="已答复")
          .step("close", CLERK, at(10, 22), satisfaction="basically_satisfied"))
    t4 = (Ticket("T4", "GL4", "g3", "municipal", at(10, 5))  # due Oct 13, still open
          .step("assign", CLERK, at(10, 5, 11), assignee_id="w3"))
    return [t1, t2, t3, t4]


VISITS = [("v1", "hA", "w1", at(10, 1)), ("v2", "hA", "w1", at(10, 8)),
          ("v3", "hA", "w1", at(10, 15)), ("v4", "hC", "w2", at(10, 10)),
          ("v5", "hD", "w1", at(10, 20)), ("v0", "hA", "w1", at(9, 24))]


@pytest.fixture
def store(local_store: Store) -> Store:
    return seed_october(local_store)


def seed_october(local_store: Store) -> Store:
    """Two streets, three grids, five households, six visits and four tickets of October
    2026 in the local copy (tests/unit/test_export.py uses it too)."""
    with local_store.write() as s:
        for sid, street in (("s1", "湖南路街道"), ("s2", "宁海路街道")):
            replace_row(s, "street", sid, {"name": street}, 1)
        replace_row(s, "community", "c1", {"street_id": "s1", "name": "汇林绿洲社区"}, 1)
        replace_row(s, "community", "c2", {"street_id": "s2", "name": "西康路社区"}, 1)
        for gid, community, workers in (("g1", "c1", ["w1"]), ("g2", "c1", ["w1", "w2"]),
                                        ("g3", "c2", ["w3"])):
            replace_row(s, "grid", gid, {"community_id": community, "name": f"网格{gid}",
                                         "worker_ids": workers}, 1)
        for sid, name, role, street in (("w1", "张伟", "social_worker", "s1"),
                                        ("w2", "李娜", "social_worker", "s1"),
                                        ("w3", "王芳", "social_worker", "s2"),
                                        ("sup", "周主任", "supervisor", "s1"),
                                        ("clerk", "陈办事员", "clerk", "s1")):
            replace_row(s, "staff", sid, {"username": sid, "display_name": name, "role": role,
                                          "street_id": street, "active": True}, 1)
        for hid, grid, tags, last, extra in (
            ("hA", "g1", ["独居老人"], at(10, 15), {"address": "颐和路3号"}),
            ("hB", "g1", [], None, {"building": "2", "unit": "1", "room": "101"}),
            ("hC", "g2", ["低保"], at(10, 10), {}),
            ("hD", "g3", [], at(10, 20), {}),
            ("hE", "g1", ["独居老人"], None, {"status": "moved_out"}),
        ):
            replace_row(s, "household", hid, {
                "grid_id": grid, "estate": "颐和新村", "head_name": f"户主{hid}", "tags": tags,
                "last_visit_at": last, "status": "active", **extra}, 1)
        for vid, hid, worker, when in VISITS:
            replace_row(s, "visit", vid, {"household_id": hid, "worker_id": worker,
                                          "template_id": "tpl", "template_version": 1,
                                          "visited_at": when, "answers": {},
                                          "follow_up": vid == "v2", "photos": []}, 1)
        for t in tickets():
            replace_row(s, "ticket", t.id, t.row, 1)
            for eid, values in t.events:
                replace_row(s, "ticket_event", eid, values, 1)
    return local_store


def save_record(store: Store, rid: str, worker: str, period: str, status: str,
                figures: dict[str, Any], history: list[dict[str, Any]] | None = None,
                **extra: Any) -> None:
    with store.write() as s:
        replace_row(s, "performance_record", rid, {
            "worker_id": worker, "period": period, "figures": figures, "status": status,
            "history": history or [], **extra}, 7)


# --- live preview -----------------------------------------------------------------------


def test_live_figures_of_a_past_month(store: Store) -> None:
    with store.session() as s:
        f = pq.live_figures(s, "w1", "2026-10", TODAY)
    # hA weekly from Sep 24: Oct 1, 8, 15 met, 22 and 29 missed; hB never visited; hC
    # (低保, a colleague's grid too) due Oct 1, met Oct 10 by w2; hE moved out; hD is in
    # another worker's grid (w1's visit there counts as done, not as due).
    assert f.values() == {"visits_done": 4, "visits_due": 7, "key_visits": 3,
                          "tickets_resolved": 1, "on_time_rate": 1.0,
                          "avg_satisfaction": 100.0, "median_accept_hours": 1.0}
    assert f.window == Window(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert f.visit_ids == ("v1", "v2", "v3", "v5")


def test_live_figures_of_the_current_month_count_up_to_today(store: Store) -> None:
    with store.session() as s:
        f = pq.live_figures(s, "w1", "2026-10", dt.date(2026, 10, 12))
        assert f.window.last == dt.date(2026, 10, 12)
        assert (f.visits_done, f.visits_due, f.tickets_resolved) == (2, 4, 1)  # all of today
        with pytest.raises(PeriodError):
            pq.live_figures(s, "w1", "2026-12", TODAY)
        with pytest.raises(PeriodError):
            pq.live_figures(s, "w1", "2026-1", TODAY)


def test_a_worker_without_grids_or_data_gets_empty_figures(store: Store) -> None:
    with store.session() as s:
        f = pq.live_figures(s, "nobody", "2026-10", TODAY)
    assert f.values()["visits_due"] == 0 and f.on_time_rate is None


# --- drill-down -------------------------------------------------------------------------


def test_drill_down_lists_what_the_stored_figures_counted(store: Store) -> None:
    with store.session() as s:
        official = pq.live_figures(s, "w1", "2026-10", TODAY).to_record(at(11, 1, 2))
    save_record(store, "r1", "w1", "2026-10", "submitted", official)
    # The local copy changes afterwards: T1's due time moves, a visit is added. The
    # record's rows stay what it counted.
    with store.write() as s:
        replace_row(s, "visit", "v9", {"household_id": "hB", "worker_id": "w1",
                                       "template_id": "tpl", "template_version": 1,
                                       "visited_at": at(10, 30), "answers": {},
                                       "photos": []}, 9)
    with store.session() as s:
        view = pq.record_view(s, "r1")
        assert view is not None
        visits = pq.drill_down(s, view, "visits_done")
        key = pq.drill_down(s, view, "key_visits")
        due = pq.drill_down(s, view, "visits_due")
        resolved = pq.drill_down(s, view, "on_time_rate")
        sat = pq.drill_down(s, view, "avg_satisfaction")
        accept = pq.drill_down(s, view, "median_accept_hours")
        with pytest.raises(KeyError):
            pq.drill_down(s, view, "happiness")
    assert [r.visit_id for r in visits if isinstance(r, pq.VisitRow)] == ["v1", "v2", "v3", "v5"]
    first = visits[0]
    assert isinstance(first, pq.VisitRow)
    assert (first.household.address, first.household.head_name, first.key) == (
        "颐和路3号", "户主hA", True)
    assert [r.visit_id for r in key if isinstance(r, pq.VisitRow)] == ["v1", "v2", "v3"]
    assert len(due) == official["visits_due"] == 7
    hb = next(r for r in due if isinstance(r, pq.DueRow) and r.household.household_id == "hB")
    assert (hb.household.address, hb.cadence_days, hb.due_on, hb.met_on) == (
        "颐和新村 2栋1单元101室", 90, dt.date(2026, 10, 1), None)
    missed = [r.due_on for r in due if isinstance(r, pq.DueRow) and r.met_on is None]
    assert missed == [dt.date(2026, 10, 1), dt.date(2026, 10, 22), dt.date(2026, 10, 29)]
    [row] = resolved
    assert isinstance(row, pq.TicketRow)
    assert (row.number, row.status, row.at, row.due_at, row.on_time) == (
        "GL1", "closed", at(10, 12, 16), at(10, 13), True)
    assert [(r.ticket_id, r.satisfaction) for r in sat if isinstance(r, pq.TicketRow)] == [
        ("T1", "satisfied")]
    assert [(r.ticket_id, r.hours) for r in accept if isinstance(r, pq.TicketRow)] == [
        ("T2", 1.0)]


def test_drill_down_of_figures_without_a_basis_recomputes_them(store: Store) -> None:
    demo = {"visits_done": 4, "visits_due": 9, "key_visits": 3, "tickets_resolved": 1,
            "on_time_rate": 1.0, "avg_satisfaction": 100.0, "median_accept_hours": 1.0}
    save_record(store, "r-demo", "w1", "2026-10", "draft", demo)
    with store.session() as s:
        rows = pq.drill_down(s, {"worker_id": "w1", "period": "2026-10", "figures": demo},
                             "visits_done", today=TODAY)
    assert [r.visit_id for r in rows if isinstance(r, pq.VisitRow)] == ["v1", "v2", "v3", "v5"]


# --- records and the approval queue --------------------------------------------------------


def test_approval_queue_of_a_street_longest_waiting_first(store: Store) -> None:
    def h(action: str, actor: str, when: str, **kw: Any) -> dict[str, Any]:
        return {"action": action, "actor_id": actor, "at": when, **kw}

    save_record(store, "r-w1", "w1", "2026-10", "submitted", {"visits_done": 4},
                [h("submit", "w1", "2026-11-02T09:00:00+08:00")], self_assessment="完成")
    save_record(store, "r-w2", "w2", "2026-10", "submitted", {"visits_done": 1}, [
        h("submit", "w2", "2026-11-01T09:00:00+08:00"),
        h("return", "sup", "2026-11-01T15:00:00+08:00", comment="请补充"),
        h("submit", "w2", "2026-11-03T09:00:00+08:00"),
        h("edited", "w2", "2026-11-03T10:00:00+08:00")])
    save_record(store, "r-w2-sep", "w2", "2026-09", "submitted", {},
                [h("submit", "w2", "2026-10-30T09:00:00+08:00")])
    save_record(store, "r-w3", "w3", "2026-10", "submitted", {},
                [h("submit", "w3", "2026-11-01T08:00:00+08:00")])  # another street
    save_record(store, "r-draft", "w1", "2026-11", "draft", {})
    with store.session() as s:
        queue = pq.approval_queue(s, "s1")
        assert pq.approval_queue(s, "nowhere") == []
    assert [r.id for r in queue] == ["r-w2-sep", "r-w1", "r-w2"]
    w2 = queue[2]
    assert w2.worker_name == "李娜" and w2.resubmitted and w2.edited_after_submission
    assert w2.submitted_at == at(11, 3, 10)
    assert [(e.action, e.actor_name) for e in w2.history] == [
        ("submit", "李娜"), ("return", "周主任"), ("submit", "李娜"), ("edited", "李娜")]
    assert w2.history[1].comment == "请补充"
    w1 = queue[1]
    assert not w1.resubmitted and w1.self_assessment == "完成" and w1.sync_version == 7
    assert w1.figures["visits_done"] == 4 and w1.figures["on_time_rate"] is None
    assert w1.suggested_score == 100.0  # demo-style figures: computed from the values


def test_worker_records_newest_first(store: Store) -> None:
    save_record(store, "a", "w1", "2026-09", "approved", {}, score=91.5,
                supervisor_id="sup", decision_comment="好")
    save_record(store, "b", "w1", "2026-10", "draft", {})
    save_record(store, "c", "w2", "2026-10", "draft", {})
    with store.session() as s:
        records = pq.worker_records(s, "w1")
        assert pq.record_view(s, "missing") is None
    assert [r.period for r in records] == ["2026-10", "2026-09"]
    assert (records[1].score, records[1].supervisor_name) == (91.5, "周主任")


# --- dashboard --------------------------------------------------------------------------


def test_dashboard_tables(store: Store) -> None:
    with store.session() as s:
        board = pq.dashboard(s, period_from="2026-10", period_to="2026-10", today=TODAY)
    d = dt.date
    planned = [(w.week_start, w.visits_done, w.visits_planned) for w in board.weekly_visits]
    # The backlog (households overdue or never visited on Oct 1) is planned over one
    # cadence, not all in the first week (performance.planned_by_week).
    # The first week counts from the period's first day (Thursday 1 October), and says so.
    assert planned == [
        (d(2026, 10, 1), 1, 3), (d(2026, 10, 5), 2, 1), (d(2026, 10, 12), 1, 2),
        (d(2026, 10, 19), 1, 1), (d(2026, 10, 26), 0, 1)]
    assert [(c.category, c.status, c.count) for c in board.tickets_by_category] == [
        ("municipal", "assigned", 1), ("policy", "closed", 1), ("sanitation", "accepted", 1)]
    assert [(p.day, p.open, p.overdue) for p in board.overdue_trend] == [
        (d(2026, 10, 4), 1, 0), (d(2026, 10, 11), 2, 0), (d(2026, 10, 18), 2, 2),
        (d(2026, 10, 25), 2, 2), (d(2026, 10, 31), 2, 2)]
    assert [(r.period, r.satisfied, r.basically_satisfied, r.dissatisfied, r.average)
            for r in board.satisfaction] == [("2026-10", 1, 1, 0, 90.0)]
    grids = {g.id: g for g in board.by_grid}
    assert (grids["g1"].households, grids["g1"].visits_done, grids["g1"].visits_due,
            grids["g1"].visits_due_met, grids["g1"].tickets_opened,
            grids["g1"].tickets_resolved, grids["g1"].on_time_rate,
            grids["g1"].avg_satisfaction, grids["g1"].overdue_now) == (
        2, 3, 6, 3, 1, 1, 1.0, 100.0, 1)
    assert (grids["g3"].tickets_resolved, grids["g3"].on_time_rate,
            grids["g3"].overdue_now) == (0, None, 1)
    workers = {w.id: w for w in board.by_worker}
    assert workers["w1"].name == "张伟"
    assert (workers["w1"].households, workers["w1"].visits_done, workers["w1"].visits_due,
            workers["w1"].tickets_resolved, workers["w1"].overdue_now) == (3, 4, 7, 1, 1)
    assert (workers["w2"].visits_done, workers["w2"].avg_satisfaction) == (1, 80.0)
    # A worker's row is the figure of their record over the same days.
    with store.session() as s:
        live = pq.live_figures(s, "w1", "2026-10", TODAY)
    assert (workers["w1"].visits_due, workers["w1"].on_time_rate) == (
        live.visits_due, live.on_time_rate)


def test_dashboard_filters(store: Store) -> None:
    with store.session() as s:
        community = pq.dashboard(s, period_from="2026-10", period_to="2026-10",
                                 community_id="c1", today=TODAY)
        grid = pq.dashboard(s, period_from="2026-10", period_to="2026-10", grid_id="g2",
                            today=TODAY)
        several = pq.dashboard(s, period_from="2026-09", period_to="2026-11", today=TODAY)
        with pytest.raises(PeriodError):
            pq.dashboard(s, period_from="2026-11", period_to="2026-10", today=TODAY)
        with pytest.raises(PeriodError):
            pq.dashboard(s, period_from="2026-10", period_to="2027-01", today=TODAY)
    assert [g.id for g in community.by_grid] == ["g1", "g2"]
    assert {w.id for w in community.by_worker} == {"w1", "w2"}
    assert [g.id for g in grid.by_grid] == ["g2"]
    assert {w.id: w.visits_due for w in grid.by_worker} == {"w1": 1, "w2": 1}
    assert sum(c.count for c in grid.tickets_by_category) == 1
    assert [r.period for r in several.satisfaction] == ["2026-09", "2026-10", "2026-11"]
    assert several.window == Window(dt.date(2026, 9, 1), TODAY)
    assert several.overdue_trend[-1].day == TODAY


def test_dashboard_of_an_empty_store(local_store: Store) -> None:
    with local_store.session() as s:
        board = pq.dashboard(s, period_from="2026-10", period_to="2026-10", today=TODAY)
    assert board.by_grid == () and board.by_worker == () and board.tickets_by_category == ()
    assert all(w.visits_done == w.visits_planned == 0 for w in board.weekly_visits)
    assert perf.FIGURES  # the figure names the export labels
