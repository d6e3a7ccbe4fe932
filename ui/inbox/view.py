"""The inbox section: groups with unread counts, the group's messages, the chosen message,
and the steps: make a ticket, link to a ticket, dismiss, reply.

Several messages can be chosen at once (Ctrl/Shift-click): three neighbours reporting
the same broken street light become one ticket (the first message is converted, the
others linked to it), or are linked together to a ticket that exists, or dismissed
together; each message gets its own step. A reply goes to one message's group.

"New" is the status (nobody has handled the message); "unread" is new and not yet looked
at on this computer (:class:`~ui.inbox.seen.SeenMarkers`): a message counts as read once
it has been shown in the detail pane.

Keys: J / K or Alt+Down / Alt+Up next / previous message, T make a ticket, L link,
D dismiss, R (or Ctrl+Enter) reply; in a step's dialog Enter confirms, Escape cancels.
After a message is made a ticket, linked or dismissed here, the next message still to
handle is chosen, so triage goes on from the keyboard. A dismissal is undone (撤销忽略)
on the day it was made; a handled message's ticket number opens the ticket.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain.workflows import can_restore, reply_for_group
from gulou_desk.store import ChangeSet
from gulou_desk.store.admin_queries import unassigned
from gulou_desk.store.inbox_queries import (
    InboxGroup,
    MessageView,
    inbox_groups,
    messages_by_ids,
)
from gulou_desk.store.ticket_queries import StepState, inbox_step_states
from ui.background import Op, OpError, Progress
from ui.icons import icon
from ui.inbox.dialogs import ConvertDialog, DismissDialog, LinkDialog, ReplyDialog
from ui.inbox.model import (
    GROUP_COLUMN,
    KEYWORD_COLUMN,
    SENDER_COLUMN,
    STATUS_COLUMN,
    TEXT_COLUMN,
    InboxTableModel,
)
from ui.inbox.seen import SeenMarkers
from ui.inbox.unassigned import UnassignedGroupsDialog
from ui.palette import qss
from ui.shell.button_rows import columns_that_fit, place
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState
from ui.shell.nav_list import NavigationList
from ui.shell.paged_list import PagedListPane, SectionSplitter, bind_keys, side_panel
from ui.shell.section import DeskSection
from ui.shell.step_dialog import StepDialog
from ui.shell.steps import StepOutcome, StepRequest, describe_step_error
from ui.shell.wrapped_label import section_title
from ui.tickets.labels import format_time, ticket_name, why_not
from ui.tickets.view import VIEW_STYLE, column_menu, narrow
from ui.workflow_labels import fill, inbox_status_label, source_label

log = logging.getLogger(__name__)

ALL_GROUPS = "all"
RELEVANT = ("inbox_message", "ticket", "grid", "wechat_group", "rejections")

INBOX_STYLE = VIEW_STYLE + qss("""
QLabel#message_text { font-size: 12pt; color: @ink_strong; }
QLabel#message_meta { color: @muted; }
QPushButton#ticket_link { color: @accent; border: none; background: transparent;
                          padding: 0; text-decoration: underline; text-align: left; }
""")


COMMON_START_MIN = 4
"""A start shared by every group name is cut when it is at least this long ..."""
LONG_GROUP_NAME = 8
"""... and only from names longer than this (a short one fits whole)."""


def _common_start(names: list[str]) -> str:
    """The start all ``names`` share (at least :data:`COMMON_START_MIN` characters, two
    names or more), else ""."""
    if len(names) < 2:
        return ""
    shortest = min(names, key=len)
    length = 0
    while length < len(shortest) and all(n[length] == shortest[length] for n in names):
        length += 1
    start = shortest[:length]
    return start if len(start) >= COMMON_START_MIN else ""


def _kin_start(name: str, names: list[str]) -> str:
    """The start ``name`` shares with its closest kin: the other ``names`` that share the
    most of its first characters, at least :data:`COMMON_START_MIN` (a community's grids:
    "汇林绿洲第"), else "". A group of another name in the list (a building's) no longer
    keeps the community's from being cut, nor does a neighbourhood's group of the same
    community ("汇林绿洲邻里群") cut its grids' start short to "汇林绿洲": they read
    "…1网格居民群", not "…第1网格…"."""
    others = [n for n in names if n != name]
    kin = [n for n in others if n[:COMMON_START_MIN] == name[:COMMON_START_MIN]]
    if not kin:
        return ""
    closest = max(len(_common_start([name, n])) for n in kin)
    start = _common_start([name, *(n for n in kin if name[:closest] == n[:closest])])
    return start if len(start) < len(name) else ""  # never the whole name


FITTED_COLUMNS = {GROUP_COLUMN: (96, 220), SENDER_COLUMN: (72, 150)}
"""The columns as wide as their names: (the width they start with, the most they take)."""
CELL_MARGINS = 14
"""A cell's text margins and the sort arrow's room."""
MESSAGE_MIN_WIDTH, MESSAGE_MIN_SHARE = 260, 0.45
"""The message's room the group and the sender leave it (whichever is larger)."""
FOLD_SHARE = 0.5
FOLDED_COLUMN = SENDER_COLUMN
"""Where even the start widths leave the message less than :data:`FOLD_SHARE` of the
list (a 1024 px window: it had 146 of 402 px, eight characters), the sender gives its
place to the message: the detail beside says who sent the chosen message. It is back
once the list is wide enough, and the header's menu shows it whatever the width (a
choice that then stays, as a width set by hand does)."""


class InboxView(DeskSection):
    """The inbox section (see the module docstring).

    Signals:
        selection_shown(list): the detail pane shows these message ids.
    """

    selection_shown = Signal(list)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "inbox_view", INBOX_STYLE, parent)
        self.seen = SeenMarkers.for_account(ctx.folder(), ctx.session.user_id)
        self.groups: dict[str, InboxGroup] = {}
        self.selected: list[MessageView] = []
        self.steps: list[dict[str, StepState]] = []
        self._selection_generation = 0
        self._wanted: list[str] = []
        """The messages the user chose last (kept chosen across reloads)."""

        # Left: groups.
        panel, panel_layout = side_panel()
        self.mark_read_button = QPushButton(self.tr("Mark all as read"))
        self.mark_read_button.setObjectName("mark_all_read")
        self.mark_read_button.clicked.connect(self.mark_all_read)
        self.mark_read_button.setMinimumWidth(self.mark_read_button.sizeHint().width())
        self.group_list = NavigationList()
        self.group_list.setObjectName("queue_list")
        self.group_list.setIconSize(self.group_list.iconSize())
        self.group_list.setUniformItemSizes(False)
        # One line each: a title too long for the list is shortened by _group_title
        # (wrapped, a Chinese name broke in the middle of a word).
        self.group_list.setWordWrap(False)
        # The viewport's width is the titles' room: it changes with the list's and when
        # the scroll bar comes or goes (once per resize; the list's own size is not heard).
        self.group_list.viewport().installEventFilter(self)
        self._titled_width = -1
        """The viewport width the titles were shortened for (a change of height alone
        does not shorten them again)."""

        self.group_list.currentItemChanged.connect(self._group_changed)
        panel_layout.addWidget(section_title(self.tr("Groups")))
        panel_layout.addWidget(self.group_list, 1)
        self.unassigned_button = QPushButton()
        self.unassigned_button.setObjectName("unassigned_groups")
        self.unassigned_button.setIcon(icon("inbox"))
        self.unassigned_button.setToolTip(self.tr(
            "WeChat groups not assigned to a grid yet: their messages wait there"))
        self.unassigned_button.clicked.connect(self.open_unassigned)
        self.unassigned_button.hide()
        self.unassigned_dialog: UnassignedGroupsDialog | None = None
        panel_layout.addWidget(self.unassigned_button)
        panel_layout.addWidget(self.mark_read_button)

        # Middle: filter, search, table.
        self.model = InboxTableModel(ctx.desk, self._is_unread, clock=ctx.clock, parent=self)
        self.pane = PagedListPane(
            self.model, table_name="inbox_table", header_name="inbox_header",
            search_name="inbox_search",
            search_hint=self.tr("Find in messages, senders, groups (Ctrl+F)"),
            empty_icon="inbox", empty_title=self.tr("Nothing to handle"),
            selection_mode=QAbstractItemView.SelectionMode.ExtendedSelection,
            stretch_column=TEXT_COLUMN,
            column_widths=((0, 88), *((c, start) for c, (start, _most) in FITTED_COLUMNS.items()),
                           (4, 56), (5, 68)),
            heading=self.tr("Inbox"))
        self.heading, self.search = self.pane.heading, self.pane.search
        self.notice, self.table, self.empty = self.pane.notice, self.pane.table, self.pane.empty
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(self.tr("To handle"), "new")
        self.status_filter.addItem(self.tr("Handled"), "handled")
        self.status_filter.addItem(self.tr("All"), "all")
        self.status_filter.currentIndexChanged.connect(self._status_filter_changed)
        self.pane.top.addWidget(self.status_filter)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda position: column_menu(self.table, position, always=(TEXT_COLUMN,)))
        # The message and its group get the width: keyword and status are in the detail
        # (and the filter says which statuses are listed); the header's menu shows them.
        for column in (KEYWORD_COLUMN, STATUS_COLUMN):
            self.table.setColumnHidden(column, True)
        self.table.setStyleSheet(qss("QTableView { border: none; gridline-color: @gridline; }"))
        self.table.setToolTip(self.tr(
            "Ctrl/Shift-click to choose several messages · J / K: next / previous · "
            "T: make a ticket · L: link · D: dismiss · R: reply"))

        # Right: the chosen message(s) and the steps.
        self.detail = QStackedWidget()
        self.detail.setObjectName("message_detail")
        self.detail_empty = EmptyState("inbox", self.tr("No message chosen"), self.tr(
            "Choose a message to read it whole and decide what to do with it."), None)
        narrow(self.detail_empty)
        self.detail.addWidget(self.detail_empty)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setObjectName("detail_scroll")
        body = QWidget()
        body.setObjectName("detail_body")
        scroll.setWidget(body)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(18, 14, 18, 14)
        body_layout.setSpacing(10)
        self.count_label = QLabel()
        self.count_label.setObjectName("section_title")
        self.text_label = QLabel()
        self.text_label.setObjectName("message_text")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta_label = QLabel()
        self.meta_label.setObjectName("message_meta")
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ticket_link = QPushButton()
        self.ticket_link.setObjectName("ticket_link")
        self.ticket_link.setFlat(True)
        self.ticket_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.ticket_link.setToolTip(self.tr("Open the ticket"))
        self.ticket_link.clicked.connect(self._open_ticket)
        self.ticket_link.hide()
        self.thread_label = QLabel()
        self.thread_label.setObjectName("reply_thread")
        self.thread_label.setWordWrap(True)
        self.thread_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.thread_label.hide()
        self.convert_button = QPushButton(self.tr("Make a ticket"))
        self.convert_button.setObjectName("convert")
        self.convert_button.setProperty("primary", True)
        self.link_button = QPushButton(self.tr("Link to a ticket"))
        self.link_button.setObjectName("link")
        self.reply_button = QPushButton(self.tr("Reply"))
        self.reply_button.setObjectName("reply")
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("dismiss")
        self.restore_button = QPushButton(self.tr("Undo the dismissal"))
        self.restore_button.setObjectName("restore")
        self.buttons = {"convert": self.convert_button, "link": self.link_button,
                        "reply": self.reply_button, "dismiss": self.dismiss_button,
                        "restore": self.restore_button}
        self.keys = {"convert": "T", "link": "L", "dismiss": "D", "reply": "R",
                     "restore": ""}
        self._advance: tuple[int, frozenset[str]] | None = None
        """After a step that handles messages here: the row they were at and their ids
        (the next message to handle is chosen when the list shows the change)."""
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _=False, a=action: self.request_step(a))
        self.step_grid = QGridLayout()
        """The step buttons: two to a row where they fit, else one (a narrow pane, longer
        English words); the pane never scrolls sideways."""
        self.step_grid.setSpacing(6)
        self._step_columns = 0
        body_layout.addWidget(self.count_label)
        body_layout.addWidget(self.text_label)
        body_layout.addWidget(self.meta_label)
        body_layout.addWidget(self.ticket_link, 0, Qt.AlignmentFlag.AlignLeft)
        body_layout.addWidget(self.thread_label)
        body_layout.addLayout(self.step_grid)
        body_layout.addStretch(1)
        self.detail.addWidget(scroll)
        self._detail_body = scroll
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().installEventFilter(self)
        self._lay_out_steps()

        # The groups' names are long ("汇林绿洲第7网格居民群"): their list grows with the
        # window (whole names at 1600 px), and wraps a name rather than cut it.
        self.splitter = SectionSplitter("inbox_splitter", (panel, self.pane, self.detail),
                                        [210, 640, 340], list_width=176, table_share=0.66,
                                        list_share=0.18)
        self.splitter.fill(self)

        self.model.loaded.connect(self._model_loaded)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._shortcuts()
        self.follow_changes()
        self.splitter.restore_layout(ctx.settings, self)
        # The group and the sender as wide as their names (see _fit_columns), until the
        # person sizes (or hides, or shows) one of them by hand: that stays, restarts too.
        self._fitting = False
        self._column_needs: dict[int, int] = {}
        """What the fitted columns' names need, measured when rows come (not on resize)."""
        self._sized_by_hand = set(ctx.settings.hand_sized(self.table) & set(FITTED_COLUMNS))
        self.table.horizontalHeader().sectionResized.connect(self._section_resized)
        self.table.installEventFilter(self)
        self.model.rowsInserted.connect(self._measure_columns)
        self._show_selection([])
        self.refresh_groups()

    # -- the step buttons ------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.group_list.viewport():
            if self.group_list.viewport().width() != self._titled_width:
                self._retitle_groups()
        elif event.type() == QEvent.Type.Resize and watched is self._detail_body.viewport():
            self._lay_out_steps()
        elif event.type() == QEvent.Type.Resize and watched is self.table:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column in FITTED_COLUMNS and column not in self._sized_by_hand:
            self._sized_by_hand.add(column)
            self._ctx.settings.set_hand_sized(self.table, frozenset(self._sized_by_hand))

    def _fit_columns(self) -> None:
        """The group's and the sender's columns as wide as their longest name read (up to
        a cap), the message the rest (it stretches). Where the table is narrow (1024 px)
        the message keeps its room first: the two give up their extra width, down to
        the widths they start with (a name cut there reads whole in the detail beside)."""
        header = self.table.horizontalHeader()
        rows = self.model.rowCount()
        if not rows:
            return
        self._fold_if_narrow()
        fitted = [c for c in FITTED_COLUMNS
                  if c not in self._sized_by_hand and not self.table.isColumnHidden(c)]
        if not fitted:
            return
        wants: dict[int, int] = {}
        for column in fitted:
            base, cap = FITTED_COLUMNS[column]
            wants[column] = min(max(self._column_needs.get(column, base), base), cap)
        room = self.table.viewport().width()
        others = sum(header.sectionSize(c) for c in range(self.model.columnCount())
                     if c not in wants and c != TEXT_COLUMN and not self.table.isColumnHidden(c))
        bases = sum(FITTED_COLUMNS[c][0] for c in wants)
        message = max(MESSAGE_MIN_WIDTH, int(room * MESSAGE_MIN_SHARE))
        spare = max(room - others - bases - message, 0)
        extra = sum(want - FITTED_COLUMNS[c][0] for c, want in wants.items())
        share = 1.0 if extra <= spare else spare / extra
        self._fitting = True
        try:
            for column, want in wants.items():
                base = FITTED_COLUMNS[column][0]
                width = base + int((want - base) * share)
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _measure_columns(self, _parent: object = None, first: int = 0,
                         last: int | None = None) -> None:
        """Measure what the fitted columns' names need (in bold: an unread message's row):
        all the rows when the list is loaded, the rows inserted (``first``…``last``) when
        more come, each row once; a resize only shares out the room (:meth:`_fit_columns`)."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        inserted = last is not None
        rows = range(first, (last if last is not None else self.model.rowCount() - 1) + 1)
        held = self._column_needs if inserted else {}
        self._column_needs = {
            column: max(held.get(column, 0), max(metrics.horizontalAdvance(str(text or ""))
                        for text in (*(self.model.index(r, column).data() for r in rows),
                                     self.model.headerData(column, Qt.Orientation.Horizontal)))
                        + CELL_MARGINS)
            for column in FITTED_COLUMNS}
        if inserted:  # more rows of the list came in: their names count too
            self._fit_columns()

    def _fold_if_narrow(self) -> None:
        """Hide :data:`FOLDED_COLUMN` where the message would have less than its share
        beside it at the start widths, show it again where it would not (unless the
        person sized, hid or showed it by hand)."""
        if FOLDED_COLUMN in self._sized_by_hand:
            return
        room = self.table.viewport().width()
        header = self.table.horizontalHeader()
        counted = [c for c in range(self.model.columnCount()) if c != TEXT_COLUMN
                   and (c == FOLDED_COLUMN or not self.table.isColumnHidden(c))]
        beside = sum(FITTED_COLUMNS[c][0] if c in FITTED_COLUMNS else header.sectionSize(c)
                     for c in counted)
        fold = room - beside < max(MESSAGE_MIN_WIDTH, int(room * FOLD_SHARE))
        if fold != self.table.isColumnHidden(FOLDED_COLUMN):
            self._fitting = True
            try:
                self.table.setColumnHidden(FOLDED_COLUMN, fold)
                if not fold:
                    header.resizeSection(FOLDED_COLUMN, FITTED_COLUMNS[FOLDED_COLUMN][0])
            finally:
                self._fitting = False

    def _lay_out_steps(self) -> None:
        room = self._detail_body.viewport().width() - 36  # the body's margins
        order = [self.convert_button, self.link_button, self.reply_button, self.dismiss_button]
        columns = columns_that_fit(order, room, self.step_grid.spacing())
        if columns == self._step_columns:
            return
        self._step_columns = columns
        self.step_grid.removeWidget(self.restore_button)
        place(self.step_grid, order, columns)
        # Undo takes dismiss's place (only one of the two shows).
        self.step_grid.addWidget(self.restore_button, 3 // columns, 3 % columns)

    # -- keys --------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        bind_keys(self, ("J", "Alt+Down"), lambda: self.step_by(1))
        bind_keys(self, ("K", "Alt+Up"), lambda: self.step_by(-1))
        bind_keys(self, ("T",), lambda: self.request_step("convert"))
        bind_keys(self, ("L",), lambda: self.request_step("link"))
        bind_keys(self, ("D",), lambda: self.request_step("dismiss"))
        bind_keys(self, ("R", "Ctrl+Return", "Ctrl+Enter"), lambda: self.request_step("reply"))
        bind_keys(self, ("Ctrl+F",), self.pane.focus_search)

    def step_by(self, step: int) -> None:
        self.pane.step_by(step, TEXT_COLUMN)

    # -- groups --------------------------------------------------------------------------

    def refresh_groups(self) -> None:
        desk = self._ctx.desk

        def read(progress: Progress) -> list[InboxGroup]:
            return desk.read(inbox_groups)

        Op(self, read, name="inbox_groups").success(self._show_groups).failure(
            lambda error: self.show_notice(error.message)).run()
        Op(self, lambda progress: desk.read(unassigned, desk.user_id, desk.role),
           name="inbox_unassigned").success(
            lambda data: self._show_unassigned(len(data.groups),
                                               sum(g.waiting for g in data.groups))).run()

    # -- unassigned groups -----------------------------------------------------------------

    def _show_unassigned(self, groups: int, waiting: int) -> None:
        self.unassigned_button.setText(fill(self.tr("Unassigned (%1)"), str(groups)))
        # Whole, however narrow the side list starts ("Unassigned (1" at 1024×700).
        self.unassigned_button.setMinimumWidth(self.unassigned_button.sizeHint().width())
        self.unassigned_button.setToolTip(fill(self.tr(
            "%1 WeChat groups not assigned to a grid yet, %2 messages waiting"),
            str(groups), str(waiting)))
        self.unassigned_button.setVisible(groups > 0 or self.unassigned_dialog is not None)

    def open_unassigned(self) -> None:
        """The unassigned groups (:mod:`ui.inbox.unassigned`), window-modal."""
        if self.unassigned_dialog is not None:
            self.unassigned_dialog.raise_()
            return
        dialog = UnassignedGroupsDialog(self._ctx.desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.map_requested.connect(
            lambda record, args: self._group_step(record, "map", dict(args)))
        dialog.decline_requested.connect(lambda record: self._group_step(record, "decline", {}))
        dialog.finished.connect(self._unassigned_closed)
        self.unassigned_dialog = dialog
        dialog.open()

    def _unassigned_closed(self, _code: int) -> None:
        self.unassigned_dialog = None
        self.refresh_groups()

    def _group_step(self, record: str, action: str, args: dict[str, Any]) -> None:
        def done(outcome: StepOutcome) -> None:
            if outcome.error is not None:
                self.show_notice(describe_step_error(outcome.error, action, "wechat_group"))
            if self.unassigned_dialog is not None:
                self.unassigned_dialog.refresh()

        self.runner.run([StepRequest("wechat_group", record, action, args)], done)

    def _group_title(self, group: InboxGroup, clashes: set[str], names: list[str]) -> str:
        """The group's name; with its grid when another group has the same name. Where
        the list is too narrow for the whole name, the start it shares with its kin (the
        community's name: "汇林绿洲第7网格居民群", "汇林绿洲第6网格居民群") is cut to "…",
        so that what tells them apart comes first; a title still too long is cut at its
        end as well ("…7网格…"), on one line: wrapped, it broke in the middle of a word
        ("…第1网" / "格居民群"). The tooltip has the whole name."""
        title = self._shortened_title(group, clashes, names)
        if self._fits_group_list(title):
            return title
        metrics, room = self._title_metrics(), max(0, self._group_list_room())
        shortened = metrics.elidedText(title, Qt.TextElideMode.ElideRight, room)
        over = metrics.horizontalAdvance(shortened) - room  # elidedText rounds its way
        if over > 0:
            shortened = metrics.elidedText(title, Qt.TextElideMode.ElideRight, room - over)
        return shortened

    def _shortened_title(self, group: InboxGroup, clashes: set[str], names: list[str]
                         ) -> str:
        name = group.group_name or source_label(group.source)
        if name in clashes and group.grid_name:
            both = f"{group.grid_name} · {name}"
            if self._fits_group_list(both):
                return both
            # Narrow: the grid alone tells groups of one name apart ("…第7网格").
            grids = [g.grid_name for g in self.groups.values() if g.grid_name]
            name, names = group.grid_name, grids
            common = _kin_start(name, names)
            return "…" + name[len(common):] if common and not self._fits_group_list(name) \
                else name
        common = _kin_start(name, names) if group.group_name else ""
        if common and len(name) > LONG_GROUP_NAME and not self._fits_group_list(name):
            return "…" + name[len(common):]
        return name

    def _group_list_room(self) -> int:
        """The width a title has on one line in the group list (its icon and badge aside)."""
        return self.group_list.text_room()

    def _title_metrics(self) -> QFontMetrics:
        """The group list's font as the chosen group's title is drawn (semi-bold): the
        widest a title is."""
        font = QFont(self.group_list.font())
        font.setWeight(QFont.Weight.DemiBold)
        return QFontMetrics(font)

    def _fits_group_list(self, text: str) -> bool:
        """Whether ``text`` shows on one line in the group list."""
        return self._title_metrics().horizontalAdvance(text) <= self._group_list_room()

    def _retitle_groups(self) -> None:
        """The groups' titles for the list's width now (whole names once it is wide)."""
        self._titled_width = self.group_list.viewport().width()
        names = [g.group_name or source_label(g.source) for g in self.groups.values()]
        clashes = {n for n in names if names.count(n) > 1}
        named = [g.group_name for g in self.groups.values() if g.group_name]
        for key, group in self.groups.items():
            item = self.group_list.item_for(key)
            if item is not None:
                item.setText(self._group_title(group, clashes, named))

    def _show_groups(self, groups: list[InboxGroup]) -> None:
        current = self.group_list.current_key() or ALL_GROUPS
        self.groups = {g.key: g for g in groups}
        all_new = set().union(*(g.new_ids for g in groups)) if groups else set()
        self.seen.keep_only(all_new)
        self.group_list.blockSignals(True)
        self.group_list.clear()
        self.group_list.add_section(ALL_GROUPS, self.tr("All groups"), icon("inbox"))
        self.group_list.set_badge(ALL_GROUPS, len(self.seen.unread(all_new)))
        names = [g.group_name or source_label(g.source) for g in groups]
        clashes = {n for n in names if names.count(n) > 1}
        named = [g.group_name for g in groups if g.group_name]
        for group in groups:
            item = self.group_list.add_section(
                group.key, self._group_title(group, clashes, named), icon("inbox"))
            tip = fill(self.tr("%1 · %2 to handle, %3 in all"),
                       group.group_name or source_label(group.source),
                       str(len(group.new_ids)), str(group.total))
            if group.grid_name:
                tip += "\n" + fill(self.tr("Grid %1"), group.grid_name)
            item.setToolTip(tip)
            self.group_list.set_badge(group.key, len(self.seen.unread(group.new_ids)))
        item = self.group_list.item_for(current) or self.group_list.item(0)
        self.group_list.setCurrentItem(item)
        self.group_list.blockSignals(False)
        if self.model.group != self.current_group() or not self.model.rows():
            self._group_changed()
        self._update_badges()

    def _status_filter_changed(self, _index: int) -> None:
        self.model.set_status_filter(str(self.status_filter.currentData()))

    def current_group(self) -> str | None:
        key = self.group_list.current_key()
        return None if key in (None, ALL_GROUPS) else key

    def _group_changed(self, *_args: object) -> None:
        key = self.current_group()
        group = self.groups.get(key) if key else None
        self.table.setColumnHidden(1, group is not None)  # one group: no group column
        if group is None:
            self.heading.setText(self.tr("Inbox"))
        else:
            self.heading.setText(group.group_name or source_label(group.source))
        self.model.set_group(key)

    def _update_badges(self) -> None:
        all_unread = 0
        for key, group in self.groups.items():
            unread = len(self.seen.unread(group.new_ids))
            all_unread += unread
            self.group_list.set_badge(key, unread)
        self.group_list.set_badge(ALL_GROUPS, all_unread)
        self.group_list.viewport().update()

    def unread_counts(self) -> dict[str, int]:
        return {self.group_list.item(i).data(Qt.ItemDataRole.UserRole):
                self.group_list.badge(self.group_list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.group_list.count())}

    def mark_all_read(self) -> None:
        key = self.current_group()
        groups = [self.groups[key]] if key in self.groups else list(self.groups.values())
        ids = set().union(*(g.new_ids for g in groups)) if groups else set()
        if self.seen.mark(ids):
            self._update_badges()
            self.model.redraw_rows(self.model.message_rows(ids))

    def _is_unread(self, message: MessageView) -> bool:
        return message.status == "new" and not self.seen.is_seen(message.id)

    # -- the table and the selection ----------------------------------------------------

    def _model_loaded(self) -> None:
        self._measure_columns()
        self._fit_columns()
        if self.pane.show_rows_or_empty():
            if self.model.search:
                self.empty.set_texts(self.tr("No messages match your search"),
                                     self.tr("Try fewer or other words."))
            elif self.model.status_filter == "new":
                self.empty.set_texts(self.tr("Nothing to handle"), self.tr(
                    "Every request from the groups has been handled. New ones appear here "
                    "after each sync."))
            else:
                self.empty.set_texts(self.tr("No messages here"), "")
        if self._advance is not None and self._advance_to_next():
            return
        kept = list(self._wanted)
        rows = self.model.message_rows(set(kept))
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        for row in rows:
            selection.select(self.model.index(row, 0),
                             selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        if rows:  # the keyboard goes on from where it was (J / K), not from the top
            selection.setCurrentIndex(self.model.index(rows[0], TEXT_COLUMN),
                                      selection.SelectionFlag.NoUpdate)
        selection.blockSignals(False)
        self.table.viewport().update()
        if rows:
            self._read_selection([self.model.row_at(r).id for r in rows  # type: ignore[union-attr]
                                  ])
        elif self.selected:
            self._read_selection(kept)  # handled meanwhile: show its new state

    def _advance_to_next(self) -> bool:
        """After messages were handled here: choose the next one still to handle (from
        the row they were at, down, else up). False while the list does not show the
        change yet."""
        assert self._advance is not None
        anchor, handled = self._advance
        rows = [self.model.row_at(r) for r in range(self.model.rowCount())]
        if any(row is not None and row.id in handled and row.status in ("new", "answered")
               for row in rows):
            return False  # this load is from before the step
        self._advance = None
        order = list(range(anchor, len(rows))) + list(range(min(anchor, len(rows)) - 1, -1, -1))
        for r in order:
            row = rows[r]
            if row is not None and row.id not in handled and row.status == "new":
                self.select_messages([row.id])
                self.table.setCurrentIndex(self.model.index(r, TEXT_COLUMN))
                self.table.scrollTo(self.model.index(r, TEXT_COLUMN))
                return True
        self._wanted = []
        self._read_selection([])
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [row.id for r in rows if (row := self.model.row_at(r)) is not None]
        current = self.table.currentIndex()
        current_row = self.model.row_at(current.row()) if current.isValid() else None
        if current_row is not None and current_row.id in ids:
            ids.remove(current_row.id)
            ids.insert(0, current_row.id)  # the one clicked last leads (it is shown)
        self._read_selection(ids)

    def select_messages(self, ids: list[str]) -> None:
        """Choose these messages in the table (those it holds)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in self.model.message_rows(set(ids)):
            selection.select(self.model.index(row, 0),
                             selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def _read_selection(self, ids: list[str]) -> None:
        self._wanted = list(ids)
        self._selection_generation += 1
        generation = self._selection_generation
        if not ids:
            self._show_selection([])
            return
        ctx = self._ctx
        desk, now = ctx.desk, ctx.now()

        def read(progress: Progress) -> tuple[list[MessageView], list[dict[str, StepState]]]:
            messages = desk.read(messages_by_ids, ids)
            actor = desk.actor()
            states = [inbox_step_states({"id": m.id, "status": m.status, "grid_id": m.grid_id},
                                        actor, now) for m in messages]
            return messages, states

        def shown(result: tuple[list[MessageView], list[dict[str, StepState]]]) -> None:
            if generation == self._selection_generation:
                self._show_selection(*result)

        Op(self, read, name="inbox_selection").success(shown).failure(
            lambda error: self.show_notice(error.message)).run()

    def _show_selection(self, messages: list[MessageView],
                        states: list[dict[str, StepState]] | None = None) -> None:
        self.selected = messages
        self.steps = states or []
        if not messages:
            self.detail.setCurrentWidget(self.detail_empty)
            self._update_buttons()
            self.selection_shown.emit([])
            return
        first = messages[0]
        self.count_label.setText(
            self.tr("%n messages chosen; the steps apply to each.", "", len(messages))
            if len(messages) > 1 else inbox_status_label(first.status))
        self.text_label.setText(first.text)
        meta = [
            fill(self.tr("From %1"), html.escape(first.sender_name or "—")),
            html.escape(format_time(first.sent_at)),
            html.escape(first.group_name or source_label(first.source)),
        ]
        if first.grid_name:
            meta.append(fill(self.tr("Grid %1"), html.escape(first.grid_name)))
        if first.keyword:
            meta.append(fill(self.tr("Keyword “%1”"), html.escape(first.keyword)))
        lines = [" · ".join(meta)]
        self.ticket_link.setText(fill(self.tr("Ticket %1"), ticket_name(first.ticket_number))
                                 if first.ticket_id else "")
        self.ticket_link.setVisible(bool(first.ticket_id))
        if first.reason:
            lines.append(fill(self.tr("Dismissed: %1"), html.escape(first.reason)))
        if first.pending:
            lines.append(html.escape(self.tr("Your step is not sent yet; it goes with the "
                                             "next sync.")))
        self.meta_label.setText("<br>".join(lines))
        self._show_thread(first)
        self.detail.setCurrentWidget(self._detail_body)
        self._update_buttons()
        if self.seen.mark(m.id for m in messages if m.status == "new"):
            self._update_badges()
            self.model.redraw_rows(self.model.message_rows({m.id for m in messages}))
        self.selection_shown.emit([m.id for m in messages])

    def _show_thread(self, message: MessageView) -> None:
        """The replies under the message, as the group read them (with the @-mention)."""
        entries = []
        for reply in message.replies:
            who = [html.escape(reply.by_name)] if reply.by_name else []
            if reply.at is not None:
                who.append(html.escape(format_time(reply.at)))
            head = " · ".join(who) or self.tr("Reply")
            posted = reply_for_group({"sender_name": message.sender_name}, reply.text)
            entries.append(f"<b>{head}</b><br>{html.escape(posted)}")
        self.thread_label.setText("<br><br>".join(entries))
        self.thread_label.setVisible(bool(entries))
        self.thread_label.setAccessibleName(
            self.tr("%n replies", "", len(entries)) if entries else "")

    def _open_ticket(self) -> None:
        """The ticket number was clicked: the tickets section shows that ticket."""
        from ui.tickets.notifier import open_section

        if self.selected and self.selected[0].ticket_id:
            open_section(self.window(), "tickets", self.selected[0].ticket_id)

    def _state_for(self, action: str) -> tuple[bool, str]:
        """Whether the step applies to every chosen message, else why not."""
        if not self.selected:
            return False, self.tr("Choose a message first.")
        if action == "restore":
            now = self._ctx.now()
            for message in self.selected:
                if message.status != "dismissed":
                    return False, self.tr("Only a dismissed message can be put back.")
                if not can_restore({"dismissed_at": message.dismissed_at}, now):
                    return False, self.tr("A dismissal can be undone only on the day it "
                                          "was made.")
        if action == "reply" and len(self.selected) > 1:
            return False, self.tr("Reply to one message at a time.")
        for message, states in zip(self.selected, self.steps, strict=False):
            state = states.get(action)
            if state is not None and not state.allowed:
                reason = why_not(state, None)
                if state.why is not None and state.why.value == "state":
                    reason = fill(self.tr("Not possible for a message that is “%1”."),
                                  inbox_status_label(message.status))
                return False, reason
        return True, ""

    def _update_buttons(self) -> None:
        dismissed = bool(self.selected) and all(m.status == "dismissed" for m in self.selected)
        for action, button in self.buttons.items():
            allowed, why = self._state_for(action)
            button.setEnabled(allowed)
            key = self.keys[action]
            base = f"{button.text()} ({key})" if key else button.text()
            button.setToolTip(base if allowed else f"{base}: {why}")
        # A dismissed message offers to put it back instead of dismissing it again.
        self.restore_button.setVisible(dismissed)
        self.dismiss_button.setVisible(not dismissed)

    # -- steps ---------------------------------------------------------------------------

    def request_step(self, action: str) -> None:
        allowed, why = self._state_for(action)
        if not allowed:
            self.show_notice(why)
            return
        messages = list(self.selected)
        dialog: StepDialog
        if action == "convert":
            dialog = ConvertDialog(self._ctx, messages, self)
            dialog.submitted.connect(lambda args: self._convert(messages, args))
        elif action == "link":
            dialog = LinkDialog(self._ctx, messages, self)
            dialog.submitted.connect(lambda args: self._each(messages, "link", args))
        elif action == "dismiss":
            dialog = DismissDialog(self._ctx, messages, self)
            dialog.submitted.connect(lambda args: self._each(messages, "dismiss", args))
        elif action == "restore":
            self._each(messages, "restore", {})
            return
        else:
            dialog = ReplyDialog(self._ctx, messages[0], self)
            dialog.submitted.connect(lambda args: self._each(messages[:1], "reply", args))
        # Back in the list when the dialog closes, so the keys go on (J, T, D …).
        dialog.finished.connect(lambda _code: self.table.setFocus())
        self.open_dialog(dialog)

    def _convert(self, messages: list[MessageView], args: dict[str, Any]) -> None:
        ticket_id = records.new_id()
        requests = [StepRequest("inbox_message", messages[0].id, "convert",
                                {**args, "ticket_id": ticket_id})]
        requests += [StepRequest("inbox_message", m.id, "link", {"ticket_id": ticket_id})
                     for m in messages[1:]]
        self._run(requests, "convert")

    def _each(self, messages: list[MessageView], action: str, args: dict[str, Any]) -> None:
        self._run([StepRequest("inbox_message", m.id, action, args) for m in messages], action)

    def _run(self, requests: list[StepRequest], action: str) -> None:
        if action in ("convert", "link", "dismiss"):
            rows = [index.row() for index in self.table.selectionModel().selectedRows()]
            self._advance = (min(rows) if rows else max(self.table.currentIndex().row(), 0),
                             frozenset(r.record_id for r in requests))

        def done(outcome: StepOutcome) -> None:
            if outcome.error is not None:
                self._advance = None
                text = describe_step_error(outcome.error, action)
                if outcome.done:
                    text = fill(self.tr("%1 (%2 of %3 done)"), text, str(outcome.done),
                                str(len(requests)))
                self.show_notice(text)

        self.runner.run(requests, done)

    # -- changes -------------------------------------------------------------------------

    def changes_applied(self, changes: ChangeSet) -> None:
        if not any(changes.touches(entity) for entity in RELEVANT):
            return
        if any(changes.touches(e) for e in ("inbox_message", "grid", "wechat_group")):
            self.refresh_groups()
            if self.unassigned_dialog is not None:
                self.unassigned_dialog.refresh()
        self.model.reload()

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()

    def failed(self, error: OpError) -> None:
        self.show_notice(error.message)
