"""Issue 12, item 11: the body limit holds for chunked bodies, and before authentication.

The server here has a small limit (64 KiB) so that going over it is cheap; a chunked body
(``Transfer-Encoding: chunked``, no ``Content-Length``) is what a client that streams
sends, and what the old check (of the declared length only) let through whole.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator

import pytest
import requests

from server.embedded import EmbeddedServer
from server.settings import Settings
from tests.conftest import WECHAT_SECRET
from tests.world import Api, build_world, mutation

LIMIT = 64 * 1024


@pytest.fixture
def small(server_db_url: str) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(Settings(db_url=server_db_url, secret_key=secrets.token_urlsafe(48),
                                     wechat_secret=WECHAT_SECRET, max_body_bytes=LIMIT))
    server.start()
    build_world(server.engine)
    yield server
    server.stop()
    server.engine.dispose()


def _chunks(total: int, size: int = 8192) -> Iterator[bytes]:
    sent = 0
    yield b'{"client_id": "c", "mutations": [], "pad": "'
    while sent < total:
        piece = b"x" * min(size, total - sent)
        sent += len(piece)
        yield piece
    yield b'"}'


@pytest.mark.parametrize("path", ["/sync/push", "/auth/login", "/intake/wechat"])
def test_a_chunked_body_over_the_limit_is_413_before_authentication(
        small: EmbeddedServer, path: str) -> None:
    """No token, no valid signature: the limit answers first (not 401), for every
    endpoint (the bot's well-formed headers pass the checks made before the body)."""
    r = requests.request("POST", small.api + path, data=_chunks(4 * LIMIT), timeout=30,
                         headers={"Content-Type": "application/json",
                                  "X-Gulou-Signature": "sha256=" + "0" * 64,
                                  "X-Gulou-Timestamp": str(int(time.time()))})
    assert r.status_code == 413, (path, r.status_code, r.text[:200])
    assert r.json()["error"]["code"] == "too_large"
    assert r.json()["error"]["details"]["limit"] == LIMIT


def test_a_chunked_photo_over_the_body_limit_is_413(small: EmbeddedServer) -> None:
    """The photo handler reads its body as a stream: the limit stops that stream too."""
    api = Api(small.api).login("worker1")
    r = api.http.put(small.api + "/blobs/" + "0" * 64, data=_chunks(4 * LIMIT), timeout=30,
                     headers={**api.headers(), "Content-Type": "image/jpeg"})
    assert r.status_code == 413, r.text
    assert r.json()["error"]["details"]["limit"] == LIMIT


def test_a_declared_length_over_the_limit_is_413(small: EmbeddedServer) -> None:
    r = requests.post(small.api + "/sync/push", data=b"x" * (LIMIT + 1), timeout=30,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_a_chunked_body_within_the_limit_is_served(small: EmbeddedServer) -> None:
    api = Api(small.api).login("clerk1")
    body = json.dumps({"client_id": "c", "mutations": [
        mutation("ticket", "missing", "action", action="comment", args={"body": "好"})
        for _ in range(3)]}).encode()
    r = api.http.post(small.api + "/sync/push", data=iter([body[:10], body[10:]]), timeout=30,
                      headers={**api.headers(), "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert [x["error"]["code"] for x in r.json()["results"]] == ["not_found"] * 3
