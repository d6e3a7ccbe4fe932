"""未归属的群 / Unassigned groups: WeChat groups the 鼓宝 bot forwards from that nobody
mapped yet, with the messages waiting for them, in the inbox.

The server proposes the community a group's name names ("汇林绿洲3栋业主群" → 汇林绿洲
社区), and the group comes to that community's clerks (an admin sees every unmapped
group). One step maps it to a grid of the community or to the community as a whole (a
function group): the server routes the waiting messages at once, and they come back in
the same sync as ordinary messages of the inbox. "不是本社区的群" says it is not ours:
the proposal is cleared and the group goes back to the admins.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.desk import Desk
from gulou_desk.store.admin_queries import Unassigned, unassigned, waiting_messages
from gulou_desk.store.inbox_queries import UnassignedGroup
from ui.background import Op
from ui.shell.record_table import RecordTable
from ui.tickets.labels import format_time
from ui.workflow_labels import fill

WHOLE_COMMUNITY = "community:"
"""The target combo's data for "the community as a whole" (then its id)."""


class UnassignedGroupsDialog(QDialog):
    """The unassigned groups, the chosen one's waiting messages, and the two steps.

    Signals:
        map_requested(str, dict): map the group (record id) with these args
            (``grid_id`` or ``community_id``).
        decline_requested(str): the group (record id) is not ours.
    """

    map_requested = Signal(str, dict)
    decline_requested = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unassigned_groups_dialog")
        self.setWindowTitle(self.tr("Unassigned groups"))
        self.setMinimumWidth(560)
        self._desk = desk
        self._data = Unassigned([], [], [])
        title = QLabel(self.tr("Unassigned groups"))
        title.setObjectName("dialog_title")
        intro = QLabel(self.tr(
            "The Gubao bot forwards messages from these WeChat groups, but no grid is "
            "assigned to them yet, so their messages wait here. Assign each group to a grid "
            "of the community (a building's residents' group) or to the community as a "
            "whole (a function group): its messages go to the inbox at once."))
        intro.setObjectName("dialog_intro")
        intro.setWordWrap(True)
        self.table = RecordTable("unassigned_table",
                                 [self.tr("Group"), self.tr("Waiting messages")], stretch=0)
        self.table.itemSelectionChanged.connect(self._group_chosen)
        waiting = QLabel(self.tr("Its waiting messages"))
        waiting.setObjectName("muted")
        self.messages = RecordTable("unassigned_messages",
                                    [self.tr("Sender"), self.tr("Sent"), self.tr("Message")])
        self.target = QComboBox()
        self.target.setObjectName("unassigned_target")
        self.map_button = QPushButton(self.tr("Assign"))
        self.map_button.setObjectName("assign_group")
        self.map_button.setProperty("primary", True)
        self.map_button.clicked.connect(self._map)
        self.decline_button = QPushButton(self.tr("Not our community's group"))
        self.decline_button.setObjectName("decline_group")
        self.decline_button.setToolTip(self.tr(
            "The group goes back to the district's administrators, who assign it."))
        self.decline_button.clicked.connect(self._decline)
        self.empty = QLabel(self.tr("Every group is assigned. Nothing waits here."))
        self.empty.setObjectName("dialog_intro")
        self.empty.setWordWrap(True)
        self.empty.hide()
        target_row = QHBoxLayout()
        target_row.addWidget(QLabel(self.tr("Assign to:")))
        target_row.addWidget(self.target, 1)
        steps = QHBoxLayout()
        steps.addWidget(self.map_button)
        steps.addWidget(self.decline_button)
        steps.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 2)
        layout.addLayout(target_row)
        layout.addLayout(steps)
        layout.addWidget(waiting)
        layout.addWidget(self.messages, 2)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        desk = self._desk
        Op(self, lambda progress: desk.read(unassigned, desk.user_id, desk.role),
           name="unassigned_groups").success(self._show).run()

    def _show(self, data: Unassigned) -> None:
        self._data = data
        self.table.show_rows([(g.id, [g.name or g.group_id, str(g.waiting)])
                              for g in data.groups])
        self.empty.setVisible(not data.groups)
        if data.groups and self.table.selected_id() is None:
            self.table.selectRow(0)
        self._group_chosen()

    def _group(self) -> UnassignedGroup | None:
        record = self.table.selected_id()
        return next((g for g in self._data.groups if g.id == record), None)

    def _group_chosen(self) -> None:
        group = self._group()
        chosen = self.target.currentData()
        self.target.clear()
        if group is not None:
            community = group.proposed_community_id
            for c in self._data.communities:
                if community is None or c.id == community:
                    self.target.addItem(fill(self.tr("The whole %1 (function group)"),
                                             c.name), WHOLE_COMMUNITY + c.id)
            for g in self._data.grids:
                if community is None or g.community_id == community:
                    self.target.addItem(g.name, g.id)
            if chosen is not None:
                self.target.setCurrentIndex(max(0, self.target.findData(chosen)))
        self.map_button.setEnabled(group is not None and self.target.count() > 0)
        self.decline_button.setEnabled(group is not None
                                       and group.proposed_community_id is not None)
        if group is None:
            self.messages.show_rows([])
            return
        desk = self._desk
        Op(self, lambda progress: desk.read(waiting_messages, group.group_id),
           name="unassigned_waiting").success(self._show_messages).run()

    def _show_messages(self, messages: list[dict[str, Any]]) -> None:
        self.messages.show_rows([(m["id"], [
            m["sender_name"] or "—", format_time(m["sent_at"]) if m["sent_at"] else "—",
            m["text"]]) for m in messages])

    def _map(self) -> None:
        group, target = self._group(), self.target.currentData()
        if group is None or not isinstance(target, str):
            return
        if target.startswith(WHOLE_COMMUNITY):
            self.map_requested.emit(group.id,
                                    {"community_id": target.removeprefix(WHOLE_COMMUNITY)})
        else:
            self.map_requested.emit(group.id, {"grid_id": target})

    def _decline(self) -> None:
        group = self._group()
        if group is not None:
            self.decline_requested.emit(group.id)
