"""A push's results settled in bulk (``outbox.mark_applied_many``): an update that was its
record's only pending edit is forgotten with the server copy, for the whole batch at
once; everything else (two edits of one record, a create, a conflict) as before."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gulou_desk.store.usecases import create_record, update_record
from tests.world import World


def _count(device: Any, table: str) -> int:
    with device.store.session() as s:
        return int(s.scalar(sa.text(f"SELECT count(*) FROM {table}")))


def test_a_batch_of_edits_is_settled_and_the_rows_are_what_the_server_holds(
        devices: Any, world: World) -> None:
    w1 = devices("worker1")
    w1.sync()
    actor = w1.actor()
    update_record(w1.store, "household", world["hA1"], {"notes": "一次"}, actor=actor)
    update_record(w1.store, "household", world["hA2"], {"notes": "第一次"}, actor=actor)
    update_record(w1.store, "household", world["hA2"], {"phone": "13800001111"}, actor=actor)
    rid, _ = create_record(w1.store, "resident", {
        "household_id": world["hA1"], "name": "新成员", "relation": "子女"}, actor=actor)
    update_record(w1.store, "resident", rid, {"phone": "13900002222"}, actor=actor)
    assert _count(w1, "outbox") == 5 and _count(w1, "pending_bases") == 3
    report = w1.sync()
    assert (report.pushed, report.applied) == (5, 5)
    assert _count(w1, "outbox") == 0 and _count(w1, "pending_bases") == 0
    assert w1.record("household", world["hA1"])["notes"] == "一次"
    a2 = w1.record("household", world["hA2"])
    assert (a2["notes"], a2["phone"]) == ("第一次", "13800001111")
    assert w1.record("resident", rid)["phone"] == "13900002222"
    # The server holds the same, and a second device sees it.
    other = devices("worker1")
    other.sync()
    for entity, record_id in (("household", world["hA1"]), ("household", world["hA2"]),
                              ("resident", rid)):
        mine, theirs = w1.record(entity, record_id), other.record(entity, record_id)
        assert mine == theirs, (entity, record_id)
