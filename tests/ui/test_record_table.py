"""ui.shell.record_table: the in-memory record lists of the tabbed sections (admin, 鼓宝)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.shell.empty_state import EmptyState
from ui.shell.record_table import RecordTable


def test_a_refill_keeps_the_chosen_record_chosen_without_telling_twice(qtbot: QtBot) -> None:
    table = RecordTable("people", ["Name", "Role"])
    qtbot.addWidget(table)
    told: list[str | None] = []
    table.itemSelectionChanged.connect(lambda: told.append(table.selected_id()))
    table.show_rows([("p1", ["Li", "clerk"]), ("p2", ["Wang", "worker"])])
    table.selectRow(1)
    assert table.selected_id() == "p2" and told == ["p2"]
    # A sync brings a new person before the chosen one and changes the chosen one's role.
    table.show_rows([("p0", ["An", "admin"]), ("p1", ["Li", "clerk"]),
                     ("p2", ["Wang", "clerk"])])
    assert table.selected_id() == "p2"
    assert table.item(2, 1).text() == "clerk"
    assert told == ["p2"]
    # The chosen record is gone: nothing is chosen (not the row that took its place).
    table.show_rows([("p0", ["An", "admin"]), ("p1", ["Li", "clerk"])])
    assert table.selected_id() is None


def test_cells_show_their_whole_text_as_a_tooltip(qtbot: QtBot) -> None:
    table = RecordTable("groups", ["Group", "Grid"], stretch=0)
    qtbot.addWidget(table)
    table.show_rows([("g1", ["汇林绿洲3栋业主群", "汇林绿洲第1网格、汇林绿洲第2网格"])])
    assert table.item(0, 1).toolTip() == "汇林绿洲第1网格、汇林绿洲第2网格"


def test_an_empty_state_stands_in_for_a_table_without_rows(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    box = QVBoxLayout(page)
    table = RecordTable("covers", ["Worker", "Grid"])
    box.addWidget(table)
    empty = table.attach_empty(EmptyState("empty", "No covers", "They show here."))
    box.addWidget(empty)
    page.show()
    assert empty.isVisible() and not table.isVisible()
    table.show_rows([("c1", ["Li", "grid 1"])])
    assert table.isVisible() and not empty.isVisible()
    table.show_rows([])
    assert empty.isVisible() and not table.isVisible()
