"""The HTTP client against the real server, a stopped server, and a server that answers
garbage: every failure comes out as a typed error a person can be told about."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from server.auth import make_access_token, read_access_token
from sync.client import (
    ApiClient,
    BadAnswerError,
    CursorRejected,
    OfflineError,
    ServerError,
    UnauthorizedError,
)
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
