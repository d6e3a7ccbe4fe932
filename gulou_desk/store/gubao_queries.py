"""Client-side reads for the 鼓宝 console: the knowledge base with its hit counts, the
questions the bot could not answer, announcements, alert rules and their dry run, what
the bot would answer to a typed question (and why), and the urgent alerts still open.

Plain values, never ORM objects; run on a worker thread with a session the caller opened
for one read (``Desk.read``). Matching and alert rules are the domain's
(:mod:`gulou_desk.domain.gubao`), the same the server runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.domain import gubao
from gulou_desk.records import OPEN_TICKET_STATUSES, SHANGHAI
from gulou_desk.store.queries import like_pattern
from gulou_desk.store.rows import table_of


def _rows(session: Session, query: sa.Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(query).mappings()]


def knowledge_entries(session: Session, search: str = "") -> list[dict[str, Any]]:
    """The knowledge entries held, most asked first; ``search`` matches the question,
    the answer or a keyword."""
    t = table_of("knowledge_entry")
    rows = _rows(session, sa.select(t).order_by(sa.func.coalesce(t.c.hit_count, 0).desc(),
                                                t.c.question))
    term = search.strip().lower()
    if not term:
        return rows
    # In Python: keywords are a JSON list (escaped text in the column); the base is small.
    return [r for r in rows if term in (r["question"] or "").lower()
            or term in (r["answer"] or "").lower()
            or any(term in str(k).lower() for k in r["keywords"] or [])]


def unanswered_questions(session: Session) -> list[dict[str, Any]]:
    """Open questions the bot could not answer, the most asked first."""
    t = table_of("bot_question")
    return _rows(session, sa.select(t).where(t.c.status == "open").order_by(
        sa.func.coalesce(t.c.count, 0).desc(), t.c.asked_at.desc()))


def announcements(session: Session) -> list[dict[str, Any]]:
    """Announcements by their time (the next ones first, then those sent, newest
    first); drafts without a time last."""
    t = table_of("announcement")
    rows = _rows(session, sa.select(t))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def key(row: Mapping[str, Any]) -> tuple[int, float]:
        at = row.get("send_at") or far
        if row.get("status") in ("sent", "cancelled"):
            return (1, -at.timestamp() if at is not far else 0.0)
        return (0, at.timestamp() if at is not far else float("inf"))

    return sorted(rows, key=key)


def alert_rules(session: Session) -> list[dict[str, Any]]:
    t = table_of("alert_rule")
    return _rows(session, sa.select(t).order_by(t.c.level.desc(), t.c.name))


def service_items(session: Session, search: str = "") -> list[dict[str, Any]]:
    t = table_of("service_item")
    query = sa.select(t).order_by(t.c.category, t.c.name)
    if search.strip():
        pattern = like_pattern(search.strip())
        query = query.where(sa.or_(t.c.name.like(pattern, escape="\\"),
                                   t.c.category.like(pattern, escape="\\")))
    return _rows(session, query)


def dry_run(session: Session, rule: Mapping[str, Any], now: dt.datetime,
            days: int = 30) -> list[dict[str, Any]]:
    """The messages of the last ``days`` days held here that ``rule`` would have fired
    on, newest first (each with the keyword found)."""
    t = table_of("inbox_message")
    since = now - dt.timedelta(days=days)
    fired = []
    for row in session.execute(sa.select(t.c.id, t.c.text, t.c.sent_at, t.c.group_name)
                               .where(t.c.sent_at >= since)
                               .order_by(t.c.sent_at.desc())).mappings():
        keyword = gubao.rule_fires(rule, row["text"] or "")
        if keyword is not None:
            fired.append({**dict(row), "keyword": keyword})
    return fired


def what_the_bot_answers(session: Session, question: str, community_id: str | None,
                 street_id: str | None, today: dt.date) -> gubao.Answer:
    """What 鼓宝 would answer to ``question`` in a group of this community, from the
    entries held here (the server answers from the same rules)."""
    knowledge = [gubao.knowledge_candidate(row) for row in knowledge_entries(session)
                 if gubao.applies_on(row, today)
                 and gubao.applies_to(row, community_id, street_id)]
    places = []
    for entity, rid in (("street", street_id), ("community", community_id)):
        if rid:
            t = table_of(entity)
            name = session.execute(sa.select(t.c.name).where(t.c.id == rid)).scalar()
            if name:
                places.append(str(name))
    services = [gubao.service_candidate(row, places) for row in service_items(session)
                if row.get("active") is not False
                and gubao.applies_to(row, community_id, street_id)]
    return gubao.best_answer(question, knowledge, services)


def open_urgent_alerts(session: Session) -> list[dict[str, Any]]:
    """Urgent messages whose ticket is still open (or that have none yet), newest first:
    what the urgent banner shows."""
    m, t = table_of("inbox_message"), table_of("ticket")
    query = (sa.select(m.c.id, m.c.text, m.c.sent_at, m.c.group_name, m.c.grid_id,
                       m.c.ticket_id,
                       t.c.number, t.c.status.label("ticket_status"))
             .select_from(m.outerjoin(t, t.c.id == m.c.ticket_id))
             .where(m.c.urgent.is_(True))
             .order_by(m.c.sent_at.desc()))
    out = []
    for row in session.execute(query).mappings():
        if row["ticket_id"] is None or row["ticket_status"] in OPEN_TICKET_STATUSES:
            out.append(dict(row))
    return out


def urgent_counts(session: Session, community_id: str | None,
                  street_id: str | None) -> list[tuple[str, int]]:
    """Open urgent alerts per community (name, count), by name: the communities of
    ``street_id`` (a supervisor's), only ``community_id`` (a clerk's), or every one held
    (neither given: an admin's); communities with none count 0."""
    grids, communities = table_of("grid"), table_of("community")
    community_of = dict(session.execute(sa.select(grids.c.id, grids.c.community_id)).all())
    counted: dict[str, int] = {}
    for alert in open_urgent_alerts(session):
        place = community_of.get(alert["grid_id"])
        if place is not None:
            counted[place] = counted.get(place, 0) + 1
    query = sa.select(communities.c.id, communities.c.name).order_by(communities.c.name)
    if community_id is not None:
        query = query.where(communities.c.id == community_id)
    elif street_id is not None:
        query = query.where(communities.c.street_id == street_id)
    return [(str(name or cid), counted.get(cid, 0)) for cid, name in session.execute(query)]


def urgent_counts_for(session: Session, role: str, community_id: str | None,
                      street_id: str | None) -> list[tuple[str, int]]:
    """:func:`urgent_counts` for someone of ``role``: an admin every community held, a
    supervisor their street's, anyone else their own community."""
    if role == "admin":
        return urgent_counts(session, None, None)
    if role == "supervisor":
        return urgent_counts(session, None, street_id)
    return urgent_counts(session, community_id, None)


def places_to_write(session: Session, role: str, community_id: str | None,
                    street_id: str | None) -> list[dict[str, Any]]:
    """Where someone of ``role`` may put new content (the server's rule,
    :func:`server.gubao._place`), their own place first: a clerk their community; a
    supervisor their street, then each community of it; an admin the district, then
    each street. Each: ``scope``, ``street_id``, ``community_id``, ``name``."""
    streets, communities = table_of("street"), table_of("community")
    if role == "clerk":
        name = session.execute(sa.select(communities.c.name).where(
            communities.c.id == community_id)).scalar()
        return [{"scope": "community", "street_id": street_id, "community_id": community_id,
                 "name": name or ""}]
    if role == "supervisor":
        name = session.execute(sa.select(streets.c.name).where(
            streets.c.id == street_id)).scalar()
        own = [{"scope": "street", "street_id": street_id, "community_id": None,
                "name": name or ""}]
        return own + [{"scope": "community", "street_id": street_id, "community_id": cid,
                       "name": cname or ""}
                      for cid, cname in session.execute(
                          sa.select(communities.c.id, communities.c.name)
                          .where(communities.c.street_id == street_id)
                          .order_by(communities.c.name))]
    if role == "admin":
        return [{"scope": "district", "street_id": None, "community_id": None, "name": ""}] + [
            {"scope": "street", "street_id": sid, "community_id": None, "name": sname or ""}
            for sid, sname in session.execute(
                sa.select(streets.c.id, streets.c.name).order_by(streets.c.name))]
    return []


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(SHANGHAI).date()
