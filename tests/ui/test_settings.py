"""ui.settings: typed values, defaults, validation, changed(name), layout persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStringListModel, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView, QTextEdit
from pytestqt.qtbot import QtBot

from ui.settings import (
    ALL_SETTINGS,
    LANGUAGE,
    SERVER_URL,
    SYNC_INTERVAL,
    Setting,
    Settings,
)


def reopen(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_defaults(settings: Settings) -> None:
    assert settings.get(SERVER_URL) == ""
    assert settings.get(SYNC_INTERVAL) == 60
    assert settings.get(LANGUAGE) == "zh_CN"


def test_every_setting_is_declared_once_with_a_description() -> None:
    names = [s.name for s in ALL_SETTINGS]
    assert len(names) == len(set(names))
    for setting in ALL_SETTINGS:
        assert setting.description.strip()
        assert setting.accepts(setting.default)


def test_values_persist_with_their_type(settings: Settings, tmp_path: Path) -> None:
    settings.set(SYNC_INTERVAL, 120)
    settings.set(LANGUAGE, "en")
    settings.set(SERVER_URL, "https://desk.example.cn")
    again = reopen(tmp_path)
    assert again.get(SYNC_INTERVAL) == 120
    assert isinstance(again.get(SYNC_INTERVAL), int)
    assert again.get(LANGUAGE) == "en"
    assert again.get(SERVER_URL) == "https://desk.example.cn"


def test_changed_is_emitted_once_per_real_change(settings: Settings, qtbot: QtBot) -> None:
    with qtbot.waitSignal(settings.changed, timeout=1000) as blocker:
        settings.set(SYNC_INTERVAL, 300)
    assert blocker.args == [SYNC_INTERVAL.name]
    with qtbot.assertNotEmitted(settings.changed):
        settings.set(SYNC_INTERVAL, 300)
    with qtbot.waitSignal(settings.changed, timeout=1000) as blocker:
        settings.reset(SYNC_INTERVAL)
    assert blocker.args == [SYNC_INTERVAL.name]
    assert settings.get(SYNC_INTERVAL) == 60


def test_setting_a_default_value_explicitly_is_not_a_change(
    settings: Settings, qtbot: QtBot
) -> None:
    with qtbot.assertNotEmitted(settings.changed):
        settings.set(LANGUAGE, "zh_CN")
    assert settings.get(LANGUAGE) == "zh_CN"


@pytest.mark.parametrize(
    ("setting", "value"),
    [(LANGUAGE, "fr"), (SYNC_INTERVAL, 5), (SYNC_INTERVAL, "60"), (SYNC_INTERVAL, True)],
)
def test_invalid_values_are_refused(
    settings: Settings, setting: Setting[object], value: object
) -> None:
    with pytest.raises(ValueError, match=setting.name):
        settings.set(setting, value)


def test_a_broken_stored_value_falls_back_to_the_default(tmp_path: Path) -> None:
    raw = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    raw.setValue(SYNC_INTERVAL.name, "soon")
    raw.setValue(LANGUAGE.name, "klingon")
    raw.sync()
    settings = reopen(tmp_path)
    assert settings.get(SYNC_INTERVAL) == 60
    assert settings.get(LANGUAGE) == "zh_CN"


def make_window() -> tuple[QMainWindow, QSplitter, QTableView]:
    window = QMainWindow()
    window.setObjectName("test_window")
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("test_splitter")
    table = QTableView()
    table.setModel(QStringListModel(["a", "b"]))
    table.horizontalHeader().setObjectName("test_table_header")
    splitter.addWidget(table)
    splitter.addWidget(QTextEdit())
    window.setCentralWidget(splitter)
    window.resize(560, 380)
    return window, splitter, table


def test_window_layout_is_remembered(
    settings: Settings, tmp_path: Path, qtbot: QtBot
) -> None:
    window, splitter, table = make_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(700, 500)
    splitter.setSizes([250, 450])
    table.setColumnWidth(0, 111)
    sizes = splitter.sizes()
    settings.save_layout(window)

    again, splitter2, table2 = make_window()
    qtbot.addWidget(again)
    reopen(tmp_path).restore_layout(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.size().width(), again.size().height()) == (700, 500)
    assert splitter2.sizes() == sizes
    assert table2.columnWidth(0) == 111


def test_restoring_without_saved_layout_changes_nothing(
    settings: Settings, qtbot: QtBot
) -> None:
    window, _, _ = make_window()
    qtbot.addWidget(window)
    settings.restore_layout(window)
    assert window.size().width() == 560
