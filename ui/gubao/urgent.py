"""Urgent alerts (智慧告警) on the desk, whichever section is shown.

After each sync (and when the window opens) the urgent messages held here whose ticket is
still open are read (:func:`gulou_desk.store.gubao_queries.open_urgent_alerts`). One the
user has not acknowledged yet raises a red banner across the top of the main window
(it stays until "Acknowledge" is clicked, and shows the next one if more came; the
window's content moves down while it shows, so that it covers nothing; "Open the ticket"
shows the alert's ticket in the tickets section, since an urgent ticket goes straight to
the grid's social worker and is in no clerk's queue to dispatch) and, the first time it
is seen, a tray notification. While urgent alerts are open the account
syncs every :data:`URGENT_INTERVAL` seconds instead of its usual interval, so that news
of them (and of new ones) arrives sooner.

Acknowledging is this computer's, for this session: it hides the banner, not the alert
(the ticket stays open until it is dealt with).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSystemTrayIcon,
    QWidget,
)

from gulou_desk.store.gubao_queries import open_urgent_alerts
from sync.events import SyncReport
from ui.background import Op, Progress
from ui.palette import qss
from ui.shell.context import DeskContext
from ui.tickets.notifier import open_section
from ui.workflow_labels import fill

URGENT_INTERVAL = 30.0
"""Seconds between syncs while urgent alerts are open."""

BANNER_STYLE = qss("""
QFrame#urgent_banner { background: @danger; border-radius: 0px; }
QFrame#urgent_banner QLabel { color: @white; font-weight: 600; }
QFrame#urgent_banner QPushButton { background: @white; color: @danger; border: none;
                                   font-weight: 600; padding: 4px 14px; border-radius: 4px; }
""")


class UrgentBanner(QFrame):
    """The red line across the top of ``host`` (see the module's text)."""

    acknowledged = Signal(str)

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("urgent_banner")
        self.setStyleSheet(BANNER_STYLE)
        self._host = host
        self.alert_id = ""
        self.ticket_id = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self.text_label = QLabel()
        self.text_label.setObjectName("urgent_text")
        self.text_label.setWordWrap(True)
        layout.addWidget(self.text_label, 1)
        self.open_button = QPushButton(self.tr("Open the ticket"))
        self.open_button.setObjectName("urgent_open_ticket")
        self.open_button.clicked.connect(self._open_ticket)
        layout.addWidget(self.open_button)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.setObjectName("urgent_acknowledge")
        self.ack_button.clicked.connect(lambda: self.acknowledged.emit(self.alert_id))
        layout.addWidget(self.ack_button)
        host.installEventFilter(self)
        self.hide()

    def show_alert(self, alert: dict[str, Any], more: int) -> None:
        self.alert_id = str(alert["id"])
        self.ticket_id = str(alert.get("ticket_id") or "")
        self.open_button.setVisible(bool(self.ticket_id))  # none filed yet: nothing to open
        where = alert.get("group_name") or ""
        text = fill(self.tr("Urgent alert · %1: %2"), where, str(alert.get("text") or ""))
        if alert.get("number"):
            text += "  " + fill(self.tr("(ticket %1)"), str(alert["number"]))
        if more:
            text += "  " + self.tr("(+%n more)", "", more)
        self.text_label.setText(text)
        self._place()
        self.show()
        self.raise_()

    def _open_ticket(self) -> None:
        """The tickets section, showing this alert's ticket (the banner stays until
        acknowledged)."""
        if self.ticket_id:
            open_section(self._host, "tickets", self.ticket_id)

    def _place(self) -> None:
        width = self._host.width()
        self.setFixedWidth(width)
        self.adjustSize()
        # Under the menu bar; the content moves down by the banner's height, so that it
        # covers nothing the person reads (a section's first line, the sidebar's title).
        top = self._host.menuBar().height() if isinstance(self._host, QMainWindow) else 0
        self.move(0, top)
        self._reserve(self.height())

    def _reserve(self, height: int) -> None:
        central = (self._host.centralWidget() if isinstance(self._host, QMainWindow)
                   else None)
        if central is not None:
            margins = central.contentsMargins()
            central.setContentsMargins(margins.left(), height, margins.right(),
                                       margins.bottom())

    def hideEvent(self, event: QHideEvent) -> None:
        self._reserve(0)
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False


class UrgentWatcher(QObject):
    """Reads the open urgent alerts after each sync and shows them (module's text).

    Signals: alerts_changed(list): the open urgent alerts' ids after each read.
    """

    alerts_changed = Signal(list)

    def __init__(self, ctx: DeskContext, window: Callable[[], QMainWindow | None],
                 set_interval: Callable[[float | None], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._window = window
        self._set_interval = set_interval
        self.acknowledged: set[str] = set()
        self._told: set[str] = set()
        self._banners: dict[int, UrgentBanner] = {}
        self._tray: QSystemTrayIcon | None = None
        self.open_ids: list[str] = []
        ctx.bridge.sync_finished.connect(self._sync_finished)

    def _sync_finished(self, report: SyncReport) -> None:
        self.check()

    def check(self) -> None:
        desk = self._ctx.desk

        def read(progress: Progress) -> list[dict[str, Any]]:
            return desk.read(open_urgent_alerts)

        Op(self, read, name="urgent_alerts").success(self._show).failure(
            lambda error: None).run()

    def _show(self, alerts: list[dict[str, Any]]) -> None:
        self.open_ids = [str(a["id"]) for a in alerts]
        self.alerts_changed.emit(self.open_ids)
        self._set_interval(URGENT_INTERVAL if alerts else None)
        waiting = [a for a in alerts if str(a["id"]) not in self.acknowledged]
        window = self._window()
        banner = self.banner(window) if window is not None else None
        if not waiting:
            if banner is not None:
                banner.hide()
            return
        fresh = [a for a in waiting if str(a["id"]) not in self._told]
        self._told |= {str(a["id"]) for a in waiting}
        if banner is not None:
            banner.show_alert(waiting[0], len(waiting) - 1)
        if fresh:
            self._tray_message(self.tr("Urgent alert"), str(fresh[0].get("text") or ""))

    def banner(self, window: QWidget) -> UrgentBanner:
        key = id(window)
        banner = self._banners.get(key)
        if banner is None:
            banner = UrgentBanner(window)
            banner.acknowledged.connect(self.acknowledge)
            self._banners[key] = banner
            window.destroyed.connect(lambda _=None, k=key: self._banners.pop(k, None))
        return banner

    def acknowledge(self, alert_id: str) -> None:
        self.acknowledged.add(alert_id)
        self.check()

    def _tray_message(self, title: str, text: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            from ui.icons import app_icon

            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical, 15000)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, TypeError):
            self._ctx.bridge.sync_finished.disconnect(self._sync_finished)
        self._set_interval(None)
        if self._tray is not None:
            self._tray.hide()
