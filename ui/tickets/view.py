"""The tickets section: queues with counts, the queue's table, the detail pane.

Reading: the queue list, the table (a paged model) and the detail are read in the
background; the view refreshes only when a change concerns tickets (a local step through
:class:`~ui.shell.context.LocalChanges`, or a sync's ``report.changed``), and keeps the
ticket the user is looking at in view.

Writing: every step goes through :class:`~ui.shell.steps.StepRunner` (the use cases,
the WRITE lane). Buttons are enabled from the domain's own tables
(:func:`gulou_desk.store.ticket_queries.step_states`); a disabled step says why.

Keys: J / K or Alt+Down / Alt+Up next / previous ticket, A assign, R resolve, Ctrl+Enter
sends the comment, Ctrl+F finds, Ctrl+N opens a ticket for a walk-in or phone request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QPushButton,
    QTableView,
    QWidget,
)

from gulou_desk.store import ChangeSet
from gulou_desk.store.changes import REJECTIONS
from gulou_desk.store.ticket_queries import (
    DEFAULT_ORDER,
    Queue,
    queue_counts,
    queues_for,
    step_states,
    ticket_detail,
)
from ui.background import Lane, Op, OpError, Progress, Reread
from ui.icons import icon
from ui.palette import qss
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState
from ui.shell.nav_list import NavigationList
from ui.shell.paged_list import PagedListPane, SectionSplitter, bind_keys, side_panel
from ui.shell.section import DeskSection
from ui.shell.step_dialog import StepDialog
from ui.shell.steps import StepOutcome, StepRequest, describe_step_error
from ui.tickets.detail import TicketDetailView, TicketPane
from ui.tickets.dialogs import (
    ApproveExtensionDialog,
    AssignDialog,
    CloseDialog,
    ExtensionDialog,
    MergeDialog,
    NewTicketDialog,
    TextStepDialog,
    TriageDialog,
)
from ui.tickets.labels import queue_hint, queue_title, why_not
from ui.tickets.model import DUE_COLUMN, TITLE_COLUMN, TicketTableModel
from ui.workflow_labels import fill

log = logging.getLogger(__name__)

CLOCK_TICK_MS = 60_000
"""The countdown and the counts are brought up to date once a minute."""
HIDDEN_COLUMNS = (2, 3, 4, 5, 6)
"""Category, priority, status, assignee and grid are hidden until the user shows them (right-click
the header; the choice and the columns' order are kept): the title needs the room, and
the detail shows them all."""
RELEVANT = ("ticket", "ticket_event", "inbox_message", "staff", "grid", REJECTIONS)

VIEW_STYLE = qss("""
QListWidget#queue_list { background: transparent; border: none; outline: none; }
QListWidget#queue_list::item { padding: 6px 34px 6px 6px; margin: 1px 0; border-radius: 6px;
                               color: @text; }
QListWidget#queue_list::item:hover { background: @hover; }
QListWidget#queue_list::item:selected { background: @selected; color: @accent_dark;
                                        font-weight: 600; }
QWidget#queue_panel { background: @panel; border-right: 1px solid @border; }
QListWidget#queue_list QScrollBar:vertical { background: @panel; width: 10px; margin: 0; }
QListWidget#queue_list QScrollBar::handle:vertical { background: @faint; border-radius: 4px;
                                                     min-height: 24px; margin: 0 2px; }
QListWidget#queue_list QScrollBar::add-page:vertical,
QListWidget#queue_list QScrollBar::sub-page:vertical { background: @panel; }
QListWidget#queue_list QScrollBar::add-line:vertical,
QListWidget#queue_list QScrollBar::sub-line:vertical { height: 0; border: none; }
QLabel#ticket_number { color: @muted; font-weight: 600; }
QWidget#detail_body, QScrollArea#detail_scroll { background: @white; }
QLabel#status_chip { background: @chip; color: @accent_dark; border-radius: 9px;
                     padding: 2px 10px; }
QLabel#section_title { font-weight: 600; color: @text; padding-top: 8px; }
QLabel#muted { color: @muted; }
QFrame#rejection_notice { background: @danger_bg; border: 1px solid @danger_border;
                          border-radius: 6px; }
QLabel#rejection_text { color: @danger; }
QLabel#view_notice { color: @warning_dark; background: @warning_bg; border-radius: 6px;
                     padding: 6px 10px; }
QTableView#tickets_table { border: none; gridline-color: @gridline; }
QHeaderView::section { background: @panel; border: none; border-bottom: 1px solid @border;
                       padding: 5px 6px; color: @text_secondary; }
""")


def column_menu(table: QTableView, position: Any, *, always: tuple[int, ...]) -> QMenu:
    """The header's menu: every column with a tick, to hide or show it (the ``always``
    columns stay). What is hidden, and the order columns were dragged into, is kept with
    the window's layout (the header's state)."""
    header = table.horizontalHeader()
    model = table.model()
    menu = QMenu(table)
    for column in range(model.columnCount()):
        action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.setEnabled(column not in always)
        action.toggled.connect(lambda shown, c=column: table.setColumnHidden(c, not shown))
    menu.popup(header.mapToGlobal(position))
    return menu


def _whom_to_call(pane: TicketPane) -> tuple[str, str, str]:
    """The resident to call back about a ticket: the household's head and phone, else the
    name the request came with (the first message's sender); and the WeChat group it came
    from (where to ask when there is no phone to call)."""
    household = pane.detail.household or {}
    name = str(household.get("head_name") or "")
    phone = str(household.get("phone") or "")
    first = pane.detail.messages[0] if pane.detail.messages else None
    if not name and first is not None:
        name = first.sender_name or ""
    group = first.group_name or "" if first is not None and first.source == "wechat" else ""
    return name, phone, group


def narrow(state: EmptyState, width: int = 180) -> EmptyState:
    """An empty state that fits a side pane (its texts are 460 px wide by default)."""
    state.title_label.setFixedWidth(width)
    state.text_label.setFixedWidth(width)
    return state


class TicketsView(DeskSection):
    """The tickets section (see the module docstring).

    Signals:
        ticket_shown(str): the detail pane shows this ticket (after its read).
    """

    ticket_shown = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "tickets_view", VIEW_STYLE, parent)
        self._role = ctx.session.role
        self.queues = queues_for(self._role)
        self._detail_id: str | None = None
        self._detail_generation = 0
        self._shown_generation = 0
        self._queue_switched = False  # the next load is of a queue just chosen
        self._count_read = Reread(self, "ticket_queue_counts", self._count_work,
                                  self._show_counts, lambda error: None)

        # Left: new ticket + queues.
        panel, panel_layout = side_panel()
        self.new_button = QPushButton(self.tr("New ticket"))
        self.new_button.setObjectName("new_ticket")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(self.tr(
            "A request made in person, by phone or through the 12345 hotline (Ctrl+N)"))
        self.new_button.clicked.connect(self.open_new_ticket)
        self.queue_list = NavigationList()
        self.queue_list.setObjectName("queue_list")
        for queue in self.queues:
            item = self.queue_list.add_section(queue.value, queue_title(queue, self._role),
                                               icon("tickets"))
            item.setToolTip(queue_hint(queue))
        # "Waiting on resident" on two lines, not cut: rows as high as their text needs.
        self.queue_list.setUniformItemSizes(False)
        self.queue_list.setWordWrap(True)
        self.queue_list.currentItemChanged.connect(self._queue_changed)
        panel_layout.addWidget(self.new_button)
        panel_layout.addWidget(self.queue_list, 1)

        # Middle: search + table.
        self.model = TicketTableModel(ctx.desk, clock=ctx.clock, parent=self)
        self.pane = PagedListPane(
            self.model, table_name="tickets_table", header_name="tickets_header",
            search_name="ticket_search",
            search_hint=self.tr("Find by number, title, description or assignee (Ctrl+F)"),
            empty_icon="tickets", empty_title=self.tr("No tickets here"),
            selection_mode=QAbstractItemView.SelectionMode.SingleSelection,
            stretch_column=TITLE_COLUMN,
            column_widths=((0, 116), (2, 78), (3, 44), (4, 66), (5, 68), (6, 96),
                           (DUE_COLUMN, 112)))  # "12 d overdue" (bold) whole
        self.heading, self.search = self.pane.heading, self.pane.search
        self.notice, self.table, self.empty = self.pane.notice, self.pane.table, self.pane.empty
        self.table.sortByColumn(DUE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in HIDDEN_COLUMNS:  # the header's menu shows them again
            self.table.setColumnHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setSectionsMovable(True)  # dragged into another order; kept with the layout
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)

        # Right: detail.
        self.detail = TicketDetailView(ctx.clock)
        self.detail.step_requested.connect(self.request_step)
        self.detail.comment_submitted.connect(self._comment)
        self.detail.rejection_dismissed.connect(self._dismiss_rejection)
        self.detail.ticket_requested.connect(self.show_ticket)

        self.splitter = SectionSplitter("tickets_splitter", (panel, self.pane, self.detail),
                                        [190, 620, 440], list_width=200, table_share=0.63)
        self.splitter.fill(self)

        self.model.loaded.connect(self._model_loaded)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_TICK_MS)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start()
        self._shortcuts()

        self.follow_changes()
        self.splitter.restore_layout(ctx.settings, self)
        self.pane.keep_whole(DUE_COLUMN)  # a layout saved when it was narrower cut it
        self.queue_list.setCurrentRow(0)

    def _column_menu(self, position: Any) -> None:
        column_menu(self.table, position, always=(0, 1))  # number and title always show

    # -- keys --------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        bind_keys(self, ("J", "Alt+Down"), lambda: self.step_by(1))
        bind_keys(self, ("K", "Alt+Up"), lambda: self.step_by(-1))
        bind_keys(self, ("A",), lambda: self.request_step("assign"))
        bind_keys(self, ("R",), lambda: self.request_step("resolve"))
        bind_keys(self, ("Ctrl+F",), self.pane.focus_search)
        bind_keys(self, ("Ctrl+N",), self.open_new_ticket)
        self.table.setToolTip(self.tr("J / K or Alt+Down / Alt+Up: next / previous ticket · "
                                      "A: assign · R: resolve · right-click the header to "
                                      "show more columns"))

    def step_by(self, step: int) -> None:
        """Show the next (``step`` = 1) or previous (-1) ticket of the table (with none
        current, from the one the detail shows)."""
        shown = None if self._detail_id is None else self.model.row_of(self._detail_id)
        self.pane.step_by(step, TITLE_COLUMN, from_row=shown)

    # -- queues and counts ---------------------------------------------------------------

    def current_queue(self) -> Queue:
        key = self.queue_list.current_key()
        return Queue(key) if key else self.queues[0]

    def show_queue(self, queue: Queue) -> None:
        item = self.queue_list.item_for(queue.value)
        if item is not None:
            self.queue_list.setCurrentItem(item)

    def _queue_changed(self, *_args: object) -> None:
        queue = self.current_queue()
        self.heading.setText(queue_title(queue, self._role))
        # The queue's own order (by due time; "all": newest first, which no column shows).
        due_first = DEFAULT_ORDER.get(queue, "due_at") == "due_at"
        self.table.horizontalHeader().setSortIndicator(
            DUE_COLUMN if due_first else -1, Qt.SortOrder.AscendingOrder)
        self._queue_switched = True
        self.model.set_queue(queue)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        self._count_read.run()

    def _count_work(self) -> Callable[[Progress], dict[Queue, int]]:
        ctx = self._ctx
        desk, now, queues = ctx.desk, ctx.now(), self.queues

        def count(progress: Progress) -> dict[Queue, int]:
            return desk.read(lambda session: queue_counts(session, desk.actor(session), now,
                                                          queues))

        return count

    def _show_counts(self, counts: dict[Queue, int]) -> None:
        for queue, number in counts.items():
            self.queue_list.set_badge(queue.value, number)
        self.queue_list.viewport().update()

    def counts(self) -> dict[Queue, int]:
        return {q: self.queue_list.badge(q.value) for q in self.queues}

    def _tick(self) -> None:
        self.model.refresh_column(DUE_COLUMN)
        self.detail.refresh_clock()
        self.refresh_counts()

    # -- the table -----------------------------------------------------------------------

    def _model_loaded(self) -> None:
        queue = self.current_queue()
        empty = self.pane.show_rows_or_empty()
        if empty:
            searching = bool(self.model.search)
            self.empty.set_texts(
                self.tr("No tickets match your search") if searching
                else fill(self.tr("Nothing in “%1”"), queue_title(queue, self._role)),
                self.tr("Try fewer or other words.") if searching else queue_hint(queue))
        if self._queue_switched:
            # Another queue chosen: the ticket shown beside the old one stays only if this
            # queue has it too; else this queue's first is shown or, the queue empty,
            # nothing (not a ticket of elsewhere as if it were in this one). A ticket
            # opened by a link stays as long as the person stays in the queue.
            self._queue_switched = False
            if self._detail_id is not None and self.model.row_of(self._detail_id) is None:
                self._detail_id = None
                if empty:
                    self._read_detail()
        if self._detail_id is not None:
            row = self.model.row_of(self._detail_id)
            if row is not None:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 1),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        elif not empty:
            self.table.setCurrentIndex(self.model.index(0, 1))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and row.id != self._detail_id:
            self.show_ticket(row.id)

    # -- the detail -----------------------------------------------------------------------

    def open_ticket(self, ticket_id: str) -> None:
        """Show a ticket opened from elsewhere (a ticket number in the inbox, a toast): it
        stays while the person stays in the queue shown, listed there or not. (The view
        opened by the link reads its first queue meanwhile: that read no longer takes the
        ticket away for the queue's first.)"""
        self._queue_switched = False
        self.show_ticket(ticket_id)

    def show_ticket(self, ticket_id: str) -> None:
        """Show this ticket in the detail pane (and select it if the table has it)."""
        self._detail_id = ticket_id
        row = self.model.row_of(ticket_id)
        if row is not None and self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.model.index(row, 1))
        self._read_detail()

    def _read_detail(self) -> None:
        ticket_id = self._detail_id
        self._detail_generation += 1
        if ticket_id is None:
            self._shown_generation = self._detail_generation
            self.detail.show_nothing()
            return
        generation = self._detail_generation
        ctx = self._ctx
        desk, now = ctx.desk, ctx.now()

        def read(progress: Progress) -> TicketPane | None:
            detail = desk.read(ticket_detail, ticket_id)
            if detail is None:
                return None
            return TicketPane(detail, step_states(detail.ticket, desk.actor(), now))

        def shown(pane: TicketPane | None) -> None:
            if generation != self._detail_generation:
                return
            self._shown_generation = generation
            if pane is None:
                self._detail_id = None
                self.detail.show_nothing()
                return
            self.detail.show_pane(pane)
            self.ticket_shown.emit(ticket_id)

        def failed(error: OpError) -> None:
            if generation == self._detail_generation:
                self._shown_generation = generation
            self.show_notice(error.message)

        Op(self, read, name="ticket_detail").success(shown).failure(failed).run()

    @property
    def detail_loading(self) -> bool:
        """A read of the detail pane is on its way."""
        return self._shown_generation != self._detail_generation

    # -- steps ---------------------------------------------------------------------------

    def request_step(self, action: str) -> None:
        """Open what the step needs (a dialog, or nothing), then take it."""
        pane = self.detail.pane
        if pane is None:
            return
        state = pane.steps.get(action)
        status = pane.detail.ticket.get("status")
        if state is None or not state.allowed:
            if state is not None:
                self.show_notice(why_not(state, status))
            return
        ticket = pane.detail.ticket
        ticket_id = str(ticket["id"])
        dialog = self._dialog_for(action, ticket, pane)
        if dialog is None:
            self._run(ticket_id, action, {})
            return
        dialog.submitted.connect(lambda args: self._run(ticket_id, action, args))
        self.open_dialog(dialog)

    def _dialog_for(self, action: str, ticket: dict[str, Any],
                    pane: TicketPane) -> StepDialog | None:
        ctx, tid = self._ctx, str(ticket["id"])
        text_steps: dict[str, tuple[str, str, str, str, str, bool]] = {
            # action: (argument, title, intro, label, placeholder, required)
            "resolve": ("resolution", self.tr("Resolve the ticket"), self.tr(
                "Say what was done; the clerk reads it to the resident in the follow-up "
                "call."), self.tr("What was done"), self.tr(
                "e.g. the lighting office replaced the lamp on 5 November"), True),
            "return": ("reason", self.tr("Return to the dispatcher"), self.tr(
                "The ticket goes back to the clerks to be assigned again (退单)."),
                self.tr("Why"), self.tr("e.g. not in my grid"), True),
            "reopen": ("reason", self.tr("Reopen the ticket"), self.tr(
                "It goes back to its assignee with a new deadline (重新办理)."),
                self.tr("Why"), "", True),
            "cancel": ("reason", self.tr("Cancel the ticket"), self.tr(
                "A cancelled ticket is no longer handled (撤销)."), self.tr("Why"), "", True),
            "wait": ("reason", self.tr("Wait for the resident"), self.tr(
                "The deadline clock stops until you resume; the working days waited are "
                "added to the due time."), self.tr("Waiting for"),
                self.tr("e.g. the resident is away until Monday"), False),
            "escalate": ("body", self.tr("Escalate the ticket"), self.tr(
                "The street's supervisors see it in their escalated queue (督办)."),
                self.tr("Note"), "", False),
            "split": ("reason", self.tr("Split it back out"), self.tr(
                "The ticket is handled on its own again."), self.tr("Why"), "", False),
            "comment": ("body", self.tr("Comment"), "", self.tr("Comment"), "", True),
        }
        if action in text_steps:
            field, title, intro, label, placeholder, required = text_steps[action]
            return TextStepDialog(ctx, tid, action=action, field=field, title=title,
                                  intro=intro, label=label, required=required,
                                  placeholder=placeholder, parent=self)
        if action == "triage":
            return TriageDialog(ctx, ticket, self)
        if action == "assign":
            return AssignDialog(ctx, ticket, self)
        if action == "request_extension":
            return ExtensionDialog(ctx, tid, self)
        if action == "approve_extension":
            return ApproveExtensionDialog(ctx, pane.detail.extension_request, self)
        if action == "merge":
            return MergeDialog(ctx, ticket, self)
        if action == "close":
            resident, phone, group = _whom_to_call(pane)
            return CloseDialog(ctx, tid, resident, phone, self, group=group)
        return None  # accept, start, resume: nothing to ask

    def _run(self, ticket_id: str, action: str, args: dict[str, Any]) -> None:
        def done(outcome: StepOutcome) -> None:
            if outcome.error is not None:
                self.show_notice(describe_step_error(outcome.error, action))
                self._read_detail()
            elif action == "comment":
                self.detail.comment_sent()

        self.runner.run([StepRequest("ticket", ticket_id, action, args)], done)

    def _comment(self, text: str) -> None:
        if self._detail_id is not None:
            self._run(self._detail_id, "comment", {"body": text})

    def _dismiss_rejection(self, rejection_id: int) -> None:
        ctx = self._ctx
        desk = ctx.desk

        def dismiss(progress: Progress) -> ChangeSet:
            return desk.dismiss_rejection(rejection_id)

        Op(self, dismiss, lane=Lane.WRITE, name="dismiss_rejection").success(ctx.wrote).run()

    def open_new_ticket(self) -> NewTicketDialog:
        dialog = NewTicketDialog(self._ctx, self)
        dialog.submitted.connect(self._create)
        self.open_dialog(dialog)
        return dialog

    def _create(self, fields: dict[str, Any]) -> None:
        def done(ticket_id: str | None, error: BaseException | None) -> None:
            if error is not None or ticket_id is None:
                self.show_notice(describe_step_error(error or RuntimeError(), "create"))
                return
            self.show_ticket(ticket_id)

        self.runner.create_ticket(fields, done)

    # -- changes -------------------------------------------------------------------------

    def changes_applied(self, changes: ChangeSet) -> None:
        """A local write or a sync changed records: refresh what concerns this view."""
        if not any(changes.touches(entity) for entity in RELEVANT):
            return
        self.model.reload()
        self.refresh_counts()
        if self._detail_id is not None:
            self._read_detail()
