"""Benchmark: building the whole search index once (the end of a first sync).

    .venv/bin/python bench/search_rebuild.py STORE [--repeat N] [--store encrypted|plain]
                                             [--helper up|none]

``STORE`` is a store built by ``bench/search.py --keep DIR`` (``DIR/street.sqlite``).
Each round copies it, opens the copy (which runs any newer migration), empties the
search index in its own transaction, then times :func:`search_index.rebuild` in one write
transaction, as :func:`bulk_load.finish` runs it, and prints its wall and CPU time and
the size of the copy afterwards (vacuumed). ``--helper up`` (the default) gives the
rebuild a helper process that is up already, as a big first sync's is by its end
(:class:`search_index.EntryHelper`), and prints its CPU time too; ``none``: no helper.
Rounds after the first find the name caches warm, which a first sync does not: compare
first rounds (one process each). To compare two versions of the code in one sitting, run
this file with ``PYTHONPATH`` set to each
checkout in turn.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gulou_desk.store import search_index
from gulou_desk.store.engine import open_store
from gulou_desk.store.schema import SEARCH_FTS

BENCH_KEY = bytes(range(32))


def one_round(source: Path, key: bytes | None, folder: Path, use_helper: bool
              ) -> tuple[float, float, int]:
    copy = folder / "rebuild.sqlite"
    shutil.copy(source, copy)
    store = open_store(copy, key=key)
    try:
        with store.write() as session:  # as after a bulk load: nothing indexed yet
            conn = session.connection()
            for table in getattr(search_index, "FTS_TABLES", [SEARCH_FTS]):  # 1 before 0018
                conn.exec_driver_sql(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
            conn.exec_driver_sql("DELETE FROM search_docs")
        helper = search_index.EntryHelper.start() if use_helper else None
        while helper is not None and not helper.up():
            time.sleep(0.01)
        children = _children_cpu()
        wall, cpu = time.perf_counter(), time.process_time()
        with store.write() as session:
            households = search_index.rebuild(session, helper)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if helper is not None:
            helper.close()
            deadline = time.monotonic() + 30  # it ends by itself: its CPU counts once reaped
            while multiprocessing.active_children() and time.monotonic() < deadline:
                time.sleep(0.01)
        helped = f" (+ helper {_children_cpu() - children:.2f} s)" if helper else ""
        raw = store.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
        finally:
            raw.close()
    finally:
        store.close()
    print(f"  rebuild of {households:,} households: {wall:6.2f} s wall, {cpu:6.2f} s CPU"
          f"{helped}; store {copy.stat().st_size / 1e6:,.1f} MB (vacuumed)", flush=True)
    return wall, cpu, copy.stat().st_size


def _children_cpu() -> float:
    """CPU time of the child processes that ended (the helper, once closed)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--store", dest="kind", choices=("encrypted", "plain"),
                        default="encrypted")
    parser.add_argument("--helper", choices=("up", "none"), default="up")
    args = parser.parse_args()
    key = BENCH_KEY if args.kind == "encrypted" else None
    print(f"search index rebuild, {search_index.__file__}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.helper == "none":  # nor one of the rebuild's own
            search_index.HELPER_HOUSEHOLDS = sys.maxsize
        rounds = [one_round(args.store, key, Path(tmp), args.helper == "up")
                  for _ in range(args.repeat)]
    print(f"median: {statistics.median(r[0] for r in rounds):.2f} s wall, "
          f"{statistics.median(r[1] for r in rounds):.2f} s CPU")


if __name__ == "__main__":
    main()
