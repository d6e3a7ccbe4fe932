"""Issue 14, item 11: a lost refresh answer does not sign the user out.

A real HTTP proxy on loopback stands between the client and the real server. It forwards
the first ``/auth/refresh`` to the server (which rotates the token) and then drops the
answer, closing the connection, as a network that fails at the wrong moment does. The
client retries with the same token; within the grace window the server answers with the
same new pair; the client keeps it in the keyring before using it, and the user stays
signed in. No part of our code is mocked: the keyring is the in-memory backend of
``tests/keyrings.py`` (outside the project).
"""

from __future__ import annotations

import http.client
import http.server
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from server.schema import device_sessions
from sync.client import ApiClient, UnauthorizedError
from sync.credentials import CredentialStore
from sync.wire import TokenPair
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.world import PASSWORD, build_world


class DroppingProxy:
    """Forwards every request to ``upstream``; the answers to the next ``drop`` refresh
    requests are read from the server and then lost (the client's connection is closed
    without a byte of it)."""

    def __init__(self, upstream_port: int) -> None:
        self.drop = 0
        self.dropped = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                upstream.close()
                if self.path.endswith("/auth/refresh") and proxy.drop > 0:
                    proxy.drop -= 1
                    proxy.dropped += 1
                    self.close_connection = True  # the server answered; the client never hears
                    return
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[DroppingProxy]:
    build_world(live_server.engine)
    p = DroppingProxy(live_server.port)
    yield p
    p.close()


def _signed_in(proxy: DroppingProxy, device: str,
               tmp_path: Any) -> tuple[ApiClient, CredentialStore, list[str]]:
    credentials = CredentialStore(tmp_path, backend=MemoryKeyring())
    client = ApiClient(proxy.url, retries=3, backoff=0.05)
    kept_before_use: list[str] = []

    def keep(pair: TokenPair) -> None:
        # The pair is not in use yet when it is kept: the client still holds the old one.
        assert client.refresh_token != pair.refresh_token
        credentials.save_refresh_token(proxy.url, "clerk1", pair.refresh_token)
        kept_before_use.append(pair.refresh_token)

    client.on_tokens = keep
    client.login("clerk1", PASSWORD, device, "laptop")
    return client, credentials, kept_before_use


def test_a_lost_refresh_answer_does_not_sign_the_user_out(
        live_server: LiveServer, proxy: DroppingProxy, tmp_path: Any) -> None:
    client, credentials, kept = _signed_in(proxy, str(uuid.uuid4()), tmp_path)
    first = client.refresh_token
    proxy.drop = 1
    pair = client.refresh()
    assert proxy.dropped == 1  # the first answer was lost after the server rotated
    assert pair.refresh_token != first
    assert client.refresh_token == pair.refresh_token == kept[-1]
    assert credentials.refresh_token(proxy.url, "clerk1") == pair.refresh_token
    assert client.pull(None).changes  # signed in: the new access token works
    # The rotation goes on from the new token (the old one is spent for good).
    again = client.refresh()
    assert again.refresh_token not in (first, pair.refresh_token)
    with live_server.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(device_sessions).where(
            device_sessions.c.revoked_at.is_not(None))).scalar_one() == 0


def test_a_spent_token_from_another_device_is_still_reuse(
        live_server: LiveServer, proxy: DroppingProxy, tmp_path: Any) -> None:
    """The grace is for the device that spent the token: the same token replayed by
    another device (a thief who copied it) within the window signs the session out."""
    client, _, _ = _signed_in(proxy, str(uuid.uuid4()), tmp_path)
    stolen = client.refresh_token
    client.refresh()
    thief = ApiClient(proxy.url, retries=0, device_id=str(uuid.uuid4()))
    thief.refresh_token = stolen
    with pytest.raises(UnauthorizedError):
        thief.refresh()
    with pytest.raises(UnauthorizedError):
        client.refresh()  # the session is revoked: both are signed out
