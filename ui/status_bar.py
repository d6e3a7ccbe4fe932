"""The status bar: online/offline, last sync, pending edits, sync progress, "Sync now".

It listens to a :class:`ui.sync_bridge.SyncBridge`. Going offline is shown here (an
indicator and its tooltip), never as a dialog per attempt; other failures show a short
message on the left and a warning on the indicator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from gulou_desk.records import now as shanghai_now
from sync.events import FailureReason, SyncProgress, SyncReport
from ui import palette
from ui.errors import describe_failure
from ui.relative_time import describe_since
from ui.sync_bridge import SyncBridge

PROGRESS_DELAY_MS = 400
"""A sync shorter than this never shows the progress bar (no flicker)."""
PROGRESS_REDRAW_MS = 100
"""Progress is redrawn at most ten times a second, however often the engine reports."""
CLOCK_TICK_MS = 30_000
"""How often "3 minutes ago" is recomputed."""
FAILURE_MESSAGE_MS = 15_000


class SyncStatusBar(QStatusBar):
    """The main window's status bar.

    Signals:
        sync_requested(): the "Sync now" button was clicked.
        outbox_requested(): "View…" beside the edits to send was clicked (the outbox).
    """

    sync_requested = Signal()
    outbox_requested = Signal()

    def __init__(
        self,
        bridge: SyncBridge,
        sync_action: QAction | None = None,
        clock: Callable[[], dt.datetime] = shanghai_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("status_bar")
        self.setSizeGripEnabled(False)
        self._bridge = bridge
        self._clock = clock
        self._online: bool | None = bridge.online
        self._failure: FailureReason | None = bridge.last_failure
        self._last_sync: dt.datetime | None = bridge.last_synced_at
        self._pending = 0
        self._latest_progress: SyncProgress | None = None

        self.online_label = QLabel()
        self.online_label.setObjectName("online_indicator")
        self.last_sync_label = QLabel()
        self.last_sync_label.setObjectName("last_sync")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending_edits")
        self.outbox_button = QToolButton()
        self.outbox_button.setObjectName("outbox_button")
        self.outbox_button.setText(self.tr("View…"))
        self.outbox_button.setToolTip(self.tr("Every edit not yet sent, and why"))
        self.outbox_button.clicked.connect(self.outbox_requested)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("sync_progress")
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("sync_progress_label")
        self.progress_label.hide()
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sync_button.setIconSize(QSize(16, 16))
        if sync_action is not None:
            self.sync_button.setDefaultAction(sync_action)
        else:
            self.sync_button.clicked.connect(self.sync_requested)

        for widget in (
            self.progress_label,
            self.progress_bar,
            self.online_label,
            self.last_sync_label,
            self.pending_label,
            self.outbox_button,
            self.sync_button,
        ):
            self.addPermanentWidget(widget)

        self._progress_delay = QTimer(self)
        self._progress_delay.setSingleShot(True)
        self._progress_delay.timeout.connect(self._show_progress)
        self._progress_redraw = QTimer(self)
        self._progress_redraw.setSingleShot(True)
        self._progress_redraw.timeout.connect(self._draw_progress)
        self._clock_tick = QTimer(self)
        self._clock_tick.setInterval(CLOCK_TICK_MS)
        self._clock_tick.timeout.connect(self._draw_last_sync)
        self._clock_tick.start()

        bridge.sync_started.connect(self.on_sync_started)
        bridge.sync_progressed.connect(self.on_sync_progressed)
        bridge.sync_finished.connect(self.on_sync_finished)
        bridge.sync_failed.connect(self.on_sync_failed)
        bridge.online_changed.connect(self.on_online_changed)
        self._draw_online()
        self._draw_last_sync()
        self._draw_pending()
        if bridge.syncing:
            self.on_sync_started()

    # -- slots (the bridge's signals) ---------------------------------------------------

    def on_sync_started(self) -> None:
        self._latest_progress = None
        self.sync_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(self.tr("Syncing…"))
        self._progress_delay.start(PROGRESS_DELAY_MS)

    def on_sync_progressed(self, progress: SyncProgress) -> None:
        self._latest_progress = progress
        if not self._progress_redraw.isActive():
            self._progress_redraw.start(PROGRESS_REDRAW_MS)

    def on_sync_finished(self, report: SyncReport) -> None:
        self._end_progress()
        self._failure = None
        self._last_sync = self._bridge.last_synced_at or self._clock()
        self._online = True if self._online is None else self._online
        self.clearMessage()
        if report.conflicts or report.rejected:
            self.showMessage(
                self.tr("%n edit(s) need your decision under Conflicts.", "",
                        report.conflicts + report.rejected),
                FAILURE_MESSAGE_MS,
            )
        self._draw_online()
        self._draw_last_sync()

    def on_sync_failed(self, reason: FailureReason, message: str) -> None:
        self._end_progress()
        if reason is FailureReason.OFFLINE:
            self._online = False
            self._failure = None
        elif reason is not FailureReason.CANCELLED:
            self._failure = reason
            self.showMessage(describe_failure(reason), FAILURE_MESSAGE_MS)
        self._draw_online()

    def on_online_changed(self, online: bool) -> None:
        self._online = online
        if online:
            self._failure = None
        self._draw_online()

    def set_pending_count(self, count: int) -> None:
        """How many local edits wait to be sent (from the store's outbox)."""
        self._pending = max(0, count)
        self._draw_pending()

    def set_last_sync(self, when: dt.datetime | None) -> None:
        """When the last sync ended well (read from the store when the window opens)."""
        self._last_sync = when
        self._draw_last_sync()

    @property
    def pending_count(self) -> int:
        return self._pending

    @property
    def online(self) -> bool | None:
        return self._online

    # -- drawing -----------------------------------------------------------------------

    def _end_progress(self) -> None:
        self._progress_delay.stop()
        self._progress_redraw.stop()
        self._latest_progress = None
        self.progress_bar.hide()
        self.progress_label.hide()
        self.sync_button.setEnabled(True)

    def _show_progress(self) -> None:
        self.progress_bar.show()
        self.progress_label.show()
        self._draw_progress()

    def _draw_progress(self) -> None:
        progress = self._latest_progress
        if progress is None:
            return
        pushing = progress.stage == "push"
        if progress.estimate:
            total = max(progress.estimate, progress.done)
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(progress.done)
            text = self.tr("Sending %1 of %2…") if pushing else self.tr("Receiving %1 of %2…")
            text = text.replace("%1", str(progress.done)).replace("%2", str(total))
        else:
            self.progress_bar.setRange(0, 0)
            text = self.tr("Sending %1…") if pushing else self.tr("Receiving %1…")
            text = text.replace("%1", str(progress.done))
        self.progress_label.setText(text)

    def _draw_online(self) -> None:
        if self._online is False:
            state, color, text = "offline", palette.FAINT, self.tr("Offline")
            tip = self.tr(
                "The server cannot be reached. You can keep working: your edits are "
                "kept on this computer and sent when the connection is back."
            )
        elif self._failure is not None:
            state, color, text = "problem", palette.SYNC_PROBLEM, self.tr("Sync problem")
            tip = describe_failure(self._failure)
        elif self._online is True:
            state, color, text = "online", palette.SYNC_ONLINE, self.tr("Online")
            tip = self.tr("Connected to the server.")
        else:
            state, color, text = "unknown", palette.SYNC_CONNECTING, self.tr("Connecting…")
            tip = ""
        label = self.online_label
        label.setText(f'<span style="color:{color}">\u25cf</span>&nbsp;{_escape(text)}')
        label.setToolTip(tip)
        label.setProperty("state", state)
        label.setAccessibleName(text)
        # The style sheet may style by the "state" property: re-polish.
        label.style().unpolish(label)
        label.style().polish(label)

    def _draw_last_sync(self) -> None:
        self.last_sync_label.setText(
            self.tr("Last sync: %1").replace("%1", describe_since(self._last_sync, self._clock()))
        )
        if self._last_sync is not None:
            self.last_sync_label.setToolTip(
                self._last_sync.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            )

    def _draw_pending(self) -> None:
        self.outbox_button.setVisible(self._pending > 0)
        if self._pending:
            self.pending_label.setText(self.tr("%n edit(s) to send", "", self._pending))
            self.pending_label.setProperty("state", "pending")
        else:
            self.pending_label.setText(self.tr("All edits sent"))
            self.pending_label.setProperty("state", "clear")
        self.pending_label.style().unpolish(self.pending_label)
        self.pending_label.style().polish(self.pending_label)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
