"""Whether a bulk load runs in this process, for the app's garbage collector (no Qt here).

A first sync into an empty store (a street supervisor's: 267,000 records) makes millions
of short-lived containers on its worker threads: parsed pages, rows, index entries. Nearly
all of them are freed by reference counting; Python's collector still looks through those
alive whenever it runs, and in the app it runs on the GUI thread
(:mod:`ui.gc_tuning`): 10-60 ms of CPU a collection, 30-40 collections, which freed
0-64 objects each (``bench/ui_stall.py --diagnose``). Those pauses were the GUI's longest.

The sync engine says here while such a load runs (:func:`running`); the app's collector
then sets aside what is young instead of looking through it (``gc.freeze``: no object is
looked at). The price is the one :mod:`ui.gc_tuning` already pays after each full
collection: an object alive during the load that later dies inside a reference cycle is
not reclaimed. The load's own cycles are few (a write transaction's session: some tens of
objects a group of pages); what else the app leaves in cycles meanwhile (a dialog opened
and closed while a first sync runs) stays too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0


@contextmanager
def running() -> Iterator[None]:
    """A bulk load runs for as long as this context lasts (nests; thread-safe)."""
    global _running
    with _lock:
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1


def under_way() -> bool:
    """Whether a bulk load runs now (:func:`running`)."""
    return _running > 0
