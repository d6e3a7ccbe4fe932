"""A name of Chinese characters alone is read from its surname's and its given name's
words, each worked out once (``search_names._chinese_name_keys``): the same tokens as
reading the whole name (``search_names._name_keys``)."""

from __future__ import annotations

import pytest
from pypinyin.phrases_dict import phrases_dict

from gulou_desk.store import search_index, search_names
from gulou_desk.store.search_names import SURNAME_READINGS, make_name_keys, name_keys
from server import demo_names as d


def _names() -> list[str]:
    given = [*d.OLD_MALE, *d.OLD_FEMALE, *d.MIDDLE_MALE, *d.MIDDLE_FEMALE, *d.YOUNG_MALE,
             *d.YOUNG_FEMALE, *(a + b for a in d.YOUNG_MALE_FIRST[:20]
                                for b in d.YOUNG_FEMALE_SECOND[:20])]
    phrases = sorted(p for p in phrases_dict if len(p) in (2, 3))[::40]
    surnames = ["张", "欧阳", "长", "单", "乐", "", "𠀋", "龘", *SURNAME_READINGS]
    return [*(s + g for s in surnames for g in given), *("张" + p for p in phrases),
            *(s for s in SURNAME_READINGS), "单", "长江", "沈阳", "〇", "张〇", "朝阳",
            "欧阳长江", "长孙无忌", "单于", "单于晨"]


def test_a_chinese_name_reads_as_the_whole_name_read_at_once() -> None:
    names = _names()
    assert len(names) > 10_000
    pieces = [search_names._NAME_PARTS.findall(search_names.normalize_text(n)) for n in names]
    fast = [make_name_keys(n) for n in names]
    slow = [search_names._name_keys(p) for p in pieces]
    assert sum(len(p) == 1 for p in pieces) > 10_000  # most took the quick way
    for name, a, b in zip(names, fast, slow, strict=True):
        assert a == b, name
    # and again, from what the first round kept
    assert [make_name_keys(n) for n in names] == slow


def test_the_quick_way_keeps_what_a_surname_and_a_given_name_read() -> None:
    keys = name_keys("单于晨")
    assert (keys.full, keys.initials, keys.parts, keys.sort_key) == (
        ("单于晨", "chanyuchen"), ("cyc", "chych"), ("晨", "chen"), "chan yu chen")
    keys = make_name_keys("曾小梅")
    assert (keys.full, keys.initials, keys.parts, keys.sort_key) == (
        ("曾小梅", "zengxiaomei", "cengxiaomei"), ("zxm", "cxm"),
        ("小梅", "xiaomei", "梅", "mei"), "zeng xiao mei")
    assert make_name_keys("盖军").full == ("盖军", "gejun", "gaijun")


def test_what_the_index_keeps_between_households_stays_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The entries of catch_up keep names and places for as long as the app runs: each
    kind is emptied when it reaches its bound, and the entries stay the same."""
    monkeypatch.setattr(search_index, "_HELD", 50)
    entries = search_index._Entries()
    first = None
    for i in range(400):
        row = (f"h{i}", f"张{chr(0x4E00 + i)}", None, str(i % 7), "1", str(100 + i),
               f"某路{i}号{i % 7}栋1单元{100 + i}室", f"1380000{i:04d}", "[]", None, None)
        entry = entries.entry(row, [(f"李{chr(0x4E00 + i)}", None, None)], None)
        if i == 0:
            first = entry
        assert max(len(entries.names), len(entries.places), len(entries.rooms),
                   len(entries.sort_places)) <= 50
    assert entries.entry((
        "h0", "张一", None, "0", "1", "100", "某路0号0栋1单元100室", "13800000000", "[]",
        None, None), [("李一", None, None)], None) == first
