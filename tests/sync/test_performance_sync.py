"""Performance records between real desk clients and the real server: the client's live
preview matches the server's official figures, and a supervisor's offline approval of a
record the worker changed meanwhile comes back as a rejection they can see."""

from __future__ import annotations

import datetime as dt

from gulou_desk.domain import performance as perf
from gulou_desk.records import now
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.queries import list_rejections
from gulou_desk.store.usecases import create_record, run_action, update_record
from server.performance import compute_period
from tests.conftest import LiveServer
from tests.world import World

OCTOBER = "2026-10"


def test_the_live_preview_matches_the_servers_figures(devices, world: World,
                                                      live_server: LiveServer) -> None:
    worker, clerk = devices("worker1"), devices("clerk1")
    worker.sync()
    clerk.sync()
    moment = now()
    period = perf.period_of(moment)
    month_start = perf.month_window(period).start
    # Visits recorded on the worker's device (one to each of two households), and a ticket
    # the clerk assigns and the worker accepts and resolves, all through the real use cases.
    for household in ("hA1", "hB1"):
        create_record(worker.store, "visit", {
            "household_id": world[household], "template_id": world["template"],
            "visited_at": max(moment - dt.timedelta(seconds=5), month_start),
            "answers": {"at_home": True}}, actor=worker.actor())
    worker.sync()
    run_action(clerk.store, "ticket", world["tA"], "assign",
               {"assignee_id": world["worker1"]}, actor=clerk.actor(), now=now())
    clerk.sync()
    worker.sync()
    run_action(worker.store, "ticket", world["tA"], "accept", {}, actor=worker.actor(),
               now=now())
    run_action(worker.store, "ticket", world["tA"], "resolve", {"resolution": "已修好"},
               actor=worker.actor(), now=now())
    worker.sync()
    compute_period(live_server.engine, period, now())
    worker.sync()
    with worker.store.session() as s:
        preview = pq.live_figures(s, world["worker1"], period, now().date())
        [record] = [r for r in pq.worker_records(s, world["worker1"]) if r.period == period]
        visits = pq.drill_down(s, record, "visits_done")
        resolved = pq.drill_down(s, record, "tickets_resolved")
    assert record.id == perf.record_id(world["worker1"], period)
    assert record.status == "draft"
    assert record.figures == preview.values()
    assert (record.figures["visits_done"], record.figures["tickets_resolved"]) == (2, 1)
    assert {r.household.household_id for r in visits if isinstance(r, pq.VisitRow)} == {
        world["hA1"], world["hB1"]}
    assert [r.ticket_id for r in resolved if isinstance(r, pq.TicketRow)] == [world["tA"]]


def test_an_offline_approval_of_a_changed_record_is_refused_and_shown(
        devices, world: World, live_server: LiveServer) -> None:
    compute_period(live_server.engine, OCTOBER, now())
    rid = perf.record_id(world["worker1"], OCTOBER)
    worker, sup = devices("worker1"), devices("supervisor1")
    worker.sync()
    update_record(worker.store, "performance_record", rid,
                  {"self_assessment": "10月走访3户，工单全部按时办结。"}, actor=worker.actor())
    run_action(worker.store, "performance_record", rid, "submit", {}, actor=worker.actor(),
               now=now())
    assert worker.sync().applied == 2
    sup.sync()
    with sup.store.session() as s:
        queue = pq.approval_queue(s, world["street"])
    assert [r.id for r in queue] == [rid]
    assert queue[0].self_assessment == "10月走访3户，工单全部按时办结。"
    # The supervisor approves on the train, offline …
    run_action(sup.store, "performance_record", rid, "approve",
               {"score": 90, "comment": "同意"}, actor=sup.actor(), now=now())
    assert sup.record("performance_record", rid)["status"] == "approved"  # optimistic
    # … while the worker changes the self-assessment and syncs first.
    update_record(worker.store, "performance_record", rid,
                  {"self_assessment": "10月走访3户；补充：一户独居老人转介养老服务。"},
                  actor=worker.actor())
    worker.sync()
    report = sup.sync()
    assert report.rejected == 1
    with sup.store.session() as s:
        [rejection] = list_rejections(s)
        queue = pq.approval_queue(s, world["street"])
    assert (rejection.code, rejection.action, rejection.record_id) == ("stale", "approve", rid)
    assert "self_assessment" in rejection.details["fields"]
    assert rejection.args == {"score": 90, "comment": "同意"}  # what they decided, kept
    # The supervisor's copy shows the record as it now is: submitted again, edited.
    [again] = queue
    assert again.status == "submitted" and again.edited_after_submission
    assert again.self_assessment.startswith("10月走访3户；补充")
    assert [h.action for h in again.history] == ["submit", "edited"]
    # A decision on what they now see goes through.
    run_action(sup.store, "performance_record", rid, "approve", {"score": 88},
               actor=sup.actor(), now=now())
    assert sup.sync().applied == 1
    worker.sync()
    final = worker.record("performance_record", rid)
    assert final is not None
    assert (final["status"], final["score"], final["supervisor_id"]) == (
        "approved", 88.0, world["supervisor1"])
    assert [h["action"] for h in final["history"]] == ["submit", "edited", "approve"]
