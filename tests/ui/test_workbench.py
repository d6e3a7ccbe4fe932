"""The workbench against a local copy synced from the real server: the week's plan grouped
by estate and building with counts, Enter opens a visit, a visit made moves the plan,
drafts are offered to continue, and a sync that changed households refreshes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gulou_desk import records
from gulou_desk.store.changes import ChangeSet
from sync.events import SyncReport
from tests.conftest import LiveServer
from tests.sync.conftest import Device, make_device
from tests.ui.conftest import device_context
from tests.world import World, build_world
from ui.sync_bridge import SyncBridge
from ui.visits.dialog import VisitDialog
from ui.workbench import WorkbenchView


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def worker(live_server: LiveServer, world: World, tmp_path: Path) -> Iterator[Device]:
    device = make_device(live_server, tmp_path, "worker1")
    device.sync()
    yield device
    device.store.close()


class Hooked:
    """What the backend hears of a local edit (the context tells the views)."""

    def __init__(self) -> None:
        self.changes: list[ChangeSet] = []

    def __call__(self, changes: ChangeSet) -> None:
        self.changes.append(changes)


def make_view(qtbot: QtBot, worker: Device, bridge: SyncBridge | None = None
              ) -> tuple[WorkbenchView, Hooked]:
    hook = Hooked()
    view = WorkbenchView(device_context(worker, bridge=bridge, edit_made=hook))
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    return view, hook


def tree_texts(view: WorkbenchView) -> list[str]:
    out = []
    model = view.model
    for i in range(model.rowCount()):
        estate = model.item(i)
        out.append(estate.text())
        for j in range(estate.rowCount()):
            building = estate.child(j)
            out.append("  " + building.text())
            out.extend("    " + building.child(k, 0).text() + " | "
                       + building.child(k, 1).text() for k in range(building.rowCount()))
    return out


def planned_ids(view: WorkbenchView) -> set[str]:
    return {str(item.data(Qt.ItemDataRole.UserRole + 1)) for item in view.household_items()}


def test_the_plan_is_grouped_by_estate_and_building_with_counts(
        qtbot: QtBot, worker: Device, world: World, qtmodeltester: object) -> None:
    view, _ = make_view(qtbot, worker)
    assert tree_texts(view) == [
        "颐和新村 (3)",
        "  Building 3 (2)",
        "    张三  2单元301室 | Never visited",
        "    单丽  2单元302室 | Never visited",
        "  Building 5 (1)",
        "    曾国强  2单元301室 | Never visited",
    ], "only the worker's grids (A, B), in walking order"
    assert view.summary.text() == \
        "Overdue 0 · never visited 3 · due today 0 · this week 0"
    assert not view.drafts.isVisible(), "no drafts, no 'continue' list"
    qtmodeltester.check(view.tree.model())  # type: ignore[attr-defined]


def test_enter_opens_a_visit_and_a_visit_made_leaves_the_plan(
        qtbot: QtBot, worker: Device, world: World) -> None:
    view, hook = make_view(qtbot, worker)
    [item] = [i for i in view.household_items()
              if i.data(Qt.ItemDataRole.UserRole + 1) == world["hA1"]]
    view.tree.setCurrentIndex(item.index())
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.dialogs) and view.dialogs[0].is_loaded, timeout=5000)
    dialog: VisitDialog = view.dialogs[0]
    assert dialog.household_id == world["hA1"]
    assert dialog.header.text().startswith("张三")
    assert dialog.form is not None
    dialog.form.editors["at_home"].group.button(0).click()
    with qtbot.waitSignal(dialog.submitted, timeout=10000):
        dialog.submit()
    qtbot.waitUntil(lambda: world["hA1"] not in planned_ids(view), timeout=5000)
    assert planned_ids(view) == {world["hA2"], world["hB1"]}
    assert view.summary.text().startswith("Overdue 0 · never visited 2")
    assert any(c.touches("visit") for c in hook.changes), "the backend heard of the visit"


def test_a_draft_is_offered_on_top_and_continues_where_it_was(
        qtbot: QtBot, worker: Device, world: World) -> None:
    view, _ = make_view(qtbot, worker)
    dialog = view.open_visit(world["hB1"])
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=5000)
    assert dialog.form is not None
    dialog.form.editors["at_home"].group.button(1).click()
    dialog.close()
    qtbot.waitUntil(lambda: view.drafts.count() == 1, timeout=5000)
    assert view.drafts.isVisible()
    item = view.drafts.item(0)
    assert item.text().startswith("Continue: 曾国强 · 颐和新村 5栋2单元301室 (saved ")
    view.drafts.setCurrentItem(item)
    qtbot.keyClick(view.drafts, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.dialogs) and view.dialogs[-1].is_loaded, timeout=5000)
    again = view.dialogs[-1]
    assert again.household_id == world["hB1"]
    assert again.form is not None and again.form.answers() == {"at_home": False}


def test_a_sync_that_changed_households_refreshes_the_plan(
        qtbot: QtBot, worker: Device, world: World) -> None:
    bridge = SyncBridge()
    view, _ = make_view(qtbot, worker, bridge)
    # Someone else's visit to 曾国强 reached the server.
    world.save("visit", None, {
        "household_id": world["hB1"], "worker_id": world["worker1"],
        "template_id": world["template"], "template_version": 1,
        "visited_at": records.now().replace(microsecond=0), "answers": {"at_home": True},
        "notes": None, "follow_up": False, "photos": []})
    world.save("household", "hB1", {
        "grid_id": world["gridB"], "estate": "颐和新村", "building": "5", "unit": "2",
        "room": "301", "address": "南京市鼓楼区颐和新村5栋2单元301室",
        "head_name": "曾国强", "phone": "13812345678", "tags": [], "status": "active",
        "last_visit_at": records.now().replace(microsecond=0)})
    report = worker.sync()
    assert report.changed.get("household")
    bridge.listener.sync_finished(report)
    qtbot.waitUntil(lambda: world["hB1"] not in planned_ids(view), timeout=5000)
    assert tree_texts(view)[:2] == ["颐和新村 (2)", "  Building 3 (2)"]
    before = view.data
    bridge.listener.sync_finished(SyncReport(changed={"inbox_message": frozenset({"x"})}))
    qtbot.wait(200)
    assert view.data is before, "changes that do not concern the plan are ignored"


def test_answers_in_an_open_visit_are_kept_when_the_workbench_goes_away(
        qtbot: QtBot, worker: Device, world: World) -> None:
    view, _ = make_view(qtbot, worker)
    dialog = view.open_visit(world["hA2"])
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=5000)
    assert dialog.form is not None
    dialog.form.editors["at_home"].group.button(0).click()
    assert dialog.has_unsaved()
    view.hide()  # the window closes, or the worker opens another section
    qtbot.waitUntil(lambda: not dialog.has_unsaved(), timeout=2000)
    from gulou_desk.store.drafts import list_drafts

    def drafts() -> list[object]:
        with worker.store.session() as s:
            return list_drafts(s, "visit")

    qtbot.waitUntil(lambda: len(drafts()) == 1, timeout=5000)
