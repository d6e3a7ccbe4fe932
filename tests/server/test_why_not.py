"""``workflows.why_not`` agrees with what the server does, for every (state, step, role)
in the workflow tables.

The client's menus ask :func:`~gulou_desk.domain.workflows.why_not` whether to offer a
step; the server's push runs the step functions, which ask it too. This test holds the
two together from the outside: for each entity, each status, each step and each role —
and for each "who" a step depends on (the assignee or not, the record's own worker or
not, a message of the worker's grid or not) — a record is written in that state, the
step is pushed over HTTP as that user with valid arguments, and the server's answer is
compared with ``why_not``'s: applied when it says nothing, otherwise rejected with its
code. Records the user cannot see (scope, which the server checks first) are left out.

SQLite only: the rules are the domain's, the same on either database, and the matrix
is some fifteen hundred pushes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gulou_desk import records
from gulou_desk.domain import performance as perf
from gulou_desk.domain.workflows import TABLES, Actor, why_not
from gulou_desk.records import new_id
from server.database import writer
from server.store import RecordWriter
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

USERS = ("worker1", "clerk1", "supervisor1", "admin")
"""One user of each role (worker1 holds grids A and B)."""


@pytest.fixture
def server_db_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'server.sqlite'}"


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _ticket_args(action: str, world: World) -> dict[str, Any]:
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


def _inbox_args(action: str, world: World) -> dict[str, Any]:
    return {
        "convert": {"ticket_id": new_id(), "title": "路灯不亮", "category": "municipal",
                    "priority": "normal"},
        "link": {"ticket_id": world["tA"]},
        "dismiss": {"reason": "闲聊"},
        "reply": {"text": "收到，马上安排"},
        "restore": {},
    }[action]


def _perf_args(action: str) -> dict[str, Any]:
    return {"submit": {}, "approve": {"score": 90}, "return": {"comment": "走访数不实"},
            "reopen": {"reason": "得分录错"}}[action]


Case = tuple[str, str, dict[str, Any], dict[str, Any]]
"""(entity, action, the record as written, the step's arguments)."""


def _cases(world: World, user: str) -> list[Case]:
    me, other = world[user], world["worker2"]
    now = records.now()
    cases: list[Case] = []
    for status in records.TICKET_STATUSES:
        for action in TABLES["ticket"]:
            for assignee in (me, other):
                cases.append(("ticket", action, {
                    "number": f"W{len(cases):06d}", "title": "路灯坏了",
                    "category": "municipal", "priority": "normal", "status": status,
                    "grid_id": world["gridA"], "assignee_id": assignee,
                    "created_at": now - dt.timedelta(days=1), "due_at": now + dt.timedelta(
                        days=2), "paused_at": now - dt.timedelta(hours=2),
                    "merged_into_id": world["tA"] if status == "merged" else None,
                    "source_message_ids": [], "escalated": False,
                }, _ticket_args(action, world)))
    for status in records.INBOX_STATUSES:
        for action in TABLES["inbox_message"]:
            for grid in ("gridA", "gridC"):
                cases.append(("inbox_message", action, {
                    "source": "wechat", "group_id": f"wx-{grid}", "grid_id": world[grid],
                    "sender_id": "wxid_lao", "sender_name": "老张", "text": "3栋路灯坏了",
                    "sent_at": now - dt.timedelta(hours=1), "status": status,
                    "ticket_id": world["tA"] if status in ("converted", "linked") else None,
                }, _inbox_args(action, world)))
    for month, (status, action, worker) in enumerate(
            (s, a, w) for s in records.PERFORMANCE_STATUSES
            for a in TABLES["performance_record"] for w in (me, other)):
        period = f"20{20 + month // 12}-{month % 12 + 1:02d}"
        cases.append(("performance_record", action, {
            "id": perf.record_id(worker, period), "worker_id": worker, "period": period,
            "figures": {}, "status": status, "history": []}, _perf_args(action)))
    return cases


def _write(world: World, cases: list[Case]) -> list[str]:
    ids: list[str] = []
    with writer(world.engine).begin() as conn:
        out = RecordWriter(conn)
        for entity, _, values, _ in cases:
            rid = str(values.pop("id", None) or new_id())
            out.save(entity, rid, values)
            ids.append(rid)
    return ids


@pytest.mark.parametrize("user", USERS)
def test_why_not_agrees_with_the_server_for_every_state_step_and_role(
        live_server: LiveServer, world: World, user: str) -> None:
    cases = _cases(world, user)
    ids = _write(world, cases)
    api = Api(live_server.api).login(user)
    seen = held(api.pull_all()[0])
    info = api.user
    actor = Actor(id=info["id"], role=info["role"], community_id=info["community_id"],
                  street_id=info["street_id"],
                  grid_ids=frozenset({world["gridA"], world["gridB"]})
                  if info["role"] == "social_worker" else frozenset())
    visible = [(case, rid) for case, rid in zip(cases, ids, strict=True)
               if (case[0], rid) in seen]
    expected: list[str] = []
    batch: list[dict[str, Any]] = []
    for (entity, action, values, args), rid in visible:
        refusal = why_not(action, {"id": rid, **values}, actor, entity=entity)
        expected.append("applied" if refusal is None else refusal.code)
        batch.append(mutation(entity, rid, "action", action=action, args=args))
    answers: list[dict[str, Any]] = []
    for start in range(0, len(batch), 500):
        answers += api.push(*batch[start:start + 500])
    got = ["applied" if a["status"] == "applied" else a["error"]["code"] for a in answers]
    differ = {(case[0], case[2]["status"], case[1], i): (want, have, answer.get("error"))
              for i, ((case, _), want, have, answer)
              in enumerate(zip(visible, expected, got, answers, strict=True)) if want != have}
    assert differ == {}
    # Each kind of answer happened, for each entity this role can see.
    for entity in {case[0] for case, _ in visible}:
        kinds = {want for (case, _), want in zip(visible, expected, strict=True)
                 if case[0] == entity}
        assert "applied" in kinds
        assert kinds - {"applied"}
