"""Fixtures of the unit tests.

Local store (``gulou_desk.store``): a real SQLite file per test under ``tmp_path``, and
the actors who edit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gulou_desk.domain.workflows import Actor
from gulou_desk.store.engine import Store
from tests.stores import new_store

GRID = "grid-1"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "data" / "desk.sqlite"


@pytest.fixture
def local_store(store_path: Path) -> Iterator[Store]:
    store = new_store(store_path)
    yield store
    store.close()


@pytest.fixture
def worker() -> Actor:
    return Actor(id="worker-1", role="social_worker", community_id="community-1",
                 street_id="street-1", grid_ids=frozenset({GRID}))


@pytest.fixture
def clerk() -> Actor:
    return Actor(id="clerk-1", role="clerk", community_id="community-1", street_id="street-1")
