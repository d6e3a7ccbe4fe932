"""The catalogues (目录) of the administration section: each ticket category's SLA in
working days, each priority's cap on it, and the district's canned replies.

What is shown comes from the synced ``catalogue_entry`` records (the built-in SLAs for a
category without one); 保存 writes what changed as creates and updates of those records
(admins only, checked again by the server, which computes new tickets' due times with
them; ``gulou_desk/domain/catalogue.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain import catalogue, sla
from gulou_desk.store import ChangeSet
from ui.background import Lane, Op, OpError, Progress
from ui.shell.context import DeskContext
from ui.shell.record_table import RecordTable
from ui.shell.steps import describe_step_error
from ui.workflow_labels import category_label, fill, priority_label


def _spin(low: int, high: int, value: int, empty: str | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    if empty is not None:
        spin.setSpecialValueText(empty)
    spin.setValue(value)
    return spin


class CatalogueTab(QWidget):
    """Categories' SLAs, priorities' caps and canned replies, saved together."""

    def __init__(self, ctx: DeskContext, notify: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notify = notify
        self.entries: dict[str, dict[str, Any]] = {}
        self._shown: dict[str, int] = {}
        """The value each spin was last given from the records (``day/<code>``,
        ``cap/<code>``)."""
        self.day_spins: dict[str, QSpinBox] = {}
        self.cap_spins: dict[str, QSpinBox] = {}
        low, high = catalogue.SLA_RANGE

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        categories = QGroupBox(self.tr("Ticket categories: SLA in working days"), self)
        cbox = QVBoxLayout(categories)
        self.category_table = RecordTable(
            "catalogue_categories", [self.tr("Category"), self.tr("Working days")], stretch=0,
            selectable=False)
        self.category_table.setRowCount(len(sla.CATEGORIES))
        for r, c in enumerate(sla.CATEGORIES):
            self.category_table.setItem(r, 0, QTableWidgetItem(category_label(c.code)))
            spin = _spin(low, high, c.sla_days)
            spin.setObjectName(f"sla_{c.code}")
            self._shown[f"day/{c.code}"] = c.sla_days
            self.category_table.setCellWidget(r, 1, spin)
            self.day_spins[c.code] = spin
        cbox.addWidget(self.category_table)
        row.addWidget(categories, 3)

        right = QVBoxLayout()
        priorities = QGroupBox(self.tr("Priorities: at most (working days)"), self)
        pbox = QVBoxLayout(priorities)
        self.priority_table = RecordTable(
            "catalogue_priorities", [self.tr("Priority"), self.tr("At most")], stretch=0,
            selectable=False)
        self.priority_table.setRowCount(len(records.TICKET_PRIORITIES))
        for r, p in enumerate(records.TICKET_PRIORITIES):
            self.priority_table.setItem(r, 0, QTableWidgetItem(priority_label(p)))
            spin = _spin(0, high, 0, self.tr("no cap"))
            spin.setObjectName(f"cap_{p}")
            self._shown[f"cap/{p}"] = 0
            self.priority_table.setCellWidget(r, 1, spin)
            self.cap_spins[p] = spin
        pbox.addWidget(self.priority_table)
        right.addWidget(priorities, 2)

        canned = QGroupBox(self.tr("Canned replies to residents (the district's)"), self)
        rbox = QVBoxLayout(canned)
        self.replies = QListWidget(canned)
        self.replies.setObjectName("catalogue_replies")
        self.replies.setWordWrap(True)
        self.replies.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        rbox.addWidget(self.replies, 1)
        buttons = QHBoxLayout()
        for text, name, slot in ((self.tr("Add…"), "reply_add", self.add_reply),
                                 (self.tr("Edit…"), "reply_edit", self.edit_reply),
                                 (self.tr("Remove"), "reply_remove", self.remove_reply)):
            button = QPushButton(text, canned)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        rbox.addLayout(buttons)
        right.addWidget(canned, 3)
        row.addLayout(right, 4)
        layout.addLayout(row, 1)

        bar = QHBoxLayout()
        note = QLabel(self.tr("New tickets are due by these SLAs once saved and synced; "
                              "open tickets keep their due time."), self)
        note.setWordWrap(True)
        note.setObjectName("muted")
        bar.addWidget(note, 1)
        self.save_button = QPushButton(self.tr("Save catalogue"), self)
        self.save_button.setObjectName("catalogue_save")
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)

    # -- showing ----------------------------------------------------------------------

    def show_entries(self, entries: list[dict[str, Any]]) -> None:
        """Show the records (unless they are what is shown: edits not saved stay)."""
        fresh = {str(e["id"]): e for e in entries}
        if fresh == self.entries and self.replies.count():
            return
        self.entries = fresh
        table = catalogue.sla_table(entries)
        # A spin the user changed since it was last shown keeps their value (a sync that
        # brings the catalogue while they edit does not undo the edit).
        for key, spin, value in (
                *((f"day/{c}", s, table.days.get(c, sla.DEFAULT_SLA_DAYS))
                  for c, s in self.day_spins.items()),
                *((f"cap/{c}", s, table.caps.get(c, 0)) for c, s in self.cap_spins.items())):
            if spin.value() == self._shown.get(key, spin.value()):
                spin.setValue(value)
            self._shown[key] = value
        added = [self.replies.item(i).text() for i in range(self.replies.count())
                 if self.replies.item(i).data(Qt.ItemDataRole.UserRole) is None]
        self.replies.clear()
        for e in sorted((e for e in entries if e.get("kind") == "canned_reply"
                         and e.get("active", True)),
                        key=lambda e: (e.get("position") or 0, str(e["id"]))):
            self._add_item(str(e.get("text") or ""), str(e["id"]))
        for text in added:  # replies added here and not saved yet stay
            self._add_item(text, None)

    def _add_item(self, text: str, record_id: str | None) -> QListWidgetItem:
        item = QListWidgetItem(text, self.replies)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        return item

    def add_reply(self) -> None:
        dialog = CannedReplyDialog(self, "")
        dialog.accepted.connect(lambda: self.replies.setCurrentItem(
            self._add_item(dialog.text(), None)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_reply(self) -> None:
        item = self.replies.currentItem()
        if item is None:
            return
        dialog = CannedReplyDialog(self, item.text())
        dialog.accepted.connect(lambda: item.setText(dialog.text()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def remove_reply(self) -> None:
        row = self.replies.currentRow()
        if row >= 0:
            self.replies.takeItem(row)

    # -- saving -----------------------------------------------------------------------

    def changes(self) -> list[tuple[str, dict[str, Any]]]:
        """(record id, fields) of every entry that is new or differs from its record."""
        out: list[tuple[str, dict[str, Any]]] = []
        wanted: list[tuple[str, dict[str, Any]]] = []
        for code, spin in self.day_spins.items():
            wanted.append((catalogue.entry_id("category", code),
                           {"kind": "category", "code": code, "sla_days": spin.value()}))
        for code, spin in self.cap_spins.items():
            wanted.append((catalogue.entry_id("priority", code),
                           {"kind": "priority", "code": code,
                            "sla_days": spin.value() or None}))
        kept: set[str] = set()
        for i in range(self.replies.count()):
            item = self.replies.item(i)
            rid = item.data(Qt.ItemDataRole.UserRole) or records.new_id()
            item.setData(Qt.ItemDataRole.UserRole, rid)
            kept.add(str(rid))
            wanted.append((str(rid), {"kind": "canned_reply", "code": None,
                                      "text": item.text(), "position": i, "active": True}))
        for rid, e in self.entries.items():
            if e.get("kind") == "canned_reply" and e.get("active", True) and rid not in kept:
                wanted.append((rid, {"kind": "canned_reply", "active": False}))
        for rid, fields in wanted:
            old = self.entries.get(rid)
            if old is None:
                if fields["kind"] == "category" and fields["sla_days"] == sla.CATEGORY_BY_CODE[
                        fields["code"]].sla_days:
                    continue  # the built-in SLA: no record needed
                if fields["kind"] == "priority" and fields["sla_days"] == sla.SlaTable \
                        .defaults().caps.get(fields["code"]):
                    continue
                out.append((rid, {"sla_days": None, "text": None, "position": 0,
                                  "active": True, **fields}))
            else:
                diff = {k: v for k, v in fields.items()
                        if k not in ("kind", "code") and old.get(k) != v}
                if diff:
                    out.append((rid, diff))
        return out

    def save(self) -> None:
        desk, now = self.ctx.desk, self.ctx.now()
        todo = self.changes()
        if not todo:
            self.notify(self.tr("Nothing changed."))
            return
        exists = set(self.entries)

        def work(progress: Progress) -> ChangeSet:
            changes = ChangeSet()
            for rid, fields in todo:
                if rid in exists:
                    changes |= desk.update("catalogue_entry", rid, fields, now=now)
                else:
                    changes |= desk.create("catalogue_entry", fields, record_id=rid,
                                           now=now)[1]
            return changes

        def done(changes: ChangeSet) -> None:
            self.ctx.wrote(changes)
            self.notify(fill(self.tr("Catalogue saved (%1 changes): everyone receives it at "
                                     "their next sync."), str(len(todo))))

        def failed(error: OpError) -> None:
            self.notify(describe_step_error(error.exception))

        Op(self, work, lane=Lane.WRITE, name="save_catalogue").success(done).failure(
            failed).run()


class CannedReplyDialog(QDialog):
    """One canned reply's text."""

    def __init__(self, parent: QWidget, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("reply_dialog")
        self.setWindowTitle(self.tr("Canned reply"))
        box = QVBoxLayout(self)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("reply_text_edit")
        self.edit.setPlainText(text)
        box.addWidget(self.edit)
        self.count = QLabel(self)
        box.addWidget(self.count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        box.addWidget(buttons)
        self.edit.textChanged.connect(self._changed)
        self._changed()

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def _changed(self) -> None:
        n = len(self.text())
        self.count.setText(fill(self.tr("%1 / %2 characters"), str(n),
                                str(records.REPLY_MAX_LENGTH)))
        self.ok.setEnabled(0 < n <= records.REPLY_MAX_LENGTH)
