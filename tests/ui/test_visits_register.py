"""The register's filters (grid, building, tag, due for a visit, open tickets), remembered
across a reopening, and the household detail's visit history — on a local copy synced
from the real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gulou_desk import records
from gulou_desk.store.usecases import create_record
from tests.conftest import LiveServer
from tests.sync.conftest import Device, make_device
from tests.world import World, build_world
from ui.households import HouseholdsView
from ui.session import Session
from ui.settings import Settings
from ui.shell.context import DeskContext
from ui.sync_bridge import SyncBridge


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    w.household("hA2", "gridA", head_name="单丽", room="302", tags=["独居老人"])
    w.ticket("tB", "gridB", household_id=w["hB1"])
    return w


@pytest.fixture
def worker(live_server: LiveServer, world: World, tmp_path: Path) -> Iterator[Device]:
    device = make_device(live_server, tmp_path, "worker1")
    device.sync()
    yield device
    device.store.close()


def make_view(qtbot: QtBot, worker: Device, settings: Settings) -> HouseholdsView:
    session = Session("http://server", "worker1", worker.user.id, "social_worker", "Worker1")
    view = HouseholdsView(DeskContext(worker.store, session, SyncBridge(), settings))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.filter_bar._ready and view.filter_bar.grid.count() > 1,
                    timeout=5000)
    qtbot.waitUntil(lambda: not view.model.loading, timeout=5000)
    return view


def shown(qtbot: QtBot, view: HouseholdsView, count: int) -> list[str]:
    qtbot.waitUntil(lambda: not view.model.loading and view.model.rowCount() == count,
                    timeout=5000)
    qtbot.waitUntil(lambda: all(view.model.row_at(i) is not None
                                for i in range(view.model.rowCount())), timeout=5000)
    rows = [view.model.row_at(i) for i in range(view.model.rowCount())]
    return sorted(r.head_name for r in rows if r is not None)


def choose(combo: object, text: str) -> None:
    i = combo.findText(text)  # type: ignore[attr-defined]
    assert i >= 0, text
    combo.setCurrentIndex(i)  # type: ignore[attr-defined]


def test_filters_narrow_the_register_and_are_remembered(
        qtbot: QtBot, worker: Device, world: World, settings: Settings) -> None:
    view = make_view(qtbot, worker, settings)
    bar = view.filter_bar
    assert shown(qtbot, view, 3) == ["单丽", "张三", "曾国强"]
    choose(bar.grid, "gridB")
    assert shown(qtbot, view, 1) == ["曾国强"]
    bar.reset()
    choose(bar.building, "颐和新村 building 3")
    assert shown(qtbot, view, 2) == ["单丽", "张三"]
    choose(bar.tag, "Elderly living alone")  # the tag 独居老人, in English
    assert shown(qtbot, view, 1) == ["单丽"]
    bar.reset()
    bar.open_tickets.setChecked(True)
    assert shown(qtbot, view, 1) == ["曾国强"]
    bar.open_tickets.setChecked(False)
    choose(bar.visit, "Due for a visit")
    assert shown(qtbot, view, 3) == ["单丽", "张三", "曾国强"]
    # A visit made here takes 张三 off "due" at once.
    _, changes = create_record(worker.store, "visit", {
        "household_id": world["hA1"], "template_id": world["template"],
        "visited_at": records.now().replace(microsecond=0), "answers": {"at_home": True}},
        actor=worker.actor())
    view.apply_changes(changes)
    assert shown(qtbot, view, 2) == ["单丽", "曾国强"]

    # Reopened (the next start): the same filter, the same list.
    again = make_view(qtbot, worker, settings)
    assert again.filter_bar.visit.currentText() == "Due for a visit"
    assert shown(qtbot, again, 2) == ["单丽", "曾国强"]


def test_the_household_detail_shows_its_visits_and_tickets(
        qtbot: QtBot, worker: Device, world: World, settings: Settings) -> None:
    view = make_view(qtbot, worker, settings)
    create_record(worker.store, "visit", {
        "household_id": world["hB1"], "template_id": world["template"],
        "visited_at": records.now().replace(microsecond=0), "answers": {"at_home": False}},
        actor=worker.actor())
    view.detail.show_household(world["hB1"])
    history = view.detail.history
    qtbot.waitUntil(lambda: history.data is not None
                    and history.data.household_id == world["hB1"], timeout=5000)
    assert history.tabs.tabText(0) == "Visits (1)"
    assert history.tabs.tabText(1) == "Tickets (1)"
    assert "路灯坏了" in history.tickets.item(0).text()
