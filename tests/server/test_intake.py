"""WeChat intake (bot → server): signature, replay window, idempotency, routing."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from server.routes.intake import sign
from tests.conftest import WECHAT_SECRET, LiveServer
from tests.world import Api, World, build_world, held


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _post(server: LiveServer, message: dict, *, secret: str = WECHAT_SECRET,
          age: int = 0) -> requests.Response:
    body = json.dumps(message, ensure_ascii=False).encode()
    stamp = str(int(time.time()) - age)
    return requests.post(server.api + "/intake/wechat", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Gulou-Timestamp": stamp,
        "X-Gulou-Signature": sign(secret, stamp, body)})


def _message(group: str = "wx-gridA", text: str = "3栋楼道的路灯坏了，晚上很黑") -> dict:
    return {"message_id": str(uuid.uuid4()), "group_id": group, "group_name": "颐和新村1群",
            "sender_id": "wxid_abc", "sender_name": "老张", "text": text,
            "sent_at": "2026-11-28T09:30:00+08:00", "keyword": "路灯"}


def test_good_message_reaches_the_grid_inbox(live_server: LiveServer, world: World) -> None:
    api = Api(live_server.api).login("worker1")
    _, cursor = api.pull_all()
    r = _post(live_server, _message())
    assert r.status_code == 200
    assert r.json()["status"] == "routed"
    changes, _ = api.pull_all(cursor)
    [msg] = [c for c in changes if c["entity"] == "inbox_message"]
    assert msg["data"]["grid_id"] == world["gridA"]
    assert msg["data"]["status"] == "new"
    assert msg["data"]["text"].startswith("3栋")
    # worker2 (grid C) does not see it.
    other, _ = Api(live_server.api).login("worker2").pull_all()
    assert not [c for c in other if c["entity"] == "inbox_message"]


def test_duplicate_message_is_stored_once(live_server: LiveServer, world: World) -> None:
    message = _message()
    first = _post(live_server, message)
    second = _post(live_server, message)
    assert second.status_code == 200
    assert second.json() == {"id": first.json()["id"], "status": "duplicate"}
    changes, _ = Api(live_server.api).login("clerk1").pull_all()
    assert len([c for c in changes if c["entity"] == "inbox_message"]) == 1


def test_bad_signature_and_stale_timestamp_are_401(live_server: LiveServer,
                                                    world: World) -> None:
    bad = _post(live_server, _message(), secret="wrong")
    stale = _post(live_server, _message(), age=301)
    assert bad.status_code == stale.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_credentials"
    missing = requests.post(live_server.api + "/intake/wechat", json=_message(), timeout=10)
    assert missing.status_code == 401


def test_unknown_group_goes_to_the_unrouted_queue(live_server: LiveServer,
                                                   world: World) -> None:
    r = _post(live_server, _message(group="wx-unknown"))
    assert r.json()["status"] == "unrouted"
    clerk, _ = Api(live_server.api).login("clerk1").pull_all()
    assert not [c for c in clerk if c["entity"] == "inbox_message"]
    admin, _ = Api(live_server.api).login("admin").pull_all()
    [msg] = [c for c in admin if c["entity"] == "inbox_message"]
    assert msg["data"]["grid_id"] is None


def test_bad_message_body_is_422(live_server: LiveServer, world: World) -> None:
    message = _message()
    del message["text"]
    r = _post(live_server, message)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation"


def test_reply_goes_to_the_outbound_queue_and_is_acked(live_server: LiveServer,
                                                       world: World) -> None:
    from tests.world import mutation

    msg_id = _post(live_server, _message()).json()["id"]
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("inbox_message", msg_id, "action", action="reply",
                              args={"text": "您好，已安排电工今天下午上门维修。"}))
    assert r["status"] == "applied", r
    stamp = str(int(time.time()))
    got = requests.get(live_server.api + "/intake/wechat/outbound", timeout=10, headers={
        "X-Gulou-Timestamp": stamp, "X-Gulou-Signature": sign(WECHAT_SECRET, stamp, b"")})
    assert got.status_code == 200
    [out] = got.json()["messages"]
    assert out["group_id"] == "wx-gridA"
    assert "电工" in out["text"]
    ack = requests.post(live_server.api + f"/intake/wechat/outbound/{out['id']}/ack",
                        timeout=10, headers={"X-Gulou-Timestamp": stamp,
                                             "X-Gulou-Signature": sign(WECHAT_SECRET, stamp,
                                                                       b"")})
    assert ack.status_code == 200
    again = requests.get(live_server.api + "/intake/wechat/outbound", timeout=10, headers={
        "X-Gulou-Timestamp": stamp, "X-Gulou-Signature": sign(WECHAT_SECRET, stamp, b"")})
    assert again.json()["messages"] == []
    state = held(clerk.pull_all()[0])
    assert state[("inbox_message", msg_id)]["data"]["status"] == "answered"


def test_the_same_message_posted_at_once_is_stored_once(live_server: LiveServer,
                                                        world: World) -> None:
    """The bot retries on a timeout, so two copies may arrive together: both are
    answered 200, one stores the message and the other reports the duplicate."""
    import threading

    message = _message()
    answers: list[requests.Response] = []
    start = threading.Barrier(6)

    def post() -> None:
        start.wait()
        answers.append(_post(live_server, message))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in answers] == [200] * 6
    statuses = sorted(r.json()["status"] for r in answers)
    assert statuses == ["duplicate"] * 5 + ["routed"]
    assert len({r.json()["id"] for r in answers}) == 1
    changes, _ = Api(live_server.api).login("clerk1").pull_all()
    assert len([c for c in changes if c["entity"] == "inbox_message"]) == 1
