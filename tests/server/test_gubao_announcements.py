"""Scheduled announcements leave through the outbound queue at their time, once, within
the per-group rate limit; recurring ones come round again. The job's function against
the live server's store (SQLite and PostgreSQL); what the bot is handed over real HTTP.
Once across processes: ``tests/deploy/test_jobs_once.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.records import SHANGHAI, now
from server.announcements import send_due
from server.outbound import PER_GROUP_PER_MINUTE
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

AT = dt.datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _announcement(world: World, name: str, *, grids: tuple[str, ...] = ("gridA",),
                  **values: Any) -> str:
    return world.save("announcement", name, {
        "community_id": world["community"], "grid_ids": [world[g] for g in grids],
        "kind": "notice", "title": name, "text": f"{name}的通知", "recurrence": "none",
        "send_at": AT, "status": "scheduled", "sent_count": 0, "history": [], **values})


def _handed(server: LiveServer) -> list[dict[str, Any]]:
    r = bot_request(server.api, "GET", "/intake/wechat/outbound")
    assert r.status_code == 200, r.text
    messages = list(r.json()["messages"])
    for m in messages:
        bot_request(server.api, "POST", f"/intake/wechat/outbound/{m['id']}/ack")
    return messages


def _data(api: Api, entity: str, record_id: str) -> dict[str, Any]:
    changes, _ = api.pull_all()
    return dict(held(changes)[(entity, record_id)]["data"])


def test_due_announcements_go_once_to_their_groups(live_server: LiveServer,
                                                   world: World) -> None:
    engine = live_server.engine
    one = _announcement(world, "停水")
    everyone = _announcement(world, "全社区", grids=())
    later = _announcement(world, "明天", send_at=AT + dt.timedelta(days=1))
    cancelled = _announcement(world, "取消", status="cancelled")
    assert send_due(engine, AT - dt.timedelta(seconds=1)) == 0
    assert send_due(engine, AT) == 2
    assert send_due(engine, AT + dt.timedelta(minutes=1)) == 0  # once only
    posted = sorted((m["group_id"], m["text"]) for m in _handed(live_server))
    assert posted == [("wx-gridA", "停水的通知"), ("wx-gridA", "全社区的通知"),
                      ("wx-gridB", "全社区的通知"), ("wx-gridC", "全社区的通知")]
    clerk = Api(live_server.api).login("clerk1")
    sent = _data(clerk, "announcement", one)
    assert sent["status"] == "sent" and sent["sent_count"] == 1
    assert sent["history"][-1]["action"] == "sent" and sent["history"][-1]["groups"] == 1
    assert _data(clerk, "announcement", everyone)["history"][-1]["groups"] == 3
    assert _data(clerk, "announcement", later)["status"] == "scheduled"
    assert _data(clerk, "announcement", cancelled)["status"] == "cancelled"


def test_a_weekly_announcement_comes_round_again(live_server: LiveServer,
                                                 world: World) -> None:
    weekly = _announcement(world, "安全提示", recurrence="weekly")
    assert send_due(live_server.engine, AT + dt.timedelta(minutes=5)) == 1
    clerk = Api(live_server.api).login("clerk1")
    data = _data(clerk, "announcement", weekly)
    assert data["status"] == "scheduled" and data["sent_count"] == 1
    assert dt.datetime.fromisoformat(data["send_at"]) == AT + dt.timedelta(days=7)
    assert send_due(live_server.engine, AT + dt.timedelta(days=7)) == 1
    assert len(_handed(live_server)) == 2


def test_a_burst_to_one_group_keeps_the_rate_limit(live_server: LiveServer,
                                                   world: World) -> None:
    for n in range(PER_GROUP_PER_MINUTE + 5):
        _announcement(world, f"通知{n}")
    assert send_due(live_server.engine, AT) == PER_GROUP_PER_MINUTE + 5
    assert len(_handed(live_server)) == PER_GROUP_PER_MINUTE  # the rest waits its minute


def test_a_cancelled_schedule_is_not_sent(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    aid = _announcement(world, "活动", send_at=now() - dt.timedelta(minutes=1))
    [r] = clerk.push(mutation("announcement", aid, "action", action="cancel",
                              args={"reason": "改期"}))
    assert r["status"] == "applied", r
    assert send_due(live_server.engine, now()) == 0
    assert _handed(live_server) == []


def test_a_welcome_message_greets_newcomers_and_is_never_posted_to_everyone(
        live_server: LiveServer, world: World) -> None:
    """A welcome message, scheduled (in force), is what 鼓宝 says to each newcomer
    (``server/welcome.py``); the job posted it to every member of the groups at its send
    time, as if it were a notice (found by a new user's pass). It is left alone."""
    welcome = _announcement(world, "欢迎", grids=(), kind="welcome")
    notice = _announcement(world, "停水")
    assert send_due(live_server.engine, AT + dt.timedelta(minutes=5)) == 1
    assert [m["text"] for m in _handed(live_server)] == ["停水的通知"]
    clerk = Api(live_server.api).login("clerk1")
    kept = _data(clerk, "announcement", welcome)
    assert kept["status"] == "scheduled" and kept["sent_count"] == 0
    assert _data(clerk, "announcement", notice)["status"] == "sent"
