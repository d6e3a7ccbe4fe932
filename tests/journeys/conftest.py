"""Fixtures of the journeys: the real central server with demo data, the real app.

See ``README.md`` in this folder for how to write a journey. In short::

    def test_something(journey: Journey) -> None:
        journey.start()                       # the app starts as main.py starts it
        journey.sign_in("worker1")            # through the login dialog, like a person
        journey.go_to("住户")                  # the sidebar, by its visible text
        ...
        journey.shot("household found")       # the step's end state, as a PNG

Every test here is marked ``journey`` and runs at 1024×700 and 1600×1000 (the
``window_size`` parameter); ``./dev journeys`` (or ``./dev test -m journey``) runs only
them. The screenshots go to a folder under pytest's temporary folder; the run prints it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from server.database import make_engine, migrate
from server.seed import seed
from tests.journeys.harness import (
    SIZES,
    Journey,
    JourneyServer,
    ShotBook,
)
from tests.keyrings import MemoryKeyring
from tests.qt_loop import app_loop

HERE = Path(__file__).parent
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",
                   "This plugin does not support raise()",
                   "This plugin does not support grabbing the keyboard")
"""What the offscreen platform says of what only a real screen does (raising a window that
a ticket link opens, a popup grabbing the keyboard)."""
_shots_root: list[Path] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.journey)
            item.add_marker(pytest.mark.qt_log_ignore(*map(re.escape, OFFSCREEN_NOISE)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _shots_root:
        terminalreporter.write_sep("-", "journey screenshots")
        terminalreporter.write_line(str(_shots_root[0]))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The central server's database with the ``demo`` data (3,000 households, ten
    social workers), seeded once per test session; each journey works on a copy."""
    path = tmp_path_factory.mktemp("journey-server") / "demo.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
        seed(engine, "demo")
    finally:
        engine.dispose()
    return path


@pytest.fixture(scope="session")
def shots_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(os.environ.get("GULOU_JOURNEY_SHOTS", "")) if os.environ.get(
        "GULOU_JOURNEY_SHOTS") else tmp_path_factory.mktemp("journey-shots")
    root.mkdir(parents=True, exist_ok=True)
    _shots_root[:] = [root]
    return root


@pytest.fixture
def central(demo_template: Path, tmp_path: Path) -> Iterator[JourneyServer]:
    """The real central server on 127.0.0.1, on a copy of the demo database."""
    path = tmp_path / "server" / "server.sqlite"
    path.parent.mkdir()
    shutil.copyfile(demo_template, path)
    server = JourneyServer(f"sqlite:///{path}")
    server.start()
    yield server
    server.stop()
    server.engine.dispose()


@pytest.fixture(params=list(SIZES), ids=[f"{w}x{h}" for w, h in SIZES.values()])
def window_size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return SIZES[request.param]


@pytest.fixture
def journey_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The app's qasync loop on the test's QApplication (as ``ui.app.main`` runs it)."""
    with app_loop(qapp) as loop:
        yield loop


@pytest.fixture
def journey(
    qtbot: QtBot,
    qapp: QApplication,
    journey_loop: qasync.QEventLoop,
    central: JourneyServer,
    window_size: tuple[int, int],
    tmp_path: Path,
    shots_root: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Journey]:
    """One person's session with the app: its own user folders, settings and keyring."""
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    shots = ShotBook(shots_root / request.node.name.replace("/", "_"))
    journey = Journey(qtbot, qapp, central, window_size, home, shots, MemoryKeyring())
    yield journey
    journey.close()
