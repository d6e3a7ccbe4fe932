"""What every section's views need from the app, passed to them in one object.

The backend builds one :class:`DeskContext` per signed-in account and hands it to every
view's factory (no global lookups):

* :attr:`DeskContext.desk` — the account's :class:`~gulou_desk.desk.Desk`: the reads and
  steps (use cases) the views take, with the user's ``Actor``; views never open a store
  session themselves;
* :attr:`DeskContext.changes` — the one ``changes_applied(ChangeSet)`` signal, which
  carries local writes (:meth:`DeskContext.wrote`) and what a finished sync changed
  alike, so that a ticket made in the inbox shows in the tickets view at once and a
  synced change shows everywhere;
* the session (who is signed in), the sync bridge (for sync *status*, not for changes),
  the settings, the per-user config folder and the clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QLocale, QObject, Signal

from gulou_desk.desk import Desk
from gulou_desk.domain import catalogue
from gulou_desk.records import now as shanghai_now
from gulou_desk.store import ChangeSet, Store
from gulou_desk.store.admin_queries import catalogue_entries
from sync.events import SyncReport
from ui.session import Session
from ui.settings import Settings
from ui.sync_bridge import SyncBridge


class OnlineReads(Protocol):
    """The server's on-demand reads (``sync.client.ApiClient`` has them)."""

    def history(self, entity: str, record_id: str) -> list[dict[str, Any]]: ...

    def audit(self, **filters: Any) -> list[dict[str, Any]]: ...

    def get_blob(self, sha256: str) -> bytes: ...


class ChangeFeed(QObject):
    """Signals:
    changes_applied(ChangeSet): these records changed, by a local write (a use case) or a
    finished sync.
    """

    changes_applied = Signal(object)

    def synced(self, report: SyncReport) -> None:
        changes = report_changes(report)
        if changes:
            self.changes_applied.emit(changes)


class DeskContext:
    """One signed-in account as its views see it (see the module docstring)."""

    def __init__(self, store: Store, session: Session, bridge: SyncBridge,
                 settings: Settings, *,
                 edit_made: Callable[[ChangeSet], None] | None = None,
                 config_dir: Path | None = None,
                 clock: Callable[[], dt.datetime] = shanghai_now) -> None:
        self.desk = Desk(store, session.user_id, session.role, clock=clock)
        self.session = session
        self.bridge = bridge
        self.settings = settings
        self.edit_made = edit_made
        """Told of every local write (``SyncBackend.local_edit_made``: the sync engine
        pushes soon). ``None`` (tests, a view on its own): only :attr:`changes` is told."""
        self.config_dir = config_dir
        """Where the small per-user files live (inbox "seen" markers, canned replies);
        ``None``: the user's config folder."""
        self.changes = ChangeFeed()
        bridge.sync_finished.connect(self.changes.synced)
        self.changes.changes_applied.connect(self._catalogue_changed)
        self.read_catalogue()
        self.online: OnlineReads | None = None
        """What is read from the server on demand, not synced (a record's history, the
        audit log); ``None`` without a server (a view on its own in a test). Call it in
        an ``Op`` on the NETWORK lane, never on the GUI thread."""

    def read_catalogue(self) -> None:
        """Install the district's catalogue of this store (SLAs, canned replies), read in
        the background."""
        from ui.background import Op, Progress

        desk = self.desk

        def work(progress: Progress) -> list[dict[str, Any]]:
            return desk.read(catalogue_entries)

        Op(self.changes, work, name="read_catalogue").success(catalogue.install).run()

    def _catalogue_changed(self, changes: ChangeSet) -> None:
        if changes.touches("catalogue_entry"):
            self.read_catalogue()

    @property
    def store(self) -> Store:
        """The account's local store (for what is not a read or a step: blobs, photos)."""
        return self.desk.store

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """The time (the desk's; tests set a fixed one)."""
        return self.desk.clock

    @clock.setter
    def clock(self, clock: Callable[[], dt.datetime]) -> None:
        self.desk.clock = clock

    def now(self) -> dt.datetime:
        return self.desk.now()

    @property
    def lang(self) -> str:
        """The language the user reads now (``zh_CN``, ``en``…): Qt's default locale, which
        the app sets with its translators (a language switch shows at once)."""
        return QLocale().name()

    def wrote(self, changes: ChangeSet) -> None:
        """A use case wrote: tell the views, and let the sync engine push soon."""
        if not changes:
            return
        if self.edit_made is not None:
            self.edit_made(changes)
        self.changes.changes_applied.emit(changes)

    def close(self) -> None:
        """The account signs out: no more synced changes for its views."""
        with contextlib.suppress(RuntimeError, TypeError):
            self.bridge.sync_finished.disconnect(self.changes.synced)

    def folder(self) -> Path:
        if self.config_dir is not None:
            self.config_dir.mkdir(parents=True, exist_ok=True)
            return self.config_dir
        from ui.paths import user_config_dir

        return user_config_dir()


def report_changes(report: SyncReport) -> ChangeSet:
    """What a finished sync cycle changed, as a change set."""
    return ChangeSet.from_ids(report.changed)
