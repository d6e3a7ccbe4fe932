"""Tickets and the inbox end to end through the sync engine: what the client offers is
what the server accepts, a message becomes a ticket that the grid's worker sees with its
messages and timeline, queues fill as the steps go, and a refused step lands on the
ticket's detail."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from gulou_desk.desk import actor_of
from gulou_desk.domain.workflows import TICKET_TABLE
from gulou_desk.records import now
from gulou_desk.store.inbox_queries import convert_draft
from gulou_desk.store.ticket_queries import Queue, queue_counts, step_states, ticket_detail
from gulou_desk.store.usecases import run_action
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, mutation

STATES: dict[str, dict[str, Any]] = {
    "new": {},
    "returned": {},
    "assigned": {"assignee": True},
    "accepted": {"assignee": True},
    "in_progress": {"assignee": True},
    "waiting": {"assignee": True, "paused": True},
    "resolved": {"assignee": True},
    "closed": {"assignee": True},
    "merged": {"assignee": True},
    "cancelled": {},
}


def _args(action: str, world: World) -> dict[str, Any]:
    return {
        "triage": {"category": "property", "priority": "high"},
        "assign": {"assignee_id": world["worker2"]},
        "escalate": {"body": "催办"},
        "cancel": {"reason": "重复"},
        "merge": {"into_id": world["tA"]},
        "split": {},
        "close": {"satisfaction": "satisfied"},
        "reopen": {"reason": "居民又反映"},
        "approve_extension": {"days": 2},
        "accept": {}, "start": {}, "wait": {"reason": "等居民回来"}, "resume": {},
        "resolve": {"resolution": "已修好"},
        "return": {"reason": "不归我管"},
        "request_extension": {"days": 3, "reason": "等配件"},
        "comment": {"body": "已电话联系"},
    }[action]


@pytest.mark.parametrize("username", ["clerk1", "supervisor1", "worker1", "worker2"])
def test_the_steps_the_client_offers_are_the_ones_the_server_accepts(
        devices: Any, world: World, live_server: LiveServer, username: str) -> None:
    """Every action on a ticket in every state, for each role: the buttons the client
    enables (step_states) are exactly the steps the server applies."""
    paused = now() - dt.timedelta(hours=2)
    tickets: dict[tuple[str, str], str] = {}
    for status, how in STATES.items():
        for action in TICKET_TABLE:
            name = f"{status}-{action}"
            tickets[(status, action)] = world.ticket(
                name, "gridC", status=status, title=name,
                assignee_id=world["worker1"] if how.get("assignee") else None,
                paused_at=paused if how.get("paused") else None,
                due_at=now() + dt.timedelta(days=2),
                merged_into_id=world["tA"] if status == "merged" else None)
    device = devices(username)
    device.sync()
    actor = device.actor()
    offered: dict[tuple[str, str], bool] = {}
    for key, tid in tickets.items():
        record = device.record("ticket", tid)
        # Not in the copy (worker1 holds only grid C tickets assigned to them): no
        # button at all, and the server says not_found.
        offered[key] = record is not None and step_states(
            record, actor, now(), [key[1]])[key[1]].allowed
    api = Api(live_server.api).login(username)
    keys = list(tickets)
    results = api.push(*(mutation("ticket", tickets[k], "action", action=k[1],
                                  args=_args(k[1], world)) for k in keys))
    accepted = {k: r["status"] == "applied" for k, r in zip(keys, results, strict=True)}
    differ = {k: (offered[k], accepted[k], r.get("error"))
              for k, r in zip(keys, results, strict=True) if offered[k] != accepted[k]}
    assert differ == {}
    assert any(accepted.values()) and not all(accepted.values())


def _post(server: LiveServer, text: str, group: str = "wx-gridA",
          sender: str = "老张", keyword: str = "路灯") -> str:
    body = json.dumps({"message_id": str(uuid.uuid4()), "group_id": group,
                       "group_name": "颐和新村1群", "sender_id": f"wxid_{sender}",
                       "sender_name": sender, "text": text,
                       "sent_at": "2026-11-28T09:30:00+08:00", "keyword": keyword},
                      ensure_ascii=False).encode()
    answer = bot_request(server.api, "POST", "/intake/wechat", body)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_messages_become_one_ticket_that_the_grid_worker_follows(
        devices: Any, world: World, live_server: LiveServer) -> None:
    first = _post(live_server, "3栋2单元301室门口的路灯坏了，晚上很黑")
    second = _post(live_server, "3栋路灯不亮好几天了", sender="单丽")
    clerk, worker = devices("clerk1"), devices("worker1")
    clerk.sync()
    with clerk.store.session() as s:
        draft = convert_draft(s, [first, second])
    assert draft is not None and draft.category == "municipal"
    assert [g.id for g in draft.households] == [world["hA1"], world["hA2"]]  # address, name
    ticket_id = str(uuid.uuid4())
    actor = clerk.actor()
    run_action(clerk.store, "inbox_message", first, "convert", {
        "ticket_id": ticket_id, "title": draft.title, "category": draft.category,
        "priority": draft.priority, "household_id": draft.households[0].id,
        "description": draft.description}, actor=actor, now=now())
    run_action(clerk.store, "inbox_message", second, "link", {"ticket_id": ticket_id},
               actor=actor, now=now())
    run_action(clerk.store, "ticket", ticket_id, "assign",
               {"assignee_id": world["worker1"]}, actor=actor, now=now())
    with clerk.store.session() as s:
        here = ticket_detail(s, ticket_id)
    assert here is not None and here.pending
    assert [m.id for m in here.messages] == [first]  # the link is the server's to add
    assert here.ticket["number"] is None  # the server numbers it
    assert clerk.sync().rejected == 0
    with clerk.store.session() as s:
        synced = ticket_detail(s, ticket_id)
    assert synced is not None and not synced.pending
    assert synced.ticket["number"].startswith("GL")  # the pulled ticket was taken
    assert {m.id for m in synced.messages} == {first, second}

    worker.sync()
    with worker.store.session() as s:
        me = actor_of(s, world["worker1"], "social_worker")
        seen = ticket_detail(s, ticket_id)
        counts = queue_counts(s, me, now())
    assert seen is not None and not seen.pending
    assert {m.id for m in seen.messages} == {first, second}
    assert [(e.kind, e.actor_name) for e in seen.events] == [
        ("created", "Clerk1"), ("linked", "Clerk1"), ("assign", "Clerk1")]
    assert seen.events[-1].subject_name == "Worker1"
    assert seen.household is not None and seen.household["id"] == world["hA1"]
    assert seen.ticket["number"].startswith("GL")
    assert counts[Queue.MINE] == 1 and counts[Queue.DUE_TODAY] + counts[Queue.OVERDUE] == 0
    assert step_states(seen.ticket, me, now())["accept"].allowed


def test_a_refused_step_lands_on_the_ticket(devices: Any, world: World) -> None:
    clerk, worker = devices("clerk1"), devices("worker1")
    tid = world["tA"]
    clerk.sync()
    run_action(clerk.store, "ticket", tid, "assign", {"assignee_id": world["worker1"]},
               actor=clerk.actor(), now=now())
    clerk.sync()
    worker.sync()
    # The clerk gives it to worker2 while worker1 accepts offline.
    run_action(clerk.store, "ticket", tid, "assign", {"assignee_id": world["worker2"]},
               actor=clerk.actor(), now=now())
    clerk.sync()
    run_action(worker.store, "ticket", tid, "accept", {}, actor=worker.actor(), now=now())
    report = worker.sync()
    assert report.rejected == 1 and "rejections" in report.changed
    with worker.store.session() as s:
        detail = ticket_detail(s, tid)
    assert detail is not None
    [rejection] = detail.rejections
    assert (rejection.action, rejection.code) == ("accept", "forbidden")
    assert detail.ticket["status"] == "assigned"
    assert detail.ticket["assignee_id"] == world["worker2"]
    assert [e.kind for e in detail.events][-1] == "assign"  # the local accept is gone
