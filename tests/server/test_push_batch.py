"""Issue 12, item 13: one bad mutation never fails the batch.

A push is one transaction with a savepoint per mutation: a mutation the server fails on
unexpectedly is rolled back alone and answered ``rejected`` / ``internal`` (logged with
its id), the mutations before and after it are applied, and the request is a 200. The
failure here is real: a household row whose bookkeeping was damaged in the database (no
mock of our own code).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.records import new_id
from server.schema import RECORD_TABLES
from server.store import load
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _damage(engine: sa.Engine, household_id: str) -> None:
    """Break the row's per-field versions (a list where an object belongs): the server's
    conflict check fails on it, as it would on any defect we do not know of yet."""
    households = RECORD_TABLES["household"]
    with engine.begin() as conn:
        conn.execute(sa.update(households).where(households.c.id == household_id)
                     .values(field_versions=[1, 2, 3]))


def _notes(engine: sa.Engine, entity: str, rid: str) -> Any:
    with engine.connect() as conn:
        row = load(conn, entity, rid)
    return row["notes"] if row else None


def test_an_unexpected_failure_rejects_that_mutation_only(
        live_server: LiveServer, world: World, caplog: pytest.LogCaptureFixture) -> None:
    clerk = Api(live_server.api).login("clerk1")
    versions = held(clerk.pull_all()[0])
    base = {h: versions[("household", world[h])]["version"] for h in ("hA1", "hA2", "hB1")}
    _damage(live_server.engine, world["hA2"])
    batch = [
        mutation("household", world["hA1"], "update", base_version=base["hA1"],
                 fields={"notes": "第一条"}),
        mutation("household", world["hA2"], "update", base_version=base["hA2"],
                 fields={"notes": "坏行"}),
        mutation("household", world["hB1"], "update", base_version=base["hB1"],
                 fields={"notes": "第三条"}),
    ]
    with caplog.at_level(logging.ERROR, logger="server.push"):
        results = clerk.push(*batch)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"], results
    assert results[1]["error"]["code"] == "internal"
    assert _notes(live_server.engine, "household", world["hA1"]) == "第一条"
    assert _notes(live_server.engine, "household", world["hA2"]) != "坏行"
    assert _notes(live_server.engine, "household", world["hB1"]) == "第三条"
    failed = [r for r in caplog.records if batch[1]["mutation_id"] in r.getMessage()]
    assert failed, "the failure is logged with the mutation's id"
    # Sent again: what was applied is a duplicate, the failed one is tried again (and,
    # the row still damaged, fails again), nothing is applied twice.
    again = clerk.push(*batch)
    assert [r["status"] for r in again] == ["duplicate", "rejected", "duplicate"], again
    assert [r["version"] for r in again[::2]] == [r["version"] for r in results[::2]]


def test_a_batch_commits_what_it_applied_around_rejections(
        live_server: LiveServer, world: World) -> None:
    """Rejections (stale, validation, forbidden) and applications interleave in one
    batch: each rejected mutation leaves no trace, each applied one is kept, in order."""
    w1 = Api(live_server.api).login("worker1")
    versions = held(w1.pull_all()[0])
    rid = new_id()
    results = w1.push(
        mutation("household", world["hA1"], "update",
                 base_version=versions[("household", world["hA1"])]["version"],
                 fields={"notes": "一"}),
        mutation("resident", rid, "create", fields={
            "household_id": world["hA1"], "name": "错号", "id_number": "110105194912310021",
            "status": "active"}),
        mutation("household", world["hC1"], "update", base_version=1,
                 fields={"notes": "别人的"}),
        mutation("household", world["hA2"], "update",
                 base_version=versions[("household", world["hA2"])]["version"],
                 fields={"notes": "二"}),
        mutation("household", world["hA2"], "update",
                 base_version=versions[("household", world["hA2"])]["version"],
                 fields={"notes": "三"}),
    )
    assert [r["status"] for r in results] == [
        "applied", "rejected", "rejected", "applied", "applied"], results
    assert [r["error"]["code"] for r in results if r["error"]] == ["validation", "not_found"]
    assert results[3]["version"] < results[4]["version"]
    assert _notes(live_server.engine, "household", world["hA2"]) == "三"
    with live_server.engine.connect() as conn:
        assert load(conn, "resident", rid) is None


def test_a_mutation_id_twice_in_one_batch_is_applied_once(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    base = held(w1.pull_all()[0])[("household", world["hA1"])]["version"]
    m = mutation("household", world["hA1"], "update", base_version=base,
                 fields={"notes": "一次"})
    first, second = w1.push(m, m)
    assert (first["status"], second["status"]) == ("applied", "duplicate")
    assert first["version"] == second["version"]

