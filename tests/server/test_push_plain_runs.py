"""Issue 15, item 3: a push of plain edits costs a few statements for the whole batch.

Consecutive updates of one entity's records (each record once) are read and locked
together, checked one by one in order, and written with one statement per table
(``server.push._apply_plain_run``); their results, rows, change log and audit entries
are those of the one-by-one path, which the updates that move a record, touch a record
twice or were sent before still take. Real server, real HTTP, real SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.domain.addresses import derived_address
from server.schema import audit_log, change_log, record_key
from server.store import load
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` meanwhile (an executemany counts once)."""
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)


def test_a_batch_of_plain_edits_costs_a_few_statements_for_all(
        live_server: LiveServer, world: World) -> None:
    households = [world.household(f"p{i}", "gridA", room=str(100 + i)) for i in range(60)]
    w1 = Api(live_server.api).login("worker1")
    versions = held(w1.pull_all()[0])
    batch = [mutation("household", h, "update",
                      base_version=versions[("household", h)]["version"],
                      fields={"notes": f"第{i}条"}) for i, h in enumerate(households)]
    with counted(live_server.engine) as statements:
        results = w1.push(*batch)
    assert {r["status"] for r in results} == {"applied"}, results[:3]
    writes = [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
    # One by one it was a dozen statements each (720 here).
    assert len(statements) < 40, statements
    assert len(writes) < 20, writes
    got = [r["version"] for r in results]
    assert got == sorted(got) and len(set(got)) == len(got), "a version each, in order"
    with live_server.engine.connect() as conn:
        for i, (h, r) in enumerate(zip(households, results, strict=True)):
            row = load(conn, "household", h)
            assert row is not None
            assert (row["notes"], row["sync_version"]) == (f"第{i}条", r["version"])
            assert row["field_versions"]["notes"] == r["version"]
            assert row["field_clients"]["notes"] == w1.client_id
        logged = conn.execute(sa.select(change_log.c.record_id, change_log.c.version)
                              .where(change_log.c.version.in_(got))).all()
        assert sorted(logged, key=lambda x: x[1]) == list(zip(households, got, strict=True))
        keys = dict(conn.execute(sa.select(record_key.c.record_id, record_key.c.version)
                                 .where(record_key.c.record_id.in_(households))).all())
        assert keys == dict(zip(households, got, strict=True))
        entries = conn.execute(sa.select(audit_log).where(audit_log.c.version.in_(got))
                               .order_by(audit_log.c.version)).mappings().all()
        assert [(e["record_id"], e["mutation_id"], e["op"], e["fields"], e["staff_id"])
                for e in entries] == [
            (h, m["mutation_id"], "update", ["notes"], w1.user["id"])
            for h, m in zip(households, batch, strict=True)]
    # A second device pulls exactly those edits.
    supervisor = Api(live_server.api).login("supervisor1")
    seen = held(supervisor.pull_all()[0])
    assert all(seen[("household", h)]["version"] == v for h, v in zip(households, got,
                                                                     strict=True))


def test_a_mixed_batch_answers_as_one_by_one(live_server: LiveServer, world: World) -> None:
    """Conflicts, refusals, a record edited twice, a household that moves grid (its
    resident follows) and a mutation sent before, amid plain edits, in one request."""
    w1 = Api(live_server.api).login("worker1")
    clerk = Api(live_server.api).login("clerk1")
    versions = held(w1.pull_all()[0])

    def base(name: str) -> int:
        return int(versions[("household", world[name])]["version"])

    # The clerk's device edits hA2's phone after worker1 saw it: a conflict for worker1.
    assert clerk.push(mutation("household", world["hA2"], "update", base_version=base("hA2"),
                               fields={"phone": "13900000001"}))[0]["status"] == "applied"
    sent_before = mutation("household", world["hA1"], "update", base_version=base("hA1"),
                           fields={"building": "9"})
    first = w1.push(sent_before)[0]
    assert first["status"] == "applied"
    batch = [
        mutation("household", world["hA1"], "update", base_version=base("hA1"),
                 fields={"notes": "一"}),
        mutation("household", world["hA2"], "update", base_version=base("hA2"),
                 fields={"phone": "13900000002", "notes": "二"}),
        mutation("household", world["hC1"], "update", base_version=1,
                 fields={"notes": "别人的"}),
        mutation("household", world["hB1"], "update", base_version=base("hB1"),
                 fields={"sync_version": 5}),
        mutation("household", world["hB1"], "update", base_version=base("hB1"),
                 fields={"grid_id": world["gridA"]}),
        mutation("household", world["hA1"], "update", base_version=base("hA1"),
                 fields={"notes": "一又"}),
        sent_before,
        mutation("household", world["hA2"], "update", base_version=base("hA2"),
                 fields={"notes": "二"}),
        mutation("household", world["hB1"], "update", base_version=base("hB1"),
                 fields={"room": "808"}),
    ]
    results = w1.push(*batch)
    assert [r["status"] for r in results] == [
        "applied", "conflict", "rejected", "rejected", "applied", "applied", "duplicate",
        "applied", "applied"], results
    assert [r["error"]["code"] for r in results if r["error"]] == ["not_found", "validation"]
    conflict = results[1]
    assert [c["field"] for c in conflict["conflicts"]] == ["phone"]
    assert conflict["conflicts"][0]["server_value"] == "13900000001"
    assert conflict["conflicts"][0]["changed_by"] == clerk.user["id"]
    assert results[6]["version"] == first["version"]
    assert results[7]["version"] is None, "nothing to change: no write, no version"
    ordered = [r["version"] for r in results if r["status"] in ("applied", "conflict")
               and r["version"] is not None]
    assert ordered == sorted(ordered)
    with live_server.engine.connect() as conn:
        a1, a2, b1 = (load(conn, "household", world[n]) for n in ("hA1", "hA2", "hB1"))
        resident = load(conn, "resident", world["rhB1"])
        moved_keys = set(conn.execute(sa.select(record_key.c.key).where(
            record_key.c.record_id == world["rhB1"])).scalars())
        entries = conn.execute(sa.select(audit_log.c.mutation_id).where(
            audit_log.c.mutation_id.in_([m["mutation_id"] for m in batch]))).scalars().all()
    assert a1 is not None and a2 is not None and b1 is not None and resident is not None
    assert (a1["notes"], a1["building"]) == ("一又", "9")
    assert (a2["phone"], a2["notes"]) == ("13900000001", "二")
    assert a2["sync_version"] == conflict["version"]
    assert (b1["grid_id"], b1["room"]) == (world["gridA"], "808")
    assert moved_keys == {f"g:{world['gridA']}"}, "the resident followed its household"
    # One audit entry per write that changed a field (the duplicate's when it was first
    # sent): none for the refused or for the edit that changed nothing.
    assert sorted(entries) == sorted(batch[i]["mutation_id"] for i in (0, 1, 4, 5, 6, 8))
    again = w1.push(*batch)
    assert [r["status"] for r in again] == [
        "duplicate", "duplicate", "rejected", "rejected", "duplicate", "duplicate",
        "duplicate", "duplicate", "duplicate"], again


def test_a_run_writes_what_each_edit_changed_and_keeps_the_rest(
        live_server: LiveServer, world: World) -> None:
    """A run writes each record's changed fields only (grouped by the fields changed):
    what a record did not change stays as it was, a new building still makes the new
    address, and what a pull sends is the row as stored."""
    households = [world.household(f"k{i}", "gridA", room=str(200 + i),
                                  notes=f"原来{i}", tags=["独居"]) for i in range(6)]
    w1 = Api(live_server.api).login("worker1")
    before = held(w1.pull_all()[0])
    edits: list[dict[str, Any]] = [
        {"notes": "新"}, {"building": "7"}, {"phone": "13900000009", "notes": "也新"},
        {"notes": "新二"}, {"tags": ["低保"]}, {"building": "7", "notes": "搬"}]
    batch = [mutation("household", h, "update",
                      base_version=before[("household", h)]["version"], fields=f)
             for h, f in zip(households, edits, strict=True)]
    results = w1.push(*batch)
    assert {r["status"] for r in results} == {"applied"}, results
    after = held(Api(live_server.api).login("supervisor1").pull_all()[0])
    for h, f, r in zip(households, edits, results, strict=True):
        old, new = before[("household", h)]["data"], after[("household", h)]
        assert new["version"] == r["version"]
        expected = {**old, **f}
        if "building" in f:
            expected["address"] = derived_address(old, expected)
            assert "7栋" in expected["address"]
        assert new["data"] == expected, h
    with live_server.engine.connect() as conn:
        for h, f in zip(households, edits, strict=True):
            row = load(conn, "household", h)
            assert row is not None and row["notes"] == after[("household", h)]["data"]["notes"]
            changed = set(f) | ({"address"} if "building" in f else set())
            assert {n for n, v in row["field_versions"].items()
                    if v == row["sync_version"]} == changed, h
