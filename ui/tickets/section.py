"""What the desk's sections (tickets, inbox) do alike around their own content: take steps
through one :class:`~ui.tickets.actions.StepRunner`, open one step dialog at a time, tell
what went wrong in their notice line, and refresh when a local step or a sync changed
what they show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gulou_desk.store import ChangeSet
from sync.events import SyncReport
from ui.tickets.actions import StepRunner
from ui.tickets.context import DeskContext, report_changes
from ui.tickets.dialog_base import StepDialog
from ui.widgets.paged_list import NoticeLabel


class DeskSection(QWidget):
    """The base of a desk section (see the module docstring).

    A subclass sets :attr:`notice` (its list pane's), implements :meth:`changes_applied`
    and calls :meth:`follow_changes` once it is built.
    """

    notice: NoticeLabel

    def __init__(self, ctx: DeskContext, name: str, style: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(style)
        self._ctx = ctx
        self.runner = StepRunner(ctx, self)
        self.dialog: StepDialog | None = None
        """The step dialog open now (``None`` once it closed)."""

    def open_dialog(self, dialog: StepDialog) -> None:
        """Open ``dialog`` window-modal (deleted once closed), with the draft left in it
        last time; it is :attr:`dialog` until it closes."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.load_draft()

    def _dialog_closed(self, dialog: StepDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def show_notice(self, text: str) -> None:
        self.notice.show_text(text)

    def follow_changes(self) -> None:
        """Hear of every local step and every finished sync (:meth:`changes_applied`)."""
        self._ctx.changes.changes_applied.connect(self.changes_applied)
        self._ctx.bridge.sync_finished.connect(self._sync_finished)

    def changes_applied(self, changes: ChangeSet) -> None:
        """A local step or a sync changed these records: refresh what concerns the
        section."""
        raise NotImplementedError

    def _sync_finished(self, report: SyncReport) -> None:
        self.changes_applied(report_changes(report))
