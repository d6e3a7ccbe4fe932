"""Telling the user, without stopping them, what a sync brought that needs them:

* **New requests.** After a sync, the inbox messages in ``report.changed["inbox_message"]``
  that are new (status ``new``) and were not known before are announced: a toast in the
  window ("3 new requests from residents · Open the inbox") and, where the desktop has a
  system tray, a tray message.
* **Refused steps.** When a sync settled some of the user's edits as rejected
  (``report.changed`` names the ``rejections`` table), each new rejection of a ticket or
  inbox step is told in words ("The server did not accept “accept” on ticket GL…: you may
  no longer do this; the ticket was probably reassigned …"), with a button that opens the
  ticket, whose detail keeps the notice until the user has read it.

What was there when the window opened is not announced again; messages waiting in a
WeChat group nobody mapped yet (not in the inbox) are announced when the group is mapped
and the server routes them to the inbox. The notifier lives as long
as the signed-in account (the backend makes it), so it works whichever section is shown.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon, QWidget
from sqlalchemy.orm import Session

from gulou_desk.store.inbox_queries import new_message_ids
from gulou_desk.store.queries import RejectionView, get_record, list_rejections
from sync.events import SyncReport
from ui.background import Op, Progress
from ui.shell.context import DeskContext
from ui.shell.toast import Toast
from ui.tickets.labels import rejection_text
from ui.workflow_labels import fill

log = logging.getLogger(__name__)

WATCHED = ("ticket", "inbox_message")
"""Entities whose refused steps are told here (other views tell their own)."""


def find_main_window() -> QMainWindow | None:
    """The visible main window (the notifier is made before the window exists)."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "main_window" and isinstance(widget, QMainWindow) \
                and widget.isVisible():
            return widget
    return None


NEW_REQUESTS = "new_requests"
"""The toast key of the notice of new requests."""


class DeskNotifier(QObject):
    """Signals:
    messages_arrived(list): ids of new requests announced.
    steps_refused(list): the :class:`RejectionView` s announced.
    """

    messages_arrived = Signal(list)
    steps_refused = Signal(list)

    def __init__(self, ctx: DeskContext,
                 window: Callable[[], QMainWindow | None] = find_main_window,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._window = window
        self._known_messages: set[str] = set()
        self._known_rejections: set[int] = set()
        self._ready = False
        self._toasts: dict[int, Toast] = {}
        self._untold: set[str] = set()
        """The new requests the shown notice counts."""
        self._tray: QSystemTrayIcon | None = None
        ctx.bridge.sync_finished.connect(self._sync_finished)
        self._read_baseline()

    # -- what is known already ---------------------------------------------------------

    def _read_baseline(self) -> None:
        desk = self._ctx.desk

        def read(progress: Progress) -> tuple[set[str], set[int]]:
            # Only what the inbox lists: a message waiting in a group nobody mapped yet is
            # not known, so it is told once the group is mapped and it reaches the inbox.
            return desk.read(lambda session: (
                new_message_ids(session),
                {r.id for r in list_rejections(session)}))

        def known(result: tuple[set[str], set[int]]) -> None:
            self._known_messages |= result[0]
            self._known_rejections |= result[1]
            self._ready = True

        Op(self, read, name="notifier_baseline").success(known).failure(
            lambda error: setattr(self, "_ready", True)).run()

    # -- after a sync --------------------------------------------------------------------

    def _sync_finished(self, report: SyncReport) -> None:
        if not self._ready:
            return
        changed = report.changed.get("inbox_message", frozenset())
        fresh = set(changed) - self._known_messages
        refused = "rejections" in report.changed
        if not fresh and not refused:
            return
        desk = self._ctx.desk
        known_rejections = set(self._known_rejections)

        def read(progress: Progress) -> tuple[set[str], list[tuple[RejectionView, str | None]]]:
            return desk.read(_news, fresh, refused, known_rejections)

        Op(self, read, name="notifier_after_sync").success(self._tell).failure(
            lambda error: None).run()

    def _tell(self, result: tuple[set[str], list[tuple[RejectionView, str | None]]]) -> None:
        new, refused = result
        new -= self._known_messages
        self._known_messages |= new
        refused = [(r, n) for r, n in refused if r.id not in self._known_rejections]
        self._known_rejections |= {r.id for r, _n in refused}
        if refused:
            self._tell_refused(refused)
        if new:
            self._tell_new_messages(sorted(new))

    def _tell_new_messages(self, ids: list[str]) -> None:
        self.messages_arrived.emit(ids)
        window = self._window()
        toast = self.toast(window) if window is not None else None
        # One notice for the requests not yet seen: while it is shown, newer ones add to
        # its count; once closed (or gone by itself) the next one counts afresh.
        if toast is None or not toast.showing(NEW_REQUESTS):
            self._untold.clear()
        self._untold.update(ids)
        text = self.tr("%n new request(s) from residents", "", len(self._untold))
        if window is not None and toast is not None and self._has_section(window, "inbox"):
            toast.show_message(text, key=NEW_REQUESTS)
            self._offer_inbox(window, toast)
        self._tray_message(self.tr("Gulou e-Home Desk"), text)

    def _offer_inbox(self, window: QMainWindow, toast: Toast) -> None:
        """The new requests' notice leads to the inbox, except in the inbox itself (a way
        there would do nothing): the count alone. Asked again when the section changes
        while the notice is shown."""
        if self._current_section(window) == "inbox":
            toast.set_action(None)
        else:
            toast.set_action(self.tr("Open the inbox"), lambda: self._open(window, "inbox"))

    def _section_changed(self, _section: str) -> None:
        window = self.sender()  # the window whose section changed
        if not isinstance(window, QMainWindow):
            return
        toast = self._toasts.get(id(window))
        if toast is not None and toast.showing(NEW_REQUESTS):
            self._offer_inbox(window, toast)

    def _tell_refused(self, refused: list[tuple[RejectionView, str | None]]) -> None:
        self.steps_refused.emit([r for r, _n in refused])
        window = self._window()
        if window is None:
            return
        first, number = refused[0]
        if len(refused) == 1:
            text = rejection_text(first, number)
        else:
            text = fill(self.tr("%1 (and %2 more; see the tickets)"),
                        rejection_text(first, number), str(len(refused) - 1))
        ticket_id = first.record_id if first.entity == "ticket" else None
        section = "tickets" if ticket_id else "inbox"
        if not self._has_section(window, section):
            self.toast(window).show_message(text, timeout_ms=20_000)
            return
        self.toast(window).show_message(
            text, self.tr("Show the ticket") if ticket_id else self.tr("Open the inbox"),
            lambda: self._open(window, section, ticket_id), timeout_ms=20_000)

    # -- the window ------------------------------------------------------------------------

    def toast(self, window: QWidget) -> Toast:
        key = id(window)
        toast = self._toasts.get(key)
        if toast is None:
            toast = Toast(window)
            self._toasts[key] = toast
            changed = getattr(window, "section_changed", None)
            if isinstance(window, QMainWindow) and changed is not None:
                changed.connect(self._section_changed)  # let go of when this is deleted
            window.destroyed.connect(lambda _=None, k=key: self._toasts.pop(k, None))
        return toast

    @staticmethod
    def _has_section(window: QMainWindow, key: str) -> bool:
        sections = getattr(window, "sections", None)
        return callable(sections) and key in sections()

    @staticmethod
    def _current_section(window: QMainWindow) -> str | None:
        current = getattr(window, "current_section", None)
        key = current() if callable(current) else None
        return key if isinstance(key, str) else None

    @staticmethod
    def _open(window: QMainWindow, section: str, ticket_id: str | None = None) -> None:
        open_section(window, section, ticket_id)

    def _tray_message(self, title: str, text: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            from ui.icons import app_icon

            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip(self.tr("Gulou e-Home Desk"))
            self._tray.messageClicked.connect(self._tray_clicked)
            self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    def _tray_clicked(self) -> None:
        window = self._window()
        if window is not None and self._has_section(window, "inbox"):
            self._open(window, "inbox")

    def stop(self) -> None:
        """The account signs out: no more notices (and no tray icon)."""
        with contextlib.suppress(RuntimeError, TypeError):
            self._ctx.bridge.sync_finished.disconnect(self._sync_finished)
        if self._tray is not None:
            self._tray.hide()


def open_section(window: QWidget, section: str, ticket_id: str | None = None) -> None:
    """Bring ``window`` (the main window) forward on ``section``; with ``ticket_id``, the
    tickets section shows that ticket."""
    show = getattr(window, "show_section", None)
    if not callable(show):
        return
    show(section)
    window.raise_()
    window.activateWindow()
    if ticket_id is not None:
        from ui.tickets.view import TicketsView

        page = getattr(window, "page", None)
        view = page(section).findChild(TicketsView) if callable(page) else None
        if view is not None:
            view.open_ticket(ticket_id)


def _news(session: Session, fresh: set[str], refused: bool, known_rejections: set[int],
          ) -> tuple[set[str], list[tuple[RejectionView, str | None]]]:
    """Which of ``fresh`` are new requests, and the refused steps not told of yet (with the
    ticket's number)."""
    # What the inbox lists (and its badge counts): not the messages waiting in a group
    # nobody mapped yet ("10 new requests" beside an inbox of 8).
    new = new_message_ids(session, fresh) if fresh else set()
    found: list[tuple[RejectionView, str | None]] = []
    if refused:
        for rejection in list_rejections(session):
            if rejection.id in known_rejections or rejection.entity not in WATCHED:
                continue
            number = None
            if rejection.entity == "ticket":
                ticket = get_record(session, "ticket", rejection.record_id)
                number = ticket["number"] if ticket else None
            found.append((rejection, number))
    return new, found
