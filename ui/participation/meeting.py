"""An offline consultation meeting (线下协商会): when and where, who came (residents by
household, staff, the property company, other parties), the minutes, photos of the
meeting and the votes taken in the room, which join the online count.

Photos are kept like visit photos: imported into this device's encrypted store (checked,
resized, without EXIF) and referred to by their hash; the sync uploads them before the
meeting. The households to choose from are read by the section beforehand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QSize, Qt, QTime
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import participation
from gulou_desk.records import SHANGHAI
from gulou_desk.store.participation_queries import HouseholdChoice
from gulou_desk.store.ticket_queries import StaffOption
from ui.background import Lane, Op, Progress
from ui.participation import labels as L
from ui.shell.context import DeskContext
from ui.shell.date_fields import typeable
from ui.shell.photo_tile import removable_tile
from ui.shell.step_dialog import StepDialog
from ui.visits.messages import describe_photo_error
from ui.workflow_labels import fill

THUMB_PX = 72
ATTENDEE_ROLE = Qt.ItemDataRole.UserRole


def photo_tile(thumbnail: bytes | None, tip: str, size: int = THUMB_PX) -> QLabel:
    """A photo's thumbnail as a square tile (a camera where it is not on this device)."""
    picture = QLabel()
    picture.setObjectName("photo_tile")
    picture.setFixedSize(QSize(size, size))
    picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
    picture.setToolTip(tip)
    pixmap = QPixmap()
    if thumbnail and pixmap.loadFromData(thumbnail):
        picture.setPixmap(pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation))
    else:
        picture.setText("📷")
    return picture


class MeetingDialog(StepDialog):
    """The meeting (see the module docstring); :meth:`collect` gives the record's fields."""

    def __init__(self, ctx: DeskContext, consultation: dict[str, Any],
                 households: Sequence[HouseholdChoice] = (),
                 staff: Sequence[StaffOption] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Record a meeting"), fill(self.tr(
            "The meeting on “%1”: its votes are added to what residents said online, so "
            "the decision shows both."), str(consultation.get("topic") or "")),
            draft_kind="consultation_meeting", record_id=str(consultation["id"]),
            ok_text=self.tr("Keep the meeting"), parent=parent)
        self._ctx_desk = ctx.desk
        self._consultation_id = str(consultation["id"])
        self._households = {h.id: h for h in households}
        self._staff = {s.id: s for s in staff}
        self.photos: list[str] = []
        self.held = typeable(QDateTimeEdit())
        self.held.setObjectName("meeting_held_at")
        self.held.setDisplayFormat("yyyy-MM-dd HH:mm")
        now = ctx.now().astimezone(SHANGHAI)
        self.held.setDateTime(QDateTime(QDate(now.year, now.month, now.day),
                                        QTime(now.hour, 0)))
        self.place = QLineEdit()
        self.place.setObjectName("meeting_place")
        self.form.addRow(self.tr("Held"), self.held)
        self.form.addRow(self.tr("Place"), self.place)
        self.form.addRow(self.tr("Attendees"), self._attendees_box(households, staff))
        self.minutes = QPlainTextEdit()
        self.minutes.setObjectName("meeting_minutes")
        self.minutes.setFixedHeight(52)
        self.minutes.setTabChangesFocus(True)
        self.form.addRow(self.tr("Minutes"), self.minutes)
        self.form.addRow(self.tr("Photos"), self._photos_box())
        self.form.addRow(self.tr("Votes in the room"),
                         self._votes_box(list(consultation.get("options") or [])))
        self.setMinimumWidth(620)

    # -- attendees -------------------------------------------------------------------

    def _attendees_box(self, households: Sequence[HouseholdChoice],
                       staff: Sequence[StaffOption]) -> QWidget:
        self.attendee_kind = QComboBox()
        self.attendee_kind.setObjectName("attendee_kind")
        for code in participation.ATTENDEE_KINDS:
            self.attendee_kind.addItem(L.attendee_kind_label(code), code)
        self.household = QComboBox()
        self.household.setObjectName("attendee_household")
        self.household.setEditable(True)
        self.household.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.household.setMinimumWidth(170)
        for h in households:
            self.household.addItem(fill("%1 %2", h.address, h.head_name).strip(), h.id)
        self.household.setCurrentIndex(-1)
        edit = self.household.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("Household"))
        # Colleagues are chosen from the staff directory (kept with their id), not typed.
        self.staff_member = QComboBox()
        self.staff_member.setObjectName("attendee_staff")
        self.staff_member.setEditable(True)
        self.staff_member.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.staff_member.setMinimumWidth(170)
        for member in staff:
            self.staff_member.addItem(member.name, member.id)
        self.staff_member.setCurrentIndex(-1)
        edit = self.staff_member.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("Colleague"))
        self.attendee_name = QLineEdit()
        self.attendee_name.setObjectName("attendee_name")
        self.add_attendee_button = QPushButton(self.tr("Add"))
        self.add_attendee_button.setObjectName("add_attendee")
        self.attendee_list = QListWidget()
        self.attendee_list.setObjectName("meeting_attendees")
        self.attendee_list.setFixedHeight(78)
        self.remove_attendee_button = QPushButton(self.tr("Remove"))
        self.remove_attendee_button.setObjectName("remove_attendee")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.attendee_kind)
        row.addWidget(self.household, 2)
        row.addWidget(self.staff_member, 2)
        row.addWidget(self.attendee_name, 1)
        row.addWidget(self.add_attendee_button)
        listed = QHBoxLayout()
        listed.setContentsMargins(0, 0, 0, 0)
        listed.addWidget(self.attendee_list, 1)
        listed.addWidget(self.remove_attendee_button, 0, Qt.AlignmentFlag.AlignTop)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(row)
        column.addLayout(listed)
        self.attendee_kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.add_attendee_button.clicked.connect(self.add_attendee)
        self.remove_attendee_button.clicked.connect(self._remove_attendee)
        self._kind_changed()
        return box

    def _kind_changed(self) -> None:
        kind = str(self.attendee_kind.currentData())
        self.household.setVisible(kind == "resident")
        self.staff_member.setVisible(kind == "staff" and bool(self._staff))
        self.attendee_name.setVisible(kind != "staff" or not self._staff)
        self.attendee_name.setPlaceholderText({
            "resident": self.tr("Name (else the head of the household)"),
            "staff": self.tr("Name"),
            "property": self.tr("Company and name"),
            "other": self.tr("Organisation and name"),
        }[kind])

    def add_attendee(self) -> None:
        """The person described by the row above the list joins it."""
        kind = str(self.attendee_kind.currentData())
        attendee: dict[str, Any] = {"kind": kind}
        name = self.attendee_name.text().strip()
        if kind == "resident" and self.household.currentText().strip():
            index = self.household.findText(self.household.currentText())
            if index < 0:
                self.show_error(self.tr("Choose the household from the list."))
                return
            household = self._households[str(self.household.itemData(index))]
            attendee["household_id"] = household.id
            name = name or household.head_name
        if kind == "staff" and self._staff:
            index = self.staff_member.findText(self.staff_member.currentText())
            if index < 0:
                self.show_error(self.tr("Choose the colleague from the list."))
                return
            member = self._staff[str(self.staff_member.itemData(index))]
            attendee["staff_id"] = member.id
            name = member.name
        if not name:
            self.show_error(self.tr("Who came? Give a name."))
            return
        attendee["name"] = name[:64]
        self.show_error("")
        self._list_attendee(attendee)
        self.attendee_name.clear()
        self.household.setCurrentIndex(-1)
        self.household.clearEditText()
        self.staff_member.setCurrentIndex(-1)
        self.staff_member.clearEditText()

    def _list_attendee(self, attendee: dict[str, Any]) -> None:
        text = fill("%1 · %2", L.attendee_kind_label(str(attendee["kind"])),
                    str(attendee["name"]))
        household = self._households.get(str(attendee.get("household_id") or ""))
        if household is not None:
            text = fill("%1（%2）", text, household.address)
        item = QListWidgetItem(text)
        item.setData(ATTENDEE_ROLE, attendee)
        self.attendee_list.addItem(item)

    def _remove_attendee(self) -> None:
        for item in self.attendee_list.selectedItems():
            self.attendee_list.takeItem(self.attendee_list.row(item))

    def attendees(self) -> list[dict[str, Any]]:
        return [dict(self.attendee_list.item(i).data(ATTENDEE_ROLE))
                for i in range(self.attendee_list.count())]

    # -- photos ----------------------------------------------------------------------

    def _photos_box(self) -> QWidget:
        self.photo_strip = QHBoxLayout()
        self.photo_strip.setContentsMargins(0, 0, 0, 0)
        self.add_photos_button = QPushButton(self.tr("Add photos…"))
        self.add_photos_button.setObjectName("add_meeting_photos")
        self.add_photos_button.clicked.connect(self._pick_photos)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(self.photo_strip)
        row.addWidget(self.add_photos_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)
        return box

    def _pick_photos(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add photos"), str(Path.home()),
            self.tr("Pictures (*.jpg *.jpeg *.png *.webp);;All files (*)"))
        if names:
            self.import_photos([Path(n) for n in names])

    def import_photos(self, paths: Sequence[Path]) -> None:
        """Into the store in the background; good ones appear, bad ones are told."""
        desk = self._ctx_desk

        def work(progress: Progress) -> tuple[list[str], list[tuple[str, str, int | None]],
                                              dict[str, bytes]]:
            kept, refused = desk.import_photos(paths)
            return kept, refused, desk.thumbnails(kept)

        def done(result: tuple[list[str], list[tuple[str, str, int | None]],
                               dict[str, bytes]]) -> None:
            kept, refused, thumbs = result
            for sha in kept:
                self._add_photo(sha, thumbs.get(sha))
            self.show_error("\n".join(f"{name}: {describe_photo_error(code, limit)}"
                                      for name, code, limit in refused))

        Op(self, work, lane=Lane.WRITE, name="meeting_photos").success(done).failure(
            lambda error: self.show_error(error.message)).run()

    def _add_photo(self, sha: str, thumbnail: bytes | None) -> None:
        if sha in self.photos or len(self.photos) >= participation.MAX_MEETING_PHOTOS:
            return
        self.photos.append(sha)
        tile = removable_tile(photo_tile(thumbnail, sha[:12]), self.tr("Remove"),
                              self.tr("Remove this photo from the meeting"),
                              lambda: self._remove_photo(sha, tile), name="meeting_photo")
        self.photo_strip.addWidget(tile)

    def _remove_photo(self, sha: str, tile: QWidget) -> None:
        if sha in self.photos:
            self.photos.remove(sha)
        self.photo_strip.removeWidget(tile)
        tile.deleteLater()

    # -- votes -----------------------------------------------------------------------

    def _votes_box(self, options: list[str]) -> QWidget:
        self.votes: dict[str, QSpinBox] = {}
        keys = [("support", self.tr("For")), ("oppose", self.tr("Against")),
                ("abstain", self.tr("Abstain"))]
        keys += [(participation.letter(i), fill(self.tr("Option %1"), participation.letter(i)))
                 for i in range(len(options))]
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        for n, (key, label) in enumerate(keys):
            spin = QSpinBox()
            spin.setObjectName(f"meeting_votes_{key}")
            spin.setRange(0, 100_000)
            spin.setAccessibleName(label)
            self.votes[key] = spin
            row, column = divmod(n, 3)
            grid.addWidget(QLabel(label), row, column * 2)
            grid.addWidget(spin, row, column * 2 + 1)
        return box

    # -- the dialog ------------------------------------------------------------------

    def collect(self) -> dict[str, Any] | None:
        when = self.held.dateTime()
        d, t = when.date(), when.time()
        return {"consultation_id": self._consultation_id,
                "held_at": dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(),
                                       tzinfo=SHANGHAI),
                "place": self.place.text().strip() or None,
                "attendees": self.attendees(),
                "minutes": self.minutes.toPlainText().strip() or None,
                "photos": list(self.photos),
                "votes": {k: box.value() for k, box in self.votes.items() if box.value()}}

    def draft_payload(self) -> dict[str, Any]:
        return {"minutes": self.minutes.toPlainText(), "attendees": self.attendees()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.minutes.setPlainText(str(payload.get("minutes") or ""))
        self.attendee_list.clear()
        for attendee in payload.get("attendees") or []:
            if isinstance(attendee, dict) and attendee.get("kind") in \
                    participation.ATTENDEE_KINDS and attendee.get("name"):
                self._list_attendee(attendee)
