"""Benchmark: the register's search as you type, over a street and over the district.

    .venv/bin/python bench/search.py [--size street|district|demo ...] [--repeat N]
                                     [--store encrypted|plain]

Builds a local store from ``server.demo_data.generate`` through the code path a sync
uses: every batch becomes pulled pages (wire form) applied by ``sync.apply.apply_page``
in ``Store.write`` transactions, and the search index is kept in step in the same
transactions (timed apart). Then it types queries one character at a time and prints
p50/p95 latencies of one page of hits (50) and of the count (whole, and up to 1,001: what
the register reads with its first page), with and without a filter, sorted by a column,
and the visit plan of one social worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.store import bulk_load, search, search_index
from gulou_desk.store.engine import Store, open_store
from gulou_desk.store.search import SearchFilters, VisitFilter
from gulou_desk.store.visit_plan import visit_plan
from server.demo_data import generate
from sync.apply import apply_page
from sync.wire import Change

PAGE = 2000
BENCH_KEY = bytes(range(32))
"""The store key of the benchmarks' stores (synthetic data; the app's key is random)."""
TODAY = dt.date(2026, 11, 30)
TYPED = ("zhang", "zs", "wangjianguo", "liu", "sl", "张三", "王建", "3栋2单元", "1234",
         "13912", "颐和")


def _pages(size: str) -> Iterator[tuple[str, list[Change]]]:
    version = 0
    for batch in generate(size, today=TODAY):
        spec = records.entity(batch.entity)
        for start in range(0, len(batch.rows), PAGE):
            changes = []
            for row in batch.rows[start:start + PAGE]:
                version += 1
                changes.append(Change(entity=batch.entity, id=row["id"], op="upsert",
                                      version=version, data=records.to_wire(spec, row)))
            yield batch.entity, changes


def build(store: Store, size: str) -> None:
    """Apply the demo data as pulled pages of a first sync (a bulk load: the indexes and
    the search index are made once at its end, with the helper process the sync engine
    starts as the pull begins); print the time in apply and in the index."""
    apply_s = index_s = 0.0
    with closing(search_index.EntryHelper.start()) as helper:
        counts: dict[str, int] = {}
        started = time.perf_counter()
        last_report = started
        for n, (entity, changes) in enumerate(_pages(size)):
            with store.write(bulk=True) as session:
                if n == 0:
                    bulk_load.begin(session)
                t0 = time.perf_counter()
                apply_page(session, changes, f"bench-{n}")
                t1 = time.perf_counter()
                search_index.catch_up(session)  # nothing to do during a bulk load
                t2 = time.perf_counter()
            apply_s += t1 - t0
            index_s += t2 - t1
            counts[entity] = counts.get(entity, 0) + len(changes)
            if time.perf_counter() - last_report > 10:
                last_report = time.perf_counter()
                print(f"  … {sum(counts.values()):,} records ({entity}), "
                      f"{last_report - started:.0f} s", flush=True)
        t0 = time.perf_counter()
        with store.write(bulk=True) as session:
            bulk_load.finish(session, helper)
        index_s += time.perf_counter() - t0
    total = time.perf_counter() - started
    print(f"built {size}: {counts.get('household', 0):,} households, "
          f"{counts.get('resident', 0):,} residents, {sum(counts.values()):,} records "
          f"in {total:.1f} s (generate + wire {total - apply_s - index_s:.1f} s, "
          f"apply_page {apply_s:.1f} s, search index {index_s:.1f} s)")
    assert store.path is not None
    print(f"store size {store.path.stat().st_size / 1e6:,.0f} MB")


def _typed(words: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for word in words:
        out += [word[:i] for i in range(1, len(word) + 1)]
    return out


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return f"p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  max {samples[-1] * 1000:7.1f} ms"


def _time(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def measure(store: Store, repeat: int) -> None:
    keys = _typed(TYPED)
    with store.session() as session:
        grid = session.execute(sa.text(
            "SELECT grid_id FROM households GROUP BY grid_id ORDER BY count(*) DESC LIMIT 1"
        )).scalar_one()
        worker_grids = [g for (g,) in session.execute(sa.text(
            "SELECT id FROM grids ORDER BY name LIMIT 4"))]
        cases: dict[str, Callable[[str], Any]] = {
            "page of 50": lambda t: search.search_households(session, t, limit=50,
                                                             today=TODAY),
            "page 3 (offset 100)": lambda t: search.search_households(
                session, t, limit=50, offset=100, today=TODAY),
            "count": lambda t: search.count_households(session, t, today=TODAY),
            "count up to 1,001": lambda t: search.count_households(
                session, t, today=TODAY, at_most=1001),
            "page, grid filter": lambda t: search.search_households(
                session, t, limit=50, filters=SearchFilters(grid_ids=[grid]), today=TODAY),
            "page, overdue filter": lambda t: search.search_households(
                session, t, limit=50, filters=SearchFilters(visit=VisitFilter.OVERDUE),
                today=TODAY),
            "page sorted by name": lambda t: search.search_households(
                session, t, limit=50, sort="head_name", today=TODAY),
        }
        print(f"typed one character at a time: {len(keys)} keystrokes × {repeat}: "
              + " ".join(TYPED))
        for label, fn in cases.items():
            samples: list[float] = []
            worst = ("", 0.0)
            for key in keys:
                for seconds in _time(partial(fn, key), repeat):
                    samples.append(seconds)
                    if seconds > worst[1]:
                        worst = (key, seconds)
            print(f"  {label:22s} {_ms(samples)}  (slowest: {worst[0]!r})", flush=True)
        hits = search.search_households(session, "zs", limit=5, today=TODAY)
        print("  e.g. 'zs' →", ", ".join(f"{h.head_name} ({h.match})" for h in hits))
        listing = _time(partial(search.search_households, session, "", today=TODAY),
                        repeat * 5)
        print(f"  no text, by address:   {_ms(listing)}")
        by_name = _time(partial(search.search_households, session, "", sort="head_name",
                                today=TODAY), repeat)
        print(f"  no text, by name:      {_ms(by_name)}")
        plan = visit_plan(session, worker_grid_ids=worker_grids, today=TODAY)
        planning = _time(partial(visit_plan, session, worker_grid_ids=worker_grids,
                                 today=TODAY), repeat)
        print(f"  visit plan of 4 grids ({plan.counts.total:,} households due): "
              f"{_ms(planning)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", action="append", choices=("demo", "street", "district"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the store in this folder and keep it")
    parser.add_argument("--reuse", type=Path, help="measure a store built with --keep")
    parser.add_argument("--store", choices=("encrypted", "plain"), default="encrypted",
                        help="the app's encrypted store (SQLCipher), or plain SQLite to "
                             "compare")
    args = parser.parse_args()
    key = BENCH_KEY if args.store == "encrypted" else None
    if args.reuse:
        store = open_store(args.reuse, key=key)
        measure(store, args.repeat)
        store.close()
        return
    for size in args.size or ["street", "district"]:
        print(f"== {size}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.keep or Path(tmp)
            store = open_store(folder / f"{size}.sqlite", key=key)
            try:
                build(store, size)
                measure(store, args.repeat)
            finally:
                store.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
