"""``POST /bot/ask``: what 鼓宝 answers to a resident's question in a group.

The bot asks before it forwards a message to the intake. The server finds the group's
community and street (the group → grid registry), takes the knowledge entries and
service items that apply there (the district's, the street's, the community's; active;
knowledge entries within their valid dates) and ranks them with
:func:`gulou_desk.domain.gubao.best_answer`: knowledge entries first, then service items.

- **An answer**: queued to the group through the outbound queue (which keeps the
  per-group rate limit), with an @-mention of the resident; a knowledge entry's hit count
  goes up (the desk sorts by it). The response names the entry and its score.
- **An alert** (an alert rule fires on the text): no answer, nothing kept
  (``"alert": true``); the bot forwards it to the intake, which raises the alert.
- **No answer**: the question is kept as a ``bot_question`` of the community (the same
  text asked again counts up) for the desk's "questions the bot could not answer"; the
  bot then forwards the message to the intake as usual.

With a ``message_id`` the call is idempotent (a retry gets the first answer and queues
nothing again), recorded in ``intake_messages`` under the source ``bot_ask``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import gubao
from gulou_desk.records import SHANGHAI
from server import outbound
from server.database import again_on_conflict, writer
from server.schema import RECORD_TABLES, intake_messages
from server.store import RecordWriter, field_values, load

SOURCE = "bot_ask"
_NAMESPACE = uuid.UUID("2c9f4a61-8d3e-4b7a-a1f5-93e0c6d2b847")


@dataclass(frozen=True, slots=True)
class Question:
    group_id: str
    sender_id: str
    sender_name: str
    text: str
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    grid_id: str | None
    community_id: str | None
    street_id: str | None
    names: tuple[str, ...]
    """The street's and the community's names (service names start with them)."""


def place_of(conn: sa.Connection, group_id: str | None) -> Place:
    """Where a group is: its grid (as the intake routes it: the group registry, then the
    grid's own group id), community and street (all ``None`` for a group not registered
    to a grid: then only the district's entries apply)."""
    from server.intake_pipeline import _grid_of_group

    return place_of_grid(conn, _grid_of_group(conn, group_id))


def place_of_grid(conn: sa.Connection, grid_id: str | None) -> Place:
    """:func:`place_of` for a group already routed to ``grid_id`` (the intake's)."""
    if grid_id is None:
        return Place(None, None, None, ())
    grids, communities, streets = (RECORD_TABLES[n] for n in ("grid", "community", "street"))
    row = conn.execute(
        sa.select(communities.c.id.label("community_id"),
                  communities.c.name.label("community_name"),
                  streets.c.id.label("street_id"), streets.c.name.label("street_name"))
        .select_from(grids.join(communities, communities.c.id == grids.c.community_id)
                     .outerjoin(streets, streets.c.id == communities.c.street_id))
        .where(grids.c.id == grid_id)).first()
    if row is None:
        return Place(grid_id, None, None, ())
    return Place(grid_id, row.community_id, row.street_id,
                 tuple(n for n in (row.street_name, row.community_name) if n))


def candidates(conn: sa.Connection, place: Place, day: dt.date
               ) -> tuple[list[gubao.Candidate], list[gubao.Candidate]]:
    """The knowledge entries and service items that apply to a group at ``place``."""
    knowledge = []
    t = RECORD_TABLES["knowledge_entry"]
    for found in conn.execute(sa.select(t).where(t.c.active.is_not(False))).mappings():
        row = dict(found)
        if gubao.applies_on(row, day) and gubao.applies_to(row, place.community_id,
                                                           place.street_id):
            knowledge.append(gubao.knowledge_candidate(row))
    services = []
    t = RECORD_TABLES["service_item"]
    for found in conn.execute(sa.select(t).where(t.c.active.is_not(False))).mappings():
        row = dict(found)
        if gubao.applies_to(row, place.community_id, place.street_id):
            services.append(gubao.service_candidate(row, place.names))
    return knowledge, services


def question_id(community_id: str | None, text: str) -> str:
    """The ``bot_question`` of a text in a community (asked again: the same record)."""
    return str(uuid.uuid5(_NAMESPACE, f"{community_id or '-'}:{gubao.normalize(text)}"))


def ask(engine: sa.Engine, q: Question, now: dt.datetime) -> dict[str, Any]:
    """Answer ``q`` (see the module's text); the response's body."""
    return again_on_conflict(lambda: _ask_once(engine, q, now))


def _ask_once(engine: sa.Engine, q: Question, now: dt.datetime) -> dict[str, Any]:
    with writer(engine).begin() as conn:
        if q.message_id:
            seen = conn.execute(sa.select(intake_messages.c.outcome).where(
                intake_messages.c.source == SOURCE,
                intake_messages.c.external_id == q.message_id)).scalar()
            if seen is not None:
                return {**seen, "duplicate": True}
        place = place_of(conn, q.group_id)
        from server.alerts import firing_rule

        if firing_rule(conn, place, q.text) is not None:
            # An alert, not a question: never answered from the knowledge base, never kept
            # as a question to answer; the bot forwards it and the intake raises the alert.
            return {"answered": False, "score": 0.0, "alert": True}
        knowledge, services = candidates(conn, place, now.astimezone(SHANGHAI).date())
        answer = gubao.best_answer(q.text, knowledge, services)
        if answer.match is None:
            body = _unanswered(conn, q, place, answer, now)
        else:
            body = _answered(conn, q, answer.match, now)
        if q.message_id:
            conn.execute(sa.insert(intake_messages).values(
                source=SOURCE, external_id=q.message_id,
                inbox_message_id=body.get("id") or body["question_id"],
                handled_as=body.get("entity") or "bot_question", outcome=body,
                received_at=now))
        return body


def _answered(conn: sa.Connection, q: Question, match: gubao.Match,
              now: dt.datetime) -> dict[str, Any]:
    c = match.candidate
    if c.entity == "knowledge_entry":
        row = load(conn, "knowledge_entry", c.id, for_update=True)
        if row is not None:
            values = field_values("knowledge_entry", row)
            values.update(hit_count=(row["hit_count"] or 0) + 1, last_hit_at=now)
            RecordWriter(conn).save("knowledge_entry", c.id, values,
                                    changed=["hit_count", "last_hit_at"])
    mention = f"@{q.sender_name} " if q.sender_name.strip() else ""
    queued = outbound.queue_reply(conn, q.group_id, mention + c.answer, None, now)
    return {"answered": True, "entity": c.entity, "id": c.id, "title": c.title,
            "score": match.score, "keyword": match.keyword, "answer": c.answer,
            "queued": queued}


def _unanswered(conn: sa.Connection, q: Question, place: Place, answer: gubao.Answer,
                now: dt.datetime) -> dict[str, Any]:
    best = answer.considered[0].score if answer.considered else 0.0
    qid = question_id(place.community_id, q.text)
    row = load(conn, "bot_question", qid, for_update=True)
    if row is None:
        values: dict[str, Any] = {
            "community_id": place.community_id, "grid_id": place.grid_id,
            "group_id": q.group_id, "text": q.text.strip()[:2000], "asked_at": now,
            "best_score": best, "count": 1, "status": "open", "entry_id": None}
    else:
        values = field_values("bot_question", row)
        values.update(count=(row["count"] or 0) + 1, asked_at=now, best_score=best)
    RecordWriter(conn).save("bot_question", qid, values)
    return {"answered": False, "score": best, "question_id": qid}
