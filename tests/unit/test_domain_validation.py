"""Record validation (validation.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk import records
from gulou_desk.domain.ids import make_id_number
from gulou_desk.domain.problems import Problem
from gulou_desk.domain.templates import DEFAULT_TEMPLATES
from gulou_desk.domain.validation import normalize_values, validate_record, validate_visit
from gulou_desk.records import SHANGHAI

TODAY = dt.date(2026, 11, 28)
ID = "11010519491231002X"  # female, born 1949-12-31


def codes(problems: list[Problem]) -> dict[str, str]:
    return {p.field: p.code for p in problems}


HOUSEHOLD: dict[str, Any] = {
    "grid_id": "g1", "estate": "汇林绿洲", "building": "3", "unit": "2", "room": "501",
    "head_name": "张三", "phone": "13912345678", "tags": ["独居老人"],
    "visit_cadence_days": 7, "status": "active",
}
RESIDENT: dict[str, Any] = {
    "household_id": "h1", "name": "李秀英", "gender": "female",
    "birth_date": dt.date(1949, 12, 31), "id_number": ID, "phone": "025-83331234",
    "relation": "户主", "tags": [], "status": "active",
}


def test_valid_household_and_resident() -> None:
    assert validate_record("household", HOUSEHOLD, today=TODAY) == []
    assert validate_record("resident", RESIDENT, today=TODAY) == []


def test_values_from_wire_validate() -> None:
    spec = records.entity("resident")
    values = records.from_wire(spec, records.to_wire(spec, RESIDENT))
    assert validate_record("resident", values, today=TODAY) == []


def test_required_fields() -> None:
    values = {**HOUSEHOLD, "estate": "  ", "head_name": None}
    assert codes(validate_record("household", values, today=TODAY)) == {
        "estate": "required", "head_name": "required"}
    assert codes(validate_record("household", {}, today=TODAY)) == {
        "grid_id": "required", "estate": "required", "head_name": "required",
        "status": "required"}


def test_partial_checks_only_present_fields() -> None:
    assert validate_record("household", {"phone": "13912345678"}, partial=True) == []
    assert codes(validate_record("household", {"estate": ""}, partial=True)) == {
        "estate": "required"}
    assert codes(validate_record("household", {"phone": "123"}, partial=True)) == {
        "phone": "phone_invalid"}


@pytest.mark.parametrize(
    ("entity", "changes", "field", "code"),
    [
        ("household", {"phone": "1391234567"}, "phone", "phone_invalid"),
        ("household", {"phone": 13912345678}, "phone", "invalid_type"),
        ("household", {"tags": ["独居老人", 3]}, "tags", "tag_invalid"),
        ("household", {"tags": [" "]}, "tags", "tag_invalid"),
        ("household", {"tags": ["x" * 33]}, "tags", "tag_too_long"),
        ("household", {"tags": "独居老人"}, "tags", "invalid_type"),
        ("household", {"visit_cadence_days": 0}, "visit_cadence_days", "out_of_range"),
        ("household", {"visit_cadence_days": 366}, "visit_cadence_days", "out_of_range"),
        ("household", {"visit_cadence_days": True}, "visit_cadence_days", "invalid_type"),
        ("household", {"status": "gone"}, "status", "invalid_choice"),
        ("household", {"estate": "x" * 65}, "estate", "too_long"),
        ("resident", {"id_number": "110105194912310021"}, "id_number", "id_check_digit"),
        ("resident", {"id_number": "32010620260230001X"}, "id_number", "id_birth_date"),
        ("resident", {"id_number": "1101051949"}, "id_number", "id_length"),
        ("resident", {"birth_date": dt.date(1950, 1, 1)}, "birth_date",
         "id_birth_date_mismatch"),
        ("resident", {"gender": "male"}, "gender", "id_gender_mismatch"),
        ("resident", {"gender": "other"}, "gender", "invalid_choice"),
        ("resident", {"id_number": None, "birth_date": dt.date(2026, 11, 29)}, "birth_date",
         "date_in_future"),
        ("resident", {"id_number": None, "birth_date": dt.date(1870, 1, 1)}, "birth_date",
         "out_of_range"),
        ("resident", {"birth_date": "1949-12-31"}, "birth_date", "invalid_type"),
        ("resident", {"phone": "12345"}, "phone", "phone_invalid"),
    ],
)
def test_household_and_resident_problems(
    entity: str, changes: dict[str, Any], field: str, code: str
) -> None:
    base = HOUSEHOLD if entity == "household" else RESIDENT
    assert codes(validate_record(entity, {**base, **changes}, today=TODAY)) == {field: code}


def test_blank_optional_phone_and_id_are_fine() -> None:
    values = {**RESIDENT, "phone": "", "id_number": "", "gender": None, "birth_date": None}
    assert validate_record("resident", values, today=TODAY) == []


def test_id_number_checked_without_birth_date_or_gender() -> None:
    values = {**RESIDENT, "gender": None, "birth_date": None}
    assert validate_record("resident", values, today=TODAY) == []
    number = make_id_number("320106", dt.date(1980, 5, 17), 7, "male")
    both = {**RESIDENT, "id_number": number}
    assert codes(validate_record("resident", both, today=TODAY)) == {
        "birth_date": "id_birth_date_mismatch", "gender": "id_gender_mismatch"}


def test_lower_case_x_is_valid_and_normalized() -> None:
    values = {**RESIDENT, "id_number": ID.lower()}
    assert validate_record("resident", values, today=TODAY) == []
    assert normalize_values("resident", values)["id_number"] == ID


def test_partial_id_number_alone_skips_cross_checks() -> None:
    number = make_id_number("320106", dt.date(1980, 5, 17), 7, "male")
    assert validate_record("resident", {"id_number": number}, partial=True, today=TODAY) == []


def test_normalize_values() -> None:
    out = normalize_values("household", {"phone": " +86 139-1234-5678 ", "estate": "x"})
    assert out == {"phone": "13912345678", "estate": "x"}
    assert normalize_values("household", {"phone": "  "})["phone"] is None
    assert normalize_values("service_item", {"phone": "12345"})["phone"] == "12345"
    assert normalize_values("resident", {"phone": "8333 1234"})["phone"] == "025-83331234"


def test_service_item_allows_hotlines() -> None:
    item = {"category": "政务办理", "name": "鼓楼区政务服务中心", "phone": "12345",
            "documents": ["身份证"], "scope": "district"}
    assert validate_record("service_item", item) == []
    assert codes(validate_record("service_item", {**item, "phone": "abc"})) == {
        "phone": "phone_invalid"}
    assert codes(validate_record("service_item", {**item, "documents": [""]})) == {
        "documents": "invalid_item"}


PERF: dict[str, Any] = {"worker_id": "w1", "period": "2026-11", "figures": {},
                        "status": "draft", "score": 88.5}


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "2026-1", "202611", "1999-12",
                                    "2026/11", "ab-cd"])
def test_bad_period(period: str) -> None:
    assert codes(validate_record("performance_record", {**PERF, "period": period})) == {
        "period": "period_invalid"}


def test_performance_score_range() -> None:
    assert validate_record("performance_record", PERF) == []
    assert validate_record("performance_record", {**PERF, "score": 100}) == []
    assert codes(validate_record("performance_record", {**PERF, "score": 100.5})) == {
        "score": "out_of_range"}
    assert codes(validate_record("performance_record", {**PERF, "score": -1.0})) == {
        "score": "out_of_range"}


VISIT: dict[str, Any] = {
    "household_id": "h1", "worker_id": "w1", "template_id": DEFAULT_TEMPLATES[0]["id"],
    "template_version": 1, "visited_at": dt.datetime(2026, 11, 28, 9, 30, tzinfo=SHANGHAI),
    "answers": {}, "follow_up": False, "photos": ["b" * 64],
}


def test_visit_record() -> None:
    assert validate_record("visit", VISIT, today=TODAY) == []
    tomorrow = dt.datetime(2026, 11, 29, 0, 5, tzinfo=SHANGHAI)
    assert codes(validate_record("visit", {**VISIT, "visited_at": tomorrow}, today=TODAY)) \
        == {"visited_at": "date_in_future"}
    # 16:30 UTC is 00:30 the next day in Shanghai.
    late = dt.datetime(2026, 11, 28, 16, 30, tzinfo=dt.UTC)
    assert codes(validate_record("visit", {**VISIT, "visited_at": late}, today=TODAY)) \
        == {"visited_at": "date_in_future"}
    naive = dt.datetime(2026, 11, 28, 9)
    assert codes(validate_record("visit", {**VISIT, "visited_at": naive}, today=TODAY)) \
        == {"visited_at": "invalid_type"}
    assert codes(validate_record("visit", {**VISIT, "photos": ["x"]}, today=TODAY)) == {
        "photos": "invalid_photo"}


def test_validate_visit_against_template() -> None:
    template = DEFAULT_TEMPLATES[0]
    answers = {"interviewee": "李明", "people_at_home": 2, "living_situation": "good",
               "problem_found": False, "follow_up_needed": False}
    assert validate_visit({**VISIT, "answers": answers}, template) == []
    bad = {**answers, "people_at_home": 50, "colour": "red"}
    del bad["interviewee"]
    assert codes(validate_visit({**VISIT, "answers": bad}, template)) == {
        "answers.colour": "unknown_field", "answers.interviewee": "required",
        "answers.people_at_home": "above_max"}
    assert codes(validate_visit({**VISIT, "template_version": 2, "answers": answers},
                                template)) == {"template_version": "template_version"}
    other = DEFAULT_TEMPLATES[1]
    assert "template_id" in codes(validate_visit({**VISIT, "answers": {}}, other))
    assert codes(validate_visit({**VISIT, "answers": "x"}, template)) == {
        "answers": "invalid_type"}


def test_visit_template_record() -> None:
    for template in DEFAULT_TEMPLATES:
        assert validate_record("visit_template", template) == []
    broken = {**DEFAULT_TEMPLATES[0], "version": 0,
              "fields": [{"key": "a", "type": "slider", "label": {"zh": "a", "en": "a"}}]}
    assert codes(validate_record("visit_template", broken)) == {
        "version": "out_of_range", "fields[0].type": "invalid_type"}


def test_ticket_and_inbox_records() -> None:
    ticket = {"title": "路灯不亮", "category": "municipal", "priority": "normal",
              "status": "new", "grid_id": "g1", "source_message_ids": ["m1"]}
    assert validate_record("ticket", ticket) == []
    assert codes(validate_record("ticket", {**ticket, "priority": "asap"})) == {
        "priority": "invalid_choice"}
    assert codes(validate_record("ticket", {**ticket, "source_message_ids": [1]})) == {
        "source_message_ids": "invalid_item"}
    message = {"source": "wechat", "text": "3栋路灯坏了",
               "sent_at": dt.datetime(2026, 11, 28, 8, tzinfo=SHANGHAI), "status": "new"}
    assert validate_record("inbox_message", message) == []


def test_unknown_entity_raises() -> None:
    with pytest.raises(KeyError):
        validate_record("spaceship", {})
