"""A table never shows part of a figure.

A table that scrolls sideways cuts the column at its right edge, and a right-aligned
figure cut there keeps its first digits: 273 read "27" beside a supervisor's monthly
records at 1024×700. This delegate paints a figure (a right-aligned cell) that the
viewport does not show whole as "…", which a person reads as "scroll to see it".
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

CUT = "…"


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
            option.text = CUT
            # Where the visible part of the cell begins: its right end is off the edge.
            option.displayAlignment = (Qt.AlignmentFlag.AlignLeft
                                       | Qt.AlignmentFlag.AlignVCenter)


def install(view: QAbstractItemView) -> WholeFigures:
    delegate = WholeFigures(view)
    view.setItemDelegate(delegate)
    return delegate
