"""The client store and the sync engine of one signed-in account (``ui.app.Backend``).

:func:`open_account` opens the account's local SQLite store (one file per server and
user, in the user's data folder) and reads its refresh token, on a worker thread;
:class:`SyncBackend` then makes, on the GUI thread, the HTTP client with those tokens and
runs :class:`~sync.engine.SyncScheduler` on the qasync loop, reporting to the
:class:`~ui.sync_bridge.SyncBridge`. Every rotated refresh token goes back to the keyring
(or stays in memory for a session-only sign-in).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import logging
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gulou_desk.desk import Desk
from gulou_desk.records import now as shanghai_now
from gulou_desk.store import Store, cipher, open_store
from gulou_desk.store.changes import OUTBOX, ChangeSet
from gulou_desk.store.cipher import StoreKeyMissing
from gulou_desk.store.inbox_queries import new_request_count
from gulou_desk.store.outbox import pending_count
from gulou_desk.store.performance_queries import returned_count
from gulou_desk.store.queries import conflict_count, rejection_count
from gulou_desk.store.sync_state import last_sync_at
from gulou_desk.store.ticket_queries import attention_count
from sync.client import ApiClient
from sync.credentials import CredentialStore, normalize_server_url
from sync.engine import SyncEngine, SyncScheduler
from sync.wire import TokenPair
from ui.gubao.urgent import UrgentWatcher
from ui.main_window import CountQuery, MainWindow, ViewFactory
from ui.paths import user_data_dir
from ui.session import Session
from ui.settings import SYNC_INTERVAL, Settings
from ui.shell.context import DeskContext
from ui.sync_bridge import SyncBridge
from ui.tickets.notifier import DeskNotifier, find_main_window

log = logging.getLogger(__name__)


def store_path(session: Session, data_dir: Path | None = None) -> Path:
    """``<data>/stores/<server>--<user>.sqlite``: accounts never share a local copy."""
    server = re.sub(r"[^A-Za-z0-9]+", "-", normalize_server_url(session.server_url))
    user = re.sub(r"[^A-Za-z0-9_-]+", "-", session.user_id or session.username)
    return (data_dir or user_data_dir()) / "stores" / f"{server.strip('-')}--{user}.sqlite"


@dataclass(frozen=True)
class OpenedAccount:
    """What :func:`open_account` prepared off the GUI thread for one session: the local
    store (opened and migrated), the refresh token from the keyring and the device id;
    ``set_aside``: where an earlier store that could not be read was moved (its key was
    gone), to tell the user."""

    session: Session
    credentials: CredentialStore
    store: Store
    refresh_token: str | None
    device_id: str
    set_aside: Path | None = None
    last_sync_at: dt.datetime | None = None
    """When this store last synced well (the store's own record): the status bar says
    it from the first moment, not "never" until the next sync ends."""

    def build(self, bridge: SyncBridge, settings: Settings) -> SyncBackend:
        """The backend over this store (GUI thread; see ``ui.app.PreparedBackend``)."""
        return SyncBackend(self, bridge, settings)

    def discard(self) -> None:
        """Not wanted after all (the user signed out or quit while it opened)."""
        self.store.close()


VIEW_MODULES = ("ui.households", "ui.conflicts_view", "ui.performance", "ui.workbench",
                "ui.visits", "ui.visits.view", "ui.inbox.view", "ui.tickets.view",
                "ui.participation.view", "ui.admin.view", "ui.gubao.view")
"""The sections' views, imported lazily by :class:`SyncBackend`'s view factories."""


def preload_views() -> None:
    """Import the views' modules off the GUI thread (close to a second the first time,
    QtCharts among them), so that building the window costs only making its widgets.

    Safe in a worker thread: these modules define classes and value-type constants
    (``QColor``, ``QDate``), never a widget or any other ``QObject``, at import time.
    """
    for name in VIEW_MODULES:
        importlib.import_module(name)


def open_account(session: Session, credentials: CredentialStore, *,
                 data_dir: Path | None = None) -> OpenedAccount:
    """Open the session's local store and read its keyring entries. **Blocking**: opening
    migrates the store (and, after an upgrade, encrypts it and catches up its search
    index) and the keyring can take a second to answer, so this runs on a worker thread
    (``ui.app`` runs it in an ``Op``); :class:`SyncBackend` is then built on the GUI
    thread.

    The store is encrypted with the account's key from the keyring (made now when there
    is none: the first sign-in, or an upgrade from a plaintext store, which is encrypted
    in place). An encrypted store whose key is gone cannot be read by anyone: without a
    refresh token (nobody signed in) it is refused (:class:`StoreKeyMissing`, the file
    untouched: the app asks to sign in); once signed in it is moved aside
    (``OpenedAccount.set_aside``) and a new store is downloaded by the first sync.
    """
    path = store_path(session, data_dir)
    token = credentials.refresh_token(session.server_url, session.username)
    key = credentials.store_key(session.server_url, session.username)
    aside: Path | None = None
    if key is None:
        if cipher.exists(path) and not cipher.is_plaintext(path):
            if session.demo:
                log.info("the demo's local copy cannot be read without its key: made anew")
                cipher.remove_store_files(path)
            elif token is None:
                raise StoreKeyMissing(f"no key for the local store {path.name}", path)
            else:
                aside = cipher.set_aside(path)
                log.warning("the local store had no key here: kept aside as %s; "
                            "downloading it again", aside.name)
        key, _outcome = credentials.new_store_key(session.server_url, session.username)
    store = open_store(path, key=key)
    try:
        preload_views()
        device = credentials.device_id()
        last_sync = Desk(store, session.user_id, session.role).read(last_sync_at)
    except BaseException:
        store.close()
        raise
    return OpenedAccount(session, credentials, store, token, device, aside, last_sync)



class SyncBackend:
    """Store + HTTP client + engine + scheduler for one session (see the module doc).

    Built on the GUI thread from an :class:`OpenedAccount` (see :func:`open_account`):
    nothing here touches the disk or the network.
    """

    def __init__(
        self,
        opened: OpenedAccount,
        bridge: SyncBridge,
        settings: Settings,
        *,
        client: ApiClient | None = None,
    ) -> None:
        session = opened.session
        self.session = session
        self._credentials = credentials = opened.credentials
        self.store: Store = opened.store
        self.client = client or ApiClient(session.server_url)
        self.client.access_token = credentials.access_token
        self.client.refresh_token = opened.refresh_token
        self.client.device_id = opened.device_id  # a retried refresh is known as ours
        self.client.on_tokens = self._tokens_rotated
        self.engine = SyncEngine(self.store, self.client, client_id=opened.device_id)
        self.scheduler = SyncScheduler(
            self.engine, bridge.listener, interval=float(settings.get(SYNC_INTERVAL))
        )
        self._bridge = bridge
        self._settings = settings
        self.last_sync_at = opened.last_sync_at
        """When this account's store last ended a sync well: as it was opened, then each
        sync's end (a window built again, in another language, shows it)."""
        bridge.sync_finished.connect(self._synced)
        self.ctx = DeskContext(self.store, session, bridge, settings,
                               edit_made=self._push_soon)
        """What every view gets: the account's desk (reads and steps), the one
        ``changes_applied(ChangeSet)`` signal of local writes and synced changes, …"""
        self.ctx.online = self.client
        self._window: weakref.ref[MainWindow] | None = None
        self.views: Mapping[str, ViewFactory] = {
            "households": self._households_view,
            "conflicts": self._conflicts_view,
            "performance": self._performance_view,
            "workbench": self._workbench_view,
            "visits": self._visits_view,
            "inbox": self._inbox_view,
            "tickets": self._tickets_view,
            "participation": self._participation_view,
            "admin": self._admin_view,
            "gubao": self._gubao_view,
        }
        self.counts: Mapping[str, CountQuery] = {
            "pending": self._pending,
            "conflicts": self._conflicts,
            "inbox": self._new_requests,
            "tickets": self._ticket_attention,
            "performance": self._records_returned,
        }
        # The notifier tells of new requests and refused steps after each sync, whichever
        # section is shown.
        self.notifier = DeskNotifier(self.ctx)
        # Urgent alerts: a banner until acknowledged, a tray notice, and syncs every 30 s
        # while any is open.
        self.urgent = UrgentWatcher(self.ctx, find_main_window, self._urgent_interval)
        self._stopping: asyncio.Task[None] | None = None

    def _synced(self, _report: object) -> None:
        self.last_sync_at = self._bridge.last_synced_at or self.last_sync_at

    def use_tokens(self, access_token: str | None, refresh_token: str | None) -> None:
        """The user signed in again (the session had expired, or the server's secret
        changed): sync with the new tokens from now on."""
        self.client.use_tokens(access_token, refresh_token)

    def _tokens_rotated(self, pair: TokenPair) -> None:
        """Runs on the sync thread: keep the new refresh token where the old one was."""
        credentials, session = self._credentials, self.session
        credentials.set_access_token(pair.access_token)
        if session.remembered is False:
            credentials.keep_for_session(session.server_url, session.username,
                                         pair.refresh_token)
        else:
            credentials.save_refresh_token(session.server_url, session.username,
                                           pair.refresh_token)

    def _pending(self) -> int:
        return self.ctx.desk.read(pending_count)

    def _conflicts(self) -> int:
        """The Conflicts badge: open conflicts and rejections not yet dismissed."""
        return self.ctx.desk.read(lambda s: conflict_count(s) + rejection_count(s))

    def _new_requests(self) -> int:
        return self.ctx.desk.read(new_request_count)

    def _ticket_attention(self) -> int:
        """The tickets badge: the role's first queue (mine, to dispatch, escalated)."""
        desk = self.ctx.desk
        return desk.read(lambda s: attention_count(s, desk.actor(s), shanghai_now()))

    def _records_returned(self) -> int:
        """The performance badge: a social worker's months returned to them (退回)."""
        desk = self.ctx.desk
        if desk.role != "social_worker":
            return 0
        return desk.read(lambda s: returned_count(s, desk.user_id))

    def start(self) -> None:
        self.scheduler.start()

    def has_refresh_token(self) -> bool:
        return self.client.refresh_token is not None

    def sync_now(self) -> None:
        self.scheduler.sync_now()

    def local_edit_made(self, changes: ChangeSet | None = None) -> None:
        """A use case wrote (``ctx.wrote`` does the same): a sync follows after a short
        quiet (if the outbox grew), and every view and the badges hear of ``changes``."""
        if changes is None:
            self._push_soon(None)
        else:
            self.ctx.wrote(changes)

    def _push_soon(self, changes: ChangeSet | None) -> None:
        if changes is None or changes.touches(OUTBOX):
            self.scheduler.local_edit_made()

    # -- views --------------------------------------------------------------------------

    def _wire_window(self, parent: QWidget) -> None:
        """The window re-reads its badges (pending, conflicts) after a local edit.

        Held weakly: a reference cycle through the window would let Python's garbage
        collector destroy it from whichever thread happens to collect.
        """
        window = parent.window()
        if isinstance(window, MainWindow) and (
                self._window is None or self._window() is not window):
            self._window = weakref.ref(window)
            self.ctx.changes.changes_applied.connect(window.refresh_counts)

    def _households_view(self, parent: QWidget) -> QWidget:
        from ui.households import HouseholdsView

        self._wire_window(parent)
        return HouseholdsView(self.ctx, parent)

    def _conflicts_view(self, parent: QWidget) -> QWidget:
        from ui.conflicts_view import ConflictsView

        self._wire_window(parent)
        return ConflictsView(self.ctx, parent)

    def _performance_view(self, parent: QWidget) -> QWidget:
        from ui.performance import PerformanceView

        self._wire_window(parent)
        return PerformanceView(self.ctx, parent)

    def _workbench_view(self, parent: QWidget) -> QWidget:
        from ui.workbench import WorkbenchView

        self._wire_window(parent)
        return WorkbenchView(self.ctx, parent)

    def _visits_view(self, parent: QWidget) -> QWidget:
        from ui.visits.view import VisitsView

        self._wire_window(parent)
        return VisitsView(self.ctx, parent)

    def _inbox_view(self, parent: QWidget) -> QWidget:
        from ui.inbox.view import InboxView

        self._wire_window(parent)
        return InboxView(self.ctx, parent)

    def _tickets_view(self, parent: QWidget) -> QWidget:
        from ui.tickets.view import TicketsView

        self._wire_window(parent)
        return TicketsView(self.ctx, parent)

    def _urgent_interval(self, seconds: float | None) -> None:
        self.scheduler.interval = seconds if seconds is not None else \
            float(self._settings.get(SYNC_INTERVAL))

    def _gubao_view(self, parent: QWidget) -> QWidget:
        from ui.gubao.view import GubaoView

        return GubaoView(self.ctx, parent)

    def _participation_view(self, parent: QWidget) -> QWidget:
        from ui.participation.view import ParticipationView

        return ParticipationView(self.ctx, parent)

    def _admin_view(self, parent: QWidget) -> QWidget:
        from ui.admin import AdminView

        self._wire_window(parent)
        return AdminView(self.ctx, parent)

    def stop(self) -> None:
        """Stop syncing (the running cycle ends at its next page), then close the store."""
        if self._stopping is not None:
            return
        self.scheduler.cancel()
        with contextlib.suppress(RuntimeError, TypeError):  # another account's syncs next
            self._bridge.sync_finished.disconnect(self._synced)
        self.notifier.stop()
        self.urgent.stop()
        self.ctx.close()

        async def stop_then_close() -> None:
            try:
                await self.scheduler.stop()
            finally:
                self.store.close()

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the event loop has ended (the application is quitting)
            self.scheduler.close()
            self.store.close()
            return
        self._stopping = loop.create_task(stop_then_close())

    def open_outbox(self, parent: QWidget) -> QWidget:
        """The outbox view (``ui.outbox_view``), one at a time, over ``parent``."""
        from ui.outbox_view import OutboxDialog

        dialog = parent.findChild(OutboxDialog, "outbox_dialog")
        if dialog is None or not dialog.isVisible():
            dialog = OutboxDialog(self.ctx, self.sync_now, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
        return dialog

    def wipe_local_data(self) -> None:
        """Delete every local store of this computer (the aside copies too), the photos
        and thumbnails beside them: the device was revoked. **Blocking**; after
        :meth:`stop` has closed the store. Photos are overwritten before they go (they
        are not encrypted); the stores are encrypted and just removed."""
        self.store.close()
        folder = self.store.path.parent if self.store.path is not None else None
        if folder is None or not folder.is_dir():
            return
        for file in sorted(folder.rglob("*"), reverse=True):
            if file.is_dir():
                file.rmdir()
            elif ".sqlite" in file.name:
                file.unlink(missing_ok=True)
            else:
                cipher.shred(file)
        log.info("local data deleted (%s)", folder.name)

    async def wait_stopped(self) -> None:
        if self._stopping is not None:
            await self._stopping
