"""A non-modal notice in a corner of the window: it says something, offers one action,
and goes away by itself (not while the pointer rests on it), or with its ×. Never a
dialog: new messages and refused steps must not stop the clerk in the middle of a call.

It never covers what a person types into or clicks, nor, where it can help it, what they
read: of the window's corners (bottom left first, above the status bar, then bottom
right, then top right) and then the places along its bottom and top edges and up its
sides it takes the first where it hides no visible field or button and then the fewest
texts (labels: who came to a meeting, an empty list's explanation), and it moves again
when the window or the section changes, or when a field, button or text appears under it
(a tab turned to, a pane filled).
A notice of the same ``key`` as the one shown updates it in place (the caller says the
total), so notices stack into one instead of piling up at every sync."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QEnterEvent, QHideEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStatusBar,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

from ui.palette import qss
from ui.shell.nav_list import NavigationList

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
WATCH_MS = 400
"""While shown, it looks this often whether a field or button has come under it."""
STEP = 48
"""The distance between the places it tries along an edge when no corner is free."""
NOT_COVERED = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox,
               QAbstractSpinBox, QTabBar)
"""What a notice must leave visible: what a person types into or clicks (a many-line
text box such as a 自评 is a ``QPlainTextEdit``, not a ``QTextEdit``; tabs are clicked)."""


class Toast(QFrame):
    """One notice at a time in a free corner of ``host`` (a newer one replaces it; one of
    the same ``key`` updates it).

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
        self.key: str | None = None
        """What the shown notice is about (``show_message``'s ``key``), or None."""
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
        close.clicked.connect(self.dismiss)
        self.close_button = close
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 8, 10)
        layout.setSpacing(10)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._move_if_covering)
        host.installEventFilter(self)
        changed = getattr(host, "section_changed", None)
        if changed is not None:  # another section, other buttons: find a free corner again
            changed.connect(lambda _key: QTimer.singleShot(0, self._replace))
        self.hide()

    def _replace(self) -> None:
        if self.isVisible():
            self._place()

    def show_message(self, text: str, action_text: str | None = None,
                     on_action: Callable[[], object] | None = None,
                     timeout_ms: int = DEFAULT_TIMEOUT_MS, *, key: str | None = None) -> None:
        self.key = key
        self.text_label.setText(text)
        self.set_action(action_text, on_action)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timeout = timeout_ms
        self._timer.start(timeout_ms)
        self._watch.start()

    def set_action(self, action_text: str | None,
                   on_action: Callable[[], object] | None = None) -> None:
        """Change the shown notice's action (``None``: none), its text and time kept:
        what it offers may change while it is shown (the section it leads to opened)."""
        self.action_button.setText(action_text or "")
        self.action_button.setVisible(bool(action_text))
        self._callback = on_action
        if self.isVisible():
            self.adjustSize()
            self._place()

    def text(self) -> str:
        return self.text_label.text()

    def showing(self, key: str) -> bool:
        """A notice about ``key`` is on screen (a newer one of it should say the total)."""
        return self.isVisible() and self.key == key

    def dismiss(self) -> None:
        """The person closed it (×)."""
        self.key = None
        self.hide()

    def _act(self) -> None:
        callback, self._callback = self._callback, None
        self.hide()
        self.action_clicked.emit()
        if callback is not None:
            callback()

    def hideEvent(self, event: QHideEvent) -> None:
        self._watch.stop()
        super().hideEvent(event)

    def _move_if_covering(self) -> None:
        """A field or button came under it (the host laid out anew without telling, a
        tab was turned to): off to a free place."""
        if not self.isVisible():
            self._watch.stop()
        elif any(self.geometry().intersects(b) for b in (*self._controls(), *self._texts())):
            self._place()

    def _place(self) -> None:
        width = min(self.sizeHint().width(), self.maximumWidth())
        height = self.heightForWidth(width) if self.hasHeightForWidth() else 0
        height = max(height, self.sizeHint().height())
        host = self._host
        top = MARGIN
        menu = getattr(host, "menuBar", None)
        if callable(menu):
            top += menu().height()
        bottom = host.height() - MARGIN
        status = host.findChild(QStatusBar)
        if status is not None and status.isVisible():
            bottom = status.mapTo(host, QPoint(0, 0)).y() - MARGIN
        left, right = MARGIN, max(MARGIN, host.width() - width - MARGIN)
        lower, upper = bottom - height, top
        places = [QPoint(left, lower), QPoint(right, lower), QPoint(right, upper)]
        places += [QPoint(x, y) for y in (lower, upper) for x in range(right, left, -STEP)]
        # Then up the left and right sides: above a line of text that spans the bottom.
        places += [QPoint(x, y) for x in (left, right) for y in range(lower, upper, -STEP)]
        blocked, texts = self._controls(), self._texts()

        def covered(place: QPoint) -> tuple[int, int]:
            rect = QRect(place, QSize(width, height))
            return (sum(1 for b in blocked if rect.intersects(b)),
                    sum(1 for t in texts if rect.intersects(t)))

        # The first of the fewest (controls first, then texts): a free corner first.
        best = min(places, key=covered)
        self.setGeometry(QRect(best, QSize(width, height)))

    def _controls(self) -> list[QRect]:
        """Where the host's visible fields and buttons are (in the host's coordinates)."""
        host = self._host
        found = []
        for widget in host.findChildren(QWidget):
            if not isinstance(widget, NOT_COVERED) or self.isAncestorOf(widget) \
                    or not widget.isVisible():
                continue
            if isinstance(widget, QAbstractButton) and isinstance(
                    widget.parentWidget(), QAbstractSpinBox | QComboBox | QLineEdit):
                continue
            found.append(QRect(widget.mapTo(host, QPoint(0, 0)), widget.size()))
        # The sections' list down the side and the lists of queues and groups are
        # clicked as buttons are: their rows are left visible too (the notice went up
        # the left side over 冲突处理 and 设置, a label's text in the bottom corner).
        for side in host.findChildren(NavigationList):
            if not side.isVisible():
                continue
            viewport = side.viewport()
            for row in range(side.count()):
                rect = side.visualItemRect(side.item(row)).intersected(viewport.rect())
                if not rect.isEmpty():
                    found.append(QRect(viewport.mapTo(host, rect.topLeft()), rect.size()))
        return found

    def _texts(self) -> list[QRect]:
        """Where the host's visible texts are (who came to a meeting, an empty list's
        explanation): hidden only where every place hides a field or a button."""
        host = self._host
        return [QRect(label.mapTo(host, QPoint(0, 0)), label.size())
                for label in host.findChildren(QLabel)
                if label.isVisible() and label.text().strip()
                and not self.isAncestorOf(label)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() in (
                QEvent.Type.Resize, QEvent.Type.LayoutRequest) and self.isVisible():
            self._place()
        return False

    def enterEvent(self, event: QEnterEvent) -> None:
        self._timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self._timer.start(4000)
        super().leaveEvent(event)
