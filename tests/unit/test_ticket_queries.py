"""Client reads for the inbox and tickets views: queues, countdown, steps, guesses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.desk import actor_of
from gulou_desk.domain.sla import Urgency, countdown, urgency
from gulou_desk.domain.triage import guess_category, guess_priority, title_from_text
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI
from gulou_desk.store.engine import Store
from gulou_desk.store.inbox_queries import (
    convert_draft,
    guess_households,
    inbox_count,
    inbox_groups,
    inbox_page,
)
from gulou_desk.store.rows import replace_row
from gulou_desk.store.ticket_queries import (
    Queue,
    Why,
    assignable_staff,
    attention_count,
    queue_counts,
    step_states,
    ticket_candidates,
    ticket_count,
    ticket_detail,
    ticket_page,
)
from gulou_desk.store.usecases import run_action

GRID = "grid-1"
OTHER_GRID = "grid-2"
# Wednesday 4 November 2026, 10:00 in Nanjing (a plain working week).
NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)
WORKER = Actor(id="worker-1", role="social_worker", community_id="community-1",
               street_id="street-1", grid_ids=frozenset({GRID}))
CLERK = Actor(id="clerk-1", role="clerk", community_id="community-1", street_id="street-1")
SUPERVISOR = Actor(id="sup-1", role="supervisor", street_id="street-1")


def at(days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> dt.datetime:
    return NOW + dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def ticket(store: Store, tid: str, **values: Any) -> str:
    data = {"number": f"GL-{tid}", "title": f"ticket {tid}", "category": "municipal",
            "priority": "normal", "status": "new", "grid_id": GRID, "created_at": at(-1),
            "due_at": at(3), "source_message_ids": [], "escalated": False, **values}
    with store.write() as session:
        replace_row(session, "ticket", tid, data, 10)
    return tid


def event(store: Store, eid: str, tid: str, kind: str, at_: dt.datetime,
          body: str | None = None, actor: str | None = "clerk-1") -> None:
    with store.write() as session:
        replace_row(session, "ticket_event", eid, {"ticket_id": tid, "kind": kind,
                                                   "body": body, "at": at_,
                                                   "actor_id": actor}, 11)


@pytest.fixture
def world(local_store: Store) -> Store:
    with local_store.write() as s:
        replace_row(s, "grid", GRID, {"community_id": "community-1", "name": "第一网格",
                                      "worker_ids": ["worker-1"]}, 1)
        replace_row(s, "grid", OTHER_GRID, {"community_id": "community-1", "name": "第二网格",
                                            "worker_ids": ["worker-2"]}, 1)
        for sid, name, role, community in (
                ("worker-1", "王芳", "social_worker", "community-1"),
                ("worker-2", "李强", "social_worker", "community-1"),
                ("clerk-1", "陈静", "clerk", "community-1"),
                ("sup-1", "周主任", "supervisor", None),
                ("gone-1", "离职", "social_worker", "community-1"),
                ("far-1", "外社区", "social_worker", "community-9")):
            replace_row(s, "staff", sid, {"username": sid, "display_name": name, "role": role,
                                          "community_id": community, "street_id": "street-1",
                                          "active": sid != "gone-1"}, 1)
        replace_row(s, "household", "h-1", {
            "grid_id": GRID, "estate": "颐和新村", "building": "3", "unit": "2", "room": "301",
            "head_name": "张三", "phone": "13812345678", "status": "active",
            "address": "颐和新村3栋2单元301室"}, 1)
        replace_row(s, "household", "h-2", {
            "grid_id": GRID, "estate": "颐和新村", "building": "5", "unit": "1", "room": "502",
            "head_name": "单丽", "phone": "13900001111", "status": "active"}, 1)
        replace_row(s, "household", "h-9", {
            "grid_id": OTHER_GRID, "estate": "西康小区", "building": "3", "unit": "2",
            "room": "301", "head_name": "王五", "phone": "13812345678", "status": "active"}, 1)
        replace_row(s, "resident", "r-2", {"household_id": "h-2", "name": "孙小梅",
                                           "phone": "13700002222", "status": "active"}, 1)
    return local_store


# --- countdown ------------------------------------------------------------------------


@pytest.mark.parametrize(("due", "expected"), [
    (at(seconds=-1), Urgency.OVERDUE),
    (at(), Urgency.DUE_TODAY),  # due this very second: not late yet
    (at(hours=13, minutes=59), Urgency.DUE_TODAY),  # 23:59 today
    (at(hours=14), Urgency.DUE_SOON),  # midnight: tomorrow
    (at(days=1, hours=13, minutes=59), Urgency.DUE_SOON),  # Thursday 23:59
    (at(days=1, hours=14), Urgency.ON_TRACK),  # Friday 00:00
])
def test_urgency_boundaries(due: dt.datetime, expected: Urgency) -> None:
    assert urgency("in_progress", due, None, NOW) is expected


def test_due_soon_reaches_over_the_weekend_and_holidays() -> None:
    friday = dt.datetime(2026, 11, 6, 16, 0, tzinfo=SHANGHAI)
    monday_evening = dt.datetime(2026, 11, 9, 18, 0, tzinfo=SHANGHAI)
    assert urgency("assigned", monday_evening, None, friday) is Urgency.DUE_SOON
    # 30 September 2026: the National Day holiday runs 1–7 October.
    before_holiday = dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)
    after_holiday = dt.datetime(2026, 10, 8, 12, 0, tzinfo=SHANGHAI)
    assert urgency("assigned", after_holiday, None, before_holiday) is Urgency.DUE_SOON


@pytest.mark.parametrize("status", ["resolved", "closed", "merged", "cancelled"])
def test_finished_tickets_have_no_clock(status: str) -> None:
    assert urgency(status, at(-3), None, NOW) is Urgency.NONE
    assert countdown(status, at(-3), None, NOW).remaining is None


def test_a_waiting_ticket_is_paused_and_its_due_time_moves_by_the_working_days_waited() -> None:
    paused = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)  # Monday
    due = dt.datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI)  # was due Tuesday: now past
    shown = countdown("waiting", due, paused, NOW)
    assert shown.urgency is Urgency.PAUSED
    # Waited Tuesday and Wednesday: two working days later, Thursday 9:00.
    assert shown.due_at == dt.datetime(2026, 11, 5, 9, 0, tzinfo=SHANGHAI)
    assert shown.remaining == dt.timedelta(days=1)  # what was left when it paused


def test_countdown_counts_down_and_goes_negative() -> None:
    assert countdown("accepted", at(hours=5), None, NOW).remaining == dt.timedelta(hours=5)
    late = countdown("accepted", at(hours=-2), None, NOW)
    assert late.urgency is Urgency.OVERDUE and late.remaining == dt.timedelta(hours=-2)


# --- queues -------------------------------------------------------------------------


@pytest.fixture
def tickets(world: Store) -> Store:
    ticket(world, "new", status="new", due_at=at(2))
    ticket(world, "returned", status="returned", due_at=at(hours=-1))
    ticket(world, "mine-late", status="in_progress", assignee_id="worker-1",
           due_at=at(hours=-3), escalated=True)
    ticket(world, "mine-today", status="accepted", assignee_id="worker-1", due_at=at(hours=4))
    ticket(world, "mine-waiting", status="waiting", assignee_id="worker-1", due_at=at(-2),
           paused_at=at(-3))
    ticket(world, "other-today", status="assigned", assignee_id="worker-2",
           due_at=at(hours=13, minutes=59), grid_id=OTHER_GRID, title="路灯不亮")
    ticket(world, "resolved", status="resolved", assignee_id="worker-1", due_at=at(-5))
    ticket(world, "closed", status="closed", assignee_id="worker-2", due_at=at(-5))
    ticket(world, "extension", status="in_progress", assignee_id="worker-2", due_at=at(5))
    event(world, "e-1", "extension", "request_extension", at(-1), "+3 等配件")
    ticket(world, "approved", status="in_progress", assignee_id="worker-2", due_at=at(8))
    event(world, "e-2", "approved", "request_extension", at(-2), "+2 等配件")
    event(world, "e-3", "approved", "approve_extension", at(-1), None, "sup-1")
    return world


def queue_ids(store: Store, queue: Queue, actor: Actor, **kw: Any) -> list[str]:
    with store.session() as s:
        return [row.id for row in ticket_page(s, queue, actor, NOW, **kw)]


@pytest.mark.parametrize(("queue", "actor", "expected"), [
    (Queue.MINE, WORKER, ["mine-waiting", "mine-late", "mine-today"]),
    (Queue.UNASSIGNED, CLERK, ["returned", "new"]),
    (Queue.DUE_TODAY, CLERK, ["mine-today", "other-today"]),
    # A waiting ticket is not overdue: its clock is stopped.
    (Queue.OVERDUE, CLERK, ["mine-late", "returned"]),
    (Queue.WAITING, CLERK, ["mine-waiting"]),
    (Queue.FOLLOW_UP, CLERK, ["resolved"]),
    (Queue.ESCALATED, SUPERVISOR, ["mine-late"]),
    (Queue.EXTENSIONS, SUPERVISOR, ["extension"]),
])
def test_queues(tickets: Store, queue: Queue, actor: Actor, expected: list[str]) -> None:
    """Queues are ordered by due time, the most pressing first."""
    assert queue_ids(tickets, queue, actor) == expected
    with tickets.session() as s:
        assert ticket_count(s, queue, actor, NOW) == len(expected)
        assert queue_counts(s, actor, NOW, [queue]) == {queue: len(expected)}


def test_all_queue_holds_everything_newest_first_and_pages(tickets: Store) -> None:
    everything = queue_ids(tickets, Queue.ALL, CLERK)
    assert len(everything) == 10
    first = queue_ids(tickets, Queue.ALL, CLERK, limit=4)
    second = queue_ids(tickets, Queue.ALL, CLERK, offset=4, limit=4)
    assert first + second == everything[:8]


def test_counts_of_a_role_s_queues_and_the_badge(tickets: Store) -> None:
    with tickets.session() as s:
        counts = queue_counts(s, CLERK, NOW)
        assert list(counts) == [Queue.UNASSIGNED, Queue.DUE_TODAY, Queue.OVERDUE,
                                Queue.WAITING, Queue.FOLLOW_UP, Queue.MINE, Queue.ALL]
        assert counts[Queue.ALL] == 10 and counts[Queue.MINE] == 0
        assert attention_count(s, CLERK, NOW) == 2  # unassigned
        assert attention_count(s, WORKER, NOW) == 3  # mine
        assert attention_count(s, SUPERVISOR, NOW) == 1  # escalated


def test_search_and_order(tickets: Store) -> None:
    assert queue_ids(tickets, Queue.ALL, CLERK, search="路灯") == ["other-today"]
    assert queue_ids(tickets, Queue.ALL, CLERK, search="李强 路灯") == ["other-today"]
    assert queue_ids(tickets, Queue.ALL, CLERK, search="%") == []
    by_assignee = queue_ids(tickets, Queue.MINE, WORKER, order_by="-number")
    assert by_assignee == ["mine-waiting", "mine-today", "mine-late"]
    with tickets.session() as s:
        rows = ticket_page(s, Queue.DUE_TODAY, CLERK, NOW, order_by="assignee")
        assert [r.assignee_name for r in rows] == ["李强", "王芳"]
        assert rows[1].grid_name == "第一网格"
        with pytest.raises(ValueError, match="ordered by"):
            ticket_page(s, Queue.ALL, CLERK, NOW, order_by="secret")


def test_a_ticket_with_an_edit_not_yet_sent_is_marked_pending(tickets: Store) -> None:
    run_action(tickets, "ticket", "new", "assign", {"assignee_id": "worker-1"}, actor=CLERK,
               now=NOW)
    with tickets.session() as s:
        [row] = [r for r in ticket_page(s, Queue.MINE, WORKER, NOW) if r.id == "new"]
        assert row.pending and row.status == "assigned"
        assert queue_counts(s, CLERK, NOW)[Queue.UNASSIGNED] == 1


# --- detail ---------------------------------------------------------------------------


def test_detail_has_names_timeline_messages_and_merges(tickets: Store) -> None:
    with tickets.write() as s:
        replace_row(s, "inbox_message", "m-1", {
            "source": "wechat", "group_id": "wx-1", "group_name": "颐和新村1群",
            "grid_id": GRID, "sender_name": "老张", "text": "路灯坏了", "sent_at": at(-1),
            "status": "converted", "ticket_id": "mine-late"}, 5)
    ticket(tickets, "mine-late", status="in_progress", assignee_id="worker-1",
           household_id="h-1", source_message_ids=["m-1", "m-gone"], created_by_id="clerk-1")
    ticket(tickets, "dup", status="merged", merged_into_id="mine-late")
    event(tickets, "e-a", "mine-late", "assign", at(-1), "worker-1")
    event(tickets, "e-b", "mine-late", "escalate", at(-0.5), None, actor=None)
    event(tickets, "e-c", "dup", "merge", at(-0.2), "mine-late")
    with tickets.session() as s:
        detail = ticket_detail(s, "mine-late")
        dup = ticket_detail(s, "dup")
        assert ticket_detail(s, "nope") is None
    assert detail is not None and dup is not None
    assert detail.assignee_name == "王芳" and detail.created_by_name == "陈静"
    assert detail.grid_name == "第一网格"
    assert detail.household is not None and detail.household["head_name"] == "张三"
    assert [m.id for m in detail.messages] == ["m-1"]  # one not here (yet) is left out
    assert [(e.kind, e.actor_name, e.subject_name) for e in detail.events] == [
        ("assign", "陈静", "王芳"), ("escalate", None, None)]
    assert [r.id for r in detail.merged_in] == ["dup"]
    assert dup.merged_into is not None and dup.merged_into.number == "GL-mine-late"
    assert dup.events[0].subject_name == "GL-mine-late"


def test_open_extension_request(tickets: Store) -> None:
    with tickets.session() as s:
        open_one = ticket_detail(s, "extension")
        approved = ticket_detail(s, "approved")
    assert open_one is not None and open_one.extension_request == (3, "等配件")
    assert approved is not None and approved.extension_request is None


# --- steps ----------------------------------------------------------------------------


def test_step_states_follow_the_domain_tables() -> None:
    assigned = {"id": "t", "status": "assigned", "assignee_id": "worker-1", "category": "other"}
    worker = step_states(assigned, WORKER, NOW)
    assert worker["accept"].allowed
    assert worker["assign"] == worker["assign"].__class__(
        "assign", False, Why.ROLE, worker["assign"].roles, applies=False)
    assert worker["resolve"].why is Why.STATE
    assert worker["comment"].allowed
    clerk = step_states(assigned, CLERK, NOW)
    assert clerk["accept"].why is Why.ASSIGNEE  # only the assignee signs for it
    assert clerk["accept"].applies  # shown to the clerk, disabled, with the reason
    assert clerk["assign"].allowed and clerk["cancel"].allowed
    in_progress = {**assigned, "status": "in_progress"}
    other_worker = Actor(id="worker-2", role="social_worker", grid_ids=frozenset({GRID}))
    assert step_states(in_progress, other_worker, NOW)["resolve"].why is Why.WORKER_ASSIGNEE
    assert step_states(in_progress, CLERK, NOW)["resolve"].allowed  # dispatchers step in
    extension = step_states(in_progress, WORKER, NOW)
    assert extension["request_extension"].allowed
    assert extension["approve_extension"].why is Why.ROLE
    assert extension["approve_extension"].roles == {"supervisor", "admin"}
    assert step_states(in_progress, SUPERVISOR, NOW)["approve_extension"].allowed
    resolved = {**assigned, "status": "resolved"}
    assert step_states(resolved, CLERK, NOW)["close"].allowed
    assert step_states({**assigned, "status": "merged"}, CLERK, NOW)["split"].allowed
    # An old wait without paused_at can still be resumed from the client.
    waiting = {**assigned, "status": "waiting", "paused_at": None}
    assert step_states(waiting, WORKER, NOW)["resume"].allowed


# --- people ---------------------------------------------------------------------------


def test_actor_of_and_assignable_staff(world: Store) -> None:
    with world.session() as s:
        actor = actor_of(s, "worker-1", "social_worker")
        staff = assignable_staff(s, OTHER_GRID)
        unknown = actor_of(s, "nobody", "clerk")
    assert actor.community_id == "community-1" and actor.grid_ids == {GRID}
    assert unknown.community_id is None
    # The grid's own worker first, then other workers, then clerks; no one inactive,
    # no one of another community, no supervisor.
    assert [(o.name, o.in_grid) for o in staff] == [("李强", True), ("王芳", False),
                                                    ("陈静", False)]


def test_candidates_to_link_or_merge(tickets: Store) -> None:
    with tickets.session() as s:
        linked = ticket_candidates(s, grid_id=OTHER_GRID, search=None)
        merge = ticket_candidates(s, exclude_id="new", statuses=("new", "assigned"))
    assert linked[0].id == "other-today"  # its grid first
    assert {r.status for r in linked} <= {"new", "assigned", "accepted", "in_progress",
                                          "waiting", "returned", "resolved"}
    assert "closed" not in {r.id for r in linked}
    assert [r.id for r in merge] == ["other-today"]


# --- inbox --------------------------------------------------------------------------


def message(store: Store, mid: str, **values: Any) -> None:
    data = {"source": "wechat", "group_id": "wx-1", "group_name": "颐和新村1群",
            "grid_id": GRID, "sender_id": "wxid-1", "sender_name": "老张",
            "text": "3栋2单元301室门口的路灯坏了", "keyword": "路灯", "sent_at": at(),
            "status": "new", **values}
    with store.write() as s:
        replace_row(s, "inbox_message", mid, data, 20)


def test_inbox_groups_and_pages(world: Store) -> None:
    message(world, "m-1", sent_at=at(-1))
    message(world, "m-2", sent_at=at(hours=-1), status="dismissed", reason="闲聊")
    message(world, "m-3", group_id="wx-2", group_name="西康群", grid_id=OTHER_GRID,
            sent_at=at(hours=-2), status="answered")
    message(world, "m-4", source="walk_in", group_id=None, group_name=None, sent_at=at())
    with world.session() as s:
        groups = inbox_groups(s)
        assert [(g.key, g.total, sorted(g.new_ids)) for g in groups] == [
            ("source:walk_in", 1, ["m-4"]), ("group:wx-1", 2, ["m-1"]),
            ("group:wx-2", 1, [])]
        assert groups[1].grid_name == "第一网格" and groups[1].group_name == "颐和新村1群"
        assert [m.id for m in inbox_page(s, status_filter="new")] == ["m-4", "m-1"]
        assert [m.id for m in inbox_page(s, group="group:wx-1", status_filter="all")] == [
            "m-2", "m-1"]
        assert [m.id for m in inbox_page(s, status_filter="handled",
                                         order_by="sent_at")] == ["m-3", "m-2"]
        assert [m.id for m in inbox_page(s, group="source:walk_in")] == ["m-4"]
        assert inbox_count(s, status_filter="all", search="老张 路灯") == 4
        assert inbox_count(s, status_filter="all", search="闲聊") == 0  # reason not searched
        with pytest.raises(ValueError, match="filter"):
            inbox_count(s, status_filter="everything")


# --- guesses ----------------------------------------------------------------------------


@pytest.mark.parametrize(("keyword", "text", "expected"), [
    ("路灯", "门口的灯坏了", "municipal"),
    ("", "楼道里堆放了很多杂物", "sanitation"),
    (None, "邻居装修噪音很大", "neighbour_dispute"),
    ("不认识", "今天天气不错", "other"),
    ("", "想咨询居住证明怎么开", "certificate"),  # the longer word wins over 证明 alone
])
def test_guess_category(keyword: str | None, text: str, expected: str) -> None:
    assert guess_category(keyword, text) == expected


def test_guess_priority_and_title() -> None:
    assert guess_priority("5栋电梯有人被困了！") == "urgent"
    assert guess_priority("路灯坏了") == "normal"
    assert title_from_text("3栋门口的路灯坏了好几天了，晚上黑漆漆的") == "3栋门口的路灯坏了好几天了"
    assert title_from_text("  哈\n哈  ") == "哈 哈"
    long = "一" * 50
    assert title_from_text(long) == "一" * 29 + "…"
    assert title_from_text("") == ""


def test_guess_households_by_phone_name_and_address(world: Store) -> None:
    base = {"grid_id": GRID, "sender_name": "老张"}
    with world.session() as s:
        by_phone = guess_households(s, {**base, "text": "请回电13812345678"})
        by_resident_phone = guess_households(s, {**base, "text": "电话 13700002222"})
        by_name = guess_households(s, {**base, "sender_name": "孙小梅", "text": "灯坏了"})
        by_address = guess_households(s, {**base, "text": "3栋2单元301室的灯坏了"})
        by_room_only = guess_households(s, {**base, "text": "5栋 502室漏水"})
        unrouted = guess_households(s, {"grid_id": None, "sender_name": "x",
                                        "text": "13812345678"})
        nothing = guess_households(s, {**base, "text": "灯坏了"})
    assert [(g.id, g.reason) for g in by_phone] == [("h-1", "phone")]  # only its grid
    assert [g.id for g in by_resident_phone] == ["h-2"]
    assert [(g.id, g.reason) for g in by_name] == [("h-2", "name")]
    assert [(g.id, g.reason) for g in by_address] == [("h-1", "address")]
    assert [g.id for g in by_room_only] == ["h-2"]
    assert {g.id for g in unrouted} == {"h-1", "h-9"}  # no grid: all of them
    assert nothing == []


def test_convert_draft_from_several_messages(world: Store) -> None:
    message(world, "m-1", text="3栋2单元301室门口的路灯坏了，晚上很黑", sent_at=at(-1))
    message(world, "m-2", sender_name="单丽", text="5栋电梯有人被困了", keyword="电梯")
    with world.session() as s:
        draft = convert_draft(s, ["m-1", "m-2"])
        assert convert_draft(s, ["nope"]) is None
    assert draft is not None
    assert draft.title == "3栋2单元301室门口的路灯坏了"
    assert draft.category == "municipal"  # from the first message
    assert draft.priority == "urgent"  # the most pressing of them
    assert draft.description.splitlines() == ["老张: 3栋2单元301室门口的路灯坏了，晚上很黑",
                                              "单丽: 5栋电梯有人被困了"]
    assert [g.id for g in draft.households] == ["h-1", "h-2"]
    assert draft.grid_id == GRID


def test_text_similarity_reads_chinese_by_character_pairs() -> None:
    from gulou_desk.store.ticket_queries import SIMILAR_TEXT, text_similarity

    assert text_similarity("3栋楼道的路灯不亮了", "3栋楼道路灯坏了，晚上很黑") >= SIMILAR_TEXT
    assert text_similarity("3栋楼道的路灯不亮了", "小区南门的绿化带有人种菜") < SIMILAR_TEXT
    assert text_similarity("", "路灯") == 0.0
