"""A lost laptop: its supervisor revokes it; at its next contact the app pushes nothing
more, deletes its local data (stores, photos, keyring entries, device id) and returns to
sign-in. Until then (offline) it keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gulou_desk.domain.workflows import Actor
from gulou_desk.store.outbox import pending_count
from gulou_desk.store.usecases import update_record
from server.devices import record_id
from sync.credentials import CredentialStore
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.ui.test_backend import stop_controller
from tests.ui.test_login_flow import sign_in
from tests.world import PASSWORD, Api, World, build_world, held, mutation
from ui.app import AppController
from ui.backend import SyncBackend, open_account, store_path
from ui.settings import Settings


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def test_a_revoked_laptop_wipes_itself_at_its_next_contact_and_asks_to_sign_in(
    qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World, tmp_path: Path
) -> None:
    keyring = MemoryKeyring()
    credentials = CredentialStore(tmp_path / "config", backend=keyring)
    controller = AppController(
        settings, credentials, quit_app=lambda: None,
        backend_factory=lambda s, c: open_account(s, c, data_dir=tmp_path / "data"))
    try:
        dialog = controller.ask_login(live_server.url, "worker1")
        with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
            sign_in(qtbot, dialog, PASSWORD)
        backend = controller.backend
        assert isinstance(backend, SyncBackend)
        session = backend.session
        path = store_path(session, tmp_path / "data")
        photo = path.parent / "blobs" / "ab" / ("ab" * 32)
        photo.parent.mkdir(parents=True)
        photo.write_bytes(b"\xff\xd8\xff a photo of a resident's kitchen")
        assert keyring.secrets and (tmp_path / "config" / "device.json").exists()
        device = record_id(session.user_id, credentials.device_id())

        # Offline (no contact yet): the laptop keeps working; an edit is queued.
        update_record(backend.store, "household", world["hA1"], {"notes": "离线时的修改"},
                      actor=Actor(id=session.user_id, role="social_worker",
                                  grid_ids=frozenset({world["gridA"]})))
        with backend.store.session() as s:
            assert pending_count(s) == 1

        supervisor = Api(live_server.api).login("supervisor1")
        version = held(supervisor.pull_all()[0])[("device", device)]["version"]
        [revoked] = supervisor.push(mutation("device", device, "action", action="revoke",
                                             base_version=version, args={"reason": "遗失"}))
        assert revoked["status"] == "applied"

        # Its next contact: nothing is pushed, everything local goes, sign-in shows.
        with qtbot.waitSignal(controller.bridge.sync_failed, timeout=20_000):
            controller.backend.sync_now()
        qtbot.waitUntil(lambda: controller._dialog is not None, timeout=20_000)
        intro = controller._dialog.findChild(QLabel, "dialog_intro")
        assert "revoked this computer's access" in intro.text()
        assert controller.backend is None and controller.window is None
        assert not path.exists() and not photo.exists()
        assert not any(p.is_file() for p in path.parent.rglob("*"))
        assert keyring.secrets == {}
        assert not (tmp_path / "config" / "device.json").exists()
        assert credentials.last_account() is None
        # The queued edit never reached the server.
        admin = Api(live_server.api).login("admin")
        assert held(admin.pull_all()[0])[("household", world["hA1"])]["data"]["notes"] != (
            "离线时的修改")
        controller._dialog.close()
    finally:
        stop_controller(qtbot, controller)
