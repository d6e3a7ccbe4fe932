"""The ticket detail pane: the fields, where the request came from, the household, the
timeline, what the server refused, and a button for every step the user may take now.

The pane shows what the view read for it (:class:`TicketPane`: the detail and the step
states, plain values) and never touches the store; it asks the view to take a step
through its signals.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain.sla import Urgency, countdown
from gulou_desk.domain.workflows import TICKET_TABLE
from gulou_desk.store.ticket_queries import StepState, TicketDetail
from ui import palette
from ui.shell.button_rows import columns_that_fit, place
from ui.shell.empty_state import EmptyState
from ui.shell.wrapped_label import section_title
from ui.tickets.labels import (
    countdown_text,
    event_actor,
    event_text,
    format_time,
    rejection_text,
    short_time,
    step_label,
    ticket_name,
    why_not,
)
from ui.tickets.model import URGENCY_COLORS
from ui.workflow_labels import (
    category_label,
    fill,
    priority_label,
    satisfaction_label,
    source_label,
    status_label,
)

PRIMARY_STEPS = ("triage", "assign", "accept", "start", "wait", "resume", "resolve", "close")
"""Steps shown as buttons when the user may take them; every step is in "More steps"."""
SHORTCUTS: dict[str, str] = {"assign": "A", "resolve": "R"}


@dataclass(frozen=True, slots=True)
class TicketPane:
    """What the pane shows for one ticket (read together in the background)."""

    detail: TicketDetail
    steps: dict[str, StepState]


def _clear(layout: QVBoxLayout | QHBoxLayout | QFormLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
        elif item is not None and item.layout() is not None:
            _clear(item.layout())  # type: ignore[arg-type]


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label



class TicketDetailView(QStackedWidget):
    """The right-hand pane of the tickets view.

    Signals:
        step_requested(str): the user asked for a step (its action).
        comment_submitted(str): the inline comment box was sent.
        rejection_dismissed(int): the user read a refused step ("OK").
        ticket_requested(str): the user clicked another ticket (merged into / merged in).
    """

    step_requested = Signal(str)
    comment_submitted = Signal(str)
    rejection_dismissed = Signal(int)
    ticket_requested = Signal(str)

    def __init__(self, clock: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_detail")
        self._clock = clock
        self.pane: TicketPane | None = None
        self.empty = EmptyState("tickets", self.tr("No ticket chosen"), self.tr(
            "Choose a ticket on the left to see its details, its timeline and the steps "
            "you can take."), None, self)
        self.empty.title_label.setFixedWidth(180)  # narrow: the list gets the width
        self.empty.text_label.setFixedWidth(180)
        self.addWidget(self.empty)

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("detail_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # Never sideways: the texts wrap to the pane's width.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.viewport().installEventFilter(self)
        body = QWidget()
        body.setObjectName("detail_body")
        self.scroll_area.setWidget(body)
        self.addWidget(self.scroll_area)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)

        self.number_label = QLabel()
        self.number_label.setObjectName("ticket_number")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_chip")
        self.header = QGridLayout()
        """The number and the status chip: side by side where both fit, else the chip
        under the number. Side by side in a narrow pane (1024×700, English) the chip was
        squeezed and "Returned · escalated" wrapped onto three lines."""
        self.header.setHorizontalSpacing(8)
        self.header.setVerticalSpacing(4)
        self.title_label = QLabel()
        self.title_label.setObjectName("page_title")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_label = QLabel()
        self.due_label.setObjectName("due_line")
        self.due_label.setWordWrap(True)
        self.notices = QVBoxLayout()
        self.notices.setSpacing(6)
        self.actions_row = QGridLayout()
        """The step buttons, two to a row where they fit, else one: they keep to the
        pane's width (it never scrolls sideways, also at 1024×700 in English)."""
        self.actions_row.setSpacing(6)
        self.more_button = QPushButton(self.tr("More steps"))
        self.more_button.setObjectName("more_steps")
        self.more_menu = QMenu(self.more_button)
        self.more_menu.setToolTipsVisible(True)
        self.more_button.setMenu(self.more_menu)
        self.step_buttons: dict[str, QPushButton] = {}
        self.step_actions: dict[str, object] = {}

        self.fields = QFormLayout()
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields.setHorizontalSpacing(14)
        self.fields.setVerticalSpacing(6)
        self.description_label = QLabel()
        self.description_label.setWordWrap(True)
        self.description_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.messages = QVBoxLayout()
        self.messages.setSpacing(4)
        self.timeline = QVBoxLayout()
        self.timeline.setSpacing(6)

        self.comment_box = QPlainTextEdit()
        self.comment_box.setObjectName("comment_box")
        self.comment_box.setPlaceholderText(self.tr("Add a comment for the timeline…"))
        self.comment_box.setMaximumHeight(70)
        self.comment_box.setTabChangesFocus(True)
        self.comment_button = QPushButton(self.tr("Add comment"))
        self.comment_button.setObjectName("comment_button")
        self.comment_button.setToolTip(self.tr("Add the comment to the timeline (Ctrl+Enter)"))
        self.comment_button.clicked.connect(self._submit_comment)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.comment_box)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._submit_comment)
        # The button under the box, not beside it: beside it the two needed more than
        # the pane has at 1024x700 in English, and the whole detail was cut at its right.
        comment_row = QVBoxLayout()
        comment_row.setSpacing(4)
        comment_row.addWidget(self.comment_box)
        comment_row.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignRight)

        layout.addLayout(self.header)
        layout.addWidget(self.title_label)
        layout.addWidget(self.due_label)
        layout.addLayout(self.notices)
        layout.addLayout(self.actions_row)
        layout.addSpacing(4)
        layout.addLayout(self.fields)
        layout.addWidget(section_title(self.tr("Description")))
        layout.addWidget(self.description_label)
        self.messages_title = section_title(self.tr("Residents' messages"))
        layout.addWidget(self.messages_title)
        layout.addLayout(self.messages)
        layout.addWidget(section_title(self.tr("Timeline")))
        layout.addLayout(self.timeline)
        layout.addLayout(comment_row)
        layout.addStretch(1)

    # -- showing -------------------------------------------------------------------------

    def show_nothing(self) -> None:
        self.pane = None
        self.setCurrentWidget(self.empty)

    def ticket_id(self) -> str | None:
        return None if self.pane is None else str(self.pane.detail.ticket["id"])

    def show_pane(self, pane: TicketPane) -> None:
        same = self.ticket_id() == pane.detail.ticket["id"]
        self.pane = pane
        detail, ticket = pane.detail, pane.detail.ticket
        self.number_label.setText(ticket_name(ticket.get("number")))
        status = status_label(ticket.get("status"))
        if ticket.get("escalated"):
            status = fill(self.tr("%1 · escalated"), status)
        if detail.pending:
            status = fill(self.tr("%1 · not sent yet"), status)
        self.status_label.setText(status)
        self._lay_out_header()
        self.title_label.setText(ticket.get("title") or "")
        self._show_due()
        self._show_notices(detail)
        self._show_steps(pane)
        self._show_fields(detail)
        self.description_label.setText(ticket.get("description") or "—")
        self._show_messages(detail)
        self._show_timeline(detail)
        if not same:
            self.comment_box.clear()
            self.scroll_area.verticalScrollBar().setValue(0)
        self.setCurrentWidget(self.scroll_area)

    def refresh_clock(self) -> None:
        if self.pane is not None:
            self._show_due()

    def _show_due(self) -> None:
        assert self.pane is not None
        ticket = self.pane.detail.ticket
        shown = countdown(ticket.get("status"), ticket.get("due_at"), ticket.get("paused_at"),
                          self._clock())
        color = URGENCY_COLORS.get(shown.urgency)
        if shown.remaining is None:
            text = (fill(self.tr("Was due %1"), format_time(ticket.get("due_at")))
                    if ticket.get("due_at") else "")
        else:
            text = fill(self.tr("%1 · due %2"), countdown_text(shown), format_time(shown.due_at))
            if shown.urgency is Urgency.PAUSED:
                text += "  " + self.tr("(the clock is stopped while waiting on the resident)")
        self.due_label.setText(text)
        self.due_label.setStyleSheet(f"color: {color}; font-weight: 600;" if color else "")
        self.due_label.setVisible(bool(text))

    def _show_notices(self, detail: TicketDetail) -> None:
        _clear(self.notices)
        for rejection in detail.rejections:
            row = QFrame()
            row.setObjectName("rejection_notice")
            box = QHBoxLayout(row)
            box.setContentsMargins(10, 8, 10, 8)
            text = QLabel(rejection_text(rejection, detail.ticket.get("number")))
            text.setObjectName("rejection_text")
            text.setWordWrap(True)
            ok = QPushButton(self.tr("OK"))
            ok.setObjectName("dismiss_rejection")
            ok.setToolTip(self.tr("I have read this; hide it."))
            rejection_id = rejection.id
            ok.clicked.connect(lambda _=False, rid=rejection_id: self.rejection_dismissed.emit(rid))
            box.addWidget(text, 1)
            box.addWidget(ok, 0, Qt.AlignmentFlag.AlignTop)
            self.notices.addWidget(row)
        if detail.merged_into is not None:
            self.notices.addWidget(self._link_label(
                fill(self.tr("Merged into %1 “%2”."), ticket_name(detail.merged_into.number),
                     html.escape(detail.merged_into.title)), detail.merged_into.id))
        for merged in detail.merged_in:
            self.notices.addWidget(self._link_label(
                fill(self.tr("%1 “%2” was merged into this ticket (open it to split it "
                             "back out)."), ticket_name(merged.number),
                     html.escape(merged.title)), merged.id))

    def _link_label(self, text: str, ticket_id: str) -> QLabel:
        label = QLabel(f'<a href="{ticket_id}">{text}</a>')
        label.setObjectName("ticket_link")
        label.setWordWrap(True)
        label.linkActivated.connect(self.ticket_requested)
        return label

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport():
            self._lay_out_header()
            self._lay_out_steps()
        return super().eventFilter(watched, event)

    def _lay_out_header(self) -> None:
        room = self.scroll_area.viewport().width() - 36  # the body's margins
        chip = self.status_label
        chip.setWordWrap(False)
        wide = chip.sizeHint().width()
        beside = (self.number_label.sizeHint().width() + self.header.horizontalSpacing()
                  + wide <= room)
        # Only a chip wider than the pane itself wraps (a very narrow pane).
        chip.setWordWrap(wide > room)
        for widget in (self.number_label, chip):
            self.header.removeWidget(widget)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.header.addWidget(self.number_label, 0, 0, left)
        self.header.addWidget(chip, 0 if beside else 1, 1 if beside else 0, left)
        self.header.setColumnStretch(0, 0 if beside else 1)
        self.header.setColumnStretch(1, 1 if beside else 0)

    def _lay_out_steps(self) -> None:
        shown = [*self.step_buttons.values(), self.more_button]
        room = self.scroll_area.viewport().width() - 36  # the body's margins
        place(self.actions_row, shown,
              columns_that_fit(shown, room, self.actions_row.horizontalSpacing()))

    def _show_steps(self, pane: TicketPane) -> None:
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.more_button:
                widget.deleteLater()
        self.step_buttons = {}
        status = pane.detail.ticket.get("status")
        for action in PRIMARY_STEPS:
            state = pane.steps.get(action)
            if state is None or not state.allowed:
                continue
            button = QPushButton(step_label(action))
            button.setObjectName(f"step_{action}")
            key = SHORTCUTS.get(action)
            button.setToolTip(fill(self.tr("%1 (%2)"), step_label(action).rstrip("…"), key)
                              if key else step_label(action).rstrip("…"))
            if action in ("resolve", "close", "assign"):
                button.setProperty("primary", True)
            button.clicked.connect(lambda _=False, a=action: self.step_requested.emit(a))
            self.step_buttons[action] = button
        self.more_menu.clear()
        self.step_actions = {}
        for action in TICKET_TABLE:
            if action == "comment":
                continue
            state = pane.steps.get(action)
            if state is None or not (state.allowed or state.applies):
                continue  # not a step of this ticket in its state for this user
            menu_action = self.more_menu.addAction(step_label(action))
            menu_action.setObjectName(f"menu_{action}")
            menu_action.setEnabled(state.allowed)
            if not state.allowed:
                menu_action.setToolTip(why_not(state, status))
            key = SHORTCUTS.get(action)
            if key:
                menu_action.setText(f"{step_label(action)}\t{key}")
            menu_action.triggered.connect(lambda _=False, a=action: self.step_requested.emit(a))
            self.step_actions[action] = menu_action
        self.more_button.setVisible(bool(self.step_actions))
        self._lay_out_steps()
        comment = pane.steps.get("comment")
        allowed = comment is not None and comment.allowed
        self.comment_box.setEnabled(allowed)
        self.comment_button.setEnabled(allowed)

    def _show_fields(self, detail: TicketDetail) -> None:
        _clear(self.fields)
        ticket = detail.ticket

        def row(label: str, value: str, name: str) -> None:
            text = QLabel(value or "—")
            text.setObjectName(f"field_{name}")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields.addRow(label, text)

        row(self.tr("Category"), category_label(ticket.get("category")), "category")
        row(self.tr("Priority"), priority_label(ticket.get("priority")), "priority")
        row(self.tr("Came in by"), source_label(ticket.get("source")), "source")
        row(self.tr("Grid"), detail.grid_name or "—", "grid")
        row(self.tr("Assignee"), detail.assignee_name or self.tr("Nobody yet"), "assignee")
        opened = format_time(ticket.get("created_at"))
        if detail.created_by_name:
            opened = fill(self.tr("%1 by %2"), opened, detail.created_by_name)
        row(self.tr("Opened"), opened, "opened")
        household = detail.household
        if household is not None:
            address = household.get("address") or " ".join(
                str(household.get(k) or "") for k in ("estate", "building", "unit", "room"))
            parts = [household.get("head_name") or "", address.strip(),
                     household.get("phone") or ""]
            row(self.tr("Household"), "  ·  ".join(p for p in parts if p), "household")
        else:
            row(self.tr("Household"), self.tr("Not linked to a household"), "household")
        if detail.extension_request is not None:
            days, reason = detail.extension_request
            row(self.tr("Extension asked"),
                fill(self.tr("%1 working days: %2"), str(days), reason), "extension")
        if ticket.get("resolution"):
            row(self.tr("Resolution"), ticket["resolution"], "resolution")
        if ticket.get("satisfaction"):
            row(self.tr("Follow-up call"), satisfaction_label(ticket["satisfaction"]),
                "satisfaction")

    def _show_messages(self, detail: TicketDetail) -> None:
        _clear(self.messages)
        self.messages_title.setVisible(bool(detail.messages))
        now = self._clock()
        for message in detail.messages:
            who = message.sender_name or source_label(message.source)
            where = message.group_name or source_label(message.source)
            label = QLabel(
                f"<span style='color:{palette.MUTED}'>"
                f"{html.escape(short_time(message.sent_at, now))}"
                f" · {html.escape(who)} · {html.escape(where)}</span><br>"
                f"{html.escape(message.text)}")
            label.setObjectName("source_message")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.messages.addWidget(label)

    def _show_timeline(self, detail: TicketDetail) -> None:
        _clear(self.timeline)
        if not detail.events:
            self.timeline.addWidget(_muted(self.tr("Nothing has happened yet.")))
        for event in reversed(detail.events):
            what, text = event_text(event)
            when = format_time(event.at)
            head = (f"<b>{html.escape(event_actor(event))}</b> {html.escape(what)}"
                    f" <span style='color:{palette.MUTED}'>· {html.escape(when)}</span>")
            if event.pending:
                pending = html.escape(self.tr("not sent yet"))
                head += f" <span style='color:{palette.PENDING}'>· {pending}</span>"
            if text:
                head += f"<br>{html.escape(text)}"
            label = QLabel(head)
            label.setObjectName("timeline_entry")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.timeline.addWidget(label)

    # -- input ----------------------------------------------------------------------------

    def _submit_comment(self) -> None:
        text = self.comment_box.toPlainText().strip()
        if text and self.comment_button.isEnabled():
            self.comment_submitted.emit(text)

    def comment_sent(self) -> None:
        self.comment_box.clear()

    def timeline_texts(self) -> list[str]:
        """The timeline as plain text, newest first (for tests and accessibility)."""
        out = []
        for i in range(self.timeline.count()):
            item = self.timeline.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                doc = widget.text()
                out.append(_plain(doc))
        return out

    def notice_texts(self) -> list[str]:
        out = []
        for i in range(self.notices.count()):
            item = self.notices.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is None:
                continue
            labels = [widget] if isinstance(widget, QLabel) else widget.findChildren(QLabel)
            out += [_plain(label.text()) for label in labels]
        return out


def _plain(rich: str) -> str:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()
