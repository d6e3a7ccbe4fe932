"""Client-side reads for the administration section: staff with their places and
devices, covers, the WeChat group registry with its waiting messages, the visit forms
with their versions, and the rows of an audit-log export. Plain values; run on a worker
thread (``Desk.read``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.store.inbox_queries import UnassignedGroup, unassigned_groups
from gulou_desk.store.queries import get_record
from gulou_desk.store.rows import table_of


@dataclass(frozen=True, slots=True)
class StaffRow:
    id: str
    username: str
    display_name: str
    role: str
    community_id: str | None
    community_name: str | None
    street_id: str | None
    street_name: str | None
    active: bool
    phone: str | None
    grid_ids: tuple[str, ...]
    grid_names: tuple[str, ...]
    devices: int
    last_seen_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: str
    name: str
    status: str
    first_seen_at: dt.datetime | None
    last_seen_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CoverRow:
    id: str
    staff_id: str
    staff_name: str
    grid_id: str
    grid_name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    note: str | None


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: str
    group_id: str
    name: str | None
    kind: str | None
    grid_id: str | None
    grid_name: str | None
    waiting: int


@dataclass(frozen=True, slots=True)
class Place:
    """A grid (with its community) or a community, by name: the places the user may put
    people in, and the dashboard's filters (one type for both)."""

    id: str
    name: str
    community_id: str | None = None


def _names(session: Session, entity: str) -> dict[str, str]:
    t = table_of(entity)
    return {rid: name for rid, name in session.execute(sa.select(t.c.id, t.c.name))}


def staff_rows(session: Session, search: str = "", role: str | None = None,
               street_id: str | None = None) -> list[StaffRow]:
    """Staff by name or user name containing ``search`` (and of ``role`` / the street
    when given), active first, by name."""
    staff, grids, devices = table_of("staff"), table_of("grid"), table_of("device")
    communities, streets = _names(session, "community"), _names(session, "street")
    worker_grids: dict[str, list[tuple[str, str]]] = {}
    for gid, name, workers in session.execute(
            sa.select(grids.c.id, grids.c.name, grids.c.worker_ids)):
        for wid in workers or ():
            worker_grids.setdefault(wid, []).append((gid, name))
    seen: dict[str, tuple[int, dt.datetime | None]] = {}
    for sid, count, last in session.execute(
            sa.select(devices.c.staff_id, sa.func.count(), sa.func.max(devices.c.last_seen_at))
            .where(devices.c.status == "active").group_by(devices.c.staff_id)):
        seen[sid] = (int(count), last)
    q = sa.select(staff)
    if search.strip():
        pattern = f"%{search.strip()}%"
        q = q.where(sa.or_(staff.c.display_name.like(pattern), staff.c.username.like(pattern)))
    if role:
        q = q.where(staff.c.role == role)
    if street_id:
        q = q.where(staff.c.street_id == street_id)
    out = []
    for r in session.execute(q).mappings():
        mine = sorted(worker_grids.get(r["id"], []), key=lambda g: g[1])
        count, last = seen.get(r["id"], (0, None))
        out.append(StaffRow(
            id=r["id"], username=r["username"], display_name=r["display_name"],
            role=r["role"], community_id=r["community_id"],
            community_name=communities.get(r["community_id"] or ""),
            street_id=r["street_id"], street_name=streets.get(r["street_id"] or ""),
            active=r["active"] is not False, phone=r["phone"],
            grid_ids=tuple(g[0] for g in mine), grid_names=tuple(g[1] for g in mine),
            devices=count, last_seen_at=last))
    out.sort(key=lambda s: (not s.active, s.display_name))
    return out


def staff_devices(session: Session, staff_id: str) -> list[DeviceRow]:
    t = table_of("device")
    rows = session.execute(sa.select(t).where(t.c.staff_id == staff_id)).mappings()
    out = [DeviceRow(r["id"], r["name"] or "", r["status"], r["first_seen_at"],
                     r["last_seen_at"]) for r in rows]
    out.sort(key=lambda d: (d.status != "active", -(d.last_seen_at.timestamp()
                                                    if d.last_seen_at else 0)))
    return out


def cover_rows(session: Session) -> list[CoverRow]:
    t, staff = table_of("cover"), table_of("staff")
    names = {sid: name for sid, name in session.execute(
        sa.select(staff.c.id, staff.c.display_name))}
    grids = _names(session, "grid")
    out = [CoverRow(r["id"], r["staff_id"], names.get(r["staff_id"], "?"), r["grid_id"],
                    grids.get(r["grid_id"], "?"), r["starts_on"], r["ends_on"], r["status"],
                    r["note"])
           for r in session.execute(sa.select(t)).mappings()]
    out.sort(key=lambda c: (c.status != "active", c.starts_on, c.staff_name))
    return out


def group_rows(session: Session, *, unmapped_only: bool = False) -> list[GroupRow]:
    t = table_of("wechat_group")
    grids = _names(session, "grid")
    q = sa.select(t)
    if unmapped_only:
        q = q.where(t.c.grid_id.is_(None))
    out = [GroupRow(r["id"], r["group_id"], r["name"], r["kind"], r["grid_id"],
                    grids.get(r["grid_id"] or ""), int(r["waiting"] or 0))
           for r in session.execute(q).mappings()]
    out.sort(key=lambda g: (g.grid_id is not None, -g.waiting, g.name or g.group_id))
    return out


def waiting_messages(session: Session, group_id: str) -> list[dict[str, Any]]:
    """The unrouted messages of a group (sender, text, time), oldest first."""
    t = table_of("inbox_message")
    rows = session.execute(sa.select(t.c.id, t.c.sender_name, t.c.text, t.c.sent_at).where(
        t.c.group_id == group_id, t.c.grid_id.is_(None)).order_by(t.c.sent_at)).mappings()
    return [dict(r) for r in rows]


@dataclass(frozen=True, slots=True)
class FormVersion:
    """One version of a visit form (a ``visit_template`` record)."""

    id: str
    form_id: str
    """The form it is a version of (versions of one form share it)."""
    name: str
    name_en: str | None
    version: int
    active: bool
    fields: tuple[dict[str, Any], ...]
    published_at: dt.datetime | None


def form_versions(session: Session) -> list[FormVersion]:
    """Every version of every visit form: forms by name, each form's newest first."""
    t = table_of("visit_template")
    out = [FormVersion(
        id=r["id"], form_id=r["form_id"] or r["id"], name=r["name"] or "",
        name_en=r["name_en"], version=int(r["version"] or 1), active=bool(r["active"]),
        fields=tuple(dict(d) for d in r["fields"] or () if isinstance(d, dict)),
        published_at=r["published_at"]) for r in session.execute(t.select()).mappings()]
    first_name: dict[str, str] = {}
    for v in sorted(out, key=lambda v: v.version):
        first_name.setdefault(v.form_id, v.name)
    return sorted(out, key=lambda v: (first_name[v.form_id], v.form_id, -v.version))


def catalogue_entries(session: Session) -> list[dict[str, Any]]:
    """The district's catalogue (``catalogue_entry`` records), in their order."""
    t = table_of("catalogue_entry")
    return [dict(r) for r in session.execute(
        t.select().order_by(t.c.kind, t.c.position, t.c.id)).mappings()]


def places(session: Session, street_id: str | None = None) -> tuple[list[Place], list[Place]]:
    """(grids, communities) the user may place people in: those of ``street_id`` when
    given (a supervisor), else all held here."""
    grids, communities = table_of("grid"), table_of("community")
    cq = sa.select(communities.c.id, communities.c.name, communities.c.street_id)
    comm = [(cid, name) for cid, name, street in session.execute(cq)
            if street_id is None or street == street_id]
    ids = {c[0] for c in comm}
    grid_list = [Place(gid, name, cid) for gid, name, cid in session.execute(
        sa.select(grids.c.id, grids.c.name, grids.c.community_id)) if cid in ids]
    return (sorted(grid_list, key=lambda p: p.name),
            sorted((Place(cid, name) for cid, name in comm), key=lambda p: p.name))


def audit_table(entries: Sequence[Mapping[str, Any]], names: Mapping[str, str],
                op_label: Mapping[str, str], entity_label: Mapping[str, str]
                ) -> list[list[str]]:
    """The rows of an audit export or view: time, person, operation, record kind, record
    id, fields, and each field's old → new (plain text)."""
    rows = []
    for e in entries:
        who = names.get(e.get("staff_id") or "", e.get("staff_id") or "")
        changes = e.get("changes") or {}
        detail = "; ".join(
            f"{name}: {_plain(pair.get('old'))} → {_plain(pair.get('new'))}"
            for name, pair in changes.items())
        rows.append([str(e.get("at", ""))[:19].replace("T", " "), who,
                     op_label.get(str(e.get("op")), str(e.get("op"))),
                     entity_label.get(str(e.get("entity")), str(e.get("entity"))),
                     str(e.get("record_id", "")), ", ".join(e.get("fields") or []), detail])
    return rows


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class Unassigned:
    """The groups nobody mapped that a user may map, and where each may go."""

    groups: list[UnassignedGroup]
    grids: list[Place]
    communities: list[Place]


def unassigned(session: Session, user_id: str, role: str) -> Unassigned:
    """A clerk's: the unmapped groups proposed to their community (the server proposed
    them there) and its grids and community; anyone else's: every unmapped group in the
    local copy and every place."""
    me = get_record(session, "staff", user_id) if role == "clerk" else None
    mine = me["community_id"] if me else None
    grids, communities = places(session)
    if mine is not None:
        grids = [g for g in grids if g.community_id == mine]
        communities = [c for c in communities if c.id == mine]
    return Unassigned(unassigned_groups(session, mine), grids, communities)
