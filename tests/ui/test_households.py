"""The Households view on a real local store: lazy model, search, sort, detail, editing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from gulou_desk.desk import Desk
from gulou_desk.domain.ids import make_id_number
from gulou_desk.domain.workflows import Actor
from gulou_desk.store import Store, open_store
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.drafts import list_drafts
from gulou_desk.store.outbox import pending_count
from gulou_desk.store.queries import get_record
from gulou_desk.store.usecases import create_record
from sync.events import SyncReport
from ui.households import HouseholdsView
from ui.households.detail import RESIDENT_COLUMNS
from ui.households.dialogs import RecordDialog
from ui.households.model import HouseholdTableModel
from ui.session import Session
from ui.settings import Settings
from ui.shell.context import DeskContext
from ui.sync_bridge import SyncBridge

WORKER = "00000000-0000-4000-8000-000000000001"
ACTOR = Actor(id=WORKER, role="social_worker")
SESSION = Session("https://desk.example.cn", "worker1", WORKER, "social_worker", "Worker 1")
NAMED = (
    # head, estate, building, unit, room, phone
    ("张三", "颐和新村", "3", "2", "301", "13812345678"),
    ("单丽", "颐和新村", "3", "2", "302", "13812340000"),
    ("曾国强", "山西路小区", "5", "1", "101", "025-83331234"),
    ("王五", "西康小区", "7", "1", "502", "13955556666"),
)
FILLER = 300


def add_household(store: Store, head: str, estate: str, building: str, unit: str, room: str,
                  phone: str | None) -> str:
    household_id, _ = create_record(store, "household", {
        "grid_id": "grid-a", "estate": estate, "building": building, "unit": unit,
        "room": room, "address": f"南京市鼓楼区{estate}{building}栋{unit}单元{room}室",
        "head_name": head, "phone": phone, "tags": [],
    }, actor=ACTOR)
    return household_id


def add_resident(store: Store, household_id: str, name: str, relation: str = "户主",
                 birth: dt.date = dt.date(1950, 3, 7)) -> str:
    resident_id, _ = create_record(store, "resident", {
        "household_id": household_id, "name": name, "gender": "female", "birth_date": birth,
        "id_number": make_id_number("320106", birth, 7, "female"), "relation": relation,
        "phone": "13912345678",
    }, actor=ACTOR)
    return resident_id


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "desk.sqlite")
    yield store
    store.close()


@pytest.fixture
def filled(store: Store) -> dict[str, str]:
    """Four named households (张三 has two residents) and 300 more in 汉中门小区."""
    ids = {head: add_household(store, head, *rest) for head, *rest in NAMED}
    ids["r_zhang"] = add_resident(store, ids["张三"], "张三")
    ids["r_li"] = add_resident(store, ids["张三"], "李梅", "配偶", dt.date(1952, 6, 1))
    for n in range(FILLER):
        add_household(store, f"住户{n:03d}", "汉中门小区", str(n // 40 + 1), "1",
                      f"{n % 40 + 101}", None)
    return ids


@pytest.fixture
def bridge() -> SyncBridge:
    return SyncBridge()


@pytest.fixture
def ctx(store: Store, bridge: SyncBridge, settings: Settings) -> DeskContext:
    return DeskContext(store, SESSION, bridge, settings)


def make_view(qtbot: QtBot, ctx: DeskContext,
              edits: list[ChangeSet] | None = None) -> HouseholdsView:
    def edit_made(changes: ChangeSet) -> None:
        """As the backend does: note the edit (the context tells the views)."""
        assert edits is not None
        edits.append(changes)

    ctx.edit_made = edit_made if edits is not None else None
    view = HouseholdsView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitUntil(lambda: not view.model.loading and view.model.rowCount() > 0, timeout=5000)
    return view


def shown_heads(model: HouseholdTableModel, qtbot: QtBot) -> list[str]:
    """Every row's head of household, waiting for pages as a scrolling view would."""
    heads: list[str] = []
    for row in range(model.rowCount()):
        qtbot.waitUntil(lambda r=row: model.row_at(r) is not None, timeout=3000)
        household = model.row_at(row)
        assert household is not None
        heads.append(household.head_name)
    return heads


def type_text(edit: QLineEdit, text: str) -> None:
    """Type as an input method does, one character at a time (QTest cannot send 张)."""
    for character in text:
        edit.insert(character)


def wait_search(qtbot: QtBot, view: HouseholdsView, text: str) -> list[str]:
    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        view.search_edit.clear()
        type_text(view.search_edit, text)
    return shown_heads(view.model, qtbot)


# -- the model --------------------------------------------------------------------------


def test_the_model_pages_through_the_store_and_holds_a_bounded_window(
    qtbot: QtBot, qtmodeltester: object, store: Store, filled: dict[str, str]
) -> None:
    model = HouseholdTableModel(Desk(store, WORKER, "social_worker"), page_size=50,
                                max_pages=3)
    with qtbot.waitSignal(model.reloaded, timeout=3000) as loaded:
        model.load()
    assert loaded.args == [FILLER + len(NAMED)]
    assert model.rowCount() == FILLER + len(NAMED)
    assert model.cached_rows() == 50  # only the first page was read
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    heads = shown_heads(model, qtbot)
    assert model.cached_rows() <= 150  # three pages, however far we scrolled
    # By address: 颐和新村 sorts after 汉中门小区, 山西路小区 and 西康小区 (code points).
    assert sorted(heads) == sorted([h for h, *_ in NAMED] + [f"住户{n:03d}" for n in range(FILLER)])
    assert heads[-2:] == ["张三", "单丽"]
    # Rows of an evicted page are read again when asked for.
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=3000)
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) is not None


def test_sorting_a_column_reads_the_store_in_that_order(
    qtbot: QtBot, qtmodeltester: object, store: Store, filled: dict[str, str],
    ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # head of household
    heads = shown_heads(view.model, qtbot)
    # By pinyin, z to a: 住户 (zhu hu) …, 张三 (zhang), 曾国强 (zeng), 王五 (wang), 单丽 (shan).
    assert all(h.startswith("住户") for h in heads[:FILLER])
    assert heads[FILLER:] == ["张三", "曾国强", "王五", "单丽"]
    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        view.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # phone: empty ones first
    first = view.model.row_at(0)
    assert first is not None and first.phone is None


def test_the_care_tags_column_does_not_sort_and_says_so_by_keeping_the_indicator(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    header = view.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, header.height() // 2))

    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        click(2)  # phone
    assert header.sortIndicatorSection() == 2
    with qtbot.assertNotEmitted(view.model.reloaded, wait=300):
        click(3)  # care tags
    assert header.sortIndicatorSection() == 2
    assert view.model.sort_state[0] == 2


# -- search -----------------------------------------------------------------------------


def test_search_by_address_fragment_name_and_phone(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    assert view.count_label.text() == f"{FILLER + len(NAMED)} households"
    assert wait_search(qtbot, view, "颐和新村") == ["张三", "单丽"]
    assert view.count_label.text() == "2 found"
    assert wait_search(qtbot, view, "3栋2单元302") == ["单丽"]
    assert wait_search(qtbot, view, "曾国") == ["曾国强"]
    assert wait_search(qtbot, view, "83331234") == ["曾国强"]
    assert wait_search(qtbot, view, "李梅") == ["张三"]  # a resident's name finds the home
    assert wait_search(qtbot, view, "西康 502") == ["王五"]  # every word must match


def test_pinyin_initials_find_the_head_of_household(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    assert wait_search(qtbot, view, "zs") == ["张三"]
    assert wait_search(qtbot, view, "zgq") == ["曾国强"]


def test_no_match_says_what_to_try(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    assert wait_search(qtbot, view, "没有这个人") == []
    assert view.list_stack.currentWidget() is view.no_results
    assert "没有这个人" in view.no_results.title_label.text()
    assert "zs" in view.no_results.text_label.text()
    assert wait_search(qtbot, view, "") != []
    assert view.list_stack.currentWidget() is view.table


def test_typing_searches_once_after_a_pause(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    searches: list[int] = []
    view.model.reloaded.connect(searches.append)
    type_text(view.search_edit, "颐和新村")  # four characters, no pause between
    assert not view.model.loading  # nothing read while typing
    qtbot.waitUntil(lambda: bool(searches), timeout=3000)
    qtbot.wait(300)
    assert searches == [2]  # one search, for the whole word


def test_a_search_reads_only_the_page_on_screen_and_shows_the_list_from_its_top(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    """The columns fitted to their contents measure the rows on screen: Qt's default
    measured 1,000 rows after each keystroke, which read four more pages of a street in
    the background and held the GUI thread for up to half a second."""
    view = make_view(qtbot, ctx)
    qtbot.wait(300)
    assert view.model.cached_rows() == 200  # the first page (of 304): nothing else read
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.row_at(FILLER + len(NAMED) - 1) is not None,
                    timeout=3000)
    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        type_text(view.search_edit, "住户")  # 300 of them, best matches first
    qtbot.wait(300)
    assert view.table.verticalScrollBar().value() == 0
    assert view.table.rowAt(0) == 0
    assert view.model.cached_rows() == 200


def test_a_broad_search_shows_its_first_page_at_once_and_its_count_after(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search is counted with its first page only up to a number (1,000); the list
    says "1,000+" until the whole count comes."""
    monkeypatch.setattr("ui.households.model.COUNT_AT_ONCE", 100)
    view = make_view(qtbot, ctx)
    seen: list[tuple[str, str, int, bool]] = []
    view.model.reloaded.connect(lambda _n: seen.append(
        ("reloaded", view.count_label.text(), view.model.rowCount(), view.model.exact)))
    view.model.counted.connect(lambda _n: seen.append(
        ("counted", view.count_label.text(), view.model.rowCount(), view.model.exact)))
    qtbot.waitUntil(lambda: view.count_label.text() == f"{FILLER + len(NAMED)} households",
                    timeout=3000)
    seen.clear()
    type_text(view.search_edit, "住户")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert seen == [("reloaded", "100+ found", 101, False),
                    ("counted", f"{FILLER} found", FILLER, True)]
    assert shown_heads(view.model, qtbot) == [f"住户{n:03d}" for n in range(FILLER)]
    seen.clear()
    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        view.search_edit.clear()
        type_text(view.search_edit, "颐和新村")  # few: counted with the page, at once
    qtbot.wait(200)
    assert seen == [("reloaded", "2 found", 2, True)]


def test_an_empty_store_says_the_households_come_with_the_first_sync(
    qtbot: QtBot, store: Store, ctx: DeskContext
) -> None:
    view = HouseholdsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.list_stack.currentWidget() is view.no_results, timeout=3000)
    assert view.no_results.title_label.text() == "No households yet"


# -- detail and keyboard ----------------------------------------------------------------


def test_selecting_a_household_shows_its_fields_and_residents(
    qtbot: QtBot, qtmodeltester: object, store: Store, filled: dict[str, str],
    ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    wait_search(qtbot, view, "颐和新村")
    with qtbot.waitSignal(view.detail.shown, timeout=3000) as shown:
        view.table.selectRow(0)
    assert shown.args[0].id == filled["张三"]
    assert view.detail.title_label.text() == "张三"
    # As the list says it (from the parts); the full address on demand.
    assert view.detail.address_label.text() == "颐和新村 3栋2单元301室"
    assert view.detail.address_label.toolTip() == "南京市鼓楼区颐和新村3栋2单元301室"
    assert view.detail.field_values["phone"].text() == "13812345678"
    assert view.detail.residents_title.text() == "Residents (2)"
    residents = view.detail.residents_model
    qtmodeltester.check(residents)  # type: ignore[attr-defined]
    assert [residents.index(r, 0).data() for r in range(2)] == ["张三", "李梅"]  # head first
    assert residents.index(0, RESIDENT_COLUMNS.index("birth_date")).data() == "1950-03-07"


def test_keyboard_ctrl_f_searches_enter_opens_the_detail_ctrl_e_edits(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    view.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_edit.hasFocus()
    with qtbot.waitSignal(view.model.reloaded, timeout=3000):
        type_text(view.search_edit, "王五")
    with qtbot.waitSignal(view.detail.shown, timeout=3000):
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)  # to the list, first row
        assert view.table.hasFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)  # open the detail
    assert view.detail.title_label.text() == "王五"
    assert view.detail.residents_table.hasFocus()
    qtbot.keyClick(view.detail.residents_table, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    dialog = view.open_dialog
    assert isinstance(dialog, RecordDialog) and dialog.entity == "household"
    dialog.reject()


def test_splitter_and_column_widths_are_remembered(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext, settings: Settings
) -> None:
    view = make_view(qtbot, ctx)
    view.table.horizontalHeader().resizeSection(0, 173)
    view.splitter.setSizes([500, 600])
    sizes = view.splitter.sizes()
    settings.save_layout(view)
    again = make_view(qtbot, ctx)
    assert again.table.horizontalHeader().sectionSize(0) == 173
    assert again.splitter.sizes() == sizes


# -- editing ----------------------------------------------------------------------------


def open_household(qtbot: QtBot, view: HouseholdsView, search: str) -> None:
    wait_search(qtbot, view, search)
    with qtbot.waitSignal(view.detail.shown, timeout=3000):
        view.table.selectRow(0)


def save(qtbot: QtBot, dialog: RecordDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_editing_a_household_writes_it_with_its_outbox_entry_and_refreshes(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    edits: list[ChangeSet] = []
    view = make_view(qtbot, ctx, edits=edits)
    open_household(qtbot, view, "王五")
    qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = view.open_dialog
    assert dialog is not None
    before = pending(store)
    dialog.editor("phone").set_value("139 1234 0000")
    with qtbot.waitSignal(dialog.saved, timeout=3000), qtbot.waitSignal(
            view.model.reloaded, timeout=3000):
        save(qtbot, dialog)
    assert view.open_dialog is None  # closed (and deleted)
    household = record(store, "household", filled["王五"])
    assert household["phone"] == "13912340000"  # the domain's canonical form
    assert pending(store) == before + 1
    assert edits and edits[0].touches_record("household", filled["王五"])
    qtbot.waitUntil(lambda: view.detail.field_values["phone"].text() == "13912340000",
                    timeout=3000)
    assert view.model.row_at(0) is not None and view.model.row_at(0).phone == "13912340000"


def test_a_bad_resident_id_number_is_said_next_to_the_field_and_nothing_is_written(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    edits: list[ChangeSet] = []
    view = make_view(qtbot, ctx, edits=edits)
    open_household(qtbot, view, "颐和新村")
    view.detail.select_resident(filled["r_li"])
    qtbot.mouseClick(view.detail.edit_resident_button, Qt.MouseButton.LeftButton)
    dialog = view.open_dialog
    assert dialog is not None and dialog.entity == "resident"
    good = record(store, "resident", filled["r_li"])["id_number"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check digit
    before = pending(store)
    dialog.editor("id_number").set_value(bad)
    dialog.editor("phone").set_value("13700001111")
    save(qtbot, dialog)
    error = dialog.error_label_for("id_number")
    qtbot.waitUntil(error.isVisible, timeout=3000)
    assert "check the number" in error.text()
    assert dialog.shown_problems() == {"id_number": error.text()}
    assert dialog.isVisible()  # the user can correct it
    assert dialog.editor("id_number").widget.hasFocus()
    # Nothing was written: not the phone either, and no outbox entry.
    assert record(store, "resident", filled["r_li"])["id_number"] == good
    assert record(store, "resident", filled["r_li"])["phone"] == "13912345678"
    assert pending(store) == before
    assert edits == []
    # Corrected, it saves.
    dialog.editor("id_number").set_value(good)
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        save(qtbot, dialog)
    assert record(store, "resident", filled["r_li"])["phone"] == "13700001111"


def test_every_problem_is_said_at_once_even_with_a_date_that_cannot_be_read(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    open_household(qtbot, view, "颐和新村")
    dialog = view.edit_resident(filled["r_li"])
    assert dialog is not None
    before = pending(store)
    dialog.editor("birth_date").set_value("1952-13-01")
    dialog.editor("phone").set_value("12345")
    save(qtbot, dialog)
    assert set(dialog.shown_problems()) == {"birth_date", "phone"}
    assert "1950-03-07" in dialog.shown_problems()["birth_date"]  # how to write a date
    assert dialog.shown_problems()["phone"].startswith("Not a phone number")
    assert pending(store) == before
    assert record(store, "resident", filled["r_li"])["phone"] == "13912345678"
    dialog.reject()


def test_the_chinese_message_for_a_bad_id_number(
    qtbot: QtBot, chinese: None, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    open_household(qtbot, view, "颐和新村")
    view.detail.select_resident(filled["r_zhang"])
    dialog = view.edit_resident(filled["r_zhang"])
    assert dialog is not None
    dialog.editor("id_number").set_value("32010619500307001")  # 17 characters
    save(qtbot, dialog)
    error = dialog.error_label_for("id_number")
    qtbot.waitUntil(error.isVisible, timeout=3000)
    assert error.text() == "居民身份证号码为 18 位。"
    dialog.reject()


def test_adding_a_resident_fills_birth_date_and_gender_from_the_id_number(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    open_household(qtbot, view, "王五")
    qtbot.mouseClick(view.detail.add_resident_button, Qt.MouseButton.LeftButton)
    dialog = view.open_dialog
    assert dialog is not None and dialog.record_id is None
    save(qtbot, dialog)  # empty: the name is required
    qtbot.waitUntil(dialog.error_label_for("name").isVisible, timeout=3000)
    assert dialog.error_label_for("name").text() == "Please fill this in."
    number = make_id_number("320106", dt.date(1948, 11, 2), 3, "male")
    dialog.editor("name").set_value("王小五")
    id_edit = dialog.editor("id_number").widget
    id_edit.setFocus()
    qtbot.keyClicks(id_edit, number)
    dialog.editor("name").widget.setFocus()  # leaving the field fills the others
    qtbot.waitUntil(lambda: dialog.editor("gender").value() == "male", timeout=2000)
    assert dialog.editor("birth_date").value() == dt.date(1948, 11, 2)
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        save(qtbot, dialog)
    qtbot.waitUntil(lambda: view.detail.residents_title.text() == "Residents (1)",
                    timeout=3000)
    resident = record(store, "resident", str(dialog.record_id))
    assert resident["household_id"] == filled["王五"]
    assert (resident["name"], resident["gender"]) == ("王小五", "male")


def test_marking_a_resident_moved_out_asks_first(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    open_household(qtbot, view, "颐和新村")
    view.detail.select_resident(filled["r_li"])
    assert view.detail.moved_out_button.isEnabled()
    qtbot.mouseClick(view.detail.moved_out_button, Qt.MouseButton.LeftButton)
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.objectName() == "confirm_resident_status"
               and w.isVisible())
    assert "李梅" in box.text()
    with qtbot.waitSignal(view.detail.shown, timeout=3000):
        qtbot.mouseClick(box.findChild(object, "confirm"), Qt.MouseButton.LeftButton)
    assert record(store, "resident", filled["r_li"])["status"] == "moved_out"
    assert not view.detail.moved_out_button.isEnabled()  # still selected, already moved out
    assert view.detail.deceased_button.isEnabled()


def test_a_form_closed_by_mistake_comes_back_as_a_draft(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    open_household(qtbot, view, "王五")
    dialog = view.edit_household(filled["王五"])
    assert dialog is not None
    dialog.editor("notes").set_value("独居，腿脚不便，每周看一次")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    again = view.edit_household(filled["王五"])  # at once: the draft is still being kept
    assert again is not None
    qtbot.waitUntil(again.draft_banner.isVisible, timeout=3000)
    assert again.editor("notes").value() == "独居，腿脚不便，每周看一次"
    assert drafts(store, filled["王五"])
    assert record(store, "household", filled["王五"])["notes"] is None  # not saved
    with qtbot.waitSignal(again.saved, timeout=3000):
        save(qtbot, again)
    assert record(store, "household", filled["王五"])["notes"] == "独居，腿脚不便，每周看一次"
    qtbot.waitUntil(lambda: not drafts(store, filled["王五"]), timeout=3000)


# -- refreshing -------------------------------------------------------------------------


def test_a_sync_refreshes_the_view_only_when_households_or_residents_changed(
    qtbot: QtBot, store: Store, filled: dict[str, str], ctx: DeskContext
) -> None:
    view = make_view(qtbot, ctx)
    with qtbot.assertNotEmitted(view.model.reloaded, wait=300):
        ctx.bridge.listener.sync_finished(SyncReport(pulled=3, changed={
            "ticket": frozenset({"t1"}), "inbox_message": frozenset({"m1"})}))
    add_household(store, "新来的", "颐和新村", "9", "1", "101", None)  # as a pull would
    with qtbot.waitSignal(view.model.reloaded, timeout=3000) as reloaded:
        ctx.bridge.listener.sync_finished(SyncReport(pulled=1, changed={
            "household": frozenset({"new"})}))
    assert reloaded.args == [FILLER + len(NAMED) + 1]


# -- helpers ----------------------------------------------------------------------------


def record(store: Store, entity: str, record_id: str) -> dict[str, object]:
    with store.session() as session:
        row = get_record(session, entity, record_id)
    assert row is not None
    return row


def pending(store: Store) -> int:
    with store.session() as session:
        return pending_count(session)


def drafts(store: Store, record_id: str) -> list[object]:
    with store.session() as session:
        return list(list_drafts(session, "household_form", record_id=record_id))
