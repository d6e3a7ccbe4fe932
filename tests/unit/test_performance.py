"""Monthly performance figures (gulou_desk/domain/performance.py) on hand-built data.

Tickets are driven through the real workflow steps (``workflows.ticket_step``), so their
``due_at``, pauses and timelines are what the server would store.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest

from gulou_desk.domain import performance as perf
from gulou_desk.domain import sla, workflows
from gulou_desk.domain.performance import DueVisit, PeriodError, Window
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI

W = "worker-w"
V = "worker-v"
CLERK = Actor("clerk-1", "clerk", community_id="c1", street_id="s1")
WORKER = Actor(W, "social_worker", grid_ids=frozenset({"g1"}))
OTHER = Actor(V, "social_worker", grid_ids=frozenset({"g1"}))
OCTOBER = perf.month_window("2026-10")
_ids = itertools.count(1)


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


class Ticket:
    """A ticket driven through the real steps, with its timeline."""

    def __init__(self, category: str, created: dt.datetime, *, priority: str = "normal",
                 creator: Actor = CLERK) -> None:
        self.id = f"t{next(_ids)}"
        self.row: dict[str, Any] = {
            "id": self.id, "assignee_id": None, "satisfaction": None, "paused_at": None,
            **workflows.new_ticket_fields(category, created, priority=priority,
                                          created_by_id=creator.id)}
        self.events: list[dict[str, Any]] = []
        self._event("created", creator.id, created)

    def _event(self, kind: str, actor: str, when: dt.datetime,
               data: dict[str, Any] | None = None, body: str | None = None) -> str:
        eid = f"e{next(_ids)}"
        self.events.append({"id": eid, "ticket_id": self.id, "actor_id": actor, "kind": kind,
                            "body": body, "at": when, "data": data or {}})
        return eid

    def step(self, action: str, actor: Actor, when: dt.datetime, **args: Any) -> str:
        s = workflows.ticket_step(self.row, action, args, actor, when)
        self.row.update(s.changes)
        assert s.event_kind
        return self._event(s.event_kind, actor.id, when, body=s.event_body)

    def handle(self, who: Actor, assigned: dt.datetime, accepted: dt.datetime,
               resolved: dt.datetime) -> str:
        self.step("assign", CLERK, assigned, assignee_id=who.id)
        self.step("accept", who, accepted)
        return self.step("resolve", who, resolved, resolution="修好了")


def figures(window: Window = OCTOBER, *, tickets: list[Ticket] = (),  # type: ignore[assignment]
            worker: str = W, **kw: Any) -> perf.MonthlyFigures:
    return perf.compute_figures(
        worker, window, tickets=[t.row for t in tickets],
        events=[e for t in tickets for e in t.events], **kw)


# --- periods --------------------------------------------------------------------------


def test_periods_and_windows() -> None:
    assert perf.month_window("2026-02") == Window(d(2, 1), d(2, 28))
    assert perf.month_window("2026-12") == Window(d(12, 1), d(12, 31))
    assert perf.month_window("2026-11", d(11, 28)) == Window(d(11, 1), d(11, 28))
    assert perf.month_window("2026-10", d(11, 28)).last == d(10, 31)
    assert perf.periods_between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01",
                                                          "2027-02"]
    assert perf.period_of(dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC)) == "2026-11"
    window = perf.month_window("2026-10")
    assert window.start == at(10, 1, 0) and window.end == at(11, 1, 0)
    assert window.holds(at(10, 31, 23, 59)) and not window.holds(at(11, 1, 0))


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "26-10", "2026/10", "", "abcd-ef",
                                 "1999-05"])
def test_malformed_period_is_refused_with_a_code(bad: str) -> None:
    with pytest.raises(PeriodError) as err:
        perf.month_window(bad)
    assert err.value.code == "invalid_period"


def test_a_month_that_has_not_begun_is_refused() -> None:
    with pytest.raises(PeriodError) as err:
        perf.month_window("2026-12", d(11, 28))
    assert err.value.code == "future_period"


def test_record_ids_are_deterministic_per_worker_and_period() -> None:
    a = perf.record_id(W, "2026-10")
    assert a == perf.record_id(W, "2026-10")
    assert len({a, perf.record_id(W, "2026-11"), perf.record_id(V, "2026-10")}) == 3
    with pytest.raises(PeriodError):
        perf.record_id(W, "October")


# --- visits due -----------------------------------------------------------------------


def due_days(visit_days: list[dt.date], cadence: int, window: Window = OCTOBER
             ) -> list[tuple[dt.date, dt.date | None]]:
    return [(x.due_on, x.met_on) for x in perf.household_due("h", visit_days, cadence, window)]


def test_weekly_household_visited_every_week_is_due_five_times_and_all_met() -> None:
    days = [d(9, 24), d(10, 1), d(10, 8), d(10, 15), d(10, 22), d(10, 29)]
    assert due_days(days, 7) == [(d(10, 1), d(10, 1)), (d(10, 8), d(10, 8)),
                                 (d(10, 15), d(10, 15)), (d(10, 22), d(10, 22)),
                                 (d(10, 29), d(10, 29))]


def test_weekly_household_left_alone_misses_a_visit_every_week() -> None:
    assert due_days([d(9, 24)], 7) == [(d(10, day), None) for day in (1, 8, 15, 22, 29)]


def test_a_late_visit_meets_what_was_due_and_restarts_the_clock() -> None:
    # Due Oct 1, visited Oct 10 (more than a week late: Oct 1 missed, Oct 8 met late),
    # then due again a week after the visit.
    assert due_days([d(9, 24), d(10, 10)], 7) == [
        (d(10, 1), None), (d(10, 8), d(10, 10)), (d(10, 17), None), (d(10, 24), None),
        (d(10, 31), None)]


def test_an_early_visit_is_due_nothing_and_restarts_the_clock() -> None:
    # 30-day cadence, last visit Sep 20: due Oct 20; visited early on Oct 5 → next due
    # Nov 4, so nothing is due in October.
    assert due_days([d(9, 20), d(10, 5)], 30) == []
    assert due_days([d(9, 20)], 30) == [(d(10, 20), None)]


def test_overdue_or_never_visited_household_is_due_on_day_one() -> None:
    assert due_days([], 90) == [(d(10, 1), None)]
    assert due_days([d(3, 1)], 90) == [(d(10, 1), None)]
    assert due_days([d(3, 1), d(10, 20)], 90) == [(d(10, 1), d(10, 20))]


def test_the_current_month_counts_only_up_to_today() -> None:
    window = perf.month_window("2026-10", d(10, 16))
    assert due_days([d(9, 24)], 7, window) == [(d(10, 1), None), (d(10, 8), None),
                                               (d(10, 15), None)]


def test_due_visits_over_households() -> None:
    households = [
        {"id": "alone", "grid_id": "g1", "tags": ["独居老人"], "status": "active",
         "last_visit_at": at(10, 22)},
        {"id": "dibao", "grid_id": "g1", "tags": ["低保"], "status": "active",
         "visit_cadence_days": None, "last_visit_at": at(9, 10),
         "previous_visit_at": None},
        {"id": "own", "grid_id": "g1", "tags": ["低保"], "visit_cadence_days": 90,
         "status": "active", "last_visit_at": at(9, 10)},
        {"id": "gone", "grid_id": "g1", "tags": [], "status": "moved_out"},
        {"id": "other-grid", "grid_id": "g2", "tags": [], "status": "active"},
        {"id": "paper", "grid_id": "g1", "tags": [], "status": "active",
         "last_visit_at": at(11, 3), "previous_visit_at": at(8, 1)},
    ]
    visits = [
        # Visits by anyone meet what is due: the colleague's visit of Oct 1 too.
        {"id": "v1", "household_id": "alone", "worker_id": V, "visited_at": at(10, 1)},
        {"id": "v0", "household_id": "alone", "worker_id": W, "visited_at": at(9, 24)},
        {"id": "v2", "household_id": "alone", "worker_id": W, "visited_at": at(10, 15)},
    ]
    due = perf.due_visits(households, visits, OCTOBER, grid_ids={"g1"})
    by_household: dict[str, list[DueVisit]] = {}
    for x in due:
        by_household.setdefault(x.household_id, []).append(x)
    # 独居老人 every 7 days: Oct 1 (met by the colleague), Oct 8 (missed: the next visit
    # came a whole week later, and meets the Oct 15 one), Oct 22 (met by last_visit_at, a
    # visit without a record here), Oct 29 (missed).
    assert [(x.due_on, x.met_on) for x in by_household["alone"]] == [
        (d(10, 1), d(10, 1)), (d(10, 8), None), (d(10, 15), d(10, 15)),
        (d(10, 22), d(10, 22)), (d(10, 29), None)]
    assert [x.due_on for x in by_household["dibao"]] == [d(10, 10)]  # 低保: 30 days
    assert "own" not in by_household  # its own cadence (90 days) wins over the tag's
    assert "gone" not in by_household and "other-grid" not in by_household
    # The paper household: last known visit before October Aug 1 (looked up by the
    # caller), 90 days → due Oct 30.
    assert [x.due_on for x in by_household["paper"]] == [d(10, 30)]
    assert [x.due_on for x in due] == sorted(x.due_on for x in due)


def test_visits_done_and_key_visits_are_the_workers_own_in_the_window() -> None:
    households = [
        {"id": "alone", "grid_id": "g1", "tags": ["独居老人"], "status": "active"},
        {"id": "veteran", "grid_id": "g1", "tags": ["退役军人"], "status": "active"},
        {"id": "plain", "grid_id": "g9", "tags": [], "status": "active"},
    ]
    visits = [
        {"id": "a", "household_id": "alone", "worker_id": W, "visited_at": at(10, 3)},
        {"id": "b", "household_id": "veteran", "worker_id": W, "visited_at": at(10, 2)},
        # Outside their grids still counts as done.
        {"id": "c", "household_id": "plain", "worker_id": W, "visited_at": at(10, 9)},
        {"id": "colleague", "household_id": "alone", "worker_id": V, "visited_at": at(10, 4)},
        # 23:30 on Oct 31 in Nanjing is October; 00:30 on Nov 1 is not (in UTC both are
        # Oct 31).
        {"id": "late", "household_id": "alone", "worker_id": W,
         "visited_at": dt.datetime(2026, 10, 31, 15, 30, tzinfo=dt.UTC)},
        {"id": "next", "household_id": "alone", "worker_id": W,
         "visited_at": dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC)},
        {"id": "text", "household_id": "alone", "worker_id": W,
         "visited_at": "2026-09-30T23:59:00+08:00"},
    ]
    f = perf.compute_figures(W, OCTOBER, households=households, visits=visits,
                             grid_ids={"g1"})
    assert f.visit_ids == ("b", "a", "c", "late")
    assert f.visits_done == 4
    assert f.key_visit_ids == ("a", "late")  # 退役军人 alone is not a key tag
    assert f.basis("visits_done") == perf.Basis("visit", ("b", "a", "c", "late"))
    assert f.basis("visits_due").entity == "household"
    assert f.visit_households["c"] == "plain"


# --- tickets: SLA, pauses, holidays ------------------------------------------------------


def test_sla_over_national_day_counts_working_days() -> None:
    # Municipal: 5 working days. Opened Wednesday Sep 30, 10:00: Oct 1-7 are National Day
    # holidays, Oct 8, 9, Saturday Oct 10 (a make-up workday), 12 and 13 are worked →
    # due Tuesday Oct 13, 10:00.
    created = at(9, 30)
    assert sla.due_at("municipal", created) == at(10, 13)
    on_time = Ticket("municipal", created)
    on_time.handle(WORKER, at(9, 30, 11), at(9, 30, 14), at(10, 12, 16))
    late = Ticket("municipal", created)
    late.handle(WORKER, at(9, 30, 11), at(9, 30, 15), at(10, 13, 11))
    f = figures(tickets=[on_time, late])
    assert f.tickets_resolved == 2
    by_ticket = {r.ticket_id: r for r in f.resolved}
    assert by_ticket[on_time.id].on_time is True  # 12 calendar days, still on time
    assert by_ticket[on_time.id].due_at == at(10, 13)
    assert by_ticket[late.id].on_time is False
    assert f.on_time_rate == 0.5 and f.tickets_on_time == 1


def test_a_pause_on_the_resident_moves_the_due_time() -> None:
    # Sanitation: 3 working days from Monday Oct 12 → due Thursday Oct 15. Waiting on the
    # resident from Tuesday Oct 13 to Friday Oct 16 (3 working days) → due Tuesday Oct 20.
    t = Ticket("sanitation", at(10, 12))
    t.step("assign", CLERK, at(10, 12, 11), assignee_id=W)
    t.step("accept", WORKER, at(10, 12, 12))
    t.step("wait", WORKER, at(10, 13), reason="居民出差")
    t.step("resume", WORKER, at(10, 16))
    assert t.row["due_at"] == at(10, 20)
    t.step("resolve", WORKER, at(10, 19, 15), resolution="已清理")
    f = figures(tickets=[t])
    assert [(r.due_at, r.on_time) for r in f.resolved] == [(at(10, 20), True)]


def test_the_due_time_at_resolution_is_rebuilt_when_the_ticket_changed_after() -> None:
    # The paused ticket above, resolved on time, then the follow-up call finds the resident
    # dissatisfied (发回重办): due_at is now a fresh SLA from the call, but the October
    # resolution was on time against the due time of that moment.
    t = Ticket("sanitation", at(10, 12))
    t.step("assign", CLERK, at(10, 12, 11), assignee_id=W)
    t.step("accept", WORKER, at(10, 12, 12))
    t.step("wait", WORKER, at(10, 13), reason="居民出差")
    t.step("resume", WORKER, at(10, 16))
    t.step("resolve", WORKER, at(10, 19, 15), resolution="已清理")
    t.step("close", CLERK, at(10, 21), satisfaction="dissatisfied")
    t.step("accept", WORKER, at(10, 21, 12))
    t.step("resolve", WORKER, at(10, 28, 9), resolution="再次清理")  # fresh SLA: Oct 26
    assert t.row["due_at"] == at(10, 26)
    f = figures(tickets=[t])
    assert [(r.due_at, r.on_time) for r in f.resolved] == [
        (at(10, 20), True), (at(10, 26), False)]
    assert f.tickets_resolved == 2  # resolved twice: worked twice


def test_extension_and_event_data_move_the_due_time() -> None:
    t = Ticket("policy", at(10, 12))  # 2 working days → Oct 14
    t.step("assign", CLERK, at(10, 12, 11), assignee_id=W)
    t.step("accept", WORKER, at(10, 12, 12))
    t.step("request_extension", WORKER, at(10, 13), days=3, reason="需要街道答复")
    sup = Actor("sup", "supervisor", street_id="s1")
    t.step("approve_extension", sup, at(10, 13, 15), days=3)  # → Oct 19
    t.step("resolve", WORKER, at(10, 16), resolution="已答复")
    t.step("reopen", CLERK, at(10, 20), reason="居民追问")
    t.step("accept", WORKER, at(10, 20, 11))
    t.step("resolve", WORKER, at(10, 21), resolution="再次答复")
    f = figures(tickets=[t])
    # Rebuilt: the approved days come from the request (the event body has no days).
    assert [r.due_at for r in f.resolved] == [at(10, 19), at(10, 22)]
    # When the server wrote the due time into the event's data, that is taken as is.
    approve = next(e for e in t.events if e["kind"] == "approve_extension")
    approve["data"] = {"due_at": "2026-10-15T10:00:00+08:00"}
    f = figures(tickets=[t])
    assert (f.resolved[0].due_at, f.resolved[0].on_time) == (at(10, 15), False)


def test_a_ticket_without_due_at_gets_its_category_sla() -> None:
    t = Ticket("municipal", at(9, 30))
    t.handle(WORKER, at(9, 30, 11), at(9, 30, 12), at(10, 12))
    t.row["due_at"] = None
    assert [r.due_at for r in figures(tickets=[t]).resolved] == [at(10, 13)]
    unknown = figures(tickets=[])  # the timeline without its ticket: time unknown
    assert unknown.on_time_rate is None
    f = perf.compute_figures(W, OCTOBER, tickets=[], events=[
        {**e, "kind": e["kind"]} for e in t.events if e["kind"] != "created"])
    assert [r.on_time for r in f.resolved] == [None] and f.on_time_rate is None


def test_only_the_workers_resolutions_in_the_window_count() -> None:
    mine = Ticket("municipal", at(9, 20))
    mine.handle(WORKER, at(9, 20, 11), at(9, 20, 12), at(9, 29))  # September
    theirs = Ticket("municipal", at(10, 5))
    theirs.handle(OTHER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    counted = Ticket("municipal", at(10, 5))
    counted.handle(WORKER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    f = figures(tickets=[mine, theirs, counted])
    assert [r.ticket_id for r in f.resolved] == [counted.id]
    assert f.basis("tickets_resolved") == perf.Basis("ticket", (counted.id,))


# --- satisfaction and acceptance --------------------------------------------------------


def test_average_satisfaction_of_follow_ups_on_the_workers_resolutions() -> None:
    satisfied = Ticket("municipal", at(10, 5))
    satisfied.handle(WORKER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    satisfied.step("close", CLERK, at(10, 10), satisfaction="satisfied")
    basic = Ticket("municipal", at(10, 5))
    basic.handle(WORKER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    basic.step("close", CLERK, at(10, 10), satisfaction="basically_satisfied")
    unhappy = Ticket("municipal", at(10, 5))
    unhappy.handle(WORKER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    unhappy.step("close", CLERK, at(10, 10), satisfaction="dissatisfied")  # 发回重办
    # Resolved by the colleague: not the worker's satisfaction.
    theirs = Ticket("municipal", at(10, 5))
    theirs.handle(OTHER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    theirs.step("close", CLERK, at(10, 10), satisfaction="dissatisfied")
    # Resolved in September, called in October: October's satisfaction.
    called_later = Ticket("municipal", at(9, 20))
    called_later.handle(WORKER, at(9, 20, 11), at(9, 20, 12), at(9, 29))
    called_later.step("close", CLERK, at(10, 8), satisfaction="satisfied")
    f = figures(tickets=[satisfied, basic, unhappy, theirs, called_later])
    assert sorted(x.score for x in f.follow_ups) == [0.0, 80.0, 100.0, 100.0]
    assert f.avg_satisfaction == 70.0
    assert set(f.basis("avg_satisfaction").ids) == {satisfied.id, basic.id, unhappy.id,
                                                    called_later.id}


def test_a_close_that_was_reopened_needs_the_satisfaction_in_its_data() -> None:
    t = Ticket("municipal", at(10, 5))
    t.handle(WORKER, at(10, 8, 11), at(10, 8, 12), at(10, 9))
    t.step("close", CLERK, at(10, 10), satisfaction="basically_satisfied")
    t.step("reopen", CLERK, at(10, 12), reason="又坏了")
    # Without data the close's satisfaction is gone from the ticket: not counted.
    assert figures(tickets=[t]).follow_ups == ()
    close = next(e for e in t.events if e["kind"] == "close")
    close["data"] = {"satisfaction": "basically_satisfied"}
    assert figures(tickets=[t]).avg_satisfaction == 80.0


def test_median_time_to_accept_from_the_latest_hand_over() -> None:
    a = Ticket("municipal", at(10, 5))
    a.step("assign", CLERK, at(10, 8, 9), assignee_id=W)
    a.step("escalate", CLERK, at(10, 8, 10))  # not a hand-over
    a.step("accept", WORKER, at(10, 8, 11))  # 2 h
    b = Ticket("municipal", at(10, 5))
    b.handle(WORKER, at(10, 6, 9), at(10, 6, 9, 30), at(10, 7))
    b.step("reopen", CLERK, at(10, 9, 9), reason="未修好")
    b.step("accept", WORKER, at(10, 9, 14))  # 5 h after the reopen
    c = Ticket("municipal", at(10, 12), creator=WORKER)  # a worker's own: created assigned
    c.row.update(status="assigned", assignee_id=W)
    c.step("accept", WORKER, at(10, 12, 11))  # 1 h
    f = figures(tickets=[a, b, c])
    assert sorted(round(x.hours, 2) for x in f.acceptances) == [0.5, 1.0, 2.0, 5.0]
    assert f.median_accept_hours == 1.5
    assert f.basis("median_accept_hours").ids == (b.id, a.id, c.id)


def test_no_data_gives_none_rates() -> None:
    f = perf.compute_figures(W, OCTOBER)
    assert f.values() == {"visits_done": 0, "visits_due": 0, "key_visits": 0,
                          "tickets_resolved": 0, "on_time_rate": None,
                          "avg_satisfaction": None, "median_accept_hours": None}
    assert f.suggested_score() == 100.0


# --- score and stored form ---------------------------------------------------------------


def test_suggested_score_weights() -> None:
    """The visit part is the due visits done (按期走访 ÷ 应访), the one completion rate."""
    full = {"visits_done": 30, "visits_due": 10, "visits_due_met": 8, "on_time_rate": 0.5,
            "avg_satisfaction": 90.0}
    assert perf.suggested_score(full) == round(60 + 25 * 0.8 + 10 * 0.5 + 5 * 0.9, 1)
    # No tickets: the visits carry the whole weight.
    assert perf.suggested_score({"visits_due": 10, "visits_due_met": 8}) == 92.0
    # Nothing due counts as done.
    assert perf.suggested_score({"visits_done": 3, "visits_due": 0,
                                 "visits_due_met": 0}) == 100.0
    assert perf.suggested_score({"visits_due": 0, "on_time_rate": 0.0}) == round(
        60 + 40 * 25 / 35, 1)


def test_stored_figures_read_back_the_same() -> None:
    t = Ticket("municipal", at(9, 30))
    t.handle(WORKER, at(9, 30, 11), at(9, 30, 14), at(10, 12, 16))
    t.step("close", CLERK, at(10, 14), satisfaction="satisfied")
    households = [{"id": "h1", "grid_id": "g1", "tags": ["独居老人"], "status": "active",
                   "last_visit_at": at(10, 15)}]
    visits = [{"id": "v1", "household_id": "h1", "worker_id": W, "visited_at": at(10, 15)}]
    f = figures(tickets=[t], households=households, visits=visits)
    stored = f.to_record(at(11, 1, 2))
    assert {k: stored[k] for k in perf.FIGURES} == f.values()
    assert stored["through"] == "2026-10-31" and stored["method"] == perf.METHOD
    assert stored["suggested_score"] == f.suggested_score()
    assert stored["computed_at"] == "2026-11-01T02:00:00+08:00"
    back = perf.MonthlyFigures.from_record(W, "2026-10", json.loads(json.dumps(stored)))
    assert back is not None
    assert back.values() == f.values()
    assert back.due == f.due and back.resolved == f.resolved
    assert back.follow_ups == f.follow_ups and back.acceptances == f.acceptances
    for name in perf.FIGURES:
        assert back.basis(name) == f.basis(name)
    assert perf.figures_equal(stored, f.to_record(at(11, 2)))
    assert not perf.figures_equal(stored, {**stored, "visits_done": 2})


@pytest.mark.parametrize("stored", [
    None, {}, {"visits_done": 3},  # demo data: figures without a basis
    {"basis": {"visits_due": [["h1", "not a date", None]]}},
    {"basis": {"avg_satisfaction": [["e", "t", "2026-10-01T10:00:00+08:00", "so-so"]]}},
])
def test_figures_without_a_readable_basis_read_as_none(stored: dict[str, Any] | None) -> None:
    assert perf.MonthlyFigures.from_record(W, "2026-10", stored) is None


def test_events_of_the_same_second_count_alike_on_server_and_client() -> None:
    # The server holds microseconds, a client's copy whole seconds (the wire's); quick
    # steps in one second must order and count the same on both.
    t = Ticket("municipal", at(10, 5))
    t.step("assign", CLERK, at(10, 8, 9).replace(microsecond=100), assignee_id=W)
    t.step("accept", WORKER, at(10, 8, 9).replace(microsecond=900))
    t.step("resolve", WORKER, at(10, 8, 9).replace(microsecond=950), resolution="好")
    server = figures(tickets=[t])
    wire = [{**e, "at": e["at"].replace(microsecond=0)} for e in t.events]
    client = perf.compute_figures(W, OCTOBER, tickets=[t.row], events=wire[::-1])
    assert server.values() == client.values()
    assert client.median_accept_hours == 0.0 and client.tickets_resolved == 1


# --- the weekly plan ----------------------------------------------------------------------


def test_the_weekly_plan_spreads_the_backlog_over_one_cadence_not_into_week_one() -> None:
    """A quarter's dashboard over 130 households never visited (90 days) and 10 weekly
    ones visited the day before it began: the backlog is planned over the first 90 days;
    the weekly households stay on their due days."""
    window = Window(d(10, 1), d(12, 31))
    households: dict[str, dict[str, Any]] = {
        f"h{i:03d}": {"id": f"h{i:03d}", "tags": [], "visit_cadence_days": None,
                      "last_visit_at": None, "status": "active", "grid_id": "g1"}
        for i in range(130)}
    for i in range(10):
        households[f"w{i}"] = {"id": f"w{i}", "tags": ["独居老人"], "visit_cadence_days": None,
                               "last_visit_at": at(9, 30), "status": "active",
                               "grid_id": "g1"}
    due = perf.due_visits(households.values(), [], window)
    old_week_one = sum(1 for x in due if x.due_on < d(10, 5))
    plan = perf.planned_by_week(due, households, window)
    assert sum(plan.values()) == len(due)
    weeks = sorted(plan)
    assert weeks[0] == d(9, 28)  # the Monday of the window's first week
    # Before: every never-visited household in week one (the weekly ones are due 10/7).
    assert old_week_one == 130
    # Now: the 130 spread over the first 90 days (about 10 a week), the weekly ones
    # every week from 10/5 on; nothing planned a second time before day 91 (12/30).
    spread = {w: n for w, n in plan.items() if w < d(12, 28)}
    assert plan[d(9, 28)] <= 130 * 7 // 90 + 1  # four days of that week are in the window
    assert all(10 + 7 <= n <= 10 + 11 for w, n in spread.items() if w >= d(10, 5))
    assert sum(spread.values()) == 128 + 10 * 12  # 2 of the 130 fall in the last week
    # The last week: a weekly due, those 2, and the second round of the 90-day ones.
    assert plan[d(12, 28)] == 10 + 2 + 130


def test_a_household_due_on_the_first_day_itself_is_not_a_backlog() -> None:
    window = OCTOBER
    h = {"id": "h1", "tags": [], "visit_cadence_days": 30, "last_visit_at": at(9, 1),
         "status": "active", "grid_id": "g1"}
    due = perf.due_visits([h], [], window)
    assert [x.due_on for x in due] == [d(10, 1), d(10, 31)]
    assert perf.planned_by_week(due, {"h1": h}, window) == {d(9, 28): 1, d(10, 26): 1}
