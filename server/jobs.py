"""Every periodic job of the server, in one list: ``gulou-server serve`` and
``gulou-server jobs`` run them (once across processes and hosts: :mod:`server.periodic`).

To add a job: write a :class:`~server.periodic.PeriodicJob` subclass (a ``name`` and a
``run_once`` returning how many things it did), or a function ``(engine, now) -> int``
wrapped by :class:`~server.periodic.FunctionJob`, and add a :class:`JobSpec` below. Its
interval can then be set with ``--job NAME=SECONDS`` (0 turns it off) on both commands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from server.periodic import PeriodicJob


@dataclass(frozen=True)
class JobSpec:
    name: str
    interval: float
    """Default seconds between runs."""
    make: Callable[[sa.Engine, float], PeriodicJob]
    """Builds the job for an engine and an interval."""
    help: str


def _escalation(engine: sa.Engine, interval: float) -> PeriodicJob:
    from server.escalation import Escalator

    return Escalator(engine, interval)


def _performance(engine: sa.Engine, interval: float) -> PeriodicJob:
    from server.performance import PerformanceScheduler

    return PerformanceScheduler(engine, interval)


def _covers(engine: sa.Engine, interval: float) -> PeriodicJob:
    from server.periodic import FunctionJob
    from server.staff_admin import end_covers

    return FunctionJob("covers", end_covers, engine, interval)


def _announcements(engine: sa.Engine, interval: float) -> PeriodicJob:
    from server.announcements import send_due
    from server.periodic import FunctionJob

    return FunctionJob("announcements", send_due, engine, interval)


JOBS: tuple[JobSpec, ...] = (
    JobSpec("escalation", 300.0, _escalation, "escalate overdue tickets (督办)"),
    JobSpec("performance", 3600.0, _performance,
            "compute the performance records of the current month"),
    JobSpec("covers", 900.0, _covers, "mark temporary covers past their last day ended"),
    JobSpec("announcements", 30.0, _announcements,
            "send the scheduled group announcements that are due (鼓宝)"),
)


def job_names() -> list[str]:
    return [spec.name for spec in JOBS]


def make_jobs(engine: sa.Engine, intervals: Mapping[str, float] | None = None
              ) -> list[PeriodicJob]:
    """The jobs to run, each at its interval (``intervals`` overrides the defaults by
    name; 0 or less leaves a job out)."""
    intervals = intervals or {}
    unknown = set(intervals) - set(job_names())
    if unknown:
        raise ValueError(f"unknown job(s): {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(job_names())})")
    jobs = []
    for spec in JOBS:
        interval = intervals.get(spec.name, spec.interval)
        if interval > 0:
            jobs.append(spec.make(engine, interval))
    return jobs


def parse_interval(text: str) -> tuple[str, float]:
    """``NAME=SECONDS`` (the ``--job`` option)."""
    name, sep, seconds = text.partition("=")
    if not sep:
        raise ValueError(f"{text!r}: expected NAME=SECONDS")
    try:
        return name.strip(), float(seconds)
    except ValueError:
        raise ValueError(f"{text!r}: {seconds!r} is not a number of seconds") from None
