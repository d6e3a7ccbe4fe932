"""The register's search: names, pinyin, initials, polyphonic surnames, addresses, phones,
ID numbers; ranking, filters, sorting, paging; and an index that follows every write
(use cases, pulled pages, undone edits, an upgrade)."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.domain import cadence
from gulou_desk.domain.ids import make_id_number
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import SHANGHAI
from gulou_desk.store import bulk_load, outbox, search, search_index
from gulou_desk.store.engine import Store, open_store
from gulou_desk.store.search import (
    HouseholdHit,
    MatchKind,
    SearchFilters,
    TermKind,
    VisitFilter,
    count_households,
    filter_choices,
    parse_query,
    search_households,
)
from gulou_desk.store.search_names import name_keys
from gulou_desk.store.usecases import create_record, delete_record, update_record
from sync.apply import apply_page
from sync.wire import Change
from tests.stores import new_store

GRID = "grid-1"
OTHER_GRID = "grid-2"
TODAY = dt.date(2026, 11, 30)


def household(store: Store, actor: Actor, head: str, **values: Any) -> str:
    fields = {"grid_id": GRID, "estate": "颐和新村", "building": "3", "unit": "2",
              "room": "301", "head_name": head, "phone": "13812345678", **values}
    hid, _ = create_record(store, "household", fields, actor=actor)
    return hid


def resident(store: Store, actor: Actor, household_id: str, name: str, **values: Any) -> str:
    rid, _ = create_record(store, "resident", {
        "household_id": household_id, "name": name, "relation": "子女", **values},
        actor=actor)
    return rid


def find(store: Store, text: str, **kw: Any) -> list[HouseholdHit]:
    kw.setdefault("today", TODAY)
    with store.session() as session:
        return search_households(session, text, **kw)


def heads(store: Store, text: str, **kw: Any) -> list[str]:
    return [h.head_name for h in find(store, text, **kw)]


def count(store: Store, text: str, **kw: Any) -> int:
    kw.setdefault("today", TODAY)
    with store.session() as session:
        return count_households(session, text, **kw)


def dirty(store: Store) -> int:
    with store.session() as session:
        return search_index.dirty_count(session)


# --- names ----------------------------------------------------------------------------


def test_chinese_name_exact_before_prefix(local_store: Store, worker: Actor) -> None:
    household(local_store, worker, "张三丰")
    household(local_store, worker, "张三")
    household(local_store, worker, "李四")
    hits = find(local_store, "张三")
    assert [(h.head_name, h.match) for h in hits] == [
        ("张三", MatchKind.HEAD_EXACT), ("张三丰", MatchKind.HEAD_PREFIX)]
    assert heads(local_store, "张") == ["张三丰", "张三"]  # both prefixes: first indexed first
    assert heads(local_store, "李四") == ["李四"]
    assert heads(local_store, "王") == []


def test_full_pinyin_and_initials(local_store: Store, worker: Actor) -> None:
    household(local_store, worker, "张三")
    household(local_store, worker, "周松")
    assert [(h.head_name, h.match) for h in find(local_store, "zhangsan")] == [
        ("张三", MatchKind.HEAD_EXACT)]
    assert [(h.head_name, h.match) for h in find(local_store, "zs")] == [
        ("张三", MatchKind.HEAD_INITIALS), ("周松", MatchKind.HEAD_INITIALS)]
    # Spaces between syllables, capitals, full-width letters: the same.
    for typed in ("zhang san", "ZhangSan", "ｚｈａｎｇｓａｎ"):
        assert heads(local_store, typed) == ["张三"], typed
    assert heads(local_store, "zhs") == ["张三", "周松"]  # zh typed in full
    assert heads(local_store, "zhsa") == []
    assert heads(local_store, "san") == ["张三"]  # the given name alone
    assert find(local_store, "san")[0].match is MatchKind.HEAD_PART


def test_typing_one_character_at_a_time_keeps_finding_the_person(
        local_store: Store, worker: Actor) -> None:
    household(local_store, worker, "赵敏")
    target = household(local_store, worker, "张三")
    for typed in ("z", "zh", "zha", "zhan", "zhang", "zhangs", "zhangsa", "zhangsan"):
        ids = [h.id for h in find(local_store, typed)]
        assert target in ids, typed
    assert [h.id for h in find(local_store, "zhangsan")] == [target]
    assert heads(local_store, "z") == ["赵敏", "张三"]
    assert heads(local_store, "zhao") == ["赵敏"]


@pytest.mark.parametrize(("name", "full", "initials"), [
    ("单丽", "shanli", "sl"),
    ("曾国强", "zengguoqiang", "zgq"),
    ("解放", "xiefang", "xf"),
    ("仇建", "qiujian", "qj"),
    ("查良镛", "zhaliangyong", "zly"),
    ("区小明", "ouxiaoming", "oxm"),
    ("朴树", "piaoshu", "ps"),
    ("盖伟", "gewei", "gw"),
    ("覃红", "qinhong", "qh"),
    ("尉迟恭", "yuchigong", "ycg"),
    ("欧阳修", "ouyangxiu", "oyx"),
])
def test_polyphonic_surnames_are_read_as_surnames(
        local_store: Store, worker: Actor, name: str, full: str, initials: str) -> None:
    hid = household(local_store, worker, name)
    household(local_store, worker, "王五")
    assert [(h.id, h.match) for h in find(local_store, full)] == [
        (hid, MatchKind.HEAD_EXACT)]
    assert [(h.id, h.match) for h in find(local_store, initials)] == [
        (hid, MatchKind.HEAD_INITIALS)]
    assert name_keys(name).sort_key.replace(" ", "") == full


def test_the_everyday_reading_of_an_ambiguous_surname_finds_it_too(
        local_store: Store, worker: Actor) -> None:
    hid = household(local_store, worker, "单丽")
    household(local_store, worker, "覃红")
    assert [h.id for h in find(local_store, "danli")] == [hid]  # 单 read dan
    assert [h.id for h in find(local_store, "dl")] == [hid]
    assert heads(local_store, "tanhong") == ["覃红"]  # both real surname readings
    assert heads(local_store, "shan") == ["单丽"]  # typing the surname reading


def test_name_keys_of_unusual_names() -> None:
    keys = name_keys("阿依古丽·买买提")
    assert "ayigulimaimaiti" in keys.full
    assert "买买提" in keys.parts and "maimaiti" in keys.parts
    assert name_keys("John Smith").full == ("johnsmith",)
    assert name_keys("").full == ()
    assert name_keys("  ").full == ()


# --- addresses, phones, ID numbers ----------------------------------------------------


def test_address_fragments(local_store: Store, worker: Actor) -> None:
    household(local_store, worker, "甲", building="3", unit="2", room="301")
    household(local_store, worker, "乙", building="3", unit="1", room="302")
    household(local_store, worker, "丙", building="13", unit="2", room="1201")
    household(local_store, worker, "丁", estate="汇林绿洲", building="5", unit="1",
              room="101")
    assert heads(local_store, "3栋2单元") == ["甲"]
    assert heads(local_store, "3栋") == ["甲", "乙"]
    assert heads(local_store, "3号楼") == ["甲", "乙"]  # 号楼 and 幢 mean 栋
    assert heads(local_store, "3幢 2单元") == ["甲"]
    assert heads(local_store, "13栋") == ["丙"]
    assert heads(local_store, "3栋2单元301") == ["甲"]
    assert heads(local_store, "1201") == ["丙"]
    assert heads(local_store, "1201室") == ["丙"]
    assert heads(local_store, "汇林绿洲") == ["丁"]
    assert heads(local_store, "绿洲") == ["丁"]  # the end of an estate's name
    assert heads(local_store, "颐和") == ["甲", "乙", "丙"]
    assert heads(local_store, "颐和新村 13栋") == ["丙"]
    assert {h.match for h in find(local_store, "3栋")} == {MatchKind.ADDRESS}


def test_an_address_given_only_as_text_is_found_by_its_parts(
        local_store: Store, worker: Actor) -> None:
    household(local_store, worker, "戊", estate="宁海路", building=None, unit=None, room=None,
              address="南京市鼓楼区宁海路8号楼4单元602室")
    assert heads(local_store, "8栋4单元") == ["戊"]
    assert heads(local_store, "602") == ["戊"]
    household(local_store, worker, "己", building="7幢", unit="1单元", room="101")
    assert heads(local_store, "7栋1单元") == ["己"]  # the unit words typed into the fields


def test_phone_any_part_of_at_least_four_digits(local_store: Store, worker: Actor) -> None:
    a = household(local_store, worker, "甲", phone="13812345678", room="101")
    b = household(local_store, worker, "乙", phone="025-86661111", room="102")
    c = household(local_store, worker, "丙", phone=None, room="103")
    resident(local_store, worker, c, "丙小妹", phone="13955557777")
    for part in ("1381", "1234", "5678", "8123", "13812345678"):
        assert [h.id for h in find(local_store, part)] == [a], part
    assert [h.id for h in find(local_store, "86661111")] == [b]
    assert [h.id for h in find(local_store, "02586661111")] == [b]
    [hit] = find(local_store, "5557")
    assert (hit.id, hit.match, hit.matched_name) == (c, MatchKind.PHONE, "丙小妹")
    assert find(local_store, "123") == []  # three digits are no phone search


def test_a_phone_typed_in_groups_is_one_number(local_store: Store, worker: Actor) -> None:
    """Issue 10: ``189 4013 8000`` found nothing (three words, the first too short)."""
    a = household(local_store, worker, "甲", phone="18940138000", room="101")
    b = household(local_store, worker, "乙", phone="025-86661111", room="102")
    c = household(local_store, worker, "丙", phone=None, room="103")
    resident(local_store, worker, c, "丙小妹", phone="13955557777")
    for typed in ("189 4013 8000", "189-4013-8000", "１８９ ４０１３ ８０００", "4013 8000"):
        assert [h.id for h in find(local_store, typed)] == [a], typed
    assert [h.id for h in find(local_store, "025-8666-1111")] == [b]
    [hit] = find(local_store, "139 5555 7777")
    assert (hit.id, hit.match, hit.matched_name) == (c, MatchKind.PHONE, "丙小妹")


def test_an_address_jotted_with_hyphens_is_building_unit_and_flat(
        local_store: Store, worker: Actor) -> None:
    a = household(local_store, worker, "甲", building="12", unit="1", room="302")
    household(local_store, worker, "乙", building="12", unit="1", room="303")
    household(local_store, worker, "丙", building="12", unit="2", room="302")
    household(local_store, worker, "丁", building="1", unit="12", room="302")
    assert [h.id for h in find(local_store, "12-1-302")] == [a]
    assert heads(local_store, "12栋1单元") == ["甲", "乙"]
    assert sorted(heads(local_store, "12-302")) == ["丙", "甲"]
    assert [(t.text, t.kind) for t in parse_query("12-1-302")] == [
        ("12栋", TermKind.PLACE), ("1单元", TermKind.PLACE), ("302室", TermKind.PLACE)]
    # Fewer than seven digits in groups with spaces stay separate words.
    assert [t.text for t in parse_query("3 2单元")] == ["3", "2单元"]


def test_last_four_of_an_id_number(local_store: Store, worker: Actor) -> None:
    hid = household(local_store, worker, "王五")
    household(local_store, worker, "赵六")
    born = dt.date(1950, 3, 7)
    number = make_id_number("320106", born, 17, "male")
    resident(local_store, worker, hid, "王小五", id_number=number, gender="male",
             birth_date=born)
    [hit] = find(local_store, number[-4:])
    assert (hit.id, hit.match, hit.matched_name) == (hid, MatchKind.ID_NUMBER, "王小五")
    assert [h.id for h in find(local_store, number)] == [hid]  # the whole number
    assert [h.id for h in find(local_store, number[:15])] == [hid]  # most of it
    assert [h.id for h in find(local_store, number[:6])] == []  # a region code is no ID
    assert [h.id for h in find(local_store, number[:14])] == []  # nor region + birth date


def test_an_id_ending_in_x_is_found_typed_either_way(local_store: Store, worker: Actor) -> None:
    hid = household(local_store, worker, "钱七")
    born = dt.date(1961, 1, 1)
    number = next(n for n in (make_id_number("320106", born, seq, "female")
                              for seq in range(0, 400, 2)) if n.endswith("X"))
    resident(local_store, worker, hid, "钱小七", id_number=number, gender="female",
             birth_date=born)
    for typed in (number[-4:], number[-4:].lower()):
        assert [h.id for h in find(local_store, typed)] == [hid], typed


# --- ranking --------------------------------------------------------------------------


def test_ranking_exact_then_prefix_then_initials_then_residents_then_address(
        local_store: Store, worker: Actor) -> None:
    by_resident_exact = household(local_store, worker, "王五", estate="西康小区")
    resident(local_store, worker, by_resident_exact, "李梅")
    by_address = household(local_store, worker, "赵六", estate="李梅园")
    by_prefix = household(local_store, worker, "李梅花", estate="西康小区")
    by_resident_prefix = household(local_store, worker, "孙八", estate="西康小区")
    resident(local_store, worker, by_resident_prefix, "李梅芳")
    by_exact = household(local_store, worker, "李梅", estate="西康小区")
    hits = find(local_store, "李梅")
    assert [(h.id, h.match) for h in hits] == [
        (by_exact, MatchKind.HEAD_EXACT),
        (by_prefix, MatchKind.HEAD_PREFIX),
        (by_resident_exact, MatchKind.RESIDENT_EXACT),
        (by_resident_prefix, MatchKind.RESIDENT_PREFIX),
        (by_address, MatchKind.ADDRESS),
    ]
    assert hits[2].matched_name == "李梅"
    assert hits[3].matched_name == "李梅芳"
    assert hits[0].matched_name is None


def test_head_initials_before_a_resident_with_those_initials(
        local_store: Store, worker: Actor) -> None:
    by_resident = household(local_store, worker, "王五")
    resident(local_store, worker, by_resident, "刘明")
    by_head = household(local_store, worker, "李敏")
    hits = find(local_store, "lm")
    assert [(h.id, h.match) for h in hits] == [
        (by_head, MatchKind.HEAD_INITIALS), (by_resident, MatchKind.RESIDENT_INITIALS)]
    assert hits[1].matched_name == "刘明"


def test_a_household_is_listed_once_at_its_best_rank(local_store: Store, worker: Actor) -> None:
    hid = household(local_store, worker, "张三")
    resident(local_store, worker, hid, "张三")  # the head as a resident too
    resident(local_store, worker, hid, "张三丰")
    assert [(h.id, h.match) for h in find(local_store, "张三")] == [
        (hid, MatchKind.HEAD_EXACT)]
    assert count(local_store, "张三") == 1


def test_paging_through_ranks_neither_skips_nor_repeats(local_store: Store,
                                                        worker: Actor) -> None:
    for i in range(7):
        household(local_store, worker, "张伟" if i % 3 == 0 else f"张{'一二三四五六七'[i]}明",
                  room=f"{i + 1}01")
    for i in range(4):
        hid = household(local_store, worker, f"王{'甲乙丙丁'[i]}", room=f"{i + 1}02")
        resident(local_store, worker, hid, "张伟")
    everything = [h.id for h in find(local_store, "zhang", limit=100)]
    assert len(everything) == len(set(everything)) == 11 == count(local_store, "zhang")
    for size in (1, 2, 3, 5):
        paged = []
        for offset in range(0, 12, size):
            paged += [h.id for h in find(local_store, "zhang", limit=size, offset=offset)]
        assert paged == everything, size
    ranked = find(local_store, "zhangwei", limit=100)
    assert [h.match for h in ranked] == [MatchKind.HEAD_EXACT] * 3 + [
        MatchKind.RESIDENT_EXACT] * 4


def test_more_words_narrow_the_first_words_ranking(local_store: Store, worker: Actor) -> None:
    household(local_store, worker, "张三", building="3")
    household(local_store, worker, "张三", building="5")
    household(local_store, worker, "张三丰", building="5")
    hits = find(local_store, "zhangsan 5栋")
    assert [(h.head_name, h.building, h.match) for h in hits] == [
        ("张三", "5", MatchKind.HEAD_EXACT), ("张三丰", "5", MatchKind.HEAD_PREFIX)]
    assert count(local_store, "zhangsan 5栋") == 2
    assert heads(local_store, "5栋 zs") == ["张三", "张三丰"]  # the address ranks now


@pytest.mark.parametrize("typed", [
    "", "   ", "!!!", '"', "*", "zs*", "AND", "OR NOT", "NEAR(a b)", "{head}:", "^", "(",
    "'; DROP TABLE households; --", "张" * 300, "z" * 5000, "1" * 300, "😀", "\x00",
])
def test_odd_input_never_fails(local_store: Store, worker: Actor, typed: str) -> None:
    household(local_store, worker, "张三")
    hits = find(local_store, typed)
    assert isinstance(hits, list)
    assert count(local_store, typed) == len(find(local_store, typed, limit=1000))


def test_the_query_is_split_into_words() -> None:
    assert [(t.text, t.kind) for t in parse_query("张 3栋2单元 zhang san 1234 123x")] == [
        ("张", "han"), ("3栋", "place"), ("2单元", "place"), ("zhangsan", "latin"),
        ("1234", "number"), ("123x", "number")]
    assert [t.text for t in parse_query("颐和新村3幢")] == ["颐和新村", "3栋"]


# --- what a hit says ------------------------------------------------------------------


def test_a_hit_carries_the_visit_state_and_open_tickets(
        local_store: Store, worker: Actor) -> None:
    last = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
    hid = pull_household(local_store, "h-1", head_name="独居的", tags=["独居老人"],
                         last_visit_at=last)
    create_record(local_store, "ticket", {"title": "漏水", "category": "other",
                                          "grid_id": GRID, "household_id": hid},
                  actor=worker)
    [hit] = find(local_store, "独居的")
    assert hit.due == cadence.visit_due(last, None, ["独居老人"], TODAY)
    assert hit.due.state is cadence.VisitState.OVERDUE
    assert hit.open_tickets == 1
    assert hit.tags == ("独居老人",)
    assert hit.last_visit_at == last


# --- filters and sorting --------------------------------------------------------------

VERSION = iter(range(1, 1_000_000))


def pull(store: Store, *changes: Change) -> None:
    with store.write() as session:
        apply_page(session, list(changes), f"cursor-{next(VERSION)}")


def upsert(entity: str, record_id: str, **values: Any) -> Change:
    spec = records.entity(entity)
    full = {f.name: f.empty_value() for f in spec.fields}
    full.update(values)
    return Change(entity=entity, id=record_id, op="upsert", version=next(VERSION),
                  data=records.to_wire(spec, full))


def pull_household(store: Store, hid: str, **values: Any) -> str:
    data = {"grid_id": GRID, "estate": "颐和新村", "building": "3", "unit": "2",
            "room": "301", "head_name": "某某", "status": "active", "tags": [], **values}
    pull(store, upsert("household", hid, **data))
    return hid


def days_ago(days: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(10),
                               tzinfo=SHANGHAI)


@pytest.fixture
def register(local_store: Store) -> Store:
    pull(local_store,
         upsert("grid", GRID, community_id="c", name="一网格"),
         upsert("grid", OTHER_GRID, community_id="c", name="二网格"))
    pull_household(local_store, "h-alone", head_name="孤老", tags=["独居老人", "低保"],
                   last_visit_at=days_ago(10))  # due 7 days after: overdue
    pull_household(local_store, "h-dibao", head_name="低保户", tags=["低保"], building="5",
                   last_visit_at=days_ago(27))  # due in 3 days: this week
    pull_household(local_store, "h-plain", head_name="普通户", building="10",
                   last_visit_at=days_ago(5))  # due in 85 days
    pull_household(local_store, "h-never", head_name="新户", grid_id=OTHER_GRID,
                   tags=["残疾"])  # never visited
    pull_household(local_store, "h-today", head_name="今天户", tags=["残疾"],
                   estate="汇林绿洲", last_visit_at=days_ago(30))  # due today
    pull_household(local_store, "h-gone", head_name="搬走户", status="moved_out",
                   last_visit_at=days_ago(200))
    pull(local_store,
         upsert("ticket", "t-open", title="漏水", category="other", status="in_progress",
                grid_id=GRID, household_id="h-plain"),
         upsert("ticket", "t-closed", title="路灯", category="other", status="closed",
                grid_id=GRID, household_id="h-alone"))
    return local_store


def ids(store: Store, text: str = "", **kw: Any) -> list[str]:
    return [h.id for h in find(store, text, limit=100, **kw)]


def test_filters(register: Store) -> None:
    everyone = {"h-alone", "h-dibao", "h-plain", "h-never", "h-today", "h-gone"}
    assert set(ids(register)) == everyone
    assert set(ids(register, filters=SearchFilters(grid_ids=[OTHER_GRID]))) == {"h-never"}
    assert set(ids(register, filters=SearchFilters(grid_ids=[]))) == set()
    assert ids(register, filters=SearchFilters(estate="颐和新村", building="5")) == ["h-dibao"]
    assert set(ids(register, filters=SearchFilters(tags=["低保"]))) == {"h-alone", "h-dibao"}
    assert ids(register, filters=SearchFilters(tags=["低保", "独居老人"])) == ["h-alone"]
    assert set(ids(register, filters=SearchFilters(tags=["残疾"]))) == {"h-never", "h-today"}
    assert ids(register, filters=SearchFilters(open_tickets=True)) == ["h-plain"]
    assert "h-plain" not in ids(register, filters=SearchFilters(open_tickets=False))
    assert "h-alone" in ids(register, filters=SearchFilters(open_tickets=False))
    assert "h-gone" not in ids(register, filters=SearchFilters(statuses=["active"]))
    active = {"statuses": ["active"]}
    assert set(ids(register, filters=SearchFilters(visit=VisitFilter.OVERDUE, **active))) \
        == {"h-alone"}
    assert set(ids(register, filters=SearchFilters(visit=VisitFilter.DUE, **active))) == {
        "h-alone", "h-never", "h-today"}
    assert set(ids(register, filters=SearchFilters(visit=VisitFilter.DUE_THIS_WEEK,
                                                   **active))) == {
        "h-alone", "h-never", "h-today", "h-dibao"}
    # A filter with a search text, and the count agrees.
    filters = SearchFilters(visit=VisitFilter.DUE, statuses=["active"])
    assert ids(register, "新户", filters=filters) == ["h-never"]
    assert ids(register, "普通户", filters=filters) == []
    with register.session() as session:
        assert count_households(session, "", filters=filters, today=TODAY) == 3
        assert count_households(session, "hu", filters=filters, today=TODAY) == 2


def test_visit_filters_agree_with_cadence_on_every_day(register: Store) -> None:
    for offset in range(-3, 40):
        today = TODAY + dt.timedelta(days=offset)
        for hit in find(register, "", limit=100, today=today):
            for visit_filter, states in (
                    (VisitFilter.OVERDUE, {cadence.VisitState.OVERDUE}),
                    (VisitFilter.DUE, {cadence.VisitState.OVERDUE,
                                       cadence.VisitState.NEVER_VISITED,
                                       cadence.VisitState.DUE_TODAY}),
                    (VisitFilter.DUE_THIS_WEEK, {cadence.VisitState.OVERDUE,
                                                 cadence.VisitState.NEVER_VISITED,
                                                 cadence.VisitState.DUE_TODAY,
                                                 cadence.VisitState.DUE_THIS_WEEK})):
                listed = hit.id in ids(register, filters=SearchFilters(visit=visit_filter),
                                       today=today)
                assert listed == (hit.due.state in states), (today, hit.id, visit_filter)


def test_sort_columns(register: Store) -> None:
    by_name = [h.head_name for h in find(register, "", sort="head_name", limit=100)]
    # By pinyin: banzou (搬走) … xinhu (新户)
    assert by_name == ["搬走户", "低保户", "孤老", "今天户", "普通户", "新户"]
    assert ids(register, sort="due_date")[0] == "h-never"  # never visited: due first
    assert ids(register, sort="-due_date")[0] == "h-plain"
    assert ids(register, sort="address") == [
        "h-today",  # 汇林绿洲 before 颐和新村 (huilin < yihe)
        "h-alone", "h-never", "h-gone", "h-dibao", "h-plain"]  # buildings 3, 3, 3, 5, 10
    assert ids(register, "hu", sort="head_name") == ["h-gone", "h-dibao", "h-today",
                                                     "h-plain", "h-never"]
    assert ids(register, sort=["grid", "head_name"])[-1] == "h-never"  # 二网格 sorts last
    with pytest.raises(ValueError, match="cannot be sorted"):
        find(register, "", sort="id_number; DROP TABLE")


def test_filter_choices(register: Store) -> None:
    with register.session() as session:
        choices = filter_choices(session)
    assert choices.grids == ((GRID, "一网格"), (OTHER_GRID, "二网格"))
    assert choices.buildings == {"汇林绿洲": ("3",), "颐和新村": ("3", "5", "10")}
    assert choices.tags[:len(records.HOUSEHOLD_TAGS)] == records.HOUSEHOLD_TAGS


# --- the index follows every write ----------------------------------------------------


def test_index_follows_edits_through_the_use_cases(local_store: Store, worker: Actor) -> None:
    hid = household(local_store, worker, "张三")
    assert heads(local_store, "zs") == ["张三"] and dirty(local_store) == 0
    update_record(local_store, "household", hid, {"head_name": "曾国强"}, actor=worker)
    assert heads(local_store, "zs") == []
    assert heads(local_store, "zgq") == ["曾国强"]
    update_record(local_store, "household", hid, {"building": "7"}, actor=worker)
    assert heads(local_store, "7栋") == ["曾国强"] and heads(local_store, "3栋") == []
    rid = resident(local_store, worker, hid, "单丽", phone="13700001111")
    assert [(h.head_name, h.matched_name) for h in find(local_store, "shanli")] == [
        ("曾国强", "单丽")]
    assert heads(local_store, "0000") == ["曾国强"]
    update_record(local_store, "resident", rid, {"name": "解放", "phone": "13722223333"},
                  actor=worker)
    assert heads(local_store, "shanli") == [] and heads(local_store, "0000") == []
    assert heads(local_store, "xiefang") == ["曾国强"] and heads(local_store, "2222") == [
        "曾国强"]
    delete_record(local_store, "resident", rid, actor=worker)
    assert heads(local_store, "xiefang") == []
    delete_record(local_store, "household", hid, actor=worker)
    assert heads(local_store, "zgq") == [] and count(local_store, "") == 0
    assert dirty(local_store) == 0


def fts_docs(store: Store, table: str, expr: str) -> list[int]:
    """The rowids the FTS5 table ``table`` itself matches for ``expr`` (no search_docs)."""
    with store.session() as session:
        return list(session.execute(sa.text(
            f"SELECT rowid FROM {table} WHERE {table} MATCH :expr"), {"expr": expr}).scalars())


def test_an_edit_or_a_delete_leaves_no_old_token_in_the_fts_tables(
        local_store: Store, worker: Actor) -> None:
    """The FTS5 tables delete a row by rowid (migration 0019): what a household said
    before an edit, and all of it after a delete, is gone from both tables."""
    hid = household(local_store, worker, "张三")
    rid = resident(local_store, worker, hid, "单丽", phone="13700001111",
                   id_number=make_id_number("320106", dt.date(1950, 3, 7), 17, "male"))
    [doc] = fts_docs(local_store, "household_fts", "shanli")
    assert fts_docs(local_store, "household_phones", '"0000"') == [doc]
    update_record(local_store, "resident", rid, {"name": "解放", "phone": "13722223333",
                                                 "id_number": None}, actor=worker)
    assert fts_docs(local_store, "household_fts", "shanli") == []
    assert fts_docs(local_store, "household_fts", "xiefang") == [doc]
    assert fts_docs(local_store, "household_phones", '"0000"') == []
    assert fts_docs(local_store, "household_numbers", "{ids}: 320106*") == []
    assert fts_docs(local_store, "household_phones", '"2222"') == [doc]
    delete_record(local_store, "resident", rid, actor=worker)
    delete_record(local_store, "household", hid, actor=worker)
    for table, expr in (("household_fts", "zs OR zhangsan OR 颐和新村 OR 3栋"),
                        ("household_phones", '"5678" OR "2222"'),
                        ("household_numbers", "{ids}: 320106*")):
        assert fts_docs(local_store, table, expr) == [], table
    with local_store.session() as session:
        assert session.execute(sa.text("SELECT count(*) FROM search_docs")).scalar() == 0


def test_a_resident_moving_to_another_household_moves_in_the_index(
        local_store: Store, worker: Actor) -> None:
    first = household(local_store, worker, "甲")
    second = household(local_store, worker, "乙")
    rid = resident(local_store, worker, first, "李梅")
    assert [h.id for h in find(local_store, "李梅")] == [first]
    update_record(local_store, "resident", rid, {"household_id": second}, actor=worker)
    assert [h.id for h in find(local_store, "李梅")] == [second]


def test_index_follows_pulled_pages(local_store: Store) -> None:
    pull(local_store,
         upsert("household", "h-1", grid_id=GRID, estate="颐和新村", building="3",
                head_name="张三", status="active", tags=[]),
         upsert("resident", "r-1", household_id="h-1", name="李梅", status="active"))
    assert [(h.id, h.match) for h in find(local_store, "lm")] == [
        ("h-1", MatchKind.RESIDENT_INITIALS)]
    # Residents arrive in a later page than their household (as in a first sync).
    pull(local_store, upsert("household", "h-2", grid_id=GRID, estate="西康小区",
                             head_name="王五", status="active", tags=[]))
    pull(local_store, upsert("resident", "r-2", household_id="h-2", name="赵六",
                             phone="13566667777", status="active"))
    assert [h.id for h in find(local_store, "6666")] == ["h-2"]
    # Another user renamed the head; the household was deleted; the resident revoked.
    pull(local_store, upsert("household", "h-1", grid_id=GRID, estate="颐和新村",
                             building="3", head_name="张四", status="active", tags=[]))
    assert heads(local_store, "zhangsan") == [] and heads(local_store, "zhangsi") == ["张四"]
    pull(local_store, Change(entity="resident", id="r-2", op="revoke"))
    assert find(local_store, "6666") == []
    pull(local_store, Change(entity="household", id="h-1", op="delete", version=9999))
    assert find(local_store, "zhangsi") == []
    assert heads(local_store, "") == ["王五"]
    assert dirty(local_store) == 0


def test_one_page_that_touches_a_household_many_times(local_store: Store) -> None:
    pull(local_store, upsert("household", "h-1", grid_id=GRID, estate="颐和新村",
                             head_name="张三", status="active", tags=[]))
    # Its visit, two residents and a new copy of it, all in one page (one transaction):
    # each write notes the household again; the sync engine's upserts must not trip.
    pull(local_store,
         upsert("visit", "v-1", household_id="h-1", worker_id="w", template_id="t",
                template_version=1, visited_at=dt.datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)),
         upsert("resident", "r-1", household_id="h-1", name="李梅", status="active"),
         upsert("resident", "r-2", household_id="h-1", name="李雷", status="active"),
         upsert("household", "h-1", grid_id=GRID, estate="颐和新村", head_name="张四",
                status="active", tags=[]))
    pull(local_store,
         upsert("resident", "r-1", household_id="h-1", name="李梅梅", status="active"),
         upsert("resident", "r-2", household_id="h-1", name="李雷雷", status="active"),
         upsert("household", "h-1", grid_id=GRID, estate="颐和新村", head_name="张五",
                status="active", tags=[]))
    assert heads(local_store, "zhangwu") == ["张五"]
    assert [h.matched_name for h in find(local_store, "lilei")] == ["李雷雷"]
    [hit] = find(local_store, "张五")
    assert hit.last_visit_at == dt.datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)
    assert dirty(local_store) == 0


def test_an_older_pulled_copy_does_not_change_the_index(local_store: Store) -> None:
    pull(local_store, Change(entity="household", id="h-1", op="upsert", version=50, data={
        **records.to_wire(records.HOUSEHOLD, {"grid_id": GRID, "estate": "颐和新村",
                                              "head_name": "新名字", "status": "active"})}))
    pull(local_store, Change(entity="household", id="h-1", op="upsert", version=40, data={
        **records.to_wire(records.HOUSEHOLD, {"grid_id": GRID, "estate": "颐和新村",
                                              "head_name": "旧名字", "status": "active"})}))
    assert heads(local_store, "新名字") == ["新名字"] and heads(local_store, "旧名字") == []


def test_a_rejected_edit_is_undone_in_the_index_too(local_store: Store, worker: Actor) -> None:
    hid = household(local_store, worker, "张三")
    with local_store.session() as session:
        [mutation] = outbox.pending_for(session, "household", hid)
        mutation_id = mutation.mutation_id
    with local_store.write() as session:
        outbox.mark_rejected(session, mutation_id, "validation", "no such grid")
    assert find(local_store, "zhangsan") == []
    assert dirty(local_store) == 0


def test_a_visit_made_here_counts_as_the_last_visit_at_once(
        local_store: Store, worker: Actor) -> None:
    visited = records.now().replace(microsecond=0) - dt.timedelta(hours=1)
    today = visited.astimezone(SHANGHAI).date()
    pull_household(local_store, "h-1", head_name="张三",
                   last_visit_at=visited - dt.timedelta(days=100))
    pull(local_store, upsert("visit_template", "tpl", name="常规走访", version=1, active=True,
                             fields=[]))
    [hit] = find(local_store, "张三", today=today)
    assert hit.due.state is cadence.VisitState.OVERDUE
    create_record(local_store, "visit", {"household_id": "h-1", "template_id": "tpl",
                                         "visited_at": visited, "answers": {}},
                  actor=worker)
    [hit] = find(local_store, "张三", today=today)
    assert hit.last_visit_at == visited
    assert hit.due.state is cadence.VisitState.OK
    filters = SearchFilters(visit=VisitFilter.DUE)
    assert find(local_store, "", filters=filters, today=today) == []


def test_the_upgrade_indexes_households_already_held(store_path: Path) -> None:
    store = open_store(store_path, revision="0002")
    with store.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO households (id, grid_id, estate, head_name, status, tags)"
            " VALUES ('h-1', 'grid-1', '汇林绿洲', '单丽', 'active', '[]')"))
    store.close()
    store = open_store(store_path)
    try:
        assert heads(store, "shanli") == ["单丽"]
        assert dirty(store) == 0
    finally:
        store.close()


def _numbers_before_0019(phones: str, ids: str) -> tuple[str, str]:
    """The words ``search_docs`` (before migration 0019) and ``household_numbers``
    (before 0020) kept for a household's numbers: every run of the last 4+ digits of each
    phone, and each ID number's last four and whole."""
    runs = [n[i:] for n in phones.split() for i in range(len(n) - 3)]
    return " ".join(dict.fromkeys(runs)), search_index.fts_ids(ids)


def _one_indexed_household(connection: sa.Connection, phone: str,
                           people: list[search_index.Person], columns: tuple[str, ...]
                           ) -> tuple[dict[str, str], str]:
    """A store at an older revision holding household ``h-1`` (颐和新村 3-2-301, head
    张三, ``phone``), ``people`` as its residents ``r-0``, ``r-1``…, and its
    ``search_docs`` row of ``columns`` as that revision wrote it; the caller writes its
    FTS rows with the values and marks returned."""
    connection.execute(sa.text(
        "INSERT INTO households (id, grid_id, estate, building, unit, room, head_name,"
        " phone, status, tags) VALUES ('h-1', 'grid-1', '颐和新村', '3', '2', '301',"
        " '张三', :phone, 'active', '[]')"), {"phone": phone})
    for i, person in enumerate(people):
        connection.execute(sa.text(
            "INSERT INTO residents (id, household_id, name, phone, id_number) VALUES"
            " (:id, 'h-1', :name, :phone, :number)"),
            {"id": f"r-{i}", "name": person.name, "phone": person.phone,
             "number": person.id_number})
    connection.execute(sa.text("DELETE FROM search_dirty"))  # indexed, as below
    values = {f"c{i}": c for i, c in enumerate(columns)}
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(sa.text(
        f"INSERT INTO search_docs VALUES (1, 'h-1', {marks}, 'zhang san',"
        " 'yihexincun 000003 000002 000301', NULL, NULL)"), values)
    return values, marks


def test_the_upgrade_to_0018_moves_phones_and_ids_to_a_table_of_their_own(
        store_path: Path) -> None:
    """Migration 0018: the numbers leave ``household_fts`` (whose prefix indexes they
    filled for nothing) for ``household_numbers``; an index built before is kept, from
    ``search_docs``, with the same answers."""
    born = dt.date(1950, 3, 7)
    number = make_id_number("320106", born, 17, "male")
    people = [search_index.Person("张三", "13812345678", None),
              search_index.Person("张小梅", "13955557777", number)]
    columns = search_index.doc_columns({"head_name": "张三", "estate": "颐和新村",
                                        "building": "3", "unit": "2", "room": "301",
                                        "phone": "13812345678"}, people)
    # Before 0019, search_docs kept every token of the numbers.
    columns = (*columns[:-2], *_numbers_before_0019(*columns[-2:]))
    store = open_store(store_path, revision="0017")
    with store.engine.begin() as connection:
        values, marks = _one_indexed_household(connection, "13812345678", people, columns)
        connection.execute(sa.text(
            f"INSERT INTO household_fts (rowid, {', '.join(search_index.FTS_COLUMNS)}) "
            f"VALUES (1, {marks})"), values)
    store.close()

    store = open_store(store_path)
    try:
        with store.session() as session:
            connection = session.connection()
            fts = [r[1] for r in connection.exec_driver_sql(
                "PRAGMA table_info(household_fts)")]
            assert tuple(fts) == search_index.WORD_COLUMNS
            assert connection.exec_driver_sql(
                "SELECT rowid FROM household_phones WHERE household_phones MATCH"
                " '\"5557\"'").scalars().all() == [1]
        [hit] = find(store, "5557")
        assert (hit.id, hit.match, hit.matched_name) == ("h-1", MatchKind.PHONE, "张小梅")
        [hit] = find(store, number[-4:])
        assert (hit.id, hit.match, hit.matched_name) == ("h-1", MatchKind.ID_NUMBER, "张小梅")
        for typed, match in (("1381", MatchKind.PHONE), (number, MatchKind.ID_NUMBER),
                             ("zs", MatchKind.HEAD_INITIALS), ("xiaomei", MatchKind.RESIDENT_PART),
                             ("颐和 5557", MatchKind.ADDRESS), ("301", MatchKind.ADDRESS),
                             ("zs 13955557777", MatchKind.HEAD_INITIALS)):
            assert [(h.id, h.match) for h in find(store, typed)] == [("h-1", match)], typed
            assert count(store, typed) == 1, typed
        assert find(store, "zs 9999") == [] and count(store, "9999 zs") == 0
    finally:
        store.close()


def test_the_upgrade_to_0019_keeps_each_number_once_and_deletes_by_rowid(
        store_path: Path, worker: Actor) -> None:
    """Migration 0019 on an index written before it (every token of the numbers in
    ``search_docs``): the numbers are kept once each, as the index writes them now, the
    answers stay the same, and an edit afterwards leaves no old token in either table."""
    number = make_id_number("320106", dt.date(1950, 3, 7), 17, "male")
    people = [search_index.Person("张三", "138-1234-5678", None),
              search_index.Person("张小梅", "13955557777", number),
              search_index.Person("李四", "8666-1111", "1234")]
    new = search_index.doc_columns({"head_name": "张三", "estate": "颐和新村",
                                    "building": "3", "unit": "2", "room": "301",
                                    "phone": "138-1234-5678"}, people)
    old = (*new[:-2], *_numbers_before_0019(*new[-2:]))
    assert old[-2].split()[:2] == ["13812345678", "3812345678"] and new[-2:] == (
        "13812345678 13955557777 86661111", f"{number.lower()} 1234")
    store = open_store(store_path, revision="0018")
    with store.engine.begin() as connection:
        values, _marks = _one_indexed_household(connection, "138-1234-5678", people, old)
        for table, columns in (("household_fts", search_index.WORD_COLUMNS),
                               ("household_numbers", ("phones", "ids"))):  # as at 0018
            connection.execute(sa.text(
                f"INSERT INTO {table} (rowid, {', '.join(columns)}) VALUES "
                f"(1, {', '.join(f':c{search_index.FTS_COLUMNS.index(c)}' for c in columns)})"),
                values)
    store.close()

    store = open_store(store_path)
    try:
        with store.session() as session:
            kept = session.execute(sa.text(
                f"SELECT {', '.join(search_index.FTS_COLUMNS)} FROM search_docs")).one()
        assert tuple(kept) == new
        for typed, match in (("5557", MatchKind.PHONE), ("1381", MatchKind.PHONE),
                             ("6661", MatchKind.PHONE), (number[-4:], MatchKind.ID_NUMBER),
                             ("1234", MatchKind.PHONE), (number[:15], MatchKind.ID_NUMBER),
                             ("zs", MatchKind.HEAD_INITIALS), ("zs 13955557777",
                                                               MatchKind.HEAD_INITIALS),
                             ("颐和 5557", MatchKind.ADDRESS)):
            assert [(h.id, h.match) for h in find(store, typed)] == [("h-1", match)], typed
            assert count(store, typed) == 1, typed
        assert find(store, "zs 9999") == [] and count(store, "2345678") == 1
        update_record(store, "resident", "r-1", {"phone": "13900001111", "id_number": None,
                                                 "status": "active"}, actor=worker)
        assert fts_docs(store, "household_phones", '"5557"') == []
        assert fts_docs(store, "household_numbers", f"{{ids}}: {number[-4:]}") == []
        assert [h.id for h in find(store, "0000111")] == ["h-1"] and find(store, "5557") == []
        delete_record(store, "household", "h-1", actor=worker)
        assert fts_docs(store, "household_phones", '"1381" OR "0000" OR "6661"') == []
        assert fts_docs(store, "household_fts", "zs OR 颐和新村") == []
    finally:
        store.close()


def test_the_upgrade_to_0021_writes_the_index_in_blocks_of_one_page(
        store_path: Path, worker: Actor) -> None:
    """Migration 0021: the FTS5 tables' blocks (4,051 bytes, which spilled into a second
    page of an encrypted store) are written anew in blocks that fit in one page, with the
    same answers, and the index is kept in step afterwards."""
    fits = 4096 - 80 - 35 - 4  # SQLCipher's page, less its reserve, a cell's, the header's
    tables = ("household_fts", "household_numbers", "household_phones")
    surnames, given = "张王李赵刘陈杨黄周吴", "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞"
    changes = []
    for i in range(1500):
        name = surnames[i % 10] + given[i % 20] + given[i // 20 % 20]
        changes += [
            upsert("household", f"h-{i}", grid_id=GRID, estate=f"颐和新村{i % 7}",
                   building=str(i % 9), unit="2", room=str(100 + i % 40), head_name=name,
                   phone=f"139{i:08d}", status="active"),
            upsert("resident", f"r-{i}", household_id=f"h-{i}", name=name[0] + given[i % 7],
                   id_number=make_id_number("320106", dt.date(1950 + i % 50, 3, 7), i % 999,
                                            "male"), phone=f"137{i:08d}", status="active")]
    store = open_store(store_path, revision="0020")
    pull(store, *changes)

    def blocks() -> dict[str, tuple[int, int]]:
        """Each table's blocks: how many, and the longest (the store open now)."""
        out = {}
        with store.session() as session:
            for t in tables:
                n, longest = session.execute(sa.text(
                    f"SELECT count(*), max(length(block)) FROM {t}_data")).one()
                out[t] = (n, longest)
        return out

    typed = ("z", "zw", "张", "wangfang", "颐和", "3栋", "1391", "0000012", "zhao 3栋",
             make_id_number("320106", dt.date(1960, 3, 7), 10, "male")[-4:])
    answers = {t: ([h.id for h in find(store, t, limit=2000)], count(store, t)) for t in typed}
    assert all(len(hits) > 1 for hits, _n in answers.values())
    written = blocks()
    assert all(n > 5 and longest > fits for n, longest in written.values()), written
    store.close()

    store = open_store(store_path)
    try:
        assert {t: ([h.id for h in find(store, t, limit=2000)], count(store, t))
                for t in typed} == answers
        rewritten = blocks()
        assert all(longest <= fits for _n, longest in rewritten.values()), rewritten
        with store.session() as session:
            assert {t: session.execute(sa.text(
                f"SELECT v FROM {t}_config WHERE k = 'pgsz'")).scalar() for t in tables
                } == dict.fromkeys(tables, 3960)
        assert all(fts_docs(store, t, "xxx") == [] for t in tables)  # the row added and taken
        update_record(store, "household", "h-0", {"head_name": "欧阳修"}, actor=worker)
        assert [h.id for h in find(store, "ouyangxiu")] == ["h-0"]
        assert "h-0" not in [h.id for h in find(store, "张伟伟")]
        assert blocks()["household_fts"][1] <= fits
    finally:
        store.close()


def test_rebuild_gives_the_same_answers(local_store: Store, worker: Actor) -> None:
    for name in ("张三", "单丽", "曾国强"):
        hid = household(local_store, worker, name)
        resident(local_store, worker, hid, name + "子")
    before = {q: [h.id for h in find(local_store, q)] for q in ("z", "sl", "zgqz", "3栋")}
    with local_store.write() as session:
        assert search_index.rebuild(session) == 3
    assert {q: [h.id for h in find(local_store, q)] for q in before} == before


def _index_as_kept(store: Store) -> list[Any]:
    """Everything the index holds: its docs, and every token each FTS5 table holds, with
    its doc, column and place (fts5vocab reads contentless tables too)."""
    with store.session() as session:
        conn = session.connection()
        docs = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT * FROM search_docs ORDER BY doc")]
        tokens = []
        for table in search_index.FTS_TABLES:
            conn.exec_driver_sql(f"CREATE VIRTUAL TABLE temp.v_{table} "
                                 f"USING fts5vocab(main, {table}, instance)")
            tokens += [(table, *r) for r in conn.exec_driver_sql(
                f"SELECT * FROM temp.v_{table} ORDER BY 1, 2, 3, 4")]
            conn.exec_driver_sql(f"DROP TABLE temp.v_{table}")
    assert len(docs) == 7 and len(tokens) > 100
    return [docs, tokens]


def _wait_until_up(helper: search_index.EntryHelper) -> None:
    deadline = time.monotonic() + 60
    while not helper.up():
        assert time.monotonic() < deadline, "the helper process never came up"
        time.sleep(0.05)


@pytest.fixture()
def small_chunks(local_store: Store, worker: Actor, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Seven households in chunks of two: the helper makes every other chunk."""
    monkeypatch.setattr(search_index, "_REBUILD_CHUNK", 2)
    born = dt.date(1960, 1, 2)
    for i, name in enumerate(("张三", "单丽", "曾国强", "李梅", "欧阳修", "买买提·艾力", "王五")):
        hid = household(local_store, worker, name, phone=f"1391234{i:04d}", room=f"{i}01",
                        building=str(i % 3 + 1))
        resident(local_store, worker, hid, name + "子",
                 id_number=make_id_number("320106", born, i, "male"), gender="male",
                 birth_date=born, phone=f"1380000{i:04d}")
    return local_store


def test_a_helper_process_makes_the_same_index(small_chunks: Store) -> None:
    with small_chunks.write() as session:
        assert search_index.rebuild(session) == 7
    made_here = _index_as_kept(small_chunks)
    helper = search_index.EntryHelper.start()
    try:
        _wait_until_up(helper)
        with small_chunks.write() as session:
            assert search_index.rebuild(session, helper) == 7
        # Chunks of two: 1–2 here, 3–4 and 5–6 there (HELPER_SHARE), 7 here; still up.
        assert helper.chunks == 2 and helper.up()
    finally:
        helper.close()
    assert not helper.up()
    assert _index_as_kept(small_chunks) == made_here
    assert [h.id for h in find(small_chunks, "ouyang")] and find(small_chunks, "13800000005")


def test_names_made_ahead_make_the_same_index(small_chunks: Store) -> None:
    """search_index.NamesAhead: words of names made while a first sync waits for pages
    are the rebuild's own; some made, some left to it, one name given twice, values that
    are no names passed over."""
    with small_chunks.write() as session:
        search_index.rebuild(session)
    made_here = _index_as_kept(small_chunks)
    ahead = search_index.NamesAhead()
    ahead.take(["张三", "单丽子", None, 7, "", "张三"])
    assert ahead.make(time.perf_counter()) is True  # no time given: nothing made
    assert not ahead.names
    assert ahead.make(time.perf_counter() + 60) is False  # all made
    assert set(ahead.names) == {"张三", "单丽子"}
    ahead.take(["张三", "王五"])  # a name made already waits no more
    assert ahead.make(time.perf_counter() + 60) is False and len(ahead.names) == 3
    with small_chunks.write() as session:
        assert search_index.rebuild(session, None, ahead) == 7
    assert _index_as_kept(small_chunks) == made_here
    assert len(ahead.names) > 3  # the rebuild made the others in the same place


def test_a_helper_that_dies_is_done_without(small_chunks: Store) -> None:
    with small_chunks.write() as session:
        search_index.rebuild(session)
    made_here = _index_as_kept(small_chunks)
    helper = search_index.EntryHelper.start()
    try:
        _wait_until_up(helper)
        for child in multiprocessing.active_children():
            child.kill()
            child.join(10)
        with small_chunks.write() as session:
            assert search_index.rebuild(session, helper) == 7
        assert not helper.up()  # given up
    finally:
        helper.close()
    assert _index_as_kept(small_chunks) == made_here


def test_a_helper_that_does_not_answer_in_time_is_done_without(
        small_chunks: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper stopped or stuck must not hold the store's write lock: the rebuild waits
    HELPER_WAIT_S for a chunk's entries, then makes them itself."""
    with small_chunks.write() as session:
        search_index.rebuild(session)
    made_here = _index_as_kept(small_chunks)
    monkeypatch.setattr(search_index, "HELPER_WAIT_S", 0.0)
    helper = search_index.EntryHelper.start()
    try:
        _wait_until_up(helper)
        with small_chunks.write() as session:
            assert search_index.rebuild(session, helper) == 7
        assert helper.chunks >= 1 and not helper.up()  # given up at its first chunk
    finally:
        helper.close()
    assert _index_as_kept(small_chunks) == made_here


_HELPER_PARENT = """
import multiprocessing, sys, time
from gulou_desk.store import search_index
if __name__ == "__main__":
    helper = search_index.EntryHelper.start()
    deadline = time.monotonic() + 60
    while not helper.up():
        if time.monotonic() > deadline:
            sys.exit("the helper never came up")
        time.sleep(0.05)
    print(multiprocessing.active_children()[0].pid, flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def test_the_helper_ends_when_the_app_is_killed(tmp_path: Path) -> None:
    """A kill -9 of the app (or a crash) mid-sync leaves no helper process behind."""
    script = tmp_path / "app.py"
    script.write_text(_HELPER_PARENT)
    app = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    assert app.stdout is not None
    try:
        helper_pid = int(app.stdout.readline())
        assert _alive(helper_pid)
    finally:
        app.kill()
        app.wait()
        app.stdout.close()
    deadline = time.monotonic() + 20
    while _alive(helper_pid):
        assert time.monotonic() < deadline, "the helper outlived the app"
        time.sleep(0.05)


_STUCK_HELPER = """
import multiprocessing, os, signal, sys, time
from pathlib import Path
from gulou_desk.store import search_index
from gulou_desk.store.engine import open_store
if __name__ == "__main__":
    store = open_store(Path(sys.argv[1]))
    with store.write() as session:
        for i in range(7):
            session.connection().exec_driver_sql(
                "INSERT INTO households (id, head_name, estate, room, phone) "
                "VALUES (?, ?, ?, ?, ?)", (f"h{i}", "张三", "颐和新村", f"{i}01", "13912345678"))
    search_index._REBUILD_CHUNK = 2  # chunks of two: the helper is given two at once
    search_index.HELPER_WAIT_S = 2.0
    helper = search_index.EntryHelper.start()
    deadline = time.monotonic() + 60
    while sys.argv[2] == "up" and not helper.up():
        if time.monotonic() > deadline:
            sys.exit("the helper never came up")
        time.sleep(0.05)
    pid = multiprocessing.active_children()[0].pid
    os.kill(pid, signal.SIGSTOP)  # stuck: suspended, hung in a driver, held by an antivirus
    print(pid, flush=True)
    start = time.monotonic()
    with store.write() as session:
        assert search_index.rebuild(session, helper) == 7
    print(f"{time.monotonic() - start:.1f}", flush=True)  # the write lock held this long
    helper.close()
    store.close()
    sys.exit(0)  # the app quits
"""


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="stops a process with SIGSTOP")
@pytest.mark.parametrize("when", ["up", "starting"])
def test_the_app_quits_though_its_helper_is_stuck(tmp_path: Path, when: str) -> None:
    """A helper that stops answering (``up``), or that never comes up (``starting``), is
    given up; the app then could never exit: at exit ``concurrent.futures`` waited for the
    pool's manager thread, which waited for the stuck helper's call for ever (the window
    gone, the process and its store open). And the rebuild waited HELPER_WAIT_S for each
    chunk handed over, holding the store's write lock. Found by the reviewer."""
    script = tmp_path / "app.py"
    script.write_text(_STUCK_HELPER)
    store = tmp_path / "desk.sqlite"
    new_store(store).close()
    app = subprocess.Popen([sys.executable, str(script), str(store), when],
                           stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    assert app.stdout is not None
    helper_pid = int(app.stdout.readline())
    try:
        held = float(app.stdout.readline())
        try:
            code: int | None = app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            code = None
        assert code == 0, f"the app hangs at exit (the rebuild held the write lock {held} s)"
        assert held < 3.5, f"the rebuild waited {held} s: HELPER_WAIT_S per chunk handed over"
        assert not _alive(helper_pid), "the helper was left behind"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(helper_pid, signal.SIGKILL)
        app.kill()
        app.wait()
        app.stdout.close()


_CUT_SHORT = """
import multiprocessing, sys, time
from gulou_desk.store import search_index


def cut_short() -> None:
    # In the helper: a result begun (its length said, a few bytes sent), then the end.
    import gc, os, struct
    from multiprocessing.queues import SimpleQueue
    [results] = [o for o in gc.get_objects() if isinstance(o, SimpleQueue)]
    os.write(results._writer.fileno(), struct.pack("!i", 1_000_000) + bytes(100))
    os._exit(1)


if __name__ == "__main__":
    helper = search_index.EntryHelper.start()
    deadline = time.monotonic() + 60
    while not helper.up():
        if time.monotonic() > deadline:
            sys.exit("the helper never came up")
        time.sleep(0.05)
    print(multiprocessing.active_children()[0].pid, flush=True)
    helper._pool.submit(cut_short)
    time.sleep(1.0)  # the pool's thread waits for the rest of the result
    helper.close()
    sys.exit(0)  # the app quits
"""


def test_the_app_quits_though_its_helper_died_in_the_middle_of_a_result(
        tmp_path: Path) -> None:
    """A helper killed (or dying) while it sends a chunk's entries, larger than the pipe
    holds, left the pool's thread reading the rest for ever: the app's own copy of the
    pipe's sending end kept it open, and the app could not quit. Found by the reviewer."""
    script = tmp_path / "app.py"
    script.write_text(_CUT_SHORT)
    app = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    assert app.stdout is not None
    helper_pid = int(app.stdout.readline())
    try:
        try:
            code: int | None = app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            code = None
        assert code == 0, "the app hangs at exit, reading the rest of a result for ever"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(helper_pid, signal.SIGKILL)
        app.kill()
        app.wait()
        app.stdout.close()


def test_the_bundles_entry_point_checks_its_index_helper(tmp_path: Path) -> None:
    """``gulou-desk --check-index-helper`` (the bundle's smoke test): the helper comes up
    from the entry point and makes the entry made here; no window, no store."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parents[2] / "deploy" /
                             "gulou_desk_main.py"), "--check-index-helper"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "one entry made there as here" in done.stdout


def test_a_big_rebuild_starts_a_helper_of_its_own_and_stops_it(
        small_chunks: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[search_index.EntryHelper] = []
    start = search_index.EntryHelper.start

    def recorded() -> search_index.EntryHelper:
        started.append(start())
        return started[-1]

    monkeypatch.setattr(search_index.EntryHelper, "start", staticmethod(recorded))
    monkeypatch.setattr(search_index, "HELPER_HOUSEHOLDS", 8)
    with small_chunks.write() as session:
        search_index.rebuild(session)
    assert started == []  # seven households: not worth a process
    monkeypatch.setattr(search_index, "HELPER_HOUSEHOLDS", 7)
    with small_chunks.write() as session:
        assert search_index.rebuild(session) == 7
    assert len(started) == 1 and not started[0].up()  # closed at the rebuild's end


# --- a grid's few households are matched in Python: the same answers ------------------


def test_a_small_filtered_set_gives_the_same_answers_as_fts(
        local_store: Store, worker: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["张三", "张三丰", "单丽", "曾国强", "解放", "李梅", "刘明", "王五", "赵六", "周松",
             "欧阳修", "张伟", "章伟", "李敏"]
    born = dt.date(1970, 5, 6)
    for i, name in enumerate(names):
        hid = household(local_store, worker, name, grid_id=GRID if i % 3 else OTHER_GRID,
                        building=str(i % 4 + 1), room=f"{i % 3 + 1}01",
                        phone=f"1391234{i:04d}")
        resident(local_store, worker, hid, names[(i * 5) % len(names)] + "儿",
                 id_number=make_id_number("320106", born, i * 2, "female"),
                 gender="female", birth_date=born)
    queries = ["z", "zh", "zhang", "zs", "zhangsan", "张", "张三", "shan", "sl", "li", "lm",
               "3栋", "2单元", "1234", "12340005", "301", "颐和", "zhang 3栋", "儿", "er",
               make_id_number("320106", born, 8, "female")[-4:], "nothing",
               "zhang 1234", "1234 zhang", "1234 3栋", "3栋 12340005", "z 儿 1234"]
    filters = [SearchFilters(grid_ids=[GRID]),
               SearchFilters(grid_ids=[GRID, OTHER_GRID], building="3"),
               SearchFilters(estate="颐和新村", visit=VisitFilter.DUE)]

    def answers() -> list[Any]:
        out: list[Any] = []
        for text in queries:
            for f in filters:
                for sort in (None, "head_name", "-address"):
                    for offset, limit in ((0, 100), (1, 2), (3, 3)):
                        hits = find(local_store, text, filters=f, sort=sort, offset=offset,
                                    limit=limit)
                        out.append([(h.id, h.match, h.matched_name) for h in hits])
                out.append(count(local_store, text, filters=f))
        return out

    with local_store.session() as session:
        assert all(search._small_set(session, f) for f in filters)
    in_python = answers()
    monkeypatch.setattr(search, "SMALL_SET", 0)
    with local_store.session() as session:
        assert not any(search._small_set(session, f) for f in filters)
    assert answers() == in_python
    assert sum(1 for a in in_python if a) > 50  # most of them found something


# --- a broad search sorted by name walks the name index: the same answers --------------


def test_a_broad_sorted_search_walks_the_index_with_the_same_answers(
        local_store: Store, worker: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["张三", "张三", "张三丰", "单丽", "曾国强", "解放", "李梅", "刘明", "王五", "赵六",
             "周松", "欧阳修", "张伟", "章伟", "李敏", "张敏", "郑重", "钟华"]
    for i, name in enumerate(names):
        hid = household(local_store, worker, name, grid_id=GRID if i % 3 else OTHER_GRID,
                        building=str(i % 4 + 1), room=f"{i % 3 + 1}01",
                        phone=f"1391234{i:04d}")
        resident(local_store, worker, hid, names[(i * 5) % len(names)] + "儿")
    queries = ["z", "zh", "zs", "张", "l", "3栋", "1234", "儿", "z 3栋", "nothing", "",
               "z 1234", "1234 z", "3栋 1234"]
    filters = [None, SearchFilters(grid_ids=[GRID]), SearchFilters(visit=VisitFilter.DUE)]
    monkeypatch.setattr(search, "SMALL_SET", 0)  # the FTS5 path, filters or not

    def answers() -> list[Any]:
        out: list[Any] = []
        for text in queries:
            for f in filters:
                for sort in ("head_name", "-head_name", "address", "-address"):
                    for offset, limit in ((0, 100), (1, 2), (3, 3)):
                        hits = find(local_store, text, filters=f, sort=sort, offset=offset,
                                    limit=limit)
                        out.append([(h.id, h.match, h.matched_name) for h in hits])
        return out

    monkeypatch.setattr(search, "BROAD_MATCH", 10_000)
    read_and_sorted = answers()
    walked: list[str] = []
    real_docs, real_python = search._docs, search._walked_in_python

    def docs(*args: Any, **kw: Any) -> list[int]:
        if kw.get("within") is not None:
            walked.append(f"fts {kw['index']}")
        return real_docs(*args, **kw)

    def in_python(*args: Any, **kw: Any) -> list[int] | None:
        walked.append(f"python {args[3]}")
        return real_python(*args, **kw)

    monkeypatch.setattr(search, "_docs", docs)
    monkeypatch.setattr(search, "_walked_in_python", in_python)
    monkeypatch.setattr(search, "BROAD_MATCH", 0)
    assert answers() == read_and_sorted
    monkeypatch.setattr(search, "WALK_IN_PYTHON", 0)  # every walk with FTS5's matches
    assert answers() == read_and_sorted
    assert {w.split()[0] for w in walked} == {"fts", "python"}
    assert {w.split()[1] for w in walked} == {"ix_search_docs_sort_name",
                                              "ix_search_docs_sort_address"}
    assert sum(1 for a in read_and_sorted if a) > 100


# --- a count that stops: the register shows a broad search's first page without it -----


def test_a_count_can_stop_at_a_number_and_agrees_with_the_whole_count(
        local_store: Store, worker: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["张三", "张三丰", "张伟", "章伟", "张敏", "单丽", "李梅", "王五"]
    for i, name in enumerate(names):
        hid = household(local_store, worker, name, grid_id=GRID if i % 2 else OTHER_GRID,
                        phone=f"1391234{i:04d}")
        resident(local_store, worker, hid, "赵" + name[-1])
    queries = ["", "z", "zh", "张", "zs", "3栋", "1234", "zhao", "nothing"]
    filters = [None, SearchFilters(grid_ids=[GRID]), SearchFilters(visit=VisitFilter.DUE)]

    def counts() -> list[tuple[int, list[int]]]:
        return [(count(local_store, text, filters=f),
                 [count(local_store, text, filters=f, at_most=n) for n in (0, 1, 3, 100)])
                for text in queries for f in filters]

    for small_set in (search.SMALL_SET, 0):  # grid filtered in Python, and by FTS5
        monkeypatch.setattr(search, "SMALL_SET", small_set)
        answers = counts()
        assert all(capped == [min(whole, n) for n in (0, 1, 3, 100)]
                   for whole, capped in answers)
        assert answers[0] == (8, [0, 1, 3, 8])  # everyone
        assert answers[3 * 3] == (4, [0, 1, 3, 4])  # 张: four households (not 章伟)
    # While a first sync's bulk load runs, the households table is counted the same way.
    with local_store.write() as session:
        bulk_load.begin(session)
    assert count(local_store, "") == 8
    assert count(local_store, "", at_most=3) == 3
    assert count(local_store, "", filters=SearchFilters(grid_ids=[GRID]), at_most=100) == 4


# --- the readings of names without pypinyin's whole phrase dictionary ------------------

_READ_NAMES = r"""
import json
from gulou_desk.store.search_names import SURNAME_READINGS, name_keys, place_pinyin
import pypinyin.constants
loaded = len(pypinyin.constants.PHRASES_DICT)
from pypinyin.phrases_dict import phrases_dict  # the whole list of them, to try each
from server import demo_names as d
pools = [*d.OLD_MALE, *d.OLD_FEMALE, *d.MIDDLE_MALE, *d.MIDDLE_FEMALE, *d.YOUNG_MALE,
         *d.YOUNG_FEMALE, *(a + b for a in d.YOUNG_MALE_FIRST + d.YOUNG_FEMALE_FIRST
                            for b in d.YOUNG_MALE_SECOND + d.YOUNG_FEMALE_SECOND)]
names = [*("张" + p for p in phrases_dict if len(p) in (2, 3)),
         *(s + g for s in ("张", "欧阳", *SURNAME_READINGS) for g in pools)]
out = {n: [list(k.full), list(k.initials), list(k.parts), k.sort_key]
       for n, k in ((n, name_keys(n)) for n in names)}
print(json.dumps({"phrases": loaded, "names": out, "place": place_pinyin("长江新村")},
                 ensure_ascii=False))
"""


def _read_names(**env: str) -> dict[str, Any]:
    environ = {k: v for k, v in os.environ.items() if k != "PYPINYIN_NO_PHRASES"}
    out = subprocess.run([sys.executable, "-c", _READ_NAMES], capture_output=True, text=True,
                         check=True, env={**environ, **env},
                         cwd=Path(__file__).resolve().parents[2])
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def test_names_read_as_with_pypinyin_s_whole_phrase_dictionary() -> None:
    """The app gives pypinyin only the phrases a name may hold (44 MB less at start):
    every 2- and 3-character phrase of pypinyin's dictionary as a given name, after a
    plain, a compound and every polyphonic surname, reads exactly as with the whole
    dictionary — 长江 changjiang, not zhangjiang."""
    whole = _read_names(PYPINYIN_NO_PHRASES="")  # pypinyin's switch, off: the whole one
    app = _read_names()
    assert whole["phrases"] > 40_000 and app["phrases"] < 2_000  # what each one loaded
    assert len(app["names"]) > 40_000
    assert app["names"] == whole["names"]
    assert app["names"]["张长江"][0] == ["张长江", "zhangchangjiang"]
    assert app["place"] == whole["place"] == "changjiangxincun"


def test_the_name_phrases_are_those_of_the_pypinyin_installed() -> None:
    """``gulou_desk/store/name_phrases.py`` is made by ``scripts/name_phrases.py``: an
    upgrade of pypinyin that changes its phrases shows here."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "name_phrases.py"
    spec = importlib.util.spec_from_file_location("name_phrases_script", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.source()
