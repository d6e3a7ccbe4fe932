"""Fixtures shared by every test folder: a real central server on 127.0.0.1.

Server and sync tests run against SQLite always, and PostgreSQL too when
``GULOU_TEST_DATABASE_URL`` is set (each test gets a database of its own there).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn

from server.app import create_app
from server.database import make_engine, migrate, normalize_url
from server.settings import Settings

PG_URL = os.environ.get("GULOU_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
WECHAT_SECRET = "test-wechat-secret"


class LiveServer:
    """The central server, served by uvicorn on a free loopback port in a thread."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.settings = Settings(db_url=db_url, secret_key=secrets.token_urlsafe(48),
                                 wechat_secret=WECHAT_SECRET)
        self.engine = make_engine(db_url)
        migrate(self.engine)
        self.app = create_app(self.settings, self.engine)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return self.url + "/api/v1"

    def start(self, port: int = 0) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    def restart(self) -> None:
        """Start again on the same port (after :meth:`stop`), like a server coming back."""
        self.start(self.port)


def _pg_database() -> Iterator[str]:
    import psycopg

    name = "gulou_t_" + secrets.token_hex(6)
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = sa.engine.make_url(normalize_url(PG_URL))
    yield base.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite'}"
    else:
        yield from _pg_database()


@pytest.fixture
def live_server(server_db_url: str) -> Iterator[LiveServer]:
    server = LiveServer(server_db_url)
    server.start()
    yield server
    server.stop()
    server.engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not PG_URL:
        pytest.fail("GULOU_TEST_DATABASE_URL is not set: this test needs PostgreSQL")
    yield from _pg_database()
