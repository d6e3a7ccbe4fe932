"""Fixtures of the UI tests: offscreen Qt, a qasync loop per test, temporary settings.

``QT_QPA_PLATFORM`` is set before anything imports Qt, so the tests run without a
display. pytest-qt's ``qapp`` is the one QApplication; no test makes its own.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication

from gulou_desk.store.changes import ChangeSet
from tests.qt_loop import app_loop
from tests.sync.conftest import Device
from ui.i18n import install_translators, remove_translators
from ui.session import Session
from ui.settings import Settings
from ui.shell.context import DeskContext
from ui.sync_bridge import SyncBridge


@pytest.fixture(scope="session")
def translations_built() -> Path:
    """Build the .qm files once per session (lrelease only: the .ts are not touched)."""
    from ui.i18n import TRANSLATIONS_DIR, compile_translations

    compile_translations(only_stale=True)
    return TRANSLATIONS_DIR


@pytest.fixture(autouse=True)
def english(qapp: QApplication, translations_built: Path) -> Iterator[None]:
    """Every UI test runs with a translator, as the app does: English unless it asks."""
    translators = install_translators(qapp, "en")
    yield
    remove_translators(qapp, translators)
    QLocale.setDefault(QLocale("en"))


@pytest.fixture
def chinese(qapp: QApplication, english: None) -> Iterator[None]:
    """Switch the test to Simplified Chinese (the app's default language)."""
    translators = install_translators(qapp, "zh_CN")
    yield
    remove_translators(qapp, translators)
    QLocale.setDefault(QLocale("en"))


@pytest.fixture(autouse=True)
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop on the test's QApplication, marked running (pytest-qt spins Qt)."""
    with app_loop(qapp) as loop:
        yield loop


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings in a temporary ini file (never the user's real ones)."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def device_context(device: Device, settings: Settings | None = None, *,
                   bridge: SyncBridge | None = None,
                   edit_made: Callable[[ChangeSet], None] | None = None) -> DeskContext:
    """The context a view of this device's account gets, as ``SyncBackend`` makes it
    (settings beside the device's store unless given)."""
    user = device.user
    if settings is None:
        folder = device.store.path.parent if device.store.path else Path.cwd()
        settings = Settings(QSettings(str(folder / "settings.ini"),
                                      QSettings.Format.IniFormat))
    session = Session("http://server", user.username, user.id, user.role, user.display_name)
    return DeskContext(device.store, session, bridge or SyncBridge(), settings,
                       edit_made=edit_made)
