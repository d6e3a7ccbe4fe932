"""Unmapped groups proposed to the community their name names (issue 18 item 3): the
community's clerk sees the group and its waiting messages, maps it in one step to a grid
of the community or to the community as a whole (the messages are routed in the same
pull), or says it is not theirs (back to the admins). Over real HTTP."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from gulou_desk.domain import group_places
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    w.staff("clerk2", "clerk", community="community2", street="street2")
    return w


def _post(server: LiveServer, group: str, name: str, text: str) -> requests.Response:
    body = json.dumps({
        "message_id": str(uuid.uuid4()), "group_id": group, "group_name": name,
        "sender_id": "wxid_q", "sender_name": "老周", "text": text,
        "sent_at": "2026-11-28T09:30:00+08:00", "keyword": ""}, ensure_ascii=False).encode()
    return bot_request(server.api, "POST", "/intake/wechat", body, nonce=True)


def _held(api: Api, entity: str, cursor: str | None = None) -> dict[str, dict[str, object]]:
    changes, _ = api.pull_all(cursor)
    return {rid: {**c["data"], "id": rid} for (e, rid), c in held(changes).items()
            if e == entity}


def _group(api: Api, group_id: str) -> dict[str, object]:
    return next(g for g in _held(api, "wechat_group").values() if g["group_id"] == group_id)


def _map(api: Api, record: object, **args: object) -> dict[str, object]:
    [result] = api.push(mutation("wechat_group", str(record), "action", action="map",
                                 args=args))
    return result


def test_the_name_proposes_a_community_else_a_street() -> None:
    communities = [group_places.Place("c1", "汇林绿洲社区", "s1"),
                   group_places.Place("c2", "龙江社区", "s1"),
                   group_places.Place("c3", "龙江新村社区", "s1")]
    streets = [group_places.Place("s1", "江东街道"), group_places.Place("s2", "宁海路街道")]
    assert group_places.propose("汇林绿洲3栋业主群", communities, streets) == \
        group_places.Proposal("c1", "s1")
    assert group_places.propose("龙江新村二期群", communities, streets).community_id == "c3"
    assert group_places.propose("宁海路街道志愿者", communities, streets) == \
        group_places.Proposal(None, "s2")
    assert group_places.propose("金陵小区3栋群", communities, streets) == \
        group_places.Proposal(None, None)
    assert group_places.propose(None, communities, streets) == group_places.Proposal(None, None)


def test_a_clerk_maps_a_group_proposed_to_their_community_to_a_grid(
    live_server: LiveServer, world: World
) -> None:
    first = _post(live_server, "wx-hl-3", "汇林绿洲3栋业主群", "3栋电梯又停了")
    second = _post(live_server, "wx-hl-3", "汇林绿洲3栋业主群", "电梯还没修好")
    assert [r.json().get("status", r.text) for r in (first, second)] == ["unrouted", "unrouted"]
    clerk = Api(live_server.api).login("clerk1")
    changes, cursor = clerk.pull_all()
    group = _group(clerk, "wx-hl-3")
    assert group["proposed_community_id"] == world["community"]
    assert group["proposed_street_id"] == world["street"] and group["waiting"] == 2
    waiting = {rid for (e, rid) in held(changes) if e == "inbox_message"
               and held(changes)[(e, rid)]["data"]["group_id"] == "wx-hl-3"}
    assert waiting == {first.json()["id"], second.json()["id"]}  # the clerk sees them
    worker = Api(live_server.api).login("worker1")
    _, worker_cursor = worker.pull_all()
    assert "wx-hl-3" not in {g["group_id"] for g in _held(worker, "wechat_group").values()}
    assert "wx-hl-3" in {g["group_id"] for g in _held(
        Api(live_server.api).login("supervisor1"), "wechat_group").values()}
    clerk2 = Api(live_server.api).login("clerk2")
    assert "wx-hl-3" not in {g["group_id"] for g in _held(clerk2, "wechat_group").values()}

    # The clerk of another community cannot see it, so cannot map it.
    assert _map(clerk2, group["id"], grid_id=world["gridX"])["error"]["code"] == "not_found"
    # Not a grid of the clerk's community (one of another street): refused naming grid_id.
    wrong = _map(clerk, group["id"], grid_id=world["gridX"])
    assert wrong["error"]["code"] == "forbidden"
    assert wrong["error"]["details"]["field"] == "grid_id"
    other = _map(clerk, group["id"], community_id=world["community2"])
    assert other["error"]["details"]["field"] == "community_id"
    neither = _map(clerk, group["id"])
    assert neither["error"]["details"]["field"] == "grid_id"
    # Hostile values are refused naming their field, never a server error.
    for args, field in (({"grid_id": 123}, "grid_id"), ({"grid_id": ["x"]}, "grid_id"),
                        ({"community_id": {"id": "x"}}, "community_id"),
                        ({"grid_id": world["gridA"], "community_id": world["community"]},
                         "grid_id")):
        refused = _map(clerk, group["id"], **args)
        assert refused["status"] == "rejected", args
        assert refused["error"]["details"]["field"] == field, args

    assert _map(clerk, group["id"], grid_id=world["gridA"])["status"] == "applied"
    routed = _held(clerk, "inbox_message", cursor)
    assert {first.json()["id"], second.json()["id"]} <= set(routed)
    assert {routed[m]["grid_id"] for m in (first.json()["id"], second.json()["id"])} == \
        {world["gridA"]}
    # In the same pull, the grid's worker receives the messages and the group.
    worker_changes = _held(worker, "inbox_message", worker_cursor)
    assert {first.json()["id"], second.json()["id"]} <= set(worker_changes)
    after = _group(Api(live_server.api).login("admin"), "wx-hl-3")
    assert after["grid_id"] == world["gridA"] and after["waiting"] == 0
    assert after["proposed_community_id"] is None
    assert _post(live_server, "wx-hl-3", "汇林绿洲3栋业主群", "谢谢").json()["status"] == "routed"
    # Mapped once, a clerk cannot move it again.
    again = _map(clerk, group["id"], grid_id=world["gridB"])
    assert again["error"]["code"] == "forbidden"
    admin = Api(live_server.api).login("admin")
    history = admin.get(f"/history/wechat_group/{group['id']}").json()["entries"]
    assert history[-1]["op"] == "map" and history[-1]["staff_id"] == world["clerk1"]


def test_a_clerk_maps_a_function_group_to_the_whole_community(
    live_server: LiveServer, world: World
) -> None:
    message = _post(live_server, "wx-hl-fn", "汇林绿洲社区志愿者群", "周六的活动几点集合？")
    clerk = Api(live_server.api).login("clerk1")
    group = _group(clerk, "wx-hl-fn")
    assert _map(clerk, group["id"], community_id=world["community"])["status"] == "applied"
    mapped = _group(clerk, "wx-hl-fn")
    assert mapped["community_id"] == world["community"] and mapped["kind"] == "function"
    routed = _held(clerk, "inbox_message")[message.json()["id"]]
    assert routed["community_id"] == world["community"] and routed["grid_id"] is None
    later = _post(live_server, "wx-hl-fn", "汇林绿洲社区志愿者群", "收到")
    assert later.json()["status"] == "routed"
    assert _held(clerk, "inbox_message")[later.json()["id"]]["community_id"] == \
        world["community"]
    assert _group(clerk, "wx-hl-fn")["waiting"] == 0


def test_not_ours_sends_the_group_back_to_the_admins(
    live_server: LiveServer, world: World
) -> None:
    message = _post(live_server, "wx-hl-9", "汇林绿洲旁边的商铺群", "门口能停车吗")
    clerk = Api(live_server.api).login("clerk1")
    group = _group(clerk, "wx-hl-9")
    [declined] = clerk.push(mutation("wechat_group", str(group["id"]), "action",
                                     action="decline", args={}))
    assert declined["status"] == "applied"
    held_now = _held(clerk, "wechat_group")
    assert "wx-hl-9" not in {g["group_id"] for g in held_now.values()}
    assert message.json()["id"] not in _held(clerk, "inbox_message")
    admin = Api(live_server.api).login("admin")
    back = _group(admin, "wx-hl-9")
    assert back["proposed_community_id"] is None and back["grid_id"] is None
    assert _held(admin, "inbox_message")[message.json()["id"]]["community_id"] is None
    [twice] = admin.push(mutation("wechat_group", str(group["id"]), "action",
                                  action="decline", args={}))
    assert twice["error"]["code"] == "invalid_transition"


def test_a_group_naming_only_a_street_goes_to_its_supervisors(
    live_server: LiveServer, world: World
) -> None:
    _post(live_server, "wx-street", "湖南路街道志愿服务群", "报名")
    supervisor = Api(live_server.api).login("supervisor1")
    group = _group(supervisor, "wx-street")
    assert group["proposed_community_id"] is None
    assert group["proposed_street_id"] == world["street"]
    assert "wx-street" not in {g["group_id"] for g in _held(
        Api(live_server.api).login("clerk1"), "wechat_group").values()}
    assert _map(supervisor, group["id"], grid_id=world["gridC"])["status"] == "applied"
