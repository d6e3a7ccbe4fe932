"""The sync bridge's signals and the status bar reacting to them (no dialogs when offline)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from gulou_desk.records import SHANGHAI
from sync.events import FailureReason, SyncListener, SyncProgress, SyncReport
from ui.relative_time import describe_since
from ui.status_bar import PROGRESS_DELAY_MS, SyncStatusBar
from ui.sync_bridge import SyncBridge

NOW = dt.datetime(2026, 11, 28, 15, 30, tzinfo=SHANGHAI)


@pytest.fixture
def bridge() -> SyncBridge:
    return SyncBridge()


@pytest.fixture
def status_bar(qtbot: QtBot, bridge: SyncBridge) -> SyncStatusBar:
    bar = SyncStatusBar(bridge, clock=lambda: NOW)
    qtbot.addWidget(bar)
    bar.show()
    return bar


def visible_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def test_the_listener_fits_the_engine_contract(bridge: SyncBridge) -> None:
    listener: SyncListener = bridge.listener
    for name in ("sync_started", "sync_progressed", "sync_finished", "sync_failed",
                 "online_changed"):
        assert callable(getattr(listener, name))


def test_engine_calls_become_signals(qtbot: QtBot, bridge: SyncBridge) -> None:
    listener = bridge.listener
    with qtbot.waitSignal(bridge.sync_started, timeout=500):
        listener.sync_started()
    assert bridge.syncing
    progress = SyncProgress("pull", 10, 100)
    with qtbot.waitSignal(bridge.sync_progressed, timeout=500) as blocker:
        listener.sync_progressed(progress)
    assert blocker.args == [progress]
    report = SyncReport(pushed=1, pulled=2, changed={"household": frozenset({"h1"})})
    with qtbot.waitSignal(bridge.sync_finished, timeout=500) as blocker:
        listener.sync_finished(report)
    assert blocker.args == [report]
    assert not bridge.syncing and bridge.last_report is report
    assert bridge.last_synced_at is not None
    with qtbot.waitSignal(bridge.sync_failed, timeout=500) as blocker:
        listener.sync_failed(FailureReason.SERVER_ERROR, "HTTP 503")
    assert blocker.args == [FailureReason.SERVER_ERROR, "HTTP 503"]
    with qtbot.waitSignal(bridge.online_changed, timeout=500) as blocker:
        listener.online_changed(False)
    assert blocker.args == [False]
    assert bridge.online is False


def test_online_changed_is_only_emitted_on_a_change(qtbot: QtBot, bridge: SyncBridge) -> None:
    bridge.listener.online_changed(True)
    with qtbot.assertNotEmitted(bridge.online_changed):
        bridge.listener.online_changed(True)


def test_started_shows_the_progress_bar_after_a_short_delay(
    qtbot: QtBot, bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    bridge.listener.sync_started()
    assert not status_bar.progress_bar.isVisible()  # short syncs never flicker
    assert not status_bar.sync_button.isEnabled()
    qtbot.waitUntil(status_bar.progress_bar.isVisible, timeout=PROGRESS_DELAY_MS + 1000)
    bridge.listener.sync_progressed(SyncProgress("pull", 1200, 5000))
    qtbot.waitUntil(lambda: status_bar.progress_bar.maximum() == 5000, timeout=1000)
    assert status_bar.progress_bar.value() == 1200
    assert "1200" in status_bar.progress_label.text()
    assert "5000" in status_bar.progress_label.text()


def test_a_short_sync_never_shows_the_progress_bar(
    qtbot: QtBot, bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    bridge.listener.sync_started()
    bridge.listener.sync_finished(SyncReport())
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert not status_bar.progress_bar.isVisible()


def test_progress_is_redrawn_at_most_ten_times_a_second(
    qtbot: QtBot, bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    bridge.listener.sync_started()
    qtbot.waitUntil(status_bar.progress_bar.isVisible, timeout=2000)
    values: list[int] = []
    status_bar.progress_bar.valueChanged.connect(values.append)
    for done in range(1, 501):
        bridge.listener.sync_progressed(SyncProgress("push", done, 500))
    qtbot.waitUntil(lambda: status_bar.progress_bar.value() == 500, timeout=1000)
    assert len(values) <= 2, values
    assert status_bar.progress_label.text() == "Sending 500 of 500…"


def test_finished_hides_progress_and_shows_last_sync_time(
    qtbot: QtBot, bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    assert "never" in status_bar.last_sync_label.text()
    bridge.listener.sync_started()
    qtbot.waitUntil(status_bar.progress_bar.isVisible, timeout=2000)
    bridge.listener.sync_finished(SyncReport(pushed=3))
    assert not status_bar.progress_bar.isVisible()
    assert status_bar.sync_button.isEnabled()
    bridge.last_synced_at = NOW - dt.timedelta(minutes=3)
    status_bar.set_last_sync(bridge.last_synced_at)
    assert status_bar.last_sync_label.text() == "Last sync: 3 minutes ago"
    assert status_bar.online is True
    assert status_bar.online_label.property("state") == "online"


def test_pending_count(status_bar: SyncStatusBar) -> None:
    assert status_bar.pending_label.text() == "All edits sent"
    status_bar.set_pending_count(1)
    assert status_bar.pending_label.text() == "1 edit to send"
    status_bar.set_pending_count(7)
    assert status_bar.pending_label.text() == "7 edits to send"
    assert status_bar.pending_label.property("state") == "pending"


def test_going_offline_is_shown_in_the_status_bar_and_never_in_a_dialog(
    qtbot: QtBot, bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    bridge.listener.online_changed(True)
    for _ in range(5):
        bridge.listener.sync_started()
        bridge.listener.sync_failed(FailureReason.OFFLINE, "connection refused")
    bridge.listener.online_changed(False)
    qtbot.wait(50)
    assert status_bar.online_label.property("state") == "offline"
    assert status_bar.online_label.accessibleName() == "Offline"
    assert "keep working" in status_bar.online_label.toolTip()
    assert status_bar.currentMessage() == ""
    assert visible_dialogs() == []
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    bridge.listener.online_changed(True)
    assert status_bar.online_label.property("state") == "online"


def test_other_failures_show_a_readable_message(
    bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    bridge.listener.sync_failed(FailureReason.SERVER_ERROR, "HTTP 503 Traceback ...")
    assert status_bar.online_label.property("state") == "problem"
    assert status_bar.currentMessage() == "The server had a problem; sync will try again."
    assert "Traceback" not in status_bar.currentMessage()
    assert visible_dialogs() == []


def test_conflicts_after_a_sync_are_announced(
    bridge: SyncBridge, status_bar: SyncStatusBar
) -> None:
    bridge.listener.sync_finished(SyncReport(conflicts=2, rejected=1))
    assert "3 edits need your decision" in status_bar.currentMessage()


def test_sync_now_button(qtbot: QtBot, status_bar: SyncStatusBar) -> None:
    with qtbot.waitSignal(status_bar.sync_requested, timeout=500):
        status_bar.sync_button.click()


@pytest.mark.parametrize(
    ("then", "expected"),
    [
        (None, "never"),
        (NOW - dt.timedelta(seconds=20), "just now"),
        (NOW - dt.timedelta(minutes=1), "1 minute ago"),
        (NOW - dt.timedelta(minutes=3), "3 minutes ago"),
        (NOW - dt.timedelta(hours=2), "2 hours ago"),
        (dt.datetime(2026, 11, 27, 9, 5, tzinfo=SHANGHAI), "yesterday 09:05"),
        (NOW - dt.timedelta(days=3), "3 days ago"),
    ],
)
def test_relative_times_in_english(then: dt.datetime | None, expected: str) -> None:
    assert describe_since(then, NOW) == expected


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("then", "expected"),
    [
        (None, "从未"),
        (NOW - dt.timedelta(seconds=20), "刚刚"),
        (NOW - dt.timedelta(minutes=3), "3 分钟前"),
        (NOW - dt.timedelta(hours=2), "2 小时前"),
        (dt.datetime(2026, 11, 27, 9, 5, tzinfo=SHANGHAI), "昨天 09:05"),
    ],
)
def test_relative_times_in_chinese(then: dt.datetime | None, expected: str) -> None:
    assert describe_since(then, NOW) == expected


@pytest.mark.usefixtures("chinese")
def test_status_bar_reads_in_chinese(bridge: SyncBridge, status_bar: SyncStatusBar) -> None:
    status_bar.set_pending_count(3)
    status_bar.set_last_sync(NOW - dt.timedelta(minutes=3))
    bridge.listener.online_changed(False)
    assert status_bar.pending_label.text() == "3 项修改待上传"
    assert status_bar.last_sync_label.text() == "上次同步：3 分钟前"
    assert status_bar.online_label.accessibleName() == "离线"
