"""Fixtures of the UI tests: offscreen Qt, a qasync loop per test, temporary settings.

``QT_QPA_PLATFORM`` is set before anything imports Qt, so the tests run without a
display. pytest-qt's ``qapp`` is the one QApplication; no test makes its own.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication

from tests.qt_loop import app_loop
from ui.i18n import install_translators, remove_translators
from ui.settings import Settings


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


# The offscreen platform cannot pass size hints to a window manager and says so once per
# dialog; that is the test platform talking, not the app. (Better in pyproject's
# qt_log_ignore, which is not ours to edit.)
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
