"""Benchmark: push latency on SQLite while a flood of logins hits the server.

    .venv/bin/python bench/login_flood.py [--seconds 20] [--flooders 8] [--db URL]

Seeds the demo data into a fresh SQLite database (unless --db is given), starts the real
server on 127.0.0.1, and times one-mutation pushes (a household's notes) from a social
worker: first alone, then while ``--flooders`` threads sign in over and over (correct
passwords, so every request runs the Argon2id check; wrong ones would soon be refused by
the throttle without a check). Prints p50 / p90 / max of both phases and their ratio
(issue 12 item 8's goal: p90 under the flood within 2x of p90 without it). The Argon2
check runs outside the login's write transaction; when it ran inside, on SQLite every push
waited behind each login's hash (p90 from 12 ms to 2.2 s in the review).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from server.database import make_engine, migrate
from server.demo_data import DEMO_PASSWORD
from server.embedded import EmbeddedServer
from server.schema import RECORD_TABLES
from server.seed import is_seeded, seed
from server.settings import Settings


def _login(api: str, username: str) -> requests.Session:
    http = requests.Session()
    r = http.post(api + "/auth/login", timeout=60, json={
        "username": username, "password": DEMO_PASSWORD, "device_id": str(uuid.uuid4()),
        "device_name": "bench"})
    r.raise_for_status()
    http.headers["Authorization"] = "Bearer " + r.json()["access_token"]
    return http


def _worker_and_household(engine: sa.Engine) -> tuple[str, str]:
    staff, grids = RECORD_TABLES["staff"], RECORD_TABLES["grid"]
    households = RECORD_TABLES["household"]
    with engine.connect() as conn:
        for sid, username in conn.execute(sa.select(staff.c.id, staff.c.username).where(
                staff.c.role == "social_worker").order_by(staff.c.username)):
            for gid, workers in conn.execute(sa.select(grids.c.id, grids.c.worker_ids)):
                if sid in (workers or ()):
                    hid = conn.execute(sa.select(households.c.id).where(
                        households.c.grid_id == gid).limit(1)).scalar()
                    if hid:
                        return str(username), str(hid)
    raise SystemExit("no social worker with a household in the demo data")


def _usernames(engine: sa.Engine) -> list[str]:
    staff = RECORD_TABLES["staff"]
    with engine.connect() as conn:
        return [str(u) for u in conn.execute(sa.select(staff.c.username)).scalars()]


def _pushes(api: str, http: requests.Session, household: str, seconds: float,
            label: str) -> list[float]:
    """Push one update at a time for ``seconds``; the latencies in milliseconds."""
    client_id = str(uuid.uuid4())
    times: list[float] = []
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        body: dict[str, Any] = {"client_id": client_id, "mutations": [{
            "mutation_id": str(uuid.uuid4()), "entity": "household", "id": household,
            "op": "update", "base_version": 10**9, "fields": {"notes": f"{label} {n}"}}]}
        start = time.perf_counter()
        r = http.post(api + "/sync/push", json=body, timeout=120)
        times.append((time.perf_counter() - start) * 1000)
        r.raise_for_status()
        assert r.json()["results"][0]["status"] == "applied", r.text
    return times


def _flood(api: str, usernames: list[str], stop: threading.Event, counts: list[int]) -> None:
    http = requests.Session()
    i = 0
    while not stop.is_set():
        i += 1
        r = http.post(api + "/auth/login", timeout=120, json={
            "username": usernames[i % len(usernames)], "password": DEMO_PASSWORD,
            "device_id": str(uuid.uuid4()), "device_name": "flood"})
        counts.append(r.status_code)


def _summary(times: list[float]) -> str:
    q = statistics.quantiles(times, n=10)
    return (f"{len(times)} pushes, p50 {statistics.median(times):.1f} ms, "
            f"p90 {q[8]:.1f} ms, max {max(times):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--flooders", type=int, default=8)
    parser.add_argument("--db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'server.sqlite'}"
        engine = make_engine(url)
        migrate(engine)
        if not is_seeded(engine):
            seed(engine, "demo")
        server = EmbeddedServer(Settings(db_url=url, secret_key=secrets.token_urlsafe(48),
                                         wechat_secret=secrets.token_urlsafe(48)), engine)
        server.start()
        try:
            username, household = _worker_and_household(engine)
            http = _login(server.api, username)
            _pushes(server.api, http, household, 2.0, "warm-up")
            quiet = _pushes(server.api, http, household, args.seconds, "quiet")
            stop, counts = threading.Event(), list[int]()
            flooders = [threading.Thread(target=_flood, daemon=True,
                                         args=(server.api, _usernames(engine), stop, counts))
                        for _ in range(args.flooders)]
            for t in flooders:
                t.start()
            time.sleep(1.0)
            flooded = _pushes(server.api, http, household, args.seconds, "flood")
            stop.set()
            for t in flooders:
                t.join(timeout=120)
        finally:
            server.stop()
            engine.dispose()
    ratio = statistics.quantiles(flooded, n=10)[8] / statistics.quantiles(quiet, n=10)[8]
    logins = len(counts) / (args.seconds + 1.0)
    print(f"SQLite, {args.flooders} threads signing in ({logins:.1f} logins/s, statuses "
          f"{sorted(set(counts))}):")
    print(f"  no flood:   {_summary(quiet)}")
    print(f"  with flood: {_summary(flooded)}")
    print(f"  p90 with flood / p90 without: {ratio:.2f}x (goal: within 2x)")


if __name__ == "__main__":
    main()
