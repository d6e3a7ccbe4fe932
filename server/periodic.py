"""A job the server process runs every so often in a daemon thread (escalation of overdue
tickets, monthly performance records)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

import sqlalchemy as sa

from gulou_desk.records import now as wall_clock

log = logging.getLogger(__name__)


class PeriodicJob:
    """Runs :meth:`run_once` every ``interval`` seconds in a daemon thread, the first time
    right away. Errors (the database away, say) are logged and the next run comes as
    planned. Subclasses set ``name`` and implement :meth:`run_once`."""

    name = "job"

    def __init__(self, engine: sa.Engine, interval: float,
                 clock: Callable[[], dt.datetime] = wall_clock) -> None:
        if interval <= 0:
            raise ValueError("the interval must be positive")
        self.engine = engine
        self.interval = interval
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"gulou-{self.name}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # keep the loop alive; the next run may succeed
                log.exception("%s run failed", self.name)
            self._stop.wait(self.interval)
