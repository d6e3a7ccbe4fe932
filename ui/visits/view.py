"""The Visits section: drafts to continue, and the visits this worker made lately.

Recent visits are the newest :data:`RECENT_LIMIT` of the signed-in worker, with their
photos' thumbnails and whether the server has them yet. Enter or a double click on a
draft continues it in the visit dialog; on a visit, opens it to read
(:mod:`ui.visits.record`). Reads again when a local write or a sync
touches visits or drafts (the context's one ``changes_applied`` signal).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gulou_desk.records import SHANGHAI
from gulou_desk.store.changes import DRAFTS, ChangeSet
from gulou_desk.store.visit_plan import RecentVisits, recent_visits
from ui.background import Op, OpError, Progress
from ui.shell.context import DeskContext
from ui.visits.dialog import DRAFT_KIND, VisitDialog
from ui.visits.history import MAX_THUMBS, THUMB_PX, _strip
from ui.visits.record import open_visit_record

RECENT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class RecentData:
    recent: RecentVisits
    thumbnails: dict[str, bytes]


def load_recent(ctx: DeskContext) -> RecentData:
    """Worker thread: the drafts and this worker's latest visits with thumbnails."""
    desk = ctx.desk
    recent = desk.read(recent_visits, DRAFT_KIND, desk.user_id, RECENT_LIMIT)
    return RecentData(recent, desk.thumbnails(
        sha for _, v in recent.visits for sha in v.photos[:MAX_THUMBS]))


class VisitsView(QWidget):
    """See the module doc."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitsView")
        self.ctx = ctx
        self.data: RecentData | None = None
        self.dialogs: list[VisitDialog] = []
        title = QLabel(self.tr("My visits"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.drafts_label = QLabel(self.tr("Drafts to continue"))
        self.drafts_label.setStyleSheet("font-weight: 600;")
        self.drafts = QListWidget()
        self.drafts.setObjectName("visitsDrafts")
        self.drafts.setMaximumHeight(120)
        self.drafts.itemActivated.connect(self._continue)
        self.recent_label = QLabel(self.tr("Visits made lately"))
        self.recent_label.setStyleSheet("font-weight: 600;")
        self.recent = QListWidget()
        self.recent.setObjectName("recentVisits")
        self.recent.setIconSize(QSize(MAX_THUMBS * (THUMB_PX + 4), THUMB_PX))
        self.recent.setToolTip(self.tr("Double-click a visit to read it"))
        self.recent.itemActivated.connect(self._read)
        self.note = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        for w in (title, self.drafts_label, self.drafts, self.recent_label):
            layout.addWidget(w)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.note)
        ctx.changes.changes_applied.connect(self.apply_changes)
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def work(progress: Progress) -> RecentData:
            return load_recent(ctx)

        Op(self, work).success(self._show).failure(self._failed).run()

    def _failed(self, error: OpError) -> None:
        self.note.setText(error.message)

    def _show(self, data: RecentData) -> None:
        self.data = data
        recent = data.recent
        self.drafts.clear()
        for d in recent.drafts:
            when = d.updated_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
            label = str(d.payload.get("household_label") or d.payload.get("household_id"))
            item = QListWidgetItem(self.tr("Continue: %1 (saved %2)").replace(
                "%1", label).replace("%2", when))
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, d.payload.get("household_id"))
            self.drafts.addItem(item)
        self.drafts.setVisible(bool(recent.drafts))
        self.drafts_label.setVisible(bool(recent.drafts))
        self.recent.clear()
        for line, v in recent.visits:
            when = (v.visited_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                    if v.visited_at else "—")
            text = f"{when} · {line} · {v.template_title(self.ctx.lang)}"
            if v.pending:
                text += "  " + self.tr("(not sent yet)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            strip = _strip(v.photos, data.thumbnails)
            if strip is not None:
                item.setIcon(QIcon(strip))
            self.recent.addItem(item)
        if not recent.visits:
            self.recent.addItem(QListWidgetItem(self.tr(
                "No visits yet: open one from the workbench.")))

    def _continue(self, item: QListWidgetItem) -> None:
        dialog = VisitDialog(self.ctx, household_id=item.data(Qt.ItemDataRole.UserRole + 1),
                             draft_id=item.data(Qt.ItemDataRole.UserRole), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialogs.append(dialog)
        dialog.show()

    def _read(self, item: QListWidgetItem) -> None:
        visit_id = item.data(Qt.ItemDataRole.UserRole)
        if visit_id:
            open_visit_record(self.ctx.desk, str(visit_id), self, self.ctx.online)

    def _closed(self, dialog: VisitDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        self.refresh()

    def apply_changes(self, changes: ChangeSet) -> None:
        if changes.touches("visit") or changes.touches(DRAFTS):
            self.refresh()
