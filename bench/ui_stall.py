"""Benchmark: does the GUI thread stall while a street-size first sync runs in the app?

    .venv/bin/python bench/ui_stall.py [--user supervisor1] [--size street]
                                       [--server-db PATH] [--section households]
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python bench/ui_stall.py --platform xcb

Seeds a central server (``server.seed``, ``street``: 57,000 households and their
residents; ``--server-db`` keeps the seeded file for the next run), starts it embedded on
127.0.0.1, and opens the real app window as ``--user``: ``AppController.open_window``
with the real backend (local store in a temporary folder, HTTP client, sync engine and
scheduler on the qasync loop), the Households section on screen. A 10 ms ``QTimer``
heartbeat on the GUI thread records the time between its ticks while the first sync runs
(and for a few seconds after it, while the views and badges refresh).

Prints the sync time and records, and the longest gap between heartbeats (target:
≤ 50 ms), with the 99th percentile and how many gaps were over 50 ms: idle first (the
machine's own floor), during the sync and after it, and on Linux the same less the time
the GUI thread waited for a CPU (what other processes' load adds on a shared machine).
``--diagnose`` says where the long
gaps went (garbage collections, the GUI thread's stack, what the other threads ran);
``--no-gc-tuning`` leaves Python's collector as it comes, to compare with
``ui/gc_tuning.py``; ``--server-process`` runs the server in a process of its own, as in
production (by default it shares the app's process, as in ``--demo``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.keyrings import MemoryKeyring  # noqa: E402 - needs the repository on the path

TARGET_MS = 50.0
LONG_COLLECTION_S = 0.015
"""``--diagnose`` says more of a collection that takes this long."""
HEARTBEAT_MS = 10
AFTER_SYNC_S = 3.0


@dataclass
class Heartbeat:
    """Ticks of a 10 ms timer on the GUI thread; gaps are what the user would feel.

    On Linux each gap also notes how long the GUI thread waited in the kernel's run
    queue for a CPU (``/proc/thread-self/schedstat``): on a loaded machine much of a
    gap is that wait, which says nothing of the app. The summary gives the gaps less
    that wait too (what remains is the app's: its work on the GUI thread and the GIL)."""

    last: float = 0.0
    gaps: list[tuple[float, float, str]] = field(default_factory=list)
    """(when, gap in ms, phase)."""
    queued: list[float] = field(default_factory=list)
    """Per gap: ms the GUI thread waited for a CPU (0 where the kernel does not say)."""
    phase: str = "start"
    _queued_ns: int | None = None

    def tick(self) -> None:
        now = time.perf_counter()
        queued_ns = _run_queue_ns()
        if self.last:
            self.gaps.append((now, (now - self.last) * 1000.0, self.phase))
            self.queued.append((queued_ns - self._queued_ns) / 1e6
                               if queued_ns is not None and self._queued_ns is not None
                               else 0.0)
        self.last = now
        self._queued_ns = queued_ns

    def summary(self, phase: str) -> str:
        gaps = sorted(g for _, g, p in self.gaps if p == phase)
        if not gaps:
            return f"{phase:6s}: no ticks"
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        over = sum(1 for g in gaps if g > TARGET_MS)
        line = (f"{phase:6s}: longest gap {gaps[-1]:6.1f} ms, p99 {p99:5.1f} ms, "
                f"median {statistics.median(gaps):4.1f} ms, {over} gap(s) > {TARGET_MS:.0f} ms "
                f"of {len(gaps):,} ticks")
        queued = [q for (_, _, p), q in zip(self.gaps, self.queued, strict=True) if p == phase]
        if any(queued):
            mine = sorted(g - q for (_, g, p), q in zip(self.gaps, self.queued, strict=True)
                          if p == phase)
            line += (f"; less the {sum(queued) / 1000:.1f} s waited for a CPU: longest "
                     f"{mine[-1]:.1f} ms, {sum(1 for g in mine if g > TARGET_MS)} > "
                     f"{TARGET_MS:.0f} ms")
        return line


def _run_queue_ns() -> int | None:
    """How long the calling thread has waited for a CPU, all told (Linux), in ns."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as stats:
            return int(stats.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None


_IDLE = {"wait", "select", "_wait_for_tstate_lock", "get", "accept", "sleep", "poll",
         "readinto", "recv_into", "_worker", "run_forever", "_run_once"}


class Diagnosis:
    """Where the time of a long gap went (``--diagnose``).

    A watchdog thread looks at the GUI thread's Python stack whenever a heartbeat is
    more than 50 ms late (a long handler shows there; an idle event loop means the GUI
    thread was waiting for the GIL), and ``gc.callbacks`` times every garbage collection
    (a full collection stops every thread).
    """

    def __init__(self, heartbeat: Heartbeat) -> None:
        import threading

        self.heartbeat = heartbeat
        self.gui_thread = threading.get_ident()
        self.collections: list[tuple[float, float, int]] = []
        self.stacks: dict[str, int] = {}
        self.others: dict[str, int] = {}
        """What the other threads were running while the GUI thread was late."""
        self._gc_started = 0.0
        self._gc_count: tuple[int, int, int] = (0, 0, 0)
        self.gc_notes: list[tuple[float, str]] = []
        self.gc_cpu: list[float] = []
        self._gc_cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="watchdog", daemon=True)

    def start(self) -> None:
        import gc

        gc.callbacks.append(self._gc)
        self._thread.start()

    def stop(self) -> None:
        import gc

        self._stop.set()
        gc.callbacks.remove(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        """Times every collection (wall and the collecting thread's CPU: on a loaded
        machine a collection also waits for a CPU); of a long one, notes its young
        count, what it freed and what the other threads were doing (all of them wait
        for it: what they were doing made its objects)."""
        import gc

        if phase == "start":
            self._gc_count = gc.get_count()
            self._gc_cpu = time.thread_time()
            self._gc_started = time.perf_counter()
            return
        took = time.perf_counter() - self._gc_started
        cpu = time.thread_time() - self._gc_cpu
        self.collections.append((self._gc_started, took, info["generation"]))
        self.gc_cpu.append(cpu)
        if took >= LONG_COLLECTION_S:
            self.gc_notes.append((self._gc_started, (
                f"{took * 1000:.0f} ms (CPU {cpu * 1000:.0f}), gen {info['generation']}, "
                f"counts {self._gc_count}, freed {info['collected']}: "
                + " | ".join(self._others(limit=2)))))

    def _others(self, limit: int) -> list[str]:
        """The other threads' top ``limit`` frames, of those not idle."""
        import threading
        import traceback

        names = {t.ident: t.name for t in threading.enumerate()}
        tops = []
        for ident, other in sys._current_frames().items():
            if ident in (self.gui_thread, threading.get_ident(), self._thread.ident):
                continue
            top = traceback.extract_stack(other, limit=limit)
            if not top or top[-1].name in _IDLE:
                continue
            tops.append(f"[{names.get(ident, ident)}] " + " <- ".join(
                f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(top)))
        return tops

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            last = self.heartbeat.last
            if last and time.perf_counter() - last >= TARGET_MS / 1000:
                self._sample()

    def _sample(self) -> None:
        """Note the GUI thread's stack and the other threads' tops. A method of its own:
        the frames die with it. Kept in the watchdog's loop until its next sample, a
        finished fetch's frame kept its answer and every page fetched after it (the
        fetches are chained) alive: 20-30 pages for the collector to look at, as many as
        the sync it watched never held."""
        import threading
        import traceback

        frames = sys._current_frames()
        frame = frames.get(self.gui_thread)
        if frame is None:
            return
        lines = traceback.format_stack(frame, limit=6)
        where = " <- ".join(line.strip().splitlines()[0] for line in reversed(lines))
        self.stacks[where] = self.stacks.get(where, 0) + 1
        names = {t.ident: t.name for t in threading.enumerate()}
        for ident, other in frames.items():
            if ident in (self.gui_thread, threading.get_ident()):
                continue
            top = traceback.extract_stack(other, limit=3)
            if not top or top[-1].name in _IDLE:
                continue
            here = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                               for f in reversed(top))
            key = f"[{names.get(ident, ident)}] {here}"
            self.others[key] = self.others.get(key, 0) + 1

    def count_objects(self) -> None:
        """What the collector has to look at on every full collection, by type."""
        import collections
        import gc

        counts = collections.Counter(type(o).__name__ for o in gc.get_objects())
        self.objects = sum(counts.values())
        self.top = counts.most_common(8)

    def report(self, start: float) -> None:
        print(f"objects tracked by the collector after the sync: {self.objects:,}; most: "
              + ", ".join(f"{name} {n:,}" for name, n in self.top))
        slow = sorted(self.collections, key=lambda c: c[1], reverse=True)
        full = [c for c in self.collections if c[2] == 2]
        print(f"garbage collections: {len(self.collections):,}, of them {len(full)} full; "
              f"longest " + ", ".join(f"{d * 1000:.0f} ms (gen {g}, {t - start:+.1f} s)"
                                      for t, d, g in slow[:5]))
        late = [(when, gap) for when, gap, phase in self.heartbeat.gaps
                if gap > TARGET_MS and phase in ("sync", "after")]
        explained = 0
        for when, gap in late:
            begin = when - gap / 1000
            overlap = sum(max(0.0, min(when, t + d) - max(begin, t))
                          for t, d, _g in self.collections)
            if overlap >= (gap - TARGET_MS) / 1000:
                explained += 1
        print(f"gaps > {TARGET_MS:.0f} ms: {len(late)}, of them {explained} mostly spent in "
              "garbage collection")
        cpu = sorted(self.gc_cpu, reverse=True)
        print(f"collections' CPU: {sum(cpu) * 1000:.0f} ms in all, longest "
              + (", ".join(f"{c * 1000:.0f}" for c in cpu[:6]) or "-") + " ms")
        for at, note in self.gc_notes:
            print(f"  gc at {at - start:+.2f} s: " + note[:400])
        print("GUI thread seen late at:")
        for where, count in sorted(self.stacks.items(), key=lambda i: -i[1])[:8]:
            print(f"  {count:4d} × {where[:300]}")
        print("meanwhile the other threads ran:")
        for where, count in sorted(self.others.items(), key=lambda i: -i[1])[:12]:
            print(f"  {count:4d} × {where[:300]}")


class ServerProcess:
    """``gulou-server serve`` in a child process on a free loopback port."""

    def __init__(self, db_url: str, quiet: bool = True) -> None:
        self.db_url = db_url
        self.quiet = quiet
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import socket

        import requests

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "GULOU_SECRET_KEY": secrets.token_urlsafe(48),
               "GULOU_WECHAT_SECRET": secrets.token_urlsafe(48)}
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gulou-server"), "serve", "--db", self.db_url,
             "--host", "127.0.0.1", "--port", str(self.port), "--escalate-every", "0"],
            env=env, stdout=subprocess.DEVNULL if self.quiet else None,
            stderr=subprocess.DEVNULL if self.quiet else None)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("the server process did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def prepare_server(size: str, db: Path | None) -> tuple[str, Path | None]:
    """A seeded server database (kept at ``db`` if given); returns its URL."""
    from server.database import make_engine, migrate
    from server.seed import is_seeded, seed

    tmp: Path | None = None
    if db is None:
        tmp = Path(tempfile.mkdtemp(prefix="gulou-ui-stall-"))
        db = tmp / "server.sqlite"
    db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    migrate(engine)
    if not is_seeded(engine):
        start = time.perf_counter()
        report = seed(engine, size)
        print(f"seeded {size}: {report.counts.get('household', 0):,} households, "
              f"{report.counts.get('resident', 0):,} residents in "
              f"{time.perf_counter() - start:.1f} s")
    engine.dispose()
    return url, tmp


def main() -> int:
    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without the interpreter's final clean-up: tearing down PySide's leftover
    # wrappers at exit has crashed (bool_dealloc) after the figures were printed.
    os._exit(code)


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="supervisor1")
    parser.add_argument("--size", default="street", choices=("demo", "street"))
    parser.add_argument("--server-db", type=Path, help="keep the seeded server here")
    parser.add_argument("--section", default="households")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--verbose", action="store_true", help="log INFO to stderr")
    parser.add_argument("--server-process", action="store_true",
                        help="run the server in a process of its own (as in production) "
                             "instead of a thread of the app's process (as in --demo)")
    parser.add_argument("--idle-seconds", type=float, default=5.0,
                        help="heartbeat alone first, for the machine's own floor")
    parser.add_argument("--no-gc-tuning", action="store_true",
                        help="leave Python's garbage collector as it comes (the app tunes "
                             "it at start-up: ui/gc_tuning.py)")
    parser.add_argument("--diagnose", action="store_true",
                        help="say where the long gaps come from (GC, GUI thread stacks)")
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = args.platform
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)

    import qasync
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from server.demo_data import DEMO_PASSWORD
    from server.embedded import EmbeddedServer
    from server.settings import Settings as ServerSettings
    from sync.client import ApiClient
    from sync.credentials import CredentialStore
    from sync.events import SyncReport
    from ui import background
    from ui.app import AppController, apply_style
    from ui.backend import OpenedAccount, SyncBackend, open_account
    from ui.gc_tuning import GuiThreadCollector, tune_garbage_collector
    from ui.i18n import install_translators
    from ui.main_window import MainWindow
    from ui.session import Session
    from ui.settings import Settings

    url, server_tmp = prepare_server(args.size, args.server_db)
    server: EmbeddedServer | ServerProcess
    if args.server_process:
        server = ServerProcess(url, quiet=not args.verbose)
    else:
        server = EmbeddedServer(ServerSettings(
            db_url=url, secret_key=secrets.token_urlsafe(48), wechat_secret="bench"))
    server.start()
    work = Path(tempfile.mkdtemp(prefix="gulou-ui-stall-client-"))
    if not args.no_gc_tuning:
        tune_garbage_collector()  # as ui.app.main does at start-up
    app = QApplication([sys.argv[0]])
    translators = install_translators(app, args.lang)
    apply_style(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)  # as ui.app.main does
    if not args.no_gc_tuning:
        collector.start()

    credentials = CredentialStore(work / "config", backend=MemoryKeyring())
    pair = ApiClient(server.url).login(args.user, DEMO_PASSWORD, credentials.device_id(),
                                       "ui-stall bench")
    credentials.set_access_token(pair.access_token)
    credentials.keep_for_session(server.url, args.user, pair.refresh_token)
    session = Session(server.url, pair.user.username, pair.user.id, pair.user.role,
                      pair.user.display_name, remembered=False)
    settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))

    def factory(session: Session, credentials: CredentialStore) -> OpenedAccount:
        return open_account(session, credentials, data_dir=work / "data")

    controller = AppController(settings, credentials, quit_app=app.quit,
                               backend_factory=factory)
    heartbeat = Heartbeat()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(heartbeat.tick)
    diagnosis = Diagnosis(heartbeat) if args.diagnose else None
    if diagnosis is not None:
        diagnosis.start()
    result: dict[str, object] = {}

    def started() -> None:
        heartbeat.phase = "sync"
        result.setdefault("started", time.perf_counter())

    def finished(report: SyncReport) -> None:
        if "finished" in result:
            return
        result["finished"] = time.perf_counter()
        result["report"] = report
        heartbeat.phase = "after"
        if diagnosis is not None:
            diagnosis.count_objects()
        QTimer.singleShot(int(AFTER_SYNC_S * 1000), close)

    def close() -> None:
        """Stop syncing and close the store (on the running loop), then leave it."""
        heartbeat.phase = "closing"
        backend = controller.backend
        controller.shutdown()
        if isinstance(backend, SyncBackend):
            loop.create_task(backend.wait_stopped()).add_done_callback(lambda _: loop.stop())
        else:
            loop.stop()

    def failed(reason: object, message: str) -> None:
        result["failed"] = f"{reason}: {message}"
        close()

    controller.bridge.sync_started.connect(started)
    controller.bridge.sync_finished.connect(finished)
    controller.bridge.sync_failed.connect(failed)

    def window_opened(window: MainWindow) -> None:
        window.resize(1280, 800)
        if args.section in window.sections():
            window.show_section(args.section)

    controller.window_opened.connect(window_opened)

    def open_window() -> None:
        controller.open_window(session)  # the store opens in the background
        heartbeat.phase = "start"
        if not timer.isActive():
            timer.start()

    def measure_idle() -> None:
        heartbeat.phase = "idle"
        timer.start()
        QTimer.singleShot(int(args.idle_seconds * 1000), open_window)

    loop.call_soon(measure_idle if args.idle_seconds > 0 else open_window)
    with loop:
        loop.run_forever()
    timer.stop()
    if diagnosis is not None:
        diagnosis.stop()
    background.shutdown_default_runner(wait=False)
    server.stop()
    del translators

    shutil.rmtree(work, ignore_errors=True)
    if server_tmp is not None:
        shutil.rmtree(server_tmp, ignore_errors=True)
    if "failed" in result:
        print(f"sync failed: {result['failed']}")
        return 1
    report = result["report"]
    assert isinstance(report, SyncReport)
    seconds = float(result["finished"]) - float(result["started"])  # type: ignore[arg-type]
    print(f"{args.user}: first sync of {report.pulled:,} records in {seconds:.1f} s "
          f"({report.pulled / seconds:,.0f} records/s), Qt platform {args.platform}")
    if args.idle_seconds > 0:
        print(heartbeat.summary("idle") + "  (no sync: the machine's own floor)")
    print(heartbeat.summary("sync"))
    print(heartbeat.summary("after"))
    worst = sorted(heartbeat.gaps, key=lambda g: g[1], reverse=True)[:5]
    start = float(result["started"])  # type: ignore[arg-type]
    print("worst gaps: " + ", ".join(
        f"{gap:.0f} ms at {when - start:+.2f} s ({phase})" for when, gap, phase in worst))
    if diagnosis is not None:
        diagnosis.report(start)
    longest = max((g for _, g, p in heartbeat.gaps if p in ("sync", "after")), default=0.0)
    print(f"longest gap {longest:.1f} ms (target ≤ {TARGET_MS:.0f} ms): "
          f"{'OK' if longest <= TARGET_MS else 'TOO LONG'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
