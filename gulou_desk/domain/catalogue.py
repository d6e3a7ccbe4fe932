"""The district's catalogues (目录) that administrators edit: each ticket category's SLA in
working days, each priority's cap on it, and the canned replies clerks send to groups.

They are ``catalogue_entry`` records (reference data, synced to everyone). A category or
a priority has one entry, whose id follows from its code (:func:`entry_id`), so every
desk edits the same record; a catalogue without an entry for a category keeps the
default SLA of :mod:`gulou_desk.domain.sla`. The server computes a new ticket's due time
with the SLAs of its records (:func:`sla_table` inside ``sla.using``); the desk installs
those of its store after each sync (``sla.install``), for the category menus and its
optimistic due times, and offers the canned replies.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from gulou_desk.domain import sla
from gulou_desk.domain.problems import Problem
from gulou_desk.records import REPLY_MAX_LENGTH, TICKET_PRIORITIES

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gulou-desk:catalogue")
SLA_RANGE = (1, 60)
"""Working days a category may be given (and a priority's cap)."""
CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")
"""A category's code: the built-in ones, and those a desk makes for a new category
(:func:`new_category_code`)."""
NAME_LENGTH = (32, 64)
"""The longest Chinese and English name of a category."""
DEFAULT_CANNED = (
    "您好，您反映的情况已收到，社区已登记并安排人员处理，请耐心等待。",
    "您好，工作人员正在处理中，有结果会第一时间在群里告知您。",
    "您好，麻烦告知具体楼栋、单元和门牌号，方便我们上门处理。",
    "您好，此事已处理完毕，如仍有问题请随时联系社区。",
    "您好，此类事项请于工作日8:30-17:30到社区服务大厅咨询办理。",
)


def new_category_code() -> str:
    """A code for a category an administrator adds (the names are what people read)."""
    return f"c_{uuid.uuid4().hex[:12]}"


def entry_id(kind: str, code: str) -> str:
    """The id of a category's or a priority's entry (every desk and server agrees)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{code}"))


def problems(values: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with an entry (each problem names its field)."""
    kind, code, days = values.get("kind"), values.get("code"), values.get("sla_days")
    low, high = SLA_RANGE
    out: list[Problem] = []
    if kind == "category":
        if not isinstance(code, str) or not CATEGORY_CODE.fullmatch(code):
            out.append(Problem("code", "format",
                               "a category's code is 2–32 of a-z, 0-9 and _"))
        builtin = isinstance(code, str) and code in sla.CATEGORY_BY_CODE
        for name, limit in (("name", NAME_LENGTH[0]), ("name_en", NAME_LENGTH[1])):
            value = values.get(name)
            if value is None and builtin:
                continue  # a built-in category keeps its own names
            if not isinstance(value, str) or not value.strip():
                out.append(Problem(name, "required", "a category has a Chinese and an "
                                   "English name"))
            elif len(value) > limit:
                out.append(Problem(name, "too_long", f"at most {limit} characters"))
        if not isinstance(days, int) or not low <= days <= high:
            out.append(Problem("sla_days", "out_of_range",
                               f"a category's SLA is {low} to {high} working days",
                               {"min": low, "max": high}))
    elif kind == "priority":
        if code not in TICKET_PRIORITIES:
            out.append(Problem("code", "unknown", "not a ticket priority"))
        if days is not None and (not isinstance(days, int) or not low <= days <= high):
            out.append(Problem("sla_days", "out_of_range",
                               f"a priority's cap is empty or {low} to {high} working days",
                               {"min": low, "max": high}))
    elif kind == "canned_reply":
        text = values.get("text")
        if not isinstance(text, str) or not text.strip():
            out.append(Problem("text", "required", "a canned reply has a text"))
        elif len(text) > REPLY_MAX_LENGTH:
            out.append(Problem("text", "too_long",
                               f"at most {REPLY_MAX_LENGTH} characters"))
    if kind in ("category", "priority") and values.get("text"):
        out.append(Problem("text", "not_allowed", "only a canned reply has a text"))
    if kind != "category":
        out += [Problem(name, "not_allowed", "only a category has a name")
                for name in ("name", "name_en") if values.get(name)]
    return out


def sla_table(entries: Iterable[Mapping[str, Any]]) -> sla.SlaTable:
    """The SLAs and categories of these entries over the defaults: a category's entry
    renames it, sets its SLA or retires it (``active`` false), or adds one; categories
    keep the built-in order, added ones after them by ``position``. An inactive
    priority's entry does not count."""
    base = sla.SlaTable.defaults()
    days, caps = dict(base.days), dict(base.caps)
    named = {c.code: c for c in base.categories}
    added: list[tuple[int, str]] = []
    rows = list(entries)
    for e in rows:
        code = e.get("code")
        if e.get("kind") != "category" or not isinstance(code, str):
            continue
        known = named.get(code)
        zh = e.get("name") or (known.zh if known else None)
        en = e.get("name_en") or (known.en if known else None) or zh
        if not zh or not en:
            continue
        sla_days = e["sla_days"] if isinstance(e.get("sla_days"), int) else (
            known.sla_days if known else sla.DEFAULT_SLA_DAYS)
        active = bool(e.get("active", True))
        named[code] = sla.Category(code, str(zh), str(en), sla_days, active)
        days[code] = sla_days
        if known is None:
            added.append((int(e.get("position") or 0), code))
    for e in rows:
        if not e.get("active", True) or not isinstance(e.get("code"), str):
            continue
        if e.get("kind") == "priority":
            if isinstance(e.get("sla_days"), int):
                caps[e["code"]] = e["sla_days"]
            else:
                caps.pop(e["code"], None)
    order = [c.code for c in base.categories] + [code for _, code in sorted(added)]
    return sla.SlaTable(days, caps, tuple(named[code] for code in order))


def canned_replies(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The active canned replies, in their order."""
    replies = [e for e in entries if e.get("kind") == "canned_reply" and e.get("active", True)
               and isinstance(e.get("text"), str) and e["text"].strip()]
    replies.sort(key=lambda e: (e.get("position") or 0, str(e.get("id") or "")))
    return [str(e["text"]) for e in replies]


def default_entries() -> list[dict[str, Any]]:
    """The catalogue a fresh district starts with (the defaults, as records)."""
    out: list[dict[str, Any]] = []
    for c in sla.CATEGORIES:
        # Built-in categories keep their names in code (sla.CATEGORIES, both languages):
        # an entry names one only when an admin renames it.
        out.append({"id": entry_id("category", c.code), "kind": "category", "code": c.code,
                    "name": None, "name_en": None, "sla_days": c.sla_days, "text": None,
                    "position": len(out), "active": True})
    for priority in TICKET_PRIORITIES:
        out.append({"id": entry_id("priority", priority), "kind": "priority",
                    "code": priority, "name": None, "name_en": None,
                    "sla_days": sla.URGENT_SLA_DAYS if priority == "urgent" else None,
                    "text": None, "position": len(out), "active": True})
    for i, text in enumerate(DEFAULT_CANNED):
        out.append({"id": entry_id("canned_reply", str(i)), "kind": "canned_reply",
                    "code": None, "name": None, "name_en": None, "sla_days": None,
                    "text": text, "position": i,
                    "active": True})
    return out


_canned: list[tuple[str, ...]] = [()]


def install(entries: Iterable[Mapping[str, Any]]) -> None:
    """The desk's catalogue from now on (read from its store at sign-in and after a sync
    that changed it): the SLAs in force here and the district's canned replies."""
    rows = list(entries)
    sla.install(sla_table(rows))
    _canned[0] = tuple(canned_replies(rows))


def district_replies() -> tuple[str, ...]:
    """The district's canned replies installed here (none before the first sync)."""
    return _canned[0]
