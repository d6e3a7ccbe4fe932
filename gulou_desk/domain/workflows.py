"""State machines of tickets (工单), inbox messages (群消息诉求) and performance records.

Each machine is a table of :class:`Transition` rows: which states an action starts
from, where it leads, which staff roles may run it, who among them (the assignee, the
record's own worker, workers of the message's grid …), and which arguments it needs.
The step functions look the action up, check state, then actor, then arguments, and
return a :class:`Step`: the field changes to write and, for tickets, the timeline event
to append. They never write anything; the client's use cases and the server apply the
step, so both sides run exactly the same rules.

Check order, and the error for each: unknown action or wrong state →
``invalid_transition``; wrong role, or not the required person → ``forbidden``; missing
or bad argument → ``validation`` with ``details["field"]``.

Scope (which grids, communities, streets an actor sees) is not checked here; the server
checks it before it calls these functions.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gulou_desk import records
from gulou_desk.domain import gubao, participation, sla

# --- shared types -------------------------------------------------------------------


class WorkflowError(Exception):
    """A refused step. ``code`` is ``invalid_transition``, ``forbidden`` or ``validation``."""

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def __repr__(self) -> str:
        return f"WorkflowError({self.code!r}, {self.message!r}, {self.details!r})"


@dataclass(frozen=True)
class Actor:
    """Who runs a step: a staff member with their role and where they work."""

    id: str
    role: str
    community_id: str | None = None
    street_id: str | None = None
    grid_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Step:
    """The outcome of a step.

    ``changes``: fields to write on the record (``status`` included when it moves).
    ``event_kind`` / ``event_body``: for tickets, the ``ticket_event`` to append (the
    caller adds ticket_id, actor_id and at). For inbox messages, ``reply`` sets
    ``event_kind="reply"`` and ``event_body`` to the text the bot must post to the
    group; other inbox and performance steps have no event.
    """

    changes: dict[str, Any]
    event_kind: str | None
    event_body: str | None = None


SOCIAL_WORKER = "social_worker"
CLERK = "clerk"
SUPERVISOR = "supervisor"
ADMIN = "admin"
ALL_ROLES = frozenset(records.STAFF_ROLES)
DISPATCHERS = frozenset({CLERK, SUPERVISOR, ADMIN})
DECIDERS = frozenset({SUPERVISOR, ADMIN})


class Party(enum.StrEnum):
    """Who, among the allowed roles, may run a step."""

    ANYONE = "anyone"
    ASSIGNEE = "assignee"
    """Only the ticket's assignee (whatever their role)."""
    WORKER_ASSIGNEE = "worker_assignee"
    """A social worker only on tickets assigned to them; other roles on any ticket."""
    GRID_WORKER = "grid_worker"
    """A social worker only on messages of their own grids; other roles on any."""
    OWNER = "owner"
    """Only the performance record's own worker."""
    NOT_OWNER = "not_owner"
    """Anyone in the roles but the record's own worker (no deciding on yourself)."""
    OWN_GRIDS = "own_grids"
    """A social worker only on items whose target grids (``grid_ids``) are all theirs;
    other roles on any (participation: questionnaires, consultations, activities)."""


@dataclass(frozen=True)
class Transition:
    action: str
    from_states: frozenset[str]
    to_states: tuple[str | None, ...]
    """Possible outcomes, the usual one first; ``None`` = the status does not change."""
    roles: frozenset[str]
    party: Party
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


def _t(
    action: str,
    from_states: str | frozenset[str],
    to_states: str | tuple[str | None, ...] | None,
    roles: frozenset[str],
    party: Party = Party.ANYONE,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
) -> Transition:
    states = frozenset(from_states.split()) if isinstance(from_states, str) else from_states
    targets = to_states if isinstance(to_states, tuple) else (to_states,)
    return Transition(action, states, targets, roles, party, required, optional)


# --- arguments ----------------------------------------------------------------------

MAX_EXTENSION_DAYS = 30


def _text(max_length: int | None = None) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return "must be a non-empty text"
        if max_length is not None and len(value) > max_length:
            return f"at most {max_length} characters"
        return None
    return check


def _optional_text(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "must be a text or null"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"
    return check


def _open_category(value: Any) -> str | None:
    """A category the catalogue in force offers new tickets (a retired one is refused)."""
    if sla.is_open_category(value):
        return None
    return ("that category is retired" if isinstance(value, str) and sla.category(value)
            else "must be one of the catalogue's categories")


def _kept_category(record: Mapping[str, Any], value: Any) -> bool:
    """The record's own category, unchanged: a ticket filed before its category was
    retired keeps it through triage (only a *new* choice must be one in force)."""
    return isinstance(value, str) and value == record.get("category") \
        and sla.category(value) is not None


def _check_days(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number of working days"
    if not 1 <= value <= MAX_EXTENSION_DAYS:
        return f"must be 1..{MAX_EXTENSION_DAYS}"
    return None


def _check_score(value: Any) -> str | None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= 100
    ):
        return "must be a number 0..100"
    return None


def _check_object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be an object"


def _check_time(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a time with its offset"
    try:
        records.parse_datetime(value)
    except ValueError:
        return "must be a time with its offset"
    return None


_ARGUMENTS: dict[str, Callable[[Any], str | None]] = {
    "category": _open_category,
    "priority": _one_of(records.TICKET_PRIORITIES),
    "assignee_id": _text(),
    "ticket_id": _text(),
    "into_id": _text(),
    "title": _text(records.TICKET.field("title").max_length),
    "description": _optional_text,
    "household_id": _optional_text,
    "body": _text(),
    "reason": _text(),
    "resolution": _text(),
    "comment": _text(),
    "text": _text(records.REPLY_MAX_LENGTH),
    "days": _check_days,
    "satisfaction": _one_of(records.SATISFACTION),
    "score": _check_score,
    "decision": _text(2000),
    "announcement": _text(2000),
    "volunteer_id": _text(),
    "grid_id": _text(),
    "attendance": participation.attendance_problem,
    "answers": _check_object,
    "channel": _one_of(("visit", "phone", "walk_in")),
    "received_at": _check_time,
}

# --- tickets ------------------------------------------------------------------------

FOLLOW_UP_DISSATISFIED = "follow_up_dissatisfied"
"""Event kind of a follow-up call where the resident was dissatisfied (发回重办)."""

TICKET_TRANSITIONS: tuple[Transition, ...] = (
    # Dispatching (clerk / supervisor / admin).
    _t("triage", "new returned", None, DISPATCHERS, required=("category", "priority")),
    _t("assign", "new returned assigned accepted in_progress", "assigned", DISPATCHERS,
       required=("assignee_id",)),
    _t("escalate", records.OPEN_TICKET_STATUSES, None, DISPATCHERS, optional=("body",)),
    _t("cancel", records.OPEN_TICKET_STATUSES, "cancelled", DISPATCHERS, required=("reason",)),
    _t("merge", records.OPEN_TICKET_STATUSES, "merged", DISPATCHERS, required=("into_id",)),
    _t("split", "merged", ("new", "assigned"), DISPATCHERS, optional=("reason",)),
    _t("close", "resolved", ("closed", "assigned", "new"), DISPATCHERS,
       required=("satisfaction",), optional=("comment",)),
    _t("reopen", "resolved closed", ("assigned", "new"), DISPATCHERS, required=("reason",)),
    _t("approve_extension", "assigned accepted in_progress waiting", None, DECIDERS,
       required=("days",), optional=("comment",)),
    # Handling (the assignee; dispatchers may step in except where only the assignee can).
    _t("accept", "assigned", "accepted", ALL_ROLES, Party.ASSIGNEE),
    _t("start", "accepted", "in_progress", ALL_ROLES, Party.WORKER_ASSIGNEE),
    _t("wait", "accepted in_progress", "waiting", ALL_ROLES, Party.WORKER_ASSIGNEE,
       optional=("reason",)),
    _t("resume", "waiting", "in_progress", ALL_ROLES, Party.WORKER_ASSIGNEE),
    _t("resolve", "accepted in_progress", "resolved", ALL_ROLES, Party.WORKER_ASSIGNEE,
       required=("resolution",)),
    _t("return", "assigned accepted in_progress", "returned", ALL_ROLES, Party.ASSIGNEE,
       required=("reason",)),
    _t("request_extension", "accepted in_progress waiting", None, ALL_ROLES, Party.ASSIGNEE,
       required=("days", "reason")),
    # Anyone, any state.
    _t("comment", frozenset(records.TICKET_STATUSES), None, ALL_ROLES, required=("body",)),
)
TICKET_TABLE: dict[str, Transition] = {t.action: t for t in TICKET_TRANSITIONS}

def format_extension_request(days: int, reason: str) -> str:
    """The body of a ``request_extension`` event: ``"+3 reason"``."""
    return f"+{days} {reason.strip()}"


def parse_extension_request(body: str | None) -> tuple[int, str] | None:
    """``(days, reason)`` from a ``request_extension`` event body, if it has that shape."""
    if not body or not body.startswith("+"):
        return None
    head, _, reason = body[1:].partition(" ")
    return (int(head), reason) if head.isdigit() else None


# --- inbox messages -----------------------------------------------------------------

# A reply does not end triage: a message answered at once ("收到，马上安排") can still be
# made a ticket, linked or dismissed, and replied to again.
INBOX_TRANSITIONS: tuple[Transition, ...] = (
    _t("convert", "new answered", "converted", ALL_ROLES, Party.GRID_WORKER,
       required=("ticket_id", "title", "category", "priority"),
       optional=("household_id", "description")),
    _t("link", "new answered", "linked", ALL_ROLES, Party.GRID_WORKER,
       required=("ticket_id",)),
    _t("dismiss", "new answered", "dismissed", ALL_ROLES, Party.GRID_WORKER,
       required=("reason",)),
    _t("reply", "new answered converted linked", ("answered", None), ALL_ROLES,
       Party.GRID_WORKER, required=("text",)),
    # A dismissal taken by mistake is undone the same day (Shanghai time): the message is
    # back to be handled (answered, if it had replies).
    _t("restore", "dismissed", ("new", "answered"), ALL_ROLES, Party.GRID_WORKER),
)
INBOX_TABLE: dict[str, Transition] = {t.action: t for t in INBOX_TRANSITIONS}

# --- performance records ------------------------------------------------------------

PERFORMANCE_TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", "draft returned", "submitted", ALL_ROLES, Party.OWNER),
    _t("approve", "submitted", "approved", DECIDERS, Party.NOT_OWNER,
       optional=("score", "comment")),
    _t("return", "submitted", "returned", DECIDERS, Party.NOT_OWNER, required=("comment",)),
    _t("reopen", "approved", "submitted", DECIDERS, Party.NOT_OWNER, required=("reason",)),
)
PERFORMANCE_TABLE: dict[str, Transition] = {t.action: t for t in PERFORMANCE_TRANSITIONS}

# --- resident participation ------------------------------------------------------------
# Every step of a questionnaire, consultation or activity may be run by staff whose scope
# holds it; a social worker only on items that target their own grids (Party.OWN_GRIDS).
# The server adds what needs its store: the short code and the group messages of a
# publishing step (server/participation.py), the ticket of ``create_ticket``, the
# volunteer's existence for ``sign_up``.

QUESTIONNAIRE_TRANSITIONS: tuple[Transition, ...] = (
    _t("publish", "draft", "published", ALL_ROLES, Party.OWN_GRIDS),
    _t("close", "published", "closed", ALL_ROLES, Party.OWN_GRIDS),
    _t("archive", "closed", "archived", ALL_ROLES, Party.OWN_GRIDS),
)
QUESTIONNAIRE_TABLE: dict[str, Transition] = {t.action: t for t in QUESTIONNAIRE_TRANSITIONS}

CONSULTATION_OPEN_STAGES = frozenset({"collecting", "discussing", "voting"})
"""Stages in which residents' replies are taken."""
CONSULTATION_POSTING_ACTIONS = frozenset({"publish", "discuss", "vote", "announce", "repost"})
"""Steps that post the consultation to its groups (and give it its code when it has none)."""

CONSULTATION_TRANSITIONS: tuple[Transition, ...] = (
    _t("publish", "collecting", None, ALL_ROLES, Party.OWN_GRIDS),
    _t("discuss", "collecting", "discussing", ALL_ROLES, Party.OWN_GRIDS),
    _t("vote", "collecting discussing", "voting", ALL_ROLES, Party.OWN_GRIDS),
    _t("decide", "collecting discussing voting", "decided", ALL_ROLES, Party.OWN_GRIDS,
       required=("decision",)),
    _t("announce", "decided", "announced", ALL_ROLES, Party.OWN_GRIDS,
       required=("announcement",)),
    _t("repost", "announced closed", None, ALL_ROLES, Party.OWN_GRIDS),
    _t("close", "decided announced", "closed", ALL_ROLES, Party.OWN_GRIDS),
    _t("create_ticket", "decided announced", None, ALL_ROLES, Party.OWN_GRIDS,
       required=("ticket_id", "title", "category", "priority", "grid_id"),
       optional=("description", "household_id")),
)
CONSULTATION_TABLE: dict[str, Transition] = {t.action: t for t in CONSULTATION_TRANSITIONS}

ACTIVITY_TRANSITIONS: tuple[Transition, ...] = (
    _t("publish", "draft", "published", ALL_ROLES, Party.OWN_GRIDS),
    _t("sign_up", "published", None, ALL_ROLES, Party.OWN_GRIDS, required=("volunteer_id",)),
    _t("withdraw", "published", None, ALL_ROLES, Party.OWN_GRIDS,
       required=("volunteer_id",)),
    _t("complete", "published", "done", ALL_ROLES, Party.OWN_GRIDS,
       required=("attendance",)),
    _t("cancel", "draft published", "cancelled", ALL_ROLES, Party.OWN_GRIDS,
       required=("reason",)),
)
ACTIVITY_TABLE: dict[str, Transition] = {t.action: t for t in ACTIVITY_TRANSITIONS}

CLOCK_SKEW = dt.timedelta(minutes=10)
"""How far ahead of the server's clock a device's time may be before it is refused."""

RESPONSE_STATE = "current"
"""A response has no workflow state; its one step (``replace``) runs from this one."""
RESPONSE_TRANSITIONS: tuple[Transition, ...] = (
    _t("replace", RESPONSE_STATE, None, ALL_ROLES, Party.GRID_WORKER,
       required=("answers", "channel"), optional=("received_at",)),
)
RESPONSE_TABLE: dict[str, Transition] = {t.action: t for t in RESPONSE_TRANSITIONS}

STATE_FIELDS: dict[str, str] = {"consultation": "stage"}
"""The field that holds an entity's state, where it is not ``status``."""
# --- devices ------------------------------------------------------------------------

DEVICE_TRANSITIONS: tuple[Transition, ...] = (
    _t("revoke", "active", "revoked", DECIDERS, optional=("reason",)),
)
DEVICE_TABLE: dict[str, Transition] = {t.action: t for t in DEVICE_TRANSITIONS}

# --- announcements (the 鼓宝 console) -----------------------------------------------------

ANNOUNCEMENT_TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", "draft", "pending", frozenset({SOCIAL_WORKER}), Party.OWN_GRIDS),
    _t("schedule", "draft", "scheduled", DISPATCHERS),
    _t("approve", "pending", "scheduled", DISPATCHERS),
    _t("return", "pending", "draft", DISPATCHERS, required=("reason",)),
    _t("cancel", "draft pending scheduled", "cancelled", ALL_ROLES, Party.OWN_GRIDS,
       optional=("reason",)),
)
"""A social worker's draft goes to a clerk (``submit`` → ``pending`` → ``approve``); a
clerk, supervisor or admin schedules their own. The server's periodic job sends a
scheduled announcement at its time (``sent``; a recurring one stays ``scheduled`` with
its next time)."""
ANNOUNCEMENT_TABLE: dict[str, Transition] = {t.action: t for t in ANNOUNCEMENT_TRANSITIONS}
ANNOUNCEMENT_EDITABLE = frozenset({"draft", "pending", "scheduled"})
"""States in which an announcement's text, targets and time may still change (a
social worker's edits only in draft)."""

TABLES: dict[str, dict[str, Transition]] = {
    "ticket": TICKET_TABLE,
    "inbox_message": INBOX_TABLE,
    "performance_record": PERFORMANCE_TABLE,
    "questionnaire": QUESTIONNAIRE_TABLE,
    "consultation": CONSULTATION_TABLE,
    "volunteer_activity": ACTIVITY_TABLE,
    "questionnaire_response": RESPONSE_TABLE,
    "device": DEVICE_TABLE,
    "announcement": ANNOUNCEMENT_TABLE,
}
ACTIONS: dict[str, tuple[str, ...]] = {entity: tuple(table) for entity, table in TABLES.items()}


# --- checking -----------------------------------------------------------------------


class Reason(enum.StrEnum):
    """Why a step may not be taken now (:func:`why_not`); the UI words it."""

    UNKNOWN_STEP = "unknown_step"
    """The record has no such step at all."""
    STATE = "state"
    """The record's status does not allow the step."""
    ROLE = "role"
    """The actor's role may never take this step."""
    ASSIGNEE = "assignee"
    """Only the ticket's assignee may."""
    WORKER_ASSIGNEE = "worker_assignee"
    """A social worker only on tickets assigned to them."""
    GRID_WORKER = "grid_worker"
    """A social worker only on messages of their own grids."""
    OWNER = "owner"
    """Only the performance record's own worker."""
    NOT_OWNER = "not_owner"
    """No one decides on their own performance record."""
    OWN_GRIDS = "own_grids"
    """A social worker only on participation items that target their grids alone."""


_PARTY_REASON: dict[Party, Reason] = {
    Party.ASSIGNEE: Reason.ASSIGNEE,
    Party.WORKER_ASSIGNEE: Reason.WORKER_ASSIGNEE,
    Party.GRID_WORKER: Reason.GRID_WORKER,
    Party.OWNER: Reason.OWNER,
    Party.NOT_OWNER: Reason.NOT_OWNER,
    Party.OWN_GRIDS: Reason.OWN_GRIDS,
}
_PARTY_WHY: dict[Reason, str] = {
    Reason.ASSIGNEE: "only the assignee may do this",
    Reason.WORKER_ASSIGNEE: "a social worker may only handle tickets assigned to them",
    Reason.GRID_WORKER: "a social worker may only handle messages of their own grids",
    Reason.OWNER: "only the record's own worker may do this",
    Reason.NOT_OWNER: "no one decides on their own record",
    Reason.OWN_GRIDS: "a social worker may only run items for their own grids",
}


@dataclass(frozen=True)
class Refusal:
    """Why ``actor`` may not take ``step`` on a record now (:func:`why_not`)."""

    entity: str
    step: str
    reason: Reason
    message: str
    status: str | None
    """The record's status when asked."""
    roles: frozenset[str] = frozenset()
    """The roles that may take the step at all (for "only a supervisor may …")."""
    actor_role: str | None = None

    @property
    def code(self) -> str:
        """The protocol's error code: ``invalid_transition`` or ``forbidden``."""
        if self.reason in (Reason.UNKNOWN_STEP, Reason.STATE):
            return "invalid_transition"
        return "forbidden"

    @property
    def applies(self) -> bool:
        """The step exists for this record in its state and for the actor's role, but
        this person may not take it (only the assignee may, not on your own record …):
        a menu shows it disabled with the reason; otherwise it shows nothing."""
        return self.reason not in (Reason.UNKNOWN_STEP, Reason.STATE, Reason.ROLE)

    def error(self) -> WorkflowError:
        details: dict[str, Any] = {"action": self.step}
        if self.code == "invalid_transition":
            if self.reason is Reason.STATE:
                details["status"] = self.status
        else:
            details["role"] = self.actor_role
        return WorkflowError(self.code, self.message, details)


def why_not(
    step: str, record: Mapping[str, Any], actor: Actor, *, entity: str
) -> Refusal | None:
    """May ``actor`` take ``step`` on ``record`` (a ticket, inbox message, performance record
    or participation item, as ``entity`` says; its state is ``status``, a consultation's
    ``stage``) now, and if not, why.

    ``None`` means yes, as far as state, role and person go; the step's arguments (a
    reason, the assignee …) are checked when it runs. The step functions call this
    first, so the client's menus, the client's use cases and the server's push answer
    from the same rules. Scope (which grids an actor sees) is the server's to check.
    """
    table = TABLES.get(entity, {})
    t = table.get(step)
    status = (RESPONSE_STATE if entity == "questionnaire_response"
              else record.get(STATE_FIELDS.get(entity, "status")))
    state = status if isinstance(status, str) else None
    if t is None:
        return Refusal(entity, step, Reason.UNKNOWN_STEP, f"{entity} has no action {step!r}",
                       state)
    if status not in t.from_states:
        return Refusal(entity, step, Reason.STATE, f"cannot {step} a {entity} that is {status}",
                       state, t.roles)
    if actor.role not in t.roles:
        return Refusal(entity, step, Reason.ROLE,
                       f"{step} on a {entity}: not allowed for role {actor.role}",
                       state, t.roles, actor.role)
    reason = _party_refusal(t.party, record, actor)
    if reason is not None:
        return Refusal(entity, step, reason, f"{step} on a {entity}: {_PARTY_WHY[reason]}",
                       state, t.roles, actor.role)
    return None


def _party_refusal(party: Party, record: Mapping[str, Any], actor: Actor) -> Reason | None:
    if party is Party.ASSIGNEE:
        refused = record.get("assignee_id") != actor.id
    elif party is Party.WORKER_ASSIGNEE:
        refused = actor.role == SOCIAL_WORKER and record.get("assignee_id") != actor.id
    elif party is Party.GRID_WORKER:
        refused = actor.role == SOCIAL_WORKER and record.get("grid_id") not in actor.grid_ids
    elif party is Party.OWNER:
        refused = record.get("worker_id") != actor.id
    elif party is Party.NOT_OWNER:
        refused = record.get("worker_id") == actor.id
    elif party is Party.OWN_GRIDS:
        targets = record.get("grid_ids") or []
        refused = actor.role == SOCIAL_WORKER and (
            not targets or not set(targets) <= actor.grid_ids)
    else:
        refused = False
    return _PARTY_REASON[party] if refused else None


def _check(
    table: Mapping[str, Transition],
    entity: str,
    record: Mapping[str, Any],
    action: str,
    args: Mapping[str, Any],
    actor: Actor,
) -> Transition:
    """The transition for ``action`` after the state and actor checks (:func:`why_not`)
    and the argument checks."""
    refusal = why_not(action, record, actor, entity=entity)
    if refusal is not None:
        raise refusal.error()
    t = table[action]
    for name in args:
        if name not in t.required and name not in t.optional:
            raise WorkflowError("validation", f"{action} takes no argument {name!r}",
                                {"field": name})
    for name in t.required:
        if name not in args or args[name] is None:
            raise WorkflowError("validation", f"{action} needs {name}",
                                {"field": name, "problem": "required"})
    for name in (*t.required, *t.optional):
        if name in args and not (name in t.optional and args[name] is None):
            if name == "category" and _kept_category(record, args[name]):
                continue
            problem = _ARGUMENTS[name](args[name])
            if problem is not None:
                raise WorkflowError("validation", f"{action}: {name} {problem}",
                                    {"field": name, "problem": "invalid"})
    return t


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# --- ticket steps -------------------------------------------------------------------


def new_ticket_fields(
    category: str,
    now: dt.datetime,
    *,
    priority: str = "normal",
    created_by_id: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """The workflow fields of a new ticket: status, category, priority, times, flags.

    The caller adds title, description, grid, household, number and so on.
    """
    fields: dict[str, Any] = {
        "status": "new",
        "category": category,
        "priority": priority,
        "created_at": now,
        "due_at": sla.due_at(category, now, priority=priority),
        "escalated": False,
        "source_message_ids": [],
    }
    if created_by_id is not None:
        fields["created_by_id"] = created_by_id
    if source is not None:
        fields["source"] = source
    return fields


def _sla_start(ticket: Mapping[str, Any], now: dt.datetime) -> dt.datetime:
    created = ticket.get("created_at")
    return created if isinstance(created, dt.datetime) else now


def ticket_step(
    ticket: Mapping[str, Any],
    action: str,
    args: Mapping[str, Any],
    actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one ticket step (see :data:`TICKET_TRANSITIONS`).

    ``wait`` stamps ``paused_at``; ``resume`` moves ``due_at`` by the working days
    since then (:func:`sla.extend_due_for_pause`) and clears it. A ticket that waited
    before the field existed has no ``paused_at``: the caller may fill it from the latest
    ``wait`` event, otherwise resume is refused (``validation``, field ``paused_at``).
    """
    t = _check(TICKET_TABLE, "ticket", ticket, action, args, actor)
    a = {k: _strip(v) for k, v in args.items()}
    target = t.to_states[0]
    changes: dict[str, Any] = {} if target is None else {"status": target}
    kind: str | None = action
    body: str | None = None

    if action == "triage":
        changes.update(category=a["category"], priority=a["priority"],
                       due_at=sla.due_at(a["category"], _sla_start(ticket, now),
                                         priority=a["priority"]))
    elif action == "assign":
        changes["assignee_id"] = a["assignee_id"]
        if ticket.get("due_at") is None:
            changes["due_at"] = sla.due_at(str(ticket.get("category") or ""),
                                           _sla_start(ticket, now),
                                           priority=ticket.get("priority"))
        body = a["assignee_id"]
    elif action == "escalate":
        changes["escalated"] = True
        body = a.get("body")
    elif action in ("cancel", "return", "wait", "reopen", "split"):
        body = a.get("reason")
        if action == "return":
            changes["assignee_id"] = None
        elif action == "wait":
            changes["paused_at"] = now
        elif action == "reopen":
            changes.update(_reopen_changes(ticket, now))
        elif action == "split":
            changes["merged_into_id"] = None
            changes["status"] = "assigned" if ticket.get("assignee_id") else "new"
    elif action == "resume":
        paused_at = ticket.get("paused_at")
        if not isinstance(paused_at, dt.datetime):
            raise WorkflowError("validation", "resume needs the time the wait began",
                                {"field": "paused_at", "problem": "required"})
        due = ticket.get("due_at")
        if isinstance(due, dt.datetime):
            changes["due_at"] = sla.extend_due_for_pause(due, paused_at, now)
        changes["paused_at"] = None
    elif action == "merge":
        if a["into_id"] == ticket.get("id"):
            raise WorkflowError("validation", "a ticket cannot be merged into itself",
                                {"field": "into_id", "problem": "invalid"})
        changes["merged_into_id"] = a["into_id"]
        body = a["into_id"]
    elif action == "resolve":
        changes["resolution"] = a["resolution"]
        body = a["resolution"]
    elif action == "close":
        body = a.get("comment")
        if a["satisfaction"] == "dissatisfied":
            # 发回重办: the resident is not satisfied, so the ticket goes back to its
            # assignee instead of closing.
            changes = _reopen_changes(ticket, now)
            kind = FOLLOW_UP_DISSATISFIED
        else:
            changes["satisfaction"] = a["satisfaction"]
    elif action == "request_extension":
        body = format_extension_request(a["days"], a["reason"])
    elif action == "approve_extension":
        due = ticket.get("due_at")
        base = due if isinstance(due, dt.datetime) else sla.due_at(
            str(ticket.get("category") or ""), _sla_start(ticket, now))
        changes["due_at"] = sla.add_working_days(base, a["days"])
        body = a.get("comment")
    elif action == "comment":
        body = a["body"]
    return Step(changes, kind, body)


def merge_survivor_changes(
    merged: Mapping[str, Any], survivor: Mapping[str, Any]
) -> dict[str, Any]:
    """What merging ``merged`` into ``survivor`` changes on the survivor.

    Only an open ticket can take in another (:data:`records.OPEN_TICKET_STATUSES`): a complaint
    merged into a resolved (已办结), followed-up (已回访), cancelled (已撤销) or merged
    ticket would vanish with it, so that is ``invalid_transition`` (field ``into_id``,
    with the target's status). The survivor gathers the source messages of both, and
    keeps the earlier of the two deadlines: the resident who asked first was promised
    an answer by then. Both the client (before it writes the merge) and the server
    (when it applies it) ask this.
    """
    status = survivor.get("status")
    if status not in records.OPEN_TICKET_STATUSES:
        raise WorkflowError(
            "invalid_transition", f"the target ticket is no longer open: it is {status}",
            {"field": "into_id", "status": status},
        )
    sources = list(survivor.get("source_message_ids") or [])
    for message_id in merged.get("source_message_ids") or []:
        if message_id not in sources:
            sources.append(message_id)
    changes: dict[str, Any] = {}
    if sources != list(survivor.get("source_message_ids") or []):
        changes["source_message_ids"] = sources
    mine, theirs = survivor.get("due_at"), merged.get("due_at")
    if isinstance(theirs, dt.datetime) and (not isinstance(mine, dt.datetime)
                                            or theirs < mine):
        changes["due_at"] = theirs
    return changes


def _reopen_changes(ticket: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """A reopened ticket goes back to its assignee with a fresh SLA from now."""
    return {
        "status": "assigned" if ticket.get("assignee_id") else "new",
        "resolution": None,
        "satisfaction": None,
        "escalated": False,
        "due_at": sla.due_at(str(ticket.get("category") or ""), now,
                             priority=ticket.get("priority")),
    }


# --- inbox steps --------------------------------------------------------------------


def inbox_step(
    message: Mapping[str, Any],
    action: str,
    args: Mapping[str, Any],
    actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one inbox step (see :data:`INBOX_TRANSITIONS`).

    ``convert`` and ``link`` change only the message; the caller creates the ticket
    (:func:`ticket_from_message`) or adds the message to the linked ticket's
    ``source_message_ids``. ``reply`` to a new message marks it ``answered``; a reply to
    a converted or linked message keeps its status (the ticket still tracks it). Every
    reply is appended to the message's thread (``replies``: text, by, at) and is its
    ``reply_text``; the caller queues :func:`reply_for_group` for the bot.
    """
    t = _check(INBOX_TABLE, "inbox_message", message, action, args, actor)
    a = {k: _strip(v) for k, v in args.items()}
    changes: dict[str, Any] = {}
    if action in ("convert", "link"):
        changes = {"status": t.to_states[0], "ticket_id": a["ticket_id"]}
    elif action == "dismiss":
        changes = {"status": "dismissed", "reason": a["reason"], "dismissed_at": now}
    elif action == "restore":
        if not can_restore(message, now):
            raise WorkflowError("invalid_transition",
                                "a dismissal can be undone only on the day it was made",
                                {"action": action, "status": message.get("status"),
                                 "problem": "too_late"})
        changes = {"status": "answered" if message.get("replies") else "new",
                   "reason": None, "dismissed_at": None}
    elif action == "reply":
        if message.get("status") == "new":
            changes = {"status": "answered"}
        changes["reply_text"] = a["text"]
        changes["replies"] = [*(message.get("replies") or []), {
            "text": a["text"], "by": actor.id, "at": now.isoformat(timespec="seconds")}]
        return Step(changes, "reply", a["text"])
    return Step(changes, None)


def can_restore(message: Mapping[str, Any], now: dt.datetime) -> bool:
    """Whether a dismissed message's dismissal may still be undone at ``now``: on the
    (Shanghai) day it was dismissed. One dismissed before the time was kept may be."""
    at = message.get("dismissed_at")
    if at is None:
        return True
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return bool(at.astimezone(records.SHANGHAI).date() == now.astimezone(records.SHANGHAI).date())


def reply_for_group(message: Mapping[str, Any], text: str) -> str:
    """The reply as the bot posts it in the group: ``@<the resident's group name> text``,
    so the resident sees it is for them (no mention when the sender has no name)."""
    name = str(message.get("sender_name") or "").strip()
    return f"@{name} {text.strip()}" if name else text.strip()


def ticket_from_message(
    message: Mapping[str, Any], args: Mapping[str, Any], actor: Actor, now: dt.datetime
) -> dict[str, Any]:
    """The fields of the ticket that a ``convert`` of ``message`` creates.

    ``args`` are the convert arguments (already checked by :func:`inbox_step`);
    ``args["ticket_id"]`` is the new ticket's id. The caller adds ``number``.
    """
    fields = new_ticket_fields(args["category"], now, priority=args["priority"],
                               created_by_id=actor.id, source=message.get("source"))
    fields.update(
        id=args["ticket_id"],
        title=str(args["title"]).strip(),
        description=args.get("description") or message.get("text"),
        household_id=args.get("household_id"),
        grid_id=message.get("grid_id"),
        source_message_ids=[message["id"]] if message.get("id") else [],
    )
    return fields


# --- performance steps --------------------------------------------------------------


def performance_step(
    record: Mapping[str, Any],
    action: str,
    args: Mapping[str, Any],
    actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one performance step (see :data:`PERFORMANCE_TRANSITIONS`).

    A decision (approve / return) records the supervisor and the comment. Resubmitting
    a returned record keeps the return comment until the next decision replaces it, so
    the supervisor sees what they asked for.
    """
    _check(PERFORMANCE_TABLE, "performance_record", record, action, args, actor)
    a = {k: _strip(v) for k, v in args.items()}
    if action == "submit":
        return Step({"status": "submitted"}, None)
    if action == "reopen":
        # An approval taken back (after it was sent: before, the supervisor undoes it on
        # their own computer): back to a decision, the reason kept in the history.
        return Step({"status": "submitted", "score": None, "supervisor_id": None,
                     "decision_comment": None}, None)
    changes: dict[str, Any] = {
        "status": "approved" if action == "approve" else "returned",
        "supervisor_id": actor.id,
        "decision_comment": a.get("comment"),
    }
    if action == "approve" and a.get("score") is not None:
        changes["score"] = float(a["score"])
    return Step(changes, None)


def performance_after_edit(record: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that an edit of ``record`` forces (merge them into the edit).

    A submitted or approved record that changes needs a new decision: it goes back to
    ``submitted`` with the decision (score, supervisor, comment) cleared. Draft and
    returned records stay as they are: the worker is still working on them. The
    server applies this also when it recomputes the figures of an approved record.
    """
    if record.get("status") in ("submitted", "approved"):
        return {"status": "submitted", "score": None, "supervisor_id": None,
                "decision_comment": None}
    return {}


def can_edit_performance(record: Mapping[str, Any], actor: Actor) -> bool:
    """Whether ``actor`` may edit the record's own fields (the self-assessment).

    Only the record's own worker, and not once it is approved: an approved record is
    the month's final assessment. Draft, returned and submitted records may be edited;
    a submitted one then needs a new decision (:func:`performance_after_edit`).
    """
    return record.get("worker_id") == actor.id and record.get("status") != "approved"


# --- participation steps ------------------------------------------------------------


def _refuse_problems(problems: list[Any]) -> None:
    if problems:
        first = problems[0]
        raise WorkflowError("validation", first.message,
                            {"field": first.field, "problem": first.code})


def _history_entry(action: str, actor: Actor, now: dt.datetime,
                   **extra: Any) -> dict[str, Any]:
    return {"action": action, "actor_id": actor.id, "at": records.format_datetime(now),
            **extra}


def questionnaire_step(
    record: Mapping[str, Any], action: str, args: Mapping[str, Any], actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one questionnaire step (see :data:`QUESTIONNAIRE_TRANSITIONS`).

    ``publish`` needs target groups, valid questions and a closing time still ahead; the
    server then gives the code and queues the group messages. ``close`` stamps
    ``closed_at``: answers that arrive later are refused.
    """
    t = _check(QUESTIONNAIRE_TABLE, "questionnaire", record, action, args, actor)
    changes: dict[str, Any] = {"status": t.to_states[0]}
    if action == "publish":
        _refuse_problems(participation.publish_problems("questionnaire", record, now))
        changes["opens_at"] = now
    elif action == "close":
        changes["closed_at"] = now
    return Step(changes, None)


def consultation_step(
    record: Mapping[str, Any], action: str, args: Mapping[str, Any], actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one consultation step (see :data:`CONSULTATION_TRANSITIONS`).

    Posting steps (:data:`CONSULTATION_POSTING_ACTIONS`) need target groups and stamp
    ``published_at`` the first time; ``vote`` needs no options (support / oppose) or at
    least two; ``create_ticket`` adds the new ticket (made by the caller, as for an inbox
    ``convert``) to ``ticket_ids``. Every step is appended to ``history``.
    """
    t = _check(CONSULTATION_TABLE, "consultation", record, action, args, actor)
    a = {k: _strip(v) for k, v in args.items()}
    target = t.to_states[0]
    changes: dict[str, Any] = {} if target is None else {"stage": target}
    if action == "publish" and record.get("published_at"):
        raise WorkflowError("invalid_transition", "the consultation is published already",
                            {"action": action, "status": record.get("stage")})
    if action in CONSULTATION_POSTING_ACTIONS:
        if not record.get("grid_ids"):
            raise WorkflowError("validation", "choose the groups to post to",
                                {"field": "grid_ids", "problem": "required"})
        if not record.get("published_at"):
            changes["published_at"] = now
    if action == "vote":
        options = record.get("options") or []
        if len(options) == 1:
            raise WorkflowError("validation", "vote on two options or more, or on none",
                                {"field": "options", "problem": "option_count"})
    extra: dict[str, Any] = {}
    if action == "decide":
        changes["decision"] = a["decision"]
    elif action == "announce":
        changes["announcement"] = a["announcement"]
    elif action == "create_ticket":
        if a["ticket_id"] in (record.get("ticket_ids") or []):
            raise WorkflowError("validation", "that ticket is linked already",
                                {"field": "ticket_id", "problem": "duplicate"})
        changes["ticket_ids"] = [*(record.get("ticket_ids") or []), a["ticket_id"]]
        extra["ticket_id"] = a["ticket_id"]
    changes["history"] = [*(record.get("history") or []),
                          _history_entry(action, actor, now, stage=changes.get(
                              "stage", record.get("stage")), **extra)]
    return Step(changes, None)


def ticket_from_decision(
    consultation: Mapping[str, Any], args: Mapping[str, Any], actor: Actor, now: dt.datetime
) -> dict[str, Any]:
    """The fields of the ticket a decided consultation's ``create_ticket`` makes (the
    decision often becomes work); ``args["ticket_id"]`` is its id. The caller adds the
    number."""
    fields = new_ticket_fields(args["category"], now, priority=args["priority"],
                               created_by_id=actor.id, source="consultation")
    description = args.get("description") or consultation.get("decision") or ""
    fields.update(
        id=args["ticket_id"], title=str(args["title"]).strip(),
        description=description, household_id=args.get("household_id"),
        grid_id=args["grid_id"],
    )
    return fields


def activity_step(
    record: Mapping[str, Any], action: str, args: Mapping[str, Any], actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one volunteer activity step (see :data:`ACTIVITY_TRANSITIONS`).

    ``sign_up`` refuses a volunteer signed up already (``validation``, ``volunteer_id``)
    and a full activity (``problem`` ``full``); ``complete`` records who came and their
    hours.
    """
    t = _check(ACTIVITY_TABLE, "volunteer_activity", record, action, args, actor)
    a = {k: _strip(v) for k, v in args.items()}
    target = t.to_states[0]
    changes: dict[str, Any] = {} if target is None else {"status": target}
    signups: list[dict[str, Any]] = list(record.get("signups") or [])
    if action == "publish":
        _refuse_problems(participation.publish_problems("volunteer_activity", record, now))
    elif action == "sign_up":
        if any(s.get("volunteer_id") == a["volunteer_id"] for s in signups):
            raise WorkflowError("validation", "signed up already",
                                {"field": "volunteer_id", "problem": "duplicate"})
        needed = record.get("needed")
        if isinstance(needed, int) and len(signups) >= needed:
            raise WorkflowError("validation", "the activity is full",
                                {"field": "volunteer_id", "problem": "full"})
        changes["signups"] = [*signups, {"volunteer_id": a["volunteer_id"],
                                         "at": records.format_datetime(now),
                                         "channel": "staff"}]
    elif action == "withdraw":
        kept = [s for s in signups if s.get("volunteer_id") != a["volunteer_id"]]
        if len(kept) == len(signups):
            raise WorkflowError("validation", "not signed up",
                                {"field": "volunteer_id", "problem": "not_found"})
        changes["signups"] = kept
    elif action == "complete":
        changes["attended"] = [{"volunteer_id": item["volunteer_id"],
                                "hours": float(item["hours"])} for item in a["attendance"]]
    return Step(changes, None)


def response_step(
    record: Mapping[str, Any], action: str, args: Mapping[str, Any], actor: Actor,
    now: dt.datetime,
) -> Step:
    """A household's answers entered again by staff (on a visit, by phone …): the new
    answers replace the current ones, which go to ``history``. The answers are checked
    against the questionnaire by the caller, which holds it."""
    _check(RESPONSE_TABLE, "questionnaire_response", record, action, args, actor)
    if not record.get("household_id"):
        raise WorkflowError("forbidden", "a resident's own WeChat answers are theirs to change",
                            {"action": action, "role": actor.role})
    received = args.get("received_at")
    received_at = records.parse_datetime(received) if isinstance(received, str) else now
    if received_at > now + CLOCK_SKEW:
        raise WorkflowError("validation", "received_at is in the future",
                            {"field": "received_at", "problem": "date_in_future"})
    new = {
        "answers": dict(args["answers"]), "channel": args["channel"],
        "received_at": received_at,
        "entered_by_id": actor.id, "sender_id": None, "sender_name": None,
        "message_id": None,
    }
    return Step(participation.replaced_response(record, new), None)
def device_step(
    record: Mapping[str, Any],
    action: str,
    args: Mapping[str, Any],
    actor: Actor,
    now: dt.datetime,
) -> Step:
    """Revoke a device (an admin, or a supervisor of the staff member's street: the
    server checks that scope). Its sessions end on the server; the device wipes itself
    at its next contact."""
    _check(DEVICE_TABLE, "device", record, action, args, actor)
    return Step({"status": "revoked", "revoked_at": now, "revoked_by_id": actor.id,
                 "revoked_reason": _strip(args.get("reason"))}, None)


def announcement_step(
    record: Mapping[str, Any],
    action: str,
    args: Mapping[str, Any],
    actor: Actor,
    now: dt.datetime,
) -> Step:
    """Check and compute one announcement step (see :data:`ANNOUNCEMENT_TRANSITIONS`).
    Scheduling and approving need a text that fits one group message and a time."""
    t = _check(ANNOUNCEMENT_TABLE, "announcement", record, action, args, actor)
    if action in ("submit", "schedule", "approve"):
        _refuse_problems(gubao.publish_problems(record))
    changes: dict[str, Any] = {"status": t.to_states[0]}
    if action in ("schedule", "approve"):
        changes["approved_by_id"] = actor.id
    if action == "return":
        changes["approved_by_id"] = None
    entry = _history_entry(action, actor, now, **{k: _strip(v) for k, v in args.items()})
    changes["history"] = [*(record.get("history") or []), entry]
    return Step(changes, None)
