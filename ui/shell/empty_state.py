"""A clear empty state: an icon, a title, what will appear here, and maybe one action."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.icons import MUTED, pixmap

TEXT_WIDTH = 460
"""The texts' width where there is room (a line a person reads at a glance)."""
MARGIN = 32
COMPACT_MARGIN = 8
MIN_WIDTH = 200


class EmptyState(QWidget):
    """Shown where there is nothing (yet): says what will be here and what to do.

    Signals:
        action_triggered(): the optional action button was clicked.
    """

    action_triggered = Signal()

    def __init__(
        self,
        icon_name: str,
        title: str,
        text: str,
        action_text: str | None = None,
        parent: QWidget | None = None,
        *,
        compact: bool = False,
    ) -> None:
        """``compact``: no icon and small margins, for a secondary list under the page's
        main one (a person's devices under the staff list), which must not take the
        page's height for an icon."""
        super().__init__(parent)
        self.setObjectName("empty_state")
        self._icon_name = icon_name
        self.icon_label = QLabel()
        self.icon_label.setObjectName("empty_state_icon")
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("empty_state_title")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)
        self.title_label.setFixedWidth(TEXT_WIDTH)
        self.text_label = QLabel(text)
        self.text_label.setObjectName("empty_state_text")
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setWordWrap(True)
        self.text_label.setFixedWidth(TEXT_WIDTH)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button: QPushButton | None = None

        # Narrower than its texts' 460 px when the pane is (a list beside a detail pane at
        # 1024x700): the texts then wrap in the width there is (resizeEvent).
        self.setMinimumWidth(MIN_WIDTH)
        layout = QVBoxLayout(self)
        margin = self._margin = COMPACT_MARGIN if compact else MARGIN
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(4 if compact else 10)
        layout.addStretch(3)
        if compact:
            self.icon_label.hide()
        else:
            layout.addWidget(self.icon_label)
            layout.addSpacing(6)
        layout.addLayout(_centered(self.title_label))
        layout.addLayout(_centered(self.text_label))
        if action_text:
            button = QPushButton(action_text)
            button.setObjectName("empty_state_action")
            button.setProperty("primary", True)
            button.clicked.connect(self.action_triggered)
            layout.addSpacing(8)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.action_button = button
        layout.addStretch(4)
        self._draw_icon()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        margin = self._margin
        width = max(MIN_WIDTH - 2 * margin, min(TEXT_WIDTH, self.width() - 2 * margin))
        for label in (self.title_label, self.text_label):
            if label.width() != width:
                label.setFixedWidth(width)

    def set_texts(self, title: str, text: str) -> None:
        self.title_label.setText(title)
        self.text_label.setText(text)

    def _draw_icon(self) -> None:
        ratio = self.devicePixelRatioF() or 1.0
        self.icon_label.setPixmap(pixmap(self._icon_name, 64, MUTED, ratio))


def _centered(label: QLabel) -> QHBoxLayout:
    """A row that centres a fixed-width, word-wrapped label (keeps height-for-width)."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(label)
    row.addStretch(1)
    return row
