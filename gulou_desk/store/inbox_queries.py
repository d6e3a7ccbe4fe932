"""Client-side reads for the inbox: the groups, a page of messages, the messages a ticket
came from, and the guesses a ticket made from messages starts with (category, priority,
title, the household). Plain values, never ORM objects.

Everything here runs on a worker thread with a session the caller opened for one read
(``Desk.read``). The guesses' rules from message text are the domain's
(:mod:`gulou_desk.domain.triage`); which steps a user may take on a message is asked of
the workflow tables (``ticket_queries.inbox_step_states``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.domain.triage import guess_category, guess_priority, title_from_text
from gulou_desk.store.queries import (
    PRIORITY_RANK,
    household_page,
    like_pattern,
    pending_exists,
    staff_names,
)
from gulou_desk.store.rows import table_of

# --- a message as the views show it -------------------------------------------------


@dataclass(frozen=True, slots=True)
class MessageView:
    """An inbox message as the views show it."""

    id: str
    source: str
    group_id: str | None
    group_name: str | None
    grid_id: str | None
    grid_name: str | None
    sender_id: str | None
    sender_name: str | None
    text: str
    keyword: str | None
    sent_at: dt.datetime | None
    status: str
    ticket_id: str | None
    ticket_number: str | None
    reason: str | None
    reply_text: str | None
    pending: bool
    replies: tuple[ReplyView, ...] = ()
    """The thread of replies, oldest first (``by_name`` filled by :func:`messages_by_ids`);
    a message answered before threads were kept shows its one ``reply_text``."""
    dismissed_at: dt.datetime | None = None
    """When it was dismissed (a dismissal is undone only on that day)."""


@dataclass(frozen=True, slots=True)
class ReplyView:
    """One reply to a resident's message, as the bot posted it in the group."""

    text: str
    by_id: str | None
    by_name: str | None
    at: dt.datetime | None


def _replies(value: Any, reply_text: str | None,
             names: Mapping[str, str]) -> tuple[ReplyView, ...]:
    out: list[ReplyView] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        by = item.get("by") if isinstance(item.get("by"), str) else None
        try:
            at = dt.datetime.fromisoformat(str(item.get("at")))
        except ValueError:
            at = None
        out.append(ReplyView(item["text"], by, names.get(by or ""), at))
    if not out and reply_text:
        out.append(ReplyView(reply_text, None, None, None))
    return tuple(out)



# --- inbox --------------------------------------------------------------------------


INBOX_FILTERS = ("new", "handled", "all")
"""``new``: waiting for someone (status new); ``handled``: converted, linked, dismissed
or answered; ``all``: both."""


def group_key(group_id: str | None, source: str | None) -> str:
    """How the inbox groups messages: by WeChat group, else by source (walk-in …)."""
    return f"group:{group_id}" if group_id else f"source:{source or 'unknown'}"


@dataclass(frozen=True, slots=True)
class InboxGroup:
    key: str
    group_id: str | None
    group_name: str | None
    source: str
    grid_id: str | None
    grid_name: str | None
    total: int
    new_ids: frozenset[str]
    """Ids of the group's messages with status ``new`` (unread = these minus seen)."""
    latest_at: dt.datetime | None


def _waiting() -> sa.ColumnElement[bool]:
    """A message that waits for its group to be mapped (its group is unmapped): it is
    listed under "unassigned groups", not in the inbox."""
    m, groups = table_of("inbox_message"), table_of("wechat_group")
    return sa.and_(m.c.grid_id.is_(None), m.c.group_id.is_not(None), m.c.group_id.in_(
        sa.select(groups.c.group_id).where(groups.c.grid_id.is_(None),
                                           groups.c.community_id.is_(None))))


@dataclass(frozen=True, slots=True)
class UnassignedGroup:
    """A WeChat group nobody mapped yet, with the messages waiting for it."""

    id: str
    group_id: str
    name: str | None
    waiting: int
    proposed_community_id: str | None


def unassigned_groups(session: Session, community_id: str | None = None
                      ) -> list[UnassignedGroup]:
    """The unmapped groups here (those proposed to ``community_id`` when given), the
    most waiting messages first; ``waiting`` counts those held here (else the
    registry's count)."""
    groups, m = table_of("wechat_group"), table_of("inbox_message")
    q = sa.select(groups).where(groups.c.grid_id.is_(None), groups.c.community_id.is_(None))
    if community_id is not None:
        q = q.where(groups.c.proposed_community_id == community_id)
    rows = session.execute(q).mappings().all()
    held: dict[str, int] = {gid: int(n) for gid, n in session.execute(
        sa.select(m.c.group_id, sa.func.count()).where(
            m.c.grid_id.is_(None), m.c.group_id.in_([r["group_id"] for r in rows]))
        .group_by(m.c.group_id))} if rows else {}
    out = [UnassignedGroup(r["id"], r["group_id"], r["name"],
                           int(held.get(r["group_id"]) or r["waiting"] or 0),
                           r["proposed_community_id"]) for r in rows]
    return sorted(out, key=lambda g: (-g.waiting, g.name or g.group_id))


def inbox_groups(session: Session) -> list[InboxGroup]:
    """The inbox's groups: every WeChat group (and walk-in/phone/hotline source) with
    messages here, those with new messages first, then by the latest message."""
    m = table_of("inbox_message")
    grids = table_of("grid")
    rows = session.execute(
        sa.select(m.c.group_id, m.c.source, sa.func.max(m.c.group_name),
                  sa.func.max(m.c.grid_id), sa.func.count(), sa.func.max(m.c.sent_at))
        .where(sa.not_(_waiting())).group_by(m.c.group_id, m.c.source)
    ).all()
    new_by_key: dict[str, set[str]] = {}
    for mid, gid, source in session.execute(
            sa.select(m.c.id, m.c.group_id, m.c.source).where(m.c.status == "new",
                                                              sa.not_(_waiting()))):
        new_by_key.setdefault(group_key(gid, source), set()).add(mid)
    grid_names = {gid: name for gid, name in session.execute(sa.select(grids.c.id, grids.c.name))}
    merged: dict[str, dict[str, Any]] = {}
    for group_id, source, group_name, grid_id, total, latest in rows:
        key = group_key(group_id, source)
        entry = merged.setdefault(key, {
            "group_id": group_id, "group_name": group_name, "source": source or "",
            "grid_id": grid_id, "total": 0, "latest": None})
        entry["total"] += int(total)
        entry["group_name"] = entry["group_name"] or group_name
        entry["grid_id"] = entry["grid_id"] or grid_id
        latest_at = _as_datetime(latest)
        if latest_at is not None and (entry["latest"] is None or latest_at > entry["latest"]):
            entry["latest"] = latest_at
    groups = [
        # A walk-in / phone / hotline "group" gathers messages of any grid: no grid.
        InboxGroup(key, e["group_id"], e["group_name"], e["source"],
                   e["grid_id"] if e["group_id"] else None,
                   grid_names.get(e["grid_id"]) if e["group_id"] else None, e["total"],
                   frozenset(new_by_key.get(key, ())), e["latest"])
        for key, e in merged.items()
    ]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(groups, key=lambda g: (not g.new_ids, -(g.latest_at or epoch).timestamp(),
                                         g.group_name or g.key))


def _as_datetime(value: Any) -> dt.datetime | None:
    """``max()`` over a time column comes back as stored text on SQLite."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _inbox_filter(group: str | None, status_filter: str,
                  search: str | None) -> sa.ColumnElement[bool]:
    m = table_of("inbox_message")
    conditions: list[sa.ColumnElement[bool]] = [sa.not_(_waiting())]
    if group:
        kind, _, value = group.partition(":")
        if kind == "group":
            conditions.append(m.c.group_id == value)
        else:
            conditions += [m.c.group_id.is_(None), m.c.source == value]
    if status_filter == "new":
        conditions.append(m.c.status == "new")
    elif status_filter == "handled":
        conditions.append(m.c.status != "new")
    elif status_filter != "all":
        raise ValueError(f"unknown inbox filter {status_filter!r}")
    for term in (search or "").split():
        pattern = like_pattern(term)
        conditions.append(sa.or_(*(
            col.like(pattern, escape="\\")
            for col in (m.c.text, m.c.sender_name, m.c.group_name, m.c.keyword))))
    return sa.and_(sa.true(), *conditions)


def _message_select() -> sa.Select[Any]:
    m = table_of("inbox_message")
    grids = table_of("grid").alias("message_grid")
    tickets = table_of("ticket").alias("message_ticket")
    return sa.select(
        m, grids.c.name.label("grid_name"), tickets.c.number.label("ticket_number"),
        pending_exists("inbox_message", m.c.id).label("pending"),
    ).select_from(
        m.outerjoin(grids, grids.c.id == m.c.grid_id)
        .outerjoin(tickets, tickets.c.id == m.c.ticket_id)
    )


def _message_view(r: Mapping[Any, Any], names: Mapping[str, str] | None = None) -> MessageView:
    return MessageView(
        id=r["id"], source=r["source"] or "", group_id=r["group_id"],
        group_name=r["group_name"], grid_id=r["grid_id"], grid_name=r["grid_name"],
        sender_id=r["sender_id"], sender_name=r["sender_name"], text=r["text"] or "",
        keyword=r["keyword"], sent_at=r["sent_at"], status=r["status"] or "new",
        ticket_id=r["ticket_id"], ticket_number=r["ticket_number"], reason=r["reason"],
        reply_text=r["reply_text"], pending=bool(r["pending"]),
        replies=_replies(r["replies"], r["reply_text"], names or {}),
        dismissed_at=r["dismissed_at"],
    )


INBOX_ORDERS = ("sent_at", "sender_name", "group_name", "text", "keyword", "status")


def inbox_page(
    session: Session,
    *,
    group: str | None = None,
    status_filter: str = "new",
    search: str | None = None,
    order_by: str = "-sent_at",
    offset: int = 0,
    limit: int = 200,
) -> list[MessageView]:
    """One page of inbox messages of a group (:func:`group_key`; ``None`` = all)."""
    m = table_of("inbox_message")
    name = order_by.lstrip("-")
    if name not in INBOX_ORDERS:
        raise ValueError(f"inbox messages cannot be ordered by {name!r}")
    column = m.c[name]
    rows = session.execute(
        _message_select().where(_inbox_filter(group, status_filter, search))
        .order_by(column.desc() if order_by.startswith("-") else column.asc(), m.c.id)
        .offset(max(offset, 0)).limit(max(limit, 0))
    ).mappings()
    return [_message_view(r) for r in rows]


def inbox_count(session: Session, *, group: str | None = None, status_filter: str = "new",
                search: str | None = None) -> int:
    m = table_of("inbox_message")
    return int(session.scalar(
        sa.select(sa.func.count()).select_from(m)
        .where(_inbox_filter(group, status_filter, search))
    ) or 0)


def messages_by_ids(session: Session, ids: Iterable[str]) -> list[MessageView]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    m = table_of("inbox_message")
    rows = [dict(r) for r in
            session.execute(_message_select().where(m.c.id.in_(wanted))).mappings()]
    names = staff_names(session, (item.get("by") for r in rows
                                   for item in (r["replies"] or []) if isinstance(item, dict)))
    found = {r["id"]: _message_view(r, names) for r in rows}
    return [found[i] for i in wanted if i in found]


def new_message_ids(session: Session, among: Iterable[str] | None = None) -> set[str]:
    """Ids of messages with status ``new`` that the inbox lists, as its badge counts (not
    those waiting in an unmapped group); only among ``among`` when given."""
    m = table_of("inbox_message")
    query = sa.select(m.c.id).where(m.c.status == "new", sa.not_(_waiting()))
    if among is not None:
        wanted = list(among)
        if not wanted:
            return set()
        query = query.where(m.c.id.in_(wanted))
    return set(session.scalars(query))


def new_request_count(session: Session) -> int:
    """Messages with status ``new`` (the inbox's badge)."""
    m = table_of("inbox_message")
    query = sa.select(sa.func.count()).select_from(m).where(m.c.status == "new",
                                                            sa.not_(_waiting()))
    return int(session.execute(query).scalar_one())


# --- a ticket from a message: the guesses -------------------------------------------



PHONE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_ADDRESS_PATTERN = re.compile(
    r"(?P<b>\d{1,3})\s*(?:栋|幢|号楼)(?:\s*(?P<u>\d{1,2})\s*单元)?(?:\s*(?P<r>\d{3,4})\s*室?)?"
)
_ROOM_PATTERN = re.compile(r"(?<!\d)(?P<r>\d{3,4})\s*(?:室|房)")


@dataclass(frozen=True, slots=True)
class HouseholdGuess:
    id: str
    head_name: str
    address: str
    grid_id: str | None
    reason: str
    """``phone`` (a phone in the text or the sender's matched), ``name`` (the sender's
    name is the head's or a resident's), ``address`` (building/unit/room in the text)."""


def _household_guess(row: Mapping[str, Any], reason: str) -> HouseholdGuess:
    address = row.get("address") or " ".join(
        str(row.get(k) or "") for k in ("estate", "building", "unit", "room")).strip()
    return HouseholdGuess(row["id"], row.get("head_name") or "", address, row.get("grid_id"),
                          reason)


def guess_households(
    session: Session, message: Mapping[str, Any], limit: int = 5
) -> list[HouseholdGuess]:
    """Households the message may be about, best first: by a phone number in the text,
    by the sender's name (head of household or resident), by a building/unit/room in
    the text. Only the message's grid is searched when it has one."""
    households = table_of("household")
    residents = table_of("resident")
    grid_id = message.get("grid_id")
    in_grid = households.c.grid_id == grid_id if grid_id else sa.true()
    found: dict[str, HouseholdGuess] = {}

    def add(rows: Iterable[Any], reason: str) -> None:
        for row in rows:
            if row["id"] not in found and len(found) < limit:
                found[row["id"]] = _household_guess(row, reason)

    text = str(message.get("text") or "")
    phones = PHONE_PATTERN.findall(text)
    if phones:
        by_resident = sa.select(residents.c.household_id).where(residents.c.phone.in_(phones))
        add(session.execute(sa.select(households).where(
            in_grid, sa.or_(households.c.phone.in_(phones),
                            households.c.id.in_(by_resident)))).mappings(), "phone")
    name = str(message.get("sender_name") or "").strip()
    if len(name) >= 2:
        by_resident = sa.select(residents.c.household_id).where(residents.c.name == name)
        add(session.execute(sa.select(households).where(
            in_grid, sa.or_(households.c.head_name == name,
                            households.c.id.in_(by_resident))).limit(limit)).mappings(),
            "name")
    match = _ADDRESS_PATTERN.search(text)
    room_match = _ROOM_PATTERN.search(text)
    building = match.group("b") if match else None
    unit = match.group("u") if match else None
    room = (match.group("r") if match else None) or (room_match.group("r") if room_match
                                                     else None)
    if building and (unit or room):
        conditions = [in_grid, households.c.building == building]
        if unit:
            conditions.append(households.c.unit == unit)
        if room:
            conditions.append(households.c.room == room)
        add(session.execute(sa.select(households).where(*conditions)
                            .order_by(households.c.estate, households.c.unit,
                                      households.c.room).limit(limit)).mappings(), "address")
    return list(found.values())


@dataclass(frozen=True, slots=True)
class ConvertDraft:
    """A ticket prefilled from one or more messages."""

    message_ids: tuple[str, ...]
    title: str
    category: str
    priority: str
    description: str
    grid_id: str | None
    households: tuple[HouseholdGuess, ...]


def convert_draft(session: Session, message_ids: Sequence[str]) -> ConvertDraft | None:
    """The new ticket's fields guessed from the first message (title, category from
    the keyword, priority, households); the description quotes every message."""
    messages = messages_by_ids(session, message_ids)
    if not messages:
        return None
    first = messages[0]
    description = "\n".join(
        f"{m.sender_name or ''}: {m.text}" if m.sender_name else m.text for m in messages)
    guesses: list[HouseholdGuess] = []
    for m in messages:
        for guess in guess_households(session, {"text": m.text, "sender_name": m.sender_name,
                                                "grid_id": m.grid_id}):
            if guess.id not in {g.id for g in guesses}:
                guesses.append(guess)
    return ConvertDraft(
        message_ids=tuple(m.id for m in messages),
        title=title_from_text(first.text),
        category=guess_category(first.keyword, first.text),
        priority=max((guess_priority(m.text) for m in messages),
                     key=lambda p: PRIORITY_RANK.get(p, 0)),
        description=description,
        grid_id=first.grid_id,
        households=tuple(guesses[:5]),
    )


def search_households(session: Session, text: str, *, grid_id: str | None = None,
                      limit: int = 20) -> list[HouseholdGuess]:
    """Households matching ``text`` (name, address, phone; see ``household_page``), the
    grid's own first."""
    rows = household_page(session, search=text, limit=limit * 2 if grid_id else limit)
    if grid_id:
        rows.sort(key=lambda r: r["grid_id"] != grid_id)
    return [_household_guess(r, "search") for r in rows[:limit]]


__all__ = [
    "ConvertDraft",
    "HouseholdGuess",
    "InboxGroup",
    "MessageView",
    "ReplyView",
    "convert_draft",
    "group_key",
    "guess_households",
    "inbox_count",
    "inbox_groups",
    "inbox_page",
    "messages_by_ids",
    "new_message_ids",
    "new_request_count",
    "search_households",
]
