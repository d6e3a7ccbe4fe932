"""The app's qasync loop on a test's QApplication (shared by the UI and sync tests)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager

import qasync
from PySide6.QtWidgets import QApplication

from ui import background
from ui.gc_tuning import GuiThreadCollector


@contextmanager
def app_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop marked running (pytest-qt spins Qt) with the app's background runner;
    torn down without ``loop.stop()``, which in Qt 6.12 would call ``app.exit()`` with no
    loop running and stop every later timer from firing."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    runner = background.Runner()
    background._default_runner = runner
    collector = GuiThreadCollector()  # as the app runs (ui.app.main)
    collector.start()
    try:
        yield loop
    finally:
        collector.stop()
        for task in asyncio.all_tasks(loop):
            task.cancel()
        runner.shutdown(wait=True)
        background._default_runner = None
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        loop.close()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        # The closed loop's timer objects sit in reference cycles: collect them here, on
        # the GUI thread. Left to the garbage collector, they would be destroyed by
        # whichever thread collects next (a worker of the next test), which Qt does not
        # survive.
        gc.collect()
