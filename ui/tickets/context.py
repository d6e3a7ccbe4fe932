"""What the inbox and tickets views need from the app, passed to them in one object.

The backend builds one :class:`DeskContext` per signed-in account and hands it to the
views' factories (no global lookups). :class:`LocalChanges` is the one signal that carries
a :class:`~gulou_desk.store.changes.ChangeSet` after a local write, so that a ticket made
in the inbox shows in the tickets view at once (a sync carries its own changes in
``SyncBridge.sync_finished``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from gulou_desk.records import now as shanghai_now
from gulou_desk.store import ChangeSet, Store
from sync.events import SyncReport
from ui.session import Session
from ui.settings import Settings
from ui.sync_bridge import SyncBridge


class LocalChanges(QObject):
    """Signals:
    changes_applied(ChangeSet): a local write (a use case) changed these records.
    """

    changes_applied = Signal(object)


@dataclass
class DeskContext:
    store: Store
    session: Session
    bridge: SyncBridge
    settings: Settings
    edit_made: Callable[[ChangeSet], None] | None = None
    """Told of every local write (``SyncBackend.local_edit_made``: the sync engine pushes
    soon, and every view hears of it, these views through :attr:`changes`). ``None``
    (tests, a view on its own): only :attr:`changes` is told."""
    config_dir: Path | None = None
    """Where the small per-user files live (inbox "seen" markers, canned replies);
    ``None``: the user's config folder."""
    clock: Callable[[], dt.datetime] = shanghai_now
    """The time; tests pass a fixed one."""
    changes: LocalChanges = field(default_factory=LocalChanges)

    def now(self) -> dt.datetime:
        return self.clock()

    def wrote(self, changes: ChangeSet) -> None:
        """A use case wrote: tell the views, and let the sync engine push soon."""
        if not changes:
            return
        if self.edit_made is None:
            self.changes.changes_applied.emit(changes)
        else:
            self.edit_made(changes)

    def folder(self) -> Path:
        if self.config_dir is not None:
            self.config_dir.mkdir(parents=True, exist_ok=True)
            return self.config_dir
        from ui.paths import user_config_dir

        return user_config_dir()


def report_changes(report: SyncReport) -> ChangeSet:
    """What a finished sync cycle changed, as a change set."""
    return ChangeSet.from_ids(report.changed)
