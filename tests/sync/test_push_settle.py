"""A push's results settled in bulk (``outbox.mark_applied_many``): an update that was its
record's only pending edit is forgotten with the server copy, for the whole batch at
once; everything else (two edits of one record, a create, a conflict) as before."""

from __future__ import annotations

from typing import Any

import pytest
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


def test_conflicts_of_a_batch_are_settled_at_once_as_one_by_one(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two offline edits of fields another device changed meanwhile: each conflict is
    kept (the user's value), the row shows the server's; the record with a second pending
    edit is settled one by one, in order, as before."""
    from gulou_desk.store import outbox
    from gulou_desk.store.queries import list_conflicts

    w1, other = devices("worker1"), devices("worker1")
    w1.sync()
    other.sync()
    update_record(other.store, "household", world["hA1"], {"notes": "他改的"},
                  actor=other.actor())
    update_record(other.store, "household", world["hA2"], {"phone": "13811110000"},
                  actor=other.actor())
    other.sync()
    actor = w1.actor()
    update_record(w1.store, "household", world["hA1"], {"notes": "我改的"}, actor=actor)
    update_record(w1.store, "household", world["hA2"], {"phone": "13922220000"}, actor=actor)
    update_record(w1.store, "household", world["hA2"], {"notes": "又改"}, actor=actor)
    one_by_one: list[str] = []
    real = outbox.mark_conflict

    def mark_conflict(session: Any, mutation_id: str, *args: Any, **kw: Any) -> Any:
        one_by_one.append(mutation_id)
        return real(session, mutation_id, *args, **kw)

    monkeypatch.setattr(outbox, "mark_conflict", mark_conflict)
    report = w1.sync()
    assert (report.pushed, report.applied, report.conflicts) == (3, 1, 2)
    assert len(one_by_one) == 1  # hA2's, which had a second edit pending
    assert _count(w1, "outbox") == 0 and _count(w1, "pending_bases") == 0
    with w1.store.session() as s:
        kept = sorted((c.record_id, c.field, c.server_value, c.client_value)
                      for c in list_conflicts(s))
    assert kept == sorted([(world["hA1"], "notes", "他改的", "我改的"),
                           (world["hA2"], "phone", "13811110000", "13922220000")])
    a1, a2 = w1.record("household", world["hA1"]), w1.record("household", world["hA2"])
    assert a1["notes"] == "他改的"
    assert (a2["phone"], a2["notes"]) == ("13811110000", "又改")
    other.sync()
    for hid in (world["hA1"], world["hA2"]):
        assert w1.record("household", hid) == other.record("household", hid)
