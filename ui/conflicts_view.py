"""The Conflicts section: edits that need the user's decision, and edits the server refused.

* A **conflict** is one field that someone else changed on the server while this user
  changed it here (``gulou_desk.store.schema.Conflict``). The card shows the record, the
  field, "your value" and "the server's value"; "Keep the server's" drops the user's value
  (``Desk.keep_server_value``), "Use mine" sends it again on the newest version
  (``Desk.use_my_value``; the backend syncs soon after).
* A **rejection** is an edit the server did not accept. The local record went back to the
  server's copy; the card shows what the user had entered (kept here, so nothing is lost)
  and the server's reason in words; "Dismiss" marks it read.

The list is small (a handful at most), read in the background; the view reloads after its
own actions, and after a sync only when the sync reported new conflicts or rejections or
changed a record shown here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import addresses
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.errors import NotFound, ValidationFailed
from gulou_desk.store.queries import ConflictView, Decisions, RejectionView, read_decisions
from ui.background import Lane, Op, OpError, Progress
from ui.errors import describe_code, describe_problem
from ui.palette import qss
from ui.record_labels import display_value, entity_label, field_label, format_datetime
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState

log = logging.getLogger(__name__)
translate = QCoreApplication.translate



def show_value(entity: str, field: str, value: Any, names: Mapping[str, str]) -> str:
    """A value as the user reads it; a reference shows the name of what it points to."""
    if isinstance(value, str) and value in names:
        return names[value]
    return display_value(entity, field, value)


def describe_record(entity: str, record: Mapping[str, Any] | None) -> str:
    """"Household · 张三 · 颐和新村 3栋2单元301室": which record, as a person knows it."""
    kind = entity_label(entity)
    if record is None:
        return translate("ConflictsView", "%1 (no longer in your copy)").replace("%1", kind)
    parts: list[str] = [kind]
    if entity == "household":
        parts += [str(record.get("head_name") or ""), addresses.short_address(
            record.get("estate"), record.get("building"), record.get("unit"),
            record.get("room"), record.get("address"))]  # as the list and the pane say it
    elif entity == "resident":
        parts.append(str(record.get("name") or ""))
    elif entity == "ticket":
        parts += [str(record.get("number") or ""), str(record.get("title") or "")]
    elif entity == "visit" and record.get("visited_at") is not None:
        parts.append(format_datetime(record["visited_at"]))
    elif entity == "performance_record":
        parts.append(str(record.get("period") or ""))
    return " · ".join(p for p in parts if p)


def describe_rejection(rejection: RejectionView) -> str:
    """The server's reason in words: the code's sentence, and each field's problem."""
    lines = [describe_code(rejection.code) or translate(
        "ConflictsView", "The server did not accept this edit.")]
    problems = rejection.details.get("problems") if isinstance(rejection.details, dict) else None
    if isinstance(problems, list):
        for problem in problems:
            if isinstance(problem, dict) and "field" in problem:
                code = str(problem.get("code") or problem.get("problem") or "")
                params = problem.get("params") if isinstance(problem.get("params"), dict) else {}
                lines.append(f"{field_label(rejection.entity, str(problem['field']))}: "
                             f"{describe_problem(code, params)}")
    elif "field" in rejection.details:
        field = str(rejection.details["field"])
        code = str(rejection.details.get("problem") or rejection.details.get("code") or "")
        lines.append(f"{field_label(rejection.entity, field)}: "
                     + (describe_problem(code) if code else rejection.code))
    return "\n".join(lines)


def _what_was_done(rejection: RejectionView) -> str:
    if rejection.op == "create":
        return translate("ConflictsView", "New record")
    if rejection.op == "delete":
        return translate("ConflictsView", "Deletion")
    if rejection.op == "action":
        return translate("ConflictsView", "Step “%1”").replace("%1", rejection.action or "")
    return translate("ConflictsView", "Edit")


def _value_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _who_and_when(conflict: ConflictView) -> str:
    """"Changed by 王芳 on 2026-12-04 10:32" (what the server said of its value)."""
    when = format_datetime(conflict.changed_at) if conflict.changed_at else None
    if conflict.changed_by and when:
        return QCoreApplication.translate("ConflictCard", "Changed by %1 on %2").replace(
            "%1", conflict.changed_by).replace("%2", when)
    if conflict.changed_by:
        return QCoreApplication.translate("ConflictCard", "Changed by %1").replace(
            "%1", conflict.changed_by)
    if when:
        return QCoreApplication.translate("ConflictCard", "Changed on %1").replace("%1", when)
    return ""


class ConflictCard(QFrame):
    """One conflicting field, with its two values and the two choices."""

    def __init__(self, conflict: ConflictView, record: Mapping[str, Any] | None,
                 names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setObjectName("conflict_card")
        self.setProperty("card", True)
        self.record_label = QLabel(describe_record(conflict.entity, record))
        self.record_label.setObjectName("card_record")
        self.record_label.setWordWrap(True)
        self.field_label = QLabel(field_label(conflict.entity, conflict.field))
        self.field_label.setObjectName("card_field")
        self.mine_label = _value_label(
            show_value(conflict.entity, conflict.field, conflict.client_value, names),
            "mine_value")
        self.server_label = _value_label(
            show_value(conflict.entity, conflict.field, conflict.server_value, names),
            "server_value")
        self.error_label = QLabel()
        self.error_label.setObjectName("card_error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.keep_button = QPushButton(self.tr("Keep the server's"))
        self.keep_button.setObjectName(f"keep_server_{conflict.id}")
        self.keep_button.setToolTip(self.tr("Your value is dropped; the server's stays."))
        self.mine_button = QPushButton(self.tr("Use mine"))
        self.mine_button.setObjectName(f"use_mine_{conflict.id}")
        self.mine_button.setProperty("primary", True)
        self.mine_button.setToolTip(self.tr("Your value is sent again and replaces the "
                                            "server's."))

        values = QGridLayout()
        values.setHorizontalSpacing(24)
        values.setVerticalSpacing(2)
        mine_title = QLabel(self.tr("Your value"))
        mine_title.setObjectName("card_caption")
        server_title = QLabel(self.tr("On the server now"))
        server_title.setObjectName("card_caption")
        values.addWidget(mine_title, 0, 0)
        values.addWidget(server_title, 0, 1)
        values.addWidget(self.mine_label, 1, 0)
        values.addWidget(self.server_label, 1, 1)
        self.author_label = QLabel(_who_and_when(conflict))
        self.author_label.setObjectName("server_author")
        self.author_label.setWordWrap(True)
        self.author_label.setVisible(bool(self.author_label.text()))
        values.addWidget(self.author_label, 2, 1)
        values.setColumnStretch(0, 1)
        values.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        when = QLabel(self.tr("Found %1").replace("%1", format_datetime(conflict.created_at)))
        when.setObjectName("card_caption")
        buttons.addWidget(when, 1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.mine_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.record_label)
        layout.addWidget(self.field_label)
        layout.addLayout(values)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def set_busy(self, busy: bool) -> None:
        self.keep_button.setEnabled(not busy)
        self.mine_button.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


class RejectionCard(QFrame):
    """One refused edit: what the user entered (kept) and why the server said no."""

    def __init__(self, rejection: RejectionView, record: Mapping[str, Any] | None,
                 names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rejection = rejection
        self.setObjectName("rejection_card")
        self.setProperty("card", True)
        self.record_label = QLabel(
            f"{_what_was_done(rejection)} · {describe_record(rejection.entity, record)}")
        self.record_label.setObjectName("card_record")
        self.record_label.setWordWrap(True)
        self.reason_label = _value_label(describe_rejection(rejection), "rejection_reason")
        kept = QGridLayout()
        kept.setHorizontalSpacing(16)
        kept.setVerticalSpacing(2)
        values = rejection.fields or rejection.args or {}
        for row, (name, value) in enumerate(values.items()):
            caption = QLabel(field_label(rejection.entity, name))
            caption.setObjectName("card_caption")
            kept.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            kept.addWidget(_value_label(show_value(rejection.entity, name, value, names),
                                        f"kept_{name}"), row, 1)
        kept.setColumnStretch(1, 1)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName(f"dismiss_{rejection.id}")
        self.dismiss_button.setToolTip(self.tr("You have read this; it leaves the list."))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.record_label)
        why = QLabel(self.tr("Why"))
        why.setObjectName("card_caption")
        layout.addWidget(why)
        layout.addWidget(self.reason_label)
        if values:
            entered = QLabel(self.tr("What you entered (kept here)"))
            entered.setObjectName("card_caption")
            layout.addWidget(entered)
            layout.addLayout(kept)
        buttons = QHBoxLayout()
        when = QLabel(self.tr("Refused %1").replace("%1", format_datetime(rejection.created_at)))
        when.setObjectName("card_caption")
        buttons.addWidget(when, 1)
        buttons.addWidget(self.dismiss_button)
        layout.addLayout(buttons)


CARD_STYLE = qss("""
QScrollArea#conflicts_scroll, QWidget#conflict_cards { background: @white; }
QFrame[card="true"] { border: 1px solid @border; border-radius: 8px; background: @white; }
QFrame#rejection_card { background: @refused_card_bg; border-color: @refused_card_border; }
QLabel#card_record { font-weight: 600; color: @ink_strong; }
QLabel#card_field { color: @accent_dark; font-weight: 600; }
QLabel#card_caption { color: @muted; }
QLabel#card_error { color: @danger; }
QLabel#section_title { font-size: 12pt; font-weight: 600; color: @text; }
""")


class ConflictsView(QWidget):
    """Conflicts and rejections of the local copy, with their choices (see the module doc).

    Signals:
        loaded(object): the list was read (a :class:`Decisions`).
    """

    loaded = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflicts_view")
        self.setStyleSheet(CARD_STYLE)
        self._ctx = ctx
        self._desk = ctx.desk
        self._generation = 0
        self._records: set[tuple[str, str]] = set()
        self.decisions: Decisions | None = None
        self.conflict_cards: dict[int, ConflictCard] = {}
        self.rejection_cards: dict[int, RejectionCard] = {}

        title = QLabel(self.tr("Conflicts"))
        title.setObjectName("page_title")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("dialog_intro")
        self.summary_label.setWordWrap(True)
        top = QVBoxLayout()
        top.setContentsMargins(20, 16, 20, 8)
        top.setSpacing(4)
        top.addWidget(title)
        top.addWidget(self.summary_label)

        self.cards = QWidget()
        self.cards.setObjectName("conflict_cards")
        self.cards.setMaximumWidth(960)  # two values side by side stay easy to compare
        self.cards_layout = QVBoxLayout(self.cards)
        self.cards_layout.setContentsMargins(20, 12, 20, 20)
        self.cards_layout.setSpacing(10)
        scroll = QScrollArea()
        scroll.setObjectName("conflicts_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.cards)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.empty = EmptyState(
            "conflicts", self.tr("No conflicts"),
            self.tr("When someone else changed the same record, or the server did not accept "
                    "an edit, you will choose here which value to keep. Nothing is lost."),
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.empty)
        self.stack.setCurrentWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        ctx.changes.changes_applied.connect(self.apply_changes)
        self.reload()

    # -- reading ------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation, desk = self._generation, self._desk
        Op(self, lambda progress: desk.read(read_decisions), name="read_conflicts").success(
            lambda decisions: self._show(generation, decisions)
        ).failure(lambda error: self._read_failed(generation, error)).run()

    def _read_failed(self, generation: int, error: OpError) -> None:
        if generation == self._generation:
            self.summary_label.setText(error.message)

    def _show(self, generation: int, decisions: Decisions) -> None:
        if generation != self._generation:
            return
        self.decisions = decisions
        self._records = set(decisions.records)
        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.conflict_cards.clear()
        self.rejection_cards.clear()
        if decisions.conflicts:
            self.cards_layout.addWidget(self._section(self.tr("Changed by someone else too")))
            for conflict in decisions.conflicts:
                card = ConflictCard(conflict, decisions.records.get(
                    (conflict.entity, conflict.record_id)), decisions.names, self.cards)
                card.keep_button.clicked.connect(
                    lambda _=False, c=card: self.keep_server(c.conflict.id))
                card.mine_button.clicked.connect(
                    lambda _=False, c=card: self.use_mine(c.conflict.id))
                self.conflict_cards[conflict.id] = card
                self.cards_layout.addWidget(card)
        if decisions.rejections:
            self.cards_layout.addWidget(self._section(self.tr("Not accepted by the server")))
            for rejection in decisions.rejections:
                rcard = RejectionCard(rejection, decisions.records.get(
                    (rejection.entity, rejection.record_id)), decisions.names, self.cards)
                rcard.dismiss_button.clicked.connect(
                    lambda _=False, r=rejection.id: self.dismiss(r))
                self.rejection_cards[rejection.id] = rcard
                self.cards_layout.addWidget(rcard)
        self.cards_layout.addStretch(1)
        if decisions.count:
            self.summary_label.setText(self.tr(
                "%n edit(s) wait for your decision. Until you decide, the server's value is "
                "shown everywhere and yours is kept here.", "", decisions.count))
            self.stack.setCurrentIndex(0)
        else:
            self.summary_label.setText(self.tr("Nothing waits for your decision."))
            self.stack.setCurrentWidget(self.empty)
        self.loaded.emit(decisions)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("section_title")
        return label

    # -- choices ------------------------------------------------------------------------

    def keep_server(self, conflict_id: int) -> None:
        desk = self._desk
        self._decide(conflict_id, lambda progress: desk.keep_server_value(conflict_id),
                     "keep_server")

    def use_mine(self, conflict_id: int) -> None:
        desk = self._desk
        self._decide(conflict_id, lambda progress: desk.use_my_value(conflict_id),
                     "use_mine")

    def _decide(self, conflict_id: int, work: Callable[[Progress], ChangeSet],
                name: str) -> None:
        card = self.conflict_cards.get(conflict_id)
        if card is not None:
            card.set_busy(True)
            card.show_error("")
        Op(self, work, lane=Lane.WRITE, name=name).success(self._applied).failure(
            lambda error: self._decision_failed(conflict_id, error)).run()

    def dismiss(self, rejection_id: int) -> None:
        desk = self._desk
        card = self.rejection_cards.get(rejection_id)
        if card is not None:
            card.dismiss_button.setEnabled(False)
        Op(self, lambda progress: desk.dismiss_rejection(rejection_id), lane=Lane.WRITE,
           name="dismiss_rejection").success(self._applied).failure(
            lambda error: self._dismiss_failed(rejection_id, error)).run()

    def _applied(self, changes: ChangeSet) -> None:
        if changes:
            self._ctx.wrote(changes)  # every view hears of it, this one too
        else:
            self.reload()

    def _decision_failed(self, conflict_id: int, error: OpError) -> None:
        card = self.conflict_cards.get(conflict_id)
        if isinstance(error.exception, NotFound):
            self.reload()  # settled meanwhile (another window, a sync): just show the rest
            return
        if card is None:
            return
        card.set_busy(False)
        if isinstance(error.exception, ValidationFailed):
            card.show_error("\n".join(describe_problem(p.code, p.params)
                                      for p in error.exception.problems))
        else:
            card.show_error(error.message)

    def _dismiss_failed(self, rejection_id: int, error: OpError) -> None:
        card = self.rejection_cards.get(rejection_id)
        if isinstance(error.exception, NotFound) or card is None:
            self.reload()
            return
        card.dismiss_button.setEnabled(True)
        self.summary_label.setText(error.message)

    # -- refreshing -----------------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        """Reload if ``changes`` add or settle decisions, or touch a record shown here."""
        if changes.touches("conflicts") or changes.touches("rejections") or any(
                changes.touches_record(entity, record_id)
                for entity, record_id in self._records):
            self.reload()

    def shown_count(self) -> int:
        return self.decisions.count if self.decisions is not None else 0
