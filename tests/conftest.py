"""Fixtures shared by every test folder: a real central server on 127.0.0.1.

Server and sync tests run against SQLite always, and PostgreSQL too when
``GULOU_TEST_DATABASE_URL`` is set (each test gets a database of its own there).
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa

from gulou_desk import passwords
from server.database import make_engine, migrate, normalize_url
from server.embedded import EmbeddedServer
from server.settings import Settings
from tests.keyrings import MemoryKeyring

PG_URL = os.environ.get("GULOU_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
WECHAT_SECRET = "wechat-test-5b1e0c8f3a9d47e2b6c1f08d9e7a2c4b-7f3e1a9c5d2b8e64"
"""The bot's signing secret in tests: as strong as a server outside demo mode demands."""
STRONG_SECRET = "server-test-9c4f2e7b1a3d5e8f0b6c2a4d7e9f1b3c-5a8d2f6b0e4c7a1d"


class LiveServer(EmbeddedServer):
    """The real central server on a free loopback port, with a fresh secret."""

    def __init__(self, db_url: str) -> None:
        super().__init__(Settings(db_url=db_url, secret_key=secrets.token_urlsafe(48),
                                  wechat_secret=WECHAT_SECRET))
        self.db_url = db_url


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


passwords.use_parameters(passwords.FOR_TESTS)
"""Password hashes in tests are made with Argon2's least parameters: a sign-in checks its
password against a hash made with them, in a millisecond instead of ~0.2 s of CPU (the
production parameters: ``tests/unit/test_passwords.py``)."""

os.environ.setdefault("PYTEST_QT_API", "pyside6")
"""The Qt binding pytest-qt drives (read when the plugin starts; the only one installed)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "qt: uses Qt (a QApplication); marked by conftest")


QT_LOG_LEVEL_FAIL = "WARNING"
"""A Qt warning logged during a Qt test fails it (pytest-qt)…"""
QT_LOG_IGNORE = r"This plugin does not support propagateSizeHints\(\)"
"""…but the offscreen platform's notice that it cannot pass size hints to a window
manager (once per dialog): that is the test platform talking, not the app."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that use Qt, so that ``-m "not qt"`` (the fast lane) leaves them,
    with pytest-qt's settings (markers, not ini options: the fast lane runs without the
    plugin, whose start-up alone imports PySide6)."""
    with_qt = config.pluginmanager.hasplugin("pytest-qt")
    for item in items:
        if "qapp" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.qt)
            if with_qt:
                item.add_marker(pytest.mark.qt_log_level_fail(QT_LOG_LEVEL_FAIL))
                # pytest-qt reads only the closest qt_log_ignore mark: one mark with this
                # pattern and those the test (or its folder) gave
                more = [p for m in item.iter_markers("qt_log_ignore") for p in m.args]
                item.add_marker(pytest.mark.qt_log_ignore(QT_LOG_IGNORE, *more),
                                append=False)


def _runs_qt(session: pytest.Session) -> bool:
    """Whether this run has Qt tests (``tests/ui``, ``tests/journeys``: they use ``qapp``).
    A run of the core, sync and server tests alone (``./dev test --fast``) imports no Qt."""
    return any("qapp" in getattr(item, "fixturenames", ()) for item in session.items)


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After a run with Qt tests, leave at once with pytest's status, skipping Python's
    finalization. A run of thousands of Qt tests in one process ended, after its summary,
    with "Fatal Python error: bool_dealloc" (exit 134) while the interpreter collected
    what was left: a reference count error in a C extension, not in a test. One such
    error was found and is pinned away — PySide6 6.12.0 took a reference from ``None`` on
    every call of a method returning nothing (``tests/ui/test_qt_binding.py``) — but this
    stays until a long Qt run is seen to end cleanly without it: the results are all
    reported by then, and a crash in finalization would only turn a green run red."""
    if not _EXIT_STATUS or hasattr(config, "workerinput") or "PySide6" not in sys.modules:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[-1])


@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[bool]:
    """No garbage collection in the server's or the sync's threads when Qt tests run: as
    in the app (``ui.gc_tuning.GuiThreadCollector``), Qt objects left in reference cycles
    by one test must not be destroyed by a worker thread of a later one, which Qt does not
    allow ("Timers cannot be stopped from another thread"). Between tests, and on the GUI
    thread during Qt tests (``tests/qt_loop.py``), we collect what is due ourselves."""
    if not _runs_qt(request.session):
        yield False
        return
    was_enabled = gc.isenabled()
    gc.disable()
    yield True
    if was_enabled:
        gc.enable()


@pytest.fixture(autouse=True)
def _collect_between_tests(_collect_on_the_main_thread: bool) -> Iterator[None]:
    yield
    if _collect_on_the_main_thread:
        from ui.gc_tuning import collect_if_due

        collect_if_due()


@pytest.fixture(autouse=True)
def _default_catalogue() -> Iterator[None]:
    """A desk installs its store's catalogue process-wide (SLAs, canned replies): each
    test ends with the built-in one again, so no test sees another's edited SLAs."""
    yield
    from gulou_desk.domain import catalogue

    catalogue.install([])


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The process's keyring is an in-memory one for the test (never the machine's)."""
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A server database migrated to the head once per test process (the migrations'
    own tests start from nothing: ``tests/server/test_migrations.py``)."""
    path = tmp_path_factory.mktemp("template") / "server.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection's close folds the write-ahead log into the file
    return path


@pytest.fixture(params=BACKENDS)
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh server database; on SQLite a copy of one migrated to the head (running
    fourteen migrations again for every test was most of a server test's set-up).
    ``migrate`` (any server's start) brings either to the head."""
    if request.param == "sqlite":
        path = tmp_path / "server.sqlite"
        shutil.copyfile(request.getfixturevalue("_migrated_sqlite"), path)
        yield f"sqlite:///{path}"
    else:
        yield from _pg_database()


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A server database with nothing in it, not even a schema (the migrations' tests)."""
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
