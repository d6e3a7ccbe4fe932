"""Read helpers of the local store, and change sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.domain.workflows import Actor
from gulou_desk.store.changes import OUTBOX, ChangeSet
from gulou_desk.store.drafts import discard_draft, get_draft, list_drafts, save_draft
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import NotFound
from gulou_desk.store.queries import (
    get_record,
    household_count,
    household_page,
    residents_of,
)
from gulou_desk.store.rows import replace_row
from gulou_desk.store.usecases import create_record

GRID = "grid-1"
HOUSEHOLDS: list[tuple[str, dict[str, Any]]] = [
    ("h-1", {"estate": "汇林绿洲", "building": "1", "room": "101", "head_name": "张三",
             "phone": "13812345678", "address": "凤凰西街汇林绿洲1栋101"}),
    ("h-2", {"estate": "汇林绿洲", "building": "2", "room": "202", "head_name": "李四",
             "phone": "13900001111", "address": "凤凰西街汇林绿洲2栋202"}),
    ("h-3", {"estate": "南艺新村", "building": "5", "room": "301", "head_name": "王五",
             "phone": "02583331234", "address": "北京西路南艺新村5幢301"}),
    ("h-4", {"estate": "南艺新村", "building": "5", "room": "302", "head_name": "赵六",
             "phone": None, "address": "北京西路南艺新村5幢302 100%"}),
]
RESIDENTS = [
    ("r-1", "h-1", "张三", "户主"), ("r-2", "h-1", "孙小梅", "配偶"),
    ("r-3", "h-3", "王小明", "子"), ("r-4", "h-3", "王五", "户主"),
]


@pytest.fixture
def seeded(local_store: Store) -> Store:
    with local_store.write() as session:
        for hid, values in HOUSEHOLDS:
            replace_row(session, "household", hid,
                        {"grid_id": GRID, "status": "active", **values}, 100)
        for rid, hid, name, relation in RESIDENTS:
            replace_row(session, "resident", rid, {"household_id": hid, "name": name,
                                                   "relation": relation,
                                                   "status": "active"}, 100)
    return local_store


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


@pytest.mark.parametrize(("search", "expected"), [
    (None, ["h-3", "h-4", "h-1", "h-2"]),  # by estate, building, unit, room
    ("张三", ["h-1"]),  # head's name
    ("小梅", ["h-1"]),  # a resident's name
    ("王小明", ["h-3"]),
    ("凤凰西街", ["h-1", "h-2"]),  # address
    ("1390000", ["h-2"]),  # phone
    ("南艺 302", ["h-4"]),  # every word must match
    ("100%", ["h-4"]),  # LIKE wildcards are literal
    ("%", ["h-4"]),
    ("_", []),
    ("   ", ["h-3", "h-4", "h-1", "h-2"]),
])
def test_household_search(seeded: Store, search: str | None, expected: list[str]) -> None:
    with seeded.session() as session:
        assert ids(household_page(session, search=search)) == expected
        assert household_count(session, search=search) == len(expected)


def test_household_pages_do_not_overlap_and_can_sort(seeded: Store) -> None:
    with seeded.session() as session:
        first = household_page(session, offset=0, limit=3, order_by="head_name")
        second = household_page(session, offset=3, limit=3, order_by="head_name")
        assert len(first) == 3 and len(second) == 1
        assert set(ids(first)) | set(ids(second)) == {"h-1", "h-2", "h-3", "h-4"}
        assert ids(household_page(session, order_by=["-building", "room"])) == [
            "h-3", "h-4", "h-2", "h-1"]
        with pytest.raises(ValueError, match="ordered"):
            household_page(session, order_by="sync_version; DROP TABLE households")


def test_get_record_and_residents_are_plain_python_values(seeded: Store) -> None:
    with seeded.session() as session:
        household = get_record(session, "household", "h-1")
        residents = residents_of(session, "h-3")
        assert get_record(session, "household", "nope") is None
    assert isinstance(household, dict)
    assert household["head_name"] == "张三" and household["sync_version"] == 100
    assert [r["name"] for r in residents] == ["王五", "王小明"]  # the head first


def test_new_records_show_up_in_the_household_list(seeded: Store, worker: Actor) -> None:
    hid, _ = create_record(seeded, "household", {
        "grid_id": GRID, "estate": "汇林绿洲", "building": "9", "head_name": "钱七"},
        actor=worker)
    with seeded.session() as session:
        assert ids(household_page(session, search="钱七")) == [hid]


def test_drafts_are_kept_until_discarded(local_store: Store) -> None:
    at = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    draft_id, changes = save_draft(local_store, "visit", {"answers": {"a": 1}},
                                   record_id="v-1", now=at)
    assert changes.touches("drafts")
    save_draft(local_store, "visit", {"answers": {"a": 2}}, draft_id=draft_id,
               record_id="v-1", now=at + dt.timedelta(minutes=1))
    with local_store.session() as session:
        draft = get_draft(session, draft_id)
        assert draft is not None and draft.payload == {"answers": {"a": 2}}
        assert [d.id for d in list_drafts(session, "visit", record_id="v-1")] == [draft_id]
        assert list_drafts(session, "ticket") == []
    discard_draft(local_store, draft_id)
    with local_store.session() as session:
        assert get_draft(session, draft_id) is None
    with pytest.raises(NotFound):
        discard_draft(local_store, draft_id)


def test_change_sets_merge_and_answer_what_they_touch() -> None:
    a = ChangeSet.of("household", "h-1") | ChangeSet.tables(OUTBOX)
    b = ChangeSet.of("household", "h-2") | ChangeSet.of("resident", "r-1")
    merged = a | b
    assert merged.ids_of("household") == {"h-1", "h-2"}
    assert merged.touches("resident") and merged.touches(OUTBOX)
    assert not merged.touches("ticket")
    assert merged.touches_record("household", "h-2")
    assert not merged.touches_record("household", "h-9")
    assert merged.touches_record(OUTBOX, "anything")  # ids unknown: may have changed
    assert not ChangeSet() and merged
    assert ChangeSet.from_ids({"visit": ["v-1"]}) == ChangeSet.of("visit", "v-1")
    assert hash(merged) == hash(a | b)
    assert "household:2" in repr(merged)
