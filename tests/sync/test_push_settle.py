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


def _version(device: Any, table: str, record_id: str) -> int:
    with device.store.session() as s:
        return int(s.scalar(sa.text(f"SELECT sync_version FROM {table} WHERE id = :id"),
                            {"id": record_id}))


def test_the_pull_after_a_push_does_not_send_the_edits_back(
        devices: Any, world: World) -> None:
    """Issue 15: the server answers an edit it wrote exactly as sent ``exact``; the store
    then holds the record at the new version, and the pull of the same cycle brings
    nothing back (it wrote every pushed record again before). An edit the server merged
    with another device's change, and that device's other changes, still come."""
    w1, other = devices("worker1"), devices("worker1")
    w1.sync()
    other.sync()
    update_record(other.store, "household", world["hA2"], {"phone": "13811112222"},
                  actor=other.actor())
    update_record(other.store, "household", world["hB1"], {"notes": "别处改的"},
                  actor=other.actor())
    other.sync()
    actor = w1.actor()
    update_record(w1.store, "household", world["hA1"],
                  {"notes": "hA1 本地", "phone": "13700000001"}, actor=actor)
    # Made on the copy before other's phone: the server's copy is other's phone and this.
    update_record(w1.store, "household", world["hA2"], {"notes": "hA2 本地"}, actor=actor)
    report = w1.sync()
    assert (report.pushed, report.applied) == (2, 2)
    # Only hA2 (merged on the server) and hB1 (the other device's) came back; before,
    # hA1 came back too, and was written again.
    assert report.pulled == 2, report
    a2 = w1.record("household", world["hA2"])
    assert a2 is not None and (a2["phone"], a2["notes"]) == ("13811112222", "hA2 本地")
    fresh = devices("worker1")
    fresh.sync()
    for name in ("hA1", "hA2", "hB1"):
        assert w1.record("household", world[name]) == fresh.record("household", world[name])
        assert _version(w1, "households", world[name]) == \
            _version(fresh, "households", world[name]), name
    # The version held is the server's: the next edit is made on it, and is exact too.
    update_record(w1.store, "household", world["hA1"], {"notes": "再改"}, actor=actor)
    again = w1.sync()
    assert (again.applied, again.pulled) == (1, 0), again
    assert _version(w1, "households", world["hA1"]) > _version(fresh, "households",
                                                               world["hA1"])
    assert fresh.sync().pulled == 1
    assert w1.record("household", world["hA1"]) == fresh.record("household", world["hA1"])


def test_an_exact_edit_whose_answer_was_lost_converges_on_the_next_cycle(
        devices: Any, world: World) -> None:
    """The server wrote the edit (exact, so a pull leaves it out) but the answer never
    reached the store: the edit stays pending, and the next cycle's push is answered
    ``duplicate`` with the original result, which settles it at the server's version."""
    from sync.client import OfflineError

    w1 = devices("worker1")
    w1.sync()
    update_record(w1.store, "household", world["hA1"], {"notes": "答复丢了"},
                  actor=w1.actor())
    real_push = w1.client.push

    def answer_lost(*args: Any, **kw: Any) -> Any:
        real_push(*args, **kw)
        raise OfflineError("connection dropped after the request")

    w1.client.push = answer_lost
    with pytest.raises(OfflineError):
        w1.sync()
    assert _count(w1, "outbox") == 1
    del w1.client.push
    report = w1.sync()
    assert (report.pushed, report.applied, report.pulled) == (1, 1, 0), report
    assert _count(w1, "outbox") == 0 and _count(w1, "pending_bases") == 0
    fresh = devices("worker1")
    fresh.sync()
    assert w1.record("household", world["hA1"]) == fresh.record("household", world["hA1"])
    assert w1.record("household", world["hA1"])["notes"] == "答复丢了"  # type: ignore[index]
    assert _version(w1, "households", world["hA1"]) == _version(fresh, "households",
                                                                world["hA1"])


def test_a_record_created_here_and_edited_before_a_pull_still_brings_what_the_server_added(
        devices: Any, world: World) -> None:
    """A ticket created here gets its number on the server; edited before any pull, its
    edit is made on the version its create was answered with, which the store holds
    without the number: that edit is not exact, and the pull brings the number."""
    clerk = devices("clerk1")
    clerk.sync()
    actor = clerk.actor()
    tid, _ = create_record(clerk.store, "ticket", {
        "title": "路灯坏了", "category": "municipal", "priority": "normal",
        "source": "walk_in", "grid_id": world["gridA"]}, actor=actor)
    assert clerk.sync().applied == 1  # the create: the pull brings its number
    update_record(clerk.store, "ticket", tid, {"title": "路灯又坏了"}, actor=actor)
    tid2, _ = create_record(clerk.store, "ticket", {
        "title": "井盖松了", "category": "municipal", "priority": "normal",
        "source": "walk_in", "grid_id": world["gridA"]}, actor=actor)
    update_record(clerk.store, "ticket", tid2, {"title": "井盖丢了"}, actor=actor)
    assert clerk.sync().applied == 3
    fresh = devices("clerk1")
    fresh.sync()
    for ticket in (tid, tid2):
        mine, theirs = clerk.record("ticket", ticket), fresh.record("ticket", ticket)
        assert mine is not None and mine["number"], mine
        assert mine == theirs
