"""A record's history (历史): every change the server logged, who made it, when, and
each field's old and new value — read from the server on demand (``ctx.online``), never
synced. The server logs that the history of sensitive fields was read.

Used by the households section (a household, a resident) and the administration
section; ``OP_LABELS`` are the audit log's operations in words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.desk import Desk
from gulou_desk.store.queries import staff_names
from ui.background import Lane, Op, OpError, Progress
from ui.errors import describe_error
from ui.i18n import QT_TRANSLATE_NOOP
from ui.record_labels import entity_label, field_label
from ui.shell.context import OnlineReads
from ui.shell.wrapped_label import section_title

OP_LABELS: dict[str, str] = {
    "create": QT_TRANSLATE_NOOP("History", "created"),
    "update": QT_TRANSLATE_NOOP("History", "edited"),
    "delete": QT_TRANSLATE_NOOP("History", "deleted"),
    "read": QT_TRANSLATE_NOOP("History", "read sensitive fields"),
    "disable": QT_TRANSLATE_NOOP("History", "disabled"),
    "enable": QT_TRANSLATE_NOOP("History", "enabled"),
    "reset_password": QT_TRANSLATE_NOOP("History", "password reset"),
    "change_password": QT_TRANSLATE_NOOP("History", "password changed"),
    "set_grids": QT_TRANSLATE_NOOP("History", "grids set"),
    "set_community": QT_TRANSLATE_NOOP("History", "community set"),
    "revoke": QT_TRANSLATE_NOOP("History", "device revoked"),
    "sign_in": QT_TRANSLATE_NOOP("History", "signed in"),
    "map": QT_TRANSLATE_NOOP("History", "group mapped"),
    "end": QT_TRANSLATE_NOOP("History", "ended"),
}


def op_label(op: str) -> str:
    text = OP_LABELS.get(op)
    return QCoreApplication.translate("History", text) if text else op


def plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return QCoreApplication.translate("History", "yes") if value else \
            QCoreApplication.translate("History", "no")
    return str(value)


def history_rows(entries: list[dict[str, Any]], names: dict[str, str]) -> list[list[str]]:
    """One row per changed field (a change of three fields is three rows): time, person
    (or 系统), operation, field, old, new."""
    system = QCoreApplication.translate("History", "system")
    rows = []
    for e in entries:
        who = names.get(e.get("staff_id") or "", system if not e.get("staff_id") else "?")
        at = str(e.get("at", ""))[:16].replace("T", " ")
        changes = e.get("changes") or {}
        entity = str(e.get("entity", ""))
        if not changes:
            rows.append([at, who, op_label(str(e.get("op"))),
                         "、".join(field_label(entity, f) for f in e.get("fields") or []),
                         "", ""])
        for name, pair in changes.items():
            rows.append([at, who, op_label(str(e.get("op"))), field_label(entity, name),
                         plain(pair.get("old")), plain(pair.get("new"))])
    return rows


class HistoryDialog(QDialog):
    """历史 of one record (see the module docstring)."""

    def __init__(self, desk: Desk, online: OnlineReads | None, entity: str,
                 record_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle(self.tr("History") + " · " + title)
        self.setMinimumSize(640, 360)
        self._desk = desk
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(f"{entity_label(entity)} · {title}"))
        self.status = QLabel(self.tr("Reading the history from the server…"))
        self.status.setObjectName("history_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 6)
        self.table.setTabKeyNavigation(False)  # Tab: on to the next control
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Person"), self.tr("Operation"), self.tr("Field"),
            self.tr("Before"), self.tr("After")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.entries: list[dict[str, Any]] = []
        if online is None:
            self.status.setText(self.tr("The history is read from the server: connect "
                                        "first."))
            return

        def work(progress: Progress) -> tuple[list[dict[str, Any]], dict[str, str]]:
            entries = online.history(entity, record_id)
            ids = [e.get("staff_id") for e in entries]
            return entries, desk.read(staff_names, ids)

        Op(self, work, lane=Lane.NETWORK, name="record_history").success(
            self._show).failure(self._failed).run()

    def _show(self, result: tuple[list[dict[str, Any]], dict[str, str]]) -> None:
        self.entries, names = result
        rows = history_rows(self.entries, names)
        self.status.setText("" if rows else self.tr("No history yet."))
        self.status.setVisible(not rows)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)

    def _failed(self, error: OpError) -> None:
        self.status.setText(describe_error(error.exception))
