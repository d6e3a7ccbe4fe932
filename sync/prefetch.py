"""Pages of a pull fetched ahead, the next one asked for as soon as a page's answer comes.

The cursor of page k+1 is in the answer of page k, so pages are asked for one after the
other. The engine used to ask for page k+1 when it took page k from the fetching thread,
which is after that thread had parsed page k's answer (orjson and the protocol's checks:
15-20 ms for 5,000 changes) and after the engine had finished writing page k-1: all that
time the server waited. The server writes the cursor at the head of its answer
(:func:`~sync.client.next_cursor`), so :class:`PageFetcher` asks for page k+1 as soon as
page k's answer has come, and parses page k while the server makes page k+1.

It never runs further ahead than one page beyond the one fetched next: a page's answer
asks for the page after it only once the engine has taken the page before it. So at
most two pages are held that the engine has not taken (a slow store never lets pages
pile up), and a page the engine will not take (a failure, a cancel) costs at most one
more request, whose answer is dropped.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType

from sync.client import ApiClient, next_cursor, parse_pull_answer
from sync.wire import PulledPage


@dataclass(eq=False)
class _Fetch:
    cursor: str | None
    limit: int
    future: Future[PulledPage] = field(default_factory=Future)
    taken_before: bool = False
    """The engine has taken the page before this one: this one may ask for its next."""
    peeked: str | None = None
    """The next page's cursor, read from this page's answer."""
    early: _Fetch | None = None
    """The next page's fetch, asked for before the engine took this page."""


FIRST_PAGE = 1000
"""The first page of a pull asks for at most this many changes: the server answers it
sooner (a first sync's first page of 5,000 took it 45-80 ms, while the client waits
with nothing to do), the client begins writing it while the server makes the next, full
page, and a register opened meanwhile shows the first households sooner."""


class PageFetcher:
    """Fetches the pages of one pull on worker threads (a context manager)."""

    def __init__(self, client: ApiClient, limit: int, client_id: str | None) -> None:
        self.client = client
        self.limit = limit
        self.client_id = client_id
        # Two threads: one parses page k while the other waits for page k+1.
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gulou-pull")
        self._lock = threading.Lock()
        self._current: _Fetch | None = None
        self._closed = False

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def first(self, cursor: str | None) -> Future[PulledPage]:
        """The page after ``cursor`` (``None``: the first of all), fetched now."""
        with self._lock:
            fetch = self._start(cursor, taken_before=True, limit=min(self.limit, FIRST_PAGE))
            self._current = fetch
        return fetch.future

    def after(self, page: PulledPage) -> Future[PulledPage] | None:
        """The page after ``page``, the page the engine took last (``None``: it was the
        last). Fetched already when its request went out early."""
        with self._lock:
            current = self._current
            early = current.early if current is not None else None
            if not page.has_more:
                if early is not None:
                    early.future.cancel()
                self._current = None
                return None
            if early is None or early.cursor != page.cursor:
                if early is not None:  # read otherwise than parsed: not that page
                    early.future.cancel()
                early = self._start(page.cursor, taken_before=True)
            else:
                early.taken_before = True
                if early.peeked is not None and early.early is None:
                    early.early = self._start(early.peeked)  # its answer came already
            self._current = early
        return early.future

    def _start(self, cursor: str | None, *, taken_before: bool = False,
               limit: int | None = None) -> _Fetch:
        fetch = _Fetch(cursor, taken_before=taken_before, limit=limit or self.limit)
        if self._closed:
            fetch.future.cancel()
            return fetch
        self._pool.submit(self._run, fetch)
        return fetch

    def _run(self, fetch: _Fetch) -> None:
        if not fetch.future.set_running_or_notify_cancel():
            return
        try:
            answer = self.client.pull_answer(fetch.cursor, fetch.limit,
                                             client_id=self.client_id)
            peeked = next_cursor(answer)
            with self._lock:
                fetch.peeked = peeked
                if peeked is not None and fetch.taken_before and fetch.early is None:
                    fetch.early = self._start(peeked)
            page = parse_pull_answer(answer)
        except BaseException as exc:
            fetch.future.set_exception(exc)
        else:
            fetch.future.set_result(page)
