"""The 鼓宝 console on the server: who may write the knowledge base, the service
catalogue, announcements and alert rules; the server's own fields of each.

- **Places.** A knowledge entry, service item or alert rule applies at a place
  (``scope``): a clerk writes their own community's only; a supervisor their street's
  or a community of it; an admin anything. Social workers read what reaches them and
  write none of it. The place is given at creation and never changes (its fields are
  not ``editable``).
- **Announcements.** Anyone drafts one for a community they work in; a social worker
  only for their own grids, and their draft needs a clerk's approval (the steps are in
  ``workflows.ANNOUNCEMENT_TRANSITIONS``). Targets are grids of the community (none:
  every grid of it). Sending is :mod:`server.announcements`'s.
- **Unanswered questions** (``bot_question``): the bot's; a clerk (or supervisor,
  admin) marks one answered (with the entry made from it) or dismissed.

Every refusal is a :class:`~gulou_desk.domain.workflows.WorkflowError`; the push turns
it into a rejected result with its code and ``details["field"]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import gubao, validation, workflows
from server import participation
from server.participation import _check, _refuse
from server.schema import RECORD_TABLES
from server.store import load

ENTITIES_WITH_RULES = frozenset({"knowledge_entry", "service_item", "alert_rule",
                                 "announcement", "bot_question"})
PLACED = frozenset({"knowledge_entry", "service_item", "alert_rule"})
STEPS: dict[str, Any] = {"announcement": workflows.announcement_step}


def street_of(conn: sa.Connection, community_id: str | None) -> str | None:
    if not community_id:
        return None
    communities = RECORD_TABLES["community"]
    street: str | None = conn.execute(sa.select(communities.c.street_id).where(
        communities.c.id == community_id)).scalar()
    return street


_OWN_PLACE = {workflows.CLERK: "community", workflows.SUPERVISOR: "street",
              workflows.ADMIN: "district"}


def _place(conn: sa.Connection, actor: workflows.Actor, values: dict[str, Any]) -> None:
    """Fill in and check the place of new content (see the module's text)."""
    if actor.role == workflows.SOCIAL_WORKER:
        raise _refuse("forbidden", "the knowledge base, catalogue and alert rules are kept by "
                      "clerks and supervisors")
    scope = values.get("scope") or _OWN_PLACE.get(actor.role, "community")
    if actor.role == workflows.CLERK:
        if scope != "community":
            raise _refuse("forbidden", "a clerk writes their own community's entries",
                          "scope")
        values["community_id"] = values.get("community_id") or actor.community_id
        if values["community_id"] != actor.community_id:
            raise _refuse("forbidden", "a clerk writes their own community's entries",
                          "community_id")
    if scope == "community":
        street = street_of(conn, values.get("community_id"))
        if street is None:
            raise _refuse("validation", "no such community", "community_id", "not_found")
        values["street_id"] = street
    elif scope == "street":
        values["community_id"] = None
        values["street_id"] = values.get("street_id") or actor.street_id
        if load(conn, "street", str(values["street_id"])) is None:
            raise _refuse("validation", "no such street", "street_id", "not_found")
    else:
        values["community_id"] = values["street_id"] = None
    values["scope"] = scope
    if actor.role == workflows.SUPERVISOR and (
            scope == "district" or values["street_id"] != actor.street_id):
        raise _refuse("forbidden", "a supervisor writes their own street's entries", "scope")


def may_edit_place(actor: workflows.Actor, row: Mapping[str, Any]) -> bool:
    """Whether ``actor`` may change content that applies at ``row``'s place (the rule the
    desk shows too: :func:`gulou_desk.domain.gubao.may_edit_place`)."""
    return gubao.may_edit_place(actor.role, actor.community_id, actor.street_id, row)


def _check_announcement_place(conn: sa.Connection, actor: workflows.Actor,
                              keys: frozenset[str], values: Mapping[str, Any]) -> None:
    community = values.get("community_id")
    if actor.role == workflows.SOCIAL_WORKER:
        grids = values.get("grid_ids") or []
        if not grids:
            raise _refuse("forbidden", "a social worker's announcement targets their own grids",
                          "grid_ids")
    elif f"c:{community}" not in keys:
        raise _refuse("forbidden", "that community is outside your scope", "community_id")
    if load(conn, "community", str(community)) is None:
        raise _refuse("validation", "no such community", "community_id", "not_found")
    participation._check_targets(conn, actor, keys, community, values.get("grid_ids"))


def prepare_create(conn: sa.Connection, user_id: str, actor: workflows.Actor,
                   keys: frozenset[str], entity: str, values: dict[str, Any],
                   now: dt.datetime) -> dict[str, Any]:
    """Check a create and set the server's fields; returns the values to write."""
    if entity == "bot_question":
        raise _refuse("forbidden", "unanswered questions come from the bot only")
    if entity in PLACED:
        _place(conn, actor, values)
        if entity == "knowledge_entry":
            values.update(owner_id=user_id, hit_count=0, last_hit_at=None, created_at=now)
        elif entity == "alert_rule":
            values.update(created_by_id=user_id, fired_count=0)
    elif entity == "announcement":
        values.update(status="draft", created_by_id=user_id, approved_by_id=None,
                      sent_at=None, sent_count=0, history=[])
        _check(validation.validate_record(entity, values))
        _check_announcement_place(conn, actor, keys, values)
    _check(validation.validate_record(entity, values))
    return values


def check_update(conn: sa.Connection, actor: workflows.Actor, keys: frozenset[str],
                 entity: str, row: Mapping[str, Any], values: Mapping[str, Any],
                 changed: Sequence[str]) -> None:
    """An update: the role may change this record at its place and in its state."""
    if entity in PLACED:
        if not may_edit_place(actor, row):
            raise _refuse("forbidden", "you may not change entries of this place")
    elif entity == "bot_question":
        if actor.role == workflows.SOCIAL_WORKER:
            raise _refuse("forbidden", "the knowledge base is kept by clerks and supervisors")
        if values.get("entry_id") and "entry_id" in changed:
            entry = load(conn, "knowledge_entry", str(values["entry_id"]))
            if entry is None:
                raise _refuse("validation", "no such knowledge entry", "entry_id",
                              "not_found")
    elif entity == "announcement":
        status = row.get("status")
        if status not in workflows.ANNOUNCEMENT_EDITABLE:
            raise _refuse("invalid_transition", f"a {status} announcement no longer changes",
                          changed[0] if changed else None)
        if actor.role == workflows.SOCIAL_WORKER:
            if status != "draft":
                raise _refuse("forbidden", "a submitted announcement is the clerk's to change")
            # One for every grid of the community (they see it: ``cg:``) is the clerk's.
            targets = set(row.get("grid_ids") or [])
            if not targets or not targets <= actor.grid_ids:
                raise _refuse("forbidden", "a social worker edits announcements of their own "
                              "grids only")
        if "grid_ids" in changed:
            _check_announcement_place(conn, actor, keys, values)
        if status == "scheduled":
            _check(gubao.publish_problems(values))
