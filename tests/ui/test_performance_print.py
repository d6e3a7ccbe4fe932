"""The printable record's tables: no cell's text runs over its cell, and every table fits the
page's text width (A4 less its margins), in Chinese and in English. (A guard: the PDF
reported overlapping could not be rendered here to compare; see the commit.)"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QFont, QGuiApplication, QTextDocument, QTextFrame, QTextTable

from gulou_desk.domain import performance
from gulou_desk.records import SHANGHAI
from gulou_desk.store.performance_queries import HistoryEntry, RecordView
from ui.pdf import PDF_FONTS
from ui.performance.export import record_html

PAGE_TEXT_WIDTH = 657
"""A4 (210 mm) less the PDF's 18 mm margins, in the document's 96-dpi units."""


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=SHANGHAI)


def _record() -> RecordView:
    figures = {"visits_due": 377, "visits_done": 22, "visits_due_met": 147, "key_visits": 21,
               "tickets_resolved": 6, "tickets_on_time": 5, "tickets_timed": 6,
               "follow_ups": 5, "satisfaction_points": 460, "acceptances": 7,
               "median_accept_hours": 10.8}
    measures = performance.stored_measures("w1", "2026-11", figures)
    history = (
        HistoryEntry("submit", "w1", "王依妍", _at(1, 9), None, None),
        HistoryEntry("return", "s1", "赵凯", _at(2, 10), "走访记录不全，请补充后再提交。重点户的"
                     "走访要写清楚老人的身体状况和需要的帮助，下次提交前请逐户核对。", None),
        HistoryEntry("submit", "w1", "王依妍", _at(3, 9), None, None),
        HistoryEntry("approve", "s1", "赵凯", _at(4, 16), "同意", 88.5),
        HistoryEntry("recomputed", None, None, _at(5, 3), None, None),
    )
    return RecordView(
        id="r1", worker_id="w1", worker_name="王依妍", period="2026-11", status="approved",
        figures={}, measures=measures,
        suggested_score=float(measures["suggested_score"].value or 0),
        through=dt.date(2026, 11, 30), computed_at=_at(5, 3),
        self_assessment="协助社区开展了防诈骗宣传。", score=88.5, supervisor_id="s1",
        supervisor_name="赵凯", decision_comment="同意", history=history, sync_version=3)


def _tables(frame: QTextFrame) -> list[QTextTable]:
    found: list[QTextTable] = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            found.append(child)
        found += _tables(child)
    return found


def _overlaps(document: QTextDocument) -> list[str]:
    """Lines of text wider than their cell: they run over the cell's edge into the next
    one (a ``white-space: nowrap`` cell narrower than its text does that in the PDF)."""
    layout = document.documentLayout()
    found = []
    for table in _tables(document.rootFrame()):
        for row in range(table.rows()):
            for column in range(table.columns()):
                cell = table.cellAt(row, column)
                block = cell.firstCursorPosition().block()
                end = cell.lastCursorPosition().block()
                while block.isValid():
                    width = layout.blockBoundingRect(block).width()
                    lines = block.layout()
                    for i in range(lines.lineCount()):
                        if lines.lineAt(i).naturalTextWidth() > width + 0.5:
                            found.append(f"{block.text()!r} runs over column {column}")
                    if block == end:
                        break
                    block = block.next()
    return found


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_printed_records_tables_do_not_overlap(
        language: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("chinese" if language == "zh" else "english")
    document = QTextDocument()
    font = QFont(QGuiApplication.font())
    font.setFamilies(PDF_FONTS)
    font.setPointSizeF(10.5)
    document.setDefaultFont(font)
    document.setHtml(record_html(_record(), printed_at=_at(5, 9)))
    document.setTextWidth(PAGE_TEXT_WIDTH)
    assert _tables(document.rootFrame()), "the record prints its figures and history as tables"
    assert _overlaps(document) == []
    layout = document.documentLayout()
    widths = [layout.frameBoundingRect(t).width() for t in _tables(document.rootFrame())]
    assert all(w <= PAGE_TEXT_WIDTH + 0.5 for w in widths), widths  # nothing past the margin
