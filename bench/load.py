"""Load test at district size: several server processes behind HAProxy on PostgreSQL.

    .venv/bin/python bench/load.py --db postgresql://postgres@127.0.0.1:5432/gulou_load
    .venv/bin/python bench/load.py --db … --kill-one      # one server process killed mid-test

What it does (loopback only; bounded in time and count):

1. Seeds the database at district size if it is empty (735,642 households; it takes a
   while: do it once into a database of your own and reuse it), adds a second clerk
   account in each community, and migrates.
2. Starts ``--servers`` ``gulou-server serve`` processes (the first also runs the periodic
   jobs) and HAProxy with ``deploy/haproxy.cfg`` in front, on free loopback ports.
3. Signs in the district's devices: 318 social workers, two clerks in each of the 120
   communities, 13 supervisors, each a device with its own cursor and store (what it
   holds: record → version). A device's first sync is a full pull (not measured; its
   store and cursor are kept in ``bench/out/`` and resumed by the next run, as a device
   resumes after a night offline).
4. For ``--duration`` seconds: each device cycles as the app does: pushes 1–20 edits
   (workers: household and resident phone numbers, ticket comments; clerks: ticket
   comments and assignments; supervisors: comments), then pulls to the head, then waits
   2–5 minutes (jittered; the first cycle at a random moment). The bot posts residents'
   messages at the district's peak rate (10× the yearly average: 2.5 M/year → 0.79/s)
   and polls its outbound queue every 5 s. With ``--kill-one``, server process 1 is
   killed (SIGKILL) in the middle and started again 20 s later.
5. Prints per endpoint: requests/s, p50/p95/p99 latency, errors (an answer that is not
   2xx after the client's retries, or none at all), and the retries (503, or a cut
   connection).
6. Convergence: every device pulls to the head; its store must equal a fresh full pull
   — for every device, the server's records in the device's scope (``record_key``: what
   a full pull sends); for ``--verify-sample`` devices also a real full pull over HTTP.
   Differences: records missing, extra or at another version.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pickle
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gulou_desk.domain.workflows import TICKET_TRANSITIONS  # noqa: E402
from gulou_desk.passwords import hash_password  # noqa: E402
from gulou_desk.records import format_datetime, now  # noqa: E402
from server.auth import create_account  # noqa: E402
from server.bot_signature import signed_headers, with_nonce  # noqa: E402
from server.database import make_engine, migrate, writer  # noqa: E402
from server.demo_data import DEMO_PASSWORD  # noqa: E402
from server.schema import RECORD_TABLES, record_key  # noqa: E402
from server.scope import user_keys  # noqa: E402
from server.store import RecordWriter  # noqa: E402
from server.tools.bot_simulator import BotSimulator, groups_of  # noqa: E402

OUT = ROOT / "bench" / "out"
YEARLY_MESSAGES = 2_500_000
PEAK_FACTOR = 10
PULL_LIMIT = 1000
MAX_ATTEMPTS = 6


@dataclass
class Device:
    username: str
    role: str
    staff_id: str = ""
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    token: str = ""
    cursor: str | None = None
    store: dict[tuple[str, str], int] = field(default_factory=dict)
    households: dict[str, dict[str, Any]] = field(default_factory=dict)
    residents: list[str] = field(default_factory=list)
    tickets: dict[str, str] = field(default_factory=dict)
    workers: list[str] = field(default_factory=list)

    def apply(self, changes: list[dict[str, Any]]) -> None:
        for c in changes:
            key = (c["entity"], c["id"])
            if c["op"] == "upsert":
                if self.store.get(key, -1) > c["version"]:
                    continue
                self.store[key] = c["version"]
                self._note(c["entity"], c["id"], c["data"], c["version"])
            else:
                self.store.pop(key, None)
                self.households.pop(c["id"], None)
                self.tickets.pop(c["id"], None)

    def _note(self, entity: str, rid: str, data: dict[str, Any], version: int) -> None:
        if entity == "household":
            self.households[rid] = {"version": version}
        elif entity == "resident" and len(self.residents) < 2000:
            self.residents.append(rid)
        elif entity == "ticket":
            self.tickets[rid] = data.get("status", "")
        elif entity == "staff" and data.get("role") == "social_worker" and \
                len(self.workers) < 50:
            self.workers.append(rid)


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.results: Counter[str] = Counter()
        self.rejections: Counter[tuple[str, str]] = Counter()
        self.recording = False

    def note(self, name: str, seconds: float, status: int) -> None:
        if self.recording:
            self.latency[name].append(seconds)
            self.statuses[(name, status)] += 1


class Load:
    def __init__(self, base: str, secret: str, stats: Stats) -> None:
        self.base = base + "/api/v1"
        self.wechat_secret = secret
        self.stats = stats
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(90.0, connect=5.0),
                                      limits=httpx.Limits(max_connections=48))

    async def call(self, name: str, method: str, path: str, device: Device | None = None,
                   **kw: Any) -> httpx.Response:
        """One request with the desk client's retry policy: a cut connection or a 503 is
        tried again (after Retry-After); an expired token is renewed by signing in."""
        signed_in_again = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            headers = dict(kw.pop("headers", {}) or {})
            if device is not None and device.token:
                headers["Authorization"] = f"Bearer {device.token}"
            t0 = time.perf_counter()
            try:
                response = await self.http.request(method, self.base + path, headers=headers,
                                                   **kw)
            except httpx.TransportError:
                if self.stats.recording:
                    self.stats.retries[name] += 1
                kw["headers"] = headers
                await asyncio.sleep(min(8.0, 0.5 * 2 ** attempt) * random.random())
                continue
            self.stats.note(name, time.perf_counter() - t0, response.status_code)
            kw["headers"] = headers
            if response.status_code == 503 and attempt < MAX_ATTEMPTS:
                if self.stats.recording:
                    self.stats.retries[name] += 1
                after = float(response.headers.get("Retry-After", "2"))
                await asyncio.sleep(after * random.uniform(0.5, 1.0))
                continue
            if response.status_code == 401 and device is not None and not signed_in_again:
                signed_in_again = True  # the access token expired: as the app, sign in again
                await self.login(device)
                continue
            if response.status_code >= 300 and self.stats.recording:
                self.stats.errors[name] += 1
            return response
        if self.stats.recording:
            self.stats.errors[name] += 1
        raise RuntimeError(f"{name}: no answer after {MAX_ATTEMPTS} attempts")

    async def login(self, device: Device) -> None:
        r = await self.call("POST /auth/login", "POST", "/auth/login", json={
            "username": device.username, "password": DEMO_PASSWORD,
            "device_id": device.client_id, "device_name": "bench"})
        r.raise_for_status()
        body = r.json()
        device.token, device.staff_id = body["access_token"], body["user"]["id"]

    async def pull_to_head(self, device: Device, name: str = "GET /sync/pull") -> int:
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": PULL_LIMIT}
            if device.cursor:
                params["cursor"] = device.cursor
            r = await self.call(name, "GET", "/sync/pull", device, params=params)
            if r.status_code == 422 and device.cursor:  # refused cursor: start again
                device.cursor, device.store = None, {}
                continue
            r.raise_for_status()
            body = orjson.loads(r.content)
            device.apply(body["changes"])
            device.cursor = body["cursor"]
            pages += 1
            if not body["has_more"]:
                return pages

    async def push(self, device: Device, mutations: list[dict[str, Any]]) -> None:
        if not mutations:
            return
        r = await self.call("POST /sync/push", "POST", "/sync/push", device,
                            content=orjson.dumps({"client_id": device.client_id,
                                                  "mutations": mutations}),
                            headers={"Content-Type": "application/json"})
        if r.status_code == 200:
            sent = {m["mutation_id"]: m for m in mutations}
            for result in r.json()["results"]:
                self.stats.results[result["status"]] += 1
                if result["status"] == "rejected" and self.stats.recording:
                    m, error = sent.get(result["mutation_id"], {}), result.get("error") or {}
                    self.stats.rejections[(f"{m.get('entity')} {m.get('action') or m.get('op')}",
                                           str(error.get("code")))] += 1

    async def bot_post(self, message: dict[str, Any]) -> None:
        body = orjson.dumps(message)
        await self.bot_call("POST /intake/wechat", "POST", "/intake/wechat", body,
                            {"Content-Type": "application/json"})

    async def bot_poll(self) -> None:
        r = await self.bot_call("GET /intake/wechat/outbound", "GET",
                                with_nonce("/intake/wechat/outbound"))
        if r.status_code != 200:
            return
        for message in r.json()["messages"]:
            await self.bot_call("POST /intake/wechat/outbound/{id}/ack", "POST",
                                f"/intake/wechat/outbound/{message['id']}/ack")

    async def bot_call(self, name: str, method: str, path: str, body: bytes = b"",
                       headers: dict[str, str] | None = None) -> httpx.Response:
        """A request signed as the bot signs it: over the method, the full target (with
        its query) and the body."""
        signed = signed_headers(self.wechat_secret, method, "/api/v1" + path, body)
        return await self.call(name, method, path, content=body,
                               headers={**(headers or {}), **signed})


# --- the edits a device makes ------------------------------------------------------------


def _phone(rng: random.Random) -> str:
    return "13" + "".join(str(rng.randint(0, 9)) for _ in range(9))


ASSIGNABLE = next(t for t in TICKET_TRANSITIONS if t.action == "assign").from_states
"""The statuses a ticket may be assigned from (the domain's rule). A clerk assigns one of
these, as a clerk does: picking any ticket of the community, mostly closed ones, made 698
of the run's 700 rejections assignments of closed tickets, a push mix no clerk makes."""


def edits(device: Device, rng: random.Random) -> list[dict[str, Any]]:
    count = rng.randint(1, 20)
    out: list[dict[str, Any]] = []
    households = list(device.households)
    tickets = list(device.tickets)
    assignable = [t for t, status in device.tickets.items() if status in ASSIGNABLE]
    for _ in range(count):
        kind = rng.random()
        m: dict[str, Any] = {"mutation_id": str(uuid.uuid4())}
        if device.role == "social_worker" and households and kind < 0.6:
            rid = rng.choice(households)
            m.update(entity="household", id=rid, op="update",
                     base_version=device.households[rid]["version"],
                     fields={"phone": _phone(rng)})
        elif device.role == "social_worker" and device.residents and kind < 0.8:
            rid = rng.choice(device.residents)
            m.update(entity="resident", id=rid, op="update",
                     base_version=device.store.get(("resident", rid)),
                     fields={"phone": _phone(rng)})
        elif device.role == "clerk" and assignable and device.workers and kind < 0.3:
            m.update(entity="ticket", id=rng.choice(assignable), op="action", action="assign",
                     args={"assignee_id": rng.choice(device.workers),
                           "event_id": str(uuid.uuid4())})
        elif tickets:
            m.update(entity="ticket", id=rng.choice(tickets), op="action", action="comment",
                     args={"body": "已电话联系居民，明天上门。", "event_id": str(uuid.uuid4())})
        else:
            continue
        out.append(m)
    return out


# --- setting up ------------------------------------------------------------------------


def prepare_database(url: str) -> list[Device]:
    engine = make_engine(url)
    migrate(engine)
    from server.seed import is_seeded, seed

    if not is_seeded(engine):
        print("seeding the district (once; this takes a while) …", flush=True)
        report = seed(engine, "district")
        print(f"seeded in {report.seconds:.0f} s: {report.counts}", flush=True)
    staff = RECORD_TABLES["staff"]
    with engine.connect() as conn:
        rows = list(conn.execute(sa.select(staff.c.id, staff.c.username, staff.c.role,
                                           staff.c.community_id, staff.c.street_id)
                                 .where(staff.c.active.is_not(False))).mappings())
    names = {r["username"] for r in rows}
    clerks = [r for r in rows if r["role"] == "clerk" and not r["username"].endswith("b")]
    missing = [r for r in clerks if r["username"] + "b" not in names]
    if missing:
        password = hash_password(DEMO_PASSWORD)
        with writer(engine).begin() as conn:
            for r in missing:
                sid = str(uuid.uuid4())
                RecordWriter(conn).save("staff", sid, {
                    "username": r["username"] + "b", "display_name": "第二办事员",
                    "role": "clerk", "community_id": r["community_id"],
                    "street_id": r["street_id"], "active": True})
                create_account(conn, sid, r["username"] + "b", DEMO_PASSWORD,
                               password_hash=password)
        print(f"added {len(missing)} second clerks", flush=True)
        with engine.connect() as conn:
            rows = list(conn.execute(sa.select(staff.c.id, staff.c.username, staff.c.role)
                                     .where(staff.c.active.is_not(False))).mappings())
    engine.dispose()
    devices = [Device(r["username"], r["role"]) for r in rows
               if r["role"] in ("social_worker", "clerk", "supervisor")]
    return sorted(devices, key=lambda d: (d.role, d.username))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """The server processes and HAProxy, on free loopback ports, logs in bench/out/."""

    def __init__(self, url: str, servers: int, secret: str, wechat: str) -> None:
        self.url, self.count = url, servers
        self.env = {**os.environ, "GULOU_SECRET_KEY": secret, "GULOU_WECHAT_SECRET": wechat,
                    "PYTHONUNBUFFERED": "1"}
        self.ports = [free_port() for _ in range(servers)]
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * servers
        self.lb_port = free_port()
        self.lb: subprocess.Popen[bytes] | None = None

    def start_server(self, k: int) -> None:
        jobs = [] if k == 0 else ["--no-jobs"]
        log = (OUT / f"load-server{k + 1}.log").open("ab")
        self.processes[k] = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--db", self.url, "--no-migrate",
             "--host", "127.0.0.1", "--port", str(self.ports[k]), *jobs],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT,
            start_new_session=True)
        self.wait(f"http://127.0.0.1:{self.ports[k]}")

    def start(self) -> None:
        for k in range(self.count):
            self.start_server(k)
        if self.count != 2:
            raise SystemExit("deploy/haproxy.cfg lists two server processes")
        env = {**self.env, "GULOU_LB_BIND": f"127.0.0.1:{self.lb_port}",
               "GULOU_DEPLOY_DIR": str(ROOT / "deploy"),
               "GULOU_LB_STATS": str(OUT / "haproxy.sock"),
               **{f"GULOU_APP{k + 1}": f"127.0.0.1:{p}" for k, p in enumerate(self.ports)}}
        self.lb = subprocess.Popen(["haproxy", "-db", "-f", str(ROOT / "deploy" /
                                                                  "haproxy.cfg")],
                                   stdout=(OUT / "load-haproxy.log").open("ab"),
                                   stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.wait(self.base)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.lb_port}"

    @staticmethod
    def wait(url: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/api/v1/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise SystemExit(f"{url} did not answer")

    def kill(self, k: int) -> None:
        process = self.processes[k]
        if process is not None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for process in [*self.processes, self.lb]:
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.processes, self.lb]:
            if process is not None:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


# --- the run ---------------------------------------------------------------------------


def new_secrets() -> tuple[str, str]:
    """The servers' signing key and the bot's secret: random, with the entropy the server
    asks of both (it refuses to start otherwise)."""
    return secrets.token_urlsafe(48), secrets.token_urlsafe(48)


async def run(args: argparse.Namespace) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    devices = prepare_database(args.db)
    counts = Counter(d.role for d in devices)
    print(f"devices: {counts['social_worker']} social workers, {counts['clerk']} clerks, "
          f"{counts['supervisor']} supervisors", flush=True)
    state_file = OUT / f"load-state-{sa.engine.make_url(args.db).database}.pickle"
    saved: dict[str, Any] = {}
    if state_file.exists() and not args.fresh:
        saved = pickle.loads(state_file.read_bytes())
    secret, wechat = new_secrets()
    secret = saved.get("secret") or secret
    for d in devices:
        if d.username in saved.get("devices", {}):
            d.cursor, d.store, d.households, d.residents, d.tickets, d.workers = \
                saved["devices"][d.username]
    cluster = Cluster(args.db, args.servers, secret, wechat)
    stats = Stats()
    try:
        cluster.start()
        load = Load(cluster.base, wechat, stats)
        engine = make_engine(args.db)
        groups = groups_of(engine)
        bot = BotSimulator(cluster.base, wechat, groups, seed=args.seed)

        # Sign in and bring every device to the head (a first full pull, or a resume).
        t0 = time.perf_counter()
        gate = asyncio.Semaphore(args.warmup_concurrency)

        async def warm(d: Device) -> None:
            async with gate:
                await load.login(d)
                await load.pull_to_head(d, "warm-up pull")
        await asyncio.gather(*(warm(d) for d in devices))
        held = sum(len(d.store) for d in devices)
        print(f"warm-up: {len(devices)} devices signed in and at the head in "
              f"{time.perf_counter() - t0:.0f} s ({held:,} records held in all)", flush=True)
        _save(state_file, secret, devices)

        # The measured window.
        stats.recording = True
        start = time.monotonic()
        end = start + args.duration
        rate = YEARLY_MESSAGES / (365 * 24 * 3600) * PEAK_FACTOR * args.bot_factor

        async def device_loop(d: Device) -> None:
            local = random.Random(rng.random())
            first = local.uniform(0, (args.min_interval + args.max_interval) / 2)
            await asyncio.sleep(min(first, max(0.0, end - time.monotonic())))
            while time.monotonic() < end:
                await load.push(d, edits(d, local))
                await load.pull_to_head(d)
                pause = local.uniform(args.min_interval, args.max_interval)
                await asyncio.sleep(max(0.0, min(pause, end - time.monotonic())))

        async def bot_post_loop() -> None:
            # Messages arrive at their rate whether or not the server is slow to answer.
            sent: list[asyncio.Task[None]] = []
            while time.monotonic() < end and len(sent) < args.duration * rate * 3:
                await asyncio.sleep(min(rng.expovariate(rate), max(0.0, end - time.monotonic())))
                message = bot.make_message()
                message["sent_at"] = format_datetime(now())
                sent.append(asyncio.create_task(guarded(load.bot_post(message))))
            await asyncio.gather(*sent)

        async def bot_poll_loop() -> None:
            while time.monotonic() < end:
                await load.bot_poll()
                await asyncio.sleep(5)

        async def killer() -> None:
            await asyncio.sleep(args.duration / 2)
            print(f"killing server process 1 (SIGKILL) at {time.monotonic() - start:.0f} s",
                  flush=True)
            cluster.kill(0)
            await asyncio.sleep(20)
            await asyncio.to_thread(cluster.start_server, 0)
            print(f"server process 1 is back at {time.monotonic() - start:.0f} s", flush=True)

        async def guarded(coro: Any) -> None:
            try:
                await coro
            except (RuntimeError, httpx.HTTPError) as exc:  # counted as an error already
                print(f"  gave up: {str(exc)[:200]}", flush=True)

        tasks = [guarded(device_loop(d)) for d in devices]
        tasks += [guarded(bot_post_loop()), guarded(bot_poll_loop())]
        if args.kill_one:
            tasks.append(killer())
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - start
        stats.recording = False
        report(stats, elapsed, args)

        # Convergence: every device at the head equals a fresh full pull.
        differences = await converge(load, devices, engine, args.verify_sample, rng)
        _save(state_file, secret, devices)
        engine.dispose()
        await load.http.aclose()
        errors = sum(stats.errors.values())
        print(f"\nerrors: {errors}; differences: {differences}")
        return 0 if errors == 0 and differences == 0 else 1
    finally:
        cluster.stop()


async def converge(load: Load, devices: list[Device], engine: sa.Engine, sample: int,
                   rng: random.Random) -> int:
    t0 = time.perf_counter()
    gate = asyncio.Semaphore(8)

    async def to_head(d: Device) -> None:
        async with gate:
            await load.pull_to_head(d, "final pull")
    await asyncio.gather(*(to_head(d) for d in devices))
    differences = 0
    from server.auth import principal

    with engine.connect() as conn:
        for d in devices:
            user = principal(conn, d.staff_id)
            assert user is not None
            keys = sorted(user_keys(conn, user))
            truth: dict[tuple[str, str], int] = {}
            for chunk in range(0, len(keys), 500):
                for entity, rid, version in conn.execute(
                        sa.select(record_key.c.entity, record_key.c.record_id,
                                  record_key.c.version)
                        .where(record_key.c.key.in_(keys[chunk:chunk + 500]))):
                    truth[(entity, rid)] = version
            diff = _diff(d.store, truth)
            if diff:
                print(f"  {d.username}: {diff}")
            differences += sum(diff.values())
    print(f"convergence: {len(devices)} devices compared with the server's records in "
          f"their scope in {time.perf_counter() - t0:.0f} s", flush=True)
    chosen = rng.sample(devices, min(sample, len(devices)))
    for d in chosen:
        fresh = Device(d.username, d.role, token=d.token)
        await load.pull_to_head(fresh, "fresh full pull")
        diff = _diff(d.store, fresh.store)
        if diff:
            print(f"  {d.username} vs a fresh full pull: {diff}")
        differences += sum(diff.values())
    print(f"convergence: {len(chosen)} devices also compared with a fresh full pull over "
          f"HTTP ({sum(d.role == 'supervisor' for d in chosen)} supervisors, "
          f"{sum(d.role == 'clerk' for d in chosen)} clerks)", flush=True)
    return differences


def _diff(store: dict[tuple[str, str], int], truth: dict[tuple[str, str], int]
          ) -> dict[str, int]:
    missing = sum(1 for k in truth if k not in store)
    extra = sum(1 for k in store if k not in truth)
    other = sum(1 for k, v in truth.items() if k in store and store[k] != v)
    return {k: v for k, v in (("missing", missing), ("extra", extra),
                              ("other version", other)) if v}


def _save(path: Path, secret: str, devices: list[Device]) -> None:
    path.write_bytes(pickle.dumps({"secret": secret, "devices": {
        d.username: (d.cursor, d.store, d.households, d.residents, d.tickets, d.workers)
        for d in devices}}, protocol=pickle.HIGHEST_PROTOCOL))


def report(stats: Stats, elapsed: float, args: argparse.Namespace) -> None:
    title = "one server process killed mid-test" if args.kill_one else "normal"
    print(f"\n{title}: {elapsed:.0f} s, {args.servers} server processes behind HAProxy")
    print(f"{'endpoint':40} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'errors':>6} {'retries':>7}")
    for name in sorted(stats.latency):
        values = sorted(stats.latency[name])
        n = len(values)

        def q(p: float, values: list[float] = values, n: int = n) -> float:
            return values[min(n - 1, int(p * n))] * 1000

        print(f"{name:40} {n:8d} {n / elapsed:7.2f} {statistics.median(values) * 1000:7.0f} "
              f"{q(0.95):7.0f} {q(0.99):7.0f} {stats.errors[name]:6d} "
              f"{stats.retries[name]:7d}")
    print(f"mutation results: {dict(stats.results)}")
    if stats.rejections:
        print("rejected (the domain's answers to the simulated steps): " + ", ".join(
            f"{what}: {code} ×{n}" for (what, code), n in stats.rejections.most_common()))
    other = {f"{k[0]} {k[1]}": v for k, v in stats.statuses.items() if k[1] != 200}
    if other:
        print(f"answers other than 200: {other}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="PostgreSQL URL of a database of yours")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds (default 300)")
    parser.add_argument("--min-interval", type=float, default=120.0)
    parser.add_argument("--max-interval", type=float, default=300.0)
    parser.add_argument("--bot-factor", type=float, default=1.0,
                        help="times the peak message rate (default 1)")
    parser.add_argument("--kill-one", action="store_true",
                        help="kill server process 1 in the middle, start it 20 s later")
    parser.add_argument("--verify-sample", type=int, default=20,
                        help="devices also checked against a real full pull (default 20)")
    parser.add_argument("--warmup-concurrency", type=int, default=6)
    parser.add_argument("--fresh", action="store_true",
                        help="forget the devices' saved stores: full pulls for all")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if not args.db.startswith("postgresql"):
        parser.error("--db: a PostgreSQL database (the load test is about several processes)")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
