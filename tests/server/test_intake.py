"""WeChat intake (bot → server): signature, replay window, idempotency, routing."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from tests.bot import bot_request
from tests.conftest import WECHAT_SECRET, LiveServer
from tests.world import Api, World, build_world, held


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _post(server: LiveServer, message: dict, *, secret: str = WECHAT_SECRET,
          age: int = 0) -> requests.Response:
    """The bot posts a message (with a nonce: the bot's retries are requests of their
    own, not replays)."""
    body = json.dumps(message, ensure_ascii=False).encode()
    return bot_request(server.api, "POST", "/intake/wechat", body, secret=secret, age=age,
                       nonce=True)


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
    got = bot_request(live_server.api, "GET", "/intake/wechat/outbound")
    assert got.status_code == 200
    [out] = got.json()["messages"]
    assert out["group_id"] == "wx-gridA"
    assert "电工" in out["text"]
    ack = bot_request(live_server.api, "POST", f"/intake/wechat/outbound/{out['id']}/ack")
    assert ack.status_code == 200
    again = bot_request(live_server.api, "GET", "/intake/wechat/outbound")
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


# --- issue 12, item 9: a signature binds its request, once ------------------------------


def test_a_signature_is_good_for_its_own_method_and_path_only(live_server: LiveServer,
                                                              world: World) -> None:
    """A signature made for one request (a poll of the outbound queue, a message) does
    not open another endpoint with the same body, nor the same path with another
    method."""
    from server.bot_signature import signed_headers

    poll = "/api/v1/intake/wechat/outbound?nonce=1"
    headers = signed_headers(WECHAT_SECRET, "GET", poll)
    for method, path in (("POST", f"/intake/wechat/outbound/{uuid.uuid4()}/ack"),
                         ("POST", "/intake/wechat"),
                         ("GET", "/intake/wechat/outbound?nonce=2")):
        r = requests.request(method, live_server.api + path, headers=headers, timeout=10)
        assert r.status_code == 401, (method, path, r.text)
    assert requests.get(live_server.api + "/intake/wechat/outbound?nonce=1", headers=headers,
                        timeout=10).status_code == 200


def test_the_same_signed_request_twice_is_a_replay(live_server: LiveServer,
                                                   world: World) -> None:
    from server.bot_signature import signed_headers

    body = json.dumps(_message(), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json",
               **signed_headers(WECHAT_SECRET, "POST", "/api/v1/intake/wechat", body)}
    first = requests.post(live_server.api + "/intake/wechat", data=body, headers=headers,
                          timeout=10)
    again = requests.post(live_server.api + "/intake/wechat", data=body, headers=headers,
                          timeout=10)
    assert first.status_code == 200, first.text
    assert again.status_code == 401 and "replay" in again.json()["error"]["message"]
    poll = signed_headers(WECHAT_SECRET, "GET", "/api/v1/intake/wechat/outbound")
    assert requests.get(live_server.api + "/intake/wechat/outbound", headers=poll,
                        timeout=10).status_code == 200
    assert requests.get(live_server.api + "/intake/wechat/outbound", headers=poll,
                        timeout=10).status_code == 401


def _legacy_headers(body: bytes) -> dict[str, str]:
    from server.bot_signature import legacy_sign

    stamp = str(int(time.time()))
    return {"Content-Type": "application/json", "X-Gulou-Timestamp": stamp,
            "X-Gulou-Signature": legacy_sign(WECHAT_SECRET, stamp, body)}


def test_the_older_signature_form_only_behind_its_setting(live_server: LiveServer,
                                                          world: World,
                                                          server_db_url: str) -> None:
    import dataclasses

    from server.embedded import EmbeddedServer

    body = json.dumps(_message(), ensure_ascii=False).encode()
    refused = requests.post(live_server.api + "/intake/wechat", data=body, timeout=10,
                            headers=_legacy_headers(body))
    assert refused.status_code == 401, refused.text
    settings = dataclasses.replace(live_server.settings, wechat_legacy_signatures=True)
    lenient = EmbeddedServer(settings, live_server.engine)
    lenient.start()
    try:
        headers = _legacy_headers(body)
        first = requests.post(lenient.api + "/intake/wechat", data=body, timeout=10,
                              headers=headers)
        again = requests.post(lenient.api + "/intake/wechat", data=body, timeout=10,
                              headers=headers)
        assert (first.status_code, again.status_code) == (200, 401)  # still once only
    finally:
        lenient.stop()


def _raw_request(server: LiveServer, head: str) -> bytes:
    """Send only the head of a request that announces a large body, and read the answer:
    a server that waited for the body would not answer before the socket's timeout."""
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


@pytest.mark.parametrize("headers", [
    "", "X-Gulou-Signature: sha256=" + "0" * 64 + "\r\n",
    "X-Gulou-Signature: sha256=" + "0" * 64 + "\r\nX-Gulou-Timestamp: 1000\r\n",
])
def test_signature_headers_are_checked_before_the_body_is_read(
        live_server: LiveServer, world: World, headers: str) -> None:
    head = (f"POST /api/v1/intake/wechat HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: 1000000\r\n{headers}\r\n")
    answer = _raw_request(live_server, head)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
