"""A photo picked for a record (a visit, a meeting): its picture over a "Remove" button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget


def removable_tile(picture: QWidget, remove_text: str, remove_tip: str,
                   on_remove: Callable[[], object], *, name: str = "photoTile") -> QWidget:
    """``picture`` with a button under it that calls ``on_remove``."""
    tile = QWidget()
    tile.setObjectName(name)
    column = QVBoxLayout(tile)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    remove = QToolButton()
    remove.setText(remove_text)
    remove.setToolTip(remove_tip)
    remove.clicked.connect(lambda: on_remove())
    column.addWidget(picture)
    column.addWidget(remove, 0, Qt.AlignmentFlag.AlignHCenter)
    return tile
