"""Participation records through the real client (store, outbox, sync engine) and the
real server: a clerk publishes from the desk, a worker enters a household's answers
offline and they sync, a decision's ticket is provisional until the server's arrives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.domain import participation
from gulou_desk.domain.workflows import WorkflowError
from gulou_desk.records import new_id, now
from gulou_desk.store.errors import ValidationFailed
from gulou_desk.store.participation import record_household_answers
from gulou_desk.store.usecases import create_record, run_action, update_record
from tests.world import World

QUESTIONS = [
    {"id": "q1", "kind": "single", "text": "是否赞成？", "options": ["赞成", "不赞成"],
     "required": True},
    {"id": "q2", "kind": "scale", "text": "满意度"},
]


def _publish(clerk: Any, world: World) -> str:
    qid, _ = create_record(clerk.store, "questionnaire", {
        "community_id": world["community"], "grid_ids": [world["gridA"]],
        "title": "加装电梯意愿", "questions": QUESTIONS,
        "closes_at": now() + dt.timedelta(days=3)}, actor=clerk.actor())
    run_action(clerk.store, "questionnaire", qid, "publish", {}, actor=clerk.actor(),
               now=now())
    assert clerk.record("questionnaire", qid)["status"] == "published"  # at once, offline
    return qid


def test_a_worker_enters_answers_offline_and_they_sync(devices: Any, world: World) -> None:
    clerk = devices("clerk1")
    clerk.sync()
    qid = _publish(clerk, world)
    clerk.sync()
    assert clerk.record("questionnaire", qid)["code"] == "问卷1"  # the server's, pulled
    worker = devices("worker1")
    worker.sync()
    # Offline from here: nothing is sent until the next cycle.
    rid, _ = record_household_answers(worker.store, qid, world["hA1"], {"q1": 0, "q2": 5},
                                      channel="visit", actor=worker.actor())
    assert worker.record("questionnaire_response", rid)["answers"] == {"q1": 0, "q2": 5}
    with pytest.raises(ValidationFailed) as bad:
        record_household_answers(worker.store, qid, world["hA2"], {"q2": 5},
                                 channel="visit", actor=worker.actor())
    assert [p.field for p in bad.value.problems] == ["answers.q1"]
    with pytest.raises(ValidationFailed) as outside:
        record_household_answers(worker.store, qid, world["hB1"], {"q1": 1},
                                 channel="visit", actor=worker.actor())
    assert outside.value.problems[0].field == "household_id"
    # Changed their mind before the visit ended: still one response, offline.
    record_household_answers(worker.store, qid, world["hA1"], {"q1": 1},
                             channel="visit", actor=worker.actor())
    worker.sync()
    clerk.sync()
    response = clerk.record("questionnaire_response", rid)
    assert response["answers"] == {"q1": 1}
    assert response["grid_id"] == world["gridA"]
    assert response["entered_by_id"] == world["worker1"]
    assert [h["answers"] for h in response["history"]] == [{"q1": 0, "q2": 5}]
    assert rid == participation.response_id(qid, participation.household_respondent(
        world["hA1"]))
    # Once published, the questions stay as residents saw them.
    with pytest.raises(WorkflowError) as refused:
        update_record(clerk.store, "questionnaire", qid, {"questions": QUESTIONS[:1]},
                      actor=clerk.actor())
    assert (refused.value.code, refused.value.details["field"]) == (
        "invalid_transition", "questions")
    # After closing, the worker's device refuses new answers too.
    run_action(clerk.store, "questionnaire", qid, "close", {}, actor=clerk.actor(),
               now=now())
    clerk.sync()
    worker.sync()
    with pytest.raises(WorkflowError):
        record_household_answers(worker.store, qid, world["hA2"], {"q1": 0},
                                 channel="phone", actor=worker.actor())


def test_answers_the_server_refuses_are_undone_with_the_users_values_kept(
        devices: Any, world: World) -> None:
    clerk = devices("clerk1")
    clerk.sync()
    qid = _publish(clerk, world)
    clerk.sync()
    worker = devices("worker1")
    worker.sync()
    # The clerk closes it; the worker, offline, has not heard and takes answers a minute
    # later (the device cannot know; the server refuses them).
    run_action(clerk.store, "questionnaire", qid, "close", {}, actor=clerk.actor(),
               now=now())
    clerk.sync()
    rid, _ = record_household_answers(worker.store, qid, world["hA1"], {"q1": 0},
                                      channel="visit", actor=worker.actor(),
                                      now=now() + dt.timedelta(minutes=1))
    worker.sync()
    assert worker.record("questionnaire_response", rid) is None
    with worker.store.session() as s:
        from gulou_desk.store.schema import Rejection
        [rejection] = s.query(Rejection).all()
        assert rejection.code == "invalid_transition"
        assert rejection.fields["answers"] == {"q1": 0}


def test_a_decision_creates_a_ticket_provisionally(devices: Any, world: World) -> None:
    clerk = devices("clerk1")
    clerk.sync()
    actor = clerk.actor()
    cid, _ = create_record(clerk.store, "consultation", {
        "community_id": world["community"], "grid_ids": [world["gridA"]],
        "topic": "楼道堆物清理"}, actor=actor)
    for action, args in (("publish", {}), ("decide", {"decision": "统一清理"})):
        run_action(clerk.store, "consultation", cid, action, args, actor=actor, now=now())
    ticket_id = new_id()
    run_action(clerk.store, "consultation", cid, "create_ticket", {
        "ticket_id": ticket_id, "title": "清理3栋楼道堆物", "category": "sanitation",
        "priority": "normal", "grid_id": world["gridA"]}, actor=actor, now=now())
    local = clerk.record("ticket", ticket_id)
    assert local is not None and local["number"] is None and local["source"] == "consultation"
    clerk.sync()
    ticket = clerk.record("ticket", ticket_id)
    assert ticket["number"].startswith("GL")
    consultation = clerk.record("consultation", cid)
    assert consultation["ticket_ids"] == [ticket_id] and consultation["code"] == "协商1"
    assert consultation["stage"] == "decided"
