"""Journeys of the laptop in the field (issue 14): a revoked laptop wipes itself at its
next contact; the idle lock covers the window and takes the password. (The outbox view's
set-aside, retry and discard are driven through its widgets against the real server in
tests/ui/test_outbox_view.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gulou_desk.store import cipher
from server.demo_data import DEMO_PASSWORD
from sync.client import ApiClient
from sync.wire import Mutation
from tests.journeys.harness import Journey
from ui.idle_lock import IdleLock, LockScreen
from ui.login_dialog import LoginDialog


def _stores(journey: Journey) -> Path:
    return journey.home / "data" / "gulou-desk" / "stores"


def _revoke_devices_of(journey: Journey, username: str) -> int:
    """The street's supervisor revokes every active device of ``username`` (over HTTP, as
    the admin section will)."""
    supervisor = ApiClient(journey.server.url, retries=0)
    supervisor.login("supervisor1", DEMO_PASSWORD, "supervisor-desk", "supervisor desk")
    view = journey.server.pull_as("supervisor1")
    staff = {s["id"]: s for s in view.all("staff")}
    devices = [d for d in view.all("device") if d["status"] == "active"
               and staff.get(d["staff_id"], {}).get("username") == username
               and not d["device_id"].startswith("journey-check")]
    results = supervisor.push("supervisor-desk", [
        Mutation(mutation_id=f"revoke-{d['id']}", entity="device", id=d["id"], op="action",
                 base_version=d["version"], action="revoke", args={"reason": "笔记本遗失"})
        for d in devices])
    assert [r.status for r in results] == ["applied"] * len(devices)
    return len(devices)


def test_a_revoked_laptop_deletes_its_data_at_its_next_sync_and_asks_to_sign_in(
    journey: Journey
) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    assert "在线" in journey.status_text()
    stores = _stores(journey)
    assert any(p.suffix == ".sqlite" for p in stores.iterdir())
    journey.shot("signed in and synced")

    assert _revoke_devices_of(journey, "worker1") == 1
    journey.click(window.status_bar.sync_button)  # the person syncs; the server says no
    dialog = journey.dialog(kind=LoginDialog)
    journey.find("管理员已撤销本电脑的访问权限", within=dialog, exact=False)
    journey.shot("revoked: local data deleted, sign-in asked")

    assert not [p for p in stores.rglob("*") if p.is_file()]
    assert journey.keyring.secrets == {}  # type: ignore[attr-defined]
    held = journey.server.pull_as("admin")
    [device] = [d for d in held.all("device") if d["status"] == "revoked"]
    assert device["revoked_reason"] == "笔记本遗失"

    # The same computer can be signed in again: a new device, a new encrypted store.
    journey.sign_in("worker1")
    [store] = [p for p in stores.iterdir() if p.suffix == ".sqlite"]
    assert not cipher.is_plaintext(store)
    journey.shot("signed in again as a new device")


@pytest.fixture
def quick_lock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The idle time of this journey: seconds, not the setting's 15 minutes."""
    monkeypatch.setattr(IdleLock, "interval_ms", lambda self: 2500)
    yield


def test_the_window_locks_after_a_while_and_the_password_opens_it(
    journey: Journey, quick_lock: None
) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    journey.go_to("住户")
    journey.shot("working on households")

    journey.wait_until(lambda: window.findChild(LockScreen, "lock_screen") is not None,
                       what="the window to lock", timeout=20_000)
    screen = window.findChild(LockScreen, "lock_screen")
    assert screen.geometry() == window.rect()
    journey.find("已锁定", within=screen)
    journey.shot("locked")

    journey.type_into(screen.password_edit, "not-the-password")
    journey.press(Qt.Key.Key_Return, target=screen.password_edit)
    error = journey.by_name("error_label", QLabel, within=screen)
    journey.wait_until(error.isVisible, what="the wrong password said")
    assert error.text() == "密码不正确。再输错 4 次将退出登录。"
    journey.shot("wrong password at the lock")

    journey.type_into(screen.password_edit, DEMO_PASSWORD)
    journey.press(Qt.Key.Key_Return, target=screen.password_edit)
    journey.wait_until(lambda: window.findChild(LockScreen, "lock_screen") is None
                       or not window.findChild(LockScreen, "lock_screen").isVisible(),
                       what="the window to unlock")
    journey.shot("unlocked")
