"""The main window: navigation by role, empty states, views, badges, counts, sync, layout."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sync.events import FailureReason, SyncReport
from ui.main_window import MainWindow
from ui.navigation import ROLE_SECTIONS, SECTIONS
from ui.session import Session
from ui.settings import Settings
from ui.settings_view import SettingsView
from ui.shell.empty_state import EmptyState
from ui.sync_bridge import SyncBridge


def session(role: str = "social_worker") -> Session:
    return Session("https://desk.example.cn", "zhangsan", "u-1", role, "张三")


def make_window(
    qtbot: QtBot, settings: Settings, role: str = "social_worker", **kw: object
) -> tuple[MainWindow, SyncBridge]:
    bridge = SyncBridge()
    window = MainWindow(settings, bridge, session(role), **kw)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    return window, bridge


def show_active(qtbot: QtBot, window: QWidget) -> None:
    """Shortcuts only reach the active window."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    window.navigation.setFocus()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("social_worker", ["workbench", "households", "visits", "tickets", "inbox",
                           "participation", "gubao", "performance", "conflicts", "settings"]),
        ("worker", ["workbench", "households", "visits", "tickets", "inbox", "participation",
                    "gubao", "performance", "conflicts", "settings"]),
        ("clerk", ["inbox", "tickets", "households", "participation", "gubao", "performance",
                   "conflicts", "settings"]),
        ("supervisor", ["performance", "tickets", "households", "participation", "gubao",
                        "admin", "conflicts", "settings"]),
        ("admin", ["performance", "tickets", "households", "inbox", "participation", "gubao",
                   "admin", "conflicts", "settings"]),
    ],
)
def test_navigation_by_role(
    qtbot: QtBot, settings: Settings, role: str, expected: list[str]
) -> None:
    window, _ = make_window(qtbot, settings, role)
    assert window.sections() == expected
    assert window.current_section() == expected[0]
    texts = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert texts == [SECTIONS[key].title for key in expected]


def test_a_section_of_another_role_cannot_be_shown(qtbot: QtBot, settings: Settings) -> None:
    window, _ = make_window(qtbot, settings, "clerk")
    with pytest.raises(KeyError):
        window.show_section("visits")


def test_every_role_has_settings_and_conflicts() -> None:
    for sections in ROLE_SECTIONS.values():
        assert "settings" in sections and "conflicts" in sections


def test_sections_without_a_view_say_what_will_come(qtbot: QtBot, settings: Settings) -> None:
    window, _ = make_window(qtbot, settings)
    for key in window.sections():
        window.show_section(key)
        if key == "settings":
            assert window.page(key).findChild(SettingsView) is not None
            continue
        state = window.page(key).findChild(EmptyState)
        assert state is not None, key
        assert state.title_label.text() == SECTIONS[key].empty_title
        assert state.text_label.text() == SECTIONS[key].empty_text
        assert len(state.text_label.text()) > 40


@pytest.mark.usefixtures("chinese")
def test_navigation_and_empty_states_read_in_chinese(
    qtbot: QtBot, settings: Settings
) -> None:
    window, _ = make_window(qtbot, settings)
    texts = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert texts == ["工作台", "住户", "走访", "工单", "诉求收件箱", "居民参与", "鼓宝", "绩效考核",
                     "冲突处理", "设置"]
    state = window.page("workbench").findChild(EmptyState)
    assert state is not None and state.title_label.text() == "今日工作一览"
    assert window.windowTitle() == "鼓楼e家 · 桌面版"
    who = window.findChild(QLabel, "who")
    assert who is not None and who.text() == "张三 · 社工"


def test_views_are_built_lazily_and_once(qtbot: QtBot, settings: Settings) -> None:
    built: list[QWidget] = []

    def households(parent: QWidget) -> QWidget:
        view = QLabel("the households view", parent)
        view.setObjectName("households_view")
        built.append(view)
        return view

    window, _ = make_window(qtbot, settings, views={"households": households})
    assert built == []
    window.show_section("households")
    window.show_section("workbench")
    window.show_section("households")
    assert len(built) == 1
    assert window.page("households").findChild(QLabel, "households_view") is built[0]
    assert window.page("households").findChild(EmptyState) is None


def test_register_view_replaces_an_empty_state_already_shown(
    qtbot: QtBot, settings: Settings
) -> None:
    window, _ = make_window(qtbot, settings)
    window.show_section("tickets")
    assert window.page("tickets").findChild(EmptyState) is not None
    window.register_view("tickets", lambda parent: QLabel("tickets!", parent))
    qtbot.waitUntil(lambda: window.page("tickets").findChild(EmptyState) is None)
    labels = [w.text() for w in window.page("tickets").findChildren(QLabel)]
    assert "tickets!" in labels


def test_sidebar_click_and_keyboard_switch_sections(qtbot: QtBot, settings: Settings) -> None:
    window, _ = make_window(qtbot, settings, "clerk")
    show_active(qtbot, window)
    with qtbot.waitSignal(window.section_changed, timeout=500) as blocker:
        window.navigation.setCurrentRow(1)
    assert blocker.args == ["tickets"]
    with qtbot.waitSignal(window.section_changed, timeout=500) as blocker:
        qtbot.keyClick(window.navigation, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["households"]


@pytest.mark.parametrize(
    ("key", "modifier"),
    [(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier),
     (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)],
)
def test_sync_now_shortcuts(
    qtbot: QtBot, settings: Settings, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    window, _ = make_window(qtbot, settings)
    show_active(qtbot, window)
    with qtbot.waitSignal(window.sync_requested, timeout=500):
        qtbot.keyClick(window.navigation, key, modifier)


def test_sync_now_button_is_disabled_while_syncing(qtbot: QtBot, settings: Settings) -> None:
    window, bridge = make_window(qtbot, settings)
    bridge.listener.sync_started()
    assert not window.status_bar.sync_button.isEnabled()
    bridge.listener.sync_finished(SyncReport())
    assert window.status_bar.sync_button.isEnabled()
    with qtbot.waitSignal(window.sync_requested, timeout=500):
        window.status_bar.sync_button.click()


def test_counts_run_in_the_background_and_after_each_sync(
    qtbot: QtBot, settings: Settings
) -> None:
    gui = threading.get_ident()
    calls: list[int] = []
    pending = [2]

    def count_pending() -> int:
        calls.append(threading.get_ident())
        return pending[0]

    window, bridge = make_window(
        qtbot, settings, "supervisor",
        counts={"pending": count_pending, "conflicts": lambda: 4, "inbox": lambda: 9},
    )
    qtbot.waitUntil(lambda: window.status_bar.pending_count == 2, timeout=2000)
    assert window.navigation.badge("conflicts") == 4
    assert window.navigation.badge("inbox") == 0  # a supervisor has no inbox section
    assert calls and gui not in calls
    pending[0] = 0
    with qtbot.waitSignal(window.counts_refreshed, timeout=2000):
        bridge.listener.sync_finished(SyncReport(pushed=2))
    assert window.status_bar.pending_count == 0
    assert window.status_bar.pending_label.text() == "All edits sent"


def test_conflicts_badge_and_empty_state(qtbot: QtBot, settings: Settings) -> None:
    window, _ = make_window(qtbot, settings)
    window.show_section("conflicts")
    state = window.page("conflicts").findChild(EmptyState)
    assert state is not None and state.title_label.text() == "No conflicts"
    window.set_badge("conflicts", 3)
    assert window.navigation.badge("conflicts") == 3
    assert state.title_label.text() == "3 edits wait for your decision"
    window.set_badge("conflicts", 0)
    assert state.title_label.text() == "No conflicts"


def test_a_failing_count_shows_no_dialog(qtbot: QtBot, settings: Settings) -> None:
    def broken() -> int:
        raise RuntimeError("database is locked")

    window, _ = make_window(qtbot, settings, counts={"pending": broken})
    qtbot.wait(200)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]
    assert window.status_bar.pending_count == 0


def test_offline_is_a_status_not_a_dialog(qtbot: QtBot, settings: Settings) -> None:
    window, bridge = make_window(qtbot, settings)
    window.show()
    for _ in range(3):
        bridge.listener.sync_failed(FailureReason.OFFLINE, "refused")
    bridge.listener.online_changed(False)
    qtbot.wait(50)
    assert window.status_bar.online_label.property("state") == "offline"
    assert QApplication.activeModalWidget() is None
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]


def test_window_size_and_splitter_are_remembered(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    window, _ = make_window(qtbot, settings)
    window.show()
    qtbot.waitExposed(window)
    window.resize(740, 520)
    window.splitter.setSizes([250, 490])
    sizes = window.splitter.sizes()
    window.close()

    again_settings = Settings(
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    )
    again, _ = make_window(qtbot, again_settings)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (740, 520)
    assert again.splitter.sizes() == sizes


def test_settings_view_edits_settings(qtbot: QtBot, settings: Settings) -> None:
    from ui.settings import LANGUAGE, SYNC_INTERVAL

    window, _ = make_window(qtbot, settings)
    window.show_section("settings")
    view = window.page("settings").findChild(SettingsView)
    assert view is not None
    with qtbot.waitSignal(settings.changed, timeout=500) as blocker:
        view.interval_spin.setValue(120)
    assert blocker.args == [SYNC_INTERVAL.name] and settings.get(SYNC_INTERVAL) == 120
    view.language_combo.setCurrentIndex(view.language_combo.findData("en"))
    assert settings.get(LANGUAGE) == "en"
    with qtbot.waitSignal(window.sign_out_requested, timeout=500):
        view.sign_out_button.click()
