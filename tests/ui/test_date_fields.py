"""Date fields take what a person types where they click (ui/shell/date_fields.py)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDateEdit
from pytestqt.qtbot import QtBot

from ui.shell.date_fields import typeable

ROOT = Path(__file__).resolve().parents[2]


def _click_at(qtbot: QtBot, edit: QDateEdit, text_before: str) -> None:
    line = edit.lineEdit()
    x = line.fontMetrics().horizontalAdvance(text_before) + 3
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(x, line.height() // 2))
    qtbot.wait(20)


def _edit(qtbot: QtBot, *, fixed: bool) -> QDateEdit:
    edit = QDateEdit(QDate(2026, 12, 4))
    if fixed:
        typeable(edit)
    edit.setDisplayFormat("yyyy-MM-dd")
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    return edit


def _typed_where_clicked(qtbot: QtBot, edit: QDateEdit) -> list[str]:
    """A click on each digit of the year, then 2030 typed: the dates that came of it."""
    got = []
    for before in ("", "2", "20", "202"):
        edit.setDate(QDate(2026, 12, 4))
        edit.clearFocus()
        _click_at(qtbot, edit, before)
        qtbot.keyClicks(edit, "2030")
        got.append(edit.date().toString("yyyy-MM-dd"))
    return got


def test_a_click_on_the_year_then_typing_replaces_the_year(qtbot: QtBot) -> None:
    edit = _edit(qtbot, fixed=True)
    assert _typed_where_clicked(qtbot, edit) == ["2030-12-04"] * 4
    _click_at(qtbot, edit, "2030-1")
    qtbot.keyClicks(edit, "03")
    assert edit.date() == QDate(2030, 3, 4)


def test_without_it_some_clicks_lose_what_is_typed(qtbot: QtBot) -> None:
    """What the module works around (if Qt changes, this says so)."""
    edit = _edit(qtbot, fixed=False)
    assert _typed_where_clicked(qtbot, edit) != ["2030-12-04"] * 4


def test_every_date_field_of_the_desk_is_typeable() -> None:
    made = re.compile(r"\bQDate(Time)?Edit\(")
    plain = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / "ui").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if made.search(line) and "typeable(" not in line
             and not line.lstrip().startswith(("#", "class "))]
    assert plain == []
