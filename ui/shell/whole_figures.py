"""A table never shows part of a figure.

A table that scrolls sideways cuts the column at its right edge, and a right-aligned
figure cut there keeps its first digits: 273 read "27" beside a supervisor's monthly
records at 1024×700. This delegate paints a figure (a right-aligned cell) whose cell
reaches past the viewport's edge at the right end of the part that is shown, when that
part holds it whole (a column wider than its figures, cut by the edge: the queue's
"Suggested score" in English read "…" though 82.3 had room); else as "…", which a person
reads as "scroll to see it".
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

CUT = "…"
PADDING = 12
"""Room for the style's text margins on both sides of a figure (3 px each in Fusion), and
some air."""


class WholeFigures(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def cut(self, rect: QRect) -> bool:
        """The cell reaches past the viewport's left or right edge."""
        shown = self._view.viewport().rect()
        return rect.left() < shown.left() or rect.right() > shown.right()

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if option.displayAlignment & Qt.AlignmentFlag.AlignRight and option.text \
                and self.cut(option.rect):
            shown = option.rect.intersected(self._view.viewport().rect())
            if shown.width() >= option.fontMetrics.horizontalAdvance(option.text) + PADDING:
                option.rect = shown  # the figure whole, at the edge of what is shown
                return
            option.text = CUT
            # Where the visible part of the cell begins: its right end is off the edge.
            option.displayAlignment = (Qt.AlignmentFlag.AlignLeft
                                       | Qt.AlignmentFlag.AlignVCenter)


def install(view: QAbstractItemView) -> WholeFigures:
    delegate = WholeFigures(view)
    view.setItemDelegate(delegate)
    return delegate
