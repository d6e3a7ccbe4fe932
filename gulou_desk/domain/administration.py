"""The administration steps as the desk takes them offline (optimistically): staff,
covers and WeChat groups. The server (``server/staff_admin.py``) checks them again with
the scope it alone knows (which street a staff member, grid or community is in) and
writes what the step means elsewhere (sessions, devices, grids, routed messages); the
desk shows the record's own change at once and the rest after the next sync."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gulou_desk.domain.workflows import ADMIN, CLERK, SUPERVISOR, Actor, Step, WorkflowError

STAFF_ACTIONS = ("disable", "enable", "reset_password", "set_grids", "set_community")
MIN_PASSWORD = 8


def _manager(actor: Actor) -> None:
    if actor.role not in (ADMIN, SUPERVISOR):
        raise WorkflowError("forbidden", "only admins and supervisors administer staff")


def staff_step(record: Mapping[str, Any], action: str, args: Mapping[str, Any],
               actor: Actor, now: dt.datetime) -> Step:
    if action not in STAFF_ACTIONS:
        raise WorkflowError("invalid_transition", f"no step {action!r} on staff")
    _manager(actor)
    if record.get("id") == actor.id:
        raise WorkflowError("forbidden", "nobody administers their own account")
    if action == "disable":
        if not record.get("active", True):
            raise WorkflowError("invalid_transition", "the account is disabled already")
        return Step({"active": False}, None)
    if action == "enable":
        if record.get("active", True):
            raise WorkflowError("invalid_transition", "the account is active")
        return Step({"active": True}, None)
    if action == "reset_password":
        password = args.get("password")
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            raise WorkflowError("validation", "a password of at least 8 characters",
                                {"field": "password"})
        return Step({}, None)
    if action == "set_grids":
        grids = args.get("grid_ids")
        if not isinstance(grids, list) or not all(isinstance(g, str) for g in grids):
            raise WorkflowError("validation", "grid_ids is a list", {"field": "grid_ids"})
        return Step({}, None)
    community = args.get("community_id")
    if not isinstance(community, str) or not community:
        raise WorkflowError("validation", "choose a community", {"field": "community_id"})
    return Step({"community_id": community}, None)


def cover_step(record: Mapping[str, Any], action: str, args: Mapping[str, Any],
               actor: Actor, now: dt.datetime) -> Step:
    if action != "end" or record.get("status") != "active":
        raise WorkflowError("invalid_transition", "that cover has ended")
    _manager(actor)
    return Step({"status": "ended", "ended_at": now}, None)


def group_step(record: Mapping[str, Any], action: str, args: Mapping[str, Any],
               actor: Actor, now: dt.datetime) -> Step:
    """``map`` a group to a grid or to a community as a whole, or ``decline`` the
    community proposed for it. A clerk: only a group not mapped yet and proposed to their
    community (the server checks the grid is one of its)."""
    if action not in ("map", "decline"):
        raise WorkflowError("invalid_transition", f"no step {action!r} on a group")
    if actor.role == CLERK:
        if not actor.community_id or record.get("proposed_community_id") != actor.community_id:
            raise WorkflowError("forbidden", "that group is not proposed to your community",
                                {"field": "proposed_community_id"})
        if record.get("grid_id") or record.get("community_id"):
            raise WorkflowError("invalid_transition", "that group is mapped already")
    else:
        _manager(actor)
    cleared = {"proposed_community_id": None, "proposed_street_id": None}
    if action == "decline":
        return Step(cleared, None)
    grid, community = args.get("grid_id"), args.get("community_id")
    if isinstance(grid, str) and grid and not community:
        return Step({"grid_id": grid, "waiting": 0, **cleared}, None)
    if isinstance(community, str) and community and not grid:
        if actor.role == CLERK and community != actor.community_id:
            raise WorkflowError("forbidden", "that community is not yours",
                                {"field": "community_id"})
        return Step({"community_id": community, "kind": "function", "waiting": 0,
                     **cleared}, None)
    raise WorkflowError("validation", "choose a grid", {"field": "grid_id"})
