"""Benchmark: sync end to end into the client's SQLite store, over HTTP.

    .venv/bin/python bench/initial_sync.py [--size street|demo|district] [--db URL]
                                           [--store encrypted|plain] [--peer N|0]
                                           [--profile supervisor1]
                                           [--profile-phase initial|push]
                                           [--users worker1,supervisor1]

Seeds a fresh server database, starts the server **in its own process** (``gulou-server
serve`` on 127.0.0.1, so the client and the server do not share a GIL), then for a social
worker (≈2,300 households at street size) and a supervisor (the whole street):

- the initial sync into a new local store (the app's encrypted store by default), its
  making counted (what a first sign-in waits for before the first sync begins),
- a push of 1,000 local edits (one cycle; the pushed count shows that the first push after
  a big pull sends only the edits, never the rows it pulled, and "pulled back" that the
  pull of the same cycle does not bring the edits back),
- an incremental sync after 1,000 records changed on the server,
- a no-op sync,
- a full re-pull after the server refused the cursor (every record sent again, then the
  sweep of what it did not send).

Then, when ``../shared/bench/pouchdb/run.sh`` is there (PouchDB 4.2 → pouchdb-node 9 on
127.0.0.1), it runs it with ``--peer`` documents and prints its docs/s for the same phases
next to ours: the machine is shared and loaded, so only figures of one run compare.
The client collects garbage as the app does (``--gc app``, the default: the thresholds and
freezing of ``ui/gc_tuning.py``, automatic collection off and what is due collected every
``GuiThreadCollector.INTERVAL_MS`` — by a thread here, by the GUI thread in the app);
``--gc python`` leaves Python's defaults, as this bench ran before 2026-12-05.
``--profile USER`` writes a pyinstrument (or cProfile) profile of that user's initial sync
(``--profile-phase push``: of that user's push of edits, the client's side).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gulou_desk.domain.workflows import Actor  # noqa: E402
from gulou_desk.store.engine import open_store  # noqa: E402
from gulou_desk.store.queries import actor_for  # noqa: E402
from gulou_desk.store.sync_state import SyncKey, get_state, set_state  # noqa: E402
from gulou_desk.store.usecases import update_record  # noqa: E402
from server.database import make_engine, migrate, writer  # noqa: E402
from server.schema import RECORD_TABLES  # noqa: E402
from server.seed import is_seeded, seed  # noqa: E402
from server.store import RecordWriter, field_values  # noqa: E402
from sync.client import ApiClient  # noqa: E402
from sync.engine import DEFAULT_PAGE_SIZE, SyncEngine  # noqa: E402

PEER = next((p for p in (folder / "shared" / "bench" / "pouchdb" / "run.sh"
                         for folder in (ROOT.parent, ROOT.parent.parent)) if p.exists()),
            ROOT.parent / "shared" / "bench" / "pouchdb" / "run.sh")
"""``../shared`` of the repository (of its main checkout, for a worktree under ``wt/``)."""
EDITS = 1000
USERS = ("worker1", "supervisor1")


def change_households(engine: sa.Engine, n: int) -> None:
    t = RECORD_TABLES["household"]
    with writer(engine).begin() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.id).limit(n)).mappings().all()
        w = RecordWriter(conn)
        for row in rows:
            values = field_values("household", row)
            values["notes"] = f"bench {uuid.uuid4().hex[:8]}"
            w.save("household", row["id"], values, changed=["notes"])


class ServerProcess:
    """``gulou-server serve`` in a child process on a free loopback port."""

    def __init__(self, db_url: str, log: Path) -> None:
        self.db_url = db_url
        self.log = log
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        env = {**os.environ, "GULOU_SECRET_KEY": secrets.token_urlsafe(48),
               "GULOU_WECHAT_SECRET": secrets.token_urlsafe(32), "PYTHONUNBUFFERED": "1"}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--db", self.db_url,
                 "--host", "127.0.0.1", "--port", str(self.port), "--no-jobs"],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Device:
    engine: SyncEngine
    actor: Actor | None = None
    user: dict[str, str | None] = field(default_factory=dict)
    made_in: tuple[float, float] = (0.0, 0.0)
    """Wall and CPU seconds the new store took to be made: a first sign-in waits for it
    before the first sync begins, so the initial sync's figures count it."""

    def make_actor(self) -> Actor:
        with self.engine.store.session() as s:
            return actor_for(s, user_id=str(self.user["id"]), role=str(self.user["role"]),
                             community_id=self.user["community_id"],
                             street_id=self.user["street_id"])


def device(url: str, folder: Path, username: str, key: bytes | None,
           page_size: int = DEFAULT_PAGE_SIZE) -> Device:
    client = ApiClient(url)
    pair = client.login(username, "demo1234", str(uuid.uuid4()), "bench")
    start, cpu = time.perf_counter(), time.process_time()
    store = open_store(folder / username / "desk.sqlite", key=key)
    made_in = (time.perf_counter() - start, time.process_time() - cpu)
    engine = SyncEngine(store, client, client_id=str(uuid.uuid4()), page_size=page_size)
    return Device(engine, user={"id": pair.user.id, "role": pair.user.role,
                                "community_id": pair.user.community_id,
                                "street_id": pair.user.street_id}, made_in=made_in)


def spoil_cursor(engine: SyncEngine) -> None:
    """Make the stored cursor one the server refuses (bad signature), as after a server
    secret change: the next cycle pulls everything again."""
    with engine.store.write() as session:
        cursor = get_state(session, SyncKey.CURSOR)
        set_state(session, SyncKey.CURSOR, cursor[:-4] + ("AAAA" if cursor[-4:] != "AAAA"
                                                          else "BBBB"))


def edit_locally(dev: Device, n: int) -> int:
    """``n`` local edits of households (the outbox gets one mutation each)."""
    actor = dev.make_actor()
    with dev.engine.store.session() as s:
        ids = list(s.execute(sa.text("SELECT id FROM households ORDER BY id LIMIT :n"),
                             {"n": n}).scalars())
    for hid in ids:
        update_record(dev.engine.store, "household", hid,
                      {"notes": f"本地 {uuid.uuid4().hex[:8]}"}, actor=actor)
    return len(ids)


CPU = {"seconds": 0.0, "server": 0.0, "helper": 0.0}
REBUILT = {"seconds": 0.0}
"""Wall time of the last :func:`timed` cycle in ``search_index.rebuild`` (the end of a
first sync: the search index built once; :func:`time_the_rebuild`)."""


def time_the_rebuild() -> None:
    """Count the time the search index's rebuild takes (``REBUILT``): the piece of a
    first sync that comes after its last page."""
    from gulou_desk.store import search_index

    rebuild = search_index.rebuild

    def timed_rebuild(*args: Any, **kwargs: Any) -> int:
        start = time.perf_counter()
        try:
            return rebuild(*args, **kwargs)
        finally:
            REBUILT["seconds"] += time.perf_counter() - start

    search_index.rebuild = timed_rebuild
SERVER_PID = {"pid": 0}
"""The server process's pid, once started: its CPU time is read from /proc."""


def server_cpu() -> float:
    """The server process's CPU time so far (all its threads; 0 where /proc is not)."""
    try:
        fields = Path(f"/proc/{SERVER_PID['pid']}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """The CPU time of the client's child processes that ended so far: the search index's
    helper (gulou_desk.store.search_index.EntryHelper) of a big first sync, once reaped
    (:func:`reap_children`); the server, a child too, is still running."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_text(more: float = 0.0) -> str:
    """The CPU times of the last :func:`timed` cycle (``more``: the client's before it)."""
    helper = f" + index helper {CPU['helper']:.2f} s" if CPU["helper"] >= 0.005 else ""
    return (f"client CPU {CPU['seconds'] + more:.2f} s{helper}, "
            f"server CPU {CPU['server']:.2f} s")


def collect_as_the_app_does() -> None:
    """``ui.app.main``'s garbage collection: :func:`ui.gc_tuning.tune_garbage_collector`,
    then what :class:`ui.gc_tuning.GuiThreadCollector` does on the GUI thread's timer,
    on a thread of its own (a collection holds the GIL whichever thread runs it)."""
    from ui.gc_tuning import GuiThreadCollector, collect_if_due, tune_garbage_collector

    tune_garbage_collector()
    gc.disable()

    def collector() -> None:
        while True:
            time.sleep(GuiThreadCollector.INTERVAL_MS / 1000)
            collect_if_due()

    threading.Thread(target=collector, name="gc-as-the-gui", daemon=True).start()


def timed(engine: SyncEngine) -> tuple[float, int, int]:
    """Wall time, records pulled and edits pushed of one cycle; the client's CPU time
    (all its threads) and the server process's are left in ``CPU``: on a shared machine
    wall times drift with the load, CPU time much less, so costs compare by it."""
    start, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
    helper = children_cpu()
    REBUILT["seconds"] = 0.0
    report = engine.run_cycle()
    wall = time.perf_counter() - start
    CPU["seconds"] = time.process_time() - cpu
    CPU["server"] = server_cpu() - server
    reap_children()
    CPU["helper"] = children_cpu() - helper
    return wall, report.pulled + report.revoked, report.pushed


def reap_children() -> None:
    """Wait for the index helper's process (closed at the pull's end, it ends by itself,
    not waited for by the app) so that its CPU time is counted."""
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)


@contextmanager
def profiled(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        try:
            yield
        finally:
            profile.disable()
            with path.open("w") as out:
                pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
        return
    profiler = Profiler(interval=0.002)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))


def peer(n: int) -> list[dict[str, object]]:
    """PouchDB's figures for the same phases (``../shared/bench/pouchdb/run.sh``)."""
    env = {**os.environ, "PEER_PORT": str(_free_port())}
    done = subprocess.run(["bash", str(PEER), str(n)], capture_output=True, text=True,
                          env=env, timeout=1800)
    lines = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    if done.returncode != 0:
        print(f"peer bench failed ({done.returncode}): {done.stderr[-500:]}")
    return lines


def print_peer(lines: list[dict[str, object]]) -> None:
    names = iter(["seed", "initial pull", "no-op pull", "edit on server",
                  "incremental pull", "edit locally", "first push after pull",
                  "edit locally", "incremental push"])
    print("\nPouchDB 4.2 (server) -> pouchdb-node 9, same machine, same run:")
    for line in lines:
        name = next(names, str(line.get("phase")))
        secs = float(str(line["secs"]))
        docs = line.get("docs_written", line.get("n", line.get("k", "")))
        rate = line.get("docs_per_s")
        rate_text = f" = {float(str(rate)):8,.0f} docs/s" if rate is not None else ""
        print(f"  {name:24s} {docs!s:>8} docs {secs:7.2f} s{rate_text}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="street", choices=("demo", "street", "district"))
    parser.add_argument("--db", help="the server's database (default: a new SQLite file); "
                        "one seeded already is used as it is (quicker reruns)")
    parser.add_argument("--store", choices=("encrypted", "plain"), default="encrypted",
                        help="the app's encrypted store (SQLCipher), or plain SQLite to "
                             "compare")
    parser.add_argument("--peer", type=int, default=100_000,
                        help="documents for the PouchDB peer bench (0: skip it)")
    parser.add_argument("--profile", choices=USERS,
                        help="profile this user's initial sync (pyinstrument or cProfile)")
    parser.add_argument("--profile-out", type=Path, default=Path("initial_sync.profile.txt"))
    parser.add_argument("--profile-phase", choices=("initial", "push"), default="initial")
    parser.add_argument("--gc", choices=("app", "python"), default="app",
                        help="the client's garbage collection: as the app sets it up "
                             "(default), or Python's defaults")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE,
                        help="changes a pull asks for a page (default: the app's)")
    parser.add_argument("--users", default=",".join(USERS),
                        help="whose syncs to run (comma separated; default: "
                             f"{','.join(USERS)}); worker1 alone is a quick rerun")
    args = parser.parse_args()
    users = [u for u in args.users.split(",") if u]
    if not users or set(users) - set(USERS):
        parser.error(f"--users: choose among {', '.join(USERS)}")
    key = secrets.token_bytes(32) if args.store == "encrypted" else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.db or f"sqlite:///{folder / 'server.sqlite'}"
        engine = make_engine(url)
        migrate(engine)
        if args.db and is_seeded(engine):
            print(f"server database {args.db} is seeded already; store {args.store}, "
                  "server in its own process")
        else:
            report = seed(engine, args.size)
            print(f"seeded {args.size}: {report.counts.get('household', 0):,} households, "
                  f"{report.counts.get('resident', 0):,} residents in {report.seconds:.1f} s;"
                  f" store {args.store}, server in its own process")
        time_the_rebuild()
        if args.gc == "app":
            collect_as_the_app_does()
        print("client garbage collection:",
              "as the app's" if args.gc == "app" else "Python's defaults")
        server = ServerProcess(url, folder / "server.log")
        server.start()
        SERVER_PID["pid"] = server.process.pid if server.process else 0
        try:
            devices = {u: device(server.url, folder, u, key, args.page_size) for u in users}
            phase = args.profile_phase
            for user, dev in devices.items():
                out = args.profile_out if args.profile == user and phase == "initial" else None
                with profiled(out):
                    seconds, records, _ = timed(dev.engine)
                made, made_cpu = dev.made_in
                seconds += made
                print(f"{user:12s} initial sync     {records:8,} records {seconds:7.2f} s "
                      f"= {records / seconds:8,.0f} records/s "
                      f"({cpu_text(made_cpu)}; the new store made in {made:.2f} s, counted; "
                      f"of it the search index's rebuild {REBUILT['seconds']:.2f} s)")
                if out is not None:
                    print(f"  (profile in {out})")
            for user, dev in devices.items():
                edited = edit_locally(dev, EDITS)
                out = args.profile_out if args.profile == user and phase == "push" else None
                with profiled(out):
                    seconds, back, pushed = timed(dev.engine)
                # "pulled back": what the same cycle's pull brought (the server leaves out
                # the edits it took exactly as sent: 0 unless others changed something).
                print(f"{user:12s} push of edits    {edited:8,} edits   {seconds:7.2f} s "
                      f"(pushed {pushed:,}, pulled back {back:,}; {cpu_text()})")
                if out is not None:
                    print(f"  (profile in {out})")
            change_households(engine, EDITS)
            for user, dev in devices.items():
                seconds, records, _ = timed(dev.engine)
                print(f"{user:12s} incremental sync {records:8,} records {seconds:7.2f} s")
            for user, dev in devices.items():
                seconds, records, _ = timed(dev.engine)
                print(f"{user:12s} no-op sync       {records:8,} records "
                      f"{seconds * 1000:7.1f} ms")
            for user, dev in devices.items():
                spoil_cursor(dev.engine)
                seconds, records, _ = timed(dev.engine)
                print(f"{user:12s} re-pull          {records:8,} records {seconds:7.2f} s "
                      f"= {records / seconds:8,.0f} records/s "
                      f"({cpu_text()})")
            for dev in devices.values():
                dev.engine.store.close()
        finally:
            server.stop()
            engine.dispose()
    if args.peer and PEER.exists():
        print_peer(peer(args.peer))
    elif args.peer:
        print(f"\n(no peer bench: {PEER} is not there)")


if __name__ == "__main__":
    main()
