"""The 鼓宝 console's reads on the local store: the knowledge base by hits and search,
unanswered questions, the "test the bot" box, a rule's 30-day dry run, the urgent
alerts still open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gulou_desk.records import SHANGHAI
from gulou_desk.store.engine import Store
from gulou_desk.store.gubao_queries import (
    announcements,
    dry_run,
    knowledge_entries,
    open_urgent_alerts,
    places_to_write,
    unanswered_questions,
    urgent_counts,
    urgent_counts_for,
    what_the_bot_answers,
)
from gulou_desk.store.rows import replace_row

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI)


def put(store: Store, entity: str, rid: str, **values: Any) -> None:
    with store.write() as session:
        replace_row(session, entity, rid, values, 1)


def test_knowledge_base_reads(local_store: Store) -> None:
    put(local_store, "knowledge_entry", "k1", question="高龄津贴怎么申领？",
        answer="带身份证到社区。", keywords=["高龄津贴", "尊老金"], scope="district",
        active=True, hit_count=3)
    put(local_store, "knowledge_entry", "k2", question="低保怎么申请？", answer="到社区申请。",
        keywords=["低保"], scope="community", community_id="c1", active=True, hit_count=9)
    put(local_store, "knowledge_entry", "k3", question="旧的问答", answer="过期了",
        keywords=["疫苗"], scope="district", active=True, valid_to=dt.date(2026, 1, 1))
    with local_store.session() as s:
        assert [r["id"] for r in knowledge_entries(s)] == ["k2", "k1", "k3"]
        assert [r["id"] for r in knowledge_entries(s, "尊老金")] == ["k1"]
        answer = what_the_bot_answers(s, "我爸81了尊老金怎么领", "c1", "s1", NOW.date())
        assert answer.match is not None and answer.match.candidate.id == "k1"
        assert answer.match.keyword == "尊老金"
        # Another community's entry and an expired one do not answer.
        assert what_the_bot_answers(s, "低保怎么申请", "c2", "s1", NOW.date()).match is None
        assert what_the_bot_answers(s, "疫苗在哪打", "c1", "s1", NOW.date()).match is None


def test_unanswered_and_announcements(local_store: Store) -> None:
    put(local_store, "bot_question", "q1", text="东门什么时候修好", count=2, status="open",
        asked_at=NOW)
    put(local_store, "bot_question", "q2", text="食堂周末开吗", count=5, status="open",
        asked_at=NOW)
    put(local_store, "bot_question", "q3", text="已答", count=9, status="answered",
        asked_at=NOW)
    put(local_store, "announcement", "a1", title="已发", text="x", status="sent",
        send_at=NOW - dt.timedelta(days=1), community_id="c1")
    put(local_store, "announcement", "a2", title="下周", text="x", status="scheduled",
        send_at=NOW + dt.timedelta(days=7), community_id="c1")
    put(local_store, "announcement", "a3", title="明天", text="x", status="scheduled",
        send_at=NOW + dt.timedelta(days=1), community_id="c1")
    put(local_store, "announcement", "a4", title="草稿", text="x", status="draft",
        community_id="c1")
    with local_store.session() as s:
        assert [r["id"] for r in unanswered_questions(s)] == ["q2", "q1"]
        assert [r["id"] for r in announcements(s)] == ["a3", "a2", "a4", "a1"]


def test_dry_run_and_open_urgent_alerts(local_store: Store) -> None:
    put(local_store, "inbox_message", "m1", source="wechat", text="3栋着火了", status="converted",
        sent_at=NOW - dt.timedelta(days=2), urgent=True, ticket_id="t1", grid_id="g1")
    put(local_store, "inbox_message", "m2", source="wechat", text="楼上漏水", status="new",
        sent_at=NOW - dt.timedelta(days=40), urgent=False)
    put(local_store, "inbox_message", "m3", source="wechat", text="楼上又漏水了", status="new",
        sent_at=NOW - dt.timedelta(days=1), urgent=False)
    put(local_store, "inbox_message", "m4", source="wechat", text="冒烟了", status="converted",
        sent_at=NOW - dt.timedelta(days=1), urgent=True, ticket_id="t2")
    put(local_store, "ticket", "t1", number="GL1", title="火", category="public_safety",
        priority="urgent", status="assigned", grid_id="g1")
    put(local_store, "ticket", "t2", number="GL2", title="烟", category="public_safety",
        priority="urgent", status="closed", grid_id="g1")
    rule = {"keywords": ["漏水"], "with_words": ["楼上"], "active": True}
    with local_store.session() as s:
        assert [r["id"] for r in dry_run(s, rule, NOW)] == ["m3"]
        assert [r["id"] for r in open_urgent_alerts(s)] == ["m1"]


def test_open_urgent_alerts_are_counted_per_community(local_store: Store) -> None:
    put(local_store, "community", "c1", name="宁海路社区", street_id="s1")
    put(local_store, "community", "c2", name="湖南路社区", street_id="s1")
    put(local_store, "community", "c3", name="别的街道的社区", street_id="s2")
    put(local_store, "grid", "g1", name="第一网格", community_id="c1")
    put(local_store, "grid", "g2", name="第二网格", community_id="c2")
    for mid, grid, ticket_status in (("m1", "g1", "assigned"), ("m2", "g1", None),
                                     ("m3", "g2", "closed")):
        put(local_store, "inbox_message", mid, source="wechat", text="着火了", status="new",
            sent_at=NOW, urgent=True, grid_id=grid,
            ticket_id=f"t-{mid}" if ticket_status else None)
        if ticket_status:
            put(local_store, "ticket", f"t-{mid}", number=mid, title="火",
                category="public_safety", priority="urgent", status=ticket_status,
                grid_id=grid)
    with local_store.session() as s:
        # A supervisor: each community of the street, the closed one not counted.
        assert urgent_counts(s, None, "s1") == [("宁海路社区", 2), ("湖南路社区", 0)]
        assert urgent_counts(s, "c2", None) == [("湖南路社区", 0)]  # a clerk's own
        assert len(urgent_counts(s, None, None)) == 3  # an admin: every one held
        # By role (the 鼓宝 section and the dashboard): the role picks the place.
        assert urgent_counts_for(s, "supervisor", "c2", "s1") == urgent_counts(s, None, "s1")
        assert urgent_counts_for(s, "clerk", "c2", "s1") == [("湖南路社区", 0)]
        assert len(urgent_counts_for(s, "admin", None, None)) == 3


def test_places_each_role_may_write(local_store: Store) -> None:
    put(local_store, "street", "s1", name="湖南路街道")
    put(local_store, "street", "s2", name="宁海路街道")
    put(local_store, "community", "c1", name="宁海路社区", street_id="s1")
    put(local_store, "community", "c2", name="湖南路社区", street_id="s1")
    with local_store.session() as s:
        [own] = places_to_write(s, "clerk", "c1", "s1")
        assert (own["scope"], own["community_id"], own["name"]) == ("community", "c1", "宁海路社区")
        street = places_to_write(s, "supervisor", None, "s1")
        assert [(p["scope"], p["street_id"], p["community_id"]) for p in street] == [
            ("street", "s1", None), ("community", "s1", "c1"), ("community", "s1", "c2")]
        assert [p["scope"] for p in places_to_write(s, "admin", None, None)] == [
            "district", "street", "street"]
        assert places_to_write(s, "social_worker", "c1", "s1") == []
