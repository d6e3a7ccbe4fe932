"""Administration through the sync protocol: staff accounts, their places (grids,
community), temporary covers and the WeChat group registry.

Every step is a push mutation like any other (``docs/sync-protocol.md``, "Administration"):
checked here for role and scope, written through ``RecordWriter`` (so the audit log has
it, by the admin's staff id, device and mutation), and what a scope change means for
the people concerned is left to the pull's backfill and revoke.

Who may: an admin, anything; a street's supervisor, the social workers and clerks of
their street (never an admin or a supervisor, never themselves), the grids and
communities of their street. Refusals are :class:`workflows.WorkflowError` (the push
answers them ``rejected`` with the code and the field).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import group_places, phones
from gulou_desk.domain.workflows import ADMIN, CLERK, SOCIAL_WORKER, SUPERVISOR, WorkflowError
from gulou_desk.passwords import hash_password
from gulou_desk.records import SHANGHAI, new_id
from server import audit, devices
from server.schema import RECORD_TABLES, accounts, device_sessions
from server.scope import Principal
from server.store import RecordWriter, field_values, load, lock

ACTIONS: dict[str, tuple[str, ...]] = {
    "staff": ("disable", "enable", "reset_password", "set_grids", "set_community"),
    "cover": ("end",),
    "wechat_group": ("map", "decline"),
}
CREATES = frozenset({"staff", "cover", "wechat_group"})
USERNAME = re.compile(r"[a-z][a-z0-9_.-]{2,31}")
PASSWORD_LENGTH = (8, 128)
UNUSABLE_HASH = "!"
"""The password hash of an account made by ``create``: nothing verifies against it; the
admin's ``reset_password`` (sent with the create) gives the one-time password."""
DISABLED_REASON = "account_disabled"
RESET_REASON = "password_reset"


def _refuse(code: str, message: str, field: str | None = None,
            problem: str | None = None) -> WorkflowError:
    details: dict[str, Any] = {}
    if field:
        details["field"] = field
    if problem:
        details["problem"] = problem
    return WorkflowError(code, message, details)


def _require_manager(user: Principal) -> None:
    if user.role not in (ADMIN, SUPERVISOR):
        raise _refuse("forbidden", "only admins and supervisors administer staff")


def manages(user: Principal, staff: Mapping[str, Any]) -> bool:
    """Whether ``user`` may administer this staff member."""
    if staff["id"] == user.id:
        return False
    if user.role == ADMIN:
        return True
    return (user.role == SUPERVISOR and bool(user.street_id)
            and staff["street_id"] == user.street_id
            and staff["role"] in (SOCIAL_WORKER, CLERK))


def today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


# --- creates --------------------------------------------------------------------------


def prepare_create(conn: sa.Connection, user: Principal, keys: frozenset[str],
                   entity: str, values: dict[str, Any], stamp: dt.datetime) -> dict[str, Any]:
    """Check a new staff member, cover or group and set the server's fields."""
    _require_manager(user)
    if entity == "staff":
        return _new_staff(conn, user, values)
    if entity == "cover":
        values["created_by_id"] = user.id
        return _new_cover(conn, keys, values)
    return _new_group(conn, values, stamp)


def _new_staff(conn: sa.Connection, user: Principal, values: dict[str, Any]) -> dict[str, Any]:
    username = str(values.get("username") or "")
    if not USERNAME.fullmatch(username):
        raise _refuse("validation", "a user name is 3–32 lower-case letters, digits, . _ -",
                      "username", "format")
    staff = RECORD_TABLES["staff"]
    taken = conn.execute(sa.select(accounts.c.staff_id).where(
        accounts.c.username == username)).first() or conn.execute(
        sa.select(staff.c.id).where(staff.c.username == username)).first()
    if taken:
        raise _refuse("validation", "that user name is taken", "username", "taken")
    if not str(values.get("display_name") or "").strip():
        raise _refuse("validation", "a name is needed", "display_name", "required")
    role = values.get("role")
    if user.role == SUPERVISOR and role not in (SOCIAL_WORKER, CLERK):
        raise _refuse("forbidden", "a supervisor adds social workers and clerks", "role")
    community = None
    if values.get("community_id"):
        community = load(conn, "community", values["community_id"])
        if community is None:
            raise _refuse("validation", "no such community", "community_id", "unknown")
        if values.get("street_id") and values["street_id"] != community["street_id"]:
            raise _refuse("validation", "the community is not in that street", "community_id",
                          "not_in_street")
        values["street_id"] = community["street_id"]
    if role in (SOCIAL_WORKER, CLERK) and community is None:
        raise _refuse("validation", "a social worker or clerk belongs to a community",
                      "community_id", "required")
    if role == SUPERVISOR and not values.get("street_id"):
        raise _refuse("validation", "a supervisor belongs to a street", "street_id",
                      "required")
    if values.get("street_id") and load(conn, "street", values["street_id"]) is None:
        raise _refuse("validation", "no such street", "street_id", "unknown")
    if role == ADMIN:
        values["community_id"] = values["street_id"] = None
    if user.role == SUPERVISOR and values.get("street_id") != user.street_id:
        raise _refuse("forbidden", "a supervisor adds staff to their own street", "street_id")
    phone = values.get("phone")
    if phone:
        if phones.check_phone(phone) is not None:
            raise _refuse("validation", "not a phone number", "phone", "invalid")
        values["phone"] = phones.normalize_phone(phone)
    values["active"] = True
    return values


def after_create(conn: sa.Connection, entity: str, record_id: str,
                 values: Mapping[str, Any]) -> None:
    if entity == "staff":
        conn.execute(sa.insert(accounts).values(
            staff_id=record_id, username=values["username"], password_hash=UNUSABLE_HASH,
            active=True, must_change_password=True))


def _grid_in_scope(conn: sa.Connection, keys: frozenset[str], grid_id: Any,
                   field: str) -> dict[str, Any]:
    grid = load(conn, "grid", str(grid_id)) if isinstance(grid_id, str) else None
    if grid is None:
        raise _refuse("validation", "no such grid", field, "unknown")
    if f"g:{grid['id']}" not in keys:
        raise _refuse("forbidden", "that grid is not in your street", field)
    return grid


def _new_cover(conn: sa.Connection, keys: frozenset[str],
               values: dict[str, Any]) -> dict[str, Any]:
    _grid_in_scope(conn, keys, values.get("grid_id"), "grid_id")
    worker = load(conn, "staff", str(values.get("staff_id")))
    if worker is None or worker["role"] != SOCIAL_WORKER or not worker["active"]:
        raise _refuse("validation", "a cover is taken by an active social worker",
                      "staff_id", "not_a_worker")
    if values["ends_on"] < values["starts_on"]:
        raise _refuse("validation", "a cover ends after it starts", "ends_on", "before_start")
    if values["ends_on"] < today():
        raise _refuse("validation", "that cover is over already", "ends_on", "past")
    values.update(status="active", ended_at=None)
    return values


def _new_group(conn: sa.Connection, values: dict[str, Any],
               stamp: dt.datetime) -> dict[str, Any]:
    groups = RECORD_TABLES["wechat_group"]
    if not str(values.get("group_id") or "").strip():
        raise _refuse("validation", "the group's id is needed", "group_id", "required")
    if conn.execute(sa.select(groups.c.id).where(
            groups.c.group_id == values["group_id"])).first():
        raise _refuse("validation", "that group is registered already", "group_id", "taken")
    values.update(grid_id=None, community_id=None, first_seen_at=stamp, waiting=0)
    return values


# --- actions --------------------------------------------------------------------------


def run_action(conn: sa.Connection, writer: RecordWriter, user: Principal,
               keys: frozenset[str], entity: str, row: Mapping[str, Any], action: str,
               args: Mapping[str, Any], stamp: dt.datetime) -> None:
    """Check and apply one administration step on ``row`` (the record, in scope)."""
    if action not in ACTIONS.get(entity, ()):
        raise _refuse("validation", f"unknown action {action!r} on {entity}", "action")
    values = field_values(entity, row)
    if entity == "wechat_group":
        _group_step(conn, writer, user, keys, row, values, action, args)
        return
    _require_manager(user)
    if entity == "cover":
        if row["status"] != "active":
            raise _refuse("invalid_transition", "that cover has ended")
        values.update(status="ended", ended_at=stamp)
        writer.save(entity, row["id"], values)
        return
    if not manages(user, {**values, "id": row["id"]}):
        raise _refuse("forbidden", "you do not administer this staff member")
    if action == "disable":
        if not row["active"]:
            raise _refuse("invalid_transition", "the account is disabled already")
        values["active"] = False
        writer.save(entity, row["id"], values)
        conn.execute(sa.update(accounts).where(accounts.c.staff_id == row["id"])
                     .values(active=False))
        _end_sessions(conn, row["id"], devices.REVOKED_REASON, stamp)
        _revoke_devices(conn, writer, user, row["id"], stamp)
    elif action == "enable":
        if row["active"]:
            raise _refuse("invalid_transition", "the account is active")
        values["active"] = True
        writer.save(entity, row["id"], values)
        conn.execute(sa.update(accounts).where(accounts.c.staff_id == row["id"])
                     .values(active=True))
    elif action == "reset_password":
        password = args.get("password")
        low, high = PASSWORD_LENGTH
        if not isinstance(password, str) or not low <= len(password) <= high:
            raise _refuse("validation", f"a password of {low} to {high} characters",
                          "password", "length")
        conn.execute(sa.update(accounts).where(accounts.c.staff_id == row["id"])
                     .values(password_hash=hash_password(password), must_change_password=True))
        audit.append(conn, writer.author, entity, row["id"], action, None, {},
                     ["pub"], fields=["password"])
        _end_sessions(conn, row["id"], RESET_REASON, stamp)
    elif action == "set_grids":
        _set_grids(conn, writer, keys, row, args)
    elif action == "set_community":
        if row["role"] not in (SOCIAL_WORKER, CLERK):
            raise _refuse("validation", "only social workers and clerks have a community",
                          "community_id", "not_placed")
        community = load(conn, "community", str(args.get("community_id")))
        if community is None:
            raise _refuse("validation", "no such community", "community_id", "unknown")
        if f"c:{community['id']}" not in keys:
            raise _refuse("forbidden", "that community is not in your street", "community_id")
        values.update(community_id=community["id"], street_id=community["street_id"])
        writer.save(entity, row["id"], values)


def _end_sessions(conn: sa.Connection, staff_id: str, reason: str, at: dt.datetime) -> None:
    conn.execute(sa.update(device_sessions).where(
        device_sessions.c.staff_id == staff_id, device_sessions.c.revoked_at.is_(None))
        .values(revoked_at=at, revoked_reason=reason))


def _revoke_devices(conn: sa.Connection, writer: RecordWriter, user: Principal,
                    staff_id: str, at: dt.datetime) -> None:
    """A disabled account's computers are revoked with it: each wipes itself at its next
    contact (``device_revoked``)."""
    t = RECORD_TABLES["device"]
    ids = conn.execute(sa.select(t.c.id).where(
        t.c.staff_id == staff_id, t.c.status == "active")).scalars().all()
    for rid in sorted(lock(conn, "device", ids)):
        device = load(conn, "device", rid)
        if device is None:
            continue
        values = field_values("device", device)
        values.update(status="revoked", revoked_at=at, revoked_by_id=user.id,
                      revoked_reason=DISABLED_REASON)
        writer.save("device", rid, values)


def _set_grids(conn: sa.Connection, writer: RecordWriter, keys: frozenset[str],
               staff: Mapping[str, Any], args: Mapping[str, Any]) -> None:
    """The social worker's grids among those the actor administers become exactly
    ``grid_ids`` (grids outside the actor's scope are left as they are)."""
    if staff["role"] != SOCIAL_WORKER:
        raise _refuse("validation", "only social workers hold grids", "grid_ids",
                      "not_a_worker")
    wanted = args.get("grid_ids")
    if not isinstance(wanted, list) or not all(isinstance(g, str) for g in wanted):
        raise _refuse("validation", "grid_ids is a list of grid ids", "grid_ids",
                      "invalid_type")
    for gid in wanted:
        _grid_in_scope(conn, keys, gid, "grid_ids")
    mine = sorted(k[2:] for k in keys if k.startswith("g:"))
    for grid_id in sorted(lock(conn, "grid", mine)):
        grid = load(conn, "grid", grid_id)
        if grid is None:
            continue
        workers = list(grid["worker_ids"] or [])
        has = staff["id"] in workers
        if grid_id in wanted and not has:
            workers.append(staff["id"])
        elif grid_id not in wanted and has:
            workers.remove(staff["id"])
        else:
            continue
        values = field_values("grid", grid)
        values["worker_ids"] = workers
        writer.save("grid", grid_id, values)


def _group_step(conn: sa.Connection, writer: RecordWriter, user: Principal,
                keys: frozenset[str], row: Mapping[str, Any], values: dict[str, Any],
                action: str, args: Mapping[str, Any]) -> None:
    """``map`` a group to a grid (``grid_id``) or to a community as a whole
    (``community_id``, a function group): its waiting messages are routed there now, and
    the bot's next messages from it too. ``decline``: the proposed community says the
    group is not theirs; it goes back to the admins.

    Admins and supervisors map any group to a place of their scope; a clerk only a group
    not mapped yet that is proposed to their community, and only to their community or
    one of its grids."""
    clerk = user.role == CLERK
    if user.role not in (ADMIN, SUPERVISOR, CLERK):
        raise _refuse("forbidden", "only admins, supervisors and clerks map groups")
    if clerk:
        if not user.community_id or row["proposed_community_id"] != user.community_id:
            raise _refuse("forbidden", "that group is not proposed to your community",
                          "proposed_community_id")
        if row["grid_id"] or row["community_id"]:
            raise _refuse("invalid_transition", "that group is mapped already")
    if action == "decline":
        if not row["proposed_community_id"] and not row["proposed_street_id"]:
            raise _refuse("invalid_transition", "no community was proposed for that group")
        values.update(proposed_community_id=None, proposed_street_id=None)
        writer.save("wechat_group", row["id"], values)
        _route_waiting(conn, writer, row["group_id"], None, None)
        return
    grid_arg, community_arg = args.get("grid_id"), args.get("community_id")
    if bool(grid_arg) == bool(community_arg):
        raise _refuse("validation", "map a group to a grid or to a community", "grid_id",
                      "required")
    if grid_arg:
        grid = _grid_in_scope(conn, keys, grid_arg, "grid_id")
        if clerk and grid["community_id"] != user.community_id:
            raise _refuse("forbidden", "that grid is not in your community", "grid_id")
        grid_id, community_id = grid["id"], grid["community_id"]
    else:
        community = (load(conn, "community", community_arg)
                     if isinstance(community_arg, str) else None)
        if community is None:
            raise _refuse("validation", "no such community", "community_id", "unknown")
        if f"c:{community['id']}" not in keys or (clerk and
                                                  community["id"] != user.community_id):
            raise _refuse("forbidden", "that community is not yours", "community_id")
        grid_id, community_id = None, community["id"]
        values["kind"] = "function"
    values.update(grid_id=grid_id, community_id=community_id, waiting=0,
                  proposed_community_id=None, proposed_street_id=None)
    writer.save("wechat_group", row["id"], values)
    _route_waiting(conn, writer, row["group_id"], grid_id, community_id)


def _route_waiting(conn: sa.Connection, writer: RecordWriter, group_id: str,
                   grid_id: str | None, community_id: str | None) -> None:
    """The group's messages that wait for a place (no grid) go to this one."""
    inbox = RECORD_TABLES["inbox_message"]
    waiting = conn.execute(sa.select(inbox.c.id).where(
        inbox.c.group_id == group_id, inbox.c.grid_id.is_(None))).scalars().all()
    for message_id in sorted(lock(conn, "inbox_message", waiting)):
        message = load(conn, "inbox_message", message_id)
        if message is None:
            continue
        mv = field_values("inbox_message", message)
        mv.update(grid_id=grid_id, community_id=community_id)
        writer.save("inbox_message", message_id, mv)


def propose_place(conn: sa.Connection, name: str | None) -> group_places.Proposal:
    """The community (or street) a group's name names, among the server's."""
    communities, streets = RECORD_TABLES["community"], RECORD_TABLES["street"]
    if not name:
        return group_places.Proposal(None, None)
    return group_places.propose(
        name,
        [group_places.Place(r.id, r.name or "", r.street_id) for r in conn.execute(
            sa.select(communities.c.id, communities.c.name, communities.c.street_id))],
        [group_places.Place(r.id, r.name or "") for r in conn.execute(
            sa.select(streets.c.id, streets.c.name))])


def group_place(conn: sa.Connection, group_id: str) -> tuple[str | None, str | None]:
    """Where a group's next message goes: ``(grid, community)`` of its mapping, else
    ``(None, proposed community)`` while it waits, else ``(None, None)``."""
    groups = RECORD_TABLES["wechat_group"]
    row = conn.execute(sa.select(groups.c.grid_id, groups.c.community_id,
                                 groups.c.proposed_community_id).where(
        groups.c.group_id == group_id).limit(1)).first()
    if row is None:
        return None, None
    if row.grid_id:
        return row.grid_id, row.community_id
    return None, row.community_id or row.proposed_community_id


def is_mapped(conn: sa.Connection, group_id: str) -> bool:
    groups = RECORD_TABLES["wechat_group"]
    return conn.execute(sa.select(groups.c.id).where(
        groups.c.group_id == group_id, sa.or_(groups.c.grid_id.is_not(None),
                                              groups.c.community_id.is_not(None)))
        .limit(1)).first() is not None


def register_unrouted(conn: sa.Connection, group_id: str, name: str | None,
                      at: dt.datetime) -> None:
    """The bot forwarded a message from a group nobody mapped: the group is in the
    registry (added the first time, with the community or street its name names
    proposed) with one more waiting message."""
    groups = RECORD_TABLES["wechat_group"]
    row = conn.execute(sa.select(groups).where(groups.c.group_id == group_id)
                       ).mappings().first()
    writer = RecordWriter(conn)
    if row is None:
        proposal = propose_place(conn, name)
        writer.save("wechat_group", new_id(), {
            "group_id": group_id, "name": (name or "")[:128] or None, "kind": "grid",
            "grid_id": None, "community_id": None, "first_seen_at": at, "waiting": 1,
            "proposed_community_id": proposal.community_id,
            "proposed_street_id": proposal.street_id})
        return
    values = field_values("wechat_group", row)
    values["waiting"] = int(values.get("waiting") or 0) + 1
    if name and not values.get("name"):
        values["name"] = name[:128]
    writer.save("wechat_group", row["id"], values)


def grid_of_group(conn: sa.Connection, group_id: str) -> str | None:
    groups = RECORD_TABLES["wechat_group"]
    grid: str | None = conn.execute(sa.select(groups.c.grid_id).where(
        groups.c.group_id == group_id, groups.c.grid_id.is_not(None)).limit(1)).scalar()
    return grid


def end_covers(engine: sa.Engine, now: dt.datetime) -> int:
    """The periodic job: covers whose last day is past are marked ``ended`` (the grid
    left the worker's scope at midnight already: scope reads the dates)."""
    from server.database import writer as writing

    day = now.astimezone(SHANGHAI).date()
    covers = RECORD_TABLES["cover"]
    with writing(engine).begin() as conn:
        ids = conn.execute(sa.select(covers.c.id).where(
            covers.c.status == "active", covers.c.ends_on < day)).scalars().all()
        records = RecordWriter(conn)
        for rid in sorted(lock(conn, "cover", ids)):
            row = load(conn, "cover", rid)
            if row is None or row["status"] != "active":
                continue
            values = field_values("cover", row)
            values.update(status="ended", ended_at=now)
            records.save("cover", rid, values)
    return len(ids)
