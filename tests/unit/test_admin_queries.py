"""The administration section's reads (staff with places and devices, covers, groups and
their waiting messages, the audit export's rows) and its offline steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.domain.workflows import Actor, WorkflowError
from gulou_desk.records import SHANGHAI
from gulou_desk.store.admin_queries import (
    audit_table,
    cover_rows,
    group_rows,
    places,
    staff_devices,
    staff_rows,
    waiting_messages,
)
from gulou_desk.store.engine import Store
from gulou_desk.store.rows import load_row, replace_row
from gulou_desk.store.usecases import run_action

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI)
ADMIN = Actor(id="a1", role="admin")


def put(store: Store, entity: str, rid: str, **values: Any) -> str:
    with store.write() as session:
        replace_row(session, entity, rid, values, 1)
    return rid


@pytest.fixture
def world(local_store: Store) -> Store:
    s = local_store
    put(s, "street", "s1", name="湖南路街道")
    put(s, "street", "s2", name="宁海路街道")
    put(s, "community", "c1", name="汇林绿洲社区", street_id="s1")
    put(s, "community", "c2", name="西康路社区", street_id="s2")
    put(s, "grid", "g1", name="汇林绿洲第1网格", community_id="c1", worker_ids=["w1"])
    put(s, "grid", "g2", name="汇林绿洲第2网格", community_id="c1", worker_ids=["w1"])
    put(s, "grid", "g9", name="西康第1网格", community_id="c2", worker_ids=[])
    put(s, "staff", "w1", username="worker1", display_name="姜勇", role="social_worker",
        community_id="c1", street_id="s1", active=True)
    put(s, "staff", "w2", username="former1", display_name="孙立群", role="social_worker",
        community_id="c1", street_id="s1", active=False)
    put(s, "staff", "k1", username="clerk1", display_name="陈佳琪", role="clerk",
        community_id="c1", street_id="s1", active=True)
    put(s, "staff", "a1", username="admin", display_name="系统管理员", role="admin",
        active=True)
    put(s, "device", "d1", staff_id="w1", device_id="x", name="笔记本", status="active",
        last_seen_at=NOW)
    put(s, "device", "d2", staff_id="w1", device_id="y", name="旧电脑", status="revoked",
        last_seen_at=NOW - dt.timedelta(days=9))
    put(s, "cover", "cv1", staff_id="w1", grid_id="g9", starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 9), status="active", note="休假")
    put(s, "wechat_group", "wg1", group_id="wx-1", name="7号院居民群", waiting=2)
    put(s, "wechat_group", "wg2", group_id="wx-2", name="1网格群", grid_id="g1", waiting=0)
    put(s, "inbox_message", "m1", source="wechat", group_id="wx-1", text="路灯坏了",
        sent_at=NOW, status="new", sender_name="老陈")
    put(s, "inbox_message", "m2", source="wechat", group_id="wx-1", grid_id="g1",
        text="已分派", sent_at=NOW, status="new")
    return s


def test_staff_rows_carry_places_devices_and_put_disabled_last(world: Store) -> None:
    with world.session() as s:
        rows = staff_rows(s)
        assert [r.username for r in rows] == ["worker1", "admin", "clerk1", "former1"]
        worker = rows[0]
        assert worker.grid_names == ("汇林绿洲第1网格", "汇林绿洲第2网格")
        assert worker.community_name == "汇林绿洲社区" and worker.devices == 1
        assert worker.last_seen_at == NOW
        assert [r.username for r in staff_rows(s, "孙")] == ["former1"]
        assert [r.username for r in staff_rows(s, role="clerk")] == ["clerk1"]
        assert staff_rows(s, street_id="s2") == []
        assert [d.id for d in staff_devices(s, "w1")] == ["d1", "d2"]


def test_places_covers_groups_and_waiting_messages(world: Store) -> None:
    with world.session() as s:
        grids, communities = places(s, "s1")
        assert [g.id for g in grids] == ["g1", "g2"] and [c.id for c in communities] == ["c1"]
        assert len(places(s)[0]) == 3
        [cover] = cover_rows(s)
        assert (cover.staff_name, cover.grid_name, cover.status) == ("姜勇", "西康第1网格",
                                                                     "active")
        assert [g.group_id for g in group_rows(s)] == ["wx-1", "wx-2"]  # unmapped first
        assert [g.group_id for g in group_rows(s, unmapped_only=True)] == ["wx-1"]
        assert [m["id"] for m in waiting_messages(s, "wx-1")] == ["m1"]


def test_audit_rows_read_as_text() -> None:
    rows = audit_table([{"at": "2026-12-04T10:00:00+08:00", "staff_id": "w1", "op": "update",
                         "entity": "resident", "record_id": "r1", "fields": ["phone", "tags"],
                         "changes": {"phone": {"old": None, "new": "139"},
                                     "tags": {"old": ["低保"], "new": ["低保", "独居老人"]}}}],
                       {"w1": "姜勇"}, {"update": "修改"}, {"resident": "居民"})
    assert rows == [["2026-12-04 10:00:00", "姜勇", "修改", "居民", "r1", "phone, tags",
                     "phone: — → 139; tags: 低保 → 低保、独居老人"]]


def test_offline_steps_show_their_change_at_once_and_refuse_what_the_server_would(
        world: Store) -> None:
    run_action(world, "staff", "w1", "disable", {}, actor=ADMIN, now=NOW)
    with world.session() as s:
        assert load_row(s, "staff", "w1")["active"] is False
    with pytest.raises(WorkflowError):
        run_action(world, "staff", "w1", "disable", {}, actor=ADMIN, now=NOW)
    with pytest.raises(WorkflowError) as refused:
        run_action(world, "staff", "k1", "reset_password", {"password": "short"},
                   actor=ADMIN, now=NOW)
    assert refused.value.details["field"] == "password"
    worker = Actor(id="w1", role="social_worker")
    with pytest.raises(WorkflowError) as forbidden:
        run_action(world, "cover", "cv1", "end", {}, actor=worker, now=NOW)
    assert forbidden.value.code == "forbidden"
    run_action(world, "wechat_group", "wg1", "map", {"grid_id": "g1"}, actor=ADMIN, now=NOW)
    with world.session() as s:
        assert load_row(s, "wechat_group", "wg1")["grid_id"] == "g1"
    with pytest.raises(WorkflowError):
        run_action(world, "staff", "a1", "disable", {}, actor=ADMIN, now=NOW)  # self
