"""Visit form schema (forms.py) and the default templates (templates.py)."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from gulou_desk import records
from gulou_desk.domain.forms import (
    FIELD_TYPES,
    template_title,
    validate_answers,
    validate_template,
    visible_fields,
)
from gulou_desk.domain.templates import (
    DEFAULT_TEMPLATES,
    ELDERLY_CARE_TEMPLATE_ID,
    ROUTINE_TEMPLATE_ID,
    TEMPLATE_NAMESPACE,
)

SHA = "a" * 64


def L(zh: str, en: str | None = None) -> dict[str, str]:
    return {"zh": zh, "en": en or zh}


def opt(value: str) -> dict[str, Any]:
    return {"value": value, "label": L(value)}


FIELDS: list[dict[str, Any]] = [
    {"key": "name", "type": "text", "label": L("姓名", "Name"), "required": True,
     "max_length": 5},
    {"key": "code", "type": "text", "label": L("代码"), "pattern": r"[A-Z]{2}\d{2}"},
    {"key": "story", "type": "long_text", "label": L("说明")},
    {"key": "people", "type": "number", "label": L("人数"), "min": 0, "max": 10,
     "integer": True},
    {"key": "temp", "type": "number", "label": L("体温"), "min": 35, "max": 42.5},
    {"key": "mood", "type": "choice", "label": L("心情"),
     "options": [opt("good"), opt("bad")]},
    {"key": "needs", "type": "multi_choice", "label": L("需求"),
     "options": [opt("meal"), opt("doctor"), opt("other")]},
    {"key": "when", "type": "date", "label": L("日期")},
    {"key": "problem", "type": "yes_no", "label": L("有问题"), "required": True},
    {"key": "detail", "type": "long_text", "label": L("问题描述"), "required": True,
     "show_if": {"field": "problem", "equals": True}},
    {"key": "detail_photo", "type": "photo", "label": L("照片"),
     "show_if": {"field": "detail", "equals": "see photo"}},
    {"key": "bad_why", "type": "text", "label": L("原因"), "required": True,
     "show_if": {"field": "mood", "in": ["bad"]}},
    {"key": "other_need", "type": "text", "label": L("其他"), "required": True,
     "show_if": {"field": "needs", "equals": "other"}},
    {"key": "photos", "type": "photo", "label": L("照片")},
]

VALID: dict[str, Any] = {"name": "张三", "problem": False}


def codes(problems: list[Any]) -> dict[str, str]:
    return {p.field: p.code for p in problems}


def test_test_fields_form_a_valid_template() -> None:
    assert validate_template(FIELDS) == []
    assert {f["type"] for f in FIELDS} == set(FIELD_TYPES)


def test_minimal_valid_answers() -> None:
    assert validate_answers(FIELDS, VALID) == []


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("name", 12, "not_a_text"),
        ("name", "张三李四王五", "too_long"),
        ("code", "ab12", "pattern"),
        ("code", "AB123", "pattern"),
        ("story", "x" * 4001, "too_long"),
        ("people", "3", "not_a_number"),
        ("people", True, "not_a_number"),
        ("people", float("nan"), "not_a_number"),
        ("people", 2.5, "not_an_integer"),
        ("people", -1, "below_min"),
        ("people", 11, "above_max"),
        ("temp", 34.9, "below_min"),
        ("temp", 42.6, "above_max"),
        ("mood", "meh", "invalid_choice"),
        ("mood", ["good"], "invalid_choice"),
        ("needs", "meal", "invalid_choice"),
        ("needs", ["meal", "spa"], "invalid_choice"),
        ("needs", ["meal", "meal"], "invalid_choice"),
        ("when", "2026-02-30", "not_a_date"),
        ("when", "28/11/2026", "not_a_date"),
        ("when", 20261128, "not_a_date"),
        ("problem", "yes", "not_a_bool"),
        ("problem", 1, "not_a_bool"),
        ("photos", "abc", "invalid_photo"),
        ("photos", ["A" * 64], "invalid_photo"),
        ("photos", ["a" * 63], "invalid_photo"),
        ("photos", [SHA] * 21, "too_many_photos"),
        ("nonsense", "x", "unknown_field"),
    ],
)
def test_bad_answers(key: str, value: Any, code: str) -> None:
    assert codes(validate_answers(FIELDS, {**VALID, key: value})) == {key: code}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "张三"),
        ("code", "AB12"),
        ("code", " AB12 "),
        ("people", 0),
        ("people", 10),
        ("people", 3.0),
        ("temp", 36.6),
        ("temp", 42.5),
        ("mood", "good"),
        ("needs", ["meal", "doctor"]),
        ("needs", []),
        ("when", "2026-11-28"),
        ("photos", [SHA, "0123456789abcdef" * 4]),
        ("photos", []),
        ("story", ""),
    ],
)
def test_good_answers(key: str, value: Any) -> None:
    assert validate_answers(FIELDS, {**VALID, key: value}) == []


def test_date_object_is_accepted() -> None:
    import datetime as dt

    assert validate_answers(FIELDS, {**VALID, "when": dt.date(2026, 11, 28)}) == []


@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_required_blank(blank: Any) -> None:
    assert codes(validate_answers(FIELDS, {**VALID, "name": blank})) == {"name": "required"}


def test_required_yes_no_accepts_false_but_not_missing() -> None:
    assert validate_answers(FIELDS, {"name": "张三", "problem": False}) == []
    assert codes(validate_answers(FIELDS, {"name": "张三"})) == {"problem": "required"}


def test_show_if_hides_a_required_field_and_ignores_its_answer() -> None:
    hidden = {**VALID, "problem": False, "detail": 12345}  # wrong type, but hidden
    assert "detail" not in {f["key"] for f in visible_fields(FIELDS, hidden)}
    assert validate_answers(FIELDS, hidden) == []


def test_show_if_shows_and_requires() -> None:
    answers = {**VALID, "problem": True}
    assert "detail" in {f["key"] for f in visible_fields(FIELDS, answers)}
    assert codes(validate_answers(FIELDS, answers)) == {"detail": "required"}
    assert validate_answers(FIELDS, {**answers, "detail": "漏水"}) == []


def test_show_if_in_and_multi_choice() -> None:
    assert codes(validate_answers(FIELDS, {**VALID, "mood": "bad"})) == {"bad_why": "required"}
    assert validate_answers(FIELDS, {**VALID, "mood": "good"}) == []
    assert codes(validate_answers(FIELDS, {**VALID, "needs": ["meal", "other"]})) == {
        "other_need": "required"
    }
    assert validate_answers(FIELDS, {**VALID, "needs": ["meal"]}) == []


def test_show_if_chain_hides_grandchildren() -> None:
    # detail_photo depends on detail, which depends on problem.
    answers = {**VALID, "problem": False, "detail": "see photo", "detail_photo": "junk"}
    keys = {f["key"] for f in visible_fields(FIELDS, answers)}
    assert "detail" not in keys
    assert "detail_photo" not in keys
    assert validate_answers(FIELDS, answers) == []
    answers["problem"] = True
    assert codes(validate_answers(FIELDS, answers)) == {"detail_photo": "invalid_photo"}


def test_show_if_true_does_not_match_one() -> None:
    fields = [
        {"key": "n", "type": "number", "label": L("n")},
        {"key": "t", "type": "text", "label": L("t"), "show_if": {"field": "n", "equals": 1}},
    ]
    assert [f["key"] for f in visible_fields(fields, {"n": True})] == ["n"]
    assert [f["key"] for f in visible_fields(fields, {"n": 1})] == ["n", "t"]


def test_visible_fields_returns_copies() -> None:
    shown = visible_fields(FIELDS, VALID)
    shown[0]["key"] = "changed"
    assert FIELDS[0]["key"] == "name"


# --- template validation ------------------------------------------------------------


def one(**changes: Any) -> list[dict[str, Any]]:
    base: dict[str, Any] = {"key": "a", "type": "text", "label": L("甲")}
    base.update(changes)
    return [base]


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        (one(key="A"), "fields[0].key", "invalid_key"),
        (one(key=None), "fields[0].key", "invalid_key"),
        (one(type="slider"), "fields[0].type", "invalid_type"),
        (one(label="甲"), "fields[0].label", "invalid_label"),
        (one(label={"zh": "甲"}), "fields[0].label", "invalid_label"),
        (one(label={"zh": "甲", "en": " "}), "fields[0].label", "invalid_label"),
        (one(help={"zh": "x"}), "fields[0].help", "invalid_label"),
        (one(required="yes"), "fields[0].required", "not_a_bool"),
        (one(colour="red"), "fields[0].colour", "unknown_property"),
        (one(type="choice"), "fields[0].options", "options_missing"),
        (one(type="choice", options=[]), "fields[0].options", "options_missing"),
        (one(type="choice", options=[{"value": "x"}]), "fields[0].options[0]",
         "invalid_option"),
        (one(type="choice", options=[opt("x"), opt("x")]), "fields[0].options[1]",
         "duplicate_option"),
        (one(options=[opt("x")]), "fields[0].options", "not_allowed"),
        (one(min=1), "fields[0].min", "not_allowed"),
        (one(type="number", max="9"), "fields[0].max", "not_a_number"),
        (one(type="number", min=5, max=1), "fields[0].min", "invalid_range"),
        (one(integer=True), "fields[0].integer", "not_allowed"),
        (one(type="number", integer=1), "fields[0].integer", "not_a_bool"),
        (one(pattern="(["), "fields[0].pattern", "invalid_pattern"),
        (one(pattern=5), "fields[0].pattern", "invalid_pattern"),
        (one(type="number", pattern=r"\d"), "fields[0].pattern", "not_allowed"),
        (one(max_length=0), "fields[0].max_length", "invalid_max_length"),
        (one(max_length=True), "fields[0].max_length", "invalid_max_length"),
        (one(type="date", max_length=5), "fields[0].max_length", "not_allowed"),
        (one(show_if={"field": "a", "equals": "x"}), "fields[0].show_if",
         "show_if_unknown_field"),
        (one(show_if={"field": "a"}), "fields[0].show_if", "invalid_show_if"),
        (one(show_if="a"), "fields[0].show_if", "invalid_show_if"),
    ],
)
def test_invalid_templates(fields: list[dict[str, Any]], field: str, code: str) -> None:
    assert codes(validate_template(fields)) == {field: code}


def test_template_must_be_a_list_of_objects() -> None:
    assert codes(validate_template({"a": 1})) == {"fields": "not_a_list"}
    assert codes(validate_template(["x"])) == {"fields[0]": "not_an_object"}


def test_template_duplicate_key() -> None:
    fields = [*one(), *one()]
    assert codes(validate_template(fields)) == {"fields[1].key": "duplicate_key"}


def test_show_if_forward_reference_is_refused() -> None:
    fields = [
        {"key": "a", "type": "text", "label": L("a"), "show_if": {"field": "b", "equals": "x"}},
        {"key": "b", "type": "text", "label": L("b")},
    ]
    assert codes(validate_template(fields)) == {"fields[0].show_if": "show_if_unknown_field"}


@pytest.mark.parametrize(
    "cond",
    [
        {"field": "c", "equals": "nope"},
        {"field": "c", "in": []},
        {"field": "c", "in": "x"},
        {"field": "c", "equals": "x", "in": ["x"]},
        {"field": "y", "equals": "x"},
        {"field": "p", "equals": "x"},
    ],
)
def test_show_if_values_must_fit_the_controlling_field(cond: dict[str, Any]) -> None:
    fields = [
        {"key": "c", "type": "choice", "label": L("c"), "options": [opt("x")]},
        {"key": "y", "type": "yes_no", "label": L("y")},
        {"key": "p", "type": "photo", "label": L("p")},
        {"key": "t", "type": "text", "label": L("t"), "show_if": cond},
    ]
    assert codes(validate_template(fields)) == {"fields[3].show_if": "invalid_show_if"}


# --- default templates --------------------------------------------------------------


@pytest.mark.parametrize("template", DEFAULT_TEMPLATES, ids=lambda t: t["name"])
def test_default_template_is_valid(template: dict[str, Any]) -> None:
    assert validate_template(template["fields"]) == []
    assert set(template) == {"id", *records.VISIT_TEMPLATE.field_names}
    assert template["version"] == 1 and template["active"] is True
    assert template["form_id"] == template["id"] and template["name_en"]
    # JSON-able and a valid visit_template record.
    data = json.loads(json.dumps({k: v for k, v in template.items() if k != "id"}))
    spec = records.entity("visit_template")
    assert records.from_wire(spec, data)["fields"] == template["fields"]
    assert records.missing_required(spec, template) == []


def test_default_template_ids_are_fixed() -> None:
    assert [t["id"] for t in DEFAULT_TEMPLATES] == [ROUTINE_TEMPLATE_ID, ELDERLY_CARE_TEMPLATE_ID]
    assert str(uuid.uuid5(TEMPLATE_NAMESPACE, "routine-visit")) == ROUTINE_TEMPLATE_ID
    assert ROUTINE_TEMPLATE_ID == "0929a37d-7dc3-52d3-b5fd-ee9b5413c462"
    assert ELDERLY_CARE_TEMPLATE_ID == "04831130-b296-570a-b608-ad74f008750f"
    assert [t["name"] for t in DEFAULT_TEMPLATES] == ["常规走访", "独居老人关爱走访"]


def test_elderly_care_template_answers() -> None:
    fields = DEFAULT_TEMPLATES[1]["fields"]
    answers: dict[str, Any] = {
        "health_status": "fair", "mobility": "walking_aid", "takes_medication": True,
        "medication_list": "氨氯地平", "medication_on_time": True, "gas_check": "hazard",
        "gas_hazard_detail": "软管老化", "electric_check": "ok", "smoke_alarm": "none",
        "fall_risk": "high", "fall_risk_factors": ["no_grab_bars", "poor_lighting"],
        "meal_needs": "daily", "meal_delivery": True, "emergency_contact_name": "王芳",
        "emergency_contact_phone": "13951712345", "mood": "normal",
        "systolic_bp": 145, "diastolic_bp": 90, "photos": [SHA],
    }
    assert validate_answers(fields, answers) == []
    assert validate_answers(fields, {**answers, "emergency_contact_phone": "025-83331234"}) == []
    bad = {**answers, "emergency_contact_phone": "12345", "systolic_bp": 300,
           "gas_hazard_detail": ""}
    assert codes(validate_answers(fields, bad)) == {
        "emergency_contact_phone": "pattern", "systolic_bp": "above_max",
        "gas_hazard_detail": "required",
    }
    # No gas, low fall risk, no meal needs: the details are no longer asked for.
    calm = {k: v for k, v in answers.items()
            if k not in ("gas_hazard_detail", "fall_risk_factors", "meal_delivery")}
    calm.update(gas_check="no_gas", fall_risk="low", meal_needs="none")
    assert validate_answers(fields, calm) == []


def test_routine_template_answers() -> None:
    fields = DEFAULT_TEMPLATES[0]["fields"]
    answers: dict[str, Any] = {
        "interviewee": "李明", "people_at_home": 2, "living_situation": "average",
        "problem_found": True, "problem_category": "municipal",
        "problem_detail": "楼道灯不亮", "follow_up_needed": True,
        "follow_up_plan": "报修后回访", "follow_up_date": "2026-12-02",
    }
    assert validate_answers(fields, answers) == []
    missing = dict(answers)
    del missing["problem_detail"]
    assert codes(validate_answers(fields, missing)) == {"problem_detail": "required"}


def test_default_templates_are_not_mutated_by_validation() -> None:
    before = copy.deepcopy(DEFAULT_TEMPLATES)
    for t in DEFAULT_TEMPLATES:
        validate_answers(t["fields"], {})
        visible_fields(t["fields"], {})
    assert before == DEFAULT_TEMPLATES


@pytest.mark.parametrize(
    "fields",
    [
        [None, "x", {}],
        [{"key": [], "type": "text"}],
        [{"key": "a", "type": "text", "show_if": {"field": []}}],
        [{"key": "a", "type": "text", "show_if": {"field": "a", "in": 3}}],
        [{"key": "a", "type": "number", "min": None, "max": "9"}],
        [{"key": "a", "type": "text", "pattern": "([", "max_length": "5"}],
    ],
)
def test_answers_against_a_malformed_template_never_raise(fields: list[Any]) -> None:
    validate_answers(fields, {"a": 5})
    validate_answers(fields, {"a": "([x"})
    assert validate_template(fields) != []


@pytest.mark.parametrize(("name_en", "lang", "shown"), [
    ("Routine visit", "en", "Routine visit"),
    ("Routine visit", "en_GB", "Routine visit"),
    ("Routine visit", "zh_CN", "常规走访"),
    (None, "en", "常规走访"),  # a form made before names were bilingual
    ("  ", "en", "常规走访"),
])
def test_a_form_is_named_in_the_ui_language(name_en: str | None, lang: str,
                                           shown: str) -> None:
    assert template_title("常规走访", name_en, lang) == shown
