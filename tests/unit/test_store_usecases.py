"""Use cases of the local store: record and outbox mutation in one transaction."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.domain.ids import make_id_number
from gulou_desk.domain.templates import DEFAULT_TEMPLATES, ROUTINE_TEMPLATE_ID
from gulou_desk.domain.workflows import Actor, WorkflowError
from gulou_desk.records import SHANGHAI
from gulou_desk.store.changes import OUTBOX
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import NotAllowed, NotFound, ValidationFailed
from gulou_desk.store.outbox import EVENT_ID_ARG, pending_for
from gulou_desk.store.queries import get_record
from gulou_desk.store.rows import replace_row
from gulou_desk.store.schema import RECORD_TABLES, Outbox, PendingBase
from gulou_desk.store.usecases import (
    create_record,
    delete_record,
    run_action,
    update_record,
)

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday
GRID = "grid-1"
HOUSEHOLD = {"grid_id": GRID, "estate": "汇林绿洲", "building": "3", "unit": "2",
             "room": "501", "head_name": "张三", "phone": "13812345678"}


def pulled(store: Store, entity: str, record_id: str, values: dict[str, Any],
           version: int) -> None:
    """Write a record as the sync engine writes a pulled one."""
    with store.write() as session:
        replace_row(session, entity, record_id, values, version)


def count(store: Store, table: str | type[Any]) -> int:
    with store.session() as session:
        selectable = RECORD_TABLES[table] if isinstance(table, str) else table
        return session.scalar(sa.select(sa.func.count()).select_from(selectable)) or 0


def outbox(store: Store) -> list[Outbox]:
    with store.session() as session:
        return list(session.scalars(sa.select(Outbox).order_by(Outbox.seq)))


@contextmanager
def failing_outbox_insert(store: Store) -> Iterator[None]:
    """Make the INSERT into the outbox fail, after the record's own write ran."""
    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO outbox"):
            raise RuntimeError("disk on fire")

    sa.event.listen(store.engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", fail)


# --- create -------------------------------------------------------------------------


def test_create_writes_the_row_and_a_create_mutation_in_wire_form(
    local_store: Store, worker: Actor
) -> None:
    hid, changes = create_record(local_store, "household", HOUSEHOLD, actor=worker, now=NOW)
    assert changes.touches("household") and changes.ids_of("household") == {hid}
    assert changes.touches(OUTBOX)
    row = get_record(local_store.session(), "household", hid)
    assert row is not None
    assert row["head_name"] == "张三" and row["status"] == "active" and row["tags"] == []
    assert row["sync_version"] is None
    (mutation,) = outbox(local_store)
    assert (mutation.op, mutation.entity, mutation.record_id) == ("create", "household", hid)
    assert mutation.base_version is None
    spec = records.entity("household")
    assert mutation.fields == records.to_wire(spec, {**HOUSEHOLD, "status": "active",
                                                    "tags": [], "created_at": NOW})


def test_create_stores_times_as_the_wire_carries_them(local_store: Store, worker: Actor) -> None:
    with local_store.write() as session:
        template = copy.deepcopy(next(t for t in DEFAULT_TEMPLATES
                                      if t["id"] == ROUTINE_TEMPLATE_ID))
        replace_row(session, "visit_template", template.pop("id"), template, 3)
    visited = dt.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=SHANGHAI)
    answers = {"interviewee": "张三", "people_at_home": 2, "living_situation": "good",
               "problem_found": False, "follow_up_needed": False}
    vid, _ = create_record(local_store, "visit", {
        "household_id": "h-1", "template_id": ROUTINE_TEMPLATE_ID, "visited_at": visited,
        "answers": answers,
    }, actor=worker, now=NOW)
    row = get_record(local_store.session(), "visit", vid)
    assert row is not None
    assert row["worker_id"] == worker.id  # from the actor
    assert row["template_version"] == template["version"]  # from the template
    assert row["visited_at"] == visited.replace(microsecond=0)
    (mutation,) = outbox(local_store)
    assert mutation.fields is not None
    assert mutation.fields["visited_at"] == "2026-11-23T09:30:15+08:00"


def test_a_visit_is_not_dated_before_its_household_was_registered(
    local_store: Store, worker: Actor
) -> None:
    """Issue 10, item 14: a household registered here is registered now; a visit to it
    dated the day before is refused (``visited_at``), one on that day is recorded."""
    with local_store.write() as session:
        template = copy.deepcopy(next(t for t in DEFAULT_TEMPLATES
                                      if t["id"] == ROUTINE_TEMPLATE_ID))
        replace_row(session, "visit_template", template.pop("id"), template, 3)
    hid, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker, now=NOW)
    answers = {"interviewee": "张三", "people_at_home": 2, "living_situation": "good",
               "problem_found": False, "follow_up_needed": False}
    visit = {"household_id": hid, "template_id": ROUTINE_TEMPLATE_ID, "answers": answers}
    with pytest.raises(ValidationFailed) as failed:
        create_record(local_store, "visit", {**visit, "visited_at": NOW - dt.timedelta(days=1)},
                      actor=worker, now=NOW)
    [problem] = failed.value.problems
    assert (problem.field, problem.code) == ("visited_at", "before_household")
    vid, _ = create_record(local_store, "visit", {
        **visit, "visited_at": NOW.replace(hour=8)}, actor=worker, now=NOW)
    with pytest.raises(ValidationFailed):
        update_record(local_store, "visit", vid,
                      {"visited_at": NOW - dt.timedelta(days=3)}, actor=worker, now=NOW)


def test_create_visit_checks_answers_against_the_local_template(
    local_store: Store, worker: Actor
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        create_record(local_store, "visit", {
            "household_id": "h-1", "template_id": ROUTINE_TEMPLATE_ID, "visited_at": NOW,
            "answers": {},
        }, actor=worker, now=NOW)
    assert "template_id" in failed.value.fields  # the template is not here
    with local_store.write() as session:
        template = copy.deepcopy(DEFAULT_TEMPLATES[0])
        replace_row(session, "visit_template", template.pop("id"), template, 3)
    with pytest.raises(ValidationFailed) as failed:
        create_record(local_store, "visit", {
            "household_id": "h-1", "template_id": DEFAULT_TEMPLATES[0]["id"],
            "visited_at": NOW, "answers": {},
        }, actor=worker, now=NOW)
    assert all(f.startswith("answers.") for f in failed.value.fields)
    assert count(local_store, "visit") == 0 and count(local_store, Outbox) == 0


def test_invalid_resident_id_number_writes_nothing(local_store: Store, worker: Actor) -> None:
    good = make_id_number("320106", dt.date(1948, 5, 1), 7, "female")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as failed:
        create_record(local_store, "resident", {
            "household_id": "h-1", "name": "李梅", "id_number": bad,
        }, actor=worker, now=NOW)
    assert [p.field for p in failed.value.problems] == ["id_number"]
    assert failed.value.problems[0].code == "id_check_digit"
    assert count(local_store, "resident") == 0
    assert count(local_store, Outbox) == 0
    assert count(local_store, PendingBase) == 0
    # The same with a good number goes through, normalised.
    rid, _ = create_record(local_store, "resident", {
        "household_id": "h-1", "name": "李梅", "id_number": good.lower()[:6] + " " + good[6:],
        "gender": "female", "birth_date": dt.date(1948, 5, 1),
    }, actor=worker, now=NOW)
    row = get_record(local_store.session(), "resident", rid)
    assert row is not None and row["id_number"] == good


def test_create_refuses_unknown_fields_and_entities_it_may_not_create(
    local_store: Store, worker: Actor
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        create_record(local_store, "household", {**HOUSEHOLD, "colour": "red"}, actor=worker)
    assert failed.value.problems[0].code == "unknown_field"
    with pytest.raises(NotAllowed) as refused:
        create_record(local_store, "street", {"name": "宁海路街道"}, actor=worker)
    assert refused.value.code == "not_creatable"
    with pytest.raises(NotAllowed):
        create_record(local_store, "spaceship", {}, actor=worker)
    assert count(local_store, Outbox) == 0


def test_create_is_atomic_when_the_outbox_write_fails(local_store: Store, worker: Actor) -> None:
    with failing_outbox_insert(local_store), pytest.raises(RuntimeError, match="fire"):
        create_record(local_store, "household", HOUSEHOLD, actor=worker, now=NOW)
    assert count(local_store, "household") == 0
    assert count(local_store, Outbox) == 0
    assert count(local_store, PendingBase) == 0


# --- update -------------------------------------------------------------------------


def test_update_drops_unchanged_values_and_records_the_base_version(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 1041)
    changes = update_record(local_store, "household", "h-1", {
        "phone": "138 1234 5678",  # the same number, typed loosely
        "head_name": "张三",  # unchanged
        "notes": "独居，腿脚不便",
    }, actor=worker, now=NOW)
    assert changes.ids_of("household") == {"h-1"}
    (mutation,) = outbox(local_store)
    assert mutation.op == "update"
    assert mutation.base_version == 1041
    assert mutation.fields == {"notes": "独居，腿脚不便"}
    row = get_record(local_store.session(), "household", "h-1")
    assert row is not None
    assert row["notes"] == "独居，腿脚不便" and row["sync_version"] == 1041
    with local_store.session() as session:  # the server copy is kept for a rollback
        base = session.get(PendingBase, ("household", "h-1"))
        assert base is not None and base.version == 1041 and base.data is not None
        assert base.data["notes"] is None


def test_update_with_nothing_new_writes_nothing(local_store: Store, worker: Actor) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 7)
    changes = update_record(local_store, "household", "h-1", {"head_name": "张三"},
                            actor=worker)
    assert not changes
    assert count(local_store, Outbox) == 0 and count(local_store, PendingBase) == 0


def test_update_refuses_fields_only_workflows_change(local_store: Store, clerk: Actor) -> None:
    pulled(local_store, "ticket", "t-1", {"title": "路灯坏了", "category": "other",
                                          "grid_id": GRID, "status": "new"}, 5)
    with pytest.raises(ValidationFailed) as failed:
        update_record(local_store, "ticket", "t-1", {"status": "closed"}, actor=clerk)
    assert failed.value.problems[0].code == "not_editable"
    with pytest.raises(NotAllowed):
        update_record(local_store, "inbox_message", "m-1", {"text": "x"}, actor=clerk)
    with pytest.raises(NotFound):
        update_record(local_store, "household", "nope", {"notes": "x"}, actor=clerk)
    assert count(local_store, Outbox) == 0


def test_update_validates_the_whole_record(local_store: Store, worker: Actor) -> None:
    birth = dt.date(1950, 3, 4)
    pulled(local_store, "resident", "r-1", {"household_id": "h-1", "name": "王五",
                                            "birth_date": birth, "status": "active"}, 3)
    other = make_id_number("320106", dt.date(1951, 3, 4), 1, "male")
    with pytest.raises(ValidationFailed) as failed:
        update_record(local_store, "resident", "r-1", {"id_number": other}, actor=worker)
    assert failed.value.problems[0].code == "id_birth_date_mismatch"
    assert count(local_store, Outbox) == 0


def test_update_is_atomic_when_the_outbox_write_fails(local_store: Store, worker: Actor) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 9)
    with failing_outbox_insert(local_store), pytest.raises(RuntimeError):
        update_record(local_store, "household", "h-1", {"notes": "x"}, actor=worker)
    row = get_record(local_store.session(), "household", "h-1")
    assert row is not None and row["notes"] is None
    assert count(local_store, Outbox) == 0 and count(local_store, PendingBase) == 0


def test_editing_a_submitted_performance_record_asks_for_a_new_decision(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "performance_record", "p-1", {
        "worker_id": worker.id, "period": "2026-10", "status": "approved", "score": 90.0,
        "supervisor_id": "sup-1",
    }, 12)
    with pytest.raises(NotAllowed):  # approved: final
        update_record(local_store, "performance_record", "p-1",
                      {"self_assessment": "更好"}, actor=worker)
    pulled(local_store, "performance_record", "p-1", {
        "worker_id": worker.id, "period": "2026-10", "status": "submitted", "score": 90.0,
        "supervisor_id": "sup-1",
    }, 13)
    update_record(local_store, "performance_record", "p-1", {"self_assessment": "更好"},
                  actor=worker)
    row = get_record(local_store.session(), "performance_record", "p-1")
    assert row is not None
    assert (row["status"], row["score"], row["supervisor_id"]) == ("submitted", None, None)
    (mutation,) = outbox(local_store)
    assert mutation.fields == {"self_assessment": "更好"}  # only what the user changed is sent
    assert mutation.local_changes == {"status": "submitted", "score": None,
                                      "supervisor_id": None, "decision_comment": None}


# --- delete -------------------------------------------------------------------------


def test_delete_removes_the_row_and_queues_a_delete_on_its_version(
    local_store: Store, clerk: Actor
) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 77)
    changes = delete_record(local_store, "household", "h-1", actor=clerk)
    assert changes.ids_of("household") == {"h-1"}
    assert get_record(local_store.session(), "household", "h-1") is None
    (mutation,) = outbox(local_store)
    assert (mutation.op, mutation.base_version, mutation.fields) == ("delete", 77, None)
    with pytest.raises(NotFound):
        delete_record(local_store, "household", "h-1", actor=clerk)
    with pytest.raises(NotAllowed):
        delete_record(local_store, "visit", "v-1", actor=clerk)


def test_delete_is_atomic_when_the_outbox_write_fails(local_store: Store, clerk: Actor) -> None:
    pulled(local_store, "household", "h-1", HOUSEHOLD, 77)
    with failing_outbox_insert(local_store), pytest.raises(RuntimeError):
        delete_record(local_store, "household", "h-1", actor=clerk)
    assert get_record(local_store.session(), "household", "h-1") is not None
    assert count(local_store, Outbox) == 0


# --- actions ------------------------------------------------------------------------

TICKET = {"title": "楼道灯不亮", "category": "other", "priority": "normal", "grid_id": GRID,
          "status": "assigned", "assignee_id": "worker-1", "created_at": NOW,
          "due_at": NOW + dt.timedelta(days=3)}


def test_action_applies_the_step_writes_an_event_and_queues_the_action(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "ticket", "t-1", TICKET, 50)
    changes = run_action(local_store, "ticket", "t-1", "accept", {}, actor=worker, now=NOW)
    row = get_record(local_store.session(), "ticket", "t-1")
    assert row is not None and row["status"] == "accepted"
    (mutation,) = outbox(local_store)
    assert (mutation.op, mutation.action, mutation.base_version) == ("action", "accept", 50)
    assert mutation.local_changes == {"status": "accepted"}
    assert mutation.args is not None
    event_id = mutation.args[EVENT_ID_ARG]
    event = get_record(local_store.session(), "ticket_event", event_id)
    assert event is not None
    assert (event["ticket_id"], event["kind"], event["actor_id"]) == ("t-1", "accept", "worker-1")
    assert event["sync_version"] is None
    assert changes.ids_of("ticket") == {"t-1"} and changes.ids_of("ticket_event") == {event_id}


def test_refused_step_writes_nothing(local_store: Store, clerk: Actor, worker: Actor) -> None:
    pulled(local_store, "ticket", "t-1", TICKET, 50)
    with pytest.raises(WorkflowError) as refused:
        run_action(local_store, "ticket", "t-1", "accept", {}, actor=clerk, now=NOW)
    assert refused.value.code == "forbidden"
    with pytest.raises(WorkflowError) as refused:
        run_action(local_store, "ticket", "t-1", "resolve", {}, actor=worker, now=NOW)
    assert refused.value.code == "invalid_transition"
    with pytest.raises(NotAllowed):
        run_action(local_store, "household", "h-1", "accept", {}, actor=worker, now=NOW)
    assert count(local_store, Outbox) == 0 and count(local_store, "ticket_event") == 0
    row = get_record(local_store.session(), "ticket", "t-1")
    assert row is not None and row["status"] == "assigned"


@pytest.mark.parametrize("closed", ["resolved", "closed", "cancelled", "merged"])
def test_a_merge_into_a_closed_ticket_is_refused_here_before_anything_is_written(
    local_store: Store, clerk: Actor, closed: str
) -> None:
    pulled(local_store, "ticket", "fresh", {**TICKET, "status": "new"}, 50)
    pulled(local_store, "ticket", "done", {**TICKET, "number": "GL-2", "status": closed}, 51)
    with pytest.raises(WorkflowError) as refused:
        run_action(local_store, "ticket", "fresh", "merge", {"into_id": "done"},
                   actor=clerk, now=NOW)
    assert (refused.value.code, refused.value.details) == (
        "invalid_transition", {"field": "into_id", "status": closed})
    assert count(local_store, Outbox) == 0 and count(local_store, "ticket_event") == 0
    row = get_record(local_store.session(), "ticket", "fresh")
    assert row is not None and row["status"] == "new"
    # Into an open one it goes (the survivor's side is the server's to write).
    pulled(local_store, "ticket", "open", {**TICKET, "number": "GL-3", "status": "new"}, 52)
    run_action(local_store, "ticket", "fresh", "merge", {"into_id": "open"}, actor=clerk,
               now=NOW)
    row = get_record(local_store.session(), "ticket", "fresh")
    assert row is not None and row["status"] == "merged"


def test_action_is_atomic_when_the_outbox_write_fails(local_store: Store, worker: Actor) -> None:
    pulled(local_store, "ticket", "t-1", TICKET, 50)
    with failing_outbox_insert(local_store), pytest.raises(RuntimeError):
        run_action(local_store, "ticket", "t-1", "accept", {}, actor=worker, now=NOW)
    row = get_record(local_store.session(), "ticket", "t-1")
    assert row is not None and row["status"] == "assigned"
    assert count(local_store, "ticket_event") == 0 and count(local_store, Outbox) == 0


def test_converting_a_message_writes_the_new_ticket_here(
    local_store: Store, worker: Actor
) -> None:
    pulled(local_store, "inbox_message", "msg-1", {
        "source": "wechat", "grid_id": GRID, "text": "3栋楼道灯坏了", "sent_at": NOW,
        "status": "new", "sender_name": "老李",
    }, 60)
    args = {"ticket_id": "t-new", "title": "楼道灯坏了", "category": "other",
            "priority": "normal"}
    changes = run_action(local_store, "inbox_message", "msg-1", "convert", args,
                         actor=worker, now=NOW)
    assert changes.ids_of("ticket") == {"t-new"}
    message = get_record(local_store.session(), "inbox_message", "msg-1")
    ticket = get_record(local_store.session(), "ticket", "t-new")
    assert message is not None and ticket is not None
    assert (message["status"], message["ticket_id"]) == ("converted", "t-new")
    assert ticket["source_message_ids"] == ["msg-1"] and ticket["grid_id"] == GRID
    assert ticket["sync_version"] is None
    (mutation,) = outbox(local_store)
    assert mutation.args == args  # the ticket is created by the server from the action
    with local_store.session() as session:
        assert pending_for(session, "ticket", "t-new") == []


def test_an_announcement_step_runs_here_and_is_queued(local_store: Store, clerk: Actor) -> None:
    # The desk's "approve" once failed here (no announcement steps on the desk).
    pulled(local_store, "announcement", "a-1", {
        "community_id": clerk.community_id, "grid_ids": [], "kind": "notice",
        "title": "楼道清理通知", "text": "本周五清理楼道堆物。", "recurrence": "none",
        "status": "pending", "send_at": NOW + dt.timedelta(days=2), "history": []}, 7)
    run_action(local_store, "announcement", "a-1", "approve", {}, actor=clerk, now=NOW)
    row = get_record(local_store.session(), "announcement", "a-1")
    assert row is not None and row["status"] == "scheduled"
    assert row["approved_by_id"] == clerk.id
    (mutation,) = outbox(local_store)
    assert (mutation.op, mutation.action, mutation.base_version) == ("action", "approve", 7)
