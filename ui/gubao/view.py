"""The 鼓宝 section (clerks, supervisors, admins): what the group bot knows and says.

* **Knowledge base** (民生问答): the entries with their hit counts, searchable; beside
  them the questions residents asked that 鼓宝 could not answer, most asked first — one
  click turns one into a new entry (the dialog starts from the question; saving writes
  the entry and marks the question answered, one step for the person); under them the
  "test the bot" box: what 鼓宝 would answer to a typed question in one of the user's
  groups, with its score and why (the same matching the server runs).
* **Announcements** (群公告): a calendar marking the days something goes, and the list
  (next ones first, then those sent); a social worker's draft waiting for approval is
  approved here.
* **Alert rules** (智慧告警) with a dry run over the last 30 days of messages held here.
* **Service catalogue** (便民服务目录).

Reads and steps go through the account's desk in the background; the section reads
again when a local step or a sync touches what it shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import gubao
from gulou_desk.records import SHANGHAI
from gulou_desk.store import ChangeSet
from gulou_desk.store.gubao_queries import (
    alert_rules,
    announcements,
    dry_run,
    knowledge_entries,
    service_items,
    unanswered_questions,
    what_the_bot_answers,
)
from ui.background import Lane, Op, OpError, Progress
from ui.palette import qss
from ui.shell.context import DeskContext
from ui.shell.paged_list import NoticeLabel
from ui.shell.section import DeskSection
from ui.workflow_labels import fill

log = logging.getLogger(__name__)

RELEVANT = ("knowledge_entry", "bot_question", "announcement", "alert_rule", "service_item",
            "inbox_message")
ID_ROLE = Qt.ItemDataRole.UserRole + 1

VIEW_STYLE = qss("""
QTabWidget#gubao_tabs::pane { border: none; border-top: 1px solid @border; }
QLabel#section_title { font-weight: 600; color: @text; padding-top: 6px; }
QLabel#muted { color: @muted; }
QLabel#bot_answer { background: @white; color: @ink_strong; border: 1px solid @border;
                    border-radius: 8px; padding: 10px 12px; }
QTableWidget, QListWidget { border: 1px solid @border; gridline-color: @gridline; }
QHeaderView::section { background: @panel; border: none; border-bottom: 1px solid @border;
                       padding: 5px 6px; color: @text_secondary; }
""")


def _table(name: str, headers: list[str],
           widths: dict[int, int] | None = None) -> QTableWidget:
    """A read-only table whose first column takes the room left; ``widths`` gives
    columns a width of their own (long lists of words), the others fit their content."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        if widths and column in widths:
            table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(column, widths[column])
        else:
            table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _cell(text: str, record_id: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if record_id is not None:
        item.setData(ID_ROLE, record_id)
    return item


def _when(moment: Any) -> str:
    if not isinstance(moment, dt.datetime):
        return ""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


class EntryDialog(QDialog):
    """A new knowledge entry (from an unanswered question, or blank)."""

    def __init__(self, question: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knowledge_entry_dialog")
        self.setWindowTitle(self.tr("New knowledge entry"))
        form = QFormLayout(self)
        self.question = QLineEdit(question)
        self.question.setMaxLength(200)
        self.keywords = QLineEdit()
        self.keywords.setPlaceholderText(self.tr("Words residents use, separated by spaces"))
        self.answer = QPlainTextEdit()
        self.answer.setPlaceholderText(self.tr("What Gubao posts to the group"))
        form.addRow(self.tr("Question"), self.question)
        form.addRow(self.tr("Keywords"), self.keywords)
        form.addRow(self.tr("Answer"), self.answer)
        self.problem = QLabel("")
        self.problem.setObjectName("muted")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 360)

    def values(self) -> dict[str, Any]:
        words = [w for w in self.keywords.text().replace("，", " ").replace(",", " ").split()
                 if w.strip()]
        return {"question": self.question.text().strip(),
                "answer": self.answer.toPlainText().strip(), "keywords": words,
                "active": True}

    def _accept(self) -> None:
        values = self.values()
        problems = gubao.record_problems("knowledge_entry", values)
        if not values["question"] or not values["answer"]:
            self.problem.setText(self.tr("A question and an answer are needed."))
            return
        if not values["keywords"]:
            self.problem.setText(self.tr("Give at least one keyword residents would use."))
            return
        if problems:
            self.problem.setText(self.tr("The answer is too long for one group message."))
            return
        self.accept()


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
        self.new_button = QPushButton(self.tr("New entry"))
        self.new_button.setProperty("primary", True)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        lv.addLayout(top)
        self.table = _table("knowledge_table", [self.tr("Question"), self.tr("Keywords"),
                                                self.tr("Hits"), self.tr("Applies to")],
                            {1: 200})
        lv.addWidget(self.table, 1)
        splitter.addWidget(left)
        right = QWidget()
        rv = QVBoxLayout(right)
        title = QLabel(self.tr("Questions Gubao could not answer"))
        title.setObjectName("section_title")
        rv.addWidget(title)
        self.unanswered = QListWidget()
        self.unanswered.setObjectName("unanswered_list")
        self.unanswered.setWordWrap(True)  # a long question wraps, never scrolls sideways
        self.unanswered.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rv.addWidget(self.unanswered, 1)
        self.answer_button = QPushButton(self.tr("Write an answer…"))
        self.answer_button.setEnabled(False)
        rv.addWidget(self.answer_button)
        test_title = QLabel(self.tr("Test the bot"))
        test_title.setObjectName("section_title")
        rv.addWidget(test_title)
        row = QHBoxLayout()
        self.test_input = QLineEdit()
        self.test_input.setObjectName("bot_test_input")
        self.test_input.setPlaceholderText(self.tr("Type a question as a resident would"))
        self.test_button = QPushButton(self.tr("Ask"))
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
        self.unanswered.currentItemChanged.connect(
            lambda current, _old: self.answer_button.setEnabled(current is not None))


class AnnouncementsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("announcement_calendar")
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMaximumWidth(380)
        left = QVBoxLayout()
        left.addWidget(self.calendar)
        self.approve_button = QPushButton(self.tr("Approve"))
        self.approve_button.setEnabled(False)
        left.addWidget(self.approve_button)
        left.addStretch(1)
        layout.addLayout(left)
        self.table = _table("announcements_table", [
            self.tr("Announcement"), self.tr("Kind"), self.tr("Goes at"), self.tr("Repeats"),
            self.tr("Status")])
        layout.addWidget(self.table, 1)


class RulesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.table = _table("alert_rules_table", [
            self.tr("Rule"), self.tr("Keywords"), self.tr("Level"), self.tr("Fired")],
            {1: 360})
        layout.addWidget(self.table, 2)
        row = QHBoxLayout()
        self.dry_run_button = QPushButton(self.tr("Dry run over the last 30 days"))
        self.dry_run_button.setEnabled(False)
        row.addWidget(self.dry_run_button)
        self.dry_run_summary = QLabel("")
        self.dry_run_summary.setObjectName("muted")
        row.addWidget(self.dry_run_summary, 1)
        layout.addLayout(row)
        self.dry_run_list = QListWidget()
        self.dry_run_list.setObjectName("dry_run_list")
        layout.addWidget(self.dry_run_list, 1)


class ServicesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find a service"))
        layout.addWidget(self.search)
        self.table = _table("services_table", [
            self.tr("Service"), self.tr("Category"), self.tr("Hours"), self.tr("Phone")],
            {2: 260})
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
        self.tabs.addTab(self.knowledge, self.tr("Knowledge base"))
        self.tabs.addTab(self.announcements, self.tr("Announcements"))
        self.tabs.addTab(self.rules, self.tr("Alert rules"))
        self.tabs.addTab(self.services, self.tr("Service catalogue"))
        layout.addWidget(self.tabs, 1)
        self._rules: dict[str, dict[str, Any]] = {}
        self._announcements: dict[str, dict[str, Any]] = {}
        k = self.knowledge
        k.search.textChanged.connect(lambda _t: self.refresh())
        k.new_button.clicked.connect(lambda: self.new_entry(None))
        k.answer_button.clicked.connect(self._answer_current)
        k.unanswered.itemDoubleClicked.connect(lambda _i: self._answer_current())
        k.test_button.clicked.connect(self.test_bot)
        k.test_input.returnPressed.connect(self.test_bot)
        self.announcements.table.itemSelectionChanged.connect(self._announcement_chosen)
        self.announcements.approve_button.clicked.connect(self._approve)
        self.rules.table.itemSelectionChanged.connect(
            lambda: self.rules.dry_run_button.setEnabled(self._chosen_rule() is not None))
        self.rules.dry_run_button.clicked.connect(self.run_dry_run)
        self.services.search.textChanged.connect(lambda _t: self.refresh())
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

        def read(progress: Progress) -> dict[str, list[dict[str, Any]]]:
            return desk.read(lambda s: {
                "entries": knowledge_entries(s, search),
                "unanswered": unanswered_questions(s),
                "announcements": announcements(s),
                "rules": alert_rules(s),
                "services": service_items(s, service_search)})

        Op(self, read, name="gubao_read").success(self._show).failure(
            lambda error: self.show_notice(error.message)).run()

    def _show(self, data: dict[str, list[dict[str, Any]]]) -> None:
        scope_names = {"district": self.tr("District"), "street": self.tr("Street"),
                       "community": self.tr("Community")}
        table = self.knowledge.table
        table.setRowCount(len(data["entries"]))
        for r, entry in enumerate(data["entries"]):
            table.setItem(r, 0, _cell(entry["question"] or "", entry["id"]))
            table.setItem(r, 1, _cell("、".join(entry["keywords"] or [])))
            table.setItem(r, 2, _cell(str(entry["hit_count"] or 0)))
            table.setItem(r, 3, _cell(scope_names.get(entry["scope"] or "", "")))
        unanswered = self.knowledge.unanswered
        unanswered.clear()
        for q in data["unanswered"]:
            item = QListWidgetItem(fill(self.tr("%1 (asked %2 times)"), q["text"] or "",
                                        str(q["count"] or 1)))
            item.setData(ID_ROLE, q["id"])
            item.setData(ID_ROLE + 1, q["text"])
            unanswered.addItem(item)
        self._show_announcements(data["announcements"])
        self._show_rules(data["rules"])
        services = self.services.table
        services.setRowCount(len(data["services"]))
        for r, item_row in enumerate(data["services"]):
            services.setItem(r, 0, _cell(item_row["name"] or "", item_row["id"]))
            services.setItem(r, 1, _cell(item_row["category"] or ""))
            services.setItem(r, 2, _cell(item_row["hours"] or ""))
            services.setItem(r, 3, _cell(item_row["phone"] or ""))

    def _show_announcements(self, rows: list[dict[str, Any]]) -> None:
        kinds = {"notice": self.tr("Notice"), "activity": self.tr("Activity"),
                 "holiday": self.tr("Holiday greeting"), "welcome": self.tr("Welcome")}
        statuses = {"draft": self.tr("Draft"), "pending": self.tr("Awaiting approval"),
                    "scheduled": self.tr("Scheduled"), "sent": self.tr("Sent"),
                    "cancelled": self.tr("Cancelled")}
        repeats = {"none": "", "weekly": self.tr("Every week"),
                   "holidays": self.tr("Every holiday")}
        self._announcements = {row["id"]: row for row in rows}
        table = self.announcements.table
        table.setRowCount(len(rows))
        calendar = self.announcements.calendar
        calendar.setDateTextFormat(QDate(), QTextCharFormat())
        marked = QTextCharFormat()
        marked.setFontWeight(700)
        marked.setForeground(Qt.GlobalColor.darkRed)
        for r, row in enumerate(rows):
            table.setItem(r, 0, _cell(row["title"] or "", row["id"]))
            table.setItem(r, 1, _cell(kinds.get(row["kind"] or "", "")))
            table.setItem(r, 2, _cell(_when(row["send_at"])))
            table.setItem(r, 3, _cell(repeats.get(row["recurrence"] or "none", "")))
            table.setItem(r, 4, _cell(statuses.get(row["status"] or "", "")))
            send_at = row["send_at"]
            if isinstance(send_at, dt.datetime) and row["status"] != "cancelled":
                day = send_at.astimezone(SHANGHAI).date()
                calendar.setDateTextFormat(QDate(day.year, day.month, day.day), marked)

    def _show_rules(self, rows: list[dict[str, Any]]) -> None:
        levels = {"urgent": self.tr("Urgent"), "watch": self.tr("Watch")}
        self._rules = {row["id"]: row for row in rows}
        table = self.rules.table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            words = "、".join(row["keywords"] or [])
            if row["with_words"]:
                words = fill(self.tr("%1 (with %2)"), words, "、".join(row["with_words"]))
            table.setItem(r, 0, _cell(row["name"] or "", row["id"]))
            table.setItem(r, 1, _cell(words))
            table.setItem(r, 2, _cell(levels.get(row["level"] or "", "")))
            table.setItem(r, 3, _cell(str(row["fired_count"] or 0)))

    # -- the knowledge base ------------------------------------------------------------------

    def _answer_current(self) -> None:
        item = self.knowledge.unanswered.currentItem()
        if item is not None:
            self.new_entry(str(item.data(ID_ROLE)), str(item.data(ID_ROLE + 1)))

    def new_entry(self, question_id: str | None, question: str = "") -> None:
        dialog = EntryDialog(question, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_entry(dialog.values(), question_id))
        dialog.open()

    def _save_entry(self, values: dict[str, Any], question_id: str | None) -> None:
        desk = self._ctx.desk

        def write(progress: Progress) -> ChangeSet:
            actor = desk.actor()
            fields = {**values, "scope": "community", "community_id": actor.community_id}
            if actor.role == "supervisor":
                fields.update(scope="street", street_id=actor.street_id, community_id=None)
            elif actor.role == "admin":
                fields.update(scope="district", community_id=None)
            entry_id, changes = desk.create("knowledge_entry", fields, actor=actor)
            if question_id is not None:
                changes = changes | desk.update("bot_question", question_id, {
                    "status": "answered", "entry_id": entry_id}, actor=actor)
            return changes

        Op(self, write, lane=Lane.WRITE, name="new_knowledge_entry").success(
            self._ctx.wrote).failure(lambda error: self.show_notice(error.message)).run()

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

    def _chosen_announcement(self) -> dict[str, Any] | None:
        rows = self.announcements.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.announcements.table.item(rows[0].row(), 0)
        return self._announcements.get(str(item.data(ID_ROLE))) if item else None

    def _announcement_chosen(self) -> None:
        row = self._chosen_announcement()
        may = self._ctx.session.role in ("clerk", "supervisor", "admin")
        self.announcements.approve_button.setEnabled(
            may and row is not None and row.get("status") == "pending")
        send_at = row.get("send_at") if row else None
        if isinstance(send_at, dt.datetime):
            day = send_at.astimezone(SHANGHAI).date()
            self.announcements.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _approve(self) -> None:
        row = self._chosen_announcement()
        if row is None:
            return
        desk, rid = self._ctx.desk, str(row["id"])
        Op(self, lambda progress: desk.run_action("announcement", rid, "approve", {}),
           lane=Lane.WRITE, name="approve_announcement").success(self._ctx.wrote).failure(
            lambda error: self.show_notice(error.message)).run()

    # -- alert rules ---------------------------------------------------------------------------

    def _chosen_rule(self) -> dict[str, Any] | None:
        rows = self.rules.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.rules.table.item(rows[0].row(), 0)
        return self._rules.get(str(item.data(ID_ROLE))) if item else None

    def run_dry_run(self) -> None:
        rule = self._chosen_rule()
        if rule is None:
            return
        desk = self._ctx.desk

        def read(progress: Progress) -> list[dict[str, Any]]:
            return desk.read(dry_run, rule, desk.now())

        def show(fired: list[dict[str, Any]]) -> None:
            self.rules.dry_run_summary.setText(fill(
                self.tr("Would have fired %1 times in the last 30 days"), str(len(fired))))
            self.rules.dry_run_list.clear()
            for message in fired:
                self.rules.dry_run_list.addItem(
                    f"{_when(message['sent_at'])}  {message['group_name'] or ''}  "
                    f"{message['text']}")

        Op(self, read, name="alert_dry_run").success(show).failure(
            lambda error: self._failed(error)).run()

    def _failed(self, error: OpError) -> None:
        self.show_notice(error.message)
