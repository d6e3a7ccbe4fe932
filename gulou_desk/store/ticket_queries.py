"""Client-side reads for the tickets views: plain values, never ORM objects (the inbox's
are in :mod:`gulou_desk.store.inbox_queries`).

Everything here runs on a worker thread with a session the caller opened for one read
(``with store.session() as s``). The local store holds only what the user may see (the
server scopes every pull), so "all of my community" is simply every ticket here.

Time is always passed in (``now``), so the queues, the countdown and its colour can be
checked at their boundaries. Due times follow the domain's SLA (:mod:`gulou_desk.domain.sla`):
a ticket waiting on the resident (``paused_at`` set) has its clock stopped, so it is never
"due today" or "overdue" while it waits (the server's escalation job reads it the same
way); what it shows is the due time it would have if it resumed now.

Which workflow steps a user may take is read from the domain's tables
(:data:`~gulou_desk.domain.workflows.TICKET_TABLE`) through the domain's own step function,
never typed again here (:func:`step_states`).
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.domain import workflows
from gulou_desk.domain.sla import (
    CLOCK_STATES,
    OPEN_STATES,
    Countdown,
    countdown,
    local_day_start,
)
from gulou_desk.domain.workflows import Actor
from gulou_desk.store.inbox_queries import MessageView, messages_by_ids
from gulou_desk.store.queries import (
    PRIORITY_RANK,
    RejectionView,
    like_pattern,
    list_rejections,
    pending_exists,
    staff_names,
)
from gulou_desk.store.rows import load_row, table_of
from gulou_desk.store.schema import SYNC_VERSION, Outbox

# --- queues -------------------------------------------------------------------------


class Queue(enum.StrEnum):
    MINE = "mine"
    """Open tickets assigned to me."""
    UNASSIGNED = "unassigned"
    """New or returned tickets, waiting for a dispatcher."""
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    WAITING = "waiting"
    """Waiting on the resident (clock stopped)."""
    FOLLOW_UP = "follow_up"
    """Resolved, waiting for the follow-up call (回访)."""
    ESCALATED = "escalated"
    """Open and escalated (督办)."""
    EXTENSIONS = "extensions"
    """Open, with an extension request not yet approved."""
    ALL = "all"
    """Everything in the local copy: the user's grids, community or street."""


ROLE_QUEUES: dict[str, tuple[Queue, ...]] = {
    "social_worker": (Queue.MINE, Queue.DUE_TODAY, Queue.OVERDUE, Queue.WAITING, Queue.ALL),
    "clerk": (Queue.UNASSIGNED, Queue.DUE_TODAY, Queue.OVERDUE, Queue.WAITING,
              Queue.FOLLOW_UP, Queue.MINE, Queue.ALL),
    "supervisor": (Queue.ESCALATED, Queue.OVERDUE, Queue.EXTENSIONS, Queue.DUE_TODAY,
                   Queue.UNASSIGNED, Queue.WAITING, Queue.FOLLOW_UP, Queue.ALL),
    "admin": (Queue.ESCALATED, Queue.OVERDUE, Queue.EXTENSIONS, Queue.DUE_TODAY,
              Queue.UNASSIGNED, Queue.WAITING, Queue.FOLLOW_UP, Queue.ALL),
}
"""The queues each role sees, first = where the view opens."""


def queues_for(role: str) -> tuple[Queue, ...]:
    return ROLE_QUEUES.get(role, ROLE_QUEUES["social_worker"])


def _open_extension_request() -> sa.ColumnElement[bool]:
    """The ticket has a ``request_extension`` event with no ``approve_extension`` after."""
    tickets = table_of("ticket")
    events = table_of("ticket_event")
    later = table_of("ticket_event").alias("approved")
    approved_after = (
        sa.select(later.c.id)
        .where(later.c.ticket_id == events.c.ticket_id, later.c.kind == "approve_extension",
               later.c.at >= events.c.at)
        .exists()
    )
    return (
        sa.select(events.c.id)
        .where(events.c.ticket_id == tickets.c.id, events.c.kind == "request_extension",
               ~approved_after)
        .exists()
    )


def queue_condition(queue: Queue, actor: Actor, now: dt.datetime) -> sa.ColumnElement[bool]:
    """The SQL condition of a queue on the local ``tickets`` table."""
    t = table_of("ticket")
    clock_runs = sa.and_(t.c.status.in_(sorted(CLOCK_STATES)), t.c.paused_at.is_(None),
                         t.c.due_at.is_not(None))
    open_ = t.c.status.in_(sorted(OPEN_STATES))
    if queue is Queue.MINE:
        return sa.and_(t.c.assignee_id == actor.id, open_)
    if queue is Queue.UNASSIGNED:
        return t.c.status.in_(("new", "returned"))
    if queue is Queue.DUE_TODAY:
        tomorrow = local_day_start(now) + dt.timedelta(days=1)
        return sa.and_(clock_runs, t.c.due_at >= now, t.c.due_at < tomorrow)
    if queue is Queue.OVERDUE:
        return sa.and_(clock_runs, t.c.due_at < now)
    if queue is Queue.WAITING:
        return t.c.status == "waiting"
    if queue is Queue.FOLLOW_UP:
        return t.c.status == "resolved"
    if queue is Queue.ESCALATED:
        return sa.and_(open_, t.c.escalated == sa.true())
    if queue is Queue.EXTENSIONS:
        return sa.and_(open_, _open_extension_request())
    return sa.true()


# --- ticket rows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TicketRow:
    """One line of the tickets table."""

    id: str
    number: str | None
    """``None`` until the server has numbered a ticket made here."""
    title: str
    category: str
    priority: str
    status: str
    source: str | None
    assignee_id: str | None
    assignee_name: str | None
    grid_id: str | None
    grid_name: str | None
    household_id: str | None
    created_at: dt.datetime | None
    due_at: dt.datetime | None
    paused_at: dt.datetime | None
    escalated: bool
    pending: bool
    """This device has edits of it not yet accepted by the server."""

    def countdown(self, now: dt.datetime) -> Countdown:
        return countdown(self.status, self.due_at, self.paused_at, now)


_STATUS_ORDER = ("new", "returned", "assigned", "accepted", "in_progress", "waiting",
                 "resolved", "closed", "merged", "cancelled")
TICKET_ORDERS: tuple[str, ...] = (
    "number", "title", "category", "priority", "status", "assignee", "grid", "due_at",
    "created_at",
)
"""What the tickets table may be ordered by (``-name`` for descending)."""
DEFAULT_ORDER: dict[Queue, str] = {Queue.ALL: "-created_at", Queue.FOLLOW_UP: "due_at"}
"""Queues are ordered by due time (most pressing first) unless said here."""


def _ticket_search(search: str | None, staff: sa.FromClause) -> sa.ColumnElement[bool]:
    """Every word must appear in the number, title, description or assignee's name."""
    t = table_of("ticket")
    conditions = []
    for term in (search or "").split():
        pattern = like_pattern(term)
        conditions.append(sa.or_(
            *(col.like(pattern, escape="\\")
              for col in (t.c.number, t.c.title, t.c.description, staff.c.display_name))
        ))
    return sa.and_(sa.true(), *conditions)


def _order_clauses(order_by: str, staff: sa.FromClause, grids: sa.FromClause,
                   category_order: Sequence[str] = ()) -> list[sa.ColumnElement[Any]]:
    t = table_of("ticket")
    descending = order_by.startswith("-")
    name = order_by.lstrip("-")
    if name not in TICKET_ORDERS:
        raise ValueError(f"tickets cannot be ordered by {name!r}")
    column: sa.ColumnElement[Any]
    if name == "priority":
        column = sa.case(PRIORITY_RANK, value=t.c.priority, else_=len(PRIORITY_RANK))
    elif name == "status":
        column = sa.case({s: i for i, s in enumerate(_STATUS_ORDER)}, value=t.c.status,
                         else_=len(_STATUS_ORDER))
    elif name == "assignee":
        column = staff.c.display_name
    elif name == "grid":
        column = grids.c.name
    elif name == "category" and category_order:
        # The order a person reads the names in (the caller's language), not the codes'.
        column = sa.case({c: i for i, c in enumerate(category_order)}, value=t.c.category,
                         else_=len(category_order))
    else:
        column = t.c[name]
    # Empty values last, whichever the direction (a ticket without a due time is not
    # the most pressing one).
    clauses: list[sa.ColumnElement[Any]] = [sa.case((column.is_(None), 1), else_=0)]
    clauses.append(column.desc() if descending else column.asc())
    clauses.append(t.c.id.asc())
    return clauses


def _joined() -> tuple[sa.FromClause, sa.FromClause, sa.FromClause]:
    """Tickets with their assignee and grid (outer joins): (from, staff, grids)."""
    t = table_of("ticket")
    staff = table_of("staff").alias("assignee")
    grids = table_of("grid").alias("ticket_grid")
    joined = t.outerjoin(staff, staff.c.id == t.c.assignee_id).outerjoin(
        grids, grids.c.id == t.c.grid_id)
    return joined, staff, grids


def _row_columns(staff: sa.FromClause, grids: sa.FromClause) -> list[Any]:
    t = table_of("ticket")
    return [
        t.c.id, t.c.number, t.c.title, t.c.category, t.c.priority, t.c.status,
        t.c.source, t.c.assignee_id, staff.c.display_name.label("assignee_name"),
        t.c.grid_id, grids.c.name.label("grid_name"), t.c.household_id,
        t.c.created_at, t.c.due_at, t.c.paused_at, t.c.escalated,
        pending_exists("ticket", t.c.id).label("pending"),
    ]


def _ticket_row(r: Mapping[Any, Any]) -> TicketRow:
    return TicketRow(
        id=r["id"], number=r["number"], title=r["title"] or "",
        category=r["category"] or "", priority=r["priority"] or "normal",
        status=r["status"] or "new", source=r["source"], assignee_id=r["assignee_id"],
        assignee_name=r["assignee_name"], grid_id=r["grid_id"], grid_name=r["grid_name"],
        household_id=r["household_id"], created_at=r["created_at"], due_at=r["due_at"],
        paused_at=r["paused_at"], escalated=bool(r["escalated"]), pending=bool(r["pending"]),
    )


def ticket_page(
    session: Session,
    queue: Queue,
    actor: Actor,
    now: dt.datetime,
    *,
    search: str | None = None,
    order_by: str | None = None,
    category_order: Sequence[str] = (),
    offset: int = 0,
    limit: int = 200,
) -> list[TicketRow]:
    """One page of a queue's tickets, filtered by ``search`` and ordered by ``order_by``
    (one of :data:`TICKET_ORDERS`, ``-`` for descending; the queue's default order
    otherwise). ``category_order``: the category codes in the order their shown names
    sort (ordering by ``category`` follows it; by code without it)."""
    joined, staff, grids = _joined()
    order = order_by or DEFAULT_ORDER.get(queue, "due_at")
    rows = session.execute(
        sa.select(*_row_columns(staff, grids)).select_from(joined)
        .where(queue_condition(queue, actor, now), _ticket_search(search, staff))
        .order_by(*_order_clauses(order, staff, grids, category_order))
        .offset(max(offset, 0))
        .limit(max(limit, 0))
    ).mappings()
    return [_ticket_row(r) for r in rows]


def ticket_count(
    session: Session, queue: Queue, actor: Actor, now: dt.datetime, *,
    search: str | None = None,
) -> int:
    joined, staff, _grids = _joined()
    return int(session.scalar(
        sa.select(sa.func.count()).select_from(joined)
        .where(queue_condition(queue, actor, now), _ticket_search(search, staff))
    ) or 0)


def queue_counts(
    session: Session, actor: Actor, now: dt.datetime, queues: Iterable[Queue] | None = None
) -> dict[Queue, int]:
    """How many tickets each queue holds (one query for all of them)."""
    chosen = tuple(queues) if queues is not None else queues_for(actor.role)
    t = table_of("ticket")
    sums = [
        sa.func.coalesce(sa.func.sum(sa.case((queue_condition(q, actor, now), 1), else_=0)),
                         0).label(q.value)
        for q in chosen
    ]
    row = session.execute(sa.select(*sums).select_from(t)).mappings().one()
    return {q: int(row[q.value] or 0) for q in chosen}


def attention_count(session: Session, actor: Actor, now: dt.datetime) -> int:
    """The navigation badge of the tickets section: the role's first queue (mine for a
    social worker, unassigned for a clerk, escalated for a supervisor)."""
    first = queues_for(actor.role)[0]
    return queue_counts(session, actor, now, (first,))[first]


# --- one ticket ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TicketRef:
    id: str
    number: str | None
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class EventView:
    """One timeline entry: who (display name; ``None`` = the system), what, when."""

    id: str
    kind: str
    body: str | None
    data: dict[str, Any]
    at: dt.datetime
    actor_id: str | None
    actor_name: str | None
    pending: bool
    """Written here and not yet confirmed by the server."""
    subject_name: str | None = None
    """For ``assign``: the assignee's name; for ``merge``: the survivor's number."""


@dataclass(frozen=True, slots=True)
class TicketDetail:
    ticket: dict[str, Any]
    """Every field (Python values), ``id`` and ``sync_version``."""
    grid_name: str | None
    community_id: str | None
    assignee_name: str | None
    created_by_name: str | None
    household: dict[str, Any] | None
    messages: list[MessageView]
    events: list[EventView]
    merged_into: TicketRef | None
    merged_in: list[TicketRef]
    """Tickets merged into this one (they can be split back out)."""
    rejections: list[RejectionView]
    """Steps on this ticket the server refused, not yet dismissed."""
    pending: bool
    extension_request: tuple[int, str] | None
    """An open extension request: (working days, reason)."""


def _ref(row: Mapping[Any, Any]) -> TicketRef:
    return TicketRef(row["id"], row["number"], row["title"] or "", row["status"] or "")


def ticket_detail(session: Session, ticket_id: str) -> TicketDetail | None:
    """Everything the detail pane shows, or ``None`` when the ticket is not here."""
    ticket = load_row(session, "ticket", ticket_id)
    if ticket is None:
        return None
    t = table_of("ticket")
    grid = load_row(session, "grid", ticket["grid_id"]) if ticket["grid_id"] else None
    household = (load_row(session, "household", ticket["household_id"])
                 if ticket["household_id"] else None)
    events_table = table_of("ticket_event")
    event_rows = [dict(r) for r in session.execute(
        sa.select(events_table).where(events_table.c.ticket_id == ticket_id)
        # Within one second (the wire's precision) the server's order is its version
        # order; events written here and not yet confirmed come last.
        .order_by(events_table.c.at,
                  sa.case((events_table.c[SYNC_VERSION].is_(None), 1), else_=0),
                  events_table.c[SYNC_VERSION], events_table.c.id)).mappings()]
    tickets_named = {
        r["id"]: r for r in session.execute(
            sa.select(t.c.id, t.c.number, t.c.title, t.c.status).where(
                t.c.id.in_({e["body"] for e in event_rows if e["kind"] == "merge"
                            and e["body"]}))).mappings()
    }
    names = staff_names(session, [ticket["assignee_id"], ticket["created_by_id"],
                                   *(e["actor_id"] for e in event_rows),
                                   *(e["body"] for e in event_rows if e["kind"] == "assign")])
    events = []
    for e in event_rows:
        subject = None
        if e["kind"] == "assign" and e["body"]:
            subject = names.get(e["body"])
        elif e["kind"] == "merge" and e["body"] in tickets_named:
            subject = tickets_named[e["body"]]["number"]
        events.append(EventView(
            id=e["id"], kind=e["kind"], body=e["body"], data=dict(e["data"] or {}),
            at=e["at"], actor_id=e["actor_id"], actor_name=names.get(e["actor_id"] or ""),
            pending=e[SYNC_VERSION] is None, subject_name=subject,
        ))
    merged_into = None
    if ticket["merged_into_id"]:
        survivor = load_row(session, "ticket", ticket["merged_into_id"])
        if survivor is not None:
            merged_into = _ref(survivor)
    merged_in = [
        _ref(r) for r in session.execute(
            sa.select(t.c.id, t.c.number, t.c.title, t.c.status)
            .where(t.c.merged_into_id == ticket_id, t.c.status == "merged")
            .order_by(t.c.number)).mappings()
    ]
    message_ids = list(ticket["source_message_ids"] or [])
    messages_by_id = {m.id: m for m in messages_by_ids(session, message_ids)}
    messages = [messages_by_id[i] for i in message_ids if i in messages_by_id]
    rejections = [r for r in list_rejections(session)
                  if r.entity == "ticket" and r.record_id == ticket_id]
    pending = bool(session.scalar(
        sa.select(sa.func.count()).select_from(Outbox)
        .where(Outbox.entity == "ticket", Outbox.record_id == ticket_id)))
    return TicketDetail(
        ticket=ticket,
        grid_name=grid["name"] if grid else None,
        community_id=grid["community_id"] if grid else None,
        assignee_name=names.get(ticket["assignee_id"] or ""),
        created_by_name=names.get(ticket["created_by_id"] or ""),
        household=household,
        messages=messages,
        events=events,
        merged_into=merged_into,
        merged_in=merged_in,
        rejections=rejections,
        pending=pending,
        extension_request=open_extension_request(event_rows),
    )


def open_extension_request(events: Sequence[Mapping[str, Any]]) -> tuple[int, str] | None:
    """The latest ``request_extension`` not followed by an ``approve_extension``
    (``events`` in timeline order)."""
    request: tuple[int, str] | None = None
    for event in events:
        if event["kind"] == "request_extension":
            request = workflows.parse_extension_request(event["body"])
        elif event["kind"] == "approve_extension":
            request = None
    return request


# --- what the user may do -----------------------------------------------------------


Why = workflows.Reason
"""Why a step is not possible now (the UI words it): the domain's own reasons."""


@dataclass(frozen=True, slots=True)
class StepState:
    action: str
    allowed: bool
    why: Why | None = None
    roles: frozenset[str] = frozenset()
    """The roles that may take the step (for "only a supervisor may …")."""
    applies: bool = True
    """Whether a menu shows the step at all: it is one for this record's state and this
    user's role (:attr:`workflows.Refusal.applies`); a step that applies but is not
    allowed is shown disabled, with :attr:`why` in its tooltip."""


def step_states(
    ticket: Mapping[str, Any], actor: Actor, now: dt.datetime,
    actions: Iterable[str] | None = None,
) -> dict[str, StepState]:
    """For every ticket action (or those given): may ``actor`` take it now, and if not,
    why (:func:`workflows.why_not`, the function the step itself and the server ask).
    ``now`` is kept for callers; the answer does not depend on the time."""
    return _states("ticket", ticket, actor, actions)


def inbox_step_states(
    message: Mapping[str, Any], actor: Actor, now: dt.datetime,
) -> dict[str, StepState]:
    """As :func:`step_states`, for an inbox message (convert, link, dismiss, reply)."""
    return _states("inbox_message", message, actor, None)


def _states(
    entity: str, record: Mapping[str, Any], actor: Actor, actions: Iterable[str] | None,
) -> dict[str, StepState]:
    table = workflows.TABLES[entity]
    result: dict[str, StepState] = {}
    for action in actions or table:
        roles = table[action].roles
        refusal = workflows.why_not(action, record, actor, entity=entity)
        result[action] = (
            StepState(action, True, None, roles) if refusal is None
            else StepState(action, False, refusal.reason, roles, refusal.applies)
        )
    return result


# --- the people ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffOption:
    id: str
    name: str
    role: str
    in_grid: bool
    """Works in the ticket's grid (listed first)."""


def assignable_staff(session: Session, grid_id: str | None) -> list[StaffOption]:
    """Active social workers and clerks of the grid's community (from the local staff
    directory), the grid's own workers first, then by name."""
    grid = load_row(session, "grid", grid_id) if grid_id else None
    grid_workers = set(grid["worker_ids"] or ()) if grid else set()
    staff = table_of("staff")
    query = sa.select(staff.c.id, staff.c.display_name, staff.c.role).where(
        sa.or_(staff.c.active.is_(None), staff.c.active == sa.true()),
        staff.c.role.in_(("social_worker", "clerk")),
    )
    if grid is not None:
        query = query.where(sa.or_(staff.c.community_id == grid["community_id"],
                                   staff.c.id.in_(grid_workers)))
    options = [
        StaffOption(sid, name or "", role or "", sid in grid_workers)
        for sid, name, role in session.execute(query)
    ]
    return sorted(options, key=lambda o: (not o.in_grid, o.role != "social_worker", o.name))


def grids_here(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the grids in the local copy, by name."""
    grids = table_of("grid")
    return [(gid, name or "") for gid, name in session.execute(
        sa.select(grids.c.id, grids.c.name).order_by(grids.c.name, grids.c.id))]


def ticket_candidates(
    session: Session,
    *,
    search: str | None = None,
    exclude_id: str | None = None,
    grid_id: str | None = None,
    statuses: Collection[str] = tuple(sorted(OPEN_STATES | {"resolved"})),
    limit: int = 50,
) -> list[TicketRow]:
    """Tickets to link a message to or merge a ticket into: the given statuses, the
    grid's own first, newest first, filtered by ``search``."""
    t = table_of("ticket")
    joined, staff, grids = _joined()
    query = sa.select(*_row_columns(staff, grids)).select_from(joined).where(
        t.c.status.in_(sorted(statuses)), _ticket_search(search, staff))
    if exclude_id:
        query = query.where(t.c.id != exclude_id)
    same_grid = sa.case((t.c.grid_id == grid_id, 0), else_=1) if grid_id else sa.literal(0)
    rows = session.execute(
        query.order_by(same_grid, sa.case((t.c.created_at.is_(None), 0), else_=1),
                       t.c.created_at.desc(), t.c.id).limit(limit)
    ).mappings()
    return [_ticket_row(r) for r in rows]


DUPLICATE_WINDOW = dt.timedelta(days=14)
"""A ticket opened this long before or after another may report the same problem."""
SIMILAR_TEXT = 0.2
"""Share of the shorter text's character pairs also in the other: "similar text"."""


def _pairs(text: str) -> set[str]:
    """The text's character bigrams, spaces and punctuation left out (Chinese has no
    words to split on; two characters in a row are what a reader matches)."""
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in itertools.pairwise(chars)}


def text_similarity(a: str, b: str) -> float:
    """How much of the shorter text's character pairs the other holds (0 … 1)."""
    pa, pb = _pairs(a), _pairs(b)
    if not pa or not pb:
        return 0.0
    return len(pa & pb) / min(len(pa), len(pb))


def duplicate_suggestions(
    session: Session, ticket: Mapping[str, Any], *, limit: int = 5,
) -> list[TicketRow]:
    """Open tickets that may report the same problem as ``ticket``, likeliest first:
    opened within :data:`DUPLICATE_WINDOW` of it, and about the same household, or in
    the same grid and category with similar text (:data:`SIMILAR_TEXT`)."""
    t = table_of("ticket")
    joined, staff, grids = _joined()
    created = ticket.get("created_at")
    same = [sa.and_(t.c.grid_id == ticket.get("grid_id"),
                    t.c.category == ticket.get("category"))]
    if ticket.get("household_id"):
        same.append(t.c.household_id == ticket["household_id"])
    query = sa.select(*_row_columns(staff, grids), t.c.description).select_from(joined).where(
        t.c.status.in_(sorted(OPEN_STATES)), t.c.id != ticket.get("id"), sa.or_(*same))
    if isinstance(created, dt.datetime):
        query = query.where(t.c.created_at.between(created - DUPLICATE_WINDOW,
                                                   created + DUPLICATE_WINDOW))
    mine = f"{ticket.get('title') or ''} {ticket.get('description') or ''}"
    scored: list[tuple[float, TicketRow]] = []
    for r in session.execute(query.limit(500)).mappings():
        household = bool(ticket.get("household_id")) and r["household_id"] == ticket.get(
            "household_id")
        similar = text_similarity(mine, f"{r['title'] or ''} {r['description'] or ''}")
        if household or similar >= SIMILAR_TEXT:
            scored.append((similar + (1.0 if household else 0.0), _ticket_row(r)))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [row for _, row in scored[:limit]]


__all__ = [
    "DUPLICATE_WINDOW",
    "EventView",
    "Queue",
    "StaffOption",
    "StepState",
    "TicketDetail",
    "TicketRef",
    "TicketRow",
    "Why",
    "assignable_staff",
    "attention_count",
    "duplicate_suggestions",
    "grids_here",
    "inbox_step_states",
    "queue_condition",
    "queue_counts",
    "queues_for",
    "step_states",
    "text_similarity",
    "ticket_candidates",
    "ticket_count",
    "ticket_detail",
    "ticket_page",
]
