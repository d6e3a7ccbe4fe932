"""The server's periodic jobs (escalation of overdue tickets, monthly performance records,
and whatever is added to :data:`server.jobs.JOBS`), run **once across every process and
host** that serves the same database.

Any number of ``gulou-server serve`` processes (and ``gulou-server jobs`` processes) may
run the same job; each wakes every few seconds and tries to *claim* the job's next run in
the ``job_runs`` table with one conditional ``UPDATE``::

    UPDATE job_runs SET running_until = now + lease, last_started_at = now, runs = runs + 1
     WHERE name = :job AND next_due_at <= now
       AND (running_until IS NULL OR running_until < now)

The database decides who wins: PostgreSQL re-checks the condition on the row after a
concurrent ``UPDATE`` commits (read committed), SQLite has one writer, so exactly one
process sees one updated row and runs the job; the others see none and sleep. When the run
ends (well or not) the winner sets ``next_due_at = started + interval`` and clears the
lease. While it runs, a heartbeat extends the lease, so a long run is never taken over,
and a process that dies mid-run (SIGKILL, the host lost) frees the job after at most
:data:`LEASE_SECONDS`: another process takes the run then.

Nothing is kept in process memory that another process needs; the table also tells an
operator when each job last ran, where, for how long and with what outcome
(``docs/deployment.md``, "what to watch").

A job is a :class:`PeriodicJob` subclass with a ``name`` and a :meth:`~PeriodicJob.run_once`
(or a plain function given to :class:`FunctionJob`), listed in :data:`server.jobs.JOBS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gulou_desk.records import now as wall_clock
from server.schema import job_runs

log = logging.getLogger(__name__)

LEASE_SECONDS = 120.0
"""How long a claimed run stays claimed without a heartbeat (a process that died)."""
HEARTBEAT_SECONDS = 30.0
POLL_SECONDS = 15.0
"""A job not due here yet is looked at again after at most this long."""
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)



def runner_id() -> str:
    """This process, as the job table names it: ``host:pid``."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


def claim(engine: sa.Engine, name: str, *, lease: float = LEASE_SECONDS,
          at: dt.datetime | None = None) -> dt.datetime | None:
    """Claim the due run of job ``name`` for this process: the start time when claimed,
    None when the job is not due or another process runs it."""
    start = at or wall_clock()
    with engine.begin() as conn:
        _ensure_row(conn, name)
        claimed = conn.execute(
            sa.update(job_runs)
            .where(job_runs.c.name == name, job_runs.c.next_due_at <= start,
                   sa.or_(job_runs.c.running_until.is_(None),
                          job_runs.c.running_until < start))
            .values(running_until=start + dt.timedelta(seconds=lease),
                    last_started_at=start, last_host=runner_id(),
                    runs=job_runs.c.runs + 1))
        return start if claimed.rowcount == 1 else None


def extend(engine: sa.Engine, name: str, started: dt.datetime,
           lease: float = LEASE_SECONDS) -> bool:
    """Keep the claim of a run that is still going; False if it is no longer ours."""
    with engine.begin() as conn:
        return conn.execute(
            sa.update(job_runs)
            .where(job_runs.c.name == name, job_runs.c.last_started_at == started,
                   job_runs.c.last_host == runner_id())
            .values(running_until=wall_clock() + dt.timedelta(seconds=lease))
        ).rowcount == 1


def release(engine: sa.Engine, name: str, started: dt.datetime, interval: float,
            outcome: str) -> None:
    """End a claimed run: the next one is due ``interval`` seconds after this one began."""
    with engine.begin() as conn:
        conn.execute(
            sa.update(job_runs)
            .where(job_runs.c.name == name, job_runs.c.last_started_at == started,
                   job_runs.c.last_host == runner_id())
            .values(running_until=None, last_finished_at=wall_clock(),
                    last_outcome=outcome[:255],
                    next_due_at=started + dt.timedelta(seconds=interval)))


def _ensure_row(conn: sa.Connection, name: str) -> None:
    values = {"name": name, "next_due_at": EPOCH, "runs": 0}
    if conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(job_runs).values(values).on_conflict_do_nothing())
    elif conn.dialect.name == "sqlite":
        conn.execute(sqlite.insert(job_runs).values(values).on_conflict_do_nothing())
    elif conn.execute(sa.select(job_runs.c.name).where(job_runs.c.name == name)).first() \
            is None:  # pragma: no cover - only the two dialects above are supported
        conn.execute(sa.insert(job_runs).values(values))


class PeriodicJob:
    """Runs :meth:`run_once` every ``interval`` seconds in a daemon thread, across all
    processes on the same database (see the module's doc): the first time as soon as it
    is due (right away on a new database), then ``interval`` seconds after the last run
    began, wherever that was. Errors (the database away, say) are logged and the next
    run comes as planned. Subclasses set ``name`` and implement :meth:`run_once`, which
    runs unclaimed when called directly (``gulou-server escalate`` and the tests)."""

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

    def run_if_due(self) -> bool:
        """Run once if this process wins the claim of the due run; True if it ran."""
        started = claim(self.engine, self.name)
        if started is None:
            return False
        beat = threading.Event()
        heartbeat = threading.Thread(target=self._heartbeat, args=(started, beat),
                                     name=f"gulou-{self.name}-lease", daemon=True)
        heartbeat.start()
        outcome = "failed"
        t0 = time.perf_counter()
        try:
            count = self.run_once()
            outcome = f"ok: {count} in {time.perf_counter() - t0:.1f} s"
            log.info("job %s ran on %s: %s", self.name, runner_id(), outcome)
        except Exception as exc:  # keep the loop alive; the next run may succeed
            outcome = f"failed: {type(exc).__name__}"
            log.exception("%s run failed", self.name)
        finally:
            beat.set()
            heartbeat.join()
            self._release(started, outcome)
        return True

    def _heartbeat(self, started: dt.datetime, done: threading.Event) -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            try:
                if not extend(self.engine, self.name, started):
                    log.warning("job %s: the lease was lost while running", self.name)
            except Exception:
                log.warning("job %s: the lease could not be extended", self.name,
                            exc_info=True)

    def _release(self, started: dt.datetime, outcome: str) -> None:
        for attempt in range(3):
            try:
                release(self.engine, self.name, started, self.interval, outcome)
                return
            except Exception:  # the database away: the lease expires by itself
                if attempt == 2:
                    log.warning("job %s: the run could not be recorded; its lease "
                                "expires in %.0f s", self.name, LEASE_SECONDS, exc_info=True)
                else:
                    time.sleep(1)

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
                self.run_if_due()
            except Exception:  # the claim itself failed: the database is away
                log.warning("job %s: could not claim a run (database away?)", self.name,
                            exc_info=True)
            self._stop.wait(min(self.interval, POLL_SECONDS))


class FunctionJob(PeriodicJob):
    """A job made of a function ``(engine, now) -> count``, for :data:`server.jobs.JOBS`."""

    def __init__(self, name: str, function: Callable[[sa.Engine, dt.datetime], int],
                 engine: sa.Engine, interval: float,
                 clock: Callable[[], dt.datetime] = wall_clock) -> None:
        super().__init__(engine, interval, clock)
        self.name = name
        self.function = function

    def run_once(self) -> int:
        return self.function(self.engine, self.clock())
