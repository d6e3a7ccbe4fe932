"""The 鼓宝 section's editors: a knowledge entry, an announcement, an alert rule, a
service of the catalogue.

Each is a :class:`~ui.shell.step_dialog.StepDialog` that starts from a record (or from
nothing, for a new one) and gives back, through ``submitted``, the fields a person may
change; the section writes them (a synced record the server checks again). They check
what the domain checks (:func:`gulou_desk.domain.gubao.record_problems`) before they
close, and the texts that go to a group as one message show their size as it is typed.
The choices (groups) are read by the section beforehand: no dialog reads the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain import gubao
from gulou_desk.records import SHANGHAI
from gulou_desk.store.participation_queries import GridChoice
from ui.i18n import QT_TRANSLATE_NOOP
from ui.palette import qss
from ui.participation.dialogs import GridChecks
from ui.record_labels import service_category_label
from ui.shell.context import DeskContext
from ui.shell.date_fields import typeable
from ui.shell.step_dialog import StepDialog
from ui.workflow_labels import fill

translate = QCoreApplication.translate
_SPLIT = re.compile(r"[\s,，、;；]+")


def words_of(text: str) -> list[str]:
    """Words typed in one line, separated by spaces, commas or 、 (duplicates dropped)."""
    out: list[str] = []
    for word in _SPLIT.split(text):
        if word and word not in out:
            out.append(word)
    return out


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


TOO_LONG = qss("QLabel { color: @danger; font-weight: 600; }")
FITS = qss("QLabel { color: @muted; }")


class MessageText(QWidget):
    """A text that goes to a group as one message: the box and, under it, its size in
    bytes against the most one message holds, red once it is too long."""

    def __init__(self, name: str, placeholder: str, text: str = "") -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.edit = QPlainTextEdit(text)
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMinimumHeight(90)
        self.size_label = QLabel()
        self.size_label.setObjectName("message_size")
        column.addWidget(self.edit, 1)
        column.addWidget(self.size_label)
        self.edit.textChanged.connect(self._count)
        self._count()

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def too_long(self) -> bool:
        return gubao.message_bytes(self.text()) > records.BOT_MESSAGE_BYTES

    def _count(self) -> None:
        used = gubao.message_bytes(self.text())
        self.size_label.setText(fill(self.tr("%1 of %2 bytes (one group message)"),
                                     str(used), str(records.BOT_MESSAGE_BYTES)))
        self.size_label.setStyleSheet(TOO_LONG if self.too_long() else FITS)


class _OptionalDate(QWidget):
    """A date that may be left open: a check box and the date."""

    def __init__(self, name: str, label: str, value: Any, default: dt.date) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(label)
        self.box.setObjectName(f"{name}_set")
        self.edit = typeable(QDateEdit())
        self.edit.setObjectName(name)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        given = isinstance(value, dt.date)
        self.edit.setDate(qdate(value if isinstance(value, dt.date) else default))
        self.box.setChecked(given)
        self.edit.setEnabled(given)
        self.box.toggled.connect(self.edit.setEnabled)
        row.addWidget(self.box)
        row.addWidget(self.edit)
        row.addStretch(1)

    def value(self) -> dt.date | None:
        return _date(self.edit.date()) if self.box.isChecked() else None


PLACES = {"district": QT_TRANSLATE_NOOP("GubaoDialogs", "The whole district"),
          "street": QT_TRANSLATE_NOOP("GubaoDialogs", "The street"),
          "community": QT_TRANSLATE_NOOP("GubaoDialogs", "The community")}

NAMED_PLACES = {"street": QT_TRANSLATE_NOOP("GubaoDialogs", "Street: %1"),
                "community": QT_TRANSLATE_NOOP("GubaoDialogs", "Community: %1")}


def place_text(scope: str | None) -> str:
    """Where content applies, as the person reads it."""
    return translate("GubaoDialogs", PLACES.get(scope or "", ""))


class PlacePicker(QWidget):
    """Where new content applies, chosen among the places the user may write
    (:func:`gulou_desk.store.gubao_queries.places_to_write`); content held shows its place,
    which never changes."""

    def __init__(self, places: Sequence[Mapping[str, Any]],
                 held: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setObjectName("content_place")
        choices = [held] if held is not None else list(places)
        for place in choices:
            scope = str(place.get("scope") or "")
            name = str(place.get("name") or "") if held is None else ""
            label = (fill(translate("GubaoDialogs", NAMED_PLACES[scope]), name)
                     if name and scope in NAMED_PLACES else place_text(scope))
            self.combo.addItem(label, dict(place))
        self.combo.setEnabled(held is None and len(choices) > 1)
        row.addWidget(self.combo)
        row.addStretch(1)

    def fields(self) -> dict[str, Any]:
        """The chosen place's fields (``scope``, ``street_id``, ``community_id``)."""
        place = self.combo.currentData() or {}
        return {k: place.get(k) for k in ("scope", "street_id", "community_id")}


def _first_problem(dialog: StepDialog, entity: str, values: Mapping[str, Any],
                   messages: Mapping[str, str]) -> bool:
    """Show the first of the domain's problems with ``values`` (by field, in the person's
    words); ``True`` when there was one."""
    problems = gubao.record_problems(entity, values)
    if not problems:
        return False
    first = problems[0]
    dialog.show_error(messages.get(first.field) or first.message)
    return True


class EntryDialog(StepDialog):
    """A knowledge entry: new (blank, or from a question 鼓宝 could not answer) or one
    held, to change."""

    def __init__(self, question: str = "", parent: QWidget | None = None, *,
                 entry: Mapping[str, Any] | None = None,
                 places: Sequence[Mapping[str, Any]] = (),
                 today: dt.date | None = None) -> None:
        editing = entry is not None
        super().__init__(None, self.tr("Edit knowledge entry") if editing
                         else self.tr("New knowledge entry"), self.tr(
            "鼓宝 answers a resident's question with this entry when the question has one "
            "of its keywords (or a synonym of it) and reads like the question."),
            ok_text=self.tr("Save"), parent=parent)
        self.setObjectName("knowledge_entry_dialog")
        entry = entry or {}
        self.question = QLineEdit(str(entry.get("question") or question))
        self.question.setObjectName("entry_question")
        self.question.setMaxLength(200)
        self.keywords = QLineEdit(" ".join(entry.get("keywords") or []))
        self.keywords.setObjectName("entry_keywords")
        self.keywords.setPlaceholderText(self.tr(
            "Words residents use and their synonyms, separated by spaces"))
        self.answer = MessageText("entry_answer", self.tr("What Gubao posts to the group"),
                                  str(entry.get("answer") or ""))
        self._held = editing
        self.place = PlacePicker(places, entry if editing else None)
        today = today or dt.date.today()
        self.valid_from = _OptionalDate("valid_from", self.tr("From"),
                                        entry.get("valid_from"), today)
        self.valid_to = _OptionalDate("valid_to", self.tr("Until"), entry.get("valid_to"),
                                      today + dt.timedelta(days=90))
        period = QWidget()
        period_row = QHBoxLayout(period)
        period_row.setContentsMargins(0, 0, 0, 0)
        period_row.addWidget(self.valid_from)
        period_row.addWidget(self.valid_to)
        self.form.addRow(self.tr("Question"), self.question)
        self.form.addRow(self.tr("Keywords"), self.keywords)
        self.form.addRow(self.tr("Answer"), self.answer)
        self.form.addRow(self.tr("Applies to"), self.place)
        self.form.addRow(self.tr("Valid"), period)
        self.resize(600, 480)

    def values(self) -> dict[str, Any]:
        return {"question": self.question.text().strip(), "answer": self.answer.text(),
                "keywords": words_of(self.keywords.text()),
                "valid_from": self.valid_from.value(), "valid_to": self.valid_to.value()}

    def collect(self) -> dict[str, Any] | None:
        values = self.values()
        if not self._held:
            values.update(self.place.fields())
        if not values["question"] or not values["answer"]:
            self.show_error(self.tr("A question and an answer are needed."))
            return None
        if not values["keywords"]:
            self.show_error(self.tr("Give at least one keyword residents would use."))
            return None
        if _first_problem(self, "knowledge_entry", values, {
                "answer": self.tr("The answer is too long for one group message."),
                "keywords": self.tr("Keywords are single words of up to 32 characters, "
                                    "at most 30 of them."),
                "valid_to": self.tr("The end of the period is before its start.")}):
            return None
        return values


class AnnouncementDialog(StepDialog):
    """An announcement's draft: what kind, its title and text, the groups it goes to,
    when, and whether it repeats (every week, every public holiday)."""

    def __init__(self, ctx: DeskContext, grids: Sequence[GridChoice], parent: QWidget | None
                 = None, *, announcement: Mapping[str, Any] | None = None,
                 preset: Mapping[str, Any] | None = None) -> None:
        """``announcement``: the one to change; else a new one, starting from ``preset``
        (kind, title, text, grid ids) when given."""
        editing = announcement is not None
        super().__init__(ctx, self.tr("Edit announcement") if editing
                         else self.tr("New announcement"), self.tr(
            "Kept as a draft until it is scheduled; 鼓宝 posts it to the groups at its "
            "time, and a repeating one again each time it comes round."),
            ok_text=self.tr("Save"), parent=parent)
        self.setObjectName("announcement_dialog")
        self._clock = ctx.now
        row = announcement or preset or {}
        self.kind = QComboBox()
        self.kind.setObjectName("announcement_kind")
        kinds = {"notice": self.tr("Notice"), "activity": self.tr("Activity"),
                 "holiday": self.tr("Holiday greeting"), "welcome": self.tr("Welcome message")}
        for key in records.ANNOUNCEMENT_KINDS:
            self.kind.addItem(kinds[key], key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.get("kind") or "notice")))
        self.title_edit = QLineEdit(str(row.get("title") or ""))
        self.title_edit.setObjectName("announcement_title")
        self.title_edit.setMaxLength(128)
        self.text = MessageText("announcement_text", self.tr("What Gubao posts to the groups"),
                                str(row.get("text") or ""))
        self.grids = GridChecks(grids, list(row.get("grid_ids") or [])
                                if row else ([g.id for g in grids] if len(grids) == 1
                                             else ()))
        self.send_at = typeable(QDateTimeEdit())
        self.send_at.setObjectName("announcement_send_at")
        self.send_at.setCalendarPopup(True)
        self.send_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        when = row.get("send_at")
        local = (when.astimezone(SHANGHAI) if isinstance(when, dt.datetime)
                 else (ctx.now().astimezone(SHANGHAI) + dt.timedelta(days=1)).replace(
                     hour=8, minute=0, second=0, microsecond=0))
        self.send_at.setDateTime(QDateTime(qdate(local.date()),
                                           QTime(local.hour, local.minute)))
        self.recurrence = QComboBox()
        self.recurrence.setObjectName("announcement_recurrence")
        for key, label in (("none", self.tr("Once")),
                           ("weekly", self.tr("Every week, same day and time")),
                           ("holidays", self.tr("Every public holiday, at this time"))):
            self.recurrence.addItem(label, key)
        self.recurrence.setCurrentIndex(max(0, self.recurrence.findData(
            row.get("recurrence") or "none")))
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Title"), self.title_edit)
        self.form.addRow(self.tr("Text"), self.text)
        self.form.addRow(self.tr("Groups"), self.grids)
        self.form.addRow(self.tr("Goes at"), self.send_at)
        self.form.addRow(self.tr("Repeats"), self.recurrence)
        self._editing = editing
        self._intro = self.intro_label.text()
        self.kind.currentIndexChanged.connect(lambda _i: self._show_kind())
        self._show_kind()
        self.resize(620, 560)

    def _welcome(self) -> bool:
        return bool(self.kind.currentData() == "welcome")

    def _show_kind(self) -> None:
        """A welcome message goes to each newcomer as they join, never at a time to all
        (``server/announcements.py``): no time or repeat to choose, and its own title."""
        welcome = self._welcome()
        for field in (self.send_at, self.recurrence):
            self.form.setRowVisible(field, not welcome)
        if welcome:
            self.setWindowTitle(self.tr("Edit the welcome message") if self._editing
                                else self.tr("New welcome message"))
            self.intro_label.setText(self.tr(
                "Kept as a draft until it is scheduled; from then on 鼓宝 greets each "
                "newcomer to the groups with it, as they join."))
        else:
            self.setWindowTitle(self.tr("Edit announcement") if self._editing
                                else self.tr("New announcement"))
            self.intro_label.setText(self._intro)

    def moment(self) -> dt.datetime:
        when = self.send_at.dateTime()
        d, t = when.date(), when.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(),
                           tzinfo=SHANGHAI)

    def collect(self) -> dict[str, Any] | None:
        values = {"kind": self.kind.currentData(), "title": self.title_edit.text().strip(),
                  "text": self.text.text(), "grid_ids": self.grids.checked(),
                  "send_at": self.moment(), "recurrence": self.recurrence.currentData()}
        if self._welcome():  # in force from when it is saved: the latest of a group's wins
            values.update(send_at=self._clock(), recurrence="none")
        if not values["title"] or not values["text"]:
            self.show_error(self.tr("A title and a text are needed."))
            return None
        if not values["grid_ids"]:
            self.show_error(self.tr("Choose at least one group to post to."))
            return None
        if _first_problem(self, "announcement", values, {
                "text": self.tr("The text is too long for one group message.")}):
            return None
        return values


class CancelAnnouncementDialog(StepDialog):
    """Cancelling an announcement (it cannot be undone): why, if the person says."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(None, self.tr("Cancel the announcement"), fill(self.tr(
            "“%1” will not be sent (a repeating one not again). This cannot be undone."),
            title), ok_text=self.tr("Cancel the announcement"), parent=parent)
        self.setObjectName("cancel_announcement_dialog")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Keep it"))
        self.reason = QLineEdit()
        self.reason.setObjectName("cancel_reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("Optional"))
        self.form.addRow(self.tr("Why"), self.reason)

    def collect(self) -> dict[str, Any] | None:
        reason = self.reason.text().strip()
        return {"reason": reason} if reason else {}


class RuleDialog(StepDialog):
    """An alert rule: the words that fire it (and the words that must come with them),
    its level, who is alerted, whether it is on; a dry run over the last 30 days of
    messages shows what the rule as typed would have fired on, before it is saved.

    Signals:
        dry_run_requested(dict): the rule as typed (the section runs it and calls
            :meth:`show_dry_run`).
    """

    dry_run_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None, *,
                 rule: Mapping[str, Any] | None = None,
                 places: Sequence[Mapping[str, Any]] = ()) -> None:
        editing = rule is not None
        super().__init__(None, self.tr("Edit alert rule") if editing
                         else self.tr("New alert rule"), self.tr(
            "A message in a group that has one of the words (and, if given, one of the "
            "words that must come with them) raises an alert; an urgent one also files an "
            "urgent ticket."), ok_text=self.tr("Save"), parent=parent)
        self.setObjectName("alert_rule_dialog")
        row = rule or {}
        self.name = QLineEdit(str(row.get("name") or ""))
        self.name.setObjectName("rule_name")
        self.name.setMaxLength(64)
        self.keywords = QLineEdit(" ".join(row.get("keywords") or []))
        self.keywords.setObjectName("rule_keywords")
        self.keywords.setPlaceholderText(self.tr("Any of these words, separated by spaces"))
        self.with_words = QLineEdit(" ".join(row.get("with_words") or []))
        self.with_words.setObjectName("rule_with_words")
        self.with_words.setPlaceholderText(self.tr("Optional: only together with one of these"))
        self.level = QComboBox()
        self.level.setObjectName("rule_level")
        self.level.addItem(self.tr("Urgent (files an urgent ticket)"), "urgent")
        self.level.addItem(self.tr("Watch"), "watch")
        self.level.setCurrentIndex(max(0, self.level.findData(row.get("level") or "urgent")))
        notify_labels = {"grid_worker": self.tr("The grid's social worker"),
                         "community_clerks": self.tr("The community's clerks"),
                         "street_duty": self.tr("The street's duty officer")}
        chosen = row.get("notify") if editing else list(records.ALERT_NOTIFY[:2])
        notify = QWidget()
        notify_row = QHBoxLayout(notify)
        notify_row.setContentsMargins(0, 0, 0, 0)
        self.notify: list[tuple[str, QCheckBox]] = []
        for key in records.ALERT_NOTIFY:
            box = QCheckBox(notify_labels[key])
            box.setChecked(key in (chosen or []))
            notify_row.addWidget(box)
            self.notify.append((key, box))
        notify_row.addStretch(1)
        self._held = editing
        self.place = PlacePicker(places, rule)
        self.active = QCheckBox(self.tr("The rule is on"))
        self.active.setObjectName("rule_active")
        self.active.setChecked(row.get("active") is not False)
        self.dry_run_button = QPushButton(self.tr("Dry run over the last 30 days"))
        self.dry_run_button.setObjectName("rule_dry_run")
        self.dry_run_summary = QLabel("")
        self.dry_run_summary.setObjectName("muted")
        self.dry_run_summary.setWordWrap(True)
        self.dry_run_list = QListWidget()
        self.dry_run_list.setObjectName("rule_dry_run_list")
        self.dry_run_list.setMinimumHeight(110)
        self.dry_run_list.setWordWrap(True)  # a long message wraps, never scrolls sideways
        self.dry_run_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        run_row = QHBoxLayout()
        run_row.addWidget(self.dry_run_button)
        run_row.addWidget(self.dry_run_summary, 1)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Keywords"), self.keywords)
        self.form.addRow(self.tr("Together with"), self.with_words)
        self.form.addRow(self.tr("Level"), self.level)
        self.form.addRow(self.tr("Alert"), notify)
        self.form.addRow(self.tr("Applies to"), self.place)
        self.form.addRow("", self.active)
        self.form.addRow(run_row)
        self.form.addRow(self.dry_run_list)
        self.dry_run_button.clicked.connect(self._ask_dry_run)
        # As tall as its rows ask (styled: polished first). At a fixed 560 px it opened at
        # its computed minimum, which the wrapped texts make too small: the dry run's list
        # lay over the top of 保存 and 取消.
        self.ensurePolished()
        self.resize(680, max(560, self.sizeHint().height()))

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "keywords": words_of(self.keywords.text()),
                "with_words": words_of(self.with_words.text()),
                "level": self.level.currentData(),
                "notify": [key for key, box in self.notify if box.isChecked()],
                "active": self.active.isChecked()}

    def _check(self, values: Mapping[str, Any]) -> bool:
        if not values["keywords"]:
            self.show_error(self.tr("Give at least one word that fires the rule."))
            return False
        if _first_problem(self, "alert_rule", values, {
                "keywords": self.tr("Keywords are single words of up to 32 characters, "
                                    "at most 30 of them."),
                "with_words": self.tr("Keywords are single words of up to 32 characters, "
                                      "at most 30 of them.")}):
            return False
        self.show_error("")
        return True

    def _ask_dry_run(self) -> None:
        values = self.values()
        if self._check(values):
            self.dry_run_summary.setText(self.tr("Looking through the messages…"))
            self.dry_run_requested.emit({**values, "active": True})

    def show_dry_run(self, fired: Sequence[Mapping[str, Any]], lines: Sequence[str]) -> None:
        self.dry_run_summary.setText(self.tr(
            "As typed, it would have fired %n time(s) in the last 30 days", "", len(fired)))
        self.dry_run_list.clear()
        self.dry_run_list.addItems(list(lines))

    def collect(self) -> dict[str, Any] | None:
        values = self.values()
        if not values["name"]:
            self.show_error(self.tr("Give the rule a name."))
            return None
        if not values["notify"]:
            self.show_error(self.tr("Choose who is alerted."))
            return None
        if not self._held:
            values.update(self.place.fields())
        return values if self._check(values) else None


class ServiceDialog(StepDialog):
    """A service of the catalogue (便民服务目录): what 鼓宝 answers "怎么办 X" with."""

    def __init__(self, parent: QWidget | None = None, *,
                 item: Mapping[str, Any] | None = None,
                 places: Sequence[Mapping[str, Any]] = ()) -> None:
        editing = item is not None
        super().__init__(None, self.tr("Edit service") if editing else self.tr("New service"),
                         self.tr("鼓宝 answers residents asking how to get this done with "
                                 "where, when, what to bring and the steps."),
                         ok_text=self.tr("Save"), parent=parent)
        self.setObjectName("service_dialog")
        row = item or {}
        self.category = QComboBox()
        self.category.setObjectName("service_category")
        for value in records.SERVICE_CATEGORIES:  # read in the UI's language, stored as is
            self.category.addItem(service_category_label(value), value)
        category = str(row.get("category") or records.SERVICE_CATEGORIES[0])
        if self.category.findData(category) < 0:
            self.category.addItem(category, category)
        self.category.setCurrentIndex(self.category.findData(category))
        self.name = QLineEdit(str(row.get("name") or ""))
        self.name.setObjectName("service_name")
        self.name.setMaxLength(128)
        self.address = QLineEdit(str(row.get("address") or ""))
        self.address.setObjectName("service_address")
        self.address.setMaxLength(200)
        self.hours = QLineEdit(str(row.get("hours") or ""))
        self.hours.setObjectName("service_hours")
        self.hours.setMaxLength(128)
        self.phone = QLineEdit(str(row.get("phone") or ""))
        self.phone.setObjectName("service_phone")
        self.phone.setMaxLength(32)
        self.documents = QLineEdit("、".join(row.get("documents") or []))
        self.documents.setObjectName("service_documents")
        self.documents.setPlaceholderText(self.tr("What to bring, separated by 、 or spaces"))
        self.steps = QPlainTextEdit(str(row.get("steps") or ""))
        self.steps.setObjectName("service_steps")
        self.steps.setFixedHeight(80)
        self.link = QLineEdit(str(row.get("online_link") or ""))
        self.link.setObjectName("service_link")
        self.link.setPlaceholderText("https://")
        self.link.setMaxLength(256)
        self.keywords = QLineEdit(" ".join(row.get("keywords") or []))
        self.keywords.setObjectName("service_keywords")
        self.keywords.setPlaceholderText(self.tr("Other words residents use for it"))
        self.active = QCheckBox(self.tr("Offered (鼓宝 answers with it)"))
        self.active.setObjectName("service_active")
        self.active.setChecked(row.get("active") is not False)
        self._held = editing
        self.place = PlacePicker(places, item)
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Service"), self.name)
        self.form.addRow(self.tr("Where"), self.address)
        self.form.addRow(self.tr("Hours"), self.hours)
        self.form.addRow(self.tr("Phone"), self.phone)
        self.form.addRow(self.tr("Materials"), self.documents)
        self.form.addRow(self.tr("Steps"), self.steps)
        self.form.addRow(self.tr("Online"), self.link)
        self.form.addRow(self.tr("Keywords"), self.keywords)
        self.form.addRow(self.tr("Applies to"), self.place)
        self.form.addRow("", self.active)
        self.resize(620, 600)

    def collect(self) -> dict[str, Any] | None:
        values = {"category": str(self.category.currentData() or "").strip(),
                  "name": self.name.text().strip(),
                  "address": self.address.text().strip() or None,
                  "hours": self.hours.text().strip() or None,
                  "phone": self.phone.text().strip() or None,
                  "documents": words_of(self.documents.text()),
                  "steps": self.steps.toPlainText().strip() or None,
                  "online_link": self.link.text().strip() or None,
                  "keywords": words_of(self.keywords.text()),
                  "active": self.active.isChecked()}
        if not values["name"] or not values["category"]:
            self.show_error(self.tr("A category and a name are needed."))
            return None
        if not self._held:
            values.update(self.place.fields())
        if _first_problem(self, "service_item", values, {
                "online_link": self.tr("An online link starts with http:// or https://"),
                "documents": self.tr("Materials are short names of up to 32 characters, "
                                     "at most 30 of them."),
                "keywords": self.tr("Keywords are single words of up to 32 characters, "
                                    "at most 30 of them.")}):
            return None
        return values

