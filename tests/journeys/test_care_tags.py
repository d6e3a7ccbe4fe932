"""Journey: the care tags read in the person's language. In English the workbench's and
the households' Tags columns, the tag filter and the household's edit dialog said 空巢老人,
低保、退役军人、重点关注: the only Chinese left on an English screen. The tags are stored in
Chinese (the district's data); they are shown in English, and Chinese stays Chinese."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QTableView, QTreeView

from tests.journeys.harness import Journey, _cjk

ENGLISH = {"Elderly living alone", "Empty-nest elderly", "Subsistence allowance",
           "Disability", "Veteran", "Special-assistance family", "Key attention"}


def _column_texts(view: QTableView | QTreeView, header: str) -> list[str]:
    model = view.model()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == header)
    texts: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            texts.append(str(model.index(row, column, parent).data() or ""))
            walk(model.index(row, 0, parent))

    walk(QModelIndex())
    return [t for t in texts if t]


def test_the_care_tags_read_in_english(journey: Journey) -> None:
    journey.start("--lang", "en")
    journey.sign_in("worker1")
    page = journey.go_to("Workbench")
    plan = page.findChild(QTreeView)
    assert plan is not None
    journey.wait_until(lambda: plan.model().rowCount() > 0, what="the visit plan")
    journey.settle(200)
    tags = _column_texts(plan, "Tags")
    assert tags and not [t for t in tags if _cjk(t)], tags[:5]
    assert {part for t in tags for part in t.split(", ")} <= ENGLISH, tags[:5]
    journey.shot("the workbench's tags in English")

    page = journey.go_to("Households")
    table = journey.by_name("households_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() > 3, what="the households")
    tags = _column_texts(table, "Care tags")  # the column shows where there is room
    assert tags and not [t for t in tags if _cjk(t)], tags[:5]
    combo = journey.by_name("filterTag", QComboBox, within=page)
    offered = {combo.itemText(i) for i in range(1, combo.count())}
    assert offered and offered <= ENGLISH, offered
    journey.shot("the households' tags in English")


RELATIONS = {"户主": "Head of household", "配偶": "Spouse", "子女": "Child", "父母": "Parent",
             "孙子女": "Grandchild", "兄弟姐妹": "Sibling", "其他": "Other"}


def test_a_residents_relation_reads_in_english_and_is_stored_as_before(
        journey: Journey) -> None:
    """In English a household's residents read 户主 / 配偶 / 子女 under Relation, and the
    resident's dialog offered the same Chinese words. The seven suggested relations are
    the district's data, stored in Chinese: they are shown in English, and a relation
    chosen in English is stored in Chinese as before."""
    from PySide6.QtWidgets import QPushButton

    from tests.journeys.test_household_detail import _biggest_household
    from ui.households.detail import HouseholdDetail
    from ui.households.dialogs import RecordDialog

    head, size = _biggest_household(journey)
    journey.start("--lang", "en")
    journey.sign_in("worker1")
    page = journey.go_to("Households")
    table = journey.by_name("households_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() > 3, what="the households")
    head_column = journey.column(table, "Head")
    journey.click_row(table, journey.row_of(table, head, column=head_column), head_column)
    detail = journey.by_name("household_detail", HouseholdDetail, within=table.window())
    residents = journey.by_name("residents_table", QTableView, within=detail)
    journey.wait_until(lambda: residents.model().rowCount() == size, what="the residents")
    column = journey.column(residents, "Relation")
    shown = journey.cells(residents, column, list(range(size)))
    assert not [t for t in shown if _cjk(t)], shown
    assert set(shown) <= set(RELATIONS.values()), shown
    journey.shot("the residents' relations in English")

    # A child becomes "Other" in the resident's dialog, which offers the English words.
    row = shown.index("Child") if "Child" in shown else shown.index(
        next(t for t in shown if t != "Head of household"))
    name_column = journey.column(residents, "Name")
    [name] = journey.cells(residents, name_column, [row])
    journey.click_row(residents, row, name_column)
    journey.click(journey.by_name("edit_resident", QPushButton, within=detail))
    dialog = journey.dialog(kind=RecordDialog)
    combo = journey.field("Relation to the head", within=dialog)
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == shown[row]
    offered = [combo.itemText(i) for i in range(1, combo.count())]
    assert offered == list(RELATIONS.values()), offered
    line = combo.lineEdit()
    assert line is not None
    journey.type_into(line, "Other")  # the editable list completes what is typed
    journey.shot("the relation chosen in English")
    journey.click("Save", within=dialog)
    journey.wait_until(lambda: journey.cells(residents, column, [
        journey.row_of(residents, name, column=name_column)]) == ["Other"],
        what="the relation changed")
    journey.send_now()
    held = journey.server.pull_as("worker1")
    [resident] = [r for r in held.where("resident", name=name)
                  if r["household_id"] == detail.details.household["id"]]  # type: ignore[union-attr]
    assert resident["relation"] == "其他"
