"""A desk client (real local SQLite store, real HTTP client, real sync engine) against the
real server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gulou_desk.domain.workflows import Actor
from gulou_desk.store.engine import Store
from gulou_desk.store.queries import actor_for, get_record
from sync.client import ApiClient
from sync.engine import SyncEngine
from sync.wire import UserInfo
from tests.conftest import LiveServer
from tests.stores import new_store
from tests.world import PASSWORD, World, build_world


@dataclass
class Device:
    """One user's desk client on one machine."""

    store: Store
    client: ApiClient
    engine: SyncEngine
    user: UserInfo

    def actor(self) -> Actor:
        with self.store.session() as s:
            return actor_for(s, user_id=self.user.id, role=self.user.role,
                             community_id=self.user.community_id,
                             street_id=self.user.street_id)

    def record(self, entity: str, record_id: str) -> dict[str, Any] | None:
        with self.store.session() as s:
            return get_record(s, entity, record_id)

    def sync(self) -> Any:
        return self.engine.run_cycle()


def make_device(server: LiveServer, folder: Path, username: str, *,
                page_size: int = 2000, password: str = PASSWORD) -> Device:
    store = new_store(folder / f"{username}-{uuid.uuid4().hex[:6]}" / "desk.sqlite")
    client = ApiClient(server.url, retries=1, backoff=0.01)
    pair = client.login(username, password, str(uuid.uuid4()), "pytest")
    engine = SyncEngine(store, client, client_id=str(uuid.uuid4()), page_size=page_size)
    return Device(store, client, engine, pair.user)


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def devices(live_server: LiveServer, world: World, tmp_path: Path) -> Iterator[
        Any]:
    made: list[Device] = []

    def make(username: str, **kw: Any) -> Device:
        device = make_device(live_server, tmp_path, username, **kw)
        made.append(device)
        return device

    yield make
    for d in made:
        d.store.close()
