"""Benchmark: sync end to end into the client's SQLite store, over HTTP.

    .venv/bin/python bench/initial_sync.py [--size street|demo] [--db URL]
                                           [--store encrypted|plain]

Seeds a fresh server database, starts the server on 127.0.0.1, then for a social worker
(≈2,300 households at street size) and a supervisor (the whole street): the initial sync
into an empty local store, an incremental sync after 1,000 records changed on the server,
a no-op sync, and a full re-pull after the server refused the cursor (every record sent
again, then the sweep of what it did not send). Prints seconds and records per second.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from gulou_desk.store.engine import open_store
from gulou_desk.store.sync_state import SyncKey, get_state, set_state
from server.database import make_engine, migrate, writer
from server.embedded import EmbeddedServer
from server.schema import RECORD_TABLES
from server.seed import seed
from server.settings import Settings
from server.store import RecordWriter, field_values
from sync.client import ApiClient
from sync.engine import SyncEngine


def change_households(engine: sa.Engine, n: int) -> None:
    t = RECORD_TABLES["household"]
    with writer(engine).begin() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.id).limit(n)).mappings().all()
        w = RecordWriter(conn)
        for row in rows:
            values = field_values("household", row)
            values["notes"] = f"bench {uuid.uuid4().hex[:8]}"
            w.save("household", row["id"], values, changed=["notes"])


def device(server: EmbeddedServer, folder: Path, username: str, key: bytes | None
           ) -> SyncEngine:
    store = open_store(folder / username / "desk.sqlite", key=key)
    client = ApiClient(server.url)
    client.login(username, "demo1234", str(uuid.uuid4()), "bench")
    return SyncEngine(store, client, client_id=str(uuid.uuid4()), page_size=5000)


def spoil_cursor(engine: SyncEngine) -> None:
    """Make the stored cursor one the server refuses (bad signature), as after a server
    secret change: the next cycle pulls everything again."""
    with engine.store.write() as session:
        cursor = get_state(session, SyncKey.CURSOR)
        set_state(session, SyncKey.CURSOR, cursor[:-4] + ("AAAA" if cursor[-4:] != "AAAA"
                                                          else "BBBB"))


def timed(engine: SyncEngine) -> tuple[float, int]:
    start = time.perf_counter()
    report = engine.run_cycle()
    return time.perf_counter() - start, report.pulled + report.revoked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="street", choices=("demo", "street"))
    parser.add_argument("--db")
    parser.add_argument("--store", choices=("encrypted", "plain"), default="encrypted",
                        help="the app's encrypted store (SQLCipher), or plain SQLite to "
                             "compare")
    args = parser.parse_args()
    key = secrets.token_bytes(32) if args.store == "encrypted" else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.db or f"sqlite:///{folder / 'server.sqlite'}"
        engine = make_engine(url)
        migrate(engine)
        report = seed(engine, args.size)
        print(f"seeded {args.size}: {report.counts.get('household', 0):,} households, "
              f"{report.counts.get('resident', 0):,} residents in {report.seconds:.1f} s")
        server = EmbeddedServer(Settings(db_url=url, secret_key=secrets.token_urlsafe(48),
                                         wechat_secret="bench"), engine)
        server.start()
        try:
            devices = {u: device(server, folder, u, key) for u in ("worker1", "supervisor1")}
            for user, eng in devices.items():
                seconds, records = timed(eng)
                print(f"{user:12s} initial sync     {records:8,} records {seconds:7.2f} s "
                      f"= {records / seconds:8,.0f} records/s")
            change_households(engine, 1000)
            for user, eng in devices.items():
                seconds, records = timed(eng)
                print(f"{user:12s} incremental sync {records:8,} records {seconds:7.2f} s")
            for user, eng in devices.items():
                seconds, records = timed(eng)
                print(f"{user:12s} no-op sync       {records:8,} records {seconds * 1000:7.1f} ms")
            for user, eng in devices.items():
                spoil_cursor(eng)
                seconds, records = timed(eng)
                print(f"{user:12s} re-pull          {records:8,} records {seconds:7.2f} s "
                      f"= {records / seconds:8,.0f} records/s")
            for eng in devices.values():
                eng.store.close()
        finally:
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    main()
