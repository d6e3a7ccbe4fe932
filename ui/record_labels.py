"""What records and their fields are called on screen, and how their values read.

:mod:`gulou_desk.records` names entities and fields for code; this module is the one place
that turns ``("household", "head_name")`` into "户主" and ``("resident", "status",
"deceased")`` into "已故", in the user's language. Views (households, conflicts, and any
other) use it, so a field is labelled the same everywhere.

Values may be Python values (a local row) or wire values (a conflict, a rejection's kept
fields); :func:`display_value` reads both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from gulou_desk import records
from gulou_desk.records import SHANGHAI, Kind
from ui.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate
CONTEXT = "Records"

_ENTITY_LABELS: dict[str, str] = {
    "household": QT_TRANSLATE_NOOP("Records", "Household"),
    "resident": QT_TRANSLATE_NOOP("Records", "Resident"),
    "visit": QT_TRANSLATE_NOOP("Records", "Visit"),
    "ticket": QT_TRANSLATE_NOOP("Records", "Ticket"),
    "inbox_message": QT_TRANSLATE_NOOP("Records", "Request"),
    "performance_record": QT_TRANSLATE_NOOP("Records", "Performance record"),
    "ticket_event": QT_TRANSLATE_NOOP("Records", "Ticket event"),
}

_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("household", "grid_id"): QT_TRANSLATE_NOOP("Records", "Grid"),
    ("household", "estate"): QT_TRANSLATE_NOOP("Records", "Estate"),
    ("household", "building"): QT_TRANSLATE_NOOP("Records", "Building"),
    ("household", "unit"): QT_TRANSLATE_NOOP("Records", "Unit"),
    ("household", "room"): QT_TRANSLATE_NOOP("Records", "Room"),
    ("household", "address"): QT_TRANSLATE_NOOP("Records", "Address"),
    ("household", "head_name"): QT_TRANSLATE_NOOP("Records", "Head of household"),
    ("household", "phone"): QT_TRANSLATE_NOOP("Records", "Phone"),
    ("household", "tags"): QT_TRANSLATE_NOOP("Records", "Care tags"),
    ("household", "visit_cadence_days"): QT_TRANSLATE_NOOP("Records", "Visit every (days)"),
    ("household", "last_visit_at"): QT_TRANSLATE_NOOP("Records", "Last visit"),
    ("household", "notes"): QT_TRANSLATE_NOOP("Records", "Notes"),
    ("household", "status"): QT_TRANSLATE_NOOP("Records", "Status"),
    ("resident", "household_id"): QT_TRANSLATE_NOOP("Records", "Household"),
    ("resident", "name"): QT_TRANSLATE_NOOP("Records", "Name"),
    ("resident", "gender"): QT_TRANSLATE_NOOP("Records", "Gender"),
    ("resident", "birth_date"): QT_TRANSLATE_NOOP("Records", "Date of birth"),
    ("resident", "id_number"): QT_TRANSLATE_NOOP("Records", "Resident ID number"),
    ("resident", "phone"): QT_TRANSLATE_NOOP("Records", "Phone"),
    ("resident", "relation"): QT_TRANSLATE_NOOP("Records", "Relation to the head"),
    ("resident", "tags"): QT_TRANSLATE_NOOP("Records", "Care tags"),
    ("resident", "status"): QT_TRANSLATE_NOOP("Records", "Status"),
    ("visit", "visited_at"): QT_TRANSLATE_NOOP("Records", "Visited at"),
    ("visit", "answers"): QT_TRANSLATE_NOOP("Records", "Answers"),
    ("visit", "notes"): QT_TRANSLATE_NOOP("Records", "Notes"),
    ("visit", "follow_up"): QT_TRANSLATE_NOOP("Records", "Needs follow-up"),
    ("visit", "photos"): QT_TRANSLATE_NOOP("Records", "Photos"),
    ("ticket", "title"): QT_TRANSLATE_NOOP("Records", "Title"),
    ("ticket", "description"): QT_TRANSLATE_NOOP("Records", "Description"),
    ("ticket", "category"): QT_TRANSLATE_NOOP("Records", "Category"),
    ("ticket", "priority"): QT_TRANSLATE_NOOP("Records", "Priority"),
    ("ticket", "household_id"): QT_TRANSLATE_NOOP("Records", "Household"),
    ("performance_record", "self_assessment"): QT_TRANSLATE_NOOP("Records", "Self-assessment"),
}

_CHOICE_LABELS: dict[tuple[str, str], str] = {
    ("gender", "male"): QT_TRANSLATE_NOOP("Records", "Male"),
    ("gender", "female"): QT_TRANSLATE_NOOP("Records", "Female"),
    ("status", "active"): QT_TRANSLATE_NOOP("Records", "Living here"),
    ("status", "moved_out"): QT_TRANSLATE_NOOP("Records", "Moved out"),
    ("status", "deceased"): QT_TRANSLATE_NOOP("Records", "Deceased"),
    ("priority", "low"): QT_TRANSLATE_NOOP("Records", "Low"),
    ("priority", "normal"): QT_TRANSLATE_NOOP("Records", "Normal"),
    ("priority", "high"): QT_TRANSLATE_NOOP("Records", "High"),
    ("priority", "urgent"): QT_TRANSLATE_NOOP("Records", "Urgent"),
}

_TAG_LABELS: dict[str, str] = {
    "独居老人": QT_TRANSLATE_NOOP("Records", "Elderly living alone"),
    "空巢老人": QT_TRANSLATE_NOOP("Records", "Empty-nest elderly"),
    "低保": QT_TRANSLATE_NOOP("Records", "Subsistence allowance"),
    "残疾": QT_TRANSLATE_NOOP("Records", "Disability"),
    "退役军人": QT_TRANSLATE_NOOP("Records", "Veteran"),
    "特扶": QT_TRANSLATE_NOOP("Records", "Special-assistance family"),
    "重点关注": QT_TRANSLATE_NOOP("Records", "Key attention"),
}
"""The care tags (:data:`gulou_desk.records.HOUSEHOLD_TAGS`, stored in Chinese, the
district's data) as they read in the UI's language."""
TAG_SEPARATOR = QT_TRANSLATE_NOOP("Records", ", ")

_RELATION_LABELS: dict[str, str] = {
    "户主": QT_TRANSLATE_NOOP("Records", "Head of household"),
    "配偶": QT_TRANSLATE_NOOP("Records", "Spouse"),
    "子女": QT_TRANSLATE_NOOP("Records", "Child"),
    "父母": QT_TRANSLATE_NOOP("Records", "Parent"),
    "孙子女": QT_TRANSLATE_NOOP("Records", "Grandchild"),
    "兄弟姐妹": QT_TRANSLATE_NOOP("Records", "Sibling"),
    "其他": QT_TRANSLATE_NOOP("Records", "Other"),
}
"""A resident's relation to the head: the values suggested (stored in Chinese, the
district's data; the field is free text) as they read in the UI's language."""
RELATIONS = tuple(_RELATION_LABELS)
_SERVICE_CATEGORY_LABELS: dict[str, str] = {
    "政务办理": QT_TRANSLATE_NOOP("Records", "Government affairs"),
    "养老助餐": QT_TRANSLATE_NOOP("Records", "Meals for the elderly"),
    "养老机构": QT_TRANSLATE_NOOP("Records", "Elderly care homes"),
    "医疗卫生": QT_TRANSLATE_NOOP("Records", "Health care"),
    "就业服务": QT_TRANSLATE_NOOP("Records", "Employment"),
    "法律援助": QT_TRANSLATE_NOOP("Records", "Legal aid"),
    "便民维修": QT_TRANSLATE_NOOP("Records", "Repairs"),
    "文化体育": QT_TRANSLATE_NOOP("Records", "Culture and sports"),
    "其他": QT_TRANSLATE_NOOP("Records", "Other"),
}
"""The service catalogue's categories (:data:`gulou_desk.records.SERVICE_CATEGORIES`,
stored in Chinese) as they read in the UI's language."""
_CHOICE_LABELS.update({("tags", tag): text for tag, text in _TAG_LABELS.items()})
_CHOICE_LABELS.update({("relation", value): text for value, text in _RELATION_LABELS.items()})
_CHOICE_LABELS.update({("service_category", value): text
                       for value, text in _SERVICE_CATEGORY_LABELS.items()})

EMPTY = "—"


def chinese() -> bool:
    """The UI speaks Chinese (the locale the language setting installs)."""
    return QLocale().language() == QLocale.Language.Chinese


def entity_label(entity: str) -> str:
    """The kind of record in the UI's language: a label of this module, else the one
    ``gulou_desk.records`` declares with the entity (every entity has both)."""
    text = _ENTITY_LABELS.get(entity)
    if text is not None:
        return translate(CONTEXT, text)
    spec = records.ENTITIES.get(entity)
    if spec is None:
        return entity
    return spec.label_zh if chinese() else spec.label_en


def field_label(entity: str, field: str) -> str:
    """The field's name on screen; an unknown field shows its code name."""
    text = _FIELD_LABELS.get((entity, field))
    return translate(CONTEXT, text) if text is not None else field


def choice_label(field: str, value: str) -> str:
    text = _CHOICE_LABELS.get((field, value))
    return translate(CONTEXT, text) if text is not None else value


def tag_label(tag: str) -> str:
    """A care tag in the UI's language (a tag this client does not know: as stored)."""
    return choice_label("tags", tag)


def tags_text(tags: Iterable[str]) -> str:
    """Care tags in a cell: "独居老人、低保" in Chinese, "Elderly living alone, Subsistence
    allowance" in English ("" for none)."""
    return translate(CONTEXT, TAG_SEPARATOR).join(tag_label(t) for t in tags)


def relation_label(value: str) -> str:
    """A resident's relation in the UI's language (one typed by hand: as stored)."""
    return choice_label("relation", value)


def service_category_label(value: str) -> str:
    """A service's category in the UI's language (one this client does not know: as
    stored)."""
    return choice_label("service_category", value)


def relation_value(text: str) -> str:
    """What to store for a relation as the person reads or typed it: a suggested one's
    stored (Chinese) value for its label in the UI's language, else the text itself."""
    for value in RELATIONS:
        if text == relation_label(value):
            return value
    return text


def format_datetime(value: dt.datetime) -> str:
    local = value.astimezone(SHANGHAI)
    return f"{local:%Y-%m-%d %H:%M}"


def display_value(entity: str, field: str, value: Any) -> str:
    """A value as a person reads it: choices translated, dates plain, lists joined.

    Accepts Python or wire values (a wire date is an ISO string and is shown as such).
    """
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    spec = records.ENTITIES.get(entity)
    kind = spec.by_name[field].kind if spec is not None and field in spec.by_name else None
    if kind is Kind.DATETIME and isinstance(value, str):
        try:
            value = records.parse_datetime(value)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return translate("Records", "Yes") if value else translate("Records", "No")
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        if field == "tags":
            return tags_text(str(v) for v in value) or EMPTY
        return "、".join(str(v) for v in value) if value else EMPTY
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if entity == "resident" and field == "relation" and isinstance(value, str):
        return relation_label(value)
    if (isinstance(value, str) and spec is not None and field in spec.by_name
            and spec.by_name[field].choices is not None):
        return choice_label(field, value)
    return str(value)
