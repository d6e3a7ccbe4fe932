"""Pending edits: what the sync engine reads from the outbox, and how push results and
pulled records keep the local rows right."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI
from gulou_desk.store.changes import CONFLICTS, REJECTIONS
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import NotFound
from gulou_desk.store.outbox import (
    EVENT_ID_ARG,
    mark_applied,
    mark_conflict,
    mark_push_failed,
    mark_rejected,
    pending_count,
    pending_fields,
    pending_for,
    pending_outbox,
    rebase_pulled,
    rebase_pulled_delete,
    records_with_pending,
    server_copy,
    to_mutation,
)
from gulou_desk.store.queries import get_record, list_conflicts, list_rejections
from gulou_desk.store.rows import replace_row
from gulou_desk.store.schema import Outbox, PendingBase
from gulou_desk.store.usecases import (
    create_record,
    delete_record,
    dismiss_rejection,
    resolve_conflict_keep_server,
    resolve_conflict_use_mine,
    run_action,
    update_record,
)

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
GRID = "grid-1"
HOUSEHOLD = {"grid_id": GRID, "estate": "汇林绿洲", "building": "3", "head_name": "张三",
             "phone": "13812345678", "status": "active"}
WIRE = records.to_wire(records.entity("household"), HOUSEHOLD)


def pulled(store: Store, entity: str, record_id: str, values: dict[str, Any],
           version: int) -> None:
    with store.write() as session:
        replace_row(session, entity, record_id, values, version)


def row(store: Store, entity: str, record_id: str) -> dict[str, Any] | None:
    with store.session() as session:
        return get_record(session, entity, record_id)


def mutations(store: Store) -> list[Outbox]:
    with store.session() as session:
        return list(session.scalars(sa.select(Outbox).order_by(Outbox.seq)))


def bases(store: Store) -> int:
    with store.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(PendingBase)) or 0


# --- reading ------------------------------------------------------------------------


def test_pending_fields_merge_in_push_order(local_store: Store, worker: Actor) -> None:
    hid, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker, now=NOW)
    update_record(local_store, "household", hid, {"notes": "first", "phone": "13900000000"},
                  actor=worker)
    update_record(local_store, "household", hid, {"notes": "second"}, actor=worker)
    with local_store.session() as session:
        merged = pending_fields(session, "household", hid)
        assert merged["notes"] == "second"
        assert merged["phone"] == "13900000000"
        assert merged["head_name"] == "张三"  # from the create
        assert records_with_pending(session, "household") == {hid}
        assert records_with_pending(session, "resident") == set()
        assert pending_count(session) == 3
        assert [m.op for m in pending_for(session, "household", hid)] == [
            "create", "update", "update"]


def test_pending_fields_include_the_local_changes_of_actions(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "ticket", "t-1", {"title": "漏水", "category": "other",
                                          "grid_id": GRID, "status": "assigned",
                                          "assignee_id": worker.id}, 5)
    update_record(local_store, "ticket", "t-1", {"title": "厨房漏水"}, actor=worker)
    run_action(local_store, "ticket", "t-1", "accept", {}, actor=worker, now=NOW)
    with local_store.session() as session:
        assert pending_fields(session, "ticket", "t-1") == {"title": "厨房漏水",
                                                           "status": "accepted"}


def test_a_batch_stops_before_an_edit_that_waits_for_its_create(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "household", "h-old", HOUSEHOLD, 10)
    update_record(local_store, "household", "h-old", {"notes": "a"}, actor=worker)
    hid, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker, now=NOW)
    update_record(local_store, "household", hid, {"notes": "b"}, actor=worker)
    with local_store.session() as session:
        batch = pending_outbox(session)
        assert [(m.record_id, m.op) for m in batch] == [("h-old", "update"), (hid, "create")]
        assert to_mutation(batch[0]) == {
            "mutation_id": batch[0].mutation_id, "entity": "household", "id": "h-old",
            "op": "update", "base_version": 10, "fields": {"notes": "a"}}
        assert "base_version" not in to_mutation(batch[1])
    with local_store.write() as session:
        mark_applied(session, batch[0].mutation_id, 11)
        mark_applied(session, batch[1].mutation_id, 12)
    with local_store.session() as session:
        (update,) = pending_outbox(session)
        assert update.base_version == 12  # the version its create got
    created = row(local_store, "household", hid)
    assert created is not None and created["sync_version"] == 12


def test_push_failures_are_counted(local_store: Store, worker: Actor) -> None:
    create_record(local_store, "household", HOUSEHOLD, actor=worker)
    (mutation,) = mutations(local_store)
    with local_store.write() as session:
        mark_push_failed(session, [mutation.mutation_id], "connection refused")
        mark_push_failed(session, [mutation.mutation_id], "timed out")
    (mutation,) = mutations(local_store)
    assert (mutation.attempts, mutation.last_error) == (2, "timed out")


# --- push results -------------------------------------------------------------------


def test_applied_update_leaves_the_row_and_forgets_the_server_copy(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 10)
    update_record(local_store, "household", "h-1", {"notes": "x"}, actor=worker)
    (mutation,) = mutations(local_store)
    with local_store.write() as session:
        changes = mark_applied(session, mutation.mutation_id, 15)
        assert not mark_applied(session, mutation.mutation_id, 15)  # recorded twice: no-op
    assert changes.ids_of("household") == {"h-1"}
    after = row(local_store, "household", "h-1")
    assert after is not None and after["notes"] == "x"
    assert after["sync_version"] == 10  # the next pull brings 15 with everyone's changes
    assert mutations(local_store) == [] and bases(local_store) == 0


def test_rejected_update_is_undone_and_the_users_values_kept(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 10)
    update_record(local_store, "household", "h-1", {"notes": "mine", "phone": "13900000000"},
                  actor=worker)
    update_record(local_store, "household", "h-1", {"head_name": "张三丰"}, actor=worker)
    first, _second = mutations(local_store)
    with local_store.write() as session:
        changes = mark_rejected(session, first.mutation_id, "forbidden", "not yours",
                                {"field": "notes"}, now=NOW)
    assert changes.touches(REJECTIONS)
    after = row(local_store, "household", "h-1")
    assert after is not None
    assert (after["notes"], after["phone"]) == (None, "13812345678")  # back to the server's
    assert after["head_name"] == "张三丰"  # the later edit stays
    with local_store.session() as session:
        (rejection,) = list_rejections(session)
    assert (rejection.code, rejection.op) == ("forbidden", "update")
    assert rejection.fields == {"notes": "mine", "phone": "13900000000"}
    assert rejection.details == {"field": "notes"}
    dismiss_rejection(local_store, rejection.id, now=NOW)
    with local_store.session() as session:
        assert list_rejections(session) == []
        assert len(list_rejections(session, include_dismissed=True)) == 1
    with pytest.raises(NotFound):
        dismiss_rejection(local_store, 999)


def test_rejected_create_removes_the_row_and_its_later_edits(
    local_store: Store, worker: Actor
) -> None:
    hid, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker)
    update_record(local_store, "household", hid, {"notes": "x"}, actor=worker)
    create, _update = mutations(local_store)
    with local_store.write() as session:
        mark_rejected(session, create.mutation_id, "validation", "bad grid",
                      {"field": "grid_id"})
    assert row(local_store, "household", hid) is None
    assert mutations(local_store) == [] and bases(local_store) == 0
    with local_store.session() as session:
        codes = sorted(r.code for r in list_rejections(session))
    assert codes == ["depends_on_rejected", "validation"]


def test_rejected_delete_brings_the_row_back(local_store: Store, clerk: Actor) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 10)
    delete_record(local_store, "household", "h-1", actor=clerk)
    assert row(local_store, "household", "h-1") is None
    (mutation,) = mutations(local_store)
    with local_store.write() as session:
        mark_rejected(session, mutation.mutation_id, "stale", "changed on the server")
    back = row(local_store, "household", "h-1")
    assert back is not None and back["head_name"] == "张三" and back["sync_version"] == 10


def test_rejected_ticket_action_removes_its_event(local_store: Store, worker: Actor) -> None:
    pulled(local_store, "ticket", "t-1", {"title": "漏水", "category": "other",
                                          "grid_id": GRID, "status": "assigned",
                                          "assignee_id": worker.id}, 5)
    run_action(local_store, "ticket", "t-1", "accept", {}, actor=worker, now=NOW)
    (mutation,) = mutations(local_store)
    assert mutation.args is not None
    event_id = mutation.args[EVENT_ID_ARG]
    with local_store.write() as session:
        changes = mark_rejected(session, mutation.mutation_id, "invalid_transition", "no")
    assert changes.ids_of("ticket_event") == {event_id}
    assert row(local_store, "ticket_event", event_id) is None
    ticket = row(local_store, "ticket", "t-1")
    assert ticket is not None and ticket["status"] == "assigned"


def test_applied_convert_confirms_the_ticket_it_created(local_store: Store, worker: Actor) -> None:
    pulled(local_store, "inbox_message", "msg-1", {
        "source": "wechat", "grid_id": GRID, "text": "灯坏了", "sent_at": NOW,
        "status": "new"}, 60)
    run_action(local_store, "inbox_message", "msg-1", "convert", {
        "ticket_id": "t-new", "title": "灯坏了", "category": "other", "priority": "normal",
    }, actor=worker, now=NOW)
    update_record(local_store, "ticket", "t-new", {"title": "3栋灯坏了"}, actor=worker)
    convert, edit = mutations(local_store)
    assert edit.base_version is None
    with local_store.write() as session:
        mark_applied(session, convert.mutation_id, 70)
    (edit,) = mutations(local_store)
    assert edit.base_version == 70
    ticket = row(local_store, "ticket", "t-new")
    # 70 is the message's version: the ticket claims none, so its pulled copy is taken.
    assert ticket is not None and ticket["sync_version"] is None
    assert ticket["title"] == "3栋灯坏了"


def test_rejected_convert_removes_the_ticket_it_created(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "inbox_message", "msg-1", {
        "source": "wechat", "grid_id": GRID, "text": "灯坏了", "sent_at": NOW,
        "status": "new"}, 60)
    run_action(local_store, "inbox_message", "msg-1", "convert", {
        "ticket_id": "t-new", "title": "灯坏了", "category": "other", "priority": "normal",
    }, actor=worker, now=NOW)
    update_record(local_store, "ticket", "t-new", {"title": "3栋灯坏了"}, actor=worker)
    convert, _edit = mutations(local_store)
    with local_store.write() as session:
        mark_rejected(session, convert.mutation_id, "forbidden", "not your grid")
    assert row(local_store, "ticket", "t-new") is None
    message = row(local_store, "inbox_message", "msg-1")
    assert message is not None and message["status"] == "new"
    assert mutations(local_store) == [] and bases(local_store) == 0


# --- conflicts ----------------------------------------------------------------------


def _conflicted(store: Store, worker: Actor) -> None:
    pulled(store, "household", "h-1", HOUSEHOLD, 10)
    update_record(store, "household", "h-1", {"phone": "13900000000", "notes": "new door"},
                  actor=worker)
    (mutation,) = mutations(store)
    with store.write() as session:
        changes = mark_conflict(session, mutation.mutation_id, 15, [
            {"field": "phone", "server_value": "13700000000",
             "client_value": "13900000000"}], now=NOW)
    assert changes.touches(CONFLICTS)


def test_conflict_keeps_both_values_and_the_row_shows_the_servers(
    local_store: Store, worker: Actor
) -> None:
    _conflicted(local_store, worker)
    after = row(local_store, "household", "h-1")
    assert after is not None
    assert after["phone"] == "13700000000"  # the server kept its value
    assert after["notes"] == "new door"  # the rest was applied
    with local_store.session() as session:
        (conflict,) = list_conflicts(session)
    assert (conflict.field, conflict.server_value, conflict.client_value) == (
        "phone", "13700000000", "13900000000")
    assert mutations(local_store) == []


def test_keep_server_only_drops_the_conflict(local_store: Store, worker: Actor) -> None:
    _conflicted(local_store, worker)
    with local_store.session() as session:
        (conflict,) = list_conflicts(session)
    resolve_conflict_keep_server(local_store, conflict.id)
    with local_store.session() as session:
        assert list_conflicts(session) == []
    assert mutations(local_store) == []
    after = row(local_store, "household", "h-1")
    assert after is not None and after["phone"] == "13700000000"
    with pytest.raises(NotFound):
        resolve_conflict_keep_server(local_store, conflict.id)


def test_use_mine_pushes_the_users_value_on_the_newest_version(
    local_store: Store, worker: Actor
) -> None:
    _conflicted(local_store, worker)
    with local_store.session() as session:
        (conflict,) = list_conflicts(session)
    changes = resolve_conflict_use_mine(local_store, conflict.id, actor=worker)
    assert changes.touches(CONFLICTS) and changes.ids_of("household") == {"h-1"}
    (mutation,) = mutations(local_store)
    assert (mutation.op, mutation.fields) == ("update", {"phone": "13900000000"})
    assert mutation.base_version == 15  # the conflict's version, newer than the row's 10
    after = row(local_store, "household", "h-1")
    assert after is not None and after["phone"] == "13900000000"
    with local_store.session() as session:
        assert list_conflicts(session) == []


# --- pull ---------------------------------------------------------------------------


def test_pulled_record_gets_the_pending_fields_laid_over_it(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 10)
    update_record(local_store, "household", "h-1", {"notes": "mine"}, actor=worker)
    server = {**WIRE, "notes": "theirs", "head_name": "张三（户主）", "unknown_new": 1}
    with local_store.write() as session:
        data = rebase_pulled(session, "household", "h-1", 20, server)
        assert data is not None
        assert (data["notes"], data["head_name"]) == ("mine", "张三（户主）")
        replace_row(session, "household", "h-1",
                    records.from_wire(records.entity("household"),
                                      {k: v for k, v in data.items() if k != "unknown_new"}),
                    20)
        assert server_copy(session, "household", "h-1") == server
    # A rejection now goes back to the newest server copy, not the one edited.
    (mutation,) = mutations(local_store)
    with local_store.write() as session:
        mark_rejected(session, mutation.mutation_id, "forbidden", "no")
    after = row(local_store, "household", "h-1")
    assert after is not None
    assert (after["notes"], after["head_name"], after["sync_version"]) == (
        "theirs", "张三（户主）", 20)


def test_pulled_record_with_a_pending_delete_is_not_written(
    local_store: Store, clerk: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 10)
    delete_record(local_store, "household", "h-1", actor=clerk)
    with local_store.write() as session:
        assert rebase_pulled(session, "household", "h-1", 11, WIRE) is None
        assert rebase_pulled(session, "household", "h-2", 11, WIRE) == WIRE  # no pending


def test_pulled_tombstone_means_rejected_edits_leave_no_row(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 10)
    update_record(local_store, "household", "h-1", {"notes": "mine"}, actor=worker)
    with local_store.write() as session:
        rebase_pulled_delete(session, "household", "h-1")
        replace_row(session, "household", "h-1", HOUSEHOLD, 10)  # still there until …
    (mutation,) = mutations(local_store)
    with local_store.write() as session:
        mark_rejected(session, mutation.mutation_id, "not_found", "gone")
    assert row(local_store, "household", "h-1") is None
