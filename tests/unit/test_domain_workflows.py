"""Ticket, inbox and performance state machines (workflows.py).

The expectations below are written out by hand, separately from the module's tables, so
a change to who may do what has to be made twice, on purpose.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from gulou_desk import records
from gulou_desk.domain import sla
from gulou_desk.domain.workflows import (
    ACTIONS,
    FOLLOW_UP_DISSATISFIED,
    TICKET_TABLE,
    Actor,
    Reason,
    Step,
    WorkflowError,
    can_edit_performance,
    format_extension_request,
    inbox_step,
    merge_survivor_changes,
    new_ticket_fields,
    parse_extension_request,
    performance_after_edit,
    performance_step,
    reply_for_group,
    ticket_from_message,
    ticket_step,
    why_not,
)
from gulou_desk.records import SHANGHAI

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday
ROLES = records.STAFF_ROLES
DISPATCH = {"clerk", "supervisor", "admin"}
ALL = set(ROLES)
OPEN = {"new", "assigned", "accepted", "in_progress", "waiting", "returned"}


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SHANGHAI)


def actor(role: str, id_: str = "me", grids: tuple[str, ...] = ()) -> Actor:
    return Actor(id=id_, role=role, community_id="c1", street_id="s1",
                 grid_ids=frozenset(grids))


def refused(call: Any) -> WorkflowError:
    with pytest.raises(WorkflowError) as exc:
        call()
    return exc.value


# --- tickets ------------------------------------------------------------------------

# action: (from states, roles, who: any | assignee | worker_assignee, args, target)
TICKET_EXPECTED: dict[str, tuple[set[str], set[str], str, dict[str, Any], str | None]] = {
    "triage": ({"new", "returned"}, DISPATCH, "any",
               {"category": "sanitation", "priority": "high"}, None),
    "assign": ({"new", "returned", "assigned", "accepted", "in_progress"}, DISPATCH, "any",
               {"assignee_id": "w2"}, "assigned"),
    "escalate": (OPEN, DISPATCH, "any", {}, None),
    "cancel": (OPEN, DISPATCH, "any", {"reason": "居民撤回"}, "cancelled"),
    "merge": (OPEN, DISPATCH, "any", {"into_id": "t2"}, "merged"),
    "split": ({"merged"}, DISPATCH, "any", {}, "assigned"),
    "close": ({"resolved"}, DISPATCH, "any", {"satisfaction": "satisfied"}, "closed"),
    "reopen": ({"resolved", "closed"}, DISPATCH, "any", {"reason": "问题复发"}, "assigned"),
    "approve_extension": ({"assigned", "accepted", "in_progress", "waiting"},
                          {"supervisor", "admin"}, "any", {"days": 2}, None),
    "accept": ({"assigned"}, ALL, "assignee", {}, "accepted"),
    "start": ({"accepted"}, ALL, "worker_assignee", {}, "in_progress"),
    "wait": ({"accepted", "in_progress"}, ALL, "worker_assignee", {"reason": "等居民在家"},
             "waiting"),
    "resume": ({"waiting"}, ALL, "worker_assignee", {}, "in_progress"),
    "resolve": ({"accepted", "in_progress"}, ALL, "worker_assignee",
                {"resolution": "已更换灯泡"}, "resolved"),
    "return": ({"assigned", "accepted", "in_progress"}, ALL, "assignee",
               {"reason": "不属于本网格"}, "returned"),
    "request_extension": ({"accepted", "in_progress", "waiting"}, ALL, "assignee",
                          {"days": 3, "reason": "等待配件"}, None),
    "comment": (set(records.TICKET_STATUSES), ALL, "any", {"body": "已电话联系"}, None),
}


def ticket(status: str, assignee: str | None = "w1", **more: Any) -> dict[str, Any]:
    return {
        "id": "t1", "title": "3栋路灯不亮", "category": "municipal", "priority": "normal",
        "status": status, "grid_id": "g1", "assignee_id": assignee,
        "created_at": at(2026, 11, 20), "due_at": at(2026, 11, 27),
        "paused_at": at(2026, 11, 20), "escalated": False, **more,
    }


def test_ticket_actions_cover_the_protocol_and_the_table() -> None:
    assert set(ACTIONS["ticket"]) == set(TICKET_EXPECTED)
    for t in TICKET_TABLE.values():
        assert t.from_states <= set(records.TICKET_STATUSES)
        assert {s for s in t.to_states if s} <= set(records.TICKET_STATUSES)


@pytest.mark.parametrize(
    ("action", "status", "role", "is_assignee"),
    list(itertools.product(TICKET_EXPECTED, records.TICKET_STATUSES, ROLES, (True, False))),
)
def test_ticket_matrix(action: str, status: str, role: str, is_assignee: bool) -> None:
    from_states, roles, who, args, target = TICKET_EXPECTED[action]
    me = actor(role, "w1" if is_assignee else "someone_else")
    record = ticket(status)
    if status not in from_states:
        expected: str | None = "invalid_transition"
    elif (
        role not in roles
        or (who == "assignee" and not is_assignee)
        or (who == "worker_assignee" and role == "social_worker" and not is_assignee)
    ):
        expected = "forbidden"
    else:
        expected = None
    refusal = why_not(action, record, me, entity="ticket")
    assert (refusal and refusal.code) == expected
    if expected is not None:
        assert refused(lambda: ticket_step(record, action, args, me, NOW)).code == expected
        return
    step = ticket_step(record, action, args, me, NOW)
    assert step.changes.get("status", status) == (target or status)
    assert step.event_kind == action


def required_args() -> list[tuple[str, str]]:
    return [(a, name) for a, t in TICKET_TABLE.items() for name in t.required]


def permitted(action: str) -> tuple[dict[str, Any], Actor]:
    from_states, roles, _who, _args, _target = TICKET_EXPECTED[action]
    status = sorted(from_states)[0]
    role = "admin" if "admin" in roles else sorted(roles)[0]
    return ticket(status), actor(role, "w1")


@pytest.mark.parametrize(("action", "name"), required_args())
def test_ticket_missing_argument(action: str, name: str) -> None:
    record, me = permitted(action)
    args = dict(TICKET_EXPECTED[action][3])
    del args[name]
    error = refused(lambda: ticket_step(record, action, args, me, NOW))
    assert (error.code, error.details["field"]) == ("validation", name)
    args[name] = None
    error = refused(lambda: ticket_step(record, action, args, me, NOW))
    assert (error.code, error.details["field"]) == ("validation", name)


@pytest.mark.parametrize(
    ("action", "name", "value"),
    [
        ("triage", "category", "unicorns"),
        ("triage", "priority", "asap"),
        ("assign", "assignee_id", "  "),
        ("assign", "assignee_id", 7),
        ("cancel", "reason", ""),
        ("resolve", "resolution", "   "),
        ("close", "satisfaction", "happy"),
        ("request_extension", "days", 0),
        ("request_extension", "days", 31),
        ("request_extension", "days", 2.5),
        ("request_extension", "days", True),
        ("approve_extension", "days", "3"),
        ("comment", "body", None),
        ("merge", "into_id", "t1"),  # into itself
        ("assign", "note", "hello"),  # unknown argument
    ],
)
def test_ticket_bad_argument(action: str, name: str, value: Any) -> None:
    record, me = permitted(action)
    args = {**TICKET_EXPECTED[action][3], name: value}
    error = refused(lambda: ticket_step(record, action, args, me, NOW))
    assert (error.code, error.details["field"]) == ("validation", name)


def test_unknown_action() -> None:
    error = refused(lambda: ticket_step(ticket("new"), "teleport", {}, actor("admin"), NOW))
    assert error.code == "invalid_transition"
    assert error.details == {"action": "teleport"}


def test_unknown_role_is_forbidden() -> None:
    error = refused(lambda: ticket_step(ticket("new"), "comment", {"body": "x"},
                                        actor("visitor"), NOW))
    assert error.code == "forbidden"


def test_triage_sets_due_from_creation() -> None:
    step = ticket_step(ticket("new", None), "triage",
                       {"category": "public_safety", "priority": "normal"}, actor("clerk"), NOW)
    assert step.changes == {"category": "public_safety", "priority": "normal",
                            "due_at": at(2026, 11, 23)}  # created Fri 20th + 1 working day


def test_assign_records_assignee_and_fills_missing_due() -> None:
    record = ticket("new", None, due_at=None)
    step = ticket_step(record, "assign", {"assignee_id": "w9"}, actor("clerk"), NOW)
    assert step.changes["assignee_id"] == "w9"
    assert step.changes["due_at"] == sla.due_at("municipal", at(2026, 11, 20))
    assert step.event_body == "w9"
    step = ticket_step(ticket("new", None), "assign", {"assignee_id": " w9 "},
                       actor("clerk"), NOW)
    assert step.changes == {"status": "assigned", "assignee_id": "w9"}


def test_return_clears_assignee() -> None:
    step = ticket_step(ticket("accepted"), "return", {"reason": "不属于本网格"},
                       actor("social_worker", "w1"), NOW)
    assert step.changes == {"status": "returned", "assignee_id": None}
    assert step.event_body == "不属于本网格"


def test_social_worker_handles_own_ticket_through_to_resolution() -> None:
    me = actor("social_worker", "w1")
    record = ticket("assigned")
    for action, args in [("accept", {}), ("start", {}),
                         ("resolve", {"resolution": "已更换灯泡"})]:
        step = ticket_step(record, action, args, me, NOW)
        record = {**record, **step.changes}
    assert record["status"] == "resolved"
    assert record["resolution"] == "已更换灯泡"


def test_wait_and_resume_extend_due_by_the_paused_working_days() -> None:
    me = actor("social_worker", "w1")
    # Waited from Thursday 26th to Tuesday 1 Dec: Fri, Mon, Tue = 3 working days.
    record = ticket("waiting", due_at=at(2026, 11, 27), paused_at=at(2026, 11, 26, 15))
    step = ticket_step(record, "resume", {}, me, at(2026, 12, 1, 9))
    assert step == Step({"status": "in_progress", "due_at": at(2026, 12, 2), "paused_at": None},
                        "resume", None)
    wait = ticket_step(ticket("in_progress"), "wait", {}, me, NOW)
    assert wait.changes == {"status": "waiting", "paused_at": NOW}
    assert wait.event_body is None


def test_resume_needs_the_pause_start() -> None:
    record = ticket("waiting", paused_at=None)
    error = refused(lambda: ticket_step(record, "resume", {}, actor("social_worker", "w1"),
                                        NOW))
    assert (error.code, error.details["field"]) == ("validation", "paused_at")


def test_extension_request_and_approval() -> None:
    step = ticket_step(ticket("in_progress"), "request_extension",
                       {"days": 3, "reason": " 等待配件 "}, actor("social_worker", "w1"), NOW)
    assert step.changes == {}
    assert step.event_body == "+3 等待配件"
    assert parse_extension_request(step.event_body) == (3, "等待配件")
    assert parse_extension_request("no") is None
    assert parse_extension_request(format_extension_request(12, "a b")) == (12, "a b")
    step = ticket_step(ticket("in_progress"), "approve_extension", {"days": 3},
                       actor("supervisor"), NOW)
    assert step.changes == {"due_at": at(2026, 12, 2)}  # Fri 27th + 3 working days


def test_close_satisfied_and_dissatisfied() -> None:
    step = ticket_step(ticket("resolved", resolution="ok"), "close",
                       {"satisfaction": "basically_satisfied", "comment": "回访"},
                       actor("clerk"), NOW)
    assert step == Step({"status": "closed", "satisfaction": "basically_satisfied"}, "close",
                        "回访")
    step = ticket_step(ticket("resolved", resolution="ok"), "close",
                       {"satisfaction": "dissatisfied", "comment": "灯还是不亮"},
                       actor("clerk"), NOW)
    assert step.event_kind == FOLLOW_UP_DISSATISFIED
    assert step.event_body == "灯还是不亮"
    assert step.changes == {"status": "assigned", "resolution": None, "satisfaction": None,
                            "escalated": False, "due_at": sla.due_at("municipal", NOW)}


def test_reopen_without_assignee_goes_back_to_new() -> None:
    step = ticket_step(ticket("closed", None), "reopen", {"reason": "复发"}, actor("clerk"), NOW)
    assert step.changes["status"] == "new"
    assert step.changes["due_at"] == sla.due_at("municipal", NOW)


def test_merge_and_split() -> None:
    step = ticket_step(ticket("new", None), "merge", {"into_id": "t2"}, actor("clerk"), NOW)
    assert step.changes == {"status": "merged", "merged_into_id": "t2"}
    assert step.event_body == "t2"
    merged = ticket("merged", None, merged_into_id="t2")
    step = ticket_step(merged, "split", {}, actor("clerk"), NOW)
    assert step.changes == {"status": "new", "merged_into_id": None}


def test_escalate_and_cancel() -> None:
    step = ticket_step(ticket("in_progress"), "escalate", {"body": "已超期"},
                       actor("supervisor"), NOW)
    assert step == Step({"escalated": True}, "escalate", "已超期")
    step = ticket_step(ticket("assigned"), "cancel", {"reason": "重复提交"}, actor("clerk"), NOW)
    assert step == Step({"status": "cancelled"}, "cancel", "重复提交")


def test_comment_by_anyone_in_any_state() -> None:
    for status in records.TICKET_STATUSES:
        step = ticket_step(ticket(status), "comment", {"body": " 已联系 "},
                           actor("social_worker", "x"), NOW)
        assert step == Step({}, "comment", "已联系")


def test_new_ticket_fields() -> None:
    fields = new_ticket_fields("sanitation", NOW, priority="high", created_by_id="c1",
                               source="phone")
    assert fields == {
        "status": "new", "category": "sanitation", "priority": "high", "created_at": NOW,
        "due_at": at(2026, 11, 26), "escalated": False, "source_message_ids": [],
        "created_by_id": "c1", "source": "phone",
    }
    assert new_ticket_fields("public_safety", NOW)["due_at"] == at(2026, 11, 24)


# --- inbox --------------------------------------------------------------------------

INBOX_EXPECTED: dict[str, tuple[set[str], dict[str, Any], str | None]] = {
    # A reply does not end triage: an answered message can still be converted, linked,
    # dismissed or answered again.
    "convert": ({"new", "answered"}, {"ticket_id": "t9", "title": "路灯不亮",
                                      "category": "municipal", "priority": "normal"},
                "converted"),
    "link": ({"new", "answered"}, {"ticket_id": "t9"}, "linked"),
    "dismiss": ({"new", "answered"}, {"reason": "闲聊"}, "dismissed"),
    "reply": ({"new", "answered", "converted", "linked"}, {"text": "已收到，马上派人处理"},
              "answered"),
    "restore": ({"dismissed"}, {}, "new"),
}


def message(status: str, grid: str | None = "g1") -> dict[str, Any]:
    return {"id": "m1", "source": "wechat", "group_id": "wx1", "grid_id": grid,
            "sender_id": "u1", "sender_name": "阿姨", "text": "3栋路灯坏了好几天了",
            "sent_at": at(2026, 11, 23, 8), "status": status}


@pytest.mark.parametrize(
    ("action", "status", "role", "in_grid"),
    list(itertools.product(INBOX_EXPECTED, records.INBOX_STATUSES, ROLES, (True, False))),
)
def test_inbox_matrix(action: str, status: str, role: str, in_grid: bool) -> None:
    from_states, args, target = INBOX_EXPECTED[action]
    me = actor(role, grids=("g1",) if in_grid else ("g2",))
    record = message(status)
    if status not in from_states:
        expected: str | None = "invalid_transition"
    elif role == "social_worker" and not in_grid:
        expected = "forbidden"
    else:
        expected = None
    refusal = why_not(action, record, me, entity="inbox_message")
    assert (refusal and refusal.code) == expected
    if expected is not None:
        assert refused(lambda: inbox_step(record, action, args, me, NOW)).code == expected
        return
    step = inbox_step(record, action, args, me, NOW)
    if action == "reply" and status != "new":
        assert "status" not in step.changes
    else:
        assert step.changes["status"] == target


def test_inbox_unrouted_message_is_for_the_office() -> None:
    unrouted = message("new", grid=None)
    args = {"reason": "广告"}
    error = refused(lambda: inbox_step(unrouted, "dismiss", args,
                                       actor("social_worker", grids=("g1",)), NOW))
    assert error.code == "forbidden"
    assert inbox_step(unrouted, "dismiss", args, actor("clerk"), NOW).changes == {
        "status": "dismissed", "reason": "广告", "dismissed_at": NOW}


def test_a_dismissal_is_undone_the_same_day_only() -> None:
    clerk = actor("clerk")
    dismissed = {**message("dismissed"), "reason": "广告", "dismissed_at": NOW}
    assert inbox_step(dismissed, "restore", {}, clerk, NOW + dt.timedelta(hours=1)
                      ).changes == {"status": "new", "reason": None, "dismissed_at": None}
    answered = {**dismissed, "replies": [{"text": "收到", "by": "s1", "at": "x"}]}
    assert inbox_step(answered, "restore", {}, clerk, NOW).changes["status"] == "answered"
    next_day = (NOW.astimezone(SHANGHAI) + dt.timedelta(days=1)).replace(hour=0, minute=1)
    error = refused(lambda: inbox_step(dismissed, "restore", {}, clerk, next_day))
    assert error.code == "invalid_transition" and error.details["problem"] == "too_late"
    assert refused(lambda: inbox_step(message("new"), "restore", {}, clerk, NOW)
                   ).code == "invalid_transition"


def test_inbox_steps_in_detail() -> None:
    me = actor("clerk")
    convert_args = {**INBOX_EXPECTED["convert"][1], "household_id": "h1"}
    step = inbox_step(message("new"), "convert", convert_args, me, NOW)
    assert step == Step({"status": "converted", "ticket_id": "t9"}, None)
    step = inbox_step(message("new"), "reply", {"text": " 收到 "}, me, NOW)
    first = {"text": "收到", "by": "me", "at": "2026-11-23T10:00:00+08:00"}
    assert step == Step({"status": "answered", "reply_text": "收到", "replies": [first]},
                        "reply", "收到")
    later = NOW + dt.timedelta(hours=1)
    again = inbox_step({**message("answered"), "replies": [first]}, "reply",
                       {"text": "网格员下午上门"}, actor("clerk", "c2"), later)
    assert again.changes == {"reply_text": "网格员下午上门", "replies": [
        first, {"text": "网格员下午上门", "by": "c2", "at": "2026-11-23T11:00:00+08:00"}]}
    too_long = refused(lambda: inbox_step(message("new"), "reply", {
        "text": "好" * (records.REPLY_MAX_LENGTH + 1)}, me, NOW))
    assert (too_long.code, too_long.details["field"]) == ("validation", "text")
    assert reply_for_group(message("new"), " 收到 ") == "@阿姨 收到"
    assert reply_for_group({**message("new"), "sender_name": None}, "收到") == "收到"
    for action, args in [("convert", {"ticket_id": "t9"}), ("dismiss", {}),
                         ("reply", {"text": ""}), ("link", {"ticket_id": 3})]:
        error = refused(lambda a=action, g=args: inbox_step(message("new"), a, g, me, NOW))
        assert error.code == "validation"


def test_ticket_from_message() -> None:
    args = {**INBOX_EXPECTED["convert"][1], "household_id": "h1"}
    fields = ticket_from_message(message("new"), args, actor("clerk", "c1"), NOW)
    assert fields["id"] == "t9"
    assert fields["grid_id"] == "g1"
    assert fields["source"] == "wechat"
    assert fields["source_message_ids"] == ["m1"]
    assert fields["description"] == "3栋路灯坏了好几天了"
    assert fields["status"] == "new"
    assert fields["created_by_id"] == "c1"
    assert fields["due_at"] == sla.due_at("municipal", NOW)
    assert records.missing_required(records.TICKET, fields) == []


# --- performance --------------------------------------------------------------------

PERF_EXPECTED: dict[str, tuple[set[str], set[str], str, dict[str, Any], str]] = {
    "submit": ({"draft", "returned"}, ALL, "owner", {}, "submitted"),
    "approve": ({"submitted"}, {"supervisor", "admin"}, "not_owner", {"score": 92},
                "approved"),
    "return": ({"submitted"}, {"supervisor", "admin"}, "not_owner", {"comment": "走访数不实"},
               "returned"),
}


def perf(status: str, worker: str = "w1", **more: Any) -> dict[str, Any]:
    return {"id": "p1", "worker_id": worker, "period": "2026-11", "figures": {},
            "status": status, **more}


@pytest.mark.parametrize(
    ("action", "status", "role", "own"),
    list(itertools.product(PERF_EXPECTED, records.PERFORMANCE_STATUSES, ROLES, (True, False))),
)
def test_performance_matrix(action: str, status: str, role: str, own: bool) -> None:
    from_states, roles, who, args, target = PERF_EXPECTED[action]
    me = actor(role, "w1" if own else "boss")
    record = perf(status)
    if status not in from_states:
        expected: str | None = "invalid_transition"
    elif role not in roles or (who == "owner") != own:
        expected = "forbidden"
    else:
        expected = None
    refusal = why_not(action, record, me, entity="performance_record")
    assert (refusal and refusal.code) == expected
    if expected is not None:
        assert refused(lambda: performance_step(record, action, args, me, NOW)).code == expected
        return
    assert performance_step(record, action, args, me, NOW).changes["status"] == target


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_no_one_approves_their_own_record(role: str) -> None:
    own = perf("submitted", worker="boss")
    for action, args in [("approve", {}), ("return", {"comment": "x"})]:
        error = refused(lambda a=action, g=args: performance_step(
            own, a, g, actor(role, "boss"), NOW))
        assert error.code == "forbidden"


def test_performance_decisions() -> None:
    boss = actor("supervisor", "boss")
    step = performance_step(perf("submitted"), "approve", {"score": 92, "comment": "好"},
                            boss, NOW)
    assert step == Step({"status": "approved", "supervisor_id": "boss",
                         "decision_comment": "好", "score": 92.0}, None)
    step = performance_step(perf("submitted"), "approve", {}, boss, NOW)
    assert step.changes == {"status": "approved", "supervisor_id": "boss",
                            "decision_comment": None}
    step = performance_step(perf("submitted"), "return", {"comment": "走访数不实"}, boss, NOW)
    assert step.changes == {"status": "returned", "supervisor_id": "boss",
                            "decision_comment": "走访数不实"}
    for args in [{"score": 101}, {"score": -1}, {"score": "90"}, {"score": float("nan")}]:
        error = refused(lambda g=args: performance_step(perf("submitted"), "approve", g,
                                                        boss, NOW))
        assert (error.code, error.details["field"]) == ("validation", "score")
    error = refused(lambda: performance_step(perf("submitted"), "return", {}, boss, NOW))
    assert (error.code, error.details["field"]) == ("validation", "comment")


def test_resubmit_after_return() -> None:
    me = actor("social_worker", "w1")
    returned = perf("returned", supervisor_id="boss", decision_comment="走访数不实")
    step = performance_step(returned, "submit", {}, me, NOW)
    assert step.changes == {"status": "submitted"}


@pytest.mark.parametrize(
    ("status", "changes"),
    [
        ("draft", {}),
        ("returned", {}),
        ("submitted", {"status": "submitted", "score": None, "supervisor_id": None,
                       "decision_comment": None}),
        ("approved", {"status": "submitted", "score": None, "supervisor_id": None,
                      "decision_comment": None}),
    ],
)
def test_edit_after_submission_needs_a_new_decision(
    status: str, changes: dict[str, Any]
) -> None:
    record = perf(status, score=90.0, supervisor_id="boss", decision_comment="好")
    assert performance_after_edit(record) == changes


@pytest.mark.parametrize("status", records.PERFORMANCE_STATUSES)
def test_who_may_edit_a_performance_record(status: str) -> None:
    record = perf(status)
    assert can_edit_performance(record, actor("social_worker", "w1")) == (status != "approved")
    assert not can_edit_performance(record, actor("supervisor", "boss"))
    assert not can_edit_performance(record, actor("admin", "root"))


def test_workflow_error_shape() -> None:
    error = WorkflowError("forbidden", "nope", {"action": "x"})
    assert (error.code, error.message, error.details, str(error)) == (
        "forbidden", "nope", {"action": "x"}, "nope")
    assert WorkflowError("validation", "m").details == {}


def test_why_not_says_why_and_whether_the_step_applies() -> None:
    """The reason a menu words, and whether it shows the step at all: a step the state or
    the role rules out is not offered; one only another person may take is shown
    disabled, with that person named by the reason."""
    assigned = ticket("assigned", assignee="w1")
    clerk, other_worker = actor("clerk", "c1"), actor("social_worker", "w2")
    assert why_not("accept", assigned, actor("social_worker", "w1"), entity="ticket") is None
    accept = why_not("accept", assigned, clerk, entity="ticket")
    assert accept is not None
    assert (accept.reason, accept.code, accept.applies) == (Reason.ASSIGNEE, "forbidden", True)
    resolve = why_not("resolve", assigned, clerk, entity="ticket")
    assert resolve is not None and (resolve.reason, resolve.applies) == (Reason.STATE, False)
    assert resolve.status == "assigned"
    extension = why_not("approve_extension", assigned, other_worker, entity="ticket")
    assert extension is not None and (extension.reason, extension.applies) == (Reason.ROLE,
                                                                               False)
    assert extension.roles == {"supervisor", "admin"}
    unknown = why_not("teleport", assigned, clerk, entity="ticket")
    assert unknown is not None and unknown.code == "invalid_transition"
    # The same step name on another record: a performance record's return.
    own = perf("submitted", worker="boss")
    refusal = why_not("return", own, actor("supervisor", "boss"),
                      entity="performance_record")
    assert refusal is not None and refusal.reason is Reason.NOT_OWNER and refusal.applies
    off_grid = why_not("dismiss", message("new", grid="g9"),
                       actor("social_worker", grids=("g1",)), entity="inbox_message")
    assert off_grid is not None and off_grid.reason is Reason.GRID_WORKER
    # The error a step function raises is the refusal's.
    error = refused(lambda: ticket_step(assigned, "accept", {}, clerk, NOW))
    assert (error.code, error.message) == (accept.code, accept.message)


@pytest.mark.parametrize("status", sorted(set(records.TICKET_STATUSES) - OPEN))
def test_only_an_open_ticket_takes_in_a_merged_one(status: str) -> None:
    error = refused(lambda: merge_survivor_changes(ticket("new"), ticket(status)))
    assert (error.code, error.details) == ("invalid_transition",
                                           {"field": "into_id", "status": status})


def test_the_survivor_gathers_the_messages_and_keeps_the_earlier_deadline() -> None:
    survivor = ticket("assigned", due_at=at(2026, 11, 30), source_message_ids=["m1", "m2"])
    merged = ticket("new", due_at=at(2026, 11, 25), source_message_ids=["m2", "m3"])
    assert merge_survivor_changes(merged, survivor) == {
        "source_message_ids": ["m1", "m2", "m3"], "due_at": at(2026, 11, 25)}
    # A later deadline, no new messages: nothing changes on the survivor.
    assert merge_survivor_changes({**merged, "due_at": at(2026, 12, 9),
                                   "source_message_ids": ["m1"]}, survivor) == {}
    # A survivor without a deadline takes the merged one's.
    assert merge_survivor_changes(merged, {**survivor, "due_at": None})["due_at"] == at(
        2026, 11, 25)
