"""A household's address follows its parts (issue 10 item 6)."""

from __future__ import annotations

from gulou_desk.domain.addresses import derived_address, parts_changed

BEFORE = {"estate": "颐和新村", "building": "3", "unit": "2", "room": "301",
          "address": "南京市鼓楼区宁海路街道颐和新村3栋2单元301室"}


def test_new_parts_keep_the_locality_and_replace_the_flat() -> None:
    after = {**BEFORE, "building": "5", "room": "1201"}
    assert parts_changed(BEFORE, after)
    assert derived_address(BEFORE, after) == "南京市鼓楼区宁海路街道颐和新村5栋2单元1201室"


def test_a_new_estate_replaces_the_old_one() -> None:
    after = {**BEFORE, "estate": "江苏新村"}
    assert derived_address(BEFORE, after) == "南京市鼓楼区宁海路街道江苏新村3栋2单元301室"


def test_a_hand_typed_address_keeps_what_precedes_the_estate() -> None:
    before = {**BEFORE, "address": "宁海路街道颐和新村北门3幢"}
    after = {**before, "unit": "1"}
    assert derived_address(before, after) == "宁海路街道颐和新村3栋1单元301室"


def test_without_a_known_locality_the_address_is_the_estate_and_flat() -> None:
    before = {"estate": "颐和新村", "building": None, "unit": None, "room": None,
              "address": None}
    after = {**before, "building": "7"}
    assert derived_address(before, after) == "颐和新村7栋"
    assert not parts_changed(before, {**before, "address": "x", "building": ""})
