"""The sync engine: one cycle (push the outbox, pull pages) and its scheduling on asyncio.

:class:`SyncEngine` runs one cycle, blocking (HTTP and SQLite): push the outbox in order
in batches of at most 500 and record every result; then pull pages until ``has_more`` is
false, each page applied with its cursor in one transaction. It can be cancelled between
batches and pages.

:class:`SyncScheduler` decides when a cycle runs — on start, every ``interval`` seconds, a
few seconds after a local edit (debounced), on "Sync now", and when the server can be
reached again — runs one cycle at a time in a worker thread (``run_in_executor``), and
tells a :class:`~sync.events.SyncListener` on the loop's thread what happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import sqlalchemy.exc
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.cancel import Cancelled, CancelToken
from gulou_desk.store import outbox
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.engine import Store
from gulou_desk.store.sync_state import SyncKey, get_state, set_state
from sync.apply import (
    BadChange,
    apply_page,
    begin_repull,
    note_repulled,
    repull_under_way,
    settle_deferred_revokes,
    sweep_unseen,
)
from sync.blobs import upload_pending_blobs
from sync.client import (
    ApiClient,
    BadAnswerError,
    CursorRejected,
    ForbiddenError,
    OfflineError,
    RateLimitedError,
    ServerError,
    SyncError,
    UnauthorizedError,
)
from sync.events import FailureReason, SyncListener, SyncProgress, SyncReport
from sync.wire import MAX_PUSH_MUTATIONS, Mutation, MutationResult, PullResponse

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 2000


ProgressFn = Callable[[SyncProgress], None]


@dataclass
class _Counts:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    revoked: int = 0
    changed: dict[str, set[str]] = field(default_factory=dict)

    def touch(self, entity: str, ids: set[str] | frozenset[str]) -> None:
        self.changed.setdefault(entity, set()).update(ids)

    def report(self) -> SyncReport:
        return SyncReport(
            pushed=self.pushed, applied=self.applied, conflicts=self.conflicts,
            rejected=self.rejected, pulled=self.pulled, revoked=self.revoked,
            changed={k: frozenset(v) for k, v in self.changed.items()},
        )


class SyncEngine:
    """Runs sync cycles between one local store and one server (blocking calls)."""

    def __init__(self, store: Store, client: ApiClient, *, client_id: str,
                 page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.store = store
        self.client = client
        self.client_id = client_id
        self.page_size = page_size
        self._lock = threading.Lock()

    def run_cycle(self, progress: ProgressFn | None = None,
                  cancel: CancelToken | None = None) -> SyncReport:
        """Upload the photos of pending visits, push, then pull. Raises
        :class:`~sync.client.SyncError` subclasses, or :class:`Cancelled`; whatever was
        committed before stays committed."""
        if not self._lock.acquire(blocking=False):
            raise RuntimeError("a sync cycle is already running")
        try:
            counts = _Counts()
            cancel = cancel or CancelToken()
            # Photos go before the visits that refer to them (sync/blobs.py).
            upload_pending_blobs(self.store, self.client, check=cancel.check)
            self._push(counts, progress, cancel)
            self._pull(counts, progress, cancel)
            with self.store.write() as session:
                counts.revoked += settle_deferred_revokes(session)
                set_state(session, SyncKey.LAST_SYNC_AT,
                          records.format_datetime(records.now()))
            return counts.report()
        finally:
            self._lock.release()

    # --- push -----------------------------------------------------------------------

    def _push(self, counts: _Counts, progress: ProgressFn | None,
              cancel: CancelToken) -> None:
        with self.store.session() as session:
            total = outbox.pending_count(session)
        while True:
            cancel.check()
            with self.store.session() as session:
                batch = [outbox.to_mutation(m) for m in
                         outbox.pending_outbox(session, MAX_PUSH_MUTATIONS)]
            if not batch:
                return
            mutations = [Mutation.model_validate(m) for m in batch]
            try:
                results = self.client.push(self.client_id, mutations)
            except SyncError as exc:
                with self.store.write() as session:
                    outbox.mark_push_failed(session, [m.mutation_id for m in mutations],
                                            f"{exc.code}: {exc.message}")
                raise
            settled = 0
            with self.store.write() as session:
                for result in results:
                    status = self._status_of(result)
                    if status == "applied":
                        counts.applied += 1
                    elif status == "conflict":
                        counts.conflicts += 1
                    else:
                        counts.rejected += 1
                    change = self._settle(session, result, status)
                    for entity in change.entities:
                        counts.touch(entity, set(change.ids_of(entity)))
                    settled += 1
            counts.pushed += settled
            if progress is not None:
                progress(SyncProgress("push", counts.pushed, total))
            with self.store.session() as session:
                still = {m.mutation_id for m in outbox.pending_outbox(session,
                                                                      MAX_PUSH_MUTATIONS)}
            if still & {m.mutation_id for m in mutations}:
                log.error("push results did not settle the batch; stopping the push")
                return

    @staticmethod
    def _status_of(result: MutationResult) -> str:
        if result.status == "duplicate":  # the original result, as recorded the first time
            return "rejected" if result.error else (
                "conflict" if result.conflicts else "applied")
        return result.status

    @staticmethod
    def _settle(session: Session, result: MutationResult, status: str) -> ChangeSet:
        if status == "applied":
            return outbox.mark_applied(session, result.mutation_id, result.version)
        if status == "conflict":
            return outbox.mark_conflict(session, result.mutation_id, result.version,
                                        [c.model_dump() for c in result.conflicts])
        error = result.error
        return outbox.mark_rejected(
            session, result.mutation_id, error.code if error else "rejected",
            error.message if error else "", error.details if error else {})

    # --- pull -----------------------------------------------------------------------

    def _pull(self, counts: _Counts, progress: ProgressFn | None,
              cancel: CancelToken) -> None:
        """Pull pages until ``has_more`` is false. The next page is fetched while the
        current one is written (the cursor of page k+1 is in the answer of page k), so
        the network and the disk work side by side; a page is still committed together
        with its cursor, so a crash resumes after the last page written.

        A refused cursor starts a full re-pull (:func:`~sync.apply.begin_repull`); its
        pages note what they bring, and its last page sweeps what it did not bring, also
        when the re-pull was cut short and this pull resumes it."""
        with self.store.session() as session:
            cursor = get_state(session, SyncKey.CURSOR)
            repull = repull_under_way(session)
        done = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gulou-pull") as fetcher:
            upcoming: Future[PullResponse] | None = None
            while True:
                cancel.check()
                try:
                    page = (upcoming.result() if upcoming is not None
                            else self.client.pull(cursor, self.page_size))
                except CursorRejected:
                    if cursor is None:
                        raise
                    log.warning("the server refused our cursor; pulling everything again")
                    with self.store.write() as session:
                        begin_repull(session)
                    cursor, repull, done, upcoming = None, True, 0, None
                    continue
                upcoming = (fetcher.submit(self.client.pull, page.cursor, self.page_size)
                            if page.has_more else None)
                try:
                    with self.store.write() as session:
                        result = apply_page(session, page.changes, page.cursor)
                        if repull:
                            note_repulled(session, page.changes)
                            if not page.has_more:
                                counts.revoked += sweep_unseen(session)
                except BadChange as exc:
                    raise BadAnswerError(str(exc)) from exc
                finally:
                    if upcoming is not None and sys.exc_info()[0] is not None:
                        upcoming.cancel()
                cursor = page.cursor
                done += len(page.changes)
                counts.pulled += result.upserted + result.deleted
                counts.revoked += result.revoked
                for entity, ids in result.changed.items():
                    counts.touch(entity, ids)
                if progress is not None:
                    estimate = done + (page.estimate or 0) if page.has_more else done
                    progress(SyncProgress("pull", done, estimate))
                if not page.has_more:
                    return


# --- scheduling ----------------------------------------------------------------------


def failure_of(exc: BaseException) -> tuple[FailureReason, str]:
    """The listener's reason for an exception, and a message for the log."""
    if isinstance(exc, Cancelled):
        return FailureReason.CANCELLED, "cancelled"
    if isinstance(exc, OfflineError):
        return FailureReason.OFFLINE, exc.message
    if isinstance(exc, UnauthorizedError):
        return FailureReason.UNAUTHORIZED, exc.message
    if isinstance(exc, ForbiddenError):
        return FailureReason.FORBIDDEN, exc.message
    if isinstance(exc, RateLimitedError):
        return FailureReason.RATE_LIMITED, exc.message
    if isinstance(exc, ServerError):
        return FailureReason.SERVER_ERROR, exc.message
    if isinstance(exc, SyncError):
        return FailureReason.BAD_ANSWER, exc.message
    if isinstance(exc, (sqlalchemy.exc.SQLAlchemyError, OSError)):
        return FailureReason.LOCAL_ERROR, str(exc)[:300]
    return FailureReason.LOCAL_ERROR, repr(exc)[:300]


class SyncScheduler:
    """Runs :class:`SyncEngine` cycles on an asyncio loop (qasync's, in the app).

    Triggers: :meth:`start` (at once), every ``interval`` seconds, :meth:`local_edit_made`
    (after ``debounce`` seconds of quiet), :meth:`sync_now`, and the server being reachable
    again (probed every ``probe_interval`` seconds while offline). One cycle at a time: a
    trigger during a cycle runs one more cycle after it.
    """

    def __init__(self, engine: SyncEngine, listener: SyncListener | None = None, *,
                 interval: float = 60.0, debounce: float = 3.0,
                 probe_interval: float = 10.0) -> None:
        self.engine = engine
        self.listener = listener
        self.interval = interval
        self.debounce = debounce
        self.probe_interval = probe_interval
        self.online: bool | None = None
        self.running = False
        self.last_report: SyncReport | None = None
        self.last_failure: tuple[FailureReason, str] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gulou-sync")
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._debounce_handle: asyncio.TimerHandle | None = None
        self._cancel: CancelToken | None = None
        self._stopped = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._main())
        self._wake.set()

    async def stop(self) -> None:
        self._stopped = True
        if self._cancel is not None:
            self._cancel.cancel()
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._executor.shutdown(wait=True)

    def close(self) -> None:
        """Stop without an event loop (the application is quitting): cancel the running
        cycle and wait for it to end at its next page or batch."""
        self._stopped = True
        if self._cancel is not None:
            self._cancel.cancel()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._executor.shutdown(wait=True)

    def sync_now(self) -> None:
        self._wake.set()

    def cancel(self) -> None:
        """Stop the running cycle at its next page or batch."""
        if self._cancel is not None:
            self._cancel.cancel()

    def local_edit_made(self) -> None:
        loop = asyncio.get_running_loop()
        if self._debounce_handle is not None:
            self._debounce_handle.cancel()
        self._debounce_handle = loop.call_later(self.debounce, self._wake.set)

    async def _main(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopped:
            timeout = self.probe_interval if self.online is False else self.interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            self._wake.clear()
            if self._stopped:
                return
            if self.online is False:
                reachable = await loop.run_in_executor(self._executor,
                                                       self.engine.client.health)
                if not reachable:
                    continue
            await self._cycle(loop)

    async def _cycle(self, loop: asyncio.AbstractEventLoop) -> None:
        self._cancel = CancelToken()
        self.running = True
        self._notify("sync_started")
        last_progress = 0.0

        def progress(p: SyncProgress) -> None:
            nonlocal last_progress
            now = time.monotonic()
            if now - last_progress >= 0.1:  # at most ten updates a second
                last_progress = now
                loop.call_soon_threadsafe(self._notify, "sync_progressed", p)

        try:
            report = await loop.run_in_executor(
                self._executor, self.engine.run_cycle, progress, self._cancel)
        except Exception as exc:
            reason, message = failure_of(exc)
            if reason is FailureReason.LOCAL_ERROR or reason is FailureReason.BAD_ANSWER:
                log.error("sync failed: %s", message, exc_info=exc)
            else:
                log.info("sync failed: %s: %s", reason, message)
            self.last_failure = (reason, message)
            self._set_online(reason is not FailureReason.OFFLINE)
            self._notify("sync_failed", reason, message)
        else:
            self.last_report = report
            self.last_failure = None
            self._set_online(True)
            self._notify("sync_finished", report)
        finally:
            self.running = False
            self._cancel = None

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self._notify("online_changed", online)

    def _notify(self, method: str, *args: object) -> None:
        if self.listener is None:
            return
        try:
            getattr(self.listener, method)(*args)
        except Exception:  # a listener's bug must not stop syncing
            log.exception("sync listener failed in %s", method)
