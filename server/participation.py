"""Resident participation on the server: what a push of a questionnaire, consultation,
volunteer or activity needs beyond the generic checks, and the posts to the groups.

The domain (``gulou_desk.domain.participation`` and the participation steps of
``workflows``) says what is valid; this module adds what needs the server's store:

- **Server-owned fields.** A create takes from the client only what its role may set:
  workflow fields (status, stage, code, sign-ups, history …) start empty, the creator
  and times are the server's.
- **Targets.** The grids an item targets must be grids of its community, and a social
  worker may only target their own grids. A response or comment entered by staff must
  come from a household of a targeted grid.
- **One response per respondent.** A ``create`` of a ``questionnaire_response`` whose id
  exists already is the same household answering again (the id is
  :func:`participation.response_id` of the questionnaire and the household, checked
  here): the new answers replace the earlier ones, which go to ``history``.
- **Posting.** A step that publishes (a questionnaire, a consultation's stage, an
  activity) gives the item its short code the first time (``问卷12``: one counter per
  kind, district-wide) and queues the group message of the domain
  (:func:`participation.questionnaire_message` …) to every targeted grid's group through
  the outbound queue, which keeps the 20-per-minute limit per group.

Every refusal is a :class:`~gulou_desk.domain.workflows.WorkflowError`; the push turns
it into a rejected result with its code and ``details["field"]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gulou_desk.domain import participation, sla, validation, workflows
from gulou_desk.domain.workflows import WorkflowError
from gulou_desk.records import ENTITIES, new_id
from server import outbound, scope
from server.schema import RECORD_TABLES, short_codes
from server.store import RecordWriter, field_values, load

ENTITIES_WITH_RULES = frozenset({
    "questionnaire", "questionnaire_response", "consultation", "consultation_comment",
    "consultation_meeting", "volunteer", "volunteer_activity",
})
STEPS: dict[str, Any] = {
    "questionnaire": workflows.questionnaire_step,
    "consultation": workflows.consultation_step,
    "volunteer_activity": workflows.activity_step,
    "questionnaire_response": workflows.response_step,
}


def _refuse(code: str, message: str, field: str | None = None,
            problem: str | None = None) -> WorkflowError:
    details: dict[str, Any] = {}
    if field is not None:
        details["field"] = field
    if problem is not None:
        details["problem"] = problem
    return WorkflowError(code, message, details)


def _check(problems: Sequence[Any]) -> None:
    if problems:
        first = problems[0]
        raise WorkflowError("validation", first.message, {
            "field": first.field, "problem": first.code,
            "problems": [{"field": p.field, "code": p.code, "message": p.message}
                         for p in problems]})


# --- codes and posts ------------------------------------------------------------------


def next_code(conn: sa.Connection, entity: str) -> str:
    """The next short code of a kind (``问卷13``), one statement (insert or bump)."""
    upsert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = upsert(short_codes).values(entity=entity, last=1)
    number = conn.execute(statement.on_conflict_do_update(
        index_elements=[short_codes.c.entity], set_={"last": short_codes.c.last + 1},
    ).returning(short_codes.c.last)).scalar_one()
    return participation.make_code(entity, int(number))


def group_ids(conn: sa.Connection, grid_ids: Sequence[str]) -> list[str]:
    """The WeChat groups of the grids (grids without a registered group are skipped)."""
    if not grid_ids:
        return []
    grids = RECORD_TABLES["grid"]
    rows = conn.execute(sa.select(grids.c.id, grids.c.wechat_group_id)
                        .where(grids.c.id.in_(list(grid_ids))))
    by_grid = {gid: group for gid, group in rows if group}
    return [by_grid[g] for g in grid_ids if g in by_grid]


def post(conn: sa.Connection, grid_ids: Sequence[str], text: str, at: dt.datetime) -> int:
    """Queue ``text`` to the groups of ``grid_ids``; returns how many groups."""
    groups = group_ids(conn, grid_ids)
    for group in groups:
        outbound.queue_reply(conn, group, text, None, at)
    return len(groups)


# --- creates --------------------------------------------------------------------------

_RESET: dict[str, dict[str, Any]] = {
    # What a new item starts with, whatever the client sent (workflow fields).
    "questionnaire": {"status": "draft", "code": None, "opens_at": None, "closed_at": None},
    "consultation": {"stage": "collecting", "code": None, "decision": None,
                     "announcement": None, "ticket_ids": [], "history": [],
                     "published_at": None},
    "volunteer_activity": {"status": "draft", "code": None, "signups": [], "attended": []},
}


def _check_targets(conn: sa.Connection, actor: workflows.Actor, keys: frozenset[str],
                   community_id: Any, grid_ids: Any) -> None:
    """The targeted grids are grids of the item's community, each in the user's scope,
    and, for a social worker, each one of their own grids."""
    if not isinstance(grid_ids, list):
        return
    grids = RECORD_TABLES["grid"]
    found = dict(conn.execute(sa.select(grids.c.id, grids.c.community_id)
                              .where(grids.c.id.in_([g for g in grid_ids if isinstance(g, str)]))
                              ).all()) if grid_ids else {}
    for gid in grid_ids:
        if found.get(gid) != community_id:
            raise _refuse("validation", "a target is not a grid of the community",
                          "grid_ids", "not_in_community")
        if f"g:{gid}" not in keys or (actor.role == workflows.SOCIAL_WORKER
                                      and gid not in actor.grid_ids):
            raise _refuse("forbidden", "a target grid is outside your scope", "grid_ids")
    if len(set(grid_ids)) != len(grid_ids):
        raise _refuse("validation", "a grid is targeted twice", "grid_ids", "duplicate")


def prepare_create(conn: sa.Connection, user_id: str, actor: workflows.Actor,
                   keys: frozenset[str], entity: str, record_id: str,
                   values: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Check a create and set the server's fields; returns the values to write (for a
    response that exists already, the household answering again, the replacement)."""
    if entity in scope.TARGETED:
        values.update(_RESET[entity], created_by_id=user_id)
        if entity != "volunteer_activity":
            values["created_at"] = now
        _check(validation.validate_record(entity, values))
        _check_targets(conn, actor, keys, values["community_id"], values.get("grid_ids"))
        if entity == "consultation" and values.get("questionnaire_id"):
            _check_linked_questionnaire(conn, keys, values)
        return values
    if entity == "volunteer":
        values.update(sender_id=None, joined_at=now)
        _check(validation.validate_record(entity, values))
        return values
    if entity == "questionnaire_response":
        return _prepare_response(conn, actor, keys, record_id, values, now)
    if entity == "consultation_comment":
        return _prepare_comment(conn, actor, keys, values, now)
    if entity == "consultation_meeting":
        values["created_by_id"] = user_id
        _check(validation.validate_record(entity, values))
        consultation = _visible_parent(conn, keys, "consultation", values["consultation_id"],
                                       "consultation_id")
        _check_meeting_votes(values, consultation)
        _check_attendees(conn, keys, values, consultation)
        return values
    raise AssertionError(entity)


def _check_linked_questionnaire(conn: sa.Connection, keys: frozenset[str],
                                values: Mapping[str, Any]) -> None:
    q = load(conn, "questionnaire", str(values["questionnaire_id"]))
    if q is None or q["community_id"] != values["community_id"] \
            or not scope.can_see(keys, scope.record_keys(conn, "questionnaire", q)):
        raise _refuse("validation", "no such questionnaire in the community",
                      "questionnaire_id", "not_found")


def _visible_parent(conn: sa.Connection, keys: frozenset[str], entity: str,
                    record_id: Any, field: str) -> dict[str, Any]:
    row = load(conn, entity, str(record_id)) if isinstance(record_id, str) else None
    if row is None or not scope.can_see(keys, scope.record_keys(conn, entity, row)):
        raise _refuse("not_found", f"no such {entity}", field, "not_found")
    return row


def _household_in_targets(conn: sa.Connection, actor: workflows.Actor, keys: frozenset[str],
                          household_id: Any, targets: Sequence[str]) -> str:
    """The grid of a household that answers for an item targeting ``targets``."""
    household = load(conn, "household", str(household_id)) if isinstance(
        household_id, str) else None
    if household is None or not scope.can_see(keys, {f"g:{household['grid_id']}"}):
        raise _refuse("not_found", "no such household", "household_id", "not_found")
    if household["grid_id"] not in targets:
        raise _refuse("validation", "the household is not in a targeted grid",
                      "household_id", "not_targeted")
    if actor.role == workflows.SOCIAL_WORKER and household["grid_id"] not in actor.grid_ids:
        raise _refuse("forbidden", "the household is not in your grids", "household_id")
    return str(household["grid_id"])


def _received_at(values: Mapping[str, Any], now: dt.datetime) -> dt.datetime:
    received = values.get("received_at") or now
    if received > now + workflows.CLOCK_SKEW:
        raise _refuse("validation", "received_at is in the future", "received_at",
                      "date_in_future")
    assert isinstance(received, dt.datetime)
    return received


def check_open(questionnaire: Mapping[str, Any], received_at: dt.datetime,
               field: str = "questionnaire_id") -> None:
    """Answers count while the questionnaire is published and before its closing time;
    answers given before it closed (a visit offline) count when they arrive later."""
    if questionnaire["status"] == "draft":
        raise _refuse("invalid_transition", "the questionnaire is not published", field,
                      "not_published")
    if participation.answered_too_late(questionnaire, received_at):
        raise _refuse("invalid_transition", "the questionnaire closed before these answers",
                      field, "closed")


def _prepare_response(conn: sa.Connection, actor: workflows.Actor, keys: frozenset[str],
                      record_id: str, values: dict[str, Any],
                      now: dt.datetime) -> dict[str, Any]:
    if values.get("channel") == "wechat":
        raise _refuse("forbidden", "WeChat answers arrive through the bot only", "channel")
    for name in ("sender_id", "sender_name", "message_id", "entered_by_id"):
        values[name] = None
    values["history"] = []
    _check(validation.validate_record("questionnaire_response", values))
    q = _visible_parent(conn, keys, "questionnaire", values["questionnaire_id"],
                        "questionnaire_id")
    received = _received_at(values, now)
    check_open(q, received)
    household_id = values.get("household_id")
    if not household_id:
        raise _refuse("validation", "staff enter a household's answers", "household_id",
                      "required")
    values["grid_id"] = _household_in_targets(conn, actor, keys, household_id,
                                              q["grid_ids"] or [])
    expected = participation.response_id(q["id"], participation.household_respondent(
        str(household_id)))
    if record_id != expected:
        raise _refuse("validation", "a household's response has the id "
                      "response_id(questionnaire, household)", "id", "response_id")
    _check(participation.answer_problems(q["questions"] or [], values.get("answers")))
    values.update(received_at=received, entered_by_id=actor.id)
    existing = load(conn, "questionnaire_response", record_id, for_update=True)
    if existing is not None:
        return participation.replaced_response(field_values("questionnaire_response",
                                                            existing), values)
    return values


def _prepare_comment(conn: sa.Connection, actor: workflows.Actor, keys: frozenset[str],
                     values: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    if values.get("channel") == "wechat":
        raise _refuse("forbidden", "WeChat comments arrive through the bot only", "channel")
    values.update(sender_id=None, sender_name=None, message_id=None, staff_id=actor.id)
    _check(validation.validate_record("consultation_comment", values))
    c = _visible_parent(conn, keys, "consultation", values["consultation_id"],
                        "consultation_id")
    if c["stage"] == "closed":
        raise _refuse("invalid_transition", "the consultation is closed", "consultation_id",
                      "closed")
    values["stage"] = c["stage"]
    values["received_at"] = _received_at(values, now)
    values["grid_id"] = None
    if values.get("household_id"):
        values["grid_id"] = _household_in_targets(conn, actor, keys, values["household_id"],
                                                  c["grid_ids"] or [])
    elif values.get("author_kind") == "resident" and not values.get("text"):
        raise _refuse("validation", "a resident's comment needs a household or a text",
                      "household_id", "required")
    _check_choice(values.get("choice"), c)
    return values


def _check_choice(choice: Any, consultation: Mapping[str, Any]) -> None:
    options = consultation.get("options") or []
    if choice is not None and participation.LETTERS.find(str(choice)) not in range(
            len(options)):
        raise _refuse("validation", "not an option of the consultation", "choice",
                      "invalid_choice")


def _check_meeting_votes(values: Mapping[str, Any], consultation: Mapping[str, Any]) -> None:
    options = consultation.get("options") or []
    for key in values.get("votes") or {}:
        if key in participation.LETTERS and participation.LETTERS.find(key) >= len(options):
            raise _refuse("validation", "not an option of the consultation", f"votes.{key}",
                          "invalid_choice")


def _check_attendees(conn: sa.Connection, keys: frozenset[str], values: Mapping[str, Any],
                     consultation: Mapping[str, Any]) -> None:
    """A resident attendee's household is a household of the consultation's community
    that the user may see; a staff attendee is a member of staff."""
    attendees = values.get("attendees")
    for i, household_id in participation.attendee_refs(attendees, "household_id"):
        household = load(conn, "household", household_id)
        grid = load(conn, "grid", str(household["grid_id"])) if household else None
        if grid is None or grid["community_id"] != consultation["community_id"] \
                or not scope.can_see(keys, {f"g:{grid['id']}"}):
            raise _refuse("validation", "no such household in the community",
                          f"attendees[{i}].household_id", "not_found")
    for i, staff_id in participation.attendee_refs(attendees, "staff_id"):
        if load(conn, "staff", staff_id) is None:
            raise _refuse("validation", "no such member of staff", f"attendees[{i}].staff_id",
                          "not_found")


# --- updates --------------------------------------------------------------------------


def check_update(conn: sa.Connection, actor: workflows.Actor, keys: frozenset[str],
                 entity: str, row: Mapping[str, Any], values: Mapping[str, Any],
                 changed: Sequence[str]) -> None:
    """An update of a participation record: fields its state still leaves open, targets
    within the community and the user's grids, meeting votes on real options."""
    locked = participation.locked_fields(entity, row, changed)
    if locked:
        # Not the user's rights but the item's state: residents have seen it as it is.
        raise _refuse("invalid_transition", f"{locked[0]} no longer changes in this state",
                      locked[0], "locked")
    if entity in scope.TARGETED:
        if actor.role == workflows.SOCIAL_WORKER and not set(row["grid_ids"] or []) <= \
                actor.grid_ids:
            raise _refuse("forbidden", "a social worker edits items of their own grids only")
        if "grid_ids" in changed:
            _check_targets(conn, actor, keys, row["community_id"], values.get("grid_ids"))
        if entity == "consultation" and "questionnaire_id" in changed \
                and values.get("questionnaire_id"):
            _check_linked_questionnaire(conn, keys, values)
    if entity == "consultation_meeting":
        consultation = load(conn, "consultation", str(row["consultation_id"]))
        if consultation is not None:
            _check_meeting_votes(values, consultation)
            if "attendees" in changed:
                _check_attendees(conn, keys, values, consultation)


# --- actions --------------------------------------------------------------------------


def before_step(conn: sa.Connection, keys: frozenset[str], entity: str,
                row: Mapping[str, Any], action: str, args: Mapping[str, Any],
                now: dt.datetime) -> None:
    """Checks of an action that need other records, before the domain step runs."""
    if entity == "questionnaire_response" and action == "replace":
        q = load(conn, "questionnaire", str(row["questionnaire_id"]))
        if q is None:
            raise _refuse("not_found", "the questionnaire is gone", "questionnaire_id")
        received = args.get("received_at")
        check_open(q, now if not isinstance(received, str) else
                   _parse_time(received), "answers")
        answers = args.get("answers")
        _check(participation.answer_problems(q["questions"] or [], answers))


def _parse_time(text: str) -> dt.datetime:
    from gulou_desk.records import parse_datetime
    try:
        return parse_datetime(text)
    except ValueError:
        raise _refuse("validation", "received_at is not a time", "received_at",
                      "invalid") from None


def after_step(conn: sa.Connection, writer: RecordWriter, user_id: str,
               actor: workflows.Actor, keys: frozenset[str], entity: str, record_id: str,
               row: Mapping[str, Any], action: str, args: Mapping[str, Any],
               values: dict[str, Any], now: dt.datetime) -> set[str]:
    """The server's side of a participation step, before the record itself is written:
    codes, group posts, the ticket of a decision, the volunteer of a sign-up. Returns
    the names of the fields it changed in ``values`` beyond the step's own."""
    changed: set[str] = set()
    if action in ("publish", *workflows.CONSULTATION_POSTING_ACTIONS) and \
            entity in scope.TARGETED and not values.get("code"):
        values["code"] = next_code(conn, entity)
        changed.add("code")
    if entity == "questionnaire":
        if action == "publish":
            post(conn, values["grid_ids"] or [], participation.questionnaire_message(values),
                 now)
        elif action == "close" and values.get("results_visibility") == "public":
            responses = _responses(conn, record_id)
            post(conn, values["grid_ids"] or [],
                 participation.results_message(values, responses), now)
    elif entity == "consultation":
        if action in workflows.CONSULTATION_POSTING_ACTIONS:
            stage = str(values["stage"])
            text = (participation.announcement_message(values, ticket_progress(conn, values))
                    if stage in ("announced", "closed")
                    else participation.consultation_message(values, stage))
            post(conn, values["grid_ids"] or [], text, now)
        elif action == "create_ticket":
            _ticket_of_decision(conn, writer, user_id, actor, keys, row, args, now)
    elif entity == "volunteer_activity":
        if action == "publish":
            post(conn, values["grid_ids"] or [], participation.activity_message(values), now)
        elif action == "sign_up":
            volunteer = load(conn, "volunteer", str(args["volunteer_id"]))
            if volunteer is None or volunteer["community_id"] != row["community_id"] \
                    or not volunteer["active"]:
                raise _refuse("validation", "no such volunteer in the community",
                              "volunteer_id", "not_found")
    return changed


def _responses(conn: sa.Connection, questionnaire_id: str) -> list[dict[str, Any]]:
    t = RECORD_TABLES["questionnaire_response"]
    rows = conn.execute(sa.select(t.c.answers, t.c.grid_id)
                        .where(t.c.questionnaire_id == questionnaire_id)).mappings()
    return [dict(r) for r in rows]


_TICKET_PROGRESS = {
    "new": "待派单", "assigned": "已派单", "accepted": "已签收", "in_progress": "办理中",
    "waiting": "等待居民", "returned": "待重新派单", "resolved": "已办结",
    "closed": "已办结并回访", "merged": "已合并办理", "cancelled": "已撤销",
}


def ticket_progress(conn: sa.Connection, consultation: Mapping[str, Any]) -> list[str]:
    """One line per ticket the decision created: its title and where it stands."""
    ids = [t for t in consultation.get("ticket_ids") or [] if isinstance(t, str)]
    if not ids:
        return []
    t = RECORD_TABLES["ticket"]
    rows = {r.id: r for r in conn.execute(sa.select(t.c.id, t.c.title, t.c.status)
                                          .where(t.c.id.in_(ids)))}
    return [f"{rows[i].title}：{_TICKET_PROGRESS.get(rows[i].status, rows[i].status)}"
            for i in ids if i in rows]


def _ticket_of_decision(conn: sa.Connection, writer: RecordWriter, user_id: str,
                        actor: workflows.Actor, keys: frozenset[str],
                        consultation: Mapping[str, Any], args: Mapping[str, Any],
                        now: dt.datetime) -> None:
    ticket_id = str(args["ticket_id"])
    if load(conn, "ticket", ticket_id) is not None:
        raise _refuse("validation", "that ticket id exists already", "ticket_id", "exists")
    grid_id = str(args["grid_id"])
    grids = RECORD_TABLES["grid"]
    community = conn.execute(sa.select(grids.c.community_id).where(grids.c.id == grid_id)
                             ).scalar()
    if community != consultation["community_id"] or f"g:{grid_id}" not in keys:
        raise _refuse("validation", "the ticket's grid is not a grid of the community",
                      "grid_id", "not_in_community")
    if not sla.is_open_category(args["category"]):
        raise _refuse("validation", "unknown category", "category", "invalid_choice")
    if args.get("household_id"):
        household = load(conn, "household", str(args["household_id"]))
        if household is None or household["grid_id"] != grid_id:
            raise _refuse("validation", "the household is not in that grid", "household_id",
                          "not_in_grid")
    fields = workflows.ticket_from_decision(consultation, args, actor, now)
    fields.pop("id")
    from server.push import _ticket_number  # the day's numbering: one place, the push's

    fields.update(number=_ticket_number(conn, now), created_at=now, created_by_id=user_id)
    spec = ENTITIES["ticket"]
    full = {f.name: fields.get(f.name, f.empty_value()) for f in spec.fields}
    _check(validation.validate_record("ticket", full))
    writer.save("ticket", ticket_id, full)
    writer.save("ticket_event", new_id(), {
        "ticket_id": ticket_id, "actor_id": user_id, "kind": "created",
        "body": f"{consultation.get('code') or ''} {consultation.get('topic') or ''}".strip(),
        "at": now, "data": {"consultation_id": consultation["id"]}})
