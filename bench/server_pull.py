"""Benchmark: a full pull over HTTP from the real server, as a worker and a supervisor.

    .venv/bin/python bench/server_pull.py [--size street|demo|district] [--db URL] [--seeded]
        [--users worker1,supervisor1] [--rounds N]

Seeds a fresh database (SQLite in a temporary folder unless --db is given, e.g.
``postgresql://postgres@127.0.0.1:5432/gulou_mine``: an empty database of your own), starts
the server on 127.0.0.1, and pulls everything each account can see in pages of 5,000,
printing records per second, and again without the time this client spent parsing the
answers (a supervisor's 125 MB: seconds of orjson building dicts, not the server's work),
and the CPU time each part spent: the server's threads (this process but the client's
thread), this client's thread, and on PostgreSQL the database's backends (read from
/proc, so when the database runs on this machine; absent otherwise).
``--seeded``: the database at --db was seeded by an earlier run (seeding a street on
PostgreSQL takes minutes); pull only, ``--rounds`` times, so two versions of the server
can be compared back to back on one database. The client side only parses JSON here;
bench/initial_sync.py measures the whole way into the client's store.
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
import uuid
from pathlib import Path

import orjson
import requests
import sqlalchemy as sa

from server.database import make_engine, migrate
from server.embedded import EmbeddedServer
from server.seed import seed
from server.settings import Settings


def pull_all(api: str, username: str, limit: int) -> tuple[int, int, float, float]:
    """(records, pages, seconds, of which parsing the answers here)."""
    http = requests.Session()
    r = http.post(api + "/auth/login", json={"username": username, "password": "demo1234",
                                            "device_id": str(uuid.uuid4()),
                                            "device_name": "bench"}, timeout=30)
    r.raise_for_status()
    http.headers["Authorization"] = "Bearer " + r.json()["access_token"]
    cursor = None
    records = pages = 0
    parsing = 0.0
    start = time.perf_counter()
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = http.get(api + "/sync/pull", params=params, timeout=600)
        r.raise_for_status()
        t0 = time.perf_counter()
        body = orjson.loads(r.content)
        parsing += time.perf_counter() - t0
        records += len(body["changes"])
        pages += 1
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    return records, pages, time.perf_counter() - start, parsing


def backend_cpu(engine: sa.Engine) -> float | None:
    """CPU seconds spent so far by the PostgreSQL backends connected to this database
    (None: not PostgreSQL, or its processes are not readable here)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        pids = conn.execute(sa.text("SELECT pid FROM pg_stat_activity"
                                    " WHERE datname = current_database()")).scalars().all()
    ticks = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except (FileNotFoundError, PermissionError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="street", choices=("demo", "street", "district"))
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--seeded", action="store_true",
                        help="the database at --db is seeded already: pull only")
    parser.add_argument("--users", default="worker1,supervisor1")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if args.seeded and not args.db:
        parser.error("--seeded needs --db")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        engine = make_engine(url)
        migrate(engine)
        if not args.seeded:
            t0 = time.perf_counter()
            report = seed(engine, args.size)
            print(f"seeded {args.size} ({engine.dialect.name}) in"
                  f" {time.perf_counter() - t0:.1f} s:"
                  f" {report.counts.get('household', 0):,} households,"
                  f" {report.counts.get('resident', 0):,} residents")
        server = EmbeddedServer(Settings(db_url=url, secret_key=secrets.token_urlsafe(48),
                                         wechat_secret="bench"), engine)
        server.start()
        try:
            for _ in range(args.rounds):
                for user in args.users.split(","):
                    cpu, client_cpu, db_cpu = (time.process_time(), time.thread_time(),
                                               backend_cpu(engine))
                    records, pages, seconds, parsing = pull_all(server.api, user, args.limit)
                    cpu, client_cpu = (time.process_time() - cpu,
                                       time.thread_time() - client_cpu)
                    db_after = backend_cpu(engine)
                    served = seconds - parsing
                    db = (f", PostgreSQL {db_after - db_cpu:5.2f} s"
                          if db_cpu is not None and db_after is not None else "")
                    print(f"{user:12s} pulled {records:9,} records in {pages:4} pages,"
                          f" {seconds:7.2f} s = {records / seconds:9,.0f} records/s;"
                          f" without this client's JSON parse ({parsing:5.2f} s):"
                          f" {records / served:9,.0f} records/s; CPU: server"
                          f" {cpu - client_cpu:5.2f} s{db}, this client {client_cpu:5.2f} s",
                          flush=True)
        finally:
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    main()
