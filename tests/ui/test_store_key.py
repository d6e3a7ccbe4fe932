"""The account's encrypted store behind the window: its key in the keyring, a store whose
key is gone refused then downloaded anew after sign-in, and no resident's ID number or
phone in the store, its WAL or the log after a real first sync of the demo data."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from gulou_desk.domain.workflows import Actor
from gulou_desk.log_privacy import redact
from gulou_desk.store import cipher
from gulou_desk.store.engine import Store
from gulou_desk.store.outbox import pending_count
from gulou_desk.store.usecases import update_record
from server.demo_data import DEMO_PASSWORD
from server.seed import seed
from sync.client import ApiClient
from sync.credentials import STORE_KEY_PREFIX, CredentialStore, service_name
from sync.engine import SyncEngine
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.ui.test_backend import stop_controller
from tests.ui.test_login_flow import sign_in
from tests.world import PASSWORD, build_world
from ui.app import AppController, PrivateLogFile
from ui.backend import SyncBackend, open_account, store_path
from ui.session import Session
from ui.settings import Settings


def _signed_in(server: LiveServer, config: Path, username: str, password: str = PASSWORD
               ) -> tuple[Session, CredentialStore, MemoryKeyring, ApiClient]:
    keyring = MemoryKeyring()
    credentials = CredentialStore(config, backend=keyring)
    client = ApiClient(server.url)
    pair = client.login(username, password, credentials.device_id(), "pytest")
    credentials.set_access_token(pair.access_token)
    credentials.save_refresh_token(server.url, username, pair.refresh_token)
    session = Session(server.url, username, pair.user.id, pair.user.role,
                      pair.user.display_name, remembered=True)
    return session, credentials, keyring, client


def test_the_first_sign_in_makes_a_key_in_the_keyring_and_an_encrypted_store(
    live_server: LiveServer, tmp_path: Path
) -> None:
    build_world(live_server.engine)
    session, credentials, keyring, _ = _signed_in(live_server, tmp_path / "config", "worker1")
    opened = open_account(session, credentials, data_dir=tmp_path / "data")
    try:
        secret = keyring.secrets[(service_name(live_server.url, STORE_KEY_PREFIX), "worker1")]
        assert cipher.key_from_text(secret) is not None  # 256 random bits
        path = store_path(session, tmp_path / "data")
        assert not cipher.is_plaintext(path)
        assert opened.set_aside is None
    finally:
        opened.discard()
    # Opened again (the next start): the same key, the same store.
    again = open_account(session, credentials, data_dir=tmp_path / "data")
    with again.store as store, store.session() as s:
        assert s.execute(sa.text("SELECT count(*) FROM sqlite_master")).scalar_one() > 0
    assert list(keyring.secrets.values()).count(secret) == 1
    # Nothing of the key in a file of the app's.
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert secret.encode() not in file.read_bytes(), file
            assert bytes.fromhex(secret) not in file.read_bytes(), file


@pytest.fixture
def stranded(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[Session, Path, bytes]]:
    """worker1's store with an unsent edit, whose key (and sign-in) this computer lost."""
    build_world(live_server.engine)
    session, credentials, _keyring, _ = _signed_in(live_server, tmp_path / "old", "worker1")
    opened = open_account(session, credentials, data_dir=tmp_path / "data")

    store: Store = opened.store
    with store.write() as s:
        s.execute(sa.text("INSERT INTO households (id, grid_id, estate, head_name, status, tags, "
                          "sync_version) VALUES ('h-9', 'g', '汇林', '张雪', 'active', '[]', 1)"))
    update_record(store, "household", "h-9", {"notes": "未发送"},
                  actor=Actor(id=session.user_id, role="social_worker",
                              grid_ids=frozenset({"g"})))
    opened.discard()
    path = store_path(session, tmp_path / "data")
    yield session, path, path.read_bytes()


def test_a_store_whose_key_is_gone_is_refused_then_downloaded_anew_after_sign_in(
    qtbot: QtBot, settings: Settings, live_server: LiveServer, tmp_path: Path,
    stranded: tuple[Session, Path, bytes],
) -> None:
    session, path, before = stranded
    credentials = CredentialStore(tmp_path / "config", backend=MemoryKeyring())
    credentials.remember_account(session.to_account())
    controller = AppController(
        settings, credentials, quit_app=lambda: None,
        backend_factory=lambda s, c: open_account(s, c, data_dir=tmp_path / "data"))
    try:
        controller.start()  # offline first, with the last account
        qtbot.waitUntil(lambda: controller._dialog is not None, timeout=10_000)
        dialog = controller._dialog
        assert controller.backend is None and controller.window is not None
        intro = dialog.findChild(QLabel, "dialog_intro")
        assert "its key is not in this computer's key store" in intro.text()
        assert path.read_bytes()[:4096] == before[:4096]  # kept, untouched
        assert [p.name for p in path.parent.iterdir()] == [path.name]

        with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
            sign_in(qtbot, dialog, PASSWORD)
        backend = controller.backend
        assert isinstance(backend, SyncBackend)
        window = controller.window
        box = window.findChild(QMessageBox, "op_info_box")
        assert box is not None and box.isVisible()
        assert "kept as" in box.text() and "unreadable" in box.text()
        asides = [p for p in path.parent.iterdir() if "unreadable" in p.name
                  and p.suffix == ".sqlite"]
        assert len(asides) == 1 and asides[0].read_bytes()[:4096] == before[:4096]
        with backend.store.session() as s:  # the new store: the world, downloaded again
            assert s.execute(sa.text("SELECT count(*) FROM households")).scalar_one() == 3
            assert pending_count(s) == 0
        box.close()
    finally:
        stop_controller(qtbot, controller)


def test_no_resident_id_number_or_phone_in_the_store_its_wal_or_the_log(
    live_server: LiveServer, tmp_path: Path
) -> None:
    seed(live_server.engine, "demo")
    session, credentials, _, client = _signed_in(live_server, tmp_path / "config", "worker1",
                                                  DEMO_PASSWORD)
    log_file = tmp_path / "logs" / "gulou-desk.log"
    handler = PrivateLogFile(log_file)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # every statement
    try:
        opened = open_account(session, credentials, data_dir=tmp_path / "data")
        engine = SyncEngine(opened.store, client, client_id=opened.device_id, page_size=500)
        report = engine.run_cycle()
        assert report.pulled > 1000
        with opened.store.session() as s:
            id_number, phone, name = s.execute(sa.text(
                "SELECT id_number, phone, name FROM residents WHERE id_number != '' "
                "AND phone != '' LIMIT 1")).one()
            logging.getLogger("pytest").error("a failure that quotes %s and %s", id_number,
                                              phone)
        path = store_path(session, tmp_path / "data")
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0
        handler.flush()
        files = [path, wal, log_file]
        for file in files:
            data = file.read_bytes()
            for needle in (id_number, phone, name):
                assert needle.encode("utf-8") not in data, (file.name, needle)
        assert "SELECT" in log_file.read_text(encoding="utf-8")  # the log was written
        assert "[redacted]" in log_file.read_text(encoding="utf-8")
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(path).execute("SELECT * FROM residents").fetchall()
        opened.discard()
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def test_the_log_file_is_the_users_only(tmp_path: Path) -> None:
    import os
    import stat

    handler = PrivateLogFile(tmp_path / "logs" / "gulou-desk.log")
    try:
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "hello", None, None))
        assert stat.S_IMODE((tmp_path / "logs" / "gulou-desk.log").stat().st_mode) == 0o600
        if os.name == "posix":
            handler.doRollover()
            handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "again", None, None))
            for file in (tmp_path / "logs").iterdir():
                assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    finally:
        handler.close()


def test_the_log_masks_id_numbers_and_phones_but_not_record_ids() -> None:
    record = "3f2a9c1e-0000-4000-8000-139123456780"
    text = (f"household {record} saved; 320106198001010062, 32010619800101003X; "
            "139 1234 5678, +86 13912345678, 025-83123456")
    assert redact(text) == (f"household {record} saved; [redacted], [redacted]; "
                            "[redacted], [redacted], [redacted]")
