"""The Visits section: drafts to continue, and the visits this worker made lately.

Recent visits are the newest :data:`RECENT_LIMIT` of the signed-in worker, with their
photos' thumbnails and whether the server has them yet. Enter or a double click on a
draft continues it in the visit dialog. Reads again on local visit/draft writes and on
syncs that changed visits.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gulou_desk.records import SHANGHAI
from gulou_desk.store import photos
from gulou_desk.store.changes import DRAFTS, ChangeSet
from gulou_desk.store.drafts import DraftView, list_drafts
from gulou_desk.store.rows import table_of
from gulou_desk.store.visit_plan import VisitEntry, visits_of
from sync.events import SyncReport
from ui.background import Op, OpError, Progress
from ui.sync_bridge import SyncBridge
from ui.visits.dialog import DRAFT_KIND, VisitContext, VisitDialog, household_line
from ui.visits.history import MAX_THUMBS, THUMB_PX, _strip

RECENT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class RecentVisits:
    drafts: tuple[DraftView, ...]
    visits: tuple[tuple[str, VisitEntry], ...]
    """(household line, visit), newest first."""
    thumbnails: dict[str, bytes]


def load_recent(ctx: VisitContext) -> RecentVisits:
    """Worker thread: the drafts and this worker's latest visits with thumbnails."""
    visits, households = table_of("visit"), table_of("household")
    with ctx.store.session() as s:
        drafts = tuple(list_drafts(s, DRAFT_KIND))
        rows = s.execute(
            sa.select(visits.c.household_id).where(visits.c.worker_id == ctx.user_id)
            .group_by(visits.c.household_id)
            .order_by(sa.func.max(visits.c.visited_at).desc()).limit(RECENT_LIMIT)).all()
        found: list[tuple[str, VisitEntry]] = []
        for (household_id,) in rows:
            h = s.execute(households.select().where(households.c.id == household_id)
                          ).mappings().first()
            line = household_line(dict(h)) if h is not None else household_id
            found.extend((line, v) for v in visits_of(s, household_id)
                         if v.worker_id == ctx.user_id)
    found.sort(key=lambda pair: pair[1].visited_at.timestamp() if pair[1].visited_at else 0,
               reverse=True)
    found = found[:RECENT_LIMIT]
    thumbs: dict[str, bytes] = {}
    for _, v in found:
        for sha in v.photos[:MAX_THUMBS]:
            try:
                path = photos.ensure_thumbnail(ctx.store, sha)
            except (OSError, ValueError):
                path = None
            if path is not None:
                thumbs[sha] = path.read_bytes()
    return RecentVisits(drafts, tuple(found), thumbs)


class VisitsView(QWidget):
    """See the module doc."""

    def __init__(self, ctx: VisitContext, bridge: SyncBridge | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitsView")
        self.ctx = ctx
        self.data: RecentVisits | None = None
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
        self.note = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        for w in (title, self.drafts_label, self.drafts, self.recent_label):
            layout.addWidget(w)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.note)
        if bridge is not None:
            bridge.sync_finished.connect(self.on_sync_finished)
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def work(progress: Progress) -> RecentVisits:
            return load_recent(ctx)

        Op(self, work).success(self._show).failure(self._failed).run()

    def _failed(self, error: OpError) -> None:
        self.note.setText(error.message)

    def _show(self, data: RecentVisits) -> None:
        self.data = data
        self.drafts.clear()
        for d in data.drafts:
            when = d.updated_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
            label = str(d.payload.get("household_label") or d.payload.get("household_id"))
            item = QListWidgetItem(self.tr("Continue: %1 (saved %2)").replace(
                "%1", label).replace("%2", when))
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, d.payload.get("household_id"))
            self.drafts.addItem(item)
        self.drafts.setVisible(bool(data.drafts))
        self.drafts_label.setVisible(bool(data.drafts))
        self.recent.clear()
        for line, v in data.visits:
            when = (v.visited_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                    if v.visited_at else "—")
            text = f"{when} · {line} · {v.template_name or ''}"
            if v.pending:
                text += "  " + self.tr("(not sent yet)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            strip = _strip(v.photos, data.thumbnails)
            if strip is not None:
                item.setIcon(QIcon(strip))
            self.recent.addItem(item)
        if not data.visits:
            self.recent.addItem(QListWidgetItem(self.tr(
                "No visits yet: open one from the workbench.")))

    def _continue(self, item: QListWidgetItem) -> None:
        dialog = VisitDialog(self.ctx, household_id=item.data(Qt.ItemDataRole.UserRole + 1),
                             draft_id=item.data(Qt.ItemDataRole.UserRole), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialogs.append(dialog)
        dialog.show()

    def _closed(self, dialog: VisitDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        self.refresh()

    def apply_changes(self, changes: ChangeSet) -> None:
        if changes.touches("visit") or changes.touches(DRAFTS):
            self.refresh()

    def on_sync_finished(self, report: SyncReport) -> None:
        if report.changed.get("visit"):
            self.refresh()
