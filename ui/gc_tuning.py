"""Python's garbage collector, tuned so that it does not stop the GUI during a big sync.

A full collection stops every thread, the GUI thread included, for as long as it takes to
look at every container object the process holds. ``bench/ui_stall.py`` found these pauses
to be the GUI's longest waits while a supervisor's first sync (213,000 records) runs:
0.4–0.6 s each, every few seconds, with the default settings. Start-up alone leaves about
400,000 objects to look at (pypinyin's dictionaries are most of them), and the sync keeps
promoting short-lived page objects into the oldest generation, which triggers a full
collection again and again.

What :func:`tune_garbage_collector` does, once per process:

* collects, then **freezes** what start-up made (modules, pypinyin's dictionaries, the
  store's schema): they live as long as the process, so the collector stops looking at
  them (``gc.freeze``);
* **freezes again after every full collection**: what survived one is long-lived too
  (caches filled by the sync, the open store), so the next full collection only looks at
  what is new since. The price: a frozen object that later dies inside a reference cycle
  is not reclaimed (objects without cycles are freed as usual, by reference counting);
* collects the youngest generation every :data:`YOUNG_THRESHOLD` allocations instead of
  every 700, so page objects are freed by reference counting before they get promoted
  (fewer full collections, and a faster sync), and considers a full collection ten times
  less often (:data:`OLD_THRESHOLD`).

While a bulk load runs (a first sync, :mod:`gulou_desk.bulk_work`), what is due is
**frozen instead of collected**: the sync's worker threads make millions of short-lived
containers, freed by reference counting, and each collection looked through those alive
on the GUI thread (10-60 ms of CPU, 30-40 times in a supervisor's first sync) to free a
few dozen objects. ``gc.freeze()`` looks at none.

And it gives the GIL to a waiting thread every :data:`SWITCH_INTERVAL_S` instead of every
5 ms: at the end of a first sync four threads want it at once (the sync making index
entries, the index helper's feeder and result threads, the GUI), and a GUI thread that
lost the race after each 5 ms wait missed its heartbeat by 50-70 ms.

And :class:`GuiThreadCollector` makes every collection run **on the GUI thread**. Python
collects in whichever thread allocates when a threshold is crossed: in this app, often the
sync thread or a background worker. A Qt object caught in a reference cycle (a closed
dialog, a view and its slots) was then destroyed by that thread, which Qt does not allow
("QObject::~QObject: Timers cannot be stopped from another thread", or a crash).
"""

from __future__ import annotations

import gc
import logging
import sys
import time

from PySide6.QtCore import QObject, QTimer

from gulou_desk import bulk_work

log = logging.getLogger(__name__)

YOUNG_THRESHOLD = 10_000
OLD_THRESHOLD = 100
"""A full collection is considered after this many collections of the middle generation
(10 by default): not during a first sync, which makes about a dozen."""
SWITCH_INTERVAL_S = 0.001
"""How long a thread holding the GIL keeps it from a thread asking for it (Python's
default: 5 ms). ``bench/ui_stall.py`` on a loaded machine (2026-12-05), collections
already frozen during the sync: the GUI's longest gap less its waits for a CPU went from
54-76 ms (4 runs) to 33-37 ms (2 runs); ``bench/initial_sync.py``: the client's CPU time
for a street supervisor's first sync stayed as it was (9.5-11 s, run for run)."""
_tuned = False


def tune_garbage_collector() -> None:
    """Apply the settings of the module docstring (idempotent). Call it at start-up."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    import gulou_desk.store  # noqa: F401 - its search index loads pypinyin's dictionaries

    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    _, middle, _ = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, OLD_THRESHOLD)
    gc.callbacks.append(_freeze_after_full_collection)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    log.info("garbage collector tuned: %d start-up objects frozen in %.0f ms",
             gc.get_freeze_count(), (time.perf_counter() - started) * 1000)


def _freeze_after_full_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


class GuiThreadCollector(QObject):
    """Python's garbage collector, run by a timer on the GUI thread instead of by whichever
    thread allocates (see the module docstring).

    While it runs, automatic collection is off; every :data:`INTERVAL_MS` it does what the
    automatic collector would have done (:func:`collect_if_due`). The cost is
    the same as before (a collection holds the GIL whatever thread runs it); only the
    thread changes. Create it on the GUI thread.
    """

    INTERVAL_MS = 100

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Automatic collection as it was before :meth:`start`."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def check(self) -> int | None:
        return collect_if_due()


def collect_if_due() -> int | None:
    """Collect the oldest generation whose count passed its threshold, as the automatic
    collector would (``gc.collect(n)`` keeps the counts as it does), in the calling
    thread; returns the generation collected, if any. While a bulk load runs
    (:func:`gulou_desk.bulk_work.under_way`), a collection due freezes what is young
    instead (module docstring), and ``None`` is returned."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if bulk_work.under_way():
        if thresholds[0] and counts[0] > thresholds[0]:
            gc.freeze()
        return None
    for generation in (2, 1, 0):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return generation
    return None
