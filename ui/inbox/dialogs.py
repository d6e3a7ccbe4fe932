"""Dialogs of the inbox steps: make a ticket (prefilled), link to a ticket, dismiss with
a reason, reply to the group (with canned replies), and edit the canned replies."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain.workflows import reply_for_group
from gulou_desk.records import REPLY_MAX_LENGTH
from gulou_desk.store.inbox_queries import (
    ConvertDraft,
    HouseholdGuess,
    MessageView,
    convert_draft,
    search_households,
)
from ui.background import Op, Progress
from ui.inbox.canned import CannedReplies
from ui.shell.context import DeskContext
from ui.shell.step_dialog import StepDialog
from ui.shell.wrapped_label import WrappedLabel
from ui.tickets.dialogs import (
    SEARCH_DELAY_MS,
    TicketPicker,
    category_combo,
    priority_combo,
    text_box,
)
from ui.workflow_labels import fill

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole


def quote(messages: list[MessageView]) -> str:
    first = messages[0]
    text = " ".join(first.text.split())
    if len(text) > 80:
        text = text[:79] + "…"
    who = first.sender_name or ""
    return f"{who}: {text}" if who else text


class ConvertDialog(StepDialog):
    """Make a ticket of one or more messages: the first becomes the ticket's source, the
    others are linked to it. Title, category (from the bot's keyword), priority and a
    household are guessed; the clerk corrects what is wrong."""

    def __init__(self, ctx: DeskContext, messages: list[MessageView],
                 parent: QWidget | None = None) -> None:
        count = len(messages)
        intro = (self.tr("From: %1").replace("%1", quote(messages)) if count == 1 else
                 self.tr("%n messages become one ticket; the first is its source, the "
                         "others are linked to it.", "", count))
        super().__init__(ctx, self.tr("Make a ticket"), intro, draft_kind="inbox_convert",
                         record_id=messages[0].id, ok_text=self.tr("Make the ticket"),
                         parent=parent)
        self.setMinimumWidth(560)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.desk = ctx.desk
        self.messages = messages
        self.grid_id = messages[0].grid_id
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setMaxLength(128)
        self.category = category_combo()
        self.priority = priority_combo()
        self.household = QComboBox()
        self.household.setObjectName("household")
        self.household.addItem(self.tr("No household"), None)
        self.household_search = QLineEdit()
        self.household_search.setObjectName("household_search")
        self.household_search.setPlaceholderText(
            self.tr("Find another household: name, address or phone"))
        self.household_search.setClearButtonEnabled(True)
        self.description = text_box("", 90)
        self.description.setObjectName("description")
        self.form.addRow(self.tr("Title"), self.title_edit)
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Priority"), self.priority)
        self.form.addRow(self.tr("Household"), self.household)
        self.form.addRow("", self.household_search)
        self.form.addRow(self.tr("Description"), self.description)
        self.guess_note = QLabel()
        self.guess_note.setObjectName("dialog_intro")
        self.guess_note.setWordWrap(True)
        self.form.addRow("", self.guess_note)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._find_households)
        self.household_search.textChanged.connect(lambda _t: self._timer.start())
        self.prefilled = False
        desk, ids = ctx.desk, [m.id for m in messages]

        def read(progress: Progress) -> ConvertDraft | None:
            return desk.read(convert_draft, ids)

        Op(self, read, name="convert_draft").success(self._prefill).run()

    def _prefill(self, draft: ConvertDraft | None) -> None:
        if draft is None:
            return
        if not self.title_edit.text():
            self.title_edit.setText(draft.title)
        if not self.description.toPlainText():
            self.description.setPlainText(draft.description)
        self.category.setCurrentIndex(max(self.category.findData(draft.category), 0))
        self.priority.setCurrentIndex(max(self.priority.findData(draft.priority), 0))
        self._set_households(draft.households, select_first=True)
        reasons = {"phone": self.tr("the phone number"), "name": self.tr("the sender's name"),
                   "address": self.tr("the address in the message")}
        if draft.households:
            self.guess_note.setText(fill(self.tr("Household guessed from %1; check it."),
                                         reasons.get(draft.households[0].reason, "")))
        else:
            self.guess_note.setText(self.tr("No household found from the message; find "
                                            "one, or leave it empty."))
        self.prefilled = True

    def _set_households(self, guesses: tuple[HouseholdGuess, ...] | list[HouseholdGuess],
                        *, select_first: bool) -> None:
        chosen = self.household.currentData()
        self.household.clear()
        self.household.addItem(self.tr("No household"), None)
        for guess in guesses:
            self.household.addItem(f"{guess.head_name} · {guess.address}", guess.id)
        if select_first and guesses:
            self.household.setCurrentIndex(1)
        elif chosen:
            self.household.setCurrentIndex(max(self.household.findData(chosen), 0))

    def _find_households(self) -> None:
        text = self.household_search.text().strip()
        if not text:
            return
        desk, grid = self.desk, self.grid_id

        def read(progress: Progress) -> list[HouseholdGuess]:
            return desk.read(search_households, text, grid_id=grid, limit=15)

        Op(self, read, name="search_households").success(
            lambda found: self._set_households(found, select_first=True)).run()

    def collect(self) -> dict[str, Any] | None:
        title = self.title_edit.text().strip()
        if not title:
            self.show_error(self.tr("Give the ticket a short title."))
            self.title_edit.setFocus()
            return None
        household = self.household.currentData()
        if not self.grid_id and not household:
            self.show_error(self.tr("This message came from a group that is not linked to "
                                    "a grid: choose the household it is about."))
            return None
        args: dict[str, Any] = {
            "title": title, "category": self.category.currentData(),
            "priority": self.priority.currentData(),
            "description": self.description.toPlainText().strip() or None,
        }
        if household:
            args["household_id"] = household
        return args

    def draft_payload(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "description": self.description.toPlainText()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.title_edit.setText(str(payload.get("title") or ""))
        self.description.setPlainText(str(payload.get("description") or ""))


class LinkDialog(StepDialog):
    """Link messages to a ticket that already exists (the neighbours' duplicates)."""

    def __init__(self, ctx: DeskContext, messages: list[MessageView],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Link to a ticket"), self.tr(
            "%n message(s) report a problem that a ticket already tracks; they are linked "
            "to it and leave the inbox.", "", len(messages)),
            ok_text=self.tr("Link"), parent=parent)
        self.picker = TicketPicker(ctx, grid_id=messages[0].grid_id, on_chosen=self.accept,
                                   parent=self)
        self.form.addRow(self.picker)

    def collect(self) -> dict[str, Any] | None:
        chosen = self.picker.chosen_id()
        if chosen is None:
            self.show_error(self.tr("Choose the ticket."))
            return None
        return {"ticket_id": chosen}


class DismissDialog(StepDialog):
    """Dismiss messages that are not requests (chat, thanks, adverts), with a reason."""

    def __init__(self, ctx: DeskContext, messages: list[MessageView],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Dismiss"), self.tr(
            "%n message(s) leave the inbox without a ticket. The reason is kept.", "",
            len(messages)), draft_kind="inbox_dismiss", record_id=messages[0].id,
            ok_text=self.tr("Dismiss"), parent=parent)
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for text in (self.tr("Not a request: chat in the group"), self.tr("Already solved"),
                     self.tr("Advertisement"), self.tr("Duplicate message"),
                     self.tr("A resident saying thank you")):
            self.reason.addItem(text)
        self.form.addRow(self.tr("Reason"), self.reason)

    def collect(self) -> dict[str, Any] | None:
        reason = self.reason.currentText().strip()
        if not reason:
            self.show_error(self.tr("Give a reason."))
            return None
        return {"reason": reason}

    def draft_payload(self) -> dict[str, Any]:
        return {"reason": self.reason.currentText() if self.reason.currentIndex() < 0 else ""}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        if payload.get("reason"):
            self.reason.setEditText(str(payload["reason"]))


class ReplyDialog(StepDialog):
    """Reply to the resident in their group (the bot posts it); Ctrl+Enter sends."""

    def __init__(self, ctx: DeskContext, message: MessageView,
                 parent: QWidget | None = None) -> None:
        where = message.group_name or self.tr("the resident")
        super().__init__(ctx, self.tr("Reply in the group"),
                         fill(self.tr("To %1 · %2"), where, quote([message])),
                         draft_kind="inbox_reply", record_id=message.id,
                         ok_text=self.tr("Send"), parent=parent)
        self.setMinimumWidth(560)
        self.canned_store = CannedReplies.in_folder(ctx.folder())
        self.text = text_box(self.tr("Your answer; the bot posts it in the group"), 110)
        self.text.setObjectName("reply_text")
        self.canned = QListWidget()
        self.canned.setObjectName("canned_replies")
        self.canned.setMaximumHeight(130)
        self.canned.setWordWrap(True)
        self.canned.itemClicked.connect(self._use_canned)
        self.canned.itemActivated.connect(self._use_canned)
        self.edit_canned = QPushButton(self.tr("Edit canned replies…"))
        self.edit_canned.setObjectName("edit_canned")
        self.edit_canned.clicked.connect(self._edit_canned)
        canned_row = QVBoxLayout()
        canned_row.setContentsMargins(0, 0, 0, 0)
        canned_row.addWidget(self.canned)
        canned_row.addWidget(self.edit_canned, 0, Qt.AlignmentFlag.AlignRight)
        holder = QWidget()
        holder.setLayout(canned_row)
        self._message = message
        self.count = QLabel()
        self.count.setObjectName("reply_count")
        self.preview = WrappedLabel()
        self.preview.setObjectName("reply_preview")
        self.text.textChanged.connect(self._text_changed)
        self.form.addRow(self.tr("Reply"), self.text)
        self.form.addRow("", self.count)
        self.form.addRow(self.tr("Posted as"), self.preview)
        self.form.addRow(self.tr("Canned replies"), holder)
        self.ok_button.setToolTip(self.tr("Send (Ctrl+Enter)"))  # the key: StepDialog's
        self._fill_canned(self.canned_store.load())
        self._text_changed()
        self.text.setFocus()

    def _text_changed(self) -> None:
        """The count against the cap (red beyond it) and the text as the group reads it."""
        length = len(self.text.toPlainText().strip())
        self.count.setText(fill(self.tr("%1 / %2 characters"), str(length),
                                str(REPLY_MAX_LENGTH)))
        self.count.setProperty("over", length > REPLY_MAX_LENGTH)
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)
        text = self.text.toPlainText().strip()
        self.preview.setText(reply_for_group({"sender_name": self._message.sender_name},
                                             text) if text else "—")

    def _fill_canned(self, replies: list[str]) -> None:
        self.canned.clear()
        for reply in replies:
            item = QListWidgetItem(reply)
            item.setToolTip(self.tr("Click to use this reply"))
            self.canned.addItem(item)

    def _use_canned(self, item: QListWidgetItem) -> None:
        self.text.setPlainText(item.text())
        self.text.setFocus()

    def _edit_canned(self) -> None:
        dialog = CannedRepliesDialog(self.canned_store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _kept: self._fill_canned(self.canned_store.load()))
        self.canned_dialog = dialog
        dialog.open()

    def collect(self) -> dict[str, Any] | None:
        text = self.text.toPlainText().strip()
        if not text:
            self.show_error(self.tr("Write the reply first, or choose a canned reply."))
            return None
        if len(text) > REPLY_MAX_LENGTH:
            self.show_error(fill(self.tr(
                "A reply can be at most %1 characters; this one has %2. Shorten it, or "
                "make a ticket for what needs more."), str(REPLY_MAX_LENGTH), str(len(text))))
            return None
        return {"text": text}

    def draft_payload(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.text.setPlainText(str(payload.get("text") or ""))


class CannedRepliesDialog(StepDialog):
    """Edit the list of canned replies (one per line of the list)."""

    saved = Signal(list)

    def __init__(self, replies: CannedReplies, parent: QWidget | None = None) -> None:
        super().__init__(None, self.tr("Canned replies"), self.tr(
            "Double-click a reply to change it. The list is kept on this computer."),
            ok_text=self.tr("Save"), parent=parent)
        self._replies = replies
        self.list = QListWidget()
        self.list.setObjectName("canned_list")
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(220)
        for reply in replies.own():  # the user's own (the district's are the admins')
            self._add(reply)
        add = QPushButton(self.tr("Add"))
        add.setObjectName("canned_add")
        add.clicked.connect(lambda: self._add("", edit=True))
        remove = QPushButton(self.tr("Remove"))
        remove.setObjectName("canned_remove")
        remove.clicked.connect(self._remove)
        reset = QPushButton(self.tr("Restore the defaults"))
        reset.setObjectName("canned_reset")
        reset.clicked.connect(self._reset)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(reset)
        self.form.addRow(self.list)
        self.form.addRow(buttons)

    def _add(self, text: str, *, edit: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)
        if edit:
            self.list.setCurrentItem(item)
            self.list.editItem(item)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def _reset(self) -> None:
        self.list.clear()
        for reply in CannedReplies.defaults():
            self._add(reply)

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def collect(self) -> dict[str, Any] | None:
        try:
            kept = self._replies.save(self.texts())
        except OSError:
            log.warning("canned replies not saved", exc_info=True)
            self.show_error(self.tr("The list could not be saved on this computer."))
            return None
        self.saved.emit(kept)
        return {"replies": kept}
