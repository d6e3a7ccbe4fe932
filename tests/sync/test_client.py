"""The HTTP client against the real server, a stopped server, and a server that answers
garbage: every failure comes out as a typed error a person can be told about."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest

import sync.client
from server.auth import make_access_token, read_access_token
from sync.client import (
    ApiClient,
    BadAnswerError,
    CursorRejected,
    OfflineError,
    ServerError,
    UnauthorizedError,
    parse_pull_answer,
)
from sync.wire import parse_pull
from tests.conftest import LiveServer
from tests.world import PASSWORD, World, build_world


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _client(server: LiveServer) -> ApiClient:
    return ApiClient(server.url, retries=1, backoff=0.01)


def test_login_and_pull(live_server: LiveServer, world: World) -> None:
    client = _client(live_server)
    seen = []
    client.on_tokens = seen.append
    pair = client.login("worker1", PASSWORD, str(uuid.uuid4()), "desk")
    assert pair.user.role == "social_worker"
    assert seen == [pair]
    page = client.pull(None, limit=5000)
    assert not page.has_more
    assert any(c.entity == "household" for c in page.changes)


def test_wrong_password_is_unauthorized(live_server: LiveServer, world: World) -> None:
    with pytest.raises(UnauthorizedError):
        _client(live_server).login("worker1", "wrong", "dev")


def test_expired_access_token_is_refreshed_once_transparently(
        live_server: LiveServer, world: World) -> None:
    client = _client(live_server)
    pairs = []
    client.on_tokens = pairs.append
    client.login("worker1", PASSWORD, "dev")
    staff, session = read_access_token(live_server.settings.secret, client.access_token or "")
    client.access_token = make_access_token(live_server.settings.secret, staff, session,
                                            ttl=dt.timedelta(seconds=-1))
    old_refresh = client.refresh_token
    page = client.pull(None)
    assert page.changes
    assert len(pairs) == 2  # login, then the refresh
    assert client.refresh_token != old_refresh


JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d"
    "0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d3832"
    "3c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102"
    "030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221314106"
    "13516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a34353637"
    "38393a434445464748494a535455565758595a636465666768696a737475767778797a83848586878889"
    "8a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6"
    "d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "POST"])
def test_an_expired_access_token_is_refreshed_on_every_kind_of_call(
        live_server: LiveServer, world: World, method: str) -> None:
    """A HEAD's 401 has no body to say why: it is refreshed all the same (a photo's check
    before its upload used to ask for a sign-in)."""
    client = _client(live_server)
    pairs = []
    client.on_tokens = pairs.append
    client.login("worker1", PASSWORD, "dev")
    staff, session = read_access_token(live_server.settings.secret, client.access_token or "")
    client.access_token = make_access_token(live_server.settings.secret, staff, session,
                                            ttl=dt.timedelta(seconds=-1))
    sha = hashlib.sha256(JPEG).hexdigest()
    if method == "GET":
        assert client.pull(None).changes
    elif method == "HEAD":
        assert client.has_blob(sha) is False
    elif method == "PUT":
        client.put_blob(sha, JPEG, "image/jpeg")
    else:
        assert client.push("dev", []) == []
    assert len(pairs) == 2, "login, then one refresh"


def test_a_new_sign_in_replaces_the_tokens_of_every_later_call(
        live_server: LiveServer, world: World) -> None:
    """The app signs in again over a client whose tokens are dead (the device was signed
    out): the client uses the new pair from then on, refreshes included."""
    client = _client(live_server)
    client.login("worker1", PASSWORD, "dev")
    dead = client.refresh_token
    client.refresh()  # `dead` is spent: presenting it again signs the session out
    with pytest.raises(UnauthorizedError):
        _client(live_server).use_refresh_token(dead or "")
    with pytest.raises(UnauthorizedError):
        client.pull(None)
    fresh = _client(live_server).login("worker1", PASSWORD, "dev")
    client.use_tokens(fresh.access_token, fresh.refresh_token)
    assert client.pull(None).changes
    client.refresh()
    assert client.refresh_token not in (dead, fresh.refresh_token)


def test_spent_refresh_token_means_log_in_again(live_server: LiveServer, world: World) -> None:
    client = _client(live_server)
    client.login("worker1", PASSWORD, "dev")
    spent = client.refresh_token
    client.refresh()
    thief = _client(live_server)
    with pytest.raises(UnauthorizedError):
        thief.use_refresh_token(spent or "")
    with pytest.raises(UnauthorizedError):  # the whole device session is gone
        client.pull(None)


def test_tampered_cursor_is_cursor_rejected(live_server: LiveServer, world: World) -> None:
    client = _client(live_server)
    client.login("worker1", PASSWORD, "dev")
    page = client.pull(None)
    with pytest.raises(CursorRejected):
        client.pull(page.cursor[:-3] + "AAA")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_stopped_server_is_offline() -> None:
    client = ApiClient(f"http://127.0.0.1:{_free_port()}", retries=1, backoff=0.01)
    with pytest.raises(OfflineError):
        client.login("worker1", PASSWORD, "dev")
    assert client.health() is False


class _Garbage(BaseHTTPRequestHandler):
    """A broken server (a captive portal, a misconfigured proxy): not our server."""

    def do_GET(self) -> None:
        if "pull" in self.path:
            self._answer(200, b"<html>Welcome to the hotel wifi</html>", "text/html")
        elif "health" in self.path:
            self._answer(502, b"<html>Bad gateway</html>", "text/html")
        else:
            self._answer(200, b'{"cursor": 5}', "application/json")

    def do_POST(self) -> None:
        self._answer(200, b'{"results": "nope"}', "application/json")

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def garbage_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_garbage_answers_are_bad_answer(garbage_server: str) -> None:
    client = ApiClient(garbage_server, retries=1, backoff=0.01)
    client.access_token = "x"
    with pytest.raises(BadAnswerError):
        client.pull(None)
    with pytest.raises(BadAnswerError):
        client.push("c", [])
    with pytest.raises(ServerError):
        client._send("GET", "/health")


_GOOD_CHANGE = {"entity": "household", "id": "h1", "op": "upsert", "version": 3,
                "data": {"address": "x"}}


def _page(**change: object) -> dict[str, object]:
    return {"cursor": "c1", "has_more": False, "changes": [{**_GOOD_CHANGE, **change}]}


class _Answers(BaseHTTPRequestHandler):
    """A server that answers every pull with :attr:`body` (a test sets it)."""

    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def answering_server() -> Iterator[tuple[str, type[_Answers]]]:
    handler = type("Answers", (_Answers,), {})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("answer", "words"), [
    ([], "not an object"),
    ({"has_more": False, "changes": []}, "cursor"),
    ({"cursor": 5, "has_more": False, "changes": []}, "cursor"),
    ({"cursor": "c1", "has_more": "no", "changes": []}, "has_more"),
    ({"cursor": "c1", "has_more": 0, "changes": []}, "has_more"),
    ({"cursor": "c1", "has_more": False, "changes": {}}, "changes"),
    ({"cursor": "c1", "has_more": False, "changes": [], "estimate": "many"}, "estimate"),
    ({"cursor": "c1", "has_more": False, "changes": [[]]}, "changes[0]: not an object"),
    (_page(entity=7), "entity and id"),
    (_page(entity=None), "entity and id"),
    (_page(id=12), "entity and id"),
    (_page(op="replace"), "op must be one of"),
    (_page(op=None), "op must be one of"),
    (_page(version="3"), "version"),
    (_page(version=3.5), "version"),
    (_page(version=True), "version"),
    (_page(data=["address", "x"]), "data: not an object"),
    (_page(op="delete", data="gone"), "data: not an object"),
    (_page(data=None), "upsert of household h1 without data or version"),
    (_page(version=None), "upsert of household h1 without data or version"),
])
def test_a_pull_answer_off_the_protocol_is_a_bad_answer(
        answering_server: tuple[str, type[_Answers]], answer: object, words: str) -> None:
    """The client checks a pull answer by hand (sync/wire.py ``parse_pull``), field by
    field, as the models of the protocol would: a page with one field off is refused as
    a bad answer, saying which field (and the record, never a value)."""
    url, handler = answering_server
    handler.body = orjson.dumps(answer)
    client = ApiClient(url, retries=0)
    client.access_token = "x"
    with pytest.raises(BadAnswerError, match=re.escape(words)):
        client.pull(None)


def test_a_pull_answer_is_taken_as_the_protocol_allows(
        answering_server: tuple[str, type[_Answers]]) -> None:
    """What a later server may add is let through: fields the client does not know, an
    entity it does not know (the apply skips it), a delete or revoke without version or
    data."""
    url, handler = answering_server
    answer = {"cursor": "c9", "has_more": True, "estimate": 40, "future": {"x": 1},
              "changes": [{**_GOOD_CHANGE, "new_field": 1},
                          {"entity": "drone_flight", "id": "d1", "op": "upsert",
                           "version": 1, "data": {}},
                          {"entity": "household", "id": "h2", "op": "delete"},
                          {"entity": "resident", "id": "r1", "op": "revoke",
                           "version": None, "data": None}]}
    handler.body = orjson.dumps(answer)
    client = ApiClient(url, retries=0)
    client.access_token = "x"
    page = client.pull(None)
    assert (page.cursor, page.has_more, page.estimate) == ("c9", True, 40)
    assert [(c.entity, c.id, c.op, c.version, c.data) for c in page.changes] == [
        ("household", "h1", "upsert", 3, {"address": "x"}),
        ("drone_flight", "d1", "upsert", 1, {}),
        ("household", "h2", "delete", None, None),
        ("resident", "r1", "revoke", None, None)]


def test_a_long_pull_answer_is_parsed_in_pieces(
        live_server: LiveServer, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull's answer over PIECE_BYTES is parsed a few changes at a time (one parse of a
    whole 16 MB page held the GIL, and so the GUI, for 60-190 ms), into the page parsing
    it whole gives."""
    client = _client(live_server)
    client.login("supervisor1", PASSWORD, str(uuid.uuid4()), "desk")
    answer = client.pull_answer(None, 5000)
    whole = parse_pull(orjson.loads(answer))
    longest_change = max(len(orjson.dumps(c)) for c in orjson.loads(answer)["changes"])
    monkeypatch.setattr(sync.client, "PIECE_BYTES", 300, raising=False)
    assert len(answer) > 10 * 300
    parsed: list[int] = []
    loads = orjson.loads

    def counted(text: bytes) -> object:
        parsed.append(len(text))
        return loads(text)

    monkeypatch.setattr(orjson, "loads", counted)
    assert parse_pull_answer(answer) == whole
    assert len(parsed) > 5 and max(parsed) <= 300 + longest_change + 2, parsed


def test_a_pull_answer_that_cannot_be_cut_is_parsed_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a cut would fall before a nested object beginning with an ``entity`` key, or a
    piece is not JSON, the answer is parsed whole: the same page, or a bad answer."""
    monkeypatch.setattr(sync.client, "PIECE_BYTES", 10, raising=False)
    links = [{"entity": "household", "id": f"h{n}"} for n in range(5)]
    answer = orjson.dumps({"cursor": "c1", "has_more": True, "estimate": 4, "changes": [
        {**_GOOD_CHANGE, "id": f"t{n}", "data": {"links": links}} for n in range(4)]})
    assert parse_pull_answer(answer) == parse_pull(orjson.loads(answer))
    broken = answer.replace(b'"id":"t2"', b'"id":"t2",,')
    with pytest.raises(BadAnswerError, match="not JSON"):
        parse_pull_answer(broken)
