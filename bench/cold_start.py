"""Benchmark: the app's cold start on a district-size local store, and its memory after browsing.

    .venv/bin/python bench/search.py --size district --keep /some/folder   # builds the store once
    .venv/bin/python bench/cold_start.py --store /some/folder/district.sqlite [--runs 3]

A supervisor of the whole district (735,642 households, 1.8 M residents) opens the app
offline (no server answers: the laptop in the field). Each run starts a fresh Python
process — the real start-up path, ``ui.app.open_desk`` with its own settings, folders and
an in-memory keyring holding the store's key — on a copy of the store (made before the
clock starts), and prints:

- **cold start**: from the moment the process is spawned to the households list showing
  its first page of rows (the first moment a person can read and click a household);
  goal ≤ 2 s;
- **browsing**: the list scrolled down 40 pages, then a name typed one character at a
  time (each step timed to its page of hits), the list sorted by name, a household's
  detail opened, and every section of the supervisor's window shown once;
- **RSS** after browsing (``VmRSS``) and its peak (``VmHWM``); goal ≤ 400 MB.

The store is the one ``bench/search.py --keep`` builds through the sync's bulk-load path,
encrypted with the benchmarks' key (synthetic data). The operating system's file cache
is warm (the copy was just read): "cold" means a new process, not a cold disk.

``GULOU_BENCH_TRACE=1`` lets the app's process print each step and, every second, the
reference counts of ``None``, ``True`` and ``False`` (how the "none_dealloc" abort of
PySide6 6.12.0 was found: ``tests/ui/test_qt_binding.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "http://127.0.0.1:9"
"""Nothing answers there (the discard port, closed): the app works offline."""
USER = "district-supervisor"
USER_ID = "bench-district-supervisor"
TYPED = "wangjianguo"
BROWSE_PAGES = 40
GOAL_START_S = 2.0
GOAL_RSS_MB = 400.0
BENCH_KEY = bytes(range(32))
"""``bench/search.py``'s store key (checked in :func:`main`). Not imported from there in
the app's process: that would import the demo data generator and the sync's apply, which
the app does not load at start (half a second and 20 MB the app never paid)."""


def _memory() -> dict[str, float]:
    """``VmRSS`` and ``VmHWM`` of this process, in MB."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) / 1024
    return out


def child(folder: Path, spawned: float, lang: str) -> int:
    """The app's process: start as ``main.py`` does, measure, print one JSON line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import asyncio

    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from gulou_desk.store.cipher import key_to_text
    from sync.credentials import STORE_KEY_PREFIX, Account, CredentialStore, service_name
    from tests.keyrings import MemoryKeyring
    from ui import background
    from ui.app import open_desk, parse_args
    from ui.backend import OpenedAccount, open_account
    from ui.gc_tuning import GuiThreadCollector, tune_garbage_collector
    from ui.main_window import MainWindow
    from ui.session import Session
    from ui.settings import Settings

    tune_garbage_collector()
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)
    collector.start()

    keyring = MemoryKeyring()
    keyring.set_password(service_name(SERVER, STORE_KEY_PREFIX), USER, key_to_text(BENCH_KEY))
    credentials = CredentialStore(folder / "config", backend=keyring)
    credentials.keep_for_session(SERVER, USER, "offline-refresh-token")
    credentials.remember_account(Account(SERVER, USER, USER_ID, "supervisor", "督导"))
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))

    def factory(session: Session, creds: CredentialStore) -> OpenedAccount:
        return open_account(session, creds, data_dir=folder / "data")

    desk = open_desk(app, parse_args(["--lang", lang]), settings, credentials,
                     quit_app=app.quit, backend_factory=factory)
    result: dict[str, Any] = {}
    window: list[MainWindow] = []

    def _phase(name: str) -> None:
        if os.environ.get("GULOU_BENCH_TRACE"):
            print("PHASE", name, round(time.perf_counter(), 2), file=sys.stderr, flush=True)

    def opened(w: MainWindow) -> None:
        w.resize(1600, 1000)
        w.show()
        window.append(w)
        result["sections_of_role"] = w.sections()
        if "households" in w.sections():
            w.show_section("households")

    desk.controller.window_opened.connect(opened)

    def households() -> Any:
        from ui.households.view import HouseholdsView

        return window[0].findChild(HouseholdsView, "households_view") if window else None

    def wait(predicate: Any, then: Any, limit_s: float = 60.0) -> None:
        started = time.perf_counter()

        def poll() -> None:
            if predicate():
                then()
            elif time.perf_counter() - started > limit_s:
                _phase(f"timeout in {then.__name__}")
                result["failed"] = f"timed out waiting in {then.__name__}"
                finish()
            else:
                QTimer.singleShot(5, poll)
        poll()

    def first_page_shown() -> bool:
        view = households()
        if view is None or not view.isVisible():
            return False
        model = view.model
        return bool(model.rowCount() > 0 and model.row_at(0) is not None)

    def usable() -> None:
        _phase('usable')
        result["cold_start_s"] = time.time() - spawned
        result["rows"] = households().model.rowCount()
        result["rows_exact"] = households().model.exact
        result["memory_at_start"] = _memory()
        # The list lays its scroll bar out a moment after its rows show; scrolling
        # before that would find it at its end (maximum 0) and scroll nothing.
        QTimer.singleShot(0, lambda: wait(
            lambda: households().table.verticalScrollBar().maximum() > 0, browse))

    def browse() -> None:
        _phase('browse')
        view = households()
        bar = view.table.verticalScrollBar()
        left = [BROWSE_PAGES]
        t0 = time.perf_counter()

        def step() -> None:
            if not left[0] or bar.value() == bar.maximum():
                result["scroll_s"] = time.perf_counter() - t0
                result["scrolled_pages"] = BROWSE_PAGES - left[0]
                type_name()
                return
            left[0] -= 1
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            QTimer.singleShot(0, lambda: wait(visible_rows_loaded, step))
        step()

    def visible_rows_loaded() -> bool:
        view = households()
        row = view.table.rowAt(view.table.viewport().height() - 2)
        row = row if row >= 0 else view.model.rowCount() - 1
        return bool(view.model.row_at(row) is not None)

    def type_name() -> None:
        _phase('type_name')
        """One character at a time, each timed until its first page of hits shows
        (the list's search waits for a pause in typing first, as a person types)."""
        view = households()
        typed: list[float] = []
        letters = list(TYPED)
        seen: list[int] = []
        view.model.reloaded.connect(seen.append)

        def step() -> None:
            if not letters:
                result["typing_ms"] = [round(x * 1000, 1) for x in typed]
                sort_by_name()
                return
            seen.clear()
            t0 = time.perf_counter()
            view.search_edit.setText(view.search_edit.text() + letters.pop(0))

            def done() -> None:
                typed.append(time.perf_counter() - t0)
                QTimer.singleShot(0, step)
            wait(lambda: bool(seen) and (view.model.rowCount() == 0
                                         or view.model.row_at(0) is not None), done)
        step()

    def sort_by_name() -> None:
        _phase('sort_by_name')
        from PySide6.QtCore import Qt

        from ui.households.model import COLUMNS

        view = households()
        seen: list[int] = []
        view.model.reloaded.connect(seen.append)
        view.search_edit.clear()  # the whole district again, then by name
        column = next(i for i, c in enumerate(COLUMNS) if c.key == "head_name")
        t0 = time.perf_counter()

        def cleared() -> None:
            seen.clear()
            nonlocal t0
            t0 = time.perf_counter()
            view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
            wait(lambda: bool(seen) and view.model.row_at(0) is not None, sorted_)

        def sorted_() -> None:
            result["sort_by_name_s"] = time.perf_counter() - t0
            open_detail()
        wait(lambda: bool(seen) and view.model.row_at(0) is not None, cleared)

    def open_detail() -> None:
        _phase('open_detail')
        view = households()
        view.table.selectRow(0)
        view.open_detail()
        QTimer.singleShot(1500, sections)

    def sections() -> None:
        _phase('sections')
        names = [s for s in window[0].sections() if s != "households"]
        result["sections"] = list(names)

        def step() -> None:
            if not names:
                window[0].show_section("households")
                QTimer.singleShot(1500, measured)
                return
            window[0].show_section(names.pop(0))
            QTimer.singleShot(1500, step)
        step()

    def measured() -> None:
        _phase('measured')
        result["memory_after_browsing"] = _memory()
        finish()

    def finish() -> None:
        print("RESULT " + json.dumps(result), flush=True)
        sys.stdout.flush()
        desk.controller.shutdown()
        background.shutdown_default_runner(wait=False)
        collector.stop()
        os._exit(0 if "failed" not in result else 1)

    if os.environ.get("GULOU_BENCH_TRACE"):
        tracer = QTimer()
        tracer.setInterval(1000)
        tracer.timeout.connect(lambda: print("NONE", round(time.perf_counter(), 2),
                                             sys.getrefcount(None), sys.getrefcount(True),
                                             sys.getrefcount(False), file=sys.stderr,
                                             flush=True))
        tracer.start()
    loop.call_soon(desk.start)
    loop.call_soon(lambda: wait(first_page_shown, usable))
    with loop:
        loop.run_forever()
    return 0


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_once(store: Path, lang: str) -> dict[str, Any]:
    from ui.backend import store_path
    from ui.session import Session

    folder = Path(tempfile.mkdtemp(prefix="gulou-cold-start-"))
    try:
        target = store_path(Session(SERVER, USER, USER_ID, "supervisor", "督导",
                                    remembered=True), folder / "data")
        target.parent.mkdir(parents=True)
        shutil.copyfile(store, target)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        spawned = time.time()
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(folder),
             "--spawned", repr(spawned), "--lang", lang],
            env=env, stdout=subprocess.PIPE, stderr=None if os.environ.get("GULOU_BENCH_TRACE")
            else subprocess.PIPE, text=True, timeout=900, cwd=ROOT)
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                data: dict[str, Any] = json.loads(line[len("RESULT "):])
                return data
        raise SystemExit(f"the app printed no result (exit {proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}\n{(proc.stderr or '')[-4000:]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store built by bench/search.py --keep")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        return child(args.child, args.spawned, args.lang)
    from bench import search

    assert search.BENCH_KEY == BENCH_KEY
    if args.store is None or not args.store.exists():
        parser.error("--store: build one first with bench/search.py --size district --keep DIR")
    print(f"store {args.store} ({args.store.stat().st_size / 1e6:,.0f} MB); "
          f"{args.runs} cold starts, a new process each", flush=True)
    starts: list[float] = []
    for n in range(args.runs):
        r = run_once(args.store, args.lang)
        if "failed" in r:
            print(f"run {n + 1}: failed: {r['failed']}")
            return 1
        starts.append(r["cold_start_s"])
        typing = r["typing_ms"]
        after = r["memory_after_browsing"]
        # The list shows its first page before a count over 1,000 is finished.
        rows = f"{r['rows']:,}" if r.get("rows_exact", True) else f"over {r['rows'] - 1:,}"
        print(f"run {n + 1}: cold start to the households list {r['cold_start_s']:.2f} s "
              f"({rows} households; RSS then {r['memory_at_start']['VmRSS']:.0f} MB); "
              f"scrolled {r['scrolled_pages']} pages in {r['scroll_s']:.2f} s; "
              f"typed {TYPED!r}: p50 {statistics.median(typing):.0f} ms, "
              f"p95 {_p95(typing):.0f} ms, max {max(typing):.0f} ms a keystroke; "
              f"sorted by name {r['sort_by_name_s']:.2f} s; "
              f"detail + {len(r['sections'])} sections shown; "
              f"RSS after browsing {after['VmRSS']:.0f} MB (peak {after['VmHWM']:.0f} MB)",
              flush=True)
    best = min(starts)
    print(f"cold start: best {best:.2f} s, median {statistics.median(starts):.2f} s "
          f"(goal ≤ {GOAL_START_S:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
