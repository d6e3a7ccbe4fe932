"""The gulou-server command, settings that refuse placeholder secrets, seeding, request log."""

from __future__ import annotations

import base64
import hashlib
import logging
import random
import secrets
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.domain.templates import ROUTINE_TEMPLATE_ID
from server import cli
from server.database import make_engine
from server.schema import RECORD_TABLES, accounts
from server.seed import AlreadySeeded, seed
from server.settings import Settings, SettingsError, secret_problem
from tests.conftest import STRONG_SECRET, WECHAT_SECRET, LiveServer
from tests.world import PASSWORD, Api, build_world

WEAK_SECRETS = [
    "", "changeme", "secret", "short-but-real", "Change_Me", "x" * 64, "k" * 40,
    "abcd" * 16, "test-wechat-secret", "0123456789abcdef0123456789abcdef",  # 128 bits
    "correct-horse-battery-staple",
]


@pytest.mark.parametrize("secret", WEAK_SECRETS)
def test_placeholder_secret_is_refused_outside_demo(secret: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GULOU_WECHAT_SECRET", WECHAT_SECRET)
    with pytest.raises(SettingsError, match="GULOU_SECRET_KEY"):
        Settings.from_env(secret_key=secret)
    demo = Settings.from_env(secret_key=secret, demo=True)
    assert len(demo.secret_key) >= 32 and demo.secret_key != secret


@pytest.mark.parametrize("secret", WEAK_SECRETS)
def test_a_weak_wechat_secret_is_refused_outside_demo(secret: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GULOU_WECHAT_SECRET", secret)
    with pytest.raises(SettingsError, match="GULOU_WECHAT_SECRET"):
        Settings.from_env(secret_key=STRONG_SECRET)
    assert Settings.from_env(secret_key=STRONG_SECRET, demo=True).wechat_secret


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(32),
                                  lambda: secrets.token_hex(32),
                                  lambda: secrets.token_urlsafe(48)])
def test_random_secrets_of_32_bytes_are_accepted(make: Any) -> None:
    settings = Settings.from_env(secret_key=make(), wechat_secret=make())
    assert not settings.demo


def test_every_token_of_the_documented_recipes_is_accepted() -> None:
    """The settings say ``secrets.token_urlsafe(32)`` or ``token_hex(32)`` make a secret;
    about 1.5 % of the former were refused (43 characters that happened to have no
    upper-case A–F, or no digit, were counted from a smaller alphabet): an operator
    following the docs saw the server refuse to start now and then."""
    draw = random.Random(2026)
    for _ in range(5000):
        raw = draw.randbytes(32)
        for secret in (base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), raw.hex(),
                       raw.hex().upper()):
            assert secret_problem(secret) is None, secret
    assert secret_problem("dz3QoqK_7OKpWku8aSlreafq0xh2-5usGeVMm_-T_Us") is None


def test_missing_wechat_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GULOU_WECHAT_SECRET", raising=False)
    with pytest.raises(SettingsError, match="GULOU_WECHAT_SECRET"):
        Settings.from_env(secret_key=STRONG_SECRET)


def test_the_demo_server_listens_on_loopback_unless_told(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.bind_host(None, demo=True) == "127.0.0.1"
    assert cli.bind_host(None, demo=False) == "127.0.0.1"
    assert capsys.readouterr().err == ""
    assert cli.bind_host("127.0.0.1", demo=True) == "127.0.0.1"
    assert capsys.readouterr().err == ""
    assert cli.bind_host("0.0.0.0", demo=True) == "0.0.0.0"
    warning = capsys.readouterr().err
    assert "WARNING" in warning and "DEMO" in warning and "0.0.0.0" in warning
    assert cli.bind_host("0.0.0.0", demo=False) == "0.0.0.0"
    assert capsys.readouterr().err == ""


def test_serve_without_a_secret_exits_with_a_clear_message(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GULOU_SECRET_KEY", raising=False)
    assert cli.main(["serve", "--db", "sqlite://"]) == 2
    assert "GULOU_SECRET_KEY" in capsys.readouterr().err


def test_seed_demo_fills_an_empty_database_and_refuses_a_second_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert cli.main(["seed-demo", "--db", url, "--size", "demo"]) == 0
    out = capsys.readouterr().out
    assert "household: 3000" in out
    engine = make_engine(url)
    with engine.connect() as conn:
        usernames = set(conn.execute(sa.select(accounts.c.username)).scalars())
        staff = conn.execute(sa.select(sa.func.count()).select_from(
            RECORD_TABLES["staff"])).scalar()
        templates = RECORD_TABLES["visit_template"]
        routine = {r.version: r for r in conn.execute(sa.select(templates).where(
            templates.c.form_id == ROUTINE_TEMPLATE_ID))}
        old_visits = conn.execute(sa.select(sa.func.count()).select_from(
            RECORD_TABLES["visit"]).where(
            RECORD_TABLES["visit"].c.template_id == ROUTINE_TEMPLATE_ID)).scalar()
    assert {"worker1", "clerk1", "supervisor1", "admin"} <= usernames
    assert staff == len(usernames)
    # Two versions of the routine form: the first retired and kept for its visits.
    assert sorted(routine) == [1, 2]
    assert (routine[1].active, routine[2].active) == (False, True)
    assert len(routine[2].fields) == len(routine[1].fields) + 1 and old_visits
    with pytest.raises(AlreadySeeded):
        seed(engine, "demo")
    engine.dispose()
    assert cli.main(["seed-demo", "--db", url]) == 1


def test_seeded_demo_accounts_log_in_and_pull(live_server: LiveServer) -> None:
    seed(live_server.engine, "demo")
    api = Api(live_server.api).login("worker1", "demo1234")
    changes, _ = api.pull_all(limit=5000)
    households = [c for c in changes if c["entity"] == "household"]
    grids = {c["data"]["grid_id"] for c in households}
    assert 2 <= len(grids) <= 3
    assert len(households) > 100


def test_demo_meetings_come_with_their_photos(live_server: LiveServer) -> None:
    """A demo topic's meeting shows photos of the meeting (its record had none): the
    pictures are on the server, each the image its name (sha256) says."""
    seed(live_server.engine, "demo")
    api = Api(live_server.api).login("clerk1", "demo1234")
    changes, _ = api.pull_all(limit=5000)
    meetings = [c["data"] for c in changes if c["entity"] == "consultation_meeting"]
    assert meetings and all(m["photos"] for m in meetings)
    for sha in {sha for m in meetings for sha in m["photos"]}:
        answer = api.get(f"/blobs/{sha}")
        assert answer.status_code == 200
        assert hashlib.sha256(answer.content).hexdigest() == sha
        assert answer.headers["content-type"] == "image/png"


def test_create_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-good-password")
    assert cli.main(["create-user", "--db", url, "--username", "zhangwei",
                     "--display-name", "张伟", "--role", "clerk"]) == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.select(accounts)).mappings().one()
    engine.dispose()
    assert row["username"] == "zhangwei"
    assert row["password_hash"].startswith("$argon2")


def test_requests_are_logged_without_secrets(live_server: LiveServer,
                                             caplog: pytest.LogCaptureFixture) -> None:
    build_world(live_server.engine)
    with caplog.at_level(logging.INFO, logger="gulou.server"):
        api = Api(live_server.api).login("worker1")
        api.get("/sync/pull")
    lines = [r.getMessage() for r in caplog.records if r.name == "gulou.server"]
    worker = api.user["id"]  # staff ids, never usernames (often a person's name)
    assert any(line.startswith(f"POST /api/v1/auth/login 200 user={worker}")
               for line in lines)
    assert any(line.startswith(f"GET /api/v1/sync/pull 200 user={worker}") for line in lines), \
        lines
    text = "\n".join(lines)
    assert "worker1" not in text
    assert PASSWORD not in text
    assert (api.token or "") not in text
    assert (api.refresh_token or "") not in text


def test_openapi_is_served_under_api_v1(live_server: LiveServer) -> None:
    import requests

    doc = requests.get(live_server.api + "/openapi.json", timeout=10).json()
    assert "/api/v1/sync/pull" in doc["paths"]
    assert "/api/v1/sync/push" in doc["paths"]
    assert "PullResponse" in doc["components"]["schemas"]
