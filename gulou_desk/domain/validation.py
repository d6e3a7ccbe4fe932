"""Record validation shared by the client (instant offline feedback) and the server.

Values are Python values as :func:`gulou_desk.records.from_wire` returns them. Each
problem names its field and carries a code the UI translates.

``partial=True`` (a plain update) checks only the fields present; cross-field rules
(ID number vs. birth date and gender) run only when both fields are present. For an
update the server should therefore also validate the merged record with
``partial=False`` when it needs the cross-field checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from gulou_desk import records
from gulou_desk.domain import catalogue, forms, gubao, participation
from gulou_desk.domain.ids import IdNumberError, normalize_id_number, parse_id_number
from gulou_desk.domain.phones import check_phone, normalize_phone
from gulou_desk.domain.problems import Problem
from gulou_desk.records import SHANGHAI, Kind

CADENCE_RANGE = (1, 365)
SCORE_RANGE = (0.0, 100.0)
TAG_MAX_LENGTH = 32
EARLIEST_BIRTH_DATE = dt.date(1880, 1, 1)
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
_SHA256 = re.compile(r"[0-9a-f]{64}")

# The phone fields per entity, and whether service (hotline) numbers are allowed.
PHONE_FIELDS: dict[str, tuple[str, bool]] = {
    "household": ("phone", False),
    "resident": ("phone", False),
    "service_item": ("phone", True),
    "volunteer": ("phone", False),
}

_PY_TYPES: dict[Kind, tuple[type, ...]] = {
    Kind.STR: (str,),
    Kind.TEXT: (str,),
    Kind.REF: (str,),
    Kind.INT: (int,),
    Kind.FLOAT: (int, float),
    Kind.BOOL: (bool,),
    Kind.DATE: (dt.date,),
    Kind.DATETIME: (dt.datetime,),
    Kind.JSON_LIST: (list,),
    Kind.JSON_OBJECT: (dict,),
}


def _type_ok(spec: records.FieldSpec, value: Any) -> bool:
    if spec.kind in (Kind.INT, Kind.FLOAT) and isinstance(value, bool):
        return False
    if spec.kind is Kind.DATE and isinstance(value, dt.datetime):
        return False
    if spec.kind is Kind.DATETIME and isinstance(value, dt.datetime):
        return value.tzinfo is not None
    return isinstance(value, _PY_TYPES[spec.kind])


_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
"""NUL (no PostgreSQL text holds it) and lone surrogates (not UTF-8: no request body can
carry them). A character outside the BMP is one code point in a Python string, so every
code point in D800–DFFF is a lone half of a pair."""


def text_problems(values: Mapping[str, Any], prefix: str = "") -> list[Problem]:
    """A problem for each value (fields, action arguments, answers, at any depth) whose
    text holds NUL or a lone surrogate; the field is named as ``answers.note`` /
    ``tags[2]``. Both sides run it: the client before an edit is queued, the server on
    what it receives."""
    problems: list[Problem] = []

    def walk(value: Any, name: str) -> None:
        if isinstance(value, str):
            found = _BAD_TEXT.search(value)
            if found is not None:
                code = "nul_character" if found.group() == "\x00" else "lone_surrogate"
                what = code.replace("_", " ")
                problems.append(Problem(
                    name, code, f"{name}: text with a {what} (U+{ord(found.group()):04X})"))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{name}.{key}" if name else str(key))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(item, f"{name}[{index}]")

    for key, value in values.items():
        walk(value, f"{prefix}{key}")
    return problems


def _plain_clean(value: Any) -> bool:
    """A value :func:`text_problems` finds nothing in, known without walking it: text
    without NUL or a lone surrogate, or a number, a date … (the server checks every field
    of a record on each update: most are such)."""
    if isinstance(value, str):
        return _BAD_TEXT.search(value) is None
    return not isinstance(value, Mapping | list | tuple)


def _generic(
    spec: records.EntitySpec, values: Mapping[str, Any], partial: bool
) -> tuple[list[Problem], set[str]]:
    """Required fields, Python types, text (:func:`text_problems`), lengths and choices;
    and the names that failed."""
    problems: list[Problem] = []
    bad: set[str] = set()
    for name in records.missing_required(spec, values):
        if partial and name not in values:
            continue
        problems.append(Problem(name, "required", f"{spec.name}.{name} is required"))
        bad.add(name)
    for f in spec.fields:
        value = values.get(f.name)
        if value is None or f.name in bad:
            continue
        if not _type_ok(f, value):
            problems.append(Problem(f.name, "invalid_type",
                                    f"{spec.name}.{f.name}: expected {f.kind.value}"))
        elif not _plain_clean(value) and (bad_text := text_problems({f.name: value})):
            problems.extend(bad_text)
        elif f.max_length is not None and len(value) > f.max_length:
            problems.append(Problem(f.name, "too_long",
                                    f"{spec.name}.{f.name}: at most {f.max_length} characters",
                                    {"max_length": f.max_length}))
        elif f.choices is not None and value not in f.choices:
            problems.append(Problem(f.name, "invalid_choice",
                                    f"{spec.name}.{f.name}: not one of {', '.join(f.choices)}",
                                    {"choices": list(f.choices)}))
        else:
            continue
        bad.add(f.name)
    return problems, bad


def validate_record(
    entity: str,
    values: Mapping[str, Any],
    *,
    partial: bool = False,
    today: dt.date | None = None,
) -> list[Problem]:
    """Every problem with a record's values; an empty list when it may be saved.

    ``today`` (Shanghai) bounds birth dates and visit times; it defaults to the current
    date in Shanghai. Fields not in the spec (``id``, ``version``, local columns) are
    ignored: unknown wire fields are refused earlier, by ``records.from_wire``.
    """
    spec = records.entity(entity)
    today = today or records.now().date()
    problems, bad = _generic(spec, values, partial)

    def present(name: str) -> bool:
        return values.get(name) is not None and name not in bad

    if entity in PHONE_FIELDS:
        name, service = PHONE_FIELDS[entity]
        if present(name) and values[name].strip():
            code = check_phone(values[name], service=service)
            if code is not None:
                problems.append(Problem(name, code, f"{entity}.{name}: not a phone number"))
    checker = _ENTITY_CHECKS.get(entity)
    if checker is not None:
        problems.extend(checker(values, present, today))
    return problems


Present = Callable[[str], bool]


def _check_tags(values: Mapping[str, Any], present: Present) -> list[Problem]:
    if not present("tags"):
        return []
    for tag in values["tags"]:
        if not isinstance(tag, str) or not tag.strip():
            return [Problem("tags", "tag_invalid", "tags must be non-empty strings")]
        if len(tag) > TAG_MAX_LENGTH:
            return [Problem("tags", "tag_too_long",
                            f"a tag has at most {TAG_MAX_LENGTH} characters",
                            {"max_length": TAG_MAX_LENGTH})]
    return []


def _check_household(
    values: Mapping[str, Any], present: Present, today: dt.date
) -> list[Problem]:
    problems = _check_tags(values, present)
    if present("visit_cadence_days"):
        low, high = CADENCE_RANGE
        if not low <= values["visit_cadence_days"] <= high:
            problems.append(Problem("visit_cadence_days", "out_of_range",
                                    f"visit_cadence_days must be {low}..{high}",
                                    {"min": low, "max": high}))
    return problems


def _check_resident(
    values: Mapping[str, Any], present: Present, today: dt.date
) -> list[Problem]:
    problems = _check_tags(values, present)
    birth_ok = False
    if present("birth_date"):
        birth = values["birth_date"]
        if birth > today:
            problems.append(Problem("birth_date", "date_in_future",
                                    "birth_date is in the future"))
        elif birth < EARLIEST_BIRTH_DATE:
            problems.append(Problem("birth_date", "out_of_range",
                                    "birth_date is implausibly early",
                                    {"min": EARLIEST_BIRTH_DATE.isoformat()}))
        else:
            birth_ok = True
    if present("id_number") and values["id_number"].strip():
        try:
            info = parse_id_number(values["id_number"], today=today)
        except IdNumberError as exc:
            problems.append(Problem("id_number", exc.problem.value, str(exc)))
        else:
            if birth_ok and values["birth_date"] != info.birth_date:
                problems.append(Problem(
                    "birth_date", "id_birth_date_mismatch",
                    "birth_date differs from the one in the ID number",
                    {"id_birth_date": info.birth_date.isoformat()},
                ))
            if present("gender") and values["gender"] != info.gender:
                problems.append(Problem(
                    "gender", "id_gender_mismatch",
                    "gender differs from the one in the ID number",
                    {"id_gender": info.gender},
                ))
    return problems


def _check_visit(values: Mapping[str, Any], present: Present, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    if present("visited_at") and values["visited_at"].astimezone(SHANGHAI).date() > today:
        problems.append(Problem("visited_at", "date_in_future", "visited_at is in the future"))
    if present("template_version") and values["template_version"] < 1:
        problems.append(Problem("template_version", "out_of_range",
                                "template_version starts at 1", {"min": 1}))
    if present("photos") and any(
        not isinstance(p, str) or not _SHA256.fullmatch(p) for p in values["photos"]
    ):
        problems.append(Problem("photos", "invalid_photo",
                                "photos must be sha256 hashes (lower-case hex)"))
    return problems


def _check_performance(
    values: Mapping[str, Any], present: Present, today: dt.date
) -> list[Problem]:
    problems: list[Problem] = []
    if present("period"):
        match = _PERIOD.fullmatch(values["period"])
        if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
            problems.append(Problem("period", "period_invalid", "period must be YYYY-MM"))
    if present("score"):
        low, high = SCORE_RANGE
        if not low <= values["score"] <= high:
            problems.append(Problem("score", "out_of_range", f"score must be {low:g}..{high:g}",
                                    {"min": low, "max": high}))
    return problems


def _check_visit_template(
    values: Mapping[str, Any], present: Present, today: dt.date
) -> list[Problem]:
    problems: list[Problem] = []
    if present("version") and values["version"] < 1:
        problems.append(Problem("version", "out_of_range", "version starts at 1", {"min": 1}))
    if present("fields"):
        problems.extend(forms.validate_template(values["fields"]))
    return problems


def _check_string_list(name: str) -> Callable[[Mapping[str, Any], Present, dt.date],
                                              list[Problem]]:
    def check(values: Mapping[str, Any], present: Present, today: dt.date) -> list[Problem]:
        if present(name) and any(not isinstance(v, str) or not v for v in values[name]):
            return [Problem(name, "invalid_item", f"{name} must be a list of non-empty strings")]
        return []
    return check


_ENTITY_CHECKS: dict[str, Callable[[Mapping[str, Any], Present, dt.date], list[Problem]]] = {
    "household": _check_household,
    "resident": _check_resident,
    "visit": _check_visit,
    "performance_record": _check_performance,
    "visit_template": _check_visit_template,
    "catalogue_entry": lambda values, present, today: catalogue.problems(values),
    "grid": _check_string_list("worker_ids"),
    "service_item": _check_string_list("documents"),
    "ticket": _check_string_list("source_message_ids"),
}


def _check_participation(entity: str) -> Callable[[Mapping[str, Any], Present, dt.date],
                                                  list[Problem]]:
    def check(values: Mapping[str, Any], present: Present, today: dt.date) -> list[Problem]:
        return participation.record_problems(
            entity, {k: v for k, v in values.items() if present(k)})
    return check


for _entity in ("questionnaire", "questionnaire_response", "consultation",
                "consultation_comment", "consultation_meeting", "volunteer",
                "volunteer_activity"):
    _ENTITY_CHECKS[_entity] = _check_participation(_entity)


def _check_gubao(entity: str) -> Callable[[Mapping[str, Any], Present, dt.date],
                                          list[Problem]]:
    def check(values: Mapping[str, Any], present: Present, today: dt.date) -> list[Problem]:
        return gubao.record_problems(entity, {k: v for k, v in values.items() if present(k)})
    return check


for _entity in ("knowledge_entry", "announcement", "alert_rule"):
    _ENTITY_CHECKS[_entity] = _check_gubao(_entity)
_ENTITY_CHECKS["service_item"] = _check_gubao("service_item")


OFFLINE_WINDOW = dt.timedelta(days=30)
"""How long before it reaches the server a household may have been registered offline:
the earliest ``created_at`` the server keeps from a client (later ones are its own now)."""


def household_created_at(claimed: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When a new household was registered, as the server keeps it: ``now``, or the
    client's time for a household registered offline, kept inside the last
    :data:`OFFLINE_WINDOW` (a client cannot date a household into the past to date
    visits before it, nor into the future)."""
    if claimed is None:
        return now
    return min(max(claimed, now - OFFLINE_WINDOW), now)


def visit_date_problem(visited_at: dt.datetime | None,
                       household: Mapping[str, Any] | None) -> Problem | None:
    """A visit is not dated before the day its household was registered (Shanghai
    days); ``None`` when it is not, or when the household's registration is unknown."""
    created = (household or {}).get("created_at")
    if visited_at is None or not isinstance(created, dt.datetime):
        return None
    first = created.astimezone(SHANGHAI).date()
    if visited_at.astimezone(SHANGHAI).date() >= first:
        return None
    return Problem("visited_at", "before_household",
                   "visited_at is before the household was registered",
                   {"min": first.isoformat()})


def validate_visit(values: Mapping[str, Any], template: Mapping[str, Any]) -> list[Problem]:
    """Problems of a visit against the template it was filled with.

    Checks only what depends on the template (run :func:`validate_record` for the rest):
    ``template_id`` and ``template_version`` must be the template's, and the answers
    must pass :func:`forms.validate_answers`; their problems are named
    ``answers.<key>``.
    """
    problems: list[Problem] = []
    if (
        values.get("template_id") is not None
        and template.get("id") is not None
        and values["template_id"] != template["id"]
    ):
        problems.append(Problem("template_id", "template_mismatch",
                                "the visit was filled with another template"))
    if values.get("template_version") != template.get("version"):
        problems.append(Problem(
            "template_version", "template_version",
            f"template version {values.get('template_version')!r} is not the template's "
            f"{template.get('version')!r}",
            {"expected": template.get("version")},
        ))
    answers = values.get("answers")
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        problems.append(Problem("answers", "invalid_type", "answers must be an object"))
        return problems
    fields = template.get("fields") or []
    for p in forms.validate_answers(fields, answers):
        problems.append(Problem(f"answers.{p.field}", p.code, p.message, p.params))
    return problems


def normalize_values(entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with the fields people type loosely put in canonical form.

    Phones become ``13912345678`` / ``025-83331234``, ID numbers lose spaces and get an
    upper-case X. Invalid values are left for :func:`validate_record` to report. Use
    cases call this before validating and saving, so stored values compare equal.
    """
    out = dict(values)
    if entity in PHONE_FIELDS:
        name, service = PHONE_FIELDS[entity]
        if isinstance(out.get(name), str):
            out[name] = normalize_phone(out[name], service=service) or None
    if entity == "resident" and isinstance(out.get("id_number"), str):
        out["id_number"] = normalize_id_number(out["id_number"]) or None
    return out
