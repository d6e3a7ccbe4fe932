"""The social worker's workbench: whom to visit, grouped for a walk; a household's history.

:func:`visit_plan` lists the active households of the worker's grids whose visit is due
(never visited, overdue, due today) or due within the week, by cadence
(:mod:`gulou_desk.domain.cadence`), grouped by estate and building in walking order
(estates by name, buildings, units and rooms by number), with counts per group.

Due dates come from the search index (``search_docs.due_date``), which counts a visit
made on this device at once, before the server has it: the plan updates as soon as a
visit is saved. :func:`visits_of` and :func:`tickets_of` give a household's visit history
and tickets for its detail pane, :func:`visit_start` what a new visit starts from, and
:func:`recent_visits` a worker's latest visits. Everything returned is plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain import cadence, forms
from gulou_desk.domain.addresses import household_line
from gulou_desk.domain.cadence import VisitDue, VisitState
from gulou_desk.records import SHANGHAI
from gulou_desk.store.drafts import DraftView, get_draft, list_drafts
from gulou_desk.store.queries import get_record
from gulou_desk.store.rows import table_of
from gulou_desk.store.schema import Outbox
from gulou_desk.store.search_index import parse_time, tags_of

PLANNED_STATES = (VisitState.OVERDUE, VisitState.NEVER_VISITED, VisitState.DUE_TODAY,
                  VisitState.DUE_THIS_WEEK)


@dataclass(frozen=True, slots=True)
class PlanCounts:
    overdue: int = 0
    never_visited: int = 0
    due_today: int = 0
    due_this_week: int = 0

    @property
    def due_now(self) -> int:
        """To visit now: overdue, never visited, due today."""
        return self.overdue + self.never_visited + self.due_today

    @property
    def total(self) -> int:
        return self.due_now + self.due_this_week

    def __add__(self, other: PlanCounts) -> PlanCounts:
        return PlanCounts(self.overdue + other.overdue,
                          self.never_visited + other.never_visited,
                          self.due_today + other.due_today,
                          self.due_this_week + other.due_this_week)

    @classmethod
    def of(cls, states: Sequence[VisitState]) -> PlanCounts:
        return cls(states.count(VisitState.OVERDUE), states.count(VisitState.NEVER_VISITED),
                   states.count(VisitState.DUE_TODAY), states.count(VisitState.DUE_THIS_WEEK))


@dataclass(frozen=True, slots=True)
class PlannedHousehold:
    id: str
    head_name: str
    estate: str | None
    building: str | None
    unit: str | None
    room: str | None
    address: str | None
    phone: str | None
    tags: tuple[str, ...]
    grid_id: str | None
    last_visit_at: dt.datetime | None
    due: VisitDue


@dataclass(frozen=True, slots=True)
class BuildingGroup:
    estate: str
    building: str | None
    households: tuple[PlannedHousehold, ...]
    """By unit and room."""
    counts: PlanCounts


@dataclass(frozen=True, slots=True)
class EstateGroup:
    estate: str
    buildings: tuple[BuildingGroup, ...]
    counts: PlanCounts


@dataclass(frozen=True, slots=True)
class VisitPlan:
    today: dt.date
    estates: tuple[EstateGroup, ...]
    counts: PlanCounts

    def households(self, *states: VisitState) -> list[PlannedHousehold]:
        """Every household of the plan in walking order (only these states if given)."""
        return [h for e in self.estates for b in e.buildings for h in b.households
                if not states or h.due.state in states]


def visit_plan(
    session: Session,
    *,
    worker_grid_ids: Collection[str] | None,
    today: dt.date | None = None,
) -> VisitPlan:
    """The visits to make from ``today`` (Shanghai) to the end of the coming week
    (:data:`cadence.DUE_SOON_DAYS`).

    ``worker_grid_ids``: the worker's grids (``Actor.grid_ids``); ``None`` plans every
    household held here (a clerk's view of the community). Only active households.
    """
    today = today or records.now().astimezone(SHANGHAI).date()
    until = today + dt.timedelta(days=cadence.DUE_SOON_DAYS)
    params: dict[str, Any] = {"until": until.isoformat()}
    where = ["h.status = 'active'", "(d.due_date IS NULL OR d.due_date <= :until)"]
    if worker_grid_ids is not None:
        grids = sorted(worker_grid_ids)
        if not grids:
            return VisitPlan(today, (), PlanCounts())
        names = [f"g{i}" for i in range(len(grids))]
        params.update(zip(names, grids, strict=True))
        where.append(f"h.grid_id IN ({', '.join(':' + n for n in names)})")
    rows = session.execute(sa.text(
        "SELECT h.id, h.head_name, h.estate, h.building, h.unit, h.room, h.address, h.phone,"
        " h.tags, h.grid_id, h.visit_cadence_days, d.last_visit_at, d.sort_address"
        " FROM search_docs d JOIN households h ON h.id = d.household_id"
        f" WHERE {' AND '.join(where)} ORDER BY d.sort_address, d.doc"), params).mappings()
    estates: dict[str, dict[str | None, list[PlannedHousehold]]] = {}
    for r in rows:
        tags = tags_of(r["tags"])
        last = parse_time(r["last_visit_at"])
        due = cadence.visit_due(last, r["visit_cadence_days"], tags, today)
        if due.state not in PLANNED_STATES:
            continue
        estate = r["estate"] or r["address"] or ""
        estates.setdefault(estate, {}).setdefault(r["building"], []).append(PlannedHousehold(
            id=r["id"], head_name=r["head_name"] or "", estate=r["estate"],
            building=r["building"], unit=r["unit"], room=r["room"], address=r["address"],
            phone=r["phone"], tags=tuple(tags), grid_id=r["grid_id"], last_visit_at=last,
            due=due))
    groups = []
    total = PlanCounts()
    for estate, buildings in estates.items():
        building_groups = tuple(
            BuildingGroup(estate, building, tuple(households),
                          PlanCounts.of([h.due.state for h in households]))
            for building, households in buildings.items())
        counts = sum((b.counts for b in building_groups), PlanCounts())
        groups.append(EstateGroup(estate, building_groups, counts))
        total = total + counts
    return VisitPlan(today, tuple(groups), total)


# --- a household's history ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitEntry:
    id: str
    visited_at: dt.datetime | None
    worker_id: str | None
    worker_name: str | None
    template_id: str | None
    template_name: str | None
    template_version: int | None
    answers: dict[str, Any]
    notes: str | None
    follow_up: bool
    photos: tuple[str, ...]
    """sha256 of the photos (``photos.photo_path`` / ``thumbnail_path`` find them here)."""
    pending: bool
    """Made here and not yet confirmed by the server."""
    template_name_en: str | None = None

    def template_title(self, lang: str) -> str:
        """The form's name in the UI language (``lang``: ``zh_CN``, ``en``…)."""
        return forms.template_title(self.template_name, self.template_name_en, lang)


def visits_of(session: Session, household_id: str) -> list[VisitEntry]:
    """The household's visits, newest first."""
    visits = table_of("visit")
    staff = table_of("staff")
    templates = table_of("visit_template")
    pending = sa.exists().where(Outbox.entity == "visit", Outbox.record_id == visits.c.id)
    rows = session.execute(
        sa.select(visits, staff.c.display_name, templates.c.name.label("template_name"),
                  templates.c.name_en.label("template_name_en"),
                  pending.label("is_pending"))
        .outerjoin(staff, staff.c.id == visits.c.worker_id)
        .outerjoin(templates, templates.c.id == visits.c.template_id)
        .where(visits.c.household_id == household_id)
        .order_by(visits.c.visited_at.desc(), visits.c.id)
    ).mappings()
    out = []
    for r in rows:
        answers, photos = r["answers"], r["photos"]
        out.append(VisitEntry(
            id=r["id"], visited_at=r["visited_at"], worker_id=r["worker_id"],
            worker_name=r["display_name"], template_id=r["template_id"],
            template_name=r["template_name"], template_name_en=r["template_name_en"],
            template_version=r["template_version"],
            answers=answers if isinstance(answers, dict) else {}, notes=r["notes"],
            follow_up=bool(r["follow_up"]),
            photos=tuple(p for p in photos if isinstance(p, str))
            if isinstance(photos, list) else (),
            pending=bool(r["is_pending"]) or r["sync_version"] is None,
        ))
    return out


@dataclass(frozen=True, slots=True)
class TicketEntry:
    id: str
    number: str | None
    title: str | None
    category: str | None
    priority: str | None
    status: str | None
    is_open: bool
    overdue: bool
    """Open and past its due time."""
    due_at: dt.datetime | None
    assignee_id: str | None
    assignee_name: str | None
    created_at: dt.datetime | None
    source: str | None
    visit_id: str | None


def tickets_of(session: Session, household_id: str,
               now: dt.datetime | None = None) -> list[TicketEntry]:
    """The household's tickets: open ones first, then newest first."""
    now = now or records.now()
    tickets = table_of("ticket")
    staff = table_of("staff")
    rows = session.execute(
        sa.select(tickets, staff.c.display_name)
        .outerjoin(staff, staff.c.id == tickets.c.assignee_id)
        .where(tickets.c.household_id == household_id)
    ).mappings()
    out = []
    for r in rows:
        due_at = r["due_at"]
        is_open = r["status"] in records.OPEN_TICKET_STATUSES
        out.append(TicketEntry(
            id=r["id"], number=r["number"], title=r["title"], category=r["category"],
            priority=r["priority"], status=r["status"], is_open=is_open,
            overdue=is_open and due_at is not None and due_at < now, due_at=due_at,
            assignee_id=r["assignee_id"], assignee_name=r["display_name"],
            created_at=r["created_at"], source=r["source"],
            visit_id=r["visit_id"]))
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    out.sort(key=lambda t: (not t.is_open, -(t.created_at or epoch).timestamp(), t.id))
    return out


# --- starting a visit, and a worker's latest visits -------------------------------------


@dataclass(frozen=True, slots=True)
class VisitStart:
    """What the visit dialog opens with."""

    household: dict[str, Any]
    templates: list[dict[str, Any]]
    """The active visit templates, by name."""
    draft_id: str | None
    """The draft to continue (``None``: a new visit)."""
    payload: dict[str, Any]
    """That draft's content."""


def visit_start(session: Session, kind: str, household_id: str | None,
                draft_id: str | None) -> VisitStart | None:
    """The household, the active templates and the draft (of ``kind``) to continue: the
    given one, or the household's newest. ``None``: the household is not (or no longer)
    here."""
    payload: dict[str, Any] = {}
    if draft_id is not None:
        draft = get_draft(session, draft_id)
        if draft is not None:
            payload = draft.payload
            household_id = household_id or payload.get("household_id")
        else:
            draft_id = None
    if draft_id is None and household_id is not None:
        for d in list_drafts(session, kind):
            if d.payload.get("household_id") == household_id:
                draft_id, payload = d.id, d.payload
                break
    household = get_record(session, "household", household_id) if household_id else None
    if household is None:
        return None
    table = table_of("visit_template")
    templates = [dict(r) for r in session.execute(
        table.select().where(table.c.active.is_(True)).order_by(table.c.name)).mappings()]
    return VisitStart(dict(household), templates, draft_id, dict(payload))


@dataclass(frozen=True, slots=True)
class RecentVisits:
    drafts: tuple[DraftView, ...]
    visits: tuple[tuple[str, VisitEntry], ...]
    """(household line, visit), newest first."""


def recent_visits(session: Session, kind: str, worker_id: str, limit: int) -> RecentVisits:
    """The drafts (of ``kind``) and the worker's latest ``limit`` visits, newest first."""
    visits, households = table_of("visit"), table_of("household")
    drafts = tuple(list_drafts(session, kind))
    rows = session.execute(
        sa.select(visits.c.household_id).where(visits.c.worker_id == worker_id)
        .group_by(visits.c.household_id)
        .order_by(sa.func.max(visits.c.visited_at).desc()).limit(limit)).all()
    found: list[tuple[str, VisitEntry]] = []
    for (household_id,) in rows:
        h = session.execute(households.select().where(households.c.id == household_id)
                            ).mappings().first()
        line = household_line(dict(h)) if h is not None else household_id
        found.extend((line, v) for v in visits_of(session, household_id)
                     if v.worker_id == worker_id)
    found.sort(key=lambda pair: pair[1].visited_at.timestamp() if pair[1].visited_at else 0,
               reverse=True)
    return RecentVisits(drafts, tuple(found[:limit]))


# --- one visit, to read -------------------------------------------------------------------


SYNCED, PENDING, HELD = "synced", "pending", "held"
"""Where a visit stands with the server: it has it; it is still to be sent from here; it
was set aside here (the outbox view says why)."""


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """A visit as it was submitted, with what a reader needs around it."""

    visit: VisitEntry
    household_id: str | None
    household_line: str
    fields: tuple[dict[str, Any], ...]
    """The field definitions of the template it was filled with (empty: the template is
    not on this device)."""
    sync_state: str
    """:data:`SYNCED`, :data:`PENDING` or :data:`HELD`."""
    last_error: str | None
    """Why the server has not taken it yet (the outbox's last error), if it said."""
    tickets: tuple[TicketEntry, ...]
    """The tickets raised from this visit."""


def visit_record(session: Session, visit_id: str) -> VisitRecord | None:
    """The visit ``visit_id`` to read (``None``: not, or no longer, on this device)."""
    visits, households = table_of("visit"), table_of("household")
    row = session.execute(sa.select(visits.c.household_id)
                          .where(visits.c.id == visit_id)).first()
    if row is None:
        return None
    household_id = row[0]
    entry = next((v for v in visits_of(session, household_id) if v.id == visit_id), None)
    if entry is None:
        return None
    household = session.execute(households.select().where(households.c.id == household_id)
                                ).mappings().first()
    templates = table_of("visit_template")
    fields = session.execute(sa.select(templates.c.fields)
                             .where(templates.c.id == entry.template_id)).scalar()
    unsent = session.execute(
        sa.select(Outbox.held_at, Outbox.last_error)
        .where(Outbox.entity == "visit", Outbox.record_id == visit_id)
        .order_by(Outbox.seq)).all()
    state = SYNCED
    if any(u.held_at is not None for u in unsent):
        state = HELD
    elif unsent or entry.pending:
        state = PENDING
    last_error = next((u.last_error for u in reversed(unsent) if u.last_error), None)
    return VisitRecord(
        visit=entry, household_id=household_id,
        household_line=household_line(dict(household)) if household is not None
        else str(household_id),
        fields=tuple(dict(d) for d in fields or () if isinstance(d, dict)),
        sync_state=state, last_error=last_error,
        tickets=tuple(t for t in tickets_of(session, household_id)
                      if t.visit_id == visit_id))
