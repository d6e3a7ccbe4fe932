"""The WeChat group registry over real HTTP: a group nobody mapped is registered by its
first message, its messages wait unrouted, and mapping it to a grid routes them at once
(and the group's later messages too)."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from gulou_desk.records import new_id
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _post(server: LiveServer, group: str, text: str) -> requests.Response:
    body = json.dumps({
        "message_id": str(uuid.uuid4()), "group_id": group, "group_name": "金陵小区3栋群",
        "sender_id": "wxid_q", "sender_name": "老周", "text": text,
        "sent_at": "2026-11-28T09:30:00+08:00", "keyword": "漏水"}, ensure_ascii=False).encode()
    return bot_request(server.api, "POST", "/intake/wechat", body, nonce=True)


def _groups(api: Api) -> dict[str, dict[str, object]]:
    return {c["data"]["group_id"]: {**c["data"], "id": rid}
            for (entity, rid), c in held(api.pull_all()[0]).items()
            if entity == "wechat_group"}


def test_mapping_a_group_routes_its_waiting_messages_at_once(
    live_server: LiveServer, world: World
) -> None:
    first = _post(live_server, "wx-new-7", "楼上漏水到我家了")
    second = _post(live_server, "wx-new-7", "还在漏，谁来看看")
    assert [r.json()["status"] for r in (first, second)] == ["unrouted", "unrouted"]
    admin = Api(live_server.api).login("admin")
    group = _groups(admin)["wx-new-7"]
    assert group["waiting"] == 2 and group["grid_id"] is None
    assert group["name"] == "金陵小区3栋群"
    worker1 = Api(live_server.api).login("worker1")
    _, cursor = worker1.pull_all()
    assert "wx-new-7" not in _groups(Api(live_server.api).login("supervisor1"))

    [mapped] = admin.push(mutation("wechat_group", str(group["id"]), "action", action="map",
                                   args={"grid_id": world["gridA"]}))
    assert mapped["status"] == "applied"
    changes, _ = worker1.pull_all(cursor)
    routed = {c["id"] for c in changes if c["entity"] == "inbox_message"}
    assert routed == {first.json()["id"], second.json()["id"]}
    after = _groups(admin)["wx-new-7"]
    assert after["grid_id"] == world["gridA"] and after["waiting"] == 0
    assert after["community_id"] == world["community"]
    assert "wx-new-7" in _groups(worker1)  # the grid's people see their group
    third = _post(live_server, "wx-new-7", "楼道灯也坏了")
    assert third.json()["status"] == "routed"
    history = admin.get(f"/history/wechat_group/{group['id']}").json()["entries"]
    assert history[-1]["op"] == "map" and history[-1]["staff_id"] == world["admin"]


def test_who_may_map_and_register(live_server: LiveServer, world: World) -> None:
    _post(live_server, "wx-new-8", "小区门口积水")
    admin = Api(live_server.api).login("admin")
    group = str(_groups(admin)["wx-new-8"]["id"])
    for who in ("supervisor1", "clerk1", "worker1"):  # unmapped groups: admins only
        [result] = Api(live_server.api).login(who).push(mutation(
            "wechat_group", group, "action", action="map", args={"grid_id": world["gridA"]}))
        assert result["error"]["code"] == "not_found"
    [nogrid] = admin.push(mutation("wechat_group", group, "action", action="map",
                                   args={"grid_id": new_id()}))
    assert nogrid["error"]["details"]["field"] == "grid_id"
    [made] = admin.push(mutation("wechat_group", new_id(), "create", fields={
        "group_id": "wx-func-1", "name": "汇林绿洲党员群", "kind": "function"}))
    assert made["status"] == "applied"
    [twice] = admin.push(mutation("wechat_group", new_id(), "create", fields={
        "group_id": "wx-func-1"}))
    assert twice["error"]["details"] == {"field": "group_id", "problem": "taken"}
    [by_worker] = Api(live_server.api).login("worker1").push(mutation(
        "wechat_group", new_id(), "create", fields={"group_id": "wx-func-2"}))
    assert by_worker["error"]["code"] == "forbidden"
