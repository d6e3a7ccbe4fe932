"""Zero-downtime operation behind the load balancer (deploy/haproxy.cfg): a server
process stopped and started again while desk clients sync loses nothing, and a restart of
PostgreSQL is survived with 503 + Retry-After, never a 500, and nothing lost."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from server.database import make_engine, migrate
from server.schema import RECORD_TABLES
from tests.deploy.clients import SyncingClient
from tests.pgcluster import PrivateCluster
from tests.processes import LoadBalancer, ServerProcess
from tests.world import World, build_world


def _households(engine: sa.Engine) -> Counter[str]:
    t = RECORD_TABLES["household"]
    with engine.connect() as conn:
        return Counter(conn.execute(sa.select(t.c.id)).scalars())


def _clients(base: str, world: World) -> list[SyncingClient]:
    return [SyncingClient(base, "worker1", world["gridA"]),
            SyncingClient(base, "worker1", world["gridB"]),
            SyncingClient(base, "worker2", world["gridC"]),
            SyncingClient(base, "clerk1", world["gridA"])]


def _finish(clients: list[SyncingClient]) -> None:
    """Stop the clients' cycles, and pull each device to the head one last time."""
    for client in clients:
        client.finish()
    for client in clients:
        client.pull_to_head()


def _check_nothing_lost(engine: sa.Engine, clients: list[SyncingClient]) -> None:
    on_server = _households(engine)
    created = [rid for c in clients for rid in c.created]
    assert created and len(set(created)) == len(created)
    assert all(on_server[rid] == 1 for rid in created), "a pushed household is missing"
    for client in clients:  # each device, pulled to the head, holds what it made
        assert set(client.created) <= client.seen


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(pg_url)
    migrate(eng)
    yield eng
    eng.dispose()


def test_stopping_and_restarting_each_server_while_clients_sync_loses_nothing(
        pg_url: str, engine: sa.Engine, tmp_path: Path) -> None:
    world = build_world(engine)
    servers = [ServerProcess(pg_url, tmp_path, "--no-jobs", name=f"app{k}").start()
               for k in (1, 2)]
    lb = LoadBalancer([f"127.0.0.1:{s.port}" for s in servers], tmp_path).start()
    clients = _clients(lb.url, world)
    try:
        for client in clients:
            client.start()
        time.sleep(2)
        # A rolling restart, one process at a time, as docs/deployment.md says: drain it at
        # the load balancer (no new requests), stop it (SIGTERM: what it is doing
        # finishes), start the new one, put it back in service.
        for k, server in enumerate(servers, start=1):
            lb.command(f"set server gulou_servers/app{k} state drain")
            time.sleep(0.5)
            before = sum(len(c.created) for c in clients)
            assert server.stop() == 0
            time.sleep(2)  # the clients carry on through the other process
            assert sum(len(c.created) for c in clients) > before
            server.start()
            lb.command(f"set server gulou_servers/app{k} state ready")
            lb.wait_state(f"127.0.0.1:{server.port}", "UP")
        time.sleep(1)
        _finish(clients)
    finally:
        for client in clients:
            client.finish()
        for server in servers:
            server.stop()
        lb.stop()
    statuses = sum((c.statuses for c in clients), Counter[int]())
    assert [e for c in clients for e in c.errors] == []  # no retry was even needed
    assert set(statuses) == {200}, statuses
    _check_nothing_lost(engine, clients)


def test_a_server_killed_while_clients_sync_loses_nothing(
        pg_url: str, engine: sa.Engine, tmp_path: Path) -> None:
    """No warning this time (SIGKILL: a crash, the host lost): requests on their way are
    cut; HAProxy sends the ones that never reached it to the other process, the clients
    retry the rest (the same mutations: idempotent), and nothing is lost or doubled."""
    world = build_world(engine)
    servers = [ServerProcess(pg_url, tmp_path, "--no-jobs", name=f"app{k}").start()
               for k in (1, 2)]
    lb = LoadBalancer([f"127.0.0.1:{s.port}" for s in servers], tmp_path).start()
    clients = _clients(lb.url, world)
    try:
        for client in clients:
            client.start()
        time.sleep(2)
        before = sum(len(c.created) for c in clients)
        servers[0].kill()
        time.sleep(4)
        assert sum(len(c.created) for c in clients) > before
        servers[0].start()
        lb.wait_state(f"127.0.0.1:{servers[0].port}", "UP")
        time.sleep(1)
        _finish(clients)
    finally:
        for client in clients:
            client.finish()
        for server in servers:
            server.stop()
        lb.stop()
    statuses = sum((c.statuses for c in clients), Counter[int]())
    assert set(statuses) <= {200, 503}, statuses  # 503: "try again", with Retry-After
    assert sum(c.retry_after_missing for c in clients) == 0
    _check_nothing_lost(engine, clients)


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    pg = PrivateCluster()
    pg.start()
    yield pg
    pg.destroy()


def test_a_database_restart_mid_load_gives_503s_with_retry_after_and_loses_nothing(
        cluster: PrivateCluster, tmp_path: Path) -> None:
    url = cluster.create_database("gulou")
    engine = make_engine(url)
    migrate(engine)
    world = build_world(engine)
    servers = [ServerProcess(url, tmp_path, "--no-jobs", name=f"app{k}").start()
               for k in (1, 2)]
    lb = LoadBalancer([f"127.0.0.1:{s.port}" for s in servers], tmp_path).start()
    clients = _clients(lb.url, world)
    try:
        for client in clients:
            client.start()
        time.sleep(2)
        cluster.stop("fast")  # every connection is cut; new ones are refused
        time.sleep(1)
        direct = requests.get(servers[0].url + "/api/v1/health", timeout=10)
        via_lb = requests.get(lb.url + "/api/v1/health", timeout=10)
        time.sleep(2)
        cluster.start()
        time.sleep(4)
        for server in servers:  # the same processes serve again: connections re-opened
            assert requests.get(server.url + "/api/v1/health", timeout=10).status_code == 200
        _finish(clients)
    finally:
        for client in clients:
            client.finish()
        for server in servers:
            server.stop()
        lb.stop()
    try:  # the engine's connections are closed even when a check fails (a pool left
        # to the garbage collector warns in whichever test runs then)
        assert direct.status_code == 503 and int(direct.headers["Retry-After"]) > 0
        assert direct.json()["error"]["code"] == "unavailable"
        assert via_lb.status_code == 503 and int(via_lb.headers["Retry-After"]) > 0
        statuses = sum((c.statuses for c in clients), Counter[int]())
        assert statuses[503] > 0, statuses  # the clients did meet the outage
        assert set(statuses) <= {200, 503}, statuses  # never a 500
        assert sum(c.retry_after_missing for c in clients) == 0
        _check_nothing_lost(engine, clients)
    finally:
        engine.dispose()
