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
