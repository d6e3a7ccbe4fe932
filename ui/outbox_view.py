"""The outbox view: every edit not yet sent, what it is, when it was made, its last error,
and — for an edit set aside because the server could not take it — "Retry" and "Discard".

Opened from the status bar ("View…" next to the count of edits to send). An edit is set
aside (``gulou_desk.store.outbox.hold``) when the server refused its request or failed on
it three times; it then never blocks the others, and the edits that build on it (the same
record's later edits) wait behind it. "Retry" puts it back in the queue and syncs;
"Discard" gives it up (undone here, after a confirmation). The list is small (the unsent
edits of one person), read in the background, and read again after each sync and after
each of its own steps.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.store import ChangeSet
from gulou_desk.store.outbox import UnsentChange, unsent_changes
from ui.background import Lane, Op, OpError, Progress
from ui.conflicts_view import describe_record
from ui.errors import describe_code
from ui.record_labels import field_label
from ui.relative_time import describe_since
from ui.shell.context import DeskContext

log = logging.getLogger(__name__)

WHAT, WHEN, STATE, ERROR = range(4)


class OutboxDialog(QDialog):
    """Signals: none of its own; steps go through ``ctx.wrote`` like every view's."""

    def __init__(self, ctx: DeskContext, sync_now: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_dialog")
        self.setWindowTitle(self.tr("Edits to send"))
        self.setMinimumSize(720, 360)
        self._ctx = ctx
        self._sync_now = sync_now
        self._changes: list[UnsentChange] = []
        self._labels: dict[tuple[str, str], str] = {}

        self.summary_label = QLabel()
        self.summary_label.setObjectName("dialog_intro")
        self.summary_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setTabKeyNavigation(False)  # Tab: on to the next control
        self.table.setObjectName("outbox_table")
        self.table.setHorizontalHeaderLabels([
            self.tr("Edit"), self.tr("Made"), self.tr("State"), self.tr("Last error")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ERROR, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setObjectName("outbox_retry")
        self.retry_button.setToolTip(self.tr("Send this edit again with the next sync"))
        self.retry_button.clicked.connect(self._retry)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.setObjectName("outbox_discard")
        self.discard_button.setToolTip(self.tr("Give up this edit: it is undone here and "
                                               "never sent"))
        self.discard_button.clicked.connect(self._discard)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("outbox_sync")
        self.sync_button.clicked.connect(self._sync)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.retry_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        row.addWidget(self.sync_button)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._update_buttons()
        ctx.bridge.sync_finished.connect(self._on_synced)
        ctx.bridge.sync_failed.connect(self._on_synced)
        self.reload()

    # -- reading ----------------------------------------------------------------------

    def reload(self) -> None:
        desk = self._ctx.desk

        def read(progress: Progress) -> tuple[list[UnsentChange], dict[tuple[str, str], str]]:
            changes = desk.read(unsent_changes)
            labels = {}
            for change in changes:
                key = (change.entity, change.record_id)
                if key not in labels:
                    labels[key] = describe_record(change.entity,
                                                  desk.record(*key))
            return changes, labels

        Op(self, read, lane=Lane.READ, name="outbox").success(self._show).failure(
            self._failed).run()

    def _show(self, result: tuple[list[UnsentChange], dict[tuple[str, str], str]]) -> None:
        selected = self.selected()
        self._changes, self._labels = result
        now = self._ctx.desk.now()
        self.table.setRowCount(len(self._changes))
        for row, change in enumerate(self._changes):
            cells = (self._what(change), describe_since(change.created_at, now),
                     self._state(change), self._error(change))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == WHAT:
                    item.setData(Qt.ItemDataRole.UserRole, change.mutation_id)
                self.table.setItem(row, column, item)
            if selected is not None and change.mutation_id == selected.mutation_id:
                self.table.selectRow(row)
        held = sum(1 for c in self._changes if c.held_code)
        if not self._changes:
            self.summary_label.setText(self.tr("Every edit has been sent."))
        elif held:
            self.summary_label.setText(self.tr(
                "%n edit(s) could not be sent and are set aside; the others are sent as "
                "usual. Retry one when the problem is solved, or discard it.", "", held))
        else:
            self.summary_label.setText(self.tr(
                "%n edit(s) wait to be sent; they go with the next sync.", "",
                len(self._changes)))
        self._update_buttons()

    def _failed(self, error: OpError) -> None:
        self.summary_label.setText(error.message)

    def _what(self, change: UnsentChange) -> str:
        record = self._labels.get((change.entity, change.record_id), "")
        if change.op == "create":
            step = self.tr("New")
        elif change.op == "delete":
            step = self.tr("Deleted")
        elif change.op == "action":
            step = _step_name(change.entity, change.action or "")
        else:
            names = [field_label(change.entity, f) for f in change.fields[:3]]
            step = self.tr("Changed: %1").replace("%1", "、".join(names))
        # The step first: the record's label (a household's full address) is long and
        # the column cuts its end at a laptop's width.
        return f"{step} · {record}"

    def _state(self, change: UnsentChange) -> str:
        if change.held_code:
            return self.tr("Set aside")
        if change.waiting_behind:
            return self.tr("Waits behind a set-aside edit")
        if change.attempts:
            return self.tr("Will be sent again")
        return self.tr("Waiting to be sent")

    def _error(self, change: UnsentChange) -> str:
        if change.held_code:
            reason = describe_code(change.held_code) or self.tr(
                "The server could not take it.")
            if change.held_code == "server_error":
                reason = self.tr("The server failed on this edit three times.")
            return reason
        if change.last_error:
            code = change.last_error.split(":", 1)[0]
            return describe_code(code) or self.tr("The last attempt failed.")
        return ""

    # -- acting -----------------------------------------------------------------------

    def selected(self) -> UnsentChange | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._changes):
            return None
        return self._changes[rows[0].row()]

    def _update_buttons(self) -> None:
        change = self.selected()
        held = change is not None and change.held_code is not None
        self.retry_button.setEnabled(held)
        self.discard_button.setEnabled(held)

    def _retry(self) -> None:
        change = self.selected()
        if change is None or change.held_code is None:
            return
        desk, mutation_id = self._ctx.desk, change.mutation_id
        Op(self, lambda progress: desk.retry_unsent(mutation_id), lane=Lane.WRITE,
           name="outbox_retry").success(self._stepped).run()

    def _discard(self) -> None:
        change = self.selected()
        if change is None or change.held_code is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Discard this edit?"),
                          self.tr("“%1” will be undone on this computer and never sent. "
                                  "This cannot be undone.").replace("%1", self._what(change)),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("outbox_discard_confirm")
        discard = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        desk, mutation_id = self._ctx.desk, change.mutation_id

        def answered(_result: int) -> None:
            if box.clickedButton() is discard:
                Op(self, lambda progress: desk.discard_unsent(mutation_id),
                   lane=Lane.WRITE, name="outbox_discard").success(self._stepped).run()

        box.finished.connect(answered)
        box.open()

    def _stepped(self, changes: ChangeSet) -> None:
        self._ctx.wrote(changes)
        self._sync_now()
        self.reload()

    def _sync(self) -> None:
        self._sync_now()

    def _on_synced(self, *_args: object) -> None:
        self.reload()

    def done(self, result: int) -> None:
        self._disconnect()
        super().done(result)

    def _disconnect(self) -> None:
        bridge = self._ctx.bridge
        for signal in (bridge.sync_finished, bridge.sync_failed):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(self._on_synced)


def _step_name(entity: str, action: str) -> str:
    """A workflow step as the user reads it (the sections' own words for their steps)."""
    if entity == "performance_record":
        from ui.performance.labels import action_label

        return action_label(action)
    from ui.workflow_labels import step_name

    return step_name(action, entity)

