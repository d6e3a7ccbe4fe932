"""The 鼓宝 section (clerks, supervisors, admins; social workers: announcements only):
what the group bot knows and says.

* **Knowledge base** (民生问答): the entries with their hit counts, searchable; beside
  them the questions residents asked that 鼓宝 could not answer, most asked first — one
  click turns one into a new entry (the dialog starts from the question; saving writes
  the entry and marks the question answered, one step for the person); under them the
  "test the bot" box: what 鼓宝 would answer to a typed question in one of the user's
  groups, with its score and why (the same matching the server runs).
  Entries are edited (keywords with their synonyms, question, answer, valid from/to)
  and retired (or brought back) here; a question not worth an answer is dismissed.
* **Announcements** (群公告): a calendar marking the days something goes (and, grey,
  the days something went); a click on a day lists that day's. Drafts are written and
  changed here, then scheduled (a social worker's go to a clerk for approval first) or
  cancelled; under the list, when the chosen one was sent.
* **Alert rules** (智慧告警): the open urgent alerts per community (a supervisor's: each
  community of the street), the rules, written and changed in a dialog that shows the
  dry run of the rule as typed before it is saved, turned off and on; the dry run of a
  rule held over the last 30 days of messages held here.
* **Service catalogue** (便民服务目录), written and changed here.

Every write is a synced record (the server checks the role and place again); new
content applies at the writer's own place (a clerk's community, a supervisor's street,
an admin's district) and only content of one's own place is offered for change
(:func:`gulou_desk.domain.gubao.may_edit_place`, the server's rule).

Reads and steps go through the account's desk in the background; the section reads
again when a local step or a sync touches what it shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain import gubao
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI
from gulou_desk.store import ChangeSet
from gulou_desk.store.gubao_queries import (
    alert_rules,
    announcements,
    dry_run,
    knowledge_entries,
    places_to_write,
    service_items,
    unanswered_questions,
    urgent_counts_for,
    what_the_bot_answers,
)
from gulou_desk.store.participation_queries import GridChoice, target_grids
from ui import palette
from ui.background import Lane, Op, OpError, Progress
from ui.gubao.dialogs import (
    AnnouncementDialog,
    CancelAnnouncementDialog,
    EntryDialog,
    RuleDialog,
    ServiceDialog,
    qdate,
)
from ui.palette import qss
from ui.record_labels import service_category_label
from ui.shell.context import DeskContext
from ui.shell.paged_list import NoticeLabel
from ui.shell.record_table import RecordTable
from ui.shell.section import DeskSection
from ui.shell.steps import StepOutcome, StepRequest, describe_step_error
from ui.shell.toast import Toast
from ui.shell.wrapped_label import section_title
from ui.workflow_labels import fill

log = logging.getLogger(__name__)

RELEVANT = ("knowledge_entry", "bot_question", "announcement", "alert_rule", "service_item",
            "inbox_message")
ID_ROLE = Qt.ItemDataRole.UserRole + 1

VIEW_STYLE = qss("""
QTabWidget#gubao_tabs::pane { border: none; border-top: 1px solid @border; }
QLabel#section_title, QLabel#announcements_day { font-weight: 600; color: @text;
                                                padding-top: 6px; }
QLabel#muted { color: @muted; }
QLabel#bot_answer { background: @white; color: @ink_strong; border: 1px solid @border;
                    border-radius: 8px; padding: 10px 12px; }
QTableWidget, QListWidget { border: 1px solid @border; gridline-color: @gridline; }
QHeaderView::section { background: @panel; border: none; border-bottom: 1px solid @border;
                       padding: 5px 6px; color: @text_secondary; }
""")
URGENT_STYLE = qss("QLabel { color: @danger; font-weight: 600; }")

__all__ = ["EntryDialog", "GubaoView"]

def _when(moment: Any) -> str:
    if not isinstance(moment, dt.datetime):
        return ""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def _button(text: str, enabled: bool = True) -> QPushButton:
    button = QPushButton(text)
    button.setEnabled(enabled)
    return button


def _allow(button: QPushButton, why_not: str | None) -> None:
    """Enabled when there is no reason against it; disabled, the reason its tooltip (a
    greyed-out button that says nothing leaves a person guessing what to do)."""
    button.setEnabled(why_not is None)
    button.setToolTip(why_not or "")


class KnowledgePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter)
        left = QWidget()
        lv = QVBoxLayout(left)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("knowledge_search")
        self.search.setPlaceholderText(self.tr("Find a question, answer or keyword"))
        self.new_button = _button(self.tr("New entry"))
        self.new_button.setProperty("primary", True)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        lv.addLayout(top)
        self.table = RecordTable("knowledge_table", [
            self.tr("Question"), self.tr("Keywords"), self.tr("Hits"), self.tr("Applies to"),
            self.tr("Valid")], stretch=0, widths={1: 110})
        lv.addWidget(self.table, 1)
        self.edit_button = _button(self.tr("Edit…"), False)
        self.retire_button = _button(self.tr("Retire"), False)
        lv.addLayout(_buttons(self.edit_button, self.retire_button))
        splitter.addWidget(left)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(section_title(self.tr("Questions Gubao could not answer")))
        self.unanswered = QListWidget()
        self.unanswered.setObjectName("unanswered_list")
        self.unanswered.setWordWrap(True)  # a long question wraps, never scrolls sideways
        self.unanswered.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rv.addWidget(self.unanswered, 1)
        self.answer_button = _button(self.tr("Write an answer…"), False)
        self.dismiss_button = _button(self.tr("Not useful"), False)
        self.dismiss_button.setToolTip(self.tr(
            "Take the question off the list without an answer"))
        rv.addLayout(_buttons(self.answer_button, self.dismiss_button))
        rv.addWidget(section_title(self.tr("Test the bot")))
        row = QHBoxLayout()
        self.test_input = QLineEdit()
        self.test_input.setObjectName("bot_test_input")
        self.test_input.setPlaceholderText(self.tr("Type a question as a resident would"))
        self.test_button = QPushButton(self.tr("Ask"))
        # Nothing typed, it asked nothing and said nothing: greyed out until then.
        ask_first = self.tr("Type a question first.")
        _allow(self.test_button, ask_first)
        self.test_input.textChanged.connect(lambda text: _allow(
            self.test_button, None if text.strip() else ask_first))
        row.addWidget(self.test_input, 1)
        row.addWidget(self.test_button)
        rv.addLayout(row)
        self.test_result = QLabel("")
        self.test_result.setObjectName("bot_answer")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rv.addWidget(self.test_result)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # Two thirds to the entries: beside the keywords, the hits, the scope and the
        # validity, at 1024x700 the question read seven characters with the right-hand
        # side a fifth wider (its lists wrap, its test box needs less).
        splitter.setSizes([660, 340])

        def question_chosen(current: QListWidgetItem | None, _old: object) -> None:
            self.answer_button.setEnabled(current is not None)
            self.dismiss_button.setEnabled(current is not None)

        self.unanswered.currentItemChanged.connect(question_chosen)


class AnnouncementsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("announcement_calendar")
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMaximumWidth(380)
        # Colour says what goes when (the legend below), so weekends keep the weekdays'
        # ink: Qt paints Saturdays and Sundays red, which read as "something goes".
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(
                day, self.calendar.weekdayTextFormat(Qt.DayOfWeek.Monday))
        left = QVBoxLayout()
        left.addWidget(self.calendar)
        # Sent days green, not grey: the days of the months before and after are grey.
        self.legend = QLabel(self.tr("Red: something goes that day; green: sent."))
        self.legend.setObjectName("muted")
        self.legend.setWordWrap(True)
        left.addWidget(self.legend)
        self.all_dates_button = _button(self.tr("Show every date"), False)
        left.addWidget(self.all_dates_button)
        left.addWidget(section_title(self.tr("Welcome message of each group")))
        self.welcome_list = QListWidget()
        self.welcome_list.setObjectName("welcome_list")
        self.welcome_list.setWordWrap(True)
        self.welcome_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(self.welcome_list, 1)
        self.welcome_button = _button(self.tr("Edit the welcome message…"), False)
        self.welcome_hint = self.tr("Choose a group in the list above first.")
        self.welcome_button.setToolTip(self.welcome_hint)
        left.addWidget(self.welcome_button)
        layout.addLayout(left)
        right = QVBoxLayout()
        self.day_label = QLabel(self.tr("Every date"))
        self.day_label.setObjectName("announcements_day")
        # "New" above the table, the steps on the chosen one below it: in one row the
        # five were cut at 1024×700 in English, and the titles with them.
        self.new_button = _button(self.tr("New announcement"))
        self.new_button.setProperty("primary", True)
        top = QHBoxLayout()
        top.addWidget(self.day_label, 1)
        top.addWidget(self.new_button)
        right.addLayout(top)
        self.table = RecordTable("announcements_table", [
            self.tr("Title"), self.tr("Kind"), self.tr("Goes at"), self.tr("Status")],
            stretch=0, wrap=True)
        right.addWidget(self.table, 1)
        self.edit_button = _button(self.tr("Edit…"), False)
        self.schedule_button = _button(self.tr("Schedule"), False)
        self.approve_button = _button(self.tr("Approve"), False)
        self.cancel_button = _button(self.tr("Cancel it"), False)
        right.addLayout(_buttons(self.edit_button, self.schedule_button,
                                 self.approve_button, self.cancel_button))
        self.history = QLabel("")
        self.history.setObjectName("muted")
        self.history.setWordWrap(True)
        right.addWidget(self.history)
        layout.addLayout(right, 1)


class RulesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.urgent = QLabel("")
        self.urgent.setObjectName("urgent_counts")
        self.urgent.setWordWrap(True)
        layout.addWidget(self.urgent)
        self.table = RecordTable("alert_rules_table", [
            self.tr("Rule"), self.tr("Keywords"), self.tr("Level"), self.tr("On"),
            self.tr("Fired")], stretch=1, wrap=True)
        layout.addWidget(self.table, 2)
        self.new_button = _button(self.tr("New rule"))
        self.new_button.setProperty("primary", True)
        self.edit_button = _button(self.tr("Edit…"), False)
        self.toggle_button = _button(self.tr("Turn off"), False)
        self.dry_run_button = _button(self.tr("Dry run over the last 30 days"), False)
        layout.addLayout(_buttons(self.new_button, self.edit_button, self.toggle_button,
                                  self.dry_run_button))
        self.dry_run_summary = QLabel("")
        self.dry_run_summary.setObjectName("muted")
        layout.addWidget(self.dry_run_summary)
        self.dry_run_list = QListWidget()
        self.dry_run_list.setObjectName("dry_run_list")
        self.dry_run_list.setWordWrap(True)
        self.dry_run_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.dry_run_list, 1)


class ServicesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find a service"))
        self.new_button = _button(self.tr("New service"))
        self.new_button.setProperty("primary", True)
        self.edit_button = _button(self.tr("Edit…"), False)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        layout.addLayout(top)
        self.table = RecordTable("services_table", [
            self.tr("Service"), self.tr("Category"), self.tr("Hours"), self.tr("Phone")],
            stretch=0, widths={2: 260})
        layout.addWidget(self.table, 1)


class GubaoView(DeskSection):
    """The 鼓宝 section (see the module docstring)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "gubao_view", VIEW_STYLE, parent)
        self.notice = NoticeLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("gubao_tabs")
        self.knowledge = KnowledgePage()
        self.announcements = AnnouncementsPage()
        self.rules = RulesPage()
        self.services = ServicesPage()
        if ctx.session.role == "social_worker":
            # A social worker drafts announcements for their grids (a clerk approves
            # them); the knowledge base, rules and catalogue are the clerks'.
            self.tabs.addTab(self.announcements, self.tr("Announcements"))
        else:
            self.tabs.addTab(self.knowledge, self.tr("Knowledge base"))
            self.tabs.addTab(self.announcements, self.tr("Announcements"))
            self.tabs.addTab(self.rules, self.tr("Alert rules"))
            self.tabs.addTab(self.services, self.tr("Service catalogue"))
        layout.addWidget(self.tabs, 1)
        self._actor: Actor | None = None
        self._places: list[dict[str, Any]] = []
        self._grids: list[GridChoice] = []
        """The groups the user may post to (a social worker: their grids')."""
        """Where the user may put new content (their own place first)."""
        self._entries: dict[str, dict[str, Any]] = {}
        self._rules: dict[str, dict[str, Any]] = {}
        self._announcements: dict[str, dict[str, Any]] = {}
        self._services: dict[str, dict[str, Any]] = {}
        self._day: dt.date | None = None
        """The calendar's chosen day (``None``: every date)."""
        k = self.knowledge
        k.search.textChanged.connect(lambda _t: self.refresh())
        k.new_button.clicked.connect(lambda: self.new_entry(None))
        k.edit_button.clicked.connect(self.edit_entry)
        k.table.itemDoubleClicked.connect(lambda _i: self.edit_entry())
        k.table.itemSelectionChanged.connect(self._entry_chosen)
        k.retire_button.clicked.connect(self._retire_entry)
        k.answer_button.clicked.connect(self._answer_current)
        k.dismiss_button.clicked.connect(self._dismiss_current)
        k.unanswered.itemDoubleClicked.connect(lambda _i: self._answer_current())
        k.test_button.clicked.connect(self.test_bot)
        k.test_input.returnPressed.connect(self.test_bot)
        a = self.announcements
        a.table.itemSelectionChanged.connect(self._announcement_chosen)
        a.table.itemDoubleClicked.connect(lambda _i: self.edit_announcement())
        a.calendar.clicked.connect(self._day_chosen)
        a.calendar.activated.connect(self._day_chosen)
        a.all_dates_button.clicked.connect(lambda: self._day_chosen(None))
        a.new_button.clicked.connect(lambda: self.edit_announcement(new=True))
        a.welcome_list.currentItemChanged.connect(
            lambda current, _old: _allow(a.welcome_button, None if current is not None
                                         else a.welcome_hint))
        a.welcome_button.clicked.connect(self.edit_welcome)
        a.welcome_list.itemDoubleClicked.connect(lambda _i: self.edit_welcome())
        a.edit_button.clicked.connect(self.edit_announcement)
        a.schedule_button.clicked.connect(self._schedule)
        a.approve_button.clicked.connect(lambda: self._announcement_step("approve"))
        a.cancel_button.clicked.connect(self._cancel_announcement)
        r = self.rules
        r.table.itemSelectionChanged.connect(self._rule_chosen)
        r.table.itemDoubleClicked.connect(lambda _i: self.edit_rule())
        r.new_button.clicked.connect(lambda: self.edit_rule(new=True))
        r.edit_button.clicked.connect(self.edit_rule)
        r.toggle_button.clicked.connect(self._toggle_rule)
        r.dry_run_button.clicked.connect(self.run_dry_run)
        sv = self.services
        sv.search.textChanged.connect(lambda _t: self.refresh())
        sv.table.itemSelectionChanged.connect(self._service_chosen)
        sv.table.itemDoubleClicked.connect(lambda _i: self.edit_service())
        sv.new_button.clicked.connect(lambda: self.edit_service(new=True))
        sv.edit_button.clicked.connect(self.edit_service)
        # The steps are the role's from the first moment, not once the content has loaded
        # (a social worker saw 批准发送 until then).
        self._announcement_chosen()
        self.follow_changes()
        self.refresh()

    # -- reading ---------------------------------------------------------------------------

    def changes_applied(self, changes: ChangeSet) -> None:
        if any(changes.touches(entity) for entity in RELEVANT):
            self.refresh()

    def refresh(self) -> None:
        desk = self._ctx.desk
        search = self.knowledge.search.text()
        service_search = self.services.search.text()

        def read(progress: Progress) -> dict[str, Any]:
            def all_of(session: Any) -> dict[str, Any]:
                actor = desk.actor(session)
                return {"actor": actor,
                        "entries": knowledge_entries(session, search),
                        "unanswered": unanswered_questions(session),
                        "announcements": announcements(session),
                        "rules": alert_rules(session),
                        "services": service_items(session, service_search),
                        "urgent": urgent_counts_for(session, actor.role,
                                                    actor.community_id, actor.street_id),
                        "places": places_to_write(session, actor.role, actor.community_id,
                                                  actor.street_id),
                        "grids": [g for g in target_grids(session, actor.community_id)
                                  if actor.role != "social_worker"
                                  or g.id in actor.grid_ids]}
            return desk.read(all_of)

        Op(self, read, name="gubao_read").success(self._show).failure(
            lambda error: self.show_notice(error.message)).run()

    def show_alerts(self) -> None:
        """Bring the alert rules forward, with the open urgent alerts' counts on top (the
        dashboard's count opens them here)."""
        if self.tabs.indexOf(self.rules) >= 0:
            self.tabs.setCurrentWidget(self.rules)

    def _show(self, data: dict[str, Any]) -> None:
        self._actor = data["actor"]
        self._places = data["places"]
        scope_names = {"district": self.tr("District"), "street": self.tr("Street"),
                       "community": self.tr("Community")}
        # A supervisor's entries may each apply to another community of the street: its
        # name says which (a clerk's are all their own community's).
        community_names = {p["community_id"]: p["name"] for p in self._places
                           if p["scope"] == "community" and p["name"]}
        if len(community_names) < 2:
            community_names = {}

        def place(entry: dict[str, Any]) -> str:
            if entry["scope"] == "community" and entry["community_id"] in community_names:
                return str(community_names[entry["community_id"]])
            return scope_names.get(entry["scope"] or "", "")

        self._entries = {row["id"]: row for row in data["entries"]}
        today = self._ctx.now().astimezone(SHANGHAI).date()
        _fill(self.knowledge.table, data["entries"], lambda entry: [
            entry["question"] or "", "、".join(entry["keywords"] or []),
            str(entry["hit_count"] or 0), place(entry),
            self._validity(entry, today)])
        unanswered = self.knowledge.unanswered
        unanswered.clear()
        for q in data["unanswered"]:
            # A supervisor's come from several communities (the same question may be asked
            # in two): each says whose it is.
            asked_in = community_names.get(q["community_id"] or "")
            item = QListWidgetItem(fill(self.tr("%1 (%2 · asked %n time(s))", "",
                                                q["count"] or 1), q["text"] or "", asked_in)
                                   if asked_in else
                                   fill(self.tr("%1 (asked %n time(s))", "", q["count"] or 1),
                                        q["text"] or ""))
            item.setData(ID_ROLE, q["id"])
            item.setData(ID_ROLE + 1, q["text"])
            unanswered.addItem(item)
        self._grids = data["grids"]
        self._show_announcements(data["announcements"])
        self._show_rules(data["rules"], data["urgent"])
        self._services = {row["id"]: row for row in data["services"]}
        _fill(self.services.table, data["services"], lambda row: [
            row["name"] or "", service_category_label(row["category"] or ""), row["hours"] or "",
            row["phone"] or ""])
        self._entry_chosen()
        self._announcement_chosen()
        self._rule_chosen()
        self._service_chosen()

    def _validity(self, entry: dict[str, Any], today: dt.date) -> str:
        if entry.get("active") is False:
            return self.tr("Retired")
        start, end = entry.get("valid_from"), entry.get("valid_to")
        if isinstance(end, dt.date) and end < today:
            return self.tr("Expired")
        if isinstance(start, dt.date) and start > today:
            return fill(self.tr("From %1"), start.isoformat())
        if isinstance(end, dt.date):
            return fill(self.tr("Until %1"), end.isoformat())
        return self.tr("In force")

    def _statuses(self) -> dict[str, str]:
        return {"draft": self.tr("Draft"), "pending": self.tr("Awaiting approval"),
                "scheduled": self.tr("Scheduled"), "sent": self.tr("Sent"),
                "cancelled": self.tr("Cancelled")}

    def _show_announcements(self, rows: list[dict[str, Any]]) -> None:
        kinds = {"notice": self.tr("Notice"), "activity": self.tr("Activity"),
                 "holiday": self.tr("Holiday greeting"), "welcome": self.tr("Welcome")}
        statuses = self._statuses()
        repeats = {"none": "", "weekly": self.tr("Every week"),
                   "holidays": self.tr("Every holiday")}
        self._announcements = {row["id"]: row for row in rows}
        calendar = self.announcements.calendar
        calendar.setDateTextFormat(QDate(), QTextCharFormat())
        coming, sent = QTextCharFormat(), QTextCharFormat()
        coming.setFontWeight(700)
        coming.setForeground(QColor(palette.DANGER))
        sent.setForeground(QColor(palette.SUCCESS))
        for row in rows:
            for day in _sent_days(row):
                calendar.setDateTextFormat(qdate(day), sent)
        for row in rows:
            send_at = row["send_at"]
            if isinstance(send_at, dt.datetime) and row["status"] in ("draft", "pending",
                                                                       "scheduled") \
                    and not _welcome(row):
                calendar.setDateTextFormat(qdate(send_at.astimezone(SHANGHAI).date()), coming)
        shown = [row for row in rows if self._day is None or self._day in _days_of(row)]
        # A welcome message goes to each newcomer as they join, never at a time: no time
        # shown, and once scheduled it is in force (not "to be sent" for ever).
        in_force = self.tr("In force")

        def status(row: dict[str, Any]) -> str:
            if _welcome(row) and row["status"] in gubao.WELCOME_LIVE:
                return in_force
            return statuses.get(row["status"] or "", "")

        # The repeats under the time, not a column of their own: most announcements do
        # not repeat, and the column took the titles' room (65 px at 1024×700, English).
        _fill(self.announcements.table, shown, lambda row: [
            row["title"] or "", kinds.get(row["kind"] or "", ""),
            "" if _welcome(row) else "\n".join(
                t for t in (_when(row["send_at"]),
                            repeats.get(row["recurrence"] or "none", "")) if t),
            status(row)])
        self.announcements.day_label.setText(
            self.tr("Every date") if self._day is None
            else fill(self.tr("On %1"), self._day.isoformat()))
        self.announcements.all_dates_button.setEnabled(self._day is not None)
        self._show_welcomes()

    def _show_welcomes(self) -> None:
        welcome = self.announcements.welcome_list
        chosen = welcome.currentItem().data(ID_ROLE) if welcome.currentItem() else None
        welcome.clear()
        for grid in self._grids:
            row = self._welcome_of(grid.id)
            if row is None:
                text = fill(self.tr("%1: none yet"), grid.name)
            else:
                text = fill(self.tr("%1: %2"), grid.name, row["text"] or "")
                if row.get("status") not in gubao.WELCOME_LIVE:
                    # The server greets newcomers with scheduled (or sent) ones only.
                    text += self.tr(" (a draft: newcomers get it once it is scheduled)")
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, grid.id)
            welcome.addItem(item)
            if grid.id == chosen:
                welcome.setCurrentItem(item)

    def _welcome_of(self, grid_id: str, own: bool = False) -> dict[str, Any] | None:
        """The welcome message a group gets: its own, else the one for every group of
        the community (``own``: only its own that may still change)."""
        found = gubao.welcome_of(
            self._announcements.values(), grid_id,
            ("draft", "pending", "scheduled") if own else ("draft", "pending", "scheduled",
                                                            "sent"), own=own)
        return None if found is None else dict(found)
    def _show_rules(self, rows: list[dict[str, Any]], urgent: list[tuple[str, int]]) -> None:
        levels = {"urgent": self.tr("Urgent"), "watch": self.tr("Watch")}
        self._rules = {row["id"]: row for row in rows}

        def words(row: dict[str, Any]) -> str:
            text = "、".join(row["keywords"] or [])
            if row["with_words"]:
                text = fill(self.tr("%1 (with %2)"), text, "、".join(row["with_words"]))
            return text

        _fill(self.rules.table, rows, lambda row: [
            row["name"] or "", words(row), levels.get(row["level"] or "", ""),
            self.tr("Off") if row.get("active") is False else self.tr("On"),
            str(row["fired_count"] or 0)])
        open_count = sum(count for _name, count in urgent)
        # Only the communities with one open: a street's "汇林绿洲社区 0" in the red line
        # read as an alarm where there is none.
        self.rules.urgent.setText(
            fill(self.tr("Open urgent alerts: %1"), "　".join(
                fill(self.tr("%1 %2"), name, str(count)) for name, count in urgent if count))
            if open_count else self.tr("No urgent alert is open."))
        self.rules.urgent.setProperty("alarm", bool(open_count))
        self.rules.urgent.setStyleSheet(URGENT_STYLE if open_count else "")

    # -- choosing ---------------------------------------------------------------------------

    def _may_edit(self, row: dict[str, Any] | None) -> bool:
        actor = self._actor
        return row is not None and actor is not None and gubao.may_edit_place(
            actor.role, actor.community_id, actor.street_id, row)

    def _why_not_edit(self, row: dict[str, Any] | None, choose: str) -> str | None:
        """Why the chosen row cannot be changed (``choose``: what to do when none is)."""
        if row is None:
            return choose
        if self._may_edit(row):
            return None
        role = self._actor.role if self._actor is not None else ""
        if role == "clerk":
            return self.tr("Set for the street or the whole district: only they can "
                           "change it. You change your community's own.")
        if role == "supervisor":
            return self.tr("Set for the whole district or another street: only they can "
                           "change it.")
        return self.tr("Clerks, supervisors and administrators change these.")

    def _entry_chosen(self) -> None:
        row = _chosen(self.knowledge.table, self._entries)
        k = self.knowledge
        why = self._why_not_edit(row, self.tr("Choose an entry in the table first."))
        _allow(k.edit_button, why)
        _allow(k.retire_button, why)
        k.retire_button.setText(self.tr("Bring back") if row and row.get("active") is False
                                else self.tr("Retire"))

    def _rule_chosen(self) -> None:
        row = _chosen(self.rules.table, self._rules)
        r = self.rules
        choose = self.tr("Choose a rule in the table first.")
        _allow(r.dry_run_button, choose if row is None else None)
        why = self._why_not_edit(row, choose)
        _allow(r.edit_button, why)
        _allow(r.toggle_button, why)
        r.toggle_button.setText(self.tr("Turn on") if row and row.get("active") is False
                                else self.tr("Turn off"))

    def _service_chosen(self) -> None:
        _allow(self.services.edit_button, self._why_not_edit(
            _chosen(self.services.table, self._services),
            self.tr("Choose a service in the table first.")))

    def _chosen_announcement(self) -> dict[str, Any] | None:
        return _chosen(self.announcements.table, self._announcements)

    def _announcement_chosen(self) -> None:
        row = self._chosen_announcement()
        role = self._ctx.session.role
        dispatcher = role in ("clerk", "supervisor", "admin")
        grids = set(row.get("grid_ids") or []) if row else set()
        # A social worker's own: targets only grids of theirs (the server's rule).
        mine = dispatcher or (self._actor is not None and bool(grids)
                              and grids <= self._actor.grid_ids)
        a = self.announcements
        a.schedule_button.setText(self.tr("Schedule") if dispatcher
                                  else self.tr("Ask for approval"))
        a.approve_button.setVisible(dispatcher)
        whys = self._announcement_whys(row, mine, dispatcher)
        _allow(a.edit_button, whys["edit"])
        _allow(a.schedule_button, whys["schedule"])
        _allow(a.approve_button, whys["approve"])
        _allow(a.cancel_button, whys["cancel"])
        a.history.setText(self._history_text(row) if row else "")
        send_at = row.get("send_at") if row else None
        if isinstance(send_at, dt.datetime) and self._day is None:
            a.calendar.setSelectedDate(qdate(send_at.astimezone(SHANGHAI).date()))

    def _announcement_whys(self, row: dict[str, Any] | None, mine: bool,
                           dispatcher: bool) -> dict[str, str | None]:
        """Why each step on the chosen announcement is greyed out (``None``: it is not):
        nothing chosen, not the person's, or the announcement's state (a draft is
        scheduled, a pending one approved, an open one changed or cancelled)."""
        steps = ("edit", "schedule", "approve", "cancel")
        if row is None:
            return dict.fromkeys(steps, self.tr("Choose an announcement in the table first."))
        if not mine:
            return dict.fromkeys(steps, self.tr(
                "It goes to groups beyond your grids: a clerk changes it."))
        status = row.get("status")
        state = self._statuses().get(str(status), str(status))
        open_ = status in ("draft", "pending", "scheduled")
        whys: dict[str, str | None] = dict.fromkeys(steps)
        if not open_:
            whys["edit"] = fill(self.tr("%1: it can no longer be changed."), state)
            whys["cancel"] = fill(self.tr("%1: it can no longer be cancelled."), state)
        elif not dispatcher and status != "draft":
            whys["edit"] = fill(self.tr("%1: only a clerk changes it now."), state)
        if status != "draft":
            whys["schedule"] = fill(self.tr("%1: only a draft is scheduled."), state) \
                if dispatcher else fill(self.tr("%1: only a draft is sent for approval."), state)
        if not (dispatcher and status == "pending"):
            whys["approve"] = fill(self.tr("%1: only one awaiting approval is approved."), state)
        return whys

    def _history_text(self, row: dict[str, Any]) -> str:
        """When the announcement went, and to how many groups (newest last)."""
        lines = [fill(self.tr("Sent %1 to %2 groups"), _when(at), str(groups))
                 for at, groups in _sendings(row)]
        if not lines and isinstance(row.get("sent_at"), dt.datetime):
            lines.append(fill(self.tr("Sent %1"), _when(row["sent_at"])))
        return "\n".join(lines) or self.tr("Not sent yet.")

    def _day_chosen(self, day: QDate | None) -> None:
        self._day = None if day is None else dt.date(day.year(), day.month(), day.day())
        self._show_announcements(list(self._announcements.values()))
        self._announcement_chosen()

    # -- writing -----------------------------------------------------------------------------

    def _write(self, name: str, work: Callable[[Progress], ChangeSet]) -> None:
        Op(self, work, lane=Lane.WRITE, name=name).success(self._ctx.wrote).failure(
            lambda error: self.show_notice(describe_step_error(error.exception))).run()

    def _save(self, entity: str, record_id: str | None, values: dict[str, Any],
              then: Callable[[Actor, str], ChangeSet] | None = None) -> None:
        """Create (``record_id`` ``None``; the dialog chose its place) or change a record;
        ``then`` writes what follows from it (given the record's id)."""
        desk = self._ctx.desk

        def write(progress: Progress) -> ChangeSet:
            actor = desk.actor()
            if record_id is None:
                rid, changes = desk.create(entity, values, actor=actor)
            else:
                rid, changes = record_id, desk.update(entity, record_id, values, actor=actor)
            if then is not None:
                changes = changes | then(actor, rid)
            return changes

        self._write(f"save_{entity}", write)

    def _set(self, entity: str, record_id: str, values: dict[str, Any]) -> None:
        self._save(entity, record_id, values)

    # -- the knowledge base ------------------------------------------------------------------

    def _answer_current(self) -> None:
        item = self.knowledge.unanswered.currentItem()
        if item is not None:
            self.new_entry(str(item.data(ID_ROLE)), str(item.data(ID_ROLE + 1)))

    def _dismiss_current(self) -> None:
        """Set the chosen question aside; the notice that says so offers to undo it (it
        went at one click, a question asked six times with it)."""
        item = self.knowledge.unanswered.currentItem()
        if item is None:
            return
        qid, text = str(item.data(ID_ROLE)), str(item.data(ID_ROLE + 1) or "")
        self._set("bot_question", qid, {"status": "dismissed"})
        if self.toast is None:
            self.toast = Toast(self.window())
        self.toast.show_message(
            fill(self.tr("“%1” marked as not needing an answer."), text),
            self.tr("Undo"), lambda: self._set("bot_question", qid, {"status": "open"}))

    def new_entry(self, question_id: str | None, question: str = "") -> None:
        dialog = EntryDialog(question, self, places=self._places, today=self._today())
        desk = self._ctx.desk

        def answered(actor: Actor, entry_id: str) -> ChangeSet:
            if question_id is None:
                return ChangeSet()
            return desk.update("bot_question", question_id, {
                "status": "answered", "entry_id": entry_id}, actor=actor)

        dialog.submitted.connect(lambda values: self._save(
            "knowledge_entry", None, {**values, "active": True}, answered))
        self.open_dialog(dialog)

    def edit_entry(self) -> None:
        row = _chosen(self.knowledge.table, self._entries)
        if row is None or not self._may_edit(row):
            return
        dialog = EntryDialog(parent=self, entry=row, today=self._today())
        rid = str(row["id"])
        dialog.submitted.connect(lambda values: self._save("knowledge_entry", rid, values))
        self.open_dialog(dialog)

    def _retire_entry(self) -> None:
        row = _chosen(self.knowledge.table, self._entries)
        if row is not None:
            self._set("knowledge_entry", str(row["id"]),
                      {"active": row.get("active") is False})

    def _today(self) -> dt.date:
        return self._ctx.now().astimezone(SHANGHAI).date()

    def test_bot(self) -> None:
        question = self.knowledge.test_input.text().strip()
        if not question:
            return
        desk = self._ctx.desk

        def read(progress: Progress) -> gubao.Answer:
            def ask(session: Any) -> gubao.Answer:
                actor = desk.actor(session)
                return what_the_bot_answers(session, question, actor.community_id,
                                            actor.street_id,
                                            desk.now().astimezone(SHANGHAI).date())
            return desk.read(ask)

        Op(self, read, name="test_the_bot").success(self._show_answer).failure(
            lambda error: self.show_notice(error.message)).run()

    def _show_answer(self, answer: gubao.Answer) -> None:
        match = answer.match
        if match is None:
            best = answer.considered[0] if answer.considered else None
            text = self.tr("Gubao would not answer: the message goes to the inbox.")
            if best is not None:
                text += "\n" + fill(self.tr("Closest: “%1” (score %2, below the threshold)"),
                                    best.candidate.title, f"{best.score:.2f}")
            self.knowledge.test_result.setText(text)
            return
        why = fill(self.tr("Found the keyword “%1”; score %2"), match.keyword or "",
                   f"{match.score:.2f}")
        source = (self.tr("Knowledge entry") if match.candidate.entity == "knowledge_entry"
                  else self.tr("Service catalogue"))
        self.knowledge.test_result.setText(
            fill(self.tr("%1: %2"), source, match.candidate.title)
            + f"\n{why}\n\n{match.candidate.answer}")

    # -- announcements -------------------------------------------------------------------------

    def edit_announcement(self, new: bool = False) -> None:
        """A new announcement's draft, or the chosen one's: its dialog with the groups the
        user may post to."""
        row = None if new else self._chosen_announcement()
        if not new and (row is None or not self.announcements.edit_button.isEnabled()):
            return
        self._open_announcement(row)

    def edit_welcome(self) -> None:
        """The chosen group's welcome message: its own (while it may change), else a new
        one for it, starting from what it gets today."""
        item = self.announcements.welcome_list.currentItem()
        if item is None:
            return
        grid_id = str(item.data(ID_ROLE))
        own = self._welcome_of(grid_id, own=True)
        if own is not None:
            self._open_announcement(own)
            return
        name = next((g.name for g in self._grids if g.id == grid_id), "")
        now = self._welcome_of(grid_id)
        self._open_announcement(None, {
            "kind": "welcome", "grid_ids": [grid_id],
            "title": fill(self.tr("Welcome to %1"), name)[:128],
            "text": now["text"] if now else ""})

    def _open_announcement(self, row: dict[str, Any] | None,
                           preset: dict[str, Any] | None = None) -> None:
        if self.dialog is not None:
            return
        desk = self._ctx.desk

        def read(progress: Progress) -> list[GridChoice]:
            actor = desk.actor()
            community = row["community_id"] if row else actor.community_id
            grids = desk.read(target_grids, community)
            if actor.role == "social_worker":
                grids = [g for g in grids if g.id in actor.grid_ids]
            return grids

        def opened(grids: list[GridChoice]) -> None:
            if not grids:
                self.show_notice(self.tr("You have no groups to post an announcement to."))
                return
            dialog = AnnouncementDialog(self._ctx, grids, self, announcement=row,
                                        preset=preset)
            communities = {g.id: g.community_id for g in grids}
            rid = None if row is None else str(row["id"])
            dialog.submitted.connect(lambda values: self._save_announcement(
                rid, values, communities))
            self.open_dialog(dialog)

        Op(self, read, name="announcement_grids").success(opened).failure(
            lambda error: self.show_notice(error.message)).run()

    def _save_announcement(self, record_id: str | None, values: dict[str, Any],
                           communities: dict[str, str | None]) -> None:
        desk = self._ctx.desk
        places = {communities.get(g) for g in values["grid_ids"]}
        if len(places) != 1 or None in places:
            self.show_notice(self.tr("An announcement goes to groups of one community."))
            return

        def write(progress: Progress) -> ChangeSet:
            if record_id is not None:
                return desk.update("announcement", record_id, values)
            return desk.create("announcement", {**values, "community_id": places.pop()})[1]

        self._write("save_announcement", write)

    def _schedule(self) -> None:
        self._announcement_step("schedule" if self._ctx.session.role in (
            "clerk", "supervisor", "admin") else "submit")

    def _announcement_step(self, action: str, args: dict[str, Any] | None = None) -> None:
        row = self._chosen_announcement()
        if row is None:
            return
        self.runner.run([StepRequest("announcement", str(row["id"]), action, args or {})],
                        lambda outcome: self._step_done(outcome, action))

    def _cancel_announcement(self) -> None:
        row = self._chosen_announcement()
        if row is None or self.dialog is not None:
            return
        dialog = CancelAnnouncementDialog(str(row["title"] or ""), self)
        dialog.submitted.connect(lambda args: self._announcement_step("cancel", args))
        self.open_dialog(dialog)

    def _step_done(self, outcome: StepOutcome, action: str) -> None:
        if outcome.error is not None:
            self.show_notice(describe_step_error(outcome.error, action, "announcement"))

    # -- alert rules ---------------------------------------------------------------------------

    def edit_rule(self, new: bool = False) -> None:
        row = None if new else _chosen(self.rules.table, self._rules)
        if (not new and not self._may_edit(row)) or self.dialog is not None:
            return
        dialog = RuleDialog(self, rule=row, places=self._places)
        dialog.dry_run_requested.connect(lambda rule: self._dry_run(
            rule, lambda fired: dialog.show_dry_run(fired, self._fired_lines(fired))))
        rid = None if row is None else str(row["id"])
        dialog.submitted.connect(lambda values: self._save("alert_rule", rid, values))
        self.open_dialog(dialog)

    def _toggle_rule(self) -> None:
        row = _chosen(self.rules.table, self._rules)
        if row is not None:
            self._set("alert_rule", str(row["id"]), {"active": row.get("active") is False})

    def run_dry_run(self) -> None:
        rule = _chosen(self.rules.table, self._rules)
        if rule is None:
            return

        def show(fired: list[dict[str, Any]]) -> None:
            self.rules.dry_run_summary.setText(self.tr(
                "Would have fired %n time(s) in the last 30 days", "", len(fired)))
            self.rules.dry_run_list.clear()
            self.rules.dry_run_list.addItems(self._fired_lines(fired))

        self._dry_run({**rule, "active": True}, show)

    def _dry_run(self, rule: dict[str, Any],
                 show: Callable[[list[dict[str, Any]]], None]) -> None:
        desk = self._ctx.desk

        def read(progress: Progress) -> list[dict[str, Any]]:
            return desk.read(dry_run, rule, desk.now())

        Op(self, read, name="alert_dry_run").success(show).failure(
            lambda error: self._failed(error)).run()

    @staticmethod
    def _fired_lines(fired: list[dict[str, Any]]) -> list[str]:
        return [f"{_when(m['sent_at'])}  {m['group_name'] or ''}  {m['text']}" for m in fired]

    def _failed(self, error: OpError) -> None:
        self.show_notice(error.message)

    # -- the service catalogue -----------------------------------------------------------------

    def edit_service(self, new: bool = False) -> None:
        row = None if new else _chosen(self.services.table, self._services)
        if (not new and not self._may_edit(row)) or self.dialog is not None:
            return
        dialog = ServiceDialog(self, item=row, places=self._places)
        rid = None if row is None else str(row["id"])
        dialog.submitted.connect(lambda values: self._save("service_item", rid, values))
        self.open_dialog(dialog)


def _fill(table: RecordTable, rows: list[dict[str, Any]],
          cells: Callable[[dict[str, Any]], list[str]]) -> None:
    """Put ``rows`` in ``table``, keeping the chosen record chosen."""
    table.show_rows([(str(row["id"]), cells(row)) for row in rows])


def _chosen(table: RecordTable, rows: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    return rows.get(table.selected_id() or "")


def _sendings(row: dict[str, Any]) -> list[tuple[dt.datetime, int]]:
    """When an announcement went out and to how many groups (its history's ``sent``)."""
    out = []
    for entry in row.get("history") or []:
        if isinstance(entry, dict) and entry.get("action") == "sent" \
                and isinstance(entry.get("at"), str):
            out.append((records.parse_datetime(entry["at"]), len(entry.get("groups") or [])))
    return out


def _welcome(row: dict[str, Any]) -> bool:
    return row.get("kind") == "welcome"


def _sent_days(row: dict[str, Any]) -> set[dt.date]:
    """The days an announcement went out."""
    moments = [at for at, _groups in _sendings(row)]
    if isinstance(row.get("sent_at"), dt.datetime):
        moments.append(row["sent_at"])
    return {moment.astimezone(SHANGHAI).date() for moment in moments}


def _days_of(row: dict[str, Any]) -> set[dt.date]:
    """The days the calendar shows an announcement on: when it goes, when it went."""
    days = _sent_days(row)
    if isinstance(row.get("send_at"), dt.datetime) and row.get("status") != "cancelled":
        days.add(row["send_at"].astimezone(SHANGHAI).date())
    return days
