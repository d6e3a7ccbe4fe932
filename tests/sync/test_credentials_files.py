"""After a real sign-in and sync, the refresh token is in the keyring and in no file.

The whole client path runs as the app runs it: :class:`ui.app.AppController` with the real
login, :func:`ui.app.default_backend_factory` (the local store in the user's data folder,
the HTTP client, the sync engine and scheduler), the log file in the user's log folder.
The user's folders are temporary (``XDG_*`` point into ``tmp_path``) and the keyring is an
in-memory backend installed with ``keyring.set_keyring``. Then every byte of every file
under those folders, the SQLite database, its WAL and the log included, is searched for
the tokens.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sync.credentials import CredentialStore, service_name
from sync.wire import TokenPair
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.qt_loop import app_loop
from tests.world import PASSWORD, build_world
from ui.app import AppController, default_backend_factory, setup_logging
from ui.backend import SyncBackend
from ui.paths import user_config_dir, user_data_dir, user_log_dir
from ui.settings import Settings

FOLDERS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


@pytest.fixture
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs (and so the app) put the user's files under ``tmp_path/home``."""
    home = tmp_path / "home"
    for name in FOLDERS:
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The app's qasync loop on the test's QApplication (as tests/ui/conftest.py does)."""
    with app_loop(qapp) as loop:
        yield loop


@pytest.fixture
def log_file(user_folders: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    path = setup_logging(user_log_dir(), "DEBUG")
    yield path
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def every_file(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_refresh_token_is_in_the_keyring_and_in_no_file(
    qtbot: QtBot, qloop: qasync.QEventLoop, live_server: LiveServer, user_folders: Path,
    memory_keyring: MemoryKeyring, log_file: Path
) -> None:
    build_world(live_server.engine)
    settings = Settings(QSettings(str(user_config_dir() / "GulouDesk.ini"),
                                  QSettings.Format.IniFormat))
    credentials = CredentialStore()  # the machine's keyring, the user's config folder
    controller = AppController(settings, credentials, quit_app=lambda: None,
                               backend_factory=default_backend_factory, log_file=log_file)
    dialog = controller.ask_login(live_server.url, "worker1")  # deleted once signed in
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    first = dialog.result_value
    assert isinstance(first, TokenPair)
    backend = controller.backend
    assert isinstance(backend, SyncBackend)
    assert backend.store.path is not None and user_data_dir() in backend.store.path.parents

    # A token refresh rotates both tokens; the new refresh token replaces the old one.
    backend.client.refresh()
    with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
        backend.sync_now()
    key = (service_name(live_server.url), "worker1")
    assert memory_keyring.secrets[key] == backend.client.refresh_token
    assert backend.client.refresh_token != first.refresh_token

    tokens = {t.encode() for t in (first.access_token, first.refresh_token,
                                   backend.client.access_token, backend.client.refresh_token)
              if t}
    assert len(tokens) >= 3  # (an access token made in the same second may be the same)
    files = every_file(user_folders)
    names = {p.name for p in files}
    # What was searched: the settings, the last account, the device id, the log, the
    # store with its write-ahead log (open, so not yet checkpointed).
    assert {"GulouDesk.ini", "account.json", "device.json", log_file.name} <= names
    assert any(n.endswith(".sqlite") for n in names)
    assert any(n.endswith(".sqlite-wal") and files[p] for p, n in
               ((p, p.name) for p in files))
    assert b"worker1" in files[credentials.account_file]  # the account is remembered
    leaks = {str(p.relative_to(user_folders)) for p, data in files.items()
             if any(token in data for token in tokens)}
    assert leaks == set()

    controller.shutdown()
    done: list[bool] = []
    asyncio.get_running_loop().create_task(backend.wait_stopped()).add_done_callback(
        lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    # Closed: the WAL is folded into the database file; still nothing.
    files = every_file(user_folders)
    assert not any(token in data for data in files.values() for token in tokens)
    if controller.window is not None:
        controller.window.close()
