"""Visit form templates: the field-definition schema and the validation of answers.

A template's ``fields`` is a JSON list of field definitions (it travels on the wire in
``visit_template.fields``)::

    {"key": "gas_check",                      # [a-z][a-z0-9_]*, unique in the template
     "type": "choice",                        # one of FIELD_TYPES
     "label": {"zh": "燃气安全检查", "en": "Gas safety check"},
     "required": true,                        # optional, default false
     "options": [{"value": "ok", "label": {"zh": "正常", "en": "OK"}}, ...],
                                              # choice / multi_choice only, required there
     "min": 0, "max": 20,                     # number only
     "integer": true,                         # number only: whole numbers
     "pattern": "0\\d{2,3}-?\\d{7,8}",        # text / long_text, matched against the whole
     "max_length": 200,                       # text / long_text
     "show_if": {"field": "gas_check", "equals": "hazard"}
              | {"field": "fall_risk", "in": ["medium", "high"]},
     "help": {"zh": "...", "en": "..."}}

``show_if`` may only refer to a field defined *before* it, which rules out cycles and lets
a form be evaluated top to bottom. When the controlling field is a multi-choice, ``equals``
means "that option is ticked" and ``in`` means "any of these is ticked". A field whose
controlling field is hidden is hidden too.

Answers are JSON values keyed by field key: ``str`` for text, long_text and choice;
a number (not a numeric string) for number; a ``list[str]`` for multi_choice; an ISO date
string ``YYYY-MM-DD`` for date; ``bool`` for yes_no; a list of lower-case sha256 hex
strings (blob hashes) for photo. A hidden field is not required and its answer is
ignored, so a worker who unticks "problem found" does not have to clear the details.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gulou_desk.domain.problems import Problem

FIELD_TYPES = (
    "text", "long_text", "number", "choice", "multi_choice", "date", "yes_no", "photo",
)
TEXT_TYPES = ("text", "long_text")
CHOICE_TYPES = ("choice", "multi_choice")
# Limits when a text field declares no max_length, so answers cannot grow without bound.
DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 4000}
MAX_PHOTOS = 20

_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PROPERTIES = frozenset({
    "key", "type", "label", "required", "options", "min", "max", "integer", "pattern",
    "max_length", "show_if", "help",
})


# --- templates ----------------------------------------------------------------------


def template_title(name: Any, name_en: Any, lang: str) -> str:
    """A form's name in the UI language (``zh_CN``, ``en``…): the English name when the
    language is English and the form has one, else the Chinese name."""
    if lang.startswith("en") and isinstance(name_en, str) and name_en.strip():
        return name_en
    return str(name or name_en or "")


def _is_label(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"zh", "en"}
        and all(isinstance(v, str) and v.strip() for v in value.values())
    )


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _option_values(definition: Mapping[str, Any]) -> list[Any]:
    options = definition.get("options")
    if not isinstance(options, list):
        return []
    return [o.get("value") for o in options if isinstance(o, dict)]


def validate_template(fields: Any) -> list[Problem]:
    """Problems with a template's field definitions; an empty list when it is usable.

    ``field`` of each problem is ``fields[i]`` or ``fields[i].<property>``.
    """
    if not isinstance(fields, list):
        return [Problem("fields", "not_a_list", "fields must be a list of field definitions")]
    problems: list[Problem] = []
    seen: dict[str, Mapping[str, Any]] = {}
    for i, definition in enumerate(fields):
        where = f"fields[{i}]"
        if not isinstance(definition, dict):
            problems.append(Problem(where, "not_an_object", f"{where} must be an object"))
            continue
        problems.extend(_check_definition(where, definition, seen))
        key = definition.get("key")
        if isinstance(key, str) and key not in seen:
            seen[key] = definition
    return problems


def _check_definition(
    where: str, d: Mapping[str, Any], earlier: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    out: list[Problem] = []

    def add(prop: str, code: str, message: str, **params: Any) -> None:
        out.append(Problem(f"{where}.{prop}", code, f"{where}.{prop}: {message}", params))

    for prop in sorted(set(d) - _PROPERTIES):
        add(prop, "unknown_property", "not a property of a field definition")
    key = d.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        add("key", "invalid_key", "must match [a-z][a-z0-9_]* (at most 64 characters)")
    elif key in earlier:
        add("key", "duplicate_key", f"key {key!r} is used twice", key=key)
    type_ = d.get("type")
    if type_ not in FIELD_TYPES:
        add("type", "invalid_type", f"must be one of {', '.join(FIELD_TYPES)}")
    if not _is_label(d.get("label")):
        add("label", "invalid_label", 'must be {"zh": ..., "en": ...} with non-empty texts')
    if "help" in d and not _is_label(d["help"]):
        add("help", "invalid_label", 'must be {"zh": ..., "en": ...} with non-empty texts')
    if "required" in d and not isinstance(d["required"], bool):
        add("required", "not_a_bool", "must be true or false")

    # options
    if type_ in CHOICE_TYPES:
        options = d.get("options")
        if not isinstance(options, list) or not options:
            add("options", "options_missing", "a choice field needs a non-empty options list")
        else:
            values: set[str] = set()
            for j, option in enumerate(options):
                if (
                    not isinstance(option, dict)
                    or set(option) != {"value", "label"}
                    or not isinstance(option["value"], str)
                    or not option["value"]
                    or not _is_label(option["label"])
                ):
                    add(f"options[{j}]", "invalid_option",
                        'must be {"value": non-empty str, "label": {"zh", "en"}}')
                elif option["value"] in values:
                    add(f"options[{j}]", "duplicate_option",
                        f"option {option['value']!r} is listed twice", value=option["value"])
                else:
                    values.add(option["value"])
    elif "options" in d:
        add("options", "not_allowed", f"options do not apply to a {type_} field")

    # number range
    for prop in ("min", "max"):
        if prop not in d:
            continue
        if type_ != "number":
            add(prop, "not_allowed", f"{prop} applies to number fields only")
        elif not _is_number(d[prop]):
            add(prop, "not_a_number", "must be a finite number")
    if (
        type_ == "number"
        and _is_number(d.get("min"))
        and _is_number(d.get("max"))
        and d["min"] > d["max"]
    ):
        add("min", "invalid_range", "min is greater than max", min=d["min"], max=d["max"])
    if "integer" in d:
        if type_ != "number":
            add("integer", "not_allowed", "integer applies to number fields only")
        elif not isinstance(d["integer"], bool):
            add("integer", "not_a_bool", "must be true or false")

    # text constraints
    if "pattern" in d:
        if type_ not in TEXT_TYPES:
            add("pattern", "not_allowed", "pattern applies to text fields only")
        elif not isinstance(d["pattern"], str):
            add("pattern", "invalid_pattern", "must be a regular expression")
        else:
            try:
                re.compile(d["pattern"])
            except re.error as exc:
                add("pattern", "invalid_pattern", f"does not compile: {exc}")
    if "max_length" in d:
        value = d["max_length"]
        if type_ not in TEXT_TYPES:
            add("max_length", "not_allowed", "max_length applies to text fields only")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            add("max_length", "invalid_max_length", "must be a positive integer")

    if "show_if" in d:
        out.extend(_check_show_if(f"{where}.show_if", d["show_if"], earlier))
    return out


def _check_show_if(
    where: str, cond: Any, earlier: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    def problem(code: str, message: str) -> list[Problem]:
        return [Problem(where, code, f"{where}: {message}")]

    if (
        not isinstance(cond, dict)
        or "field" not in cond
        or len(cond) != 2
        or not ({"equals", "in"} & set(cond))
    ):
        return problem("invalid_show_if",
                       'must be {"field": key, "equals": value} or {"field": key, "in": [...]}')
    target = earlier.get(cond["field"]) if isinstance(cond["field"], str) else None
    if target is None:
        return problem("show_if_unknown_field",
                       f"refers to {cond['field']!r}, which is not a field defined before it")
    wanted = [cond["equals"]] if "equals" in cond else cond["in"]
    if not isinstance(wanted, list) or not wanted:
        return problem("invalid_show_if", '"in" must be a non-empty list')
    target_type = target.get("type")
    if target_type in CHOICE_TYPES:
        allowed = _option_values(target)
        if any(not isinstance(v, str) or v not in allowed for v in wanted):
            return problem("invalid_show_if", "compares with a value that is not an option")
    elif target_type == "yes_no":
        if any(not isinstance(v, bool) for v in wanted):
            return problem("invalid_show_if", "a yes/no field compares with true or false")
    elif target_type == "photo":
        return problem("invalid_show_if", "cannot depend on a photo field")
    return []


# --- answers ------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equality that keeps ``True`` apart from ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _condition_holds(cond: Mapping[str, Any], value: Any) -> bool:
    if "equals" in cond:
        wanted = [cond["equals"]]
    else:
        wanted = cond["in"] if isinstance(cond.get("in"), list) else []
    given = value if isinstance(value, list) else [value]
    return any(_same(g, w) for g in given for w in wanted)


def visible_fields(
    fields: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The field definitions shown for these answers, in template order.

    A field with ``show_if`` is shown when its condition holds against the answers and
    the controlling field is itself shown. A malformed condition (which
    :func:`validate_template` reports) hides its field rather than raising.
    """
    shown: list[dict[str, Any]] = []
    shown_keys: set[str] = set()
    for definition in fields:
        if not isinstance(definition, Mapping):
            continue
        cond = definition.get("show_if")
        if isinstance(cond, Mapping):
            target = cond.get("field")
            if (
                not isinstance(target, str)
                or target not in shown_keys
                or not _condition_holds(cond, answers.get(target))
            ):
                continue
        shown.append(dict(definition))
        shown_keys.add(str(definition.get("key")))
    return shown


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | dict) and not value


def validate_answers(
    fields: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> list[Problem]:
    """Problems with a visit's answers against the template's fields.

    ``Problem.field`` is the field key. Answers to fields the template does not have are
    ``unknown_field``; answers to hidden fields are ignored.
    """
    problems: list[Problem] = []
    known = {
        d.get("key") for d in fields if isinstance(d, Mapping) and isinstance(d.get("key"), str)
    }
    for key in answers:
        if key not in known:
            problems.append(Problem(key, "unknown_field", f"the form has no field {key!r}"))
    for definition in visible_fields(fields, answers):
        key = str(definition.get("key"))
        value = answers.get(key)
        if _is_empty(value):
            if definition.get("required"):
                problems.append(Problem(key, "required", f"{key} is required"))
            continue
        problem = _check_answer(definition, value)
        if problem is not None:
            problems.append(problem)
    return problems


def _full_match(pattern: str, text: str) -> bool:
    """Whether ``text`` matches; a pattern that does not compile matches everything
    (:func:`validate_template` reports it; answers are not blamed for it)."""
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return True


def _check_answer(d: Mapping[str, Any], value: Any) -> Problem | None:
    """The problem with one non-empty answer, if any.

    Robust against malformed definitions: a bad constraint is skipped, never raised on.
    """
    key = str(d.get("key"))
    type_ = d.get("type")
    if type_ in TEXT_TYPES:
        if not isinstance(value, str):
            return Problem(key, "not_a_text", f"{key}: expected text")
        limit = d.get("max_length")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            limit = DEFAULT_MAX_LENGTH[str(type_)]
        if len(value) > limit:
            return Problem(key, "too_long", f"{key}: at most {limit} characters",
                           {"max_length": limit})
        pattern = d.get("pattern")
        if isinstance(pattern, str) and pattern and not _full_match(pattern, value.strip()):
            return Problem(key, "pattern", f"{key}: does not match {pattern}")
        return None
    if type_ == "number":
        if not _is_number(value):
            return Problem(key, "not_a_number", f"{key}: expected a number")
        if d.get("integer") and value != int(value):
            return Problem(key, "not_an_integer", f"{key}: expected a whole number")
        # Both ends of the range go with either problem: the form says the whole range.
        bounds = {end: d[end] for end in ("min", "max") if _is_number(d.get(end))}
        if "min" in bounds and value < bounds["min"]:
            return Problem(key, "below_min", f"{key}: at least {d['min']}", bounds)
        if "max" in bounds and value > bounds["max"]:
            return Problem(key, "above_max", f"{key}: at most {d['max']}", bounds)
        return None
    if type_ == "choice":
        if not isinstance(value, str) or value not in _option_values(d):
            return Problem(key, "invalid_choice", f"{key}: {value!r:.40} is not an option")
        return None
    if type_ == "multi_choice":
        allowed = _option_values(d)
        if (
            not isinstance(value, list)
            or any(not isinstance(v, str) or v not in allowed for v in value)
            or len(set(value)) != len(value)
        ):
            return Problem(key, "invalid_choice", f"{key}: expected a list of distinct options")
        return None
    if type_ == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return None
        return Problem(key, "not_a_date", f"{key}: expected a date YYYY-MM-DD")
    if type_ == "yes_no":
        if not isinstance(value, bool):
            return Problem(key, "not_a_bool", f"{key}: expected true or false")
        return None
    if type_ == "photo":
        if not isinstance(value, list) or any(
            not isinstance(v, str) or not _SHA256.fullmatch(v) for v in value
        ):
            return Problem(key, "invalid_photo",
                           f"{key}: expected a list of sha256 hashes (lower-case hex)")
        if len(value) > MAX_PHOTOS:
            return Problem(key, "too_many_photos", f"{key}: at most {MAX_PHOTOS} photos",
                           {"max": MAX_PHOTOS})
        return None
    return Problem(key, "invalid_type", f"{key}: the template gives an unknown type {type_!r}")
