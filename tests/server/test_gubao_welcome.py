"""``POST /intake/wechat/joined``: a newcomer to a group is welcomed with the group's
welcome message (its own, else its community's), @-mentioned, through the outbound
queue; once per event and once per member and group; nothing without a welcome; the
bot's signature; bad bodies refused naming the field. Real HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import requests

from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.server.test_gubao_bot import outbound
from tests.world import World, build_world

SOON = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _welcome(world: World, name: str, text: str, grids: list[str] | None = None,
             status: str = "scheduled") -> None:
    world.save("announcement", name, {
        "community_id": world["community"], "grid_ids": [world[g] for g in grids or []],
        "kind": "welcome", "title": name, "text": text, "send_at": SOON,
        "recurrence": "none", "status": status, "sent_count": 0, "history": []})


def join(server: LiveServer, event: str, *, group: str = "wx-gridA", member: str = "wxid_9",
         name: str = "小王") -> dict[str, Any]:
    body = {"event_id": event, "group_id": group, "member_id": member, "member_name": name}
    r = bot_request(server.api, "POST", "/intake/wechat/joined",
                    json.dumps(body, ensure_ascii=False).encode(), nonce=True)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_newcomer_gets_the_groups_own_welcome_else_the_communitys(
        live_server: LiveServer, world: World) -> None:
    _welcome(world, "every", "欢迎新邻居！有事@鼓宝。")
    _welcome(world, "own", "欢迎加入A区群！物业电话请@鼓宝。", ["gridA"])
    _welcome(world, "draft", "还没定的欢迎语", ["gridB"], status="draft")
    first = join(live_server, "e1")
    assert first["status"] == "welcomed" and first["announcement_id"] == world["own"]
    second = join(live_server, "e2", group="wx-gridB", member="wxid_8", name="")
    assert second["announcement_id"] == world["every"]  # a draft does not greet yet
    posted = {(m["group_id"], m["text"]) for m in outbound(live_server)}
    assert posted == {("wx-gridA", "@小王 欢迎加入A区群！物业电话请@鼓宝。"),
                      ("wx-gridB", "欢迎新邻居！有事@鼓宝。")}


def test_once_per_event_and_once_per_member_and_group(live_server: LiveServer,
                                                      world: World) -> None:
    _welcome(world, "every", "欢迎新邻居！")
    first = join(live_server, "e1")
    again = join(live_server, "e1")
    assert again == {**first, "duplicate": True}
    # Left and joined again (a new event): not welcomed twice; in another group, welcomed.
    assert join(live_server, "e2")["status"] == "already_welcomed"
    assert join(live_server, "e3", group="wx-gridC")["status"] == "welcomed"
    assert len(outbound(live_server)) == 2


def test_nothing_is_queued_without_a_welcome(live_server: LiveServer, world: World) -> None:
    _welcome(world, "cancelled", "不再用的欢迎语", status="cancelled")
    assert join(live_server, "e1")["status"] == "no_welcome"
    # Another community's welcome is not this group's; an unknown group has none.
    assert join(live_server, "e2", group="wx-gridX")["status"] == "no_welcome"
    assert join(live_server, "e3", group="wx-nobody")["status"] == "unrouted"
    assert outbound(live_server) == []
    # Configured later, the same member is welcomed at their next join.
    _welcome(world, "every", "欢迎新邻居！")
    assert join(live_server, "e4")["status"] == "welcomed"


def test_the_event_must_be_signed_and_well_formed(live_server: LiveServer,
                                                  world: World) -> None:
    _welcome(world, "every", "欢迎新邻居！")
    body = json.dumps({"event_id": "e1", "group_id": "wx-gridA", "member_id": "m"}).encode()
    unsigned = requests.post(live_server.api + "/intake/wechat/joined", data=body, timeout=10)
    assert unsigned.status_code == 401
    wrong = bot_request(live_server.api, "POST", "/intake/wechat/joined", body,
                        secret="not-the-secret", nonce=True)
    assert wrong.status_code == 401
    for bad, field in (({"group_id": "wx-gridA", "member_id": "m"}, "event_id"),
                       ({"event_id": "", "group_id": "wx-gridA", "member_id": "m"}, "event_id"),
                       ({"event_id": "e", "group_id": "g" * 65, "member_id": "m"}, "group_id"),
                       ({"event_id": "e", "group_id": "wx-gridA"}, "member_id"),
                       ({"event_id": "e", "group_id": "wx-gridA", "member_id": "m\u0000"},
                        "member_id"),
                       ({"event_id": "e", "group_id": "wx-gridA", "member_id": "m",
                         "member_name": 5}, "member_name"),
                       ({"event_id": "e", "group_id": "wx-gridA", "member_id": "m",
                         "admin": True}, "admin")):
        r = bot_request(live_server.api, "POST", "/intake/wechat/joined",
                        json.dumps(bad).encode(), nonce=True)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["details"]["field"] == field, r.text
    r = bot_request(live_server.api, "POST", "/intake/wechat/joined", b"[1", nonce=True)
    assert r.status_code == 422
    assert outbound(live_server) == []


def test_the_simulator_welcomes_a_newcomer_in_the_demos_opening(
        live_server: LiveServer, world: World) -> None:
    from server.tools.bot_simulator import DEMO_NEWCOMER, BotSimulator, groups_of
    from tests.conftest import WECHAT_SECRET

    _welcome(world, "own", "欢迎加入C区群！", ["gridC"])
    bot = BotSimulator(live_server.url, WECHAT_SECRET, groups_of(live_server.engine), seed=3)
    bot.opening()
    welcomes = [m for m in outbound(live_server) if m["text"].endswith("欢迎加入C区群！")]
    assert [(m["group_id"], m["text"]) for m in welcomes] == [
        ("wx-gridC", f"@{DEMO_NEWCOMER} 欢迎加入C区群！")]
