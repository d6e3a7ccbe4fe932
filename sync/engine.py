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
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy.exc
from pydantic import ValidationError
from sqlalchemy.orm import Session

from gulou_desk import bulk_work, records
from gulou_desk.cancel import Cancelled, CancelToken
from gulou_desk.store import bulk_load, outbox, search_index
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.engine import Store
from gulou_desk.store.sync_state import SyncKey, get_state, set_state
from sync.apply import (
    BadChange,
    PageResult,
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
    DeviceRevokedError,
    ForbiddenError,
    OfflineError,
    RateLimitedError,
    RequestRejected,
    ServerError,
    SyncError,
    UnauthorizedError,
)
from sync.events import FailureReason, SyncListener, SyncProgress, SyncReport
from sync.prefetch import PageFetcher
from sync.wire import (
    MAX_BODY_BYTES,
    MAX_PUSH_MUTATIONS,
    Mutation,
    MutationResult,
    PulledPage,
)

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 2000
BULK_GROUP_CHANGES = 16_000
BULK_GROUP_PAGES = 8
"""A bulk load writes several pages in one transaction (each still with its cursor, so
a crash resumes after the last one committed), up to this many changes or pages. Each
commit writes again the pages it shares with the one before (the id index's leaves,
spread over the whole index by random ids; the tables' interior pages), and encrypts
them again: a street's 267k records wrote 430 MB for 54 commits of 5,000, 234 MB for
nine of 30,000. A failure while a group is open (a bad page, the server gone, a cancel)
commits the pages written before it."""


@dataclass(slots=True)
class _Applied:
    """What the engine keeps of a page written in an open group (not the page: its
    records are let go as soon as they are written)."""

    cursor: str
    has_more: bool
    estimate: int | None
    changes: int
    result: PageResult


INDEX_HELPER_RECORDS = 50_000
"""From how many records a bulk load starts the search index's helper process
(:class:`~gulou_desk.store.search_index.EntryHelper`) when its first page comes: some
10,000 households with their residents and visits. Below, the index is made in a
fraction of a second without it (a social worker's 16,000 records: 0.15 s)."""

BULK_GROUP_WAIT_S = 0.25
"""How long a group waits for its next page while holding the store's write lock. The
network never holds a group open longer: a slow page commits what came before it, so
the households pulled so far are listed (tests/journeys/test_first_sync_register.py)
and an edit made meanwhile is not kept waiting for the lock (SQLite's busy timeout)."""


AHEAD_SLICE_S = 0.002
"""While a first sync waits for a page, it makes names' words ahead
(:class:`~gulou_desk.store.search_index.NamesAhead`) for this long at a time, then looks
whether the page came."""


def _names_of(page: PulledPage) -> Iterator[Any]:
    """The names of a page's households and residents (what the search index makes
    words of)."""
    for change in page.changes:
        data = change.data
        if data is None:
            continue
        if change.entity == "household":
            yield data.get("head_name")
        elif change.entity == "resident":
            yield data.get("name")


def _group_open(applied: list[_Applied]) -> bool:
    return (len(applied) < BULK_GROUP_PAGES
            and sum(a.changes for a in applied) < BULK_GROUP_CHANGES)


def _last_is_here(upcoming: Future[PulledPage]) -> bool:
    """Whether the next page came already and is the pull's last. A full group takes it
    all the same (one page over its bounds): the last page's transaction ends the bulk
    load and the cycle, and its commit leaves the WAL to a checkpoint made after
    (:meth:`SyncEngine._end`), where a commit of the full group first, checkpoint and
    all, would be waited for in between. A social worker's 16,638 records are a group
    of 16,000 changes and a last page of 638."""
    if not upcoming.done() or upcoming.cancelled() or upcoming.exception() is not None:
        return False
    return not upcoming.result().has_more


ProgressFn = Callable[[SyncProgress], None]


@dataclass
class _Counts:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    revoked: int = 0
    held: int = 0
    push_error: str | None = None
    changed: dict[str, set[str]] = field(default_factory=dict)

    def touch(self, entity: str, ids: set[str] | frozenset[str]) -> None:
        self.changed.setdefault(entity, set()).update(ids)

    def report(self) -> SyncReport:
        return SyncReport(
            pushed=self.pushed, applied=self.applied, conflicts=self.conflicts,
            rejected=self.rejected, pulled=self.pulled, revoked=self.revoked,
            held=self.held, push_error=self.push_error,
            changed={k: frozenset(v) for k, v in self.changed.items()},
        )


MAX_FAILED_REQUESTS = 24
"""Failed requests one cycle may spend looking for the mutations at fault in a failing
batch (about eight per mutation in a batch of 500): a server that fails on everything is
not asked a thousand times."""
_ENVELOPE_BYTES = 256
"""The push request around its mutations (``client_id`` and the brackets)."""
_CYCLE_ERRORS = (OfflineError, UnauthorizedError, ForbiddenError, RateLimitedError)
"""Push failures that concern every request, not one mutation: the cycle ends."""


class _Budget:
    def __init__(self, requests: int) -> None:
        self.left = requests

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


class _PushStopped(Exception):
    def __init__(self, error: SyncError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class _PushCycle:
    """What one cycle's push learnt (:meth:`SyncEngine._push`)."""

    budget: _Budget
    failed: set[str] = field(default_factory=set)
    """Mutations that failed alone in this cycle: not sent again before the next."""
    suspects: list[tuple[Mutation, SyncError]] = field(default_factory=list)
    offered: set[str] = field(default_factory=set)
    succeeded: bool = False
    """A push request of this cycle was answered (the server takes mutations)."""
    blamed: bool = False
    stopped: bool = False
    error: SyncError | None = None


def _failure_code(error: SyncError) -> str:
    """What a failed push of one mutation says about it (``outbox.record_failure``)."""
    if isinstance(error, RequestRejected):
        if error.status == 413:
            return "too_large"
        return error.error_code if error.error_code in outbox.HOLD_AT_ONCE else "bad_request"
    if isinstance(error, BadAnswerError):
        return "bad_answer"
    return "server_error"


class SyncEngine:
    """Runs sync cycles between one local store and one server (blocking calls)."""

    def __init__(self, store: Store, client: ApiClient, *, client_id: str,
                 page_size: int = DEFAULT_PAGE_SIZE,
                 max_push_bytes: int = MAX_BODY_BYTES) -> None:
        self.store = store
        self.client = client
        self.client_id = client_id
        self.page_size = page_size
        self.max_push_bytes = max_push_bytes
        """No push request is larger (the server refuses bodies over its limit)."""
        self._lock = threading.Lock()
        self._entry_helper: search_index.EntryHelper | None = None
        self._names_ahead: search_index.NamesAhead | None = None

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
            push_error = None
            if self._outbox_waiting():
                # Photos go before the visits that refer to them (sync/blobs.py).
                upload_pending_blobs(self.store, self.client, check=cancel.check)
                push_error = self._push(counts, progress, cancel)
            if push_error is not None:
                counts.push_error = f"{push_error.code}: {push_error.message}"[:300]
                log.warning("the push stopped (%s); pulling all the same", push_error.code)
            if not self._pull(counts, progress, cancel):
                with self.store.write(refetchable=True) as session:
                    self._end_cycle(session, counts)
            return counts.report()
        finally:
            self._lock.release()

    @staticmethod
    def _end_cycle(session: Session, counts: _Counts) -> None:
        """The cycle's last writes: records that left the scope with edits since pushed
        dropped, and when it ended noted. In the pull's last transaction, when the pull
        wrote anything (:meth:`_pull_pages`), or else in one of their own; either way a
        transaction that commits without waiting for the disk (``refetchable``): a power
        cut that takes them back leaves the revokes for the next cycle to drop and the
        sync before this one noted as the last."""
        counts.revoked += settle_deferred_revokes(session)
        set_state(session, SyncKey.LAST_SYNC_AT, records.format_datetime(records.now()))

    # --- push -----------------------------------------------------------------------

    def _outbox_waiting(self) -> bool:
        """Whether the outbox holds anything (one lookup): the photos to upload are those
        of mutations in it, so an empty outbox leaves nothing to upload or push.

        Looked at under the write lock (a write transaction that writes nothing: no
        commit reaches the disk): an edit being written as the cycle starts is waited for
        and pushed by this cycle. A plain read saw the outbox as it was before that edit
        committed, and the cycle ended without it — "Sync now" right after approving a
        record left the approval unsent until the next cycle."""
        with self.store.write() as session:
            return outbox.pending_count(session) > 0

    def _push(self, counts: _Counts, progress: ProgressFn | None,
              cancel: CancelToken) -> SyncError | None:
        """Push the outbox in batches (at most :data:`MAX_PUSH_MUTATIONS` and
        ``max_push_bytes`` each) and settle every result.

        No single mutation can stop the queue: a batch the server fails on (5xx, an answer
        that is not the protocol, a request refused as a whole) is split in halves until
        the mutation at fault is alone (:meth:`_isolate`); the others go through. The one
        at fault is set aside at once (a request-level refusal) or after
        :data:`~gulou_desk.store.outbox.SERVER_ERROR_TRIES` server errors, one per cycle —
        when the server took something else in this cycle, or it was the only mutation
        to send: a server that fails on every request blames no edit. Failures that
        concern every request (offline, signed out, rate limited) end the cycle. Any
        other failure that stops the push is returned: the pull of the cycle goes on.
        """
        with self.store.session() as session:
            total = outbox.pending_count(session) - outbox.held_count(session)
        push = _PushCycle(_Budget(MAX_FAILED_REQUESTS))
        try:
            while True:
                cancel.check()
                batch = self._next_batch(push.failed, counts)
                if not batch:
                    break
                push.offered.update(m.mutation_id for m in batch)
                try:
                    self._send(batch, counts, push)
                except _CYCLE_ERRORS:
                    raise
                except SyncError as exc:
                    log.warning("a push of %d mutations failed (%s); looking for the one "
                                "at fault", len(batch), exc.code)
                    push.error = exc
                    self._isolate(batch, exc, counts, push, cancel)
                else:
                    self._unsettled(batch, push)
                if progress is not None:
                    progress(SyncProgress("push", counts.pushed, total))
        except _PushStopped:
            pass
        self._blame(push, counts)
        if push.stopped or (push.suspects and not push.blamed):
            return push.error  # the server failed on more than one edit's worth
        return None

    def _unsettled(self, batch: list[Mutation], push: _PushCycle) -> None:
        with self.store.session() as session:
            unsettled = {m.mutation_id for m in outbox.mutations_of(
                session, [m.mutation_id for m in batch]) if m.held_at is None}
        if unsettled:  # the answer named other mutations: do not loop on them
            log.error("push results did not settle %d mutations", len(unsettled))
            push.failed |= unsettled

    def _blame(self, push: _PushCycle, counts: _Counts) -> None:
        """Count the failures of the mutations that failed alone — if the server took
        something else in this cycle, or there was nothing else to send."""
        if not push.suspects or not (push.succeeded or len(push.offered) == 1):
            return
        push.blamed = True
        with self.store.write() as session:
            for mutation, error in push.suspects:
                code = _failure_code(error)
                if outbox.record_failure(session, mutation.mutation_id, code,
                                         error.message):
                    counts.held += 1
                    log.warning("mutation %s (%s %s) set aside: %s", mutation.mutation_id,
                                mutation.entity, mutation.id, code)

    def _next_batch(self, failed: set[str], counts: _Counts) -> list[Mutation]:
        """The next mutations to send, as wire models, under both limits. A mutation that
        does not fit the protocol at all (it could never be sent) is set aside here."""
        with self.store.write() as session:
            batch: list[Mutation] = []
            size = _ENVELOPE_BYTES
            for pending in outbox.pending_outbox(session, MAX_PUSH_MUTATIONS, skip=failed):
                wire = outbox.to_mutation(pending)
                try:
                    mutation = Mutation.model_validate(wire)
                except ValidationError as exc:
                    log.error("mutation %s does not fit the protocol; set aside",
                              pending.mutation_id)
                    outbox.hold(session, pending.mutation_id, "validation",
                                str(exc)[:300])
                    counts.held += 1
                    continue
                weight = len(orjson.dumps(wire)) + 1
                if batch and size + weight > self.max_push_bytes:
                    break
                if weight + _ENVELOPE_BYTES > self.max_push_bytes:
                    log.error("mutation %s is larger than a push may be (%d bytes); "
                              "set aside", pending.mutation_id, weight)
                    outbox.hold(session, pending.mutation_id, "too_large",
                                f"{weight} bytes; a push may carry {self.max_push_bytes}")
                    counts.held += 1
                    continue
                batch.append(mutation)
                size += weight
            return batch

    def _send(self, batch: list[Mutation], counts: _Counts, push: _PushCycle, *,
              retry: bool = True) -> None:
        """One push request and the settling of its results (one transaction). A failed
        request counts an attempt for each of its mutations (``retry=False``, a split
        batch: :meth:`_isolate` does the counting)."""
        try:
            results = self.client.push(self.client_id, batch, retry=retry)
        except SyncError as exc:
            if retry or isinstance(exc, _CYCLE_ERRORS):
                with self.store.write() as session:
                    outbox.mark_push_failed(session, [m.mutation_id for m in batch],
                                            f"{exc.code}: {exc.message}")
            raise
        push.succeeded = True
        with self.store.write() as session:
            statuses = [self._status_of(result) for result in results]
            # The usual result, an update applied, is settled for the whole batch at once.
            change, settled = outbox.mark_applied_many(session, [
                (r.mutation_id, r.version) for r, status in zip(results, statuses, strict=True)
                if status == "applied"], exact={r.mutation_id for r in results if r.exact})
            # and so is a conflict of an update that was its record's only pending edit.
            conflicted, settled_too = outbox.mark_conflict_many(session, [
                (r.mutation_id, r.version, [c.model_dump() for c in r.conflicts])
                for r, status in zip(results, statuses, strict=True) if status == "conflict"])
            change |= conflicted
            settled |= settled_too
            for entity in change.entities:
                counts.touch(entity, set(change.ids_of(entity)))
            for result, status in zip(results, statuses, strict=True):
                if status == "applied":
                    counts.applied += 1
                elif status == "conflict":
                    counts.conflicts += 1
                else:
                    counts.rejected += 1
                if result.mutation_id in settled:
                    continue
                change = self._settle(session, result, status)
                for entity in change.entities:
                    counts.touch(entity, set(change.ids_of(entity)))
        counts.pushed += len(results)

    def _isolate(self, batch: list[Mutation], error: SyncError, counts: _Counts,
                 push: _PushCycle, cancel: CancelToken) -> None:
        """``batch`` failed with ``error``: send its halves (no retries inside the client:
        the failure is known), down to the mutation at fault, which becomes a suspect
        (:meth:`_blame`); what builds on it is not sent in this cycle."""
        if len(batch) == 1:
            push.failed.add(batch[0].mutation_id)
            push.suspects.append((batch[0], error))
            return
        middle = len(batch) // 2
        for half in (batch[:middle], batch[middle:]):
            cancel.check()
            with self.store.session() as session:  # what builds on a failed one waits
                free = set(outbox.still_free(session, [m.mutation_id for m in half],
                                             skip=push.failed))
            half = [m for m in half if m.mutation_id in free]
            if not half:
                continue
            try:
                self._send(half, counts, push, retry=False)
            except _CYCLE_ERRORS:
                raise
            except SyncError as exc:
                push.error = exc
                if not push.budget.spend():
                    push.stopped = True
                    raise _PushStopped(exc) from exc
                self._isolate(half, exc, counts, push, cancel)
            else:
                self._unsettled(half, push)

    @staticmethod
    def _status_of(result: MutationResult) -> str:
        if result.status == "duplicate":  # the original result, as recorded the first time
            return "rejected" if result.error else (
                "conflict" if result.conflicts else "applied")
        return result.status

    @staticmethod
    def _settle(session: Session, result: MutationResult, status: str) -> ChangeSet:
        if status == "applied":
            return outbox.mark_applied(session, result.mutation_id, result.version,
                                       exact=bool(result.exact))
        if status == "conflict":
            return outbox.mark_conflict(session, result.mutation_id, result.version,
                                        [c.model_dump() for c in result.conflicts])
        error = result.error
        return outbox.mark_rejected(
            session, result.mutation_id, error.code if error else "rejected",
            error.message if error else "", error.details if error else {})

    # --- pull -----------------------------------------------------------------------

    def _pull(self, counts: _Counts, progress: ProgressFn | None,
              cancel: CancelToken) -> bool:
        """Pull pages until ``has_more`` is false. The next page is fetched while the
        current one is written (the cursor of page k+1 is in the answer of page k), so
        the network and the disk work side by side; a page is still committed together
        with its cursor, so a crash resumes after the last page written (a power cut may
        take the last pages back with their cursor: their commits do not wait for the
        disk, ``Store.write(refetchable=True)``, and the next pull brings them again).

        A refused cursor starts a full re-pull (:func:`~sync.apply.begin_repull`); its
        pages note what they bring, and its last page sweeps what it did not bring, also
        when the re-pull was cut short and this pull resumes it.

        The first pull into a store that holds nothing synced is a bulk load
        (:mod:`gulou_desk.store.bulk_load`): indexes and the search index are made once
        at its end, whatever the end is. (Not a re-pull: its rows are mostly the ones
        held, which leave the search index as it is.)

        Returns whether the cycle's end (:meth:`_end_cycle`) was written with the pull's
        last page."""
        with self.store.session() as session:
            cursor = get_state(session, SyncKey.CURSOR)
            repull = repull_under_way(session)
            bulk = bulk_load.under_way(session) or (
                cursor is None and not repull and bulk_load.nothing_synced(session))
        # A bulk load tells the app's garbage collector, which then leaves its short-lived
        # objects to reference counting (gulou_desk.bulk_work).
        with bulk_work.running() if bulk else contextlib.nullcontext():
            try:
                ended = self._pull_pages(cursor, repull, counts, progress, cancel,
                                         bulk=bulk)
            except BaseException:
                if bulk:
                    try:
                        self._finish_bulk_load()
                    except Exception:  # the pull's own failure is the one to report
                        log.exception("finishing the bulk load after a failed pull failed")
                raise
            else:
                if bulk and ended:  # the last page's commit ended the load, leaving the WAL
                    self.store.checkpoint_soon()
                elif bulk:
                    self._finish_bulk_load()
                return ended
            finally:
                self._names_ahead = None
                if self._entry_helper is not None:
                    self._entry_helper.close()
                    self._entry_helper = None

    def _pull_pages(self, cursor: str | None, repull: bool, counts: _Counts,
                    progress: ProgressFn | None, cancel: CancelToken, *,
                    bulk: bool) -> bool:
        """The pages of :meth:`_pull`. The transaction of the last page also ends a bulk
        load and the cycle (:meth:`_end`); returns whether it did (not after a no-op
        pull, which writes nothing)."""
        done = 0
        if bulk:
            self._names_ahead = search_index.NamesAhead()
        with PageFetcher(self.client, self.page_size, self.client_id) as fetcher:
            upcoming: Future[PulledPage] | None = None

            while True:
                cancel.check()
                try:
                    coming = upcoming or fetcher.first(cursor)
                    self._arrives(coming, None)
                    page = coming.result()
                except CursorRejected:
                    if cursor is None:
                        raise
                    log.warning("the server refused our cursor; pulling everything again")
                    with self.store.write() as session:
                        begin_repull(session)
                    cursor, repull, done, upcoming = None, True, 0, None
                    continue
                upcoming = fetcher.after(page)
                if (bulk and self._entry_helper is None and len(page.changes)
                        + (page.estimate or 0) >= INDEX_HELPER_RECORDS):
                    # Started now, it is up by the pull's end (search_index.EntryHelper).
                    self._entry_helper = search_index.EntryHelper.start()
                    if self._entry_helper.open:
                        # It makes most entries, with their names: none made ahead here
                        # (one that could not start makes none: they are made here).
                        self._names_ahead = None
                if (not page.changes and not page.has_more and page.cursor == cursor
                        and not repull):
                    # Nothing new and the cursor as stored (a no-op pull): nothing to
                    # write, so no write transaction and no commit.
                    if progress is not None:
                        progress(SyncProgress("pull", done, done))
                    return False
                applied: list[_Applied] = []
                failure: BaseException | None = None
                try:
                    with self.store.write(refetchable=True, bulk=bulk) as session:
                        if bulk:
                            bulk_load.begin(session)  # once: then it is under way
                        while True:
                            try:
                                if applied:  # a later page's failure keeps the earlier
                                    with session.begin_nested():
                                        result = self._apply(session, page, repull,
                                                             counts)
                                else:
                                    result = self._apply(session, page, repull, counts)
                            except BaseException as exc:
                                if not applied:
                                    raise
                                failure = exc
                                break
                            applied.append(_Applied(page.cursor, page.has_more,
                                                    page.estimate, len(page.changes),
                                                    result))
                            if not (bulk and upcoming is not None and not cancel.cancelled
                                    and ((_group_open(applied)
                                          and self._arrives(upcoming, BULK_GROUP_WAIT_S))
                                         or _last_is_here(upcoming))):
                                break
                            try:
                                page = upcoming.result()
                            except BaseException as exc:  # said at the loop's top
                                upcoming = Future()
                                upcoming.set_exception(exc)
                                break
                            upcoming = fetcher.after(page)
                        if failure is None and not applied[-1].has_more:
                            failure = self._end(session, bulk, counts)
                finally:
                    if upcoming is not None and sys.exc_info()[0] is not None:
                        upcoming.cancel()
                for written in applied:
                    cursor = written.cursor
                    done += written.changes
                    result = written.result
                    counts.pulled += result.upserted + result.deleted
                    counts.revoked += result.revoked
                    for entity, ids in result.changed.items():
                        counts.touch(entity, ids)
                    if progress is not None:
                        estimate = (done + (written.estimate or 0) if written.has_more
                                    else done)
                        progress(SyncProgress("pull", done, estimate))
                if failure is not None:
                    if upcoming is not None:
                        upcoming.cancel()
                    raise failure
                if not applied[-1].has_more:
                    return True

    def _apply(self, session: Session, page: PulledPage, repull: bool,
               counts: _Counts) -> PageResult:
        """One page and its cursor, in the caller's write transaction."""
        try:
            result = apply_page(session, page.changes, page.cursor)
            if self._names_ahead is not None:
                self._names_ahead.take(_names_of(page))
            if repull:
                note_repulled(session, page.changes)
                if not page.has_more:
                    counts.revoked += sweep_unseen(session)
        except BadChange as exc:
            raise BadAnswerError(str(exc)) from exc
        return result

    def _arrives(self, upcoming: Future[PulledPage], timeout: float | None) -> bool:
        """Whether ``upcoming`` is here within ``timeout`` seconds (``None``: waits for
        it). A bulk load makes names' words ahead meanwhile (:data:`AHEAD_SLICE_S` at a
        time), for the search index it builds at its end."""
        ahead = self._names_ahead
        if ahead is not None and not upcoming.done():
            deadline = None if timeout is None else time.perf_counter() + timeout
            while not upcoming.done():
                until = time.perf_counter() + AHEAD_SLICE_S
                if not ahead.make(until if deadline is None else min(until, deadline)):
                    break
                if deadline is not None and time.perf_counter() >= deadline:
                    break
            if deadline is not None:
                timeout = max(0.0, deadline - time.perf_counter())
        return bool(futures_wait([upcoming], timeout=timeout).done)

    def _end(self, session: Session, bulk: bool, counts: _Counts) -> BaseException | None:
        """In the transaction of the pull's last page: end the bulk load (``bulk``) and
        the cycle (:meth:`_end_cycle`), so that the last pages, the indexes and search
        index made again, and the cycle's end reach the disk in one commit, not three
        (each writing again pages the one before wrote). What fails here is rolled back
        alone and returned, to raise once the pages are committed (:meth:`_pull` then
        finishes the bulk load in a transaction of its own)."""
        try:
            with session.begin_nested():
                if bulk:
                    bulk_load.finish(session, self._entry_helper, self._names_ahead)
                self._end_cycle(session, counts)
        except Exception as exc:
            return exc
        if bulk:  # its commit copies no WAL into the store file: _pull has it done after
            self.store.defer_checkpoint(session)
        return None

    def _finish_bulk_load(self) -> None:
        """End a bulk load (:mod:`gulou_desk.store.bulk_load`) that this pull began, or
        an earlier one left: indexes made again, the search index built once. Also when
        the pull failed or was cancelled, so that what it brought can be searched."""
        with self.store.write(bulk=True) as session:
            bulk_load.finish(session, self._entry_helper)


# --- scheduling ----------------------------------------------------------------------


FAILURE_REASONS: tuple[tuple[type[SyncError], FailureReason], ...] = (
    (OfflineError, FailureReason.OFFLINE),
    (DeviceRevokedError, FailureReason.DEVICE_REVOKED),
    (UnauthorizedError, FailureReason.UNAUTHORIZED),
    (ForbiddenError, FailureReason.FORBIDDEN),
    (RateLimitedError, FailureReason.RATE_LIMITED),
    (ServerError, FailureReason.SERVER_ERROR),
    (SyncError, FailureReason.BAD_ANSWER),
)
"""The client's errors and the reason each tells the listener, the most particular first
(every one is a :class:`SyncError`: one that is none of the others is a bad answer)."""


def failure_of(exc: BaseException) -> tuple[FailureReason, str]:
    """The listener's reason for an exception, and a message for the log."""
    if isinstance(exc, Cancelled):
        return FailureReason.CANCELLED, "cancelled"
    if isinstance(exc, SyncError):
        reason = next(r for kind, r in FAILURE_REASONS if isinstance(exc, kind))
        return reason, exc.message
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
