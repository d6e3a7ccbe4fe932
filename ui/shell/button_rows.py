"""Step buttons two to a row where they fit, else one: a detail pane never scrolls
sideways, and longer English words or a narrow pane (1024x700) would push the second
button of a row past its right edge."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QGridLayout, QWidget


def columns_that_fit(widgets: Sequence[QWidget], room: int, spacing: int = 6) -> int:
    """2 when ``widgets`` two to a row fit in ``room`` pixels, else 1. A column is as wide
    as its widest widget ("More steps" under "Triage…" widens the first column)."""
    if len(widgets) < 2:
        return 1
    first = max(w.sizeHint().width() for w in widgets[0::2])
    second = max(w.sizeHint().width() for w in widgets[1::2])
    return 2 if first + spacing + second <= room else 1


def place(grid: QGridLayout, widgets: Sequence[QWidget], columns: int) -> None:
    """Put ``widgets`` in ``grid``, ``columns`` to a row, the room left to the right."""
    for widget in widgets:
        grid.removeWidget(widget)
    for index, widget in enumerate(widgets):
        grid.addWidget(widget, index // columns, index % columns)
    for column in range(3):
        grid.setColumnStretch(column, 1 if column == columns else 0)
