"""A non-modal notice in the corner of the window: it says something, offers one action,
and goes away by itself (not while the pointer rests on it). Never a dialog: new messages
and refused steps must not stop the clerk in the middle of a call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from ui.palette import qss

TOAST_STYLE = qss("""
QFrame#toast {
    background: @ink;
    border-radius: 8px;
}
QFrame#toast QLabel {
    color: @white;
}
QFrame#toast QPushButton {
    background: @accent;
    border: none;
    color: @white;
    font-weight: 600;
    padding: 4px 12px;
}
QFrame#toast QToolButton {
    color: @on_dark_muted;
    border: none;
    background: transparent;
    font-size: 13pt;
}
""")
MARGIN = 16
DEFAULT_TIMEOUT_MS = 12_000


class Toast(QFrame):
    """One notice at a time at the top right of ``host`` (a newer one replaces it).

    Signals:
        action_clicked(): the action button was clicked (the toast hides).
    """

    action_clicked = Signal()

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("toast")
        self.setStyleSheet(TOAST_STYLE)
        self.setMaximumWidth(460)
        self._host = host
        self._callback: Callable[[], object] | None = None
        self.text_label = QLabel()
        self.text_label.setObjectName("toast_text")
        self.text_label.setWordWrap(True)
        self.action_button = QPushButton()
        self.action_button.setObjectName("toast_action")
        self.action_button.clicked.connect(self._act)
        close = QToolButton()
        close.setObjectName("toast_close")
        close.setText("×")
        close.setToolTip(self.tr("Close"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 8, 10)
        layout.setSpacing(10)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        host.installEventFilter(self)
        self.hide()

    def show_message(self, text: str, action_text: str | None = None,
                     on_action: Callable[[], object] | None = None,
                     timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        self.text_label.setText(text)
        self.action_button.setText(action_text or "")
        self.action_button.setVisible(bool(action_text))
        self._callback = on_action
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timeout = timeout_ms
        self._timer.start(timeout_ms)

    def text(self) -> str:
        return self.text_label.text()

    def _act(self) -> None:
        callback, self._callback = self._callback, None
        self.hide()
        self.action_clicked.emit()
        if callback is not None:
            callback()

    def _place(self) -> None:
        width = min(self.sizeHint().width(), self.maximumWidth())
        height = self.heightForWidth(width) if self.hasHeightForWidth() else 0
        height = max(height, self.sizeHint().height())
        top = MARGIN
        menu = getattr(self._host, "menuBar", None)
        if callable(menu):
            top += menu().height()
        self.setGeometry(self._host.width() - width - MARGIN, top, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def enterEvent(self, event: QEnterEvent) -> None:
        self._timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self._timer.start(4000)
        super().leaveEvent(event)
