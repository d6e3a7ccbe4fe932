"""Benchmark: performance records at street size, server and client.

    .venv/bin/python bench/performance.py [--size street|demo] [--db URL]

Seeds a fresh server database (street: 57,000 households, 25 social workers), then
times the server's monthly computation (``compute_period``: first run, which creates the
records, and a second run with nothing new), syncs a social worker and the street's
supervisor into local stores and times the client reads: the worker's live preview of the
month, drill-down of ``visits_due``, the supervisor's approval queue, the dashboard over
three months for the whole street, and its Excel export. Prints seconds for each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from gulou_desk.domain import performance as perf
from gulou_desk.records import now
from gulou_desk.reports import excel
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.engine import open_store
from server.database import make_engine, migrate
from server.embedded import EmbeddedServer
from server.performance import compute_period_report
from server.seed import seed
from server.settings import Settings
from sync.client import ApiClient
from sync.engine import SyncEngine
from sync.wire import UserInfo

T = TypeVar("T")


def timed(label: str, fn: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = fn()
    print(f"{label:48s} {time.perf_counter() - start:8.3f} s")
    return result


def device(server: EmbeddedServer, folder: Path, username: str) -> tuple[SyncEngine, UserInfo]:
    store = open_store(folder / username / "desk.sqlite")
    client = ApiClient(server.url)
    pair = client.login(username, "demo1234", str(uuid.uuid4()), "bench")
    return SyncEngine(store, client, client_id=str(uuid.uuid4()), page_size=5000), pair.user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="street", choices=("demo", "street"))
    parser.add_argument("--db")
    args = parser.parse_args()
    moment = now()
    period = perf.period_of(moment)
    two_back = perf.period_of(moment.replace(day=1) - dt.timedelta(days=40))
    months = perf.periods_between(two_back, period)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.db or f"sqlite:///{folder / 'server.sqlite'}"
        engine = make_engine(url)
        migrate(engine)
        report = seed(engine, args.size)
        print(f"seeded {args.size}: {report.counts.get('household', 0):,} households, "
              f"{report.counts.get('visit', 0):,} visits, {report.counts.get('ticket', 0):,} "
              f"tickets in {report.seconds:.1f} s")
        first = timed(f"server compute_period {period} (first run)",
                      lambda: compute_period_report(engine, period, now()))
        print(f"  {len(first.created)} created, {len(first.refreshed)} refreshed, "
              f"{len(first.held)} held")
        again = timed(f"server compute_period {period} (nothing new)",
                      lambda: compute_period_report(engine, period, now()))
        print(f"  {again.written} written, {len(again.unchanged)} unchanged")
        timed(f"server compute_period {months[-2]} (previous month)",
              lambda: compute_period_report(engine, months[-2], now()))
        server = EmbeddedServer(Settings(db_url=url, secret_key=secrets.token_urlsafe(48),
                                         wechat_secret="bench"), engine)
        server.start()
        try:
            worker, worker_user = device(server, folder, "worker1")
            sup, sup_user = device(server, folder, "supervisor1")
            timed("worker1 initial sync", worker.run_cycle)
            timed("supervisor1 initial sync (the street)", sup.run_cycle)
            with worker.store.session() as s:
                figures = timed("worker1 live_figures (current month)",
                                lambda: pq.live_figures(s, worker_user.id, period))
                print(f"  {figures.values()}")
                [record] = [r for r in pq.worker_records(s, worker_user.id)
                            if r.period == period]
                rows = timed("worker1 drill_down visits_due",
                             lambda: pq.drill_down(s, record, "visits_due"))
                print(f"  {len(rows):,} rows")
            with sup.store.session() as s:
                street = sup_user.street_id
                assert street is not None
                timed("supervisor1 approval_queue",
                      lambda: pq.approval_queue(s, street))
                board = timed(f"supervisor1 dashboard {months[0]}..{months[-1]} (street)",
                              lambda: pq.dashboard(s, period_from=months[0],
                                                   period_to=months[-1]))
                print(f"  {len(board.by_grid)} grids, {len(board.by_worker)} workers, "
                      f"{len(board.weekly_visits)} weeks")
                records = pq.period_records(s, months[-2], street_id=street)
            timed("excel export (records + dashboard)",
                  lambda: excel.write_workbook(folder / "export.xlsx", records=records,
                                               dashboard=board))
            worker.store.close()
            sup.store.close()
        finally:
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    main()
