"""What the section's item panes share (a questionnaire, a consultation): the head (title,
state chip, a summary line, the row of step buttons) over their tabs, an empty state
while nothing is chosen, and the WeChat preview of the message residents read.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.shell.empty_state import EmptyState


def wechat_bubble(text: str) -> QLabel:
    """The group message as a chat bubble (the preview)."""
    bubble = QLabel(text)
    bubble.setObjectName("wechat_bubble")
    bubble.setWordWrap(True)
    bubble.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    bubble.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return bubble


def preview_page(bubble: QLabel, sender: str) -> QScrollArea:
    """A page that shows ``bubble`` as the bot's message in a group chat."""
    page = QWidget()
    page.setObjectName("wechat_chat")
    layout = QVBoxLayout(page)
    layout.setContentsMargins(14, 12, 14, 12)
    name = QLabel(sender)
    name.setObjectName("muted")
    layout.addWidget(name)
    row = QHBoxLayout()
    row.addWidget(bubble, 4)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    return scroll


def item_table(name: str, headers: Sequence[str], stretch: int) -> QTableWidget:
    """A read-only table of rows (responses, contributions, meetings …); the column
    ``stretch`` takes the room left."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class ItemPane(QWidget):
    """The chosen item: its head and tabs, or ``nothing`` when none is chosen.

    ``steps`` are ``(key, text, tip)``; a click emits ``step_requested(key)``. Buttons are
    named ``<name>_<key>``; a subclass shows the ones the item's state offers.

    Signals:
        step_requested(str): a step's key.
    """

    step_requested = Signal(str)

    def __init__(self, name: str, role: str, *, title_name: str, summary_name: str,
                 steps: Sequence[tuple[str, str, str]], nothing: EmptyState,
                 margins: tuple[int, int, int, int], spacing: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_pane")
        self._role = role
        self.title = QLabel()
        self.title.setObjectName(title_name)
        self.title.setWordWrap(True)
        self.chip = QLabel()
        self.chip.setObjectName("status_chip")
        self.summary = QLabel()
        self.summary.setObjectName(summary_name)
        self.summary.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.steps = QHBoxLayout()
        self.steps.setSpacing(6)
        for key, text, tip in steps:
            button = QPushButton(text)
            button.setObjectName(f"{name}_{key}")
            if tip:
                button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, k=key: self.step_requested.emit(k))
            self.buttons[key] = button
            self.steps.addWidget(button)
        self.steps.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName(f"{name}_tabs")
        self.nothing = nothing
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(*margins)
        content.setSpacing(spacing)
        content.addLayout(head)
        content.addWidget(self.summary)
        content.addLayout(self.steps)
        content.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.content, 1)
        layout.addWidget(self.nothing, 1)

    def show_content(self, shown: bool) -> None:
        """The item's head and tabs (``True``) or the empty state."""
        (self.nothing if shown else self.content).hide()
        (self.content if shown else self.nothing).show()

    def show_head(self, title: str, state: str) -> None:
        """The item is shown: its title and the chip of its state."""
        self.show_content(True)
        self.title.setText(title)
        self.chip.setText(state)
