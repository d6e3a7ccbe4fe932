"""Date and time fields a person can type into where they click.

Clicking into a ``QDateTimeEdit`` puts the cursor inside a section (the year) without
selecting it, and digits typed into a full section are refused: a person who clicks on
2026 and types 2030 sees nothing change. Here a click selects the section under it, as
Tab already does, so what is typed replaces it.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDateTimeEdit

E = TypeVar("E", bound=QDateTimeEdit)


class _SelectSectionOnClick(QObject):
    def __init__(self, edit: QDateTimeEdit) -> None:
        super().__init__(edit)
        self._edit = edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease:
            # After Qt has placed the cursor and chosen the section for the click.
            QTimer.singleShot(0, self._select)
        return False

    def _select(self) -> None:
        edit = self._edit
        if edit.hasFocus() and not edit.lineEdit().hasSelectedText():
            edit.setSelectedSection(edit.currentSection())


def typeable(edit: E) -> E:
    """``edit``, made to select the section a click lands in (see the module)."""
    edit.lineEdit().installEventFilter(_SelectSectionOnClick(edit))
    return edit
