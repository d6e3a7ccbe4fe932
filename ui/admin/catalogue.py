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
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from ui.record_labels import chinese
from ui.shell.context import DeskContext
from ui.shell.record_table import RecordTable
from ui.shell.steps import describe_step_error
from ui.workflow_labels import fill, priority_label


def _spin(low: int, high: int, value: int, empty: str | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    if empty is not None:
        spin.setSpecialValueText(empty)
    spin.setValue(value)
    return spin


def _open(dialog: QDialog, accepted: Callable[[], object]) -> None:
    """Open ``dialog`` window-modal, deleted once closed; ``accepted`` when it is."""
    dialog.accepted.connect(accepted)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


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
        high = catalogue.SLA_RANGE[1]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        categories = QGroupBox(self.tr("Ticket categories: SLA in working days"), self)
        cbox = QVBoxLayout(categories)
        self.category_table = RecordTable(
            "catalogue_categories", [self.tr("Category"), self.tr("Working days"),
                                     self.tr("Status")], stretch=0)
        self.category_table.itemSelectionChanged.connect(self._category_chosen)
        self.categories: list[sla.Category] = list(sla.CATEGORIES)
        """The rows: the catalogue's categories (retired ones too) and those added here."""
        self.category_edits: dict[str, dict[str, Any]] = {}
        """What was changed here and not saved, per code: ``name``, ``name_en``,
        ``active``; ``new`` for a category added here."""
        for c in self.categories:
            self._shown[f"day/{c.code}"] = c.sla_days
        self._fill_categories()
        cbox.addWidget(self.category_table)
        category_buttons = QHBoxLayout()
        self.add_category_button = QPushButton(self.tr("New category…"), categories)
        self.add_category_button.setObjectName("category_add")
        self.add_category_button.clicked.connect(self.add_category)
        self.rename_category_button = QPushButton(self.tr("Rename…"), categories)
        self.rename_category_button.setObjectName("category_rename")
        self.rename_category_button.clicked.connect(self.rename_category)
        self.retire_category_button = QPushButton(self.tr("Retire"), categories)
        self.retire_category_button.setObjectName("category_retire")
        self.retire_category_button.clicked.connect(self.toggle_category)
        for button in (self.add_category_button, self.rename_category_button,
                       self.retire_category_button):
            category_buttons.addWidget(button)
        category_buttons.addStretch(1)
        cbox.addLayout(category_buttons)
        self._category_chosen()
        # The categories' table (names, days, status) gets the larger share: at 1024 px in
        # English 3:4 cut "Certificates and documents" while the priorities' two short
        # columns had room to spare.
        row.addWidget(categories, 4)

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
        row.addLayout(right, 3)
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
        added_here = [c for c in self.categories if self.category_edits.get(c.code, {}).get("new")]
        self.categories = [*table.categories, *added_here]
        self._fill_categories()
        # A spin the user changed since it was last shown keeps their value (a sync that
        # brings the catalogue while they edit does not undo the edit).
        for key, spin, value in (
                *((f"day/{c}", s, table.days.get(
                    c, self._shown.get(f"day/{c}", sla.DEFAULT_SLA_DAYS)))
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

    # -- categories ---------------------------------------------------------------------

    def _category(self, c: sla.Category) -> sla.Category:
        """The category with what was changed here."""
        edits = self.category_edits.get(c.code, {})
        return sla.Category(c.code, edits.get("name", c.zh), edits.get("name_en", c.en),
                            c.sla_days, edits.get("active", c.active))

    def _fill_categories(self) -> None:
        """One row per category (name in the UI's language, SLA, in use or retired); a
        spin the user changed keeps its value."""
        low, high = catalogue.SLA_RANGE
        typed = {code: spin.value() for code, spin in self.day_spins.items()}
        chosen = self.chosen_category()
        codes = [c.code for c in self.categories]
        kept = list(self.day_spins)
        if codes[:len(kept)] != kept:  # not only categories added: the rows anew
            kept = []
        self.day_spins = {code: self.day_spins[code] for code in kept}
        self.category_table.setRowCount(len(self.categories))
        for r, base in enumerate(self.categories):
            c = self._category(base)
            name = c.zh if chinese() else c.en.split(" (")[0]
            item = QTableWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            item.setToolTip(f"{c.zh} · {c.en}")
            self.category_table.setItem(r, 0, item)
            spin = self.day_spins.get(c.code)
            if spin is None:  # a spin already shown stays (and keeps what was typed)
                spin = _spin(low, high, typed.get(c.code, c.sla_days))
                spin.setObjectName(f"sla_{c.code}")
                self.category_table.setCellWidget(r, 1, spin)
                self.day_spins[c.code] = spin
            spin.setEnabled(c.active)
            self.category_table.setItem(r, 2, QTableWidgetItem(
                self.tr("In use") if c.active else self.tr("Retired")))
            if c.code == chosen:
                self.category_table.selectRow(r)

    def chosen_category(self) -> str | None:
        row = self.category_table.currentRow()
        item = self.category_table.item(row, 0) if row >= 0 else None
        code = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(code) if code else None

    def _chosen(self) -> sla.Category | None:
        """The chosen category, with what was changed here."""
        code = self.chosen_category()
        return next((self._category(c) for c in self.categories if c.code == code), None)

    def _category_chosen(self) -> None:
        found = self._chosen()
        self.rename_category_button.setEnabled(found is not None)
        self.retire_category_button.setEnabled(found is not None)
        self.retire_category_button.setText(
            self.tr("Retire") if found is None or found.active else self.tr("Use again"))

    def add_category(self) -> None:
        dialog = CategoryDialog(self, "", "", catalogue.SLA_RANGE[0] + 4)

        def added() -> None:
            code = catalogue.new_category_code()
            self.category_edits[code] = {"name": dialog.name(), "name_en": dialog.name_en(),
                                         "active": True, "new": True}
            self.categories.append(sla.Category(code, dialog.name(), dialog.name_en(),
                                                dialog.days()))
            self._shown[f"day/{code}"] = dialog.days()
            self._fill_categories()
            self.category_table.selectRow(len(self.categories) - 1)

        _open(dialog, added)

    def rename_category(self) -> None:
        found = self._chosen()
        if found is None:
            return
        dialog = CategoryDialog(self, found.zh, found.en, None)

        def renamed() -> None:
            self.category_edits.setdefault(found.code, {}).update(
                name=dialog.name(), name_en=dialog.name_en())
            self._fill_categories()

        _open(dialog, renamed)

    def toggle_category(self) -> None:
        found = self._chosen()
        if found is None:
            return
        self.category_edits.setdefault(found.code, {})["active"] = not found.active
        self._fill_categories()
        self._category_chosen()

    def _add_item(self, text: str, record_id: str | None) -> QListWidgetItem:
        item = QListWidgetItem(text, self.replies)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        return item

    def add_reply(self) -> None:
        dialog = CannedReplyDialog(self, "")
        _open(dialog, lambda: self.replies.setCurrentItem(
            self._add_item(dialog.text(), None)))

    def edit_reply(self) -> None:
        item = self.replies.currentItem()
        if item is None:
            return
        dialog = CannedReplyDialog(self, item.text())
        _open(dialog, lambda: item.setText(dialog.text()))

    def remove_reply(self) -> None:
        row = self.replies.currentRow()
        if row >= 0:
            self.replies.takeItem(row)

    # -- saving -----------------------------------------------------------------------

    def changes(self) -> list[tuple[str, dict[str, Any]]]:
        """(record id, fields) of every entry that is new or differs from its record."""
        out: list[tuple[str, dict[str, Any]]] = []
        wanted: list[tuple[str, dict[str, Any]]] = []
        for position, base in enumerate(self.categories):
            c = self._category(base)
            fields: dict[str, Any] = {"kind": "category", "code": c.code,
                                      "sla_days": self.day_spins[c.code].value()}
            edits = self.category_edits.get(c.code, {})
            if edits.get("new") or "name" in edits:
                fields.update(name=c.zh, name_en=c.en)
            if edits.get("new"):
                fields["position"] = position
            if "active" in edits:
                fields["active"] = c.active
            wanted.append((catalogue.entry_id("category", c.code), fields))
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
                builtin = sla.CATEGORY_BY_CODE.get(str(fields["code"]))
                if fields["kind"] == "category" and builtin is not None and set(fields) == {
                        "kind", "code", "sla_days"} and fields["sla_days"] == builtin.sla_days:
                    continue  # the built-in category as it is: no record needed
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
            self.category_edits.clear()
            self.ctx.wrote(changes)
            self.notify(fill(self.tr("Catalogue saved (%1 changes): everyone receives it at "
                                     "their next sync."), str(len(todo))))

        def failed(error: OpError) -> None:
            self.notify(describe_step_error(error.exception))

        Op(self, work, lane=Lane.WRITE, name="save_catalogue").success(done).failure(
            failed).run()


class CategoryDialog(QDialog):
    """A ticket category's Chinese and English names (and, for a new one, its SLA)."""

    def __init__(self, parent: QWidget, name: str, name_en: str, days: int | None) -> None:
        super().__init__(parent)
        self.setObjectName("category_dialog")
        self.setWindowTitle(self.tr("New ticket category") if days is not None
                            else self.tr("Rename the category"))
        box = QVBoxLayout(self)
        form = QFormLayout()
        zh_max, en_max = catalogue.NAME_LENGTH
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("category_name")
        self.name_edit.setMaxLength(zh_max)
        self.name_en_edit = QLineEdit(name_en, self)
        self.name_en_edit.setObjectName("category_name_en")
        self.name_en_edit.setMaxLength(en_max)
        form.addRow(self.tr("Chinese name"), self.name_edit)
        form.addRow(self.tr("English name"), self.name_en_edit)
        low, high = catalogue.SLA_RANGE
        self.days_spin = _spin(low, high, days or low)
        self.days_spin.setObjectName("category_days")
        if days is not None:
            form.addRow(self.tr("SLA (working days)"), self.days_spin)
        box.addLayout(form)
        note = QLabel(self.tr("Tickets of the category are due this many working days after "
                              "they are made. Saved with the catalogue."), self)
        note.setWordWrap(True)
        note.setObjectName("muted")
        note.setVisible(days is not None)
        box.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        box.addWidget(buttons)
        for edit in (self.name_edit, self.name_en_edit):
            edit.textChanged.connect(self._changed)
        self._changed()

    def name(self) -> str:
        return self.name_edit.text().strip()

    def name_en(self) -> str:
        return self.name_en_edit.text().strip()

    def days(self) -> int:
        return self.days_spin.value()

    def _changed(self) -> None:
        self.ok.setEnabled(bool(self.name() and self.name_en()))


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
