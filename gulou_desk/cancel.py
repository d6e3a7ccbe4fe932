"""Cancelling work between its stages, the same way for a sync cycle (``sync.engine``) and
a view's background work (``ui.background``): the caller sets a thread-safe flag, the
work checks it between stages and raises :class:`Cancelled`; what was committed stays."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside work that noticed it was cancelled."""


class CancelToken:
    """A flag one thread sets and the work checks between stages (thread-safe)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the work was cancelled."""
        if self._event.is_set():
            raise Cancelled
