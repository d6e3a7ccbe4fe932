"""One performance record: its figures (each opens the list behind it), the
self-assessment, the decision, the history — and what the user may do with it.

The worker writes the self-assessment here (a draft is kept on this computer while they
type, so closing the window by mistake loses nothing) and submits; a supervisor reads,
sees the suggested score, and approves (score, optional comment) or returns it (a
comment is required). Which of these the user gets is asked of the domain's table
(:func:`gulou_desk.performance_desk.allowed_steps`): a worker never sees the decision controls,
nobody decides on their own record.

A decision is made on the version the supervisor read: if a sync brought a newer copy
meanwhile, the panel refuses locally and shows the new one; if the server refuses it as
``stale`` (the worker changed the record before the decision arrived), the rejection is
shown here in words, with the decision the supervisor had made kept in the form.

All reads and writes run as ops; the panel's owner calls :meth:`RecordPanel.refresh_if`
with every change set (local writes and syncs) and the panel reloads only when its record
(or the rejections, or the outbox) changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import performance_desk as source
from gulou_desk import records
from gulou_desk.domain.indicators import Measure
from gulou_desk.performance_desk import Preview, RecordChanged, RecordDetail
from gulou_desk.store.changes import OUTBOX, REJECTIONS, ChangeSet
from gulou_desk.store.performance_queries import RecordView
from ui.background import Lane, Op, OpError, OpHandle, Progress
from ui.palette import qss
from ui.performance import export
from ui.performance import labels as L
from ui.performance.drill import DrillDownDialog
from ui.performance.figures import FigureTiles
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState
from ui.shell.step_dialog import StepDialog
from ui.shell.wrapped_label import section_title

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 600
"""The self-assessment is kept as a draft this long after the last keystroke."""

PANEL_STYLE = qss("""
QWidget#record_body { background: @white; }
QLabel#section_title { font-weight: 600; color: @text; padding-top: 10px; }
QLabel#muted { color: @muted; }
QLabel#preview_banner { background: @preview_bg; color: @preview; border: 1px solid @preview_border;
                        border-radius: 6px; padding: 8px 10px; }
QFrame#rejection_notice { background: @danger_bg; border: 1px solid @danger_border;
                          border-radius: 6px; }
QLabel#rejection_text { color: @danger; }
QLabel#panel_notice { color: @warning_dark; background: @warning_bg; border-radius: 6px;
                      padding: 6px 10px; }
QLabel#assessment_text { background: @panel; border: 1px solid @border; border-radius: 6px;
                         padding: 8px 10px; }
QFrame#decision_box { background: @panel_cool; border: 1px solid @border; border-radius: 8px; }
QLabel#decision_text { padding: 4px 0; }
QLabel#field_hint, QLabel#score_explanation { color: @muted; }
QLabel#history_when { color: @muted; }
""")


class RecordPanel(QWidget):
    """A record (or the live preview) with its actions (see the module docstring).

    Signals:
        record_shown(str): the panel shows this record, freshly read.
        step_done(str): a step the user took here was written locally (carries the action:
            ``save``, ``submit``, ``approve``, ``return``, ``dismiss``).
        step_failed(str): a step could not be written; carries the sentence shown.
    """

    record_shown = Signal(str)
    step_done = Signal(str)
    step_failed = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("record_panel")
        self.setStyleSheet(PANEL_STYLE)
        self.setMinimumWidth(480)
        self._ctx = ctx
        self._user_id = ctx.session.user_id
        self.detail: RecordDetail | None = None
        self.preview: Preview | None = None
        self._record_id: str | None = None
        self._loading: OpHandle | None = None
        self._generation = 0
        self._busy = False
        self._draft_id: str | None = None
        self._saved_text = ""
        self._decision_touched = False
        self._drill: DrillDownDialog | None = None

        # Header.
        self.title_label = QLabel()
        self.title_label.setObjectName("page_title")
        self.title_label.setWordWrap(True)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status_chip")
        self.pending_chip = QLabel(self.tr("Waiting to be sent"))
        self.pending_chip.setObjectName("pending_chip")
        self.pending_chip.setStyleSheet(L.chip_style("draft"))
        self.pending_chip.setToolTip(self.tr(
            "Your change is kept on this computer and will be sent at the next sync."))
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.setObjectName("record_pdf")
        self.pdf_button.setToolTip(self.tr("A printable copy of this record (Ctrl+P)"))
        self.pdf_button.clicked.connect(self.save_pdf)
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.pending_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.counted_label = QLabel()
        self.counted_label.setObjectName("muted")
        self.counted_label.setWordWrap(True)
        self.preview_banner = QLabel(self.tr(
            "Preview: computed on this computer from your local data, up to today. The "
            "official figures are computed by the server and may differ until everything "
            "is synced."))
        self.preview_banner.setObjectName("preview_banner")
        self.preview_banner.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("panel_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        # Refused steps.
        self.rejection_frame = QFrame()
        self.rejection_frame.setObjectName("rejection_notice")
        self.rejection_label = QLabel()
        self.rejection_label.setObjectName("rejection_text")
        self.rejection_label.setWordWrap(True)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("dismiss_rejection")
        self.dismiss_button.setToolTip(self.tr("I have read this"))
        self.dismiss_button.clicked.connect(self.dismiss_rejections)
        rejection_layout = QHBoxLayout(self.rejection_frame)
        rejection_layout.setContentsMargins(12, 8, 8, 8)
        rejection_layout.addWidget(self.rejection_label, 1)
        rejection_layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)

        # Figures and scores.
        self.tiles = FigureTiles()
        self.tiles.figure_clicked.connect(self.open_figure)
        self.suggested_label = QLabel()
        self.suggested_label.setObjectName("suggested_score")
        self.score_label = QLabel()
        self.score_label.setObjectName("final_score")
        self.score_how = QLabel()
        self.score_how.setObjectName("score_explanation")
        self.score_how.setWordWrap(True)
        scores = QHBoxLayout()
        scores.addWidget(self.suggested_label)
        scores.addSpacing(24)
        scores.addWidget(self.score_label)
        scores.addStretch(1)

        # Self-assessment.
        self.assessment_title = section_title(self.tr("Self-assessment"))
        self.assessment_text = QLabel()
        self.assessment_text.setObjectName("assessment_text")
        self.assessment_text.setWordWrap(True)
        self.assessment_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.assessment_edit = QPlainTextEdit()
        self.assessment_edit.setObjectName("assessment_edit")
        self.assessment_edit.setPlaceholderText(self.tr(
            "What went well this month, what did not, and why: visits, tickets, residents "
            "you helped…"))
        self.assessment_edit.setMinimumHeight(110)
        self.assessment_edit.textChanged.connect(self._assessment_changed)
        self.draft_label = QLabel()
        self.draft_label.setObjectName("field_hint")
        self.draft_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save_assessment")
        self.save_button.setToolTip(self.tr("Save the self-assessment (Ctrl+S)"))
        self.save_button.clicked.connect(self.save_assessment)
        self.submit_button = QPushButton(self.tr("Submit"))
        self.submit_button.setObjectName("submit_record")
        self.submit_button.setProperty("primary", True)
        self.submit_button.clicked.connect(self.submit)
        self.submit_hint = QLabel()
        self.submit_hint.setObjectName("field_hint")
        self.submit_hint.setWordWrap(True)
        worker_row = QHBoxLayout()
        worker_row.addWidget(self.draft_label, 1)
        worker_row.addWidget(self.save_button)
        worker_row.addWidget(self.submit_button)
        self.worker_actions = QWidget()
        worker_layout = QVBoxLayout(self.worker_actions)
        worker_layout.setContentsMargins(0, 0, 0, 0)
        worker_layout.addLayout(worker_row)
        worker_layout.addWidget(self.submit_hint)

        # The supervisor's decision.
        self.decision_box = QFrame()
        self.decision_box.setObjectName("decision_box")
        self.score_spin = QDoubleSpinBox()
        self.score_spin.setObjectName("decision_score")
        self.score_spin.setRange(0.0, 100.0)
        self.score_spin.setDecimals(1)
        self.score_spin.setSingleStep(0.5)
        self.score_spin.valueChanged.connect(self._decision_edited)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("decision_comment")
        self.comment_edit.setPlaceholderText(self.tr(
            "Comment for the social worker (optional to approve, needed to return)"))
        self.comment_edit.setFixedHeight(72)
        self.comment_edit.textChanged.connect(self._decision_edited)
        self.return_hint = QLabel(self.tr(
            "To return the record, write what the social worker should change."))
        self.return_hint.setObjectName("field_hint")
        self.return_hint.setWordWrap(True)
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.approve_button.setObjectName("approve_record")
        self.approve_button.setProperty("primary", True)
        self.approve_button.setToolTip(self.tr("Approve with this score (Alt+A)"))
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton(self.tr("&Return"))
        self.return_button.setObjectName("return_record")
        self.return_button.setToolTip(self.tr(
            "Send it back to the social worker with your comment (Alt+R)"))
        self.return_button.clicked.connect(self.return_record)
        decision_grid = QGridLayout(self.decision_box)
        decision_grid.setContentsMargins(12, 10, 12, 10)
        decision_grid.addWidget(section_title(self.tr("Decision")), 0, 0, 1, 3)
        decision_grid.addWidget(QLabel(self.tr("Score")), 1, 0)
        decision_grid.addWidget(self.score_spin, 1, 1)
        self.use_suggested = QPushButton()
        self.use_suggested.setObjectName("use_suggested")
        self.use_suggested.setFlat(True)
        self.use_suggested.clicked.connect(self._use_suggested)
        decision_grid.addWidget(self.use_suggested, 1, 2, Qt.AlignmentFlag.AlignLeft)
        decision_grid.addWidget(QLabel(self.tr("Comment")), 2, 0, Qt.AlignmentFlag.AlignTop)
        decision_grid.addWidget(self.comment_edit, 2, 1, 1, 2)
        decision_grid.addWidget(self.return_hint, 3, 1, 1, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        decision_grid.addLayout(buttons, 4, 0, 1, 3)
        decision_grid.setColumnStretch(2, 1)
        self.decision_label = QLabel()
        self.decision_label.setObjectName("decision_text")
        self.decision_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setObjectName("undo_decision")
        self.undo_button.setToolTip(self.tr(
            "Your decision is not sent yet: take it back (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_decision)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.setObjectName("reopen_record")
        self.reopen_button.setToolTip(self.tr(
            "The approval has been sent: reopen the record for a new decision, with a "
            "reason the social worker will read"))
        self.reopen_button.clicked.connect(self.ask_reopen)
        decided_row = QHBoxLayout()
        decided_row.addWidget(self.decision_label, 1)
        decided_row.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignTop)
        decided_row.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignTop)
        self.reopen_dialog: ReopenDialog | None = None

        # History.
        self.history_box = QWidget()
        self.history_box.setObjectName("history")
        self.history_layout = QGridLayout(self.history_box)
        self.history_layout.setContentsMargins(0, 0, 0, 0)
        self.history_layout.setHorizontalSpacing(14)
        self.history_layout.setColumnStretch(3, 1)

        body = QWidget()
        body.setObjectName("record_body")
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(18, 14, 18, 18)
        self.body_layout.setSpacing(8)
        # The decision (退回 with its comment, 通过 with the score) before the
        # self-assessment: a worker whose month came back reads what was asked before
        # the box to answer it in; at 1024×700 it used to lie below the fold.
        for item in (header, self.counted_label, self.preview_banner, self.notice,
                     self.rejection_frame, self.tiles, scores, self.score_how,
                     decided_row, self.assessment_title,
                     self.assessment_text, self.assessment_edit, self.worker_actions,
                     self.decision_box):
            if isinstance(item, QHBoxLayout):
                self.body_layout.addLayout(item)
            else:
                self.body_layout.addWidget(item)
        self.history_title = section_title(self.tr("History"))
        self.body_layout.addWidget(self.history_title)
        self.body_layout.addWidget(self.history_box)
        self.body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("record_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.empty = EmptyState("performance", self.tr("No record chosen"),
                                self.tr("Choose a record on the left to see its figures."))
        self.loading_label = QLabel(self.tr("Reading the record…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.loading_label)
        self.content = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        QShortcut(QKeySequence.StandardKey.Save, self, self._save_shortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, self._undo_shortcut)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.decision_box, self.decide_default,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Print, self, self.save_pdf)

    # -- what is shown ----------------------------------------------------------------

    @property
    def record_id(self) -> str | None:
        return self._record_id

    @property
    def loading(self) -> bool:
        return self._loading is not None

    @property
    def busy(self) -> bool:
        """A step is being written."""
        return self._busy

    def clear(self, title: str | None = None, text: str | None = None) -> None:
        self.flush_draft()
        self._generation += 1
        self._loading = None
        self._record_id = None
        self.detail = None
        self.preview = None
        if title is not None:
            self.empty.set_texts(title, text or "")
        self.stack.setCurrentWidget(self.empty)

    def show_record(self, record_id: str) -> None:
        """Read the record and show it (keeps what the user typed when it is the same)."""
        if record_id != self._record_id:
            self.flush_draft()
            self._decision_touched = False
            self.notice.hide()
            self.stack.setCurrentWidget(self.loading_label)
        self._record_id = record_id
        self.preview = None
        self._load()

    def show_preview(self, preview: Preview) -> None:
        """Show this month's live figures (no record: nothing to write or decide)."""
        self.flush_draft()
        self._generation += 1
        self._loading = None
        self._record_id = None
        self.detail = None
        self.preview = preview
        self.title_label.setText(L.fill(self.tr("%1 · live preview"),
                                        L.month_label(preview.period)))
        self._chip("preview", self.tr("Preview"))
        self.pending_chip.hide()
        self.pdf_button.hide()
        self.counted_label.setText(L.fill(self.tr("Counted from the 1st to %1."),
                                          preview.through.isoformat()))
        self.preview_banner.show()
        self.notice.hide()
        self.rejection_frame.hide()
        self.tiles.set_measures(preview.measures)
        self._explain_score(preview.measures)
        self.suggested_label.setText(L.fill(self.tr("Suggested score: %1"),
                                            L.format_score(preview.suggested_score)))
        self.score_label.hide()
        for widget in (self.assessment_title, self.assessment_text, self.assessment_edit,
                       self.worker_actions, self.decision_box, self.decision_label,
                       self.history_title, self.history_box, self.undo_button,
                       self.reopen_button):
            widget.hide()
        self.stack.setCurrentWidget(self.content)

    def refresh_if(self, changes: ChangeSet) -> None:
        """Reload when ``changes`` concern the record shown (or its rejections, drafts or
        pending edits)."""
        if self._record_id is None:
            return
        if (changes.touches_record("performance_record", self._record_id)
                or changes.touches(REJECTIONS) or changes.touches(OUTBOX)
                or changes.touches("staff")):
            self._load()

    def _load(self) -> None:
        record_id = self._record_id
        if record_id is None:
            return
        if self._loading is not None:
            self._loading.cancel()
        self._generation += 1
        generation = self._generation
        desk, now = self._ctx.desk, self._ctx.now()

        def work(progress: Progress) -> RecordDetail | None:
            return source.read_record(desk, record_id, now)

        self._loading = Op(self, work, name="read_performance_record").success(
            lambda detail: self._loaded(generation, detail)).failure(
            lambda error: self._load_failed(generation, error)).run()

    def _loaded(self, generation: int, detail: RecordDetail | None) -> None:
        if generation != self._generation:
            return
        self._loading = None
        if detail is None:
            self.clear(self.tr("This record is no longer here"),
                       self.tr("It was removed from your area on the server."))
            return
        same = self.detail is not None and self.detail.record.id == detail.record.id
        self.detail = detail
        self._apply(detail, same)
        self.stack.setCurrentWidget(self.content)
        self.record_shown.emit(detail.record.id)

    def _load_failed(self, generation: int, error: OpError) -> None:
        if generation != self._generation:
            return
        self._loading = None
        self.clear(self.tr("The record could not be read"), error.message)

    def _chip(self, status: str, text: str) -> None:
        self.status_chip.setText(text)
        self.status_chip.setStyleSheet(L.chip_style(status))

    def _apply(self, detail: RecordDetail, same: bool) -> None:
        r = detail.record
        mine = r.worker_id == self._user_id
        self.title_label.setText(L.fill(self.tr("%1 · %2"), r.worker_name or r.worker_id,
                                        L.month_label(r.period)))
        self._chip(r.status, L.status_label(r.status))
        self.pending_chip.setVisible(detail.pending > 0)
        self.pdf_button.show()
        parts = []
        if r.through is not None:
            parts.append(L.fill(L.tr(L.COUNTED_THROUGH), r.through.isoformat()))
        if r.computed_at is not None:
            parts.append(L.fill(self.tr("Computed by the server %1."),
                                L.format_time(r.computed_at)))
        self.counted_label.setText(" ".join(parts))
        self.counted_label.setVisible(bool(parts))
        self.preview_banner.hide()
        self._show_rejections(detail)
        self.tiles.set_measures(r.measures)
        self._explain_score(r.measures)
        self.suggested_label.setText(L.fill(self.tr("Suggested score: %1"),
                                            L.format_score(r.suggested_score)))
        self.score_label.setText(L.fill(self.tr("Score: %1"), L.format_score(r.score)))
        self.score_label.setVisible(r.score is not None)

        # Self-assessment: the writer edits it, everyone else reads it.
        for widget in (self.assessment_title, self.history_title, self.history_box):
            widget.show()
        self.assessment_edit.setVisible(detail.can_edit)
        self.assessment_text.setVisible(not detail.can_edit)
        self.assessment_text.setText(r.self_assessment or L.tr(L.NO_SELF_ASSESSMENT))
        self._apply_assessment(detail, same)

        # The worker's submit.
        self.worker_actions.setVisible(mine)
        self.save_button.setVisible(detail.can_edit)
        can_submit = detail.allowed.get("submit", False)
        self.submit_button.setVisible(mine and (can_submit or r.status in ("draft",
                                                                          "returned")))
        self.submit_button.setEnabled(can_submit and not self._busy)
        self.submit_hint.setText(self._submit_hint(r, can_submit))
        self._update_buttons()

        # The decision.
        deciding = detail.allowed.get("approve", False) or detail.allowed.get("return", False)
        self.decision_box.setVisible(deciding)
        if deciding:
            self.use_suggested.setText(L.fill(self.tr("Use the suggested %1"),
                                              L.format_score(r.suggested_score)))
            if not (same and self._decision_touched):
                self._fill_decision(detail)
        self.decision_label.setText(self._decision_text(r))
        self.decision_label.setVisible(bool(self.decision_label.text()))
        self.undo_button.setVisible(detail.pending_decision is not None)
        self.reopen_button.setVisible(detail.allowed.get("reopen", False)
                                      and detail.pending_decision is None)
        self._show_history(r)
        self._update_buttons()

    def _explain_score(self, measures: Mapping[str, Measure]) -> None:
        """How the suggested score was made, with this record's numbers, under it (not
        only in a tooltip: the supervisor reads it before deciding)."""
        text = L.score_explanation(measures)
        self.score_how.setText(text)
        self.score_how.setVisible(bool(text))

    def _submit_hint(self, r: RecordView, can_submit: bool) -> str:
        if r.status == "submitted":
            return self.tr("Submitted: waiting for your supervisor's decision. If you change "
                           "the self-assessment now, it needs a new decision.")
        if r.status == "approved":
            return self.tr("Approved: this is the month's final assessment.")
        if r.status == "returned" and can_submit:
            return self.tr("Returned to you: change what was asked, then submit again.")
        if can_submit:
            return self.tr("When you submit, your supervisor decides on these figures and "
                           "your self-assessment.")
        return ""

    def _decision_text(self, r: RecordView) -> str:
        who = r.supervisor_name or L.EMPTY
        comment = f"“{r.decision_comment}”" if r.decision_comment else ""
        if r.status == "approved":
            text = L.fill(self.tr("Approved by %1 with the score %2."), who,
                          L.format_score(r.score))
            return f"{text} {comment}".strip()
        if r.status == "returned":
            text = L.fill(self.tr("Returned by %1."), who)
            return f"{text} {comment}".strip()
        if r.status == "submitted" and r.decision_comment:
            return L.fill(self.tr("Last time %1 asked: %2"), who, comment)
        return ""

    def _show_rejections(self, detail: RecordDetail) -> None:
        if not detail.rejections:
            self.rejection_frame.hide()
            return
        deciding = detail.allowed.get("approve", False) or detail.allowed.get("return", False)
        lines = []
        for rejection in detail.rejections:
            text = L.rejection_text(rejection)
            kept = L.kept_decision_text(rejection)
            if kept and deciding and rejection.action in ("approve", "return"):
                text += " " + L.fill(self.tr("What you had decided (%1) is kept in the form "
                                             "below."), kept)
            lines.append(text)
        self.rejection_label.setText("\n\n".join(lines))
        self.rejection_frame.show()

    def _show_history(self, r: RecordView) -> None:
        while self.history_layout.count():
            item = self.history_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not r.history:
            none = QLabel(L.tr(L.NO_HISTORY))
            none.setObjectName("muted")
            self.history_layout.addWidget(none, 0, 0, 1, 4)
            return
        for row, entry in enumerate(reversed(r.history)):
            when = QLabel(L.format_time(entry.at))
            when.setObjectName("history_when")
            who = QLabel(L.history_actor(entry))
            what = QLabel(L.action_label(entry.action))
            what.setStyleSheet("font-weight: 600;")
            detail = QLabel(L.history_detail(entry))
            detail.setWordWrap(True)
            for column, label in enumerate((when, who, what, detail)):
                label.setObjectName(label.objectName() or "history_cell")
                self.history_layout.addWidget(label, row, column,
                                              Qt.AlignmentFlag.AlignTop)

    def history_lines(self) -> list[str]:
        """The history as shown, newest first ("when · who · what · detail")."""
        rows: dict[int, list[str]] = {}
        for i in range(self.history_layout.count()):
            item = self.history_layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if not isinstance(widget, QLabel) or widget.objectName() == "muted":
                continue
            row, _column, _, _ = cast(tuple[int, int, int, int],
                                      self.history_layout.getItemPosition(i))
            rows.setdefault(row, []).append(widget.text())
        return [" · ".join(t for t in rows[k] if t) for k in sorted(rows)]

    # -- the self-assessment and its draft --------------------------------------------

    def _apply_assessment(self, detail: RecordDetail, same: bool) -> None:
        r = detail.record
        saved = r.self_assessment or ""
        typed = self.assessment_edit.toPlainText()
        dirty = same and typed != self._saved_text
        self._saved_text = saved
        if not detail.can_edit:
            self._draft_id = None
            self.draft_label.clear()
            return
        if dirty:
            return  # the user is typing: a sync must not take their text away
        draft = detail.draft
        self._draft_id = draft.id if draft is not None else None
        text = saved
        self.draft_label.clear()
        if draft is not None:
            kept = str(draft.payload.get("text", ""))
            if kept != saved:
                text = kept
                self.draft_label.setText(L.fill(
                    self.tr("Your unsaved text from %1 is back: save it, or submit."),
                    L.format_time(draft.updated_at)))
        self.assessment_edit.blockSignals(True)
        self.assessment_edit.setPlainText(text)
        self.assessment_edit.blockSignals(False)

    @property
    def assessment_dirty(self) -> bool:
        return (self.detail is not None and self.detail.can_edit
                and self.assessment_edit.toPlainText() != self._saved_text)

    def _assessment_changed(self) -> None:
        if self.detail is None or not self.detail.can_edit:
            return
        if self.assessment_dirty:
            self.draft_label.setText(self.tr("Not saved yet: kept on this computer while "
                                             "you write."))
            self._draft_timer.start()
        else:
            self._draft_timer.stop()
            self.draft_label.clear()
            self._forget_draft()
        self._update_buttons()

    def keep_draft(self) -> None:
        """Keep what the user typed as a draft (a write in the background)."""
        self._draft_timer.stop()
        if not self.assessment_dirty or self.detail is None:
            return
        record_id = self.detail.record.id
        text = self.assessment_edit.toPlainText()
        if self._draft_id is None:
            self._draft_id = records.new_id()
        draft_id, desk = self._draft_id, self._ctx.desk
        # No parent: the window may be closing; the draft must still be written.
        Op(None, lambda progress: source.keep_draft(desk, record_id, text, draft_id),
           lane=Lane.WRITE, name="keep_assessment_draft").failure(
            lambda error: log.warning("draft not kept: %s", error.message)).run()

    def flush_draft(self) -> None:
        """Write a pending draft now (the panel is hidden, another record is chosen, the
        window closes)."""
        if self._draft_timer.isActive():
            self.keep_draft()

    def _forget_draft(self) -> None:
        draft_id, desk = self._draft_id, self._ctx.desk
        self._draft_id = None
        if draft_id is None:
            return
        Op(None, lambda progress: source.forget_draft(desk, draft_id), lane=Lane.WRITE,
           name="forget_assessment_draft").failure(lambda error: None).run()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_draft()
        super().hideEvent(event)

    # -- steps ------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        detail = self.detail
        busy = self._busy
        if detail is None:
            return
        self.save_button.setEnabled(self.assessment_dirty and not busy)
        self.submit_button.setEnabled(detail.allowed.get("submit", False) and not busy)
        has_comment = bool(self.comment_edit.toPlainText().strip())
        self.approve_button.setEnabled(detail.allowed.get("approve", False) and not busy)
        self.return_button.setEnabled(detail.allowed.get("return", False) and has_comment
                                      and not busy)
        self.return_hint.setVisible(not has_comment)
        # With a comment typed, returning is what the supervisor is about to do: 退回 is
        # the default (the primary button, and Ctrl+Enter), not 通过.
        returning = has_comment and detail.allowed.get("return", False)
        for button, primary in ((self.return_button, returning),
                                (self.approve_button, not returning)):
            button.setDefault(primary)
            if bool(button.property("primary")) != primary:
                button.setProperty("primary", primary)
                button.style().unpolish(button)
                button.style().polish(button)

    def _decision_edited(self) -> None:
        self._decision_touched = True
        self._update_buttons()

    def _fill_decision(self, detail: RecordDetail) -> None:
        """The suggested score and an empty comment, or what the supervisor had decided
        when the server refused it (kept with the rejection)."""
        score: float = detail.record.suggested_score
        comment = ""
        for rejection in detail.rejections:
            args = rejection.args or {}
            if rejection.action in ("approve", "return"):
                if isinstance(args.get("score"), int | float):
                    score = float(args["score"])
                comment = str(args.get("comment") or "")
                break
        for widget in (self.score_spin, self.comment_edit):
            widget.blockSignals(True)
        self.score_spin.setValue(score)
        self.comment_edit.setPlainText(comment)
        for widget in (self.score_spin, self.comment_edit):
            widget.blockSignals(False)
        self._decision_touched = False

    def _use_suggested(self) -> None:
        if self.detail is not None:
            self.score_spin.setValue(self.detail.record.suggested_score)

    def _save_shortcut(self) -> None:
        if self.save_button.isVisible() and self.save_button.isEnabled():
            self.save_assessment()

    def _run(self, action: str, work_step: Callable[[Progress], ChangeSet]) -> None:
        """Run a write (``work_step(progress) -> ChangeSet``) on the WRITE lane."""
        self._busy = True
        self._update_buttons()

        def done(changes: ChangeSet) -> None:
            self._busy = False
            self._ctx.wrote(changes)
            self.step_done.emit(action)
            self._load()

        def failed(error: OpError) -> None:
            self._busy = False
            if isinstance(error.exception, RecordChanged):
                text = self.tr("The record changed while you were reading it (a sync brought "
                               "the latest copy). Read it again, then decide.")
                self._decision_touched = True  # keep what they typed
            elif isinstance(error.exception, source.AlreadySent):
                text = self.tr("Your decision has been sent to the server already: to "
                               "take it back, reopen the record with a reason.")
            else:
                text = L.fill(self.tr("Not done: %1"), error.message)
            self.show_notice(text)
            self.step_failed.emit(text)
            self._update_buttons()
            self._load()

        Op(self, work_step, lane=Lane.WRITE, name=f"performance_{action}").success(
            done).failure(failed).run()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def save_assessment(self) -> None:
        detail = self.detail
        if detail is None or not detail.can_edit or self._busy:
            return
        self._draft_timer.stop()
        record_id, text, draft_id = (detail.record.id, self.assessment_edit.toPlainText(),
                                     self._draft_id)
        desk, now = self._ctx.desk, self._ctx.now()
        self._saved_text = text
        self._draft_id = None
        self.draft_label.setText(self.tr("Saved."))
        self._run("save", lambda progress: source.save_self_assessment(
            desk, record_id, text, now, draft_id=draft_id))

    def submit(self) -> None:
        """Submit (saving the self-assessment first when it was changed)."""
        detail = self.detail
        if detail is None or not detail.allowed.get("submit", False) or self._busy:
            return
        self._draft_timer.stop()
        record_id = detail.record.id
        desk, now = self._ctx.desk, self._ctx.now()
        if self.assessment_dirty:
            text, draft_id = self.assessment_edit.toPlainText(), self._draft_id
            self._saved_text = text
            self._draft_id = None
            self._run("submit", lambda progress: source.save_self_assessment(
                desk, record_id, text, now, submit=True, draft_id=draft_id))
        else:
            self._run("submit", lambda progress: source.submit(desk, record_id, now))

    def approve(self) -> None:
        detail = self.detail
        if detail is None or not detail.allowed.get("approve", False) or self._busy:
            return
        args: dict[str, object] = {"score": round(self.score_spin.value(), 1)}
        comment = self.comment_edit.toPlainText().strip()
        if comment:
            args["comment"] = comment
        self._decide("approve", args)

    def decide_default(self) -> None:
        """The default decision (Ctrl+Enter): return when a comment is typed, else
        approve."""
        if self.return_button.isDefault() and self.return_button.isEnabled():
            self.return_record()
        elif self.approve_button.isEnabled():
            self.approve()

    def return_record(self) -> None:
        detail = self.detail
        comment = self.comment_edit.toPlainText().strip()
        if detail is None or not detail.allowed.get("return", False) or self._busy:
            return
        if not comment:
            self.return_hint.show()
            self.comment_edit.setFocus()
            return
        self._decide("return", {"comment": comment})

    def _decide(self, action: str, args: dict[str, object]) -> None:
        assert self.detail is not None
        record = self.detail.record
        desk, now = self._ctx.desk, self._ctx.now()
        self.notice.hide()
        self._run(action, lambda progress: source.decide(
            desk, record.id, action, args, record.sync_version, now))

    def _undo_shortcut(self) -> None:
        if self.undo_button.isVisible() and not self._busy:
            self.undo_decision()

    def undo_decision(self) -> None:
        """Take back a decision that is not sent yet (the record is as the server has
        it again); once sent, say that reopening is the way."""
        if self.detail is None or self._busy:
            return
        record_id, desk = self.detail.record.id, self._ctx.desk
        self.notice.hide()
        self._run("undo", lambda progress: source.undo_decision(desk, record_id))

    def ask_reopen(self) -> None:
        """Reopen an approved record for a new decision, with a reason (a step the
        server checks: only a supervisor, never on their own record)."""
        if self.detail is None or not self.detail.allowed.get("reopen", False):
            return
        dialog = ReopenDialog(self._ctx, self.detail.record.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda values: self._decide("reopen", values))
        dialog.finished.connect(lambda _code: setattr(self, "reopen_dialog", None))
        self.reopen_dialog = dialog
        dialog.open()
        dialog.load_draft()

    def dismiss_rejections(self) -> None:
        if self.detail is None or not self.detail.rejections:
            return
        ids = [r.id for r in self.detail.rejections]
        desk = self._ctx.desk
        self._run("dismiss", lambda progress: source.dismiss(desk, ids))

    # -- drill-down and PDF -----------------------------------------------------------

    def open_figure(self, figure: str) -> None:
        target: RecordView | Preview | None = (
            self.detail.record if self.detail is not None else self.preview)
        if target is None:
            return
        if self._drill is None:
            self._drill = DrillDownDialog(self._ctx.desk, self)
            self._ctx.settings.restore_layout(self._drill)
        self._drill.show_figure(target, figure, self._ctx.now().date())

    @property
    def drill_dialog(self) -> DrillDownDialog | None:
        return self._drill

    def save_pdf(self) -> None:
        if self.detail is None:
            return
        record = self.detail.record
        path = export.ask_save_path(self, self.tr("Save the record as PDF"),
                                    export.pdf_file_name(record), export.PDF_FILTER, ".pdf")
        if path is not None:
            self.export_pdf(path)

    def export_pdf(self, path: Path) -> None:
        """Write the printable record to ``path`` (the file dialog's choice)."""
        if self.detail is None:
            return
        export.export_pdf(self, path, self.detail.record,
                          lambda written: self.show_notice(
                              L.fill(self.tr("Saved to %1."), str(written))),
                          self.show_notice)


class ReopenDialog(StepDialog):
    """Why an approved record is reopened (the reason goes into its history, for the
    social worker to read); kept as a draft when closed by mistake."""

    def __init__(self, ctx: DeskContext, record_id: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(ctx, self.tr("Reopen the record"), self.tr(
            "The approval was sent. Reopening takes it back: the record waits for a new "
            "decision, and the social worker reads your reason in its history."),
            draft_kind="performance_reopen", record_id=record_id,
            ok_text=self.tr("Reopen"), parent=parent)
        self.setObjectName("reopen_dialog")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reopen_reason")
        self.reason_edit.setPlaceholderText(self.tr("Why the decision is taken back"))
        self.reason_edit.setFixedHeight(80)
        label = QLabel(self.tr("Reason"))
        label.setBuddy(self.reason_edit)
        self.form.addRow(label, self.reason_edit)

    def collect(self) -> dict[str, object] | None:
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            self.show_error(self.tr("Write the reason: the social worker will read it."))
            return None
        return {"reason": reason}

    def draft_payload(self) -> dict[str, object]:
        text = self.reason_edit.toPlainText()
        return {"reason": text} if text.strip() else {}

    def apply_draft(self, payload: dict[str, object]) -> None:
        self.reason_edit.setPlainText(str(payload.get("reason") or ""))
