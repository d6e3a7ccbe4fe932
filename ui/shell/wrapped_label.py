"""A word-wrapped label that keeps the height its text needs.

A layout short of room (a dialog in a 700-px-high window) gives a wrapped ``QLabel`` the
height of one line first, since that is all its minimum size asks for, and the lines of a
longer text are painted over each other. This label asks, at each width and for each
text, for the height its wrapped lines take, so the layout squeezes something else.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class WrappedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The whole width a form gives its field (a wrapped label asks for less).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _fit(self) -> None:
        # Before it is laid out its width is a default that means nothing.
        if not self.isVisible() or self.width() < 2 * self.fontMetrics().height():
            return
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()


def section_title(text: str) -> QLabel:
    """The title over a part of a pane (styled as ``section_title``)."""
    label = QLabel(text)
    label.setObjectName("section_title")
    return label
