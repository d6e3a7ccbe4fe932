"""The sync engine's listener, as Qt signals.

The engine (``sync/engine.py``, no Qt) reports through the plain
:class:`sync.events.SyncListener` protocol; :class:`SyncBridge` turns those calls into Qt
signals that any widget can connect to. Because a QObject cannot have a method and a
signal of the same name, the object handed to the engine is ``bridge.listener``::

    bridge = SyncBridge()
    engine = SyncEngine(client, store, listener=bridge.listener)
    bridge.sync_finished.connect(status_bar.on_sync_finished)
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, Signal

from gulou_desk.records import now
from sync.events import FailureReason, SyncListener, SyncProgress, SyncReport

log = logging.getLogger(__name__)


class SyncBridge(QObject):
    """Qt signals for the sync engine's events; also remembers the latest state.

    Signals:
        sync_started(): a sync cycle began.
        sync_progressed(SyncProgress): how far the cycle got (``stage`` is ``"push"`` or
            ``"pull"``); may come often, listeners throttle what they draw.
        sync_finished(SyncReport): the cycle ended well; ``report.changed`` names the
            records it changed, so views refresh only those.
        sync_failed(FailureReason, str): the cycle failed; the string is the engine's
            English detail for the log, the UI shows ``ui.errors.describe_failure``.
        online_changed(bool): the server became reachable (True) or not (False).

    State (read it when a widget is built after the fact): :attr:`online` (``None``
    until the engine said), :attr:`syncing`, :attr:`last_report`, :attr:`last_synced_at`.
    """

    sync_started = Signal()
    sync_progressed = Signal(object)
    sync_finished = Signal(object)
    sync_failed = Signal(object, str)
    online_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.online: bool | None = None
        self.syncing = False
        self.last_report: SyncReport | None = None
        self.last_synced_at: dt.datetime | None = None
        self.last_failure: FailureReason | None = None
        self._listener = _Listener(self)

    @property
    def listener(self) -> SyncListener:
        """The object to give the engine."""
        return self._listener


class _Listener:
    """Implements :class:`SyncListener` by emitting the bridge's signals."""

    def __init__(self, bridge: SyncBridge) -> None:
        self._bridge = bridge

    def sync_started(self) -> None:
        self._bridge.syncing = True
        self._bridge.sync_started.emit()

    def sync_progressed(self, progress: SyncProgress) -> None:
        self._bridge.sync_progressed.emit(progress)

    def sync_finished(self, report: SyncReport) -> None:
        bridge = self._bridge
        bridge.syncing = False
        bridge.last_report = report
        bridge.last_synced_at = now()
        bridge.last_failure = None
        log.info(
            "sync finished: pushed %d, pulled %d, conflicts %d, rejected %d",
            report.pushed, report.pulled, report.conflicts, report.rejected,
        )
        bridge.sync_finished.emit(report)

    def sync_failed(self, reason: FailureReason, message: str) -> None:
        bridge = self._bridge
        bridge.syncing = False
        bridge.last_failure = reason
        log.log(
            logging.INFO if reason is FailureReason.OFFLINE else logging.WARNING,
            "sync failed (%s): %s", reason.value, message,
        )
        bridge.sync_failed.emit(reason, message)

    def online_changed(self, online: bool) -> None:
        if self._bridge.online == online:
            return
        self._bridge.online = online
        self._bridge.online_changed.emit(online)
