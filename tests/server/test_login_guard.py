"""Issue 12, items 7 and 8: refresh tokens spent once, login attempts counted atomically per
username, address and both, and the password checked outside the write transaction.

Requests come from several loopback addresses (127.0.0.x as the source address) so that
"another address" is real, not a header the server would have to trust.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from argon2 import PasswordHasher
from requests.adapters import HTTPAdapter

from server import auth
from server.auth import AuthError
from server.database import writer
from server.schema import accounts, device_sessions, refresh_tokens
from tests.conftest import LiveServer
from tests.world import PASSWORD, Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


class _From(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _session(address: str = "127.0.0.1") -> requests.Session:
    http = requests.Session()
    http.mount("http://", _From(address))
    return http


def _login(server: LiveServer, username: str, password: str, *,
           address: str = "127.0.0.1") -> requests.Response:
    return _session(address).post(server.api + "/auth/login", timeout=60, json={
        "username": username, "password": password, "device_id": str(uuid.uuid4()),
        "device_name": "laptop"})


def _at_once(n: int, call: Any) -> list[Any]:
    together = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        together.wait()
        out[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


# --- 7. refresh race ------------------------------------------------------------------


def test_the_same_refresh_token_twice_at_once_makes_one_new_token(
        live_server: LiveServer, world: World) -> None:
    """Without a device id there is no grace: one request spends the token and gets a new
    one, the other is reuse. Never two new tokens from one."""
    for _ in range(5):
        api = Api(live_server.api).login("clerk1")
        token = api.refresh_token
        answers = _at_once(2, lambda _i, t=token: requests.post(
            live_server.api + "/auth/refresh", json={"refresh_token": t}, timeout=60))
        assert sorted(a.status_code for a in answers) == [200, 401], [
            a.text for a in answers]
        with live_server.engine.connect() as conn:
            session = conn.execute(sa.select(refresh_tokens.c.session_id).where(
                refresh_tokens.c.token_hash == auth._token_hash(str(token)))).scalar_one()
            made = conn.execute(sa.select(sa.func.count()).select_from(refresh_tokens).where(
                refresh_tokens.c.session_id == session)).scalar_one()
        assert made == 2  # the login's token and exactly one successor


# --- 7. login throttle ----------------------------------------------------------------


def test_forty_wrong_passwords_at_once_get_at_most_five_checks(live_server: LiveServer,
                                                               world: World) -> None:
    answers = _at_once(40, lambda _i: _login(live_server, "clerk1", "wrong-password"))
    codes = [a.status_code for a in answers]
    assert codes.count(401) <= 5, codes  # checked (and wrong)
    assert codes.count(429) >= 35, codes  # refused unchecked
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers if a.status_code == 429)
    assert _login(live_server, "clerk1", PASSWORD).status_code == 429


def test_a_locked_username_still_signs_in_from_another_address(live_server: LiveServer,
                                                               world: World) -> None:
    """Guessing from one address locks that address out of that account, not the
    account's owner at their own desk: a lockout is no free denial of service."""
    for _ in range(5):
        assert _login(live_server, "clerk1", "wrong", address="127.0.0.2").status_code == 401
    assert _login(live_server, "clerk1", PASSWORD, address="127.0.0.2").status_code == 429
    assert _login(live_server, "clerk1", PASSWORD, address="127.0.0.3").status_code == 200


def test_one_address_trying_many_usernames_is_throttled(live_server: LiveServer,
                                                        world: World) -> None:
    """Thirty failures from one address, over as many usernames, lock the address."""
    for n in range(30):
        r = _login(live_server, f"nobody{n}", "guess", address="127.0.0.4")
        assert r.status_code == 401, (n, r.text)
    r = _login(live_server, "worker1", PASSWORD, address="127.0.0.4")
    assert r.status_code == 429
    assert _login(live_server, "worker1", PASSWORD, address="127.0.0.5").status_code == 200


def test_a_username_has_a_ceiling_over_all_addresses(live_server: LiveServer,
                                                     world: World) -> None:
    """Guessing spread over many addresses meets the username's own ceiling (counted in
    the database, as every server process sees it)."""
    from gulou_desk.records import now

    at = now()
    for n in range(100):
        with writer(live_server.engine).begin() as conn:
            auth._reserve_attempt(conn, "clerk1", f"10.0.{n // 250}.{n % 250}", at)
    with pytest.raises(AuthError) as refused, writer(live_server.engine).begin() as conn:
        auth._reserve_attempt(conn, "clerk1", "10.9.9.9", at)
    assert refused.value.status == 429
    assert _login(live_server, "clerk1", PASSWORD, address="127.0.0.6").status_code == 429


def test_a_successful_login_gives_back_its_attempt(live_server: LiveServer,
                                                   world: World) -> None:
    """An office behind one address signs many people in, many times: successes never
    add up to a lock."""
    for _ in range(31):
        assert _login(live_server, "worker1", PASSWORD, address="127.0.0.7").status_code == 200


# --- 8. the password is checked outside the write transaction ---------------------------


def test_a_slow_password_check_does_not_hold_up_a_push(live_server: LiveServer,
                                                       world: World) -> None:
    """An account whose hash takes seconds to check (a deliberately costly Argon2): a
    push sent while that login is being checked is applied before the login answers.
    When the check ran inside the login's write transaction, on SQLite the push waited
    for it."""
    slow = PasswordHasher(time_cost=40, memory_cost=32768).hash(PASSWORD)
    with writer(live_server.engine).begin() as conn:
        conn.execute(sa.update(accounts).where(accounts.c.username == "clerk1")
                     .values(password_hash=slow))
    w1 = Api(live_server.api).login("worker1")
    base = held(w1.pull_all()[0])[("household", world["hA1"])]["version"]
    finished: dict[str, float] = {}

    def sign_in() -> None:
        assert _login(live_server, "clerk1", PASSWORD).status_code == 200
        finished["login"] = time.monotonic()

    thread = threading.Thread(target=sign_in)
    thread.start()
    time.sleep(0.3)  # the login is checking the password now
    assert "login" not in finished, "the hash was not slow enough to show anything"
    [r] = w1.push(mutation("household", world["hA1"], "update", base_version=base,
                           fields={"notes": "登录时也能同步"}))
    finished["push"] = time.monotonic()
    thread.join()
    assert r["status"] == "applied"
    assert finished["push"] < finished["login"]


def test_a_revoked_session_stays_revoked(live_server: LiveServer, world: World) -> None:
    api = Api(live_server.api).login("clerk1")
    token = api.refresh_token
    assert requests.post(live_server.api + "/auth/refresh", json={"refresh_token": token},
                         timeout=30).status_code == 200
    reuse = requests.post(live_server.api + "/auth/refresh", json={"refresh_token": token},
                          timeout=30)
    assert reuse.status_code == 401
    with live_server.engine.connect() as conn:
        reasons = set(conn.execute(sa.select(device_sessions.c.revoked_reason)).scalars())
    assert "refresh_reuse" in reasons
