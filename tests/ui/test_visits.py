"""The visit dialog against the real server: drafts that survive closing and a restart, a
visit made offline that arrives later and moves the plan, photos uploaded, and "found a
problem" raising a ticket the server accepts with the visit's id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gulou_desk.store import open_store
from gulou_desk.store.drafts import list_drafts
from gulou_desk.store.visit_plan import visit_plan
from server.schema import RECORD_TABLES, blobs
from sync.client import OfflineError
from tests.conftest import LiveServer
from tests.sync.conftest import Device, make_device
from tests.ui.conftest import device_context
from tests.world import World, build_world
from ui.shell.context import DeskContext
from ui.visits.dialog import DRAFT_KIND, VisitDialog


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def worker(live_server: LiveServer, world: World, tmp_path: Path) -> Iterator[Device]:
    device = make_device(live_server, tmp_path, "worker1")
    device.sync()
    yield device
    device.store.close()


def context(device: Device) -> DeskContext:
    return device_context(device)


def open_dialog(qtbot: QtBot, device: Device, **kw: Any) -> VisitDialog:
    dialog = VisitDialog(context(device), **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=5000)
    return dialog


def answer_at_home(dialog: VisitDialog, yes: bool = True) -> None:
    assert dialog.form is not None
    dialog.form.editors["at_home"].group.button(0 if yes else 1).click()


def submit(qtbot: QtBot, dialog: VisitDialog) -> str:
    with qtbot.waitSignal(dialog.submitted, timeout=10000) as got:
        dialog.submit()
    return str(got.args[0])


def server_row(server: LiveServer, entity: str, record_id: str) -> dict[str, Any] | None:
    table = RECORD_TABLES[entity]
    with server.engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().first()
    return None if row is None else dict(row)


def drafts_of(store: Any) -> list[Any]:
    with store.session() as s:
        return list_drafts(s, DRAFT_KIND)


def test_a_draft_survives_closing_the_dialog_and_a_restart(
        qtbot: QtBot, worker: Device, world: World) -> None:
    dialog = open_dialog(qtbot, worker, household_id=world["hA1"])
    answer_at_home(dialog, yes=False)
    dialog.problem_box.setChecked(True)
    dialog.problem_title.setText("楼道灯不亮")
    visit_id = dialog.visit_id
    dialog.close()  # by mistake: no "Save draft" pressed
    qtbot.waitUntil(lambda: len(drafts_of(worker.store)) == 1, timeout=5000)
    [draft] = drafts_of(worker.store)
    assert draft.record_id == visit_id
    assert draft.payload["answers"] == {"at_home": False}

    again = open_dialog(qtbot, worker, household_id=world["hA1"])
    assert again.draft_id == draft.id and again.visit_id == visit_id
    assert again.form is not None and again.form.answers() == {"at_home": False}
    assert again.problem_box.isChecked() and again.problem_title.text() == "楼道灯不亮"
    assert again.status.text() == "Continuing the draft saved before."
    again.reject()

    # A restart: a new store object on the same file, the draft opened by its id.
    path = worker.store.path
    assert path is not None
    worker.store.close()
    worker.store = open_store(path)
    restarted = open_dialog(qtbot, worker, draft_id=draft.id)
    assert restarted.household_id == world["hA1"]
    assert restarted.form is not None and restarted.form.answers() == {"at_home": False}
    answer_at_home(restarted, yes=True)
    submit(qtbot, restarted)
    assert drafts_of(worker.store) == [], "the draft goes once the visit is made"


def test_autosave_keeps_the_answers_after_a_pause(
        qtbot: QtBot, worker: Device, world: World) -> None:
    dialog = open_dialog(qtbot, worker, household_id=world["hA2"])
    with qtbot.waitSignal(dialog.draft_saved, timeout=5000):
        answer_at_home(dialog)
    [draft] = drafts_of(worker.store)
    assert draft.payload["answers"] == {"at_home": True}
    assert dialog.status.text().startswith("Draft saved at")


def test_submit_is_refused_in_words_while_answers_are_missing(
        qtbot: QtBot, worker: Device, world: World) -> None:
    dialog = open_dialog(qtbot, worker, household_id=world["hA1"])
    dialog.submit()
    assert dialog.status.text() == "1 answer needs attention."
    assert dialog.form is not None and dialog.form.error_text("at_home") == \
        "Please fill this in."
    assert dialog.isVisible() and not dialog.is_submitted


def test_a_visit_made_offline_is_queued_then_reaches_the_server_and_the_plan_moves(
        qtbot: QtBot, worker: Device, world: World, live_server: LiveServer) -> None:
    def planned() -> set[str]:
        with worker.store.session() as s:
            plan = visit_plan(s, worker_grid_ids=worker.actor().grid_ids)
        return {h.id for h in plan.households() if h.due.state.is_due}

    assert world["hA1"] in planned()
    live_server.stop()
    try:
        dialog = open_dialog(qtbot, worker, household_id=world["hA1"])
        answer_at_home(dialog)
        visit_id = submit(qtbot, dialog)
        assert world["hA1"] not in planned(), "the plan moves at once, before any sync"
        with pytest.raises(OfflineError):
            worker.sync()
    finally:
        live_server.restart()
    assert server_row(live_server, "visit", visit_id) is None
    report = worker.sync()
    assert report.applied >= 1
    row = server_row(live_server, "visit", visit_id)
    assert row is not None and row["answers"] == {"at_home": True}
    assert row["household_id"] == world["hA1"] and row["template_version"] == 1
    household = server_row(live_server, "household", world["hA1"])
    assert household is not None and household["last_visit_at"] is not None
    assert world["hA1"] not in planned(), "still off the plan after the server's answer"


def test_a_photo_added_to_a_visit_is_uploaded(
        qtbot: QtBot, worker: Device, world: World, live_server: LiveServer,
        tmp_path: Path) -> None:
    # The world's template has no photo field: give it one, as a new version.
    world.save("visit_template", "template", {
        "name": "常规走访", "version": 2, "active": True, "fields": [
            {"key": "at_home", "type": "yes_no", "label": {"zh": "在家", "en": "At home"},
             "required": True},
            {"key": "photos", "type": "photo", "label": {"zh": "照片", "en": "Photos"}}]})
    worker.sync()
    path = tmp_path / "stairs.jpg"
    Image.new("RGB", (2000, 1500), (90, 140, 60)).save(path, "JPEG")
    dialog = open_dialog(qtbot, worker, household_id=world["hB1"])
    assert dialog.form is not None
    with qtbot.waitSignal(dialog.form.photos_imported, timeout=10000) as got:
        dialog.form.import_photos("photos", [path])
    [sha] = got.args[0]
    answer_at_home(dialog)
    visit_id = submit(qtbot, dialog)
    worker.sync()
    with live_server.engine.connect() as conn:
        held = conn.execute(sa.select(blobs.c.sha256)).scalars().all()
    assert sha in held
    row = server_row(live_server, "visit", visit_id)
    assert row is not None and row["photos"] == [sha]
    assert row["answers"]["photos"] == [sha] and row["template_version"] == 2


def test_found_a_problem_raises_a_ticket_the_server_accepts_with_the_visit_id(
        qtbot: QtBot, worker: Device, world: World, live_server: LiveServer) -> None:
    dialog = open_dialog(qtbot, worker, household_id=world["hA2"])
    answer_at_home(dialog)
    dialog.problem_box.setChecked(True)
    dialog.submit()
    assert dialog.problem_error.text() == \
        "Give the problem a title, so the ticket can be found."
    assert not dialog.is_submitted
    dialog.problem_title.setText("燃气管老化")
    dialog.problem_description.setPlainText("厨房燃气软管开裂，已提醒关阀")
    dialog.problem_category.setCurrentIndex(dialog.problem_category.findData("public_safety"))
    visit_id = submit(qtbot, dialog)
    worker.sync()
    tickets = RECORD_TABLES["ticket"]
    with live_server.engine.connect() as conn:
        rows = conn.execute(sa.select(tickets).where(tickets.c.visit_id == visit_id)
                            ).mappings().all()
    [ticket] = rows
    assert ticket["household_id"] == world["hA2"] and ticket["source"] == "visit"
    assert ticket["title"] == "燃气管老化" and ticket["category"] == "public_safety"
    assert ticket["number"] and ticket["assignee_id"] == worker.user.id
    assert server_row(live_server, "visit", visit_id) is not None


def test_the_household_history_shows_visits_with_thumbnails_and_tickets(
        qtbot: QtBot, worker: Device, world: World, tmp_path: Path) -> None:
    from ui.visits.history import HouseholdHistory

    world.save("visit_template", "template", {
        "name": "常规走访", "version": 2, "active": True, "fields": [
            {"key": "at_home", "type": "yes_no", "label": {"zh": "在家", "en": "At home"},
             "required": True},
            {"key": "photos", "type": "photo", "label": {"zh": "照片", "en": "Photos"}}]})
    worker.sync()
    path = tmp_path / "door.jpg"
    Image.new("RGB", (800, 600), (200, 90, 60)).save(path, "JPEG")
    dialog = open_dialog(qtbot, worker, household_id=world["hA1"])
    assert dialog.form is not None
    with qtbot.waitSignal(dialog.form.photos_imported, timeout=10000):
        dialog.form.import_photos("photos", [path])
    answer_at_home(dialog)
    dialog.problem_box.setChecked(True)
    dialog.problem_title.setText("楼道灯不亮")
    submit(qtbot, dialog)

    history = HouseholdHistory(context(worker).desk)
    qtbot.addWidget(history)
    history.show_household(world["hA1"])
    qtbot.waitUntil(lambda: history.data is not None, timeout=5000)
    assert history.tabs.tabText(0) == "Visits (1)"
    item = history.visits.item(0)
    assert "(not sent yet)" in item.text() and "Worker1" in item.text()
    assert not item.icon().isNull(), "the photo shows as a thumbnail"
    tickets = [history.tickets.item(i).text() for i in range(history.tickets.count())]
    assert any("楼道灯不亮" in t and "(from a visit)" in t for t in tickets)
    worker.sync()
    history.reload()
    qtbot.waitUntil(lambda: "(not sent yet)" not in history.visits.item(0).text(),
                    timeout=5000)


def test_the_visits_section_lists_drafts_and_the_visits_made(
        qtbot: QtBot, worker: Device, world: World) -> None:
    from ui.visits.view import VisitsView

    ctx = context(worker)
    view = VisitsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    assert not view.drafts.isVisible()
    assert view.recent.item(0).text() == "No visits yet: open one from the workbench."
    dialog = open_dialog(qtbot, worker, household_id=world["hA1"])
    answer_at_home(dialog)
    submit(qtbot, dialog)
    draft = open_dialog(qtbot, worker, household_id=world["hB1"])
    answer_at_home(draft, yes=False)
    draft.close()
    qtbot.waitUntil(lambda: len(drafts_of(worker.store)) == 1, timeout=5000)
    view.refresh()
    qtbot.waitUntil(lambda: view.drafts.count() == 1 and view.recent.count() == 1,
                    timeout=5000)
    assert "张三" in view.recent.item(0).text()
    assert "(not sent yet)" in view.recent.item(0).text()
    assert view.drafts.item(0).text().startswith("Continue: 曾国强")
    view.drafts.setCurrentRow(0)
    qtbot.keyClick(view.drafts, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.dialogs) and view.dialogs[0].is_loaded, timeout=5000)
    assert view.dialogs[0].form is not None
    assert view.dialogs[0].form.answers() == {"at_home": False}
