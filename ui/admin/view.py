"""The administration section (管理): staff, covers, WeChat groups, visit forms and
catalogues (admins; ``ui/admin/forms.py``, ``ui/admin/catalogue.py``) and the audit log.

For admins, and for a street's supervisors over their street. Every step is a push
mutation of the sync protocol taken through the account's desk (offline first, checked
again by the server): creating a person and giving them a one-time password, disabling
and enabling, resetting a password, placing a worker in grids, a cover, mapping a group.
The audit log is read from the server on demand (``ctx.online``), never synced.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.records import SHANGHAI
from gulou_desk.store import ChangeSet
from gulou_desk.store.admin_queries import (
    CoverRow,
    DeviceRow,
    FormVersion,
    GroupRow,
    Place,
    StaffRow,
    audit_table,
    catalogue_entries,
    cover_rows,
    form_versions,
    group_rows,
    places,
    staff_devices,
    staff_rows,
    waiting_messages,
)
from ui import palette
from ui.admin.catalogue import CatalogueTab
from ui.admin.forms import FormsTab
from ui.background import Lane, Op, OpError, Progress
from ui.navigation import role_title
from ui.record_labels import entity_label
from ui.shell.context import DeskContext
from ui.shell.date_fields import typeable
from ui.shell.empty_state import EmptyState
from ui.shell.history import OP_LABELS, HistoryDialog, op_label
from ui.shell.paged_list import SEARCH_DELAY_MS, NoticeLabel, bind_keys
from ui.shell.record_table import RecordTable
from ui.shell.section import DeskSection
from ui.shell.step_dialog import StepDialog
from ui.shell.steps import StepOutcome, StepRequest, describe_step_error
from ui.shell.wrapped_label import WrappedLabel
from ui.workflow_labels import fill

STYLE = palette.qss("""
QLabel#muted { color: @muted; }
QLabel#password { font-size: 18px; font-weight: 600; color: @accent; }
""")
WATCHED = ("staff", "grid", "device", "cover", "wechat_group", "inbox_message",
           "visit_template", "catalogue_entry")
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """Ten characters without look-alikes (no l/1, o/0), read out over the phone."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def _listed(box: QVBoxLayout, table: RecordTable, stretch: int, icon: str, title: str,
            text: str, *, compact: bool = False) -> None:
    """``table`` into ``box``, with the empty state that stands in while it has no rows
    (``compact``: a secondary list's, see :class:`EmptyState`)."""
    box.addWidget(table, stretch)
    box.addWidget(table.attach_empty(EmptyState(icon, title, text, compact=compact)), stretch)


def _date_of(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


class AdminView(DeskSection):
    """The section: four tabs (staff, covers, groups, audit log)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "admin_view", STYLE, parent)
        self.ctx = ctx
        self.street_id: str | None = None
        """A supervisor's street (read with the first load): what they administer."""
        self._group_ids: dict[str, str] = {}
        self.staff: list[StaffRow] = []
        self.grids: list[Place] = []
        self.communities: list[Place] = []
        self.audit_entries: list[dict[str, Any]] = []
        self.last_password: str | None = None

        layout = QVBoxLayout(self)
        self.notice = NoticeLabel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("admin_tabs")
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)
        self._build_staff_tab()
        self._build_covers_tab()
        self._build_groups_tab()
        self.forms_tab: FormsTab | None = None
        if ctx.session.role == "admin":  # the district's forms: admins only
            self.forms_tab = FormsTab(ctx, self.show_notice, self)
            self.forms_tab.setObjectName("forms_tab")
            self.tabs.addTab(self.forms_tab, self.tr("Visit forms"))
        self.catalogue_tab: CatalogueTab | None = None
        if ctx.session.role == "admin":  # the district's catalogues: admins only
            self.catalogue_tab = CatalogueTab(ctx, self.show_notice, self)
            self.catalogue_tab.setObjectName("catalogue_tab")
            self.tabs.addTab(self.catalogue_tab, self.tr("Catalogues"))
        self._build_audit_tab()
        self.follow_changes()
        self.refresh()

    # -- staff ------------------------------------------------------------------------

    def _build_staff_tab(self) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.search = QLineEdit(page)
        self.search.setObjectName("staff_search")
        self.search.setPlaceholderText(self.tr("Search by name or user name (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_staff)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        bind_keys(page, ("Ctrl+F",), self.focus_search)
        self.role_filter = QComboBox(page)
        self.role_filter.setObjectName("staff_role_filter")
        self.role_filter.addItem(self.tr("All roles"), None)
        for role in records.STAFF_ROLES:
            self.role_filter.addItem(role_title(role), role)
        self.role_filter.currentIndexChanged.connect(lambda _i: self.refresh_staff())
        bar.addWidget(self.search, 1)
        bar.addWidget(self.role_filter)
        self.new_button = QPushButton(self.tr("New staff member…"), page)
        self.new_button.setObjectName("new_staff")
        self.new_button.clicked.connect(self.open_create)
        bar.addWidget(self.new_button)
        box.addLayout(bar)
        self.staff_table = RecordTable("staff_table", [
            self.tr("Name"), self.tr("User name"), self.tr("Role"),
            self.tr("Community / street"), self.tr("Grids"), self.tr("Status"),
            self.tr("Devices"), self.tr("Last contact")], stretch=4)
        self.staff_table.itemSelectionChanged.connect(self._staff_selected)
        _listed(box, self.staff_table, 3, "user", self.tr("Nobody here matches"),
                self.tr("Clear the search or choose all roles; a new staff member is added "
                        "with the button above."))
        actions = QHBoxLayout()
        self.disable_button = QPushButton(self.tr("Disable"), page)
        self.disable_button.setObjectName("disable_staff")
        self.disable_button.clicked.connect(self._toggle_active)
        self.reset_button = QPushButton(self.tr("Reset password…"), page)
        self.reset_button.setObjectName("reset_password")
        self.reset_button.clicked.connect(self._reset_password)
        self.grids_button = QPushButton(self.tr("Grids…"), page)
        self.grids_button.setObjectName("assign_grids")
        self.grids_button.clicked.connect(self.open_grids)
        self.community_button = QPushButton(self.tr("Community…"), page)
        self.community_button.setObjectName("set_community")
        self.community_button.clicked.connect(self.open_community)
        self.history_button = QPushButton(self.tr("History"), page)
        self.history_button.setObjectName("staff_history")
        self.history_button.clicked.connect(self._staff_history)
        self.cover_button = QPushButton(self.tr("Cover…"), page)
        self.cover_button.setObjectName("new_cover")
        self.cover_button.clicked.connect(self.open_cover)
        for button in (self.disable_button, self.reset_button, self.grids_button,
                       self.community_button, self.cover_button, self.history_button):
            actions.addWidget(button)
        actions.addStretch(1)
        box.addLayout(actions)
        self.password_label = WrappedLabel("", page)
        self.password_label.setObjectName("password")
        self.password_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.password_label)
        devices_title = QLabel(self.tr("Devices of the selected person"), page)
        devices_title.setObjectName("muted")
        box.addWidget(devices_title)
        self.device_table = RecordTable("device_table", [
            self.tr("Computer"), self.tr("Status"), self.tr("First seen"),
            self.tr("Last contact")], stretch=0)
        _listed(box, self.device_table, 1, "user", self.tr("No computer yet"), self.tr(
            "The computers this person signs in on are listed here after their first "
            "sign-in; a lost one is revoked here."), compact=True)
        self.device_table.itemSelectionChanged.connect(self._device_chosen)
        self.revoke_button = QPushButton(self.tr("Revoke device (wipes it)"), page)
        self.revoke_button.setObjectName("revoke_device")
        self.revoke_button.clicked.connect(self._revoke_device)
        self.revoke_button.setEnabled(False)  # until a device is chosen
        box.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(page, self.tr("Staff"))

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def selected_staff(self) -> StaffRow | None:
        sid = self.staff_table.selected_id()
        return next((s for s in self.staff if s.id == sid), None)

    def refresh_staff(self) -> None:
        self.refresh()

    def _show_staff(self, staff: list[StaffRow]) -> None:
        self.staff = staff
        self.staff_table.show_rows([(s.id, [
            s.display_name, s.username, role_title(s.role),
            s.community_name or s.street_name or "—", "、".join(s.grid_names) or "—",
            self.tr("Active") if s.active else self.tr("Disabled"), str(s.devices),
            _day(s.last_seen_at)]) for s in self.staff])
        self._staff_selected()

    def _staff_selected(self) -> None:
        person = self.selected_staff()
        mine = person is not None and person.id != self.ctx.session.user_id
        self.disable_button.setEnabled(mine)
        self.disable_button.setText(self.tr("Enable") if person is not None
                                    and not person.active else self.tr("Disable"))
        self.reset_button.setEnabled(mine)
        worker = mine and person is not None and person.role == "social_worker"
        self.grids_button.setEnabled(worker)
        self.community_button.setEnabled(mine and person is not None
                                         and person.role in ("social_worker", "clerk"))
        self.cover_button.setEnabled(worker)
        self.history_button.setEnabled(person is not None)
        if person is None:
            self.device_table.show_rows([])
            self._device_chosen()
            return
        desk = self.ctx.desk
        Op(self, lambda progress: desk.read(staff_devices, person.id),
           name="admin_devices").success(self._show_devices).run()

    def _show_devices(self, devices: list[DeviceRow]) -> None:
        self.device_table.show_rows([(d.id, [
            d.name or "—", self.tr("Active") if d.status == "active" else self.tr("Revoked"),
            _day(d.first_seen_at), _day(d.last_seen_at)]) for d in devices])
        self._device_chosen()  # show_rows tells no listener

    def open_create(self) -> None:
        if self.dialog is not None:
            return
        dialog = StaffDialog(self, self.communities, self.ctx.session.role)
        dialog.submitted.connect(self.create_staff)
        self.open_dialog(dialog)

    def create_staff(self, fields: dict[str, Any],
                     password: str | None = None) -> None:
        """Create the person and give them a one-time password (two mutations, pushed
        together); the password is shown here once, to be told to the person."""
        desk, now = self.ctx.desk, self.ctx.now()
        secret = password or one_time_password()
        record_id = records.new_id()

        def work(progress: Progress) -> ChangeSet:
            _rid, changes = desk.create("staff", fields, record_id=record_id, now=now)
            return changes | desk.run_action("staff", record_id, "reset_password",
                                             {"password": secret}, now=now)

        def done(changes: ChangeSet) -> None:
            self.ctx.wrote(changes)
            self._show_password(fields.get("display_name", ""), secret)

        Op(self, work, lane=Lane.WRITE, name="create_staff").success(done).failure(
            self._failed).run()

    def _show_password(self, name: str, secret: str) -> None:
        self.last_password = secret
        self.password_label.setText(fill(self.tr(
            "One-time password for %1: %2 — tell it to them; they choose their own at "
            "their first sign-in."), name, secret))

    def _failed(self, error: OpError) -> None:
        self.show_notice(describe_step_error(error.exception))

    def _step(self, requests: list[StepRequest],
              after: Callable[[], None] | str | None = None) -> None:
        """Take the steps; then ``after`` (a sentence: said in a toast)."""
        def done(outcome: StepOutcome) -> None:
            if outcome.error is not None:
                self.show_notice(describe_step_error(outcome.error))
            elif isinstance(after, str):
                self.tell(after)
            elif after is not None:
                after()

        self.runner.run(requests, done)

    def _staff_history(self) -> None:
        person = self.selected_staff()
        if person is None:
            return
        dialog = HistoryDialog(self.ctx.desk, self.ctx.online, "staff", person.id,
                               person.display_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _toggle_active(self) -> None:
        person = self.selected_staff()
        if person is None:
            return
        action = "disable" if person.active else "enable"
        if action == "disable":
            answer = QMessageBox.question(self, self.tr("Disable the account"), fill(self.tr(
                "Disable %1? They can no longer sign in, and each of their computers "
                "deletes its local data at its next contact."), person.display_name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        said = (self.tr("%1 can no longer sign in.") if action == "disable"
                else self.tr("%1 can sign in again."))
        self._step([StepRequest("staff", person.id, action, {})],
                   fill(said, person.display_name))

    def _reset_password(self) -> None:
        person = self.selected_staff()
        if person is None:
            return
        secret = one_time_password()
        self._step([StepRequest("staff", person.id, "reset_password", {"password": secret})],
                   lambda: self._show_password(person.display_name, secret))

    def open_grids(self) -> None:
        person = self.selected_staff()
        if person is None or self.dialog is not None:
            return
        dialog = GridsDialog(self, self.grids, set(person.grid_ids))
        dialog.submitted.connect(
            lambda values: self.assign_grids(person.id, values["grid_ids"]))
        self.open_dialog(dialog)

    def assign_grids(self, staff_id: str, grid_ids: list[str]) -> None:
        self._step([StepRequest("staff", staff_id, "set_grids", {"grid_ids": grid_ids})],
                   self.tr("The grids are saved."))

    def open_community(self) -> None:
        person = self.selected_staff()
        if person is None or self.dialog is not None:
            return
        dialog = CommunityDialog(self, self.communities, person.community_id)
        dialog.submitted.connect(lambda values: self._step(
            [StepRequest("staff", person.id, "set_community", values)],
            self.tr("The community is saved.")))
        self.open_dialog(dialog)

    def open_cover(self) -> None:
        person = self.selected_staff()
        if person is None or self.dialog is not None:
            return
        dialog = CoverDialog(self, self.grids, self.ctx.now().date())
        dialog.submitted.connect(lambda values: self.create_cover(person.id, values))
        self.open_dialog(dialog)

    def create_cover(self, staff_id: str, fields: dict[str, Any]) -> None:
        desk, now = self.ctx.desk, self.ctx.now()
        values = {"staff_id": staff_id, **fields}

        def work(progress: Progress) -> ChangeSet:
            return desk.create("cover", values, now=now)[1]

        def done(changes: ChangeSet) -> None:
            self.ctx.wrote(changes)
            self.tell(self.tr("The cover is saved; it ends by itself on its last day."))

        Op(self, work, lane=Lane.WRITE, name="create_cover").success(done).failure(
            self._failed).run()

    def _device_chosen(self) -> None:
        self.revoke_button.setEnabled(self.device_table.selected_id() is not None)

    def _revoke_device(self) -> None:
        device = self.device_table.selected_id()
        if device:
            self._step([StepRequest("device", device, "revoke", {})], self.tr(
                "The device is revoked: it deletes its local data at its next contact."))

    # -- covers -----------------------------------------------------------------------

    def _build_covers_tab(self) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        self.cover_table = RecordTable("cover_table", [
            self.tr("Social worker"), self.tr("Grid"), self.tr("From"), self.tr("To"),
            self.tr("Status"), self.tr("Note")])
        _listed(box, self.cover_table, 1, "households", self.tr("No covers"),
                self.tr("When a social worker is away, choose someone in the staff list and "
                        "“Cover…”: their cover shows here until it ends."))
        end = QPushButton(self.tr("End cover now"), page)
        end.setObjectName("end_cover")
        end.clicked.connect(self._end_cover)
        box.addWidget(end, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(page, self.tr("Covers"))

    def _show_covers(self, covers: list[CoverRow]) -> None:
        self.cover_table.show_rows([(c.id, [
            c.staff_name, c.grid_name, _day(c.starts_on), _day(c.ends_on),
            self.tr("In progress") if c.status == "active" else self.tr("Ended"),
            c.note or ""]) for c in covers])

    def _end_cover(self) -> None:
        cover = self.cover_table.selected_id()
        if cover:
            self._step([StepRequest("cover", cover, "end", {})], self.tr("The cover ended."))

    # -- groups -----------------------------------------------------------------------

    def _build_groups_tab(self) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        self.unmapped_only = QCheckBox(self.tr("Only groups not mapped to a grid"), page)
        self.unmapped_only.setObjectName("unmapped_only")
        self.unmapped_only.toggled.connect(lambda _c: self.refresh_groups())
        box.addWidget(self.unmapped_only)
        self.group_table = RecordTable("group_table", [
            self.tr("Group"), self.tr("Group id"), self.tr("Grid"),
            self.tr("Waiting messages")], stretch=0)
        self.group_table.itemSelectionChanged.connect(self._group_selected)
        _listed(box, self.group_table, 2, "inbox", self.tr("No WeChat groups"),
                self.tr("A group shows here once the bot forwards a message from it."))
        bar = QHBoxLayout()
        self.map_grid = QComboBox(page)
        self.map_grid.setObjectName("map_grid")
        self.map_button = QPushButton(self.tr("Map to this grid"), page)
        self.map_button.setObjectName("map_group")
        self.map_button.clicked.connect(self._map_group)
        bar.addWidget(QLabel(self.tr("Grid:"), page))
        bar.addWidget(self.map_grid, 1)
        bar.addWidget(self.map_button)
        box.addLayout(bar)
        waiting = QLabel(self.tr("Messages waiting for this group's mapping"), page)
        waiting.setObjectName("muted")
        box.addWidget(waiting)
        self.waiting_table = RecordTable("waiting_table", [
            self.tr("Sender"), self.tr("Sent"), self.tr("Message")])
        _listed(box, self.waiting_table, 1, "empty", self.tr("No message waits"),
                self.tr("Choose a group that is not mapped: what its members wrote waits here "
                        "until it is mapped to a grid."))
        self.tabs.addTab(page, self.tr("WeChat groups"))

    def refresh_groups(self) -> None:
        self.refresh()

    def _show_groups(self, groups: list[GroupRow]) -> None:
        self._group_ids = {g.id: g.group_id for g in groups}
        self.group_table.show_rows([(g.id, [
            g.name or "—", g.group_id, g.grid_name or self.tr("Not mapped"), str(g.waiting)])
            for g in groups])
        chosen = self.map_grid.currentData()
        self.map_grid.clear()
        for grid in self.grids:
            self.map_grid.addItem(grid.name, grid.id)
        if chosen is not None:
            self.map_grid.setCurrentIndex(max(0, self.map_grid.findData(chosen)))
        self._group_selected()

    def _group_selected(self) -> None:
        record = self.group_table.selected_id()
        group = self._group_ids.get(record or "")
        self.map_button.setEnabled(group is not None and self.map_grid.count() > 0)
        if group is None:
            self.waiting_table.show_rows([])
            return
        desk = self.ctx.desk
        Op(self, lambda progress: desk.read(waiting_messages, group),
           name="admin_waiting").success(self._show_waiting).run()

    def _show_waiting(self, messages: list[dict[str, Any]]) -> None:
        self.waiting_table.show_rows([(m["id"], [
            m["sender_name"] or "—", _day(m["sent_at"]), m["text"]]) for m in messages])

    def _map_group(self) -> None:
        record, grid = self.group_table.selected_id(), self.map_grid.currentData()
        if record and grid:
            self._step([StepRequest("wechat_group", record, "map", {"grid_id": grid})],
                       fill(self.tr("Mapped to %1: its waiting messages go to the grid."),
                            self.map_grid.currentText()))

    # -- audit log --------------------------------------------------------------------

    def _build_audit_tab(self) -> None:
        page = QWidget(self)
        box = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.audit_person = QComboBox(page)
        self.audit_person.setObjectName("audit_person")
        today = self.ctx.now().date()
        day = QDate(today.year, today.month, today.day)
        self.audit_from = typeable(QDateEdit(day.addDays(-30), page))
        self.audit_to = typeable(QDateEdit(day, page))
        for edit in (self.audit_from, self.audit_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.audit_button = QPushButton(self.tr("Show"), page)
        self.audit_button.setObjectName("audit_show")
        self.audit_button.clicked.connect(self.load_audit)
        self.export_button = QPushButton(self.tr("Export to Excel…"), page)
        self.export_button.setObjectName("audit_export")
        self.export_button.clicked.connect(self._export_clicked)
        bar.addWidget(QLabel(self.tr("Person:"), page))
        bar.addWidget(self.audit_person, 1)
        bar.addWidget(QLabel(self.tr("From:"), page))
        bar.addWidget(self.audit_from)
        bar.addWidget(QLabel(self.tr("To:"), page))
        bar.addWidget(self.audit_to)
        bar.addWidget(self.audit_button)
        bar.addWidget(self.export_button)
        box.addLayout(bar)
        # Old → new takes the room left; the words of the other columns are longer in
        # English ("read sensitive fields", "Questionnaire response"): widths of their own
        # (cut text shows whole as a tooltip) keep old → new in sight at 1024 px.
        self.audit_table = RecordTable("audit_table", self.audit_headers(),
                                       widths={2: 100, 3: 110, 4: 90, 5: 130})
        _listed(box, self.audit_table, 1, "log-folder", self.tr("Nothing shown yet"),
                self.tr("Choose a person and the days, then “Show”: the audit log is read "
                        "from the server."))
        self.tabs.addTab(page, self.tr("Audit log"))

    def audit_headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Person"), self.tr("Operation"), self.tr("Record"),
                self.tr("Record id"), self.tr("Fields"), self.tr("Old → new")]

    def _refresh_people(self) -> None:
        chosen = self.audit_person.currentData()
        self.audit_person.clear()
        self.audit_person.addItem(self.tr("Everyone"), None)
        for person in self.staff:
            self.audit_person.addItem(person.display_name, person.id)
        if chosen is not None:
            self.audit_person.setCurrentIndex(max(0, self.audit_person.findData(chosen)))

    def load_audit(self) -> None:
        online = self.ctx.online
        if online is None:
            self.show_notice(self.tr("The audit log is read from the server: connect first."))
            return
        start = _date_of(self.audit_from.date())
        end = _date_of(self.audit_to.date())
        since = dt.datetime.combine(start, dt.time(), tzinfo=SHANGHAI).isoformat()
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(),
                                    tzinfo=SHANGHAI).isoformat()
        person = self.audit_person.currentData()

        def work(progress: Progress) -> list[dict[str, Any]]:
            return online.audit(staff_id=person, since=since, until=until, limit=1000)

        Op(self, work, lane=Lane.NETWORK, name="audit_log").success(self._show_audit).failure(
            self._failed).run()

    def audit_rows(self) -> list[list[str]]:
        names = {s.id: s.display_name for s in self.staff}
        # No person: the bot's intake, the server's own steps (an alert's count, a ticket
        # an alert opened). Said, not left blank.
        names[""] = self.tr("System")
        return audit_table(self.audit_entries, names, op_labels(),
                           {name: entity_label(name) for name in records.ENTITIES})

    def _show_audit(self, entries: list[dict[str, Any]]) -> None:
        self.audit_entries = entries
        self.audit_table.show_rows([(str(e.get("id")), row) for e, row in
                                    zip(entries, self.audit_rows(), strict=True)])
        if not entries:
            assert self.audit_table.empty is not None
            self.audit_table.empty.set_texts(self.tr("No entries"), self.tr(
                "Nobody chosen changed anything on these days."))

    def _export_clicked(self) -> None:
        from ui.performance.export import EXCEL_FILTER, ask_save_path

        path = ask_save_path(self, self.tr("Export the audit log"), "audit-log.xlsx",
                             EXCEL_FILTER, ".xlsx")
        if path is not None:
            self.export_audit(path)

    def export_audit(self, path: Path) -> None:
        """The rows shown, as an Excel workbook (for an inspection)."""
        rows, headers = self.audit_rows(), self.audit_headers()

        def work(progress: Progress) -> Path:
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.title = "audit"
            sheet.append(headers)
            for row in rows:
                sheet.append(row)
            book.save(path)
            return path

        Op(self, work, lane=Lane.WRITE, name="audit_export").success(
            lambda saved: self.show_notice(fill(self.tr("Saved %1"), str(saved)))).failure(
            self._failed).run()

    # -- refresh ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read everything the tabs show, in the background, and show it."""
        desk, session = self.ctx.desk, self.ctx.session
        search, role = self.search.text(), self.role_filter.currentData()
        only = self.unmapped_only.isChecked()

        def work(progress: Progress) -> Loaded:
            street = None
            if session.role == "supervisor":
                street = desk.read(lambda s: next(
                    (m.street_id for m in staff_rows(s) if m.id == session.user_id), None))
            grids, communities = desk.read(places, street)
            return Loaded(street, desk.read(staff_rows, search, role, street), grids,
                          communities, desk.read(cover_rows),
                          desk.read(lambda s: group_rows(s, unmapped_only=only)),
                          desk.read(form_versions) if session.role == "admin" else [],
                          desk.read(catalogue_entries) if session.role == "admin" else [])

        Op(self, work, name="admin_load").success(self._loaded).run()

    def _loaded(self, loaded: Loaded) -> None:
        self.street_id = loaded.street_id
        self.grids, self.communities = loaded.grids, loaded.communities
        self._show_staff(loaded.staff)
        self._show_covers(loaded.covers)
        self._show_groups(loaded.groups)
        if self.forms_tab is not None:
            self.forms_tab.show_versions(loaded.forms)
        if self.catalogue_tab is not None:
            self.catalogue_tab.show_entries(loaded.catalogue)
        self._refresh_people()

    def changes_applied(self, changes: ChangeSet) -> None:
        if any(changes.touches(entity) for entity in WATCHED):
            self.refresh()


@dataclass(frozen=True, slots=True)
class Loaded:
    street_id: str | None
    staff: list[StaffRow]
    grids: list[Place]
    communities: list[Place]
    covers: list[CoverRow]
    groups: list[GroupRow]
    forms: list[FormVersion]
    catalogue: list[dict[str, Any]]


def op_labels() -> dict[str, str]:
    """The audit log's operations in the user's language."""
    return {op: op_label(op) for op in OP_LABELS}


class StaffDialog(StepDialog):
    """A new staff member: name, user name, phone, role, community."""

    def __init__(self, parent: QWidget, communities: list[Place], my_role: str) -> None:
        super().__init__(None, self.tr("New staff member"), self.tr(
            "They get a one-time password, shown once here, and choose their own at their "
            "first sign-in."), parent=parent)
        self.setObjectName("staff_dialog")
        self.name = QLineEdit(self)
        self.name.setObjectName("staff_name")
        self.username = QLineEdit(self)
        self.username.setObjectName("staff_username")
        self.username.setPlaceholderText(self.tr("lower-case letters and digits"))
        self.phone = QLineEdit(self)
        self.phone.setObjectName("staff_phone")
        self.role = QComboBox(self)
        self.role.setObjectName("staff_role")
        roles = records.STAFF_ROLES if my_role == "admin" else ("social_worker", "clerk")
        for role in roles:
            self.role.addItem(role_title(role), role)
        self.community = QComboBox(self)
        self.community.setObjectName("staff_community")
        for place in communities:
            self.community.addItem(place.name, place.id)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Phone"), self.phone)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Community"), self.community)

    def values(self) -> dict[str, Any]:
        role = self.role.currentData()
        return {"display_name": self.name.text().strip(),
                "username": self.username.text().strip(),
                "phone": self.phone.text().strip() or None, "role": role,
                "community_id": self.community.currentData()
                if role in ("social_worker", "clerk") else None,
                "active": True}

    def collect(self) -> dict[str, Any] | None:
        values = self.values()
        if not values["display_name"] or len(values["username"]) < 3:
            self.show_error(self.tr("A name and a user name of at least 3 characters."))
            return None
        return values


class GridsDialog(StepDialog):
    """Which of the grids here a social worker works in."""

    def __init__(self, parent: QWidget, grids: list[Place], chosen: set[str]) -> None:
        super().__init__(None, self.tr("Grids"), self.tr(
            "Tick the grids this social worker works in; their households sync to their "
            "computer."), parent=parent)
        self.setObjectName("grids_dialog")
        self.list = QListWidget(self)
        self.list.setObjectName("grid_list")
        for grid in grids:
            item = QListWidgetItem(grid.name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, grid.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if grid.id in chosen
                               else Qt.CheckState.Unchecked)
        self.form.addRow(self.list)

    def chosen(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def collect(self) -> dict[str, Any] | None:
        return {"grid_ids": self.chosen()}


class CoverDialog(StepDialog):
    """A temporary cover: which grid, from when to when, why."""

    def __init__(self, parent: QWidget, grids: list[Place], today: dt.date) -> None:
        super().__init__(None, self.tr("Cover a grid"), self.tr(
            "For the days given, this social worker also works in the grid chosen."),
            parent=parent)
        self.setObjectName("cover_dialog")
        self.grid = QComboBox(self)
        self.grid.setObjectName("cover_grid")
        for grid in grids:
            self.grid.addItem(grid.name, grid.id)
        start = QDate(today.year, today.month, today.day)
        self.starts = typeable(QDateEdit(start, self))
        self.starts.setObjectName("cover_starts")
        self.ends = typeable(QDateEdit(start.addDays(7), self))
        self.ends.setObjectName("cover_ends")
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit(self)
        self.note.setObjectName("cover_note")
        self.form.addRow(self.tr("Grid"), self.grid)
        self.form.addRow(self.tr("From"), self.starts)
        self.form.addRow(self.tr("To (ends by itself)"), self.ends)
        self.form.addRow(self.tr("Note"), self.note)

    def values(self) -> dict[str, Any]:
        return {"grid_id": self.grid.currentData(),
                "starts_on": _date_of(self.starts.date()),
                "ends_on": _date_of(self.ends.date()),
                "note": self.note.text().strip() or None, "status": "active"}

    def collect(self) -> dict[str, Any] | None:
        values = self.values()
        if values["grid_id"] is None:
            self.show_error(self.tr("Choose a grid."))
            return None
        if values["ends_on"] < values["starts_on"]:
            self.show_error(self.tr("The last day comes before the first."))
            return None
        return values


class CommunityDialog(StepDialog):
    """The community a clerk (or a social worker) belongs to."""

    def __init__(self, parent: QWidget, communities: list[Place],
                 current: str | None) -> None:
        super().__init__(None, self.tr("Community"), "", parent=parent)
        self.setObjectName("community_dialog")
        self.community = QComboBox(self)
        self.community.setObjectName("community_choice")
        for place in communities:
            self.community.addItem(place.name, place.id)
        if current is not None:
            self.community.setCurrentIndex(max(0, self.community.findData(current)))
        self.form.addRow(self.tr("Community"), self.community)

    def chosen(self) -> str:
        return str(self.community.currentData())

    def collect(self) -> dict[str, Any] | None:
        return {"community_id": self.chosen()}
