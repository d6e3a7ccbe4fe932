"""Login, refresh rotation with reuse detection, throttling, logout — over real HTTP."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.conftest import LiveServer
from tests.world import PASSWORD, Api, build_world


@pytest.fixture
def world_server(live_server: LiveServer) -> LiveServer:
    build_world(live_server.engine)
    return live_server


def _login(server: LiveServer, username: str, password: str) -> requests.Response:
    return requests.post(server.api + "/auth/login", json={
        "username": username, "password": password, "device_id": str(uuid.uuid4()),
        "device_name": "laptop"}, timeout=10)


def test_login_returns_tokens_and_user(world_server: LiveServer) -> None:
    r = _login(world_server, "worker1", PASSWORD)
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["username"] == "worker1"
    assert body["user"]["role"] == "social_worker"
    assert body["expires_in"] > 0
    assert body["access_token"] and body["refresh_token"]
    assert PASSWORD not in r.text and "hash" not in r.text
    assert body["user"]["must_change_password"] is False


def test_wrong_password_and_unknown_user_read_alike(world_server: LiveServer) -> None:
    wrong = _login(world_server, "worker1", "nope-nope")
    unknown = _login(world_server, "nobody", "nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"] == (
        "invalid_credentials")


def test_repeated_failures_are_throttled_even_with_the_right_password(
        world_server: LiveServer) -> None:
    for _ in range(5):
        assert _login(world_server, "clerk1", "wrong-password").status_code == 401
    r = _login(world_server, "clerk1", PASSWORD)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) > 0
    # Another user is not affected.
    assert _login(world_server, "worker1", PASSWORD).status_code == 200


def test_calls_need_a_valid_token(world_server: LiveServer) -> None:
    api = Api(world_server.api)
    r = api.get("/sync/pull")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    api.token = "garbage.token"
    assert api.get("/sync/pull").status_code == 401


def test_expired_access_token_says_token_expired(world_server: LiveServer) -> None:
    import datetime as dt

    from server.auth import make_access_token

    api = Api(world_server.api).login("worker1")
    assert api.get("/sync/pull").status_code == 200
    # A token signed with the server's key but already expired.
    from server.auth import read_access_token

    staff_id, session_id = read_access_token(world_server.settings.secret, api.token or "")
    api.token = make_access_token(world_server.settings.secret, staff_id, session_id,
                                  ttl=dt.timedelta(seconds=-5))
    r = api.get("/sync/pull")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "token_expired"


def test_refresh_rotates_and_reuse_revokes_the_device(world_server: LiveServer) -> None:
    api = Api(world_server.api).login("worker1")
    first = api.refresh_token
    r = api.post("/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 200
    second = r.json()["refresh_token"]
    assert second != first
    new_access = r.json()["access_token"]
    api.token = new_access
    assert api.get("/sync/pull").status_code == 200
    # The spent token comes back (stolen copy): the whole device session is revoked.
    reuse = api.post("/auth/refresh", json={"refresh_token": first})
    assert reuse.status_code == 401
    assert api.post("/auth/refresh", json={"refresh_token": second}).status_code == 401
    assert api.get("/sync/pull").status_code == 401


def test_logout_ends_the_session(world_server: LiveServer) -> None:
    api = Api(world_server.api).login("worker1")
    assert api.post("/auth/logout", json={}).status_code == 200
    assert api.get("/sync/pull").status_code == 401
    assert api.post("/auth/refresh", json={"refresh_token": api.refresh_token}).status_code == 401
