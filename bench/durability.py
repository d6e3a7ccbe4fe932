"""Benchmark: what ``synchronous=FULL`` costs, on the client and on the server (SQLite).

    .venv/bin/python bench/durability.py [--edits N] [--mutations N]

Under WAL, ``synchronous=NORMAL`` syncs the disk only at checkpoints: a commit that
returned can still be lost to a power cut (never corrupted). ``FULL`` syncs the WAL at
every commit, so an edit the user saw saved and a push result the server acknowledged
survive. Both sides run ``FULL`` (``gulou_desk.db.configure_sqlite``); this prints what
it costs against ``NORMAL``:

* client: ``N`` edits through the use case (record + outbox in one transaction), each its
  own commit, on an encrypted store; and one page of 2,000 pulled records applied;
* server: a push of ``N`` mutations (each mutation its own transaction) over HTTP.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.domain.workflows import Actor
from gulou_desk.store import cipher
from gulou_desk.store.engine import open_store
from gulou_desk.store.usecases import create_record, update_record
from server.database import make_engine, migrate
from server.embedded import EmbeddedServer
from server.settings import Settings
from sync.apply import apply_page
from sync.client import ApiClient
from sync.wire import Change, Mutation

GRID = "grid-1"


def with_synchronous(engine: sa.Engine, mode: str) -> None:
    """Every new connection of ``engine`` runs ``PRAGMA synchronous=<mode>`` (after the
    house settings), and the pooled ones are dropped."""

    @sa.event.listens_for(engine, "connect")
    def _mode(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA synchronous={mode}")
        cursor.close()

    engine.dispose()


def client_edits(folder: Path, mode: str, edits: int) -> tuple[float, float, float]:
    """(median ms per edit, p95 ms, seconds for a pulled page of 2,000 households)."""
    store = open_store(folder / f"client-{mode}" / "desk.sqlite", key=cipher.new_key())
    with_synchronous(store.engine, mode)
    actor = Actor(id="w1", role="social_worker", grid_ids=frozenset({GRID}))
    household, _ = create_record(store, "household", {
        "grid_id": GRID, "estate": "汇林绿洲", "head_name": "张三", "status": "active"},
        actor=actor)
    times = []
    for n in range(edits):
        start = time.perf_counter()
        update_record(store, "household", household, {"notes": f"第{n}次走访"}, actor=actor)
        times.append((time.perf_counter() - start) * 1000)
    page = _page(2000)
    start = time.perf_counter()
    with store.write() as session:
        apply_page(session, page, "cursor-1")
    pull = time.perf_counter() - start
    store.close()
    return statistics.median(times), _p95(times), pull


def _page(n: int) -> list[Change]:
    spec = records.entity("household")
    return [Change(entity="household", id=str(uuid.uuid4()), op="upsert", version=v + 1,
                   data=records.to_wire(spec, {
                       "grid_id": GRID, "estate": "汇林绿洲", "building": str(v % 40),
                       "head_name": f"住户{v}", "status": "active", "tags": []}))
            for v in range(n)]


def server_push(folder: Path, mode: str, mutations: int) -> float:
    """Seconds for one push of ``mutations`` new households (each its own transaction)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.world import PASSWORD, build_world  # the tests' small world of users

    url = f"sqlite:///{folder / f'server-{mode}.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    with_synchronous(engine, mode)
    world = build_world(engine)
    server = EmbeddedServer(Settings(db_url=url, secret_key=secrets.token_urlsafe(48),
                                     wechat_secret="bench"), engine)
    server.start()
    try:
        client = ApiClient(server.url)
        client.login("worker1", PASSWORD, str(uuid.uuid4()), "bench")
        batch = [Mutation(mutation_id=str(uuid.uuid4()), entity="household",
                          id=str(uuid.uuid4()), op="create",
                          fields={"grid_id": world["gridA"], "estate": "颐和新村",
                                  "head_name": f"住户{n}", "status": "active", "tags": []})
                 for n in range(mutations)]
        start = time.perf_counter()
        results = client.push(str(uuid.uuid4()), batch)
        seconds = time.perf_counter() - start
        assert all(r.status == "applied" for r in results), results[:3]
        return seconds
    finally:
        server.stop()
        engine.dispose()


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _timed(run: Callable[[str], Any]) -> dict[str, Any]:
    return {mode: run(mode) for mode in ("NORMAL", "FULL")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--mutations", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        client = _timed(lambda mode: client_edits(folder, mode, args.edits))
        for mode, (median, p95, pull) in client.items():
            print(f"client {mode:6s}: an edit {median:6.2f} ms median, {p95:6.2f} ms p95 "
                  f"({args.edits} edits, encrypted store); a pulled page of 2,000 "
                  f"{pull:5.2f} s")
        server = _timed(lambda mode: server_push(folder, mode, args.mutations))
        for mode, seconds in server.items():
            print(f"server {mode:6s}: a push of {args.mutations} mutations {seconds:6.2f} s "
                  f"= {args.mutations / seconds:7.0f} mutations/s")
        normal, full = client["NORMAL"][0], client["FULL"][0]
        print(f"FULL costs {full - normal:+.2f} ms an edit on the client "
              f"({(full / normal - 1) * 100:+.0f} %), "
              f"{(server['FULL'] / server['NORMAL'] - 1) * 100:+.0f} % on a server push")


if __name__ == "__main__":
    main()
