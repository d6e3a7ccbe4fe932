"""Reads of the 居民参与 section: questionnaires with their results, the consultation board,
volunteer activities and the participation figures per community.

Plain values for the views (dataclasses), each read in one session on a worker thread.
The local copy holds what the user's scope holds (a clerk: their community's items; a
social worker: the items of their grids; a supervisor: their street's), so nothing here
filters by scope again. Tallies are the domain's (:mod:`gulou_desk.domain.participation`),
the same the bot posts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.domain import participation
from gulou_desk.domain.workflows import CONSULTATION_OPEN_STAGES
from gulou_desk.records import CONSULTATION_STAGES
from gulou_desk.store.queries import like_pattern, pending_exists
from gulou_desk.store.rows import load_row, table_of
from gulou_desk.store.search_names import place_pinyin

QUESTIONNAIRE_ORDERS = ("title", "status", "code", "responses", "closes_at", "created_at",
                        "community_id")


# --- grids and households -----------------------------------------------------------


def grid_names(session: Session, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Grid id → name (the grids given, or every grid held here)."""
    grids = table_of("grid")
    query = sa.select(grids.c.id, grids.c.name)
    if ids is not None:
        wanted = {i for i in ids if i}
        if not wanted:
            return {}
        query = query.where(grids.c.id.in_(wanted))
    return {gid: name or gid for gid, name in session.execute(query)}


def community_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    """Community id → name (``""`` when it has none) of the communities given."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    communities = table_of("community")
    return {cid: name or "" for cid, name in session.execute(
        sa.select(communities.c.id, communities.c.name).where(communities.c.id.in_(wanted)))}


def households_per_grid(session: Session, ids: Iterable[str]) -> dict[str, int]:
    """Households held here in each of the grids (0 for a grid with none held)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    households = table_of("household")
    counts: dict[str, int] = dict(session.execute(
        sa.select(households.c.grid_id, sa.func.count())
        .where(households.c.grid_id.in_(wanted))
        .group_by(households.c.grid_id)).all())
    return {gid: int(counts.get(gid, 0)) for gid in wanted}


@dataclass(frozen=True)
class GridChoice:
    id: str
    name: str
    community_id: str | None


def target_grids(session: Session, community_id: str | None,
                 only: Iterable[str] | None = None) -> list[GridChoice]:
    """The grids an item may target: the community's (``only``: of these ids), by name."""
    grids = table_of("grid")
    query = sa.select(grids.c.id, grids.c.name, grids.c.community_id).order_by(
        grids.c.name, grids.c.id)
    if community_id is not None:
        query = query.where(grids.c.community_id == community_id)
    if only is not None:
        query = query.where(grids.c.id.in_(list(only)))
    return [GridChoice(gid, name or gid, cid) for gid, name, cid in session.execute(query)]


@dataclass(frozen=True)
class HouseholdChoice:
    id: str
    address: str
    head_name: str
    grid_id: str


def households_in_grids(session: Session, grid_ids: Sequence[str], *, search: str = "",
                        limit: int = 200) -> list[HouseholdChoice]:
    """Households of the grids (for entering a household's answers), by address; every
    word of ``search`` in the address or the head's name."""
    households = table_of("household")
    query = sa.select(households.c.id, households.c.address, households.c.head_name,
                      households.c.grid_id).where(households.c.grid_id.in_(list(grid_ids)))
    for term in search.split():
        pattern = like_pattern(term)
        query = query.where(sa.or_(households.c.address.like(pattern, escape="\\"),
                                   households.c.head_name.like(pattern, escape="\\")))
    rows = session.execute(query.order_by(households.c.address, households.c.id)
                           .limit(max(limit, 0)))
    return [HouseholdChoice(hid, address or "", head or "", gid)
            for hid, address, head, gid in rows]


# --- questionnaires -----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireRow:
    """A questionnaire as the list shows it."""

    id: str
    title: str
    status: str
    code: str | None
    grids: str
    """The target grids' names, joined."""
    responses: int
    households: int
    """Households held here in the target grids (the response rate's base)."""
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    created_at: dt.datetime | None
    pending: bool
    """Edits of it not sent yet (its code comes from the server once it is)."""
    community: str = ""
    """Its community's name (a supervisor's list holds several communities')."""

    @property
    def rate(self) -> float | None:
        return participation.response_rate(self.responses, self.households)


def _response_counts() -> sa.Subquery:
    responses = table_of("questionnaire_response")
    return (sa.select(responses.c.questionnaire_id.label("qid"),
                      sa.func.count().label("n"))
            .group_by(responses.c.questionnaire_id).subquery())


def _questionnaire_filter(search: str, status: str | None) -> sa.ColumnElement[bool]:
    q = table_of("questionnaire")
    conditions: list[sa.ColumnElement[bool]] = []
    for term in search.split():
        pattern = like_pattern(term)
        conditions.append(sa.or_(q.c.title.like(pattern, escape="\\"),
                                 q.c.code.like(pattern, escape="\\")))
    if status:
        conditions.append(q.c.status == status)
    return sa.and_(sa.true(), *conditions)


def _by_community_name(session: Session, column: sa.ColumnElement[Any]
                       ) -> sa.ColumnElement[Any]:
    """``column`` (a community's id) as the place of the community's name in pinyin
    order: the list shows the name, and sorted by the id it looked unsorted (汇林绿洲,
    宁海路, 西康路 by their pinyin, as a person reads them; a street has a dozen)."""
    communities = table_of("community")
    names = session.execute(sa.select(communities.c.id, communities.c.name)).all()
    ranked = sorted(names, key=lambda row: (place_pinyin(row.name or ""), row.name or ""))
    if not ranked:
        return column
    return sa.case({row.id: n for n, row in enumerate(ranked)}, value=column,
                   else_=len(ranked))


def questionnaire_page(session: Session, *, search: str = "", status: str | None = None,
                       order_by: str | None = None, offset: int = 0,
                       limit: int = 200) -> list[QuestionnaireRow]:
    """One page of questionnaires (newest first unless ``order_by``: a key of
    :data:`QUESTIONNAIRE_ORDERS`, ``-key`` descending)."""
    q = table_of("questionnaire")
    counts = _response_counts()
    n = sa.func.coalesce(counts.c.n, 0)
    order = order_by or "-created_at"
    key = order.lstrip("-")
    if key not in QUESTIONNAIRE_ORDERS:
        raise ValueError(f"questionnaires cannot be ordered by {key!r}")
    column: sa.ColumnElement[Any] = (
        n if key == "responses"
        else _by_community_name(session, q.c.community_id) if key == "community_id"
        else q.c[key])
    clause = column.desc() if order.startswith("-") else column.asc()
    rows = session.execute(
        sa.select(q, n.label("responses"), pending_exists("questionnaire", q.c.id)
                  .label("pending"))
        .outerjoin(counts, counts.c.qid == q.c.id)
        .where(_questionnaire_filter(search, status))
        .order_by(clause, q.c.id).offset(max(offset, 0)).limit(max(limit, 0))
    ).mappings().all()
    grid_ids = {g for row in rows for g in (row["grid_ids"] or [])}
    names = grid_names(session, grid_ids)
    per_grid = households_per_grid(session, grid_ids)
    communities = community_names(session, (row["community_id"] for row in rows))
    return [QuestionnaireRow(
        row["id"], row["title"] or "", row["status"], row["code"],
        "、".join(names.get(g, g) for g in row["grid_ids"] or []), int(row["responses"]),
        sum(per_grid.get(g, 0) for g in row["grid_ids"] or []), row["opens_at"],
        row["closes_at"], row["created_at"], bool(row["pending"]),
        communities.get(row["community_id"] or "", "")) for row in rows]


def questionnaire_count(session: Session, *, search: str = "",
                        status: str | None = None) -> int:
    q = table_of("questionnaire")
    return int(session.scalar(sa.select(sa.func.count()).select_from(q).where(
        _questionnaire_filter(search, status))) or 0)


@dataclass(frozen=True)
class GridResult:
    """Responses from one target grid against its households."""

    grid_id: str
    name: str
    responses: int
    households: int

    @property
    def rate(self) -> float | None:
        return participation.response_rate(self.responses, self.households)


@dataclass(frozen=True)
class ResponseLine:
    id: str
    who: str
    """The WeChat name, or the household's address for an answer entered by staff."""
    grid: str
    channel: str
    received_at: dt.datetime | None
    answers: dict[str, Any]


@dataclass
class QuestionnaireResults:
    """A questionnaire, its results per question and per grid, and the responses."""

    record: dict[str, Any]
    results: list[participation.QuestionResult]
    grids: list[GridResult]
    responses: list[ResponseLine] = field(default_factory=list)
    community_name: str = ""
    pending: bool = False

    @property
    def total(self) -> int:
        return len(self.responses)

    @property
    def households(self) -> int:
        return sum(g.households for g in self.grids)

    @property
    def rate(self) -> float | None:
        return participation.response_rate(self.total, self.households)

    @property
    def preview(self) -> str:
        """The group message residents see in WeChat."""
        return participation.questionnaire_message(self.record)


def questionnaire_results(session: Session, questionnaire_id: str
                          ) -> QuestionnaireResults | None:
    record = load_row(session, "questionnaire", questionnaire_id)
    if record is None:
        return None
    t = table_of("questionnaire_response")
    responses = [dict(r) for r in session.execute(
        sa.select(t).where(t.c.questionnaire_id == questionnaire_id)
        .order_by(t.c.received_at.desc(), t.c.id)).mappings()]
    targets = list(record.get("grid_ids") or [])
    names = grid_names(session, {*targets, *(r.get("grid_id") or "" for r in responses)})
    per_grid = households_per_grid(session, targets)
    by_grid = participation.responses_by_grid(responses)
    grids = [GridResult(g, names.get(g, g), by_grid.get(g, 0), per_grid.get(g, 0))
             for g in targets]
    households = {r["household_id"] for r in responses if r.get("household_id")}
    addresses: dict[str, str] = {}
    if households:
        h = table_of("household")
        addresses = dict(session.execute(sa.select(h.c.id, h.c.address).where(
            h.c.id.in_(households))).all())
    lines = [ResponseLine(
        r["id"], r.get("sender_name") or addresses.get(r.get("household_id") or "", "")
        or "—", names.get(r.get("grid_id") or "", ""), r["channel"], r["received_at"],
        dict(r.get("answers") or {})) for r in responses]
    community = load_row(session, "community", record["community_id"])
    pending = bool(session.scalar(sa.select(pending_exists("questionnaire", sa.literal(
        questionnaire_id)))))
    return QuestionnaireResults(
        record, participation.questionnaire_results(list(record.get("questions") or []),
                                                    responses),
        grids, lines, (community or {}).get("name") or "", pending)


# --- consultations ------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationCard:
    """A consultation as the board shows it."""

    id: str
    topic: str
    stage: str
    code: str | None
    grids: str
    people: int
    support: int
    oppose: int
    opinions: int
    tickets: int
    published_at: dt.datetime | None

    @property
    def open(self) -> bool:
        return self.stage in CONSULTATION_OPEN_STAGES


def consultation_board(session: Session) -> dict[str, list[ConsultationCard]]:
    """Every consultation held here, by stage (every stage a key), newest first."""
    c = table_of("consultation")
    comments = table_of("consultation_comment")
    meetings = table_of("consultation_meeting")
    rows = [dict(r) for r in session.execute(
        sa.select(c).order_by(c.c.created_at.desc(), c.c.id)).mappings()]
    ids = [r["id"] for r in rows]
    by_item: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    meetings_of: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for m in session.execute(sa.select(comments).where(
                comments.c.consultation_id.in_(ids))).mappings():
            by_item[m["consultation_id"]].append(dict(m))
        for m in session.execute(sa.select(meetings).where(
                meetings.c.consultation_id.in_(ids))).mappings():
            meetings_of[m["consultation_id"]].append(dict(m))
    names = grid_names(session, {g for r in rows for g in r.get("grid_ids") or []})
    board: dict[str, list[ConsultationCard]] = {stage: [] for stage in CONSULTATION_STAGES}
    for r in rows:
        tally = participation.consultation_tally(by_item[r["id"]], meetings_of[r["id"]])
        board.setdefault(r["stage"], []).append(ConsultationCard(
            r["id"], r["topic"] or "", r["stage"], r["code"],
            "、".join(names.get(g, g) for g in r.get("grid_ids") or []), tally.people,
            tally.total_support, tally.total_oppose, tally.opinions,
            len(r.get("ticket_ids") or []), r["published_at"]))
    return board


@dataclass(frozen=True)
class CommentLine:
    who: str
    stance: str | None
    choice: str | None
    text: str
    channel: str
    received_at: dt.datetime | None


@dataclass(frozen=True)
class LinkedTicket:
    id: str
    number: str | None
    title: str
    status: str


@dataclass
class ConsultationDetail:
    record: dict[str, Any]
    tally: participation.Tally
    comments: list[CommentLine]
    meetings: list[dict[str, Any]]
    tickets: list[LinkedTicket]
    grids: list[GridChoice]

    @property
    def preview(self) -> str:
        if self.record.get("stage") in ("decided", "announced", "closed"):
            return participation.announcement_message(
                self.record, [f"{t.number or ''} {t.title}".strip() for t in self.tickets])
        return participation.consultation_message(self.record)


def consultation_detail(session: Session, consultation_id: str) -> ConsultationDetail | None:
    record = load_row(session, "consultation", consultation_id)
    if record is None:
        return None
    comments_t = table_of("consultation_comment")
    comments = [dict(r) for r in session.execute(
        sa.select(comments_t).where(comments_t.c.consultation_id == consultation_id)
        .order_by(comments_t.c.received_at.desc(), comments_t.c.id)).mappings()]
    meetings_t = table_of("consultation_meeting")
    meetings = [dict(r) for r in session.execute(
        sa.select(meetings_t).where(meetings_t.c.consultation_id == consultation_id)
        .order_by(meetings_t.c.held_at)).mappings()]
    tickets_t = table_of("ticket")
    ticket_ids = list(record.get("ticket_ids") or [])
    found = {r["id"]: r for r in session.execute(sa.select(
        tickets_t.c.id, tickets_t.c.number, tickets_t.c.title, tickets_t.c.status).where(
        tickets_t.c.id.in_(ticket_ids))).mappings()} if ticket_ids else {}
    tickets = [LinkedTicket(tid, found[tid]["number"], found[tid]["title"] or "",
                            found[tid]["status"]) for tid in ticket_ids if tid in found]
    lines = [CommentLine(c.get("sender_name") or "—", c.get("stance"), c.get("choice"),
                         c.get("text") or "", c["channel"], c.get("received_at"))
             for c in comments]
    return ConsultationDetail(record, participation.consultation_tally(comments, meetings),
                              lines, meetings, tickets,
                              target_grids(session, None, record.get("grid_ids") or []))


# --- volunteer activities -----------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    id: str
    title: str
    status: str
    code: str | None
    place: str
    starts_at: dt.datetime | None
    needed: int | None
    signed_up: int
    attended: int
    hours: float
    message: str = ""
    """The group message that recruits for it (what residents see)."""


def activity_rows(session: Session) -> list[ActivityRow]:
    """Every activity held here, the latest first."""
    a = table_of("volunteer_activity")
    rows = session.execute(sa.select(a).order_by(a.c.starts_at.desc(), a.c.id)).mappings()
    out: list[ActivityRow] = []
    for r in rows:
        attended = [x for x in r["attended"] or [] if isinstance(x, dict)]
        hours = sum(float(x.get("hours") or 0) for x in attended)
        out.append(ActivityRow(r["id"], r["title"] or "", r["status"], r["code"],
                               r["place"] or "", r["starts_at"], r["needed"],
                               len(r["signups"] or []), len(attended), hours,
                               participation.activity_message(dict(r))))
    return out


@dataclass(frozen=True)
class SignedUp:
    volunteer_id: str
    name: str


def activity_signups(session: Session, activity_id: str) -> list[SignedUp]:
    """Who signed up for the activity, in the order they did (names of the volunteers
    held here; one not held reads as its id)."""
    activity = load_row(session, "volunteer_activity", activity_id)
    if activity is None:
        return []
    ids = [str(s.get("volunteer_id")) for s in activity.get("signups") or []
           if isinstance(s, dict) and s.get("volunteer_id")]
    v = table_of("volunteer")
    names: dict[str, str] = dict(session.execute(
        sa.select(v.c.id, v.c.name).where(v.c.id.in_(ids))).all()) if ids else {}
    return [SignedUp(i, names.get(i) or i) for i in ids]


# --- figures per community (supervisors) ---------------------------------------------


@dataclass(frozen=True)
class CommunityFigures:
    """What a community's residents took part in (the supervisor's table)."""

    community_id: str
    name: str
    questionnaires_run: int
    """Published, closed or archived."""
    responses: int
    households: int
    """Households in the target grids of the questionnaires run (each questionnaire's
    grids counted once per questionnaire: the rate is responses per invitation)."""
    consultations: int
    consultations_decided: int
    """Decided, announced or closed."""
    volunteer_hours: float
    activities_done: int

    @property
    def rate(self) -> float | None:
        return participation.response_rate(self.responses, self.households)


DECIDED_STAGES = ("decided", "announced", "closed")


def community_figures(session: Session) -> list[CommunityFigures]:
    """Participation figures of every community held here, by name."""
    q = table_of("questionnaire")
    c = table_of("consultation")
    a = table_of("volunteer_activity")
    counts = _response_counts()
    run = [dict(r) for r in session.execute(
        sa.select(q.c.community_id, q.c.grid_ids, sa.func.coalesce(counts.c.n, 0)
                  .label("n")).outerjoin(counts, counts.c.qid == q.c.id)
        .where(q.c.status != "draft")).mappings()]
    per_grid = households_per_grid(session, {g for r in run for g in r["grid_ids"] or []})
    questionnaires: Counter[str] = Counter()
    responses: Counter[str] = Counter()
    households: Counter[str] = Counter()
    for r in run:
        questionnaires[r["community_id"]] += 1
        responses[r["community_id"]] += int(r["n"])
        households[r["community_id"]] += sum(per_grid.get(g, 0) for g in r["grid_ids"] or [])
    consultations: Counter[str] = Counter()
    decided: Counter[str] = Counter()
    for cid, stage in session.execute(sa.select(c.c.community_id, c.c.stage)):
        consultations[cid] += 1
        if stage in DECIDED_STAGES:
            decided[cid] += 1
    hours: dict[str, float] = {}
    done: Counter[str] = Counter()
    for row in session.execute(sa.select(a.c.community_id, a.c.status, a.c.attended)
                               .where(a.c.status == "done")).mappings():
        done[row["community_id"]] += 1
        given = participation.volunteer_hours([{"status": "done", "attended": row["attended"]}])
        hours[row["community_id"]] = hours.get(row["community_id"], 0.0) + sum(given.values())
    seen = {*questionnaires, *consultations, *done}
    names = community_names(session, seen)
    figures = [CommunityFigures(cid, names.get(cid) or cid, questionnaires[cid],
                                responses[cid], households[cid], consultations[cid],
                                decided[cid], hours.get(cid, 0.0), done[cid]) for cid in seen]
    return sorted(figures, key=lambda f: (f.name, f.community_id))
