"""Who sees what: scope keys of records and of users.

A record carries a small set of scope keys and a user holds a set of keys; the user sees
the record when the two meet. Keys:

- ``g:<grid id>``: households, residents, visits, tickets, ticket events and inbox
  messages of a grid;
- ``u:<staff id>``: tickets assigned to someone (and their events), performance records
  of a worker;
- ``ps:<street id>``: performance records and devices of a street's staff (for its
  supervisors);
- ``devices``: every device record (admins);
- ``c:<community id>``: a community's participation items (questionnaires, consultations,
  volunteer activities, whatever their targets, drafts included) and its volunteers;
  participation items also carry the ``g:`` keys of the grids they target, so a social
  worker sees the items of their grids and the responses and comments from them
  (responses and comments carry the ``g:`` key of the respondent's grid);
- ``s:<street id>``: the 鼓宝 console's content of one street (knowledge entries, service
  items and alert rules with ``scope`` ``street``), held by the street's clerks and
  supervisors; a community's such content carries ``c:<community>``, the district's
  ``pub``. Announcements carry ``c:`` and the ``g:`` keys of the grids they target (as
  participation items do); unanswered bot questions carry ``c:``;
- ``cg:<community id>``: a community's published announcements (scheduled or sent) with
  no targets (they go to every grid of it: the community's welcome message, say), for
  the social workers of its grids to read (``c:`` would show them every participation
  item); they change none of them (``server/gubao.py``). A clerk's draft has no ``cg:``
  key until it is scheduled, and loses it when cancelled (the workers' clients are told
  to drop it);
- ``pub``: reference data (streets, communities, grids, staff names, templates, catalogue);
- ``unrouted``: inbox messages from a WeChat group that is not registered to a grid or a
  community, and the group itself (admins). When the group's name names a community,
  the server proposes it: the group and its waiting messages carry that ``c:`` key
  (its clerks map the group); when it names only a street, ``ps:<street>`` (its
  supervisors). A message of a group mapped to a community as a whole carries ``c:``.

A social worker holds the ``g:`` keys of the grids that list them (and ``cg:`` of those
grids' communities), a clerk those of their
community's grids, ``c:<community>`` and ``s:<its street>``, a supervisor those of their
street's grids plus ``ps:<street>``, ``s:<street>`` and the ``c:`` keys of the street's
communities; an admin holds every key but ``cg:`` (what carries it carries ``c:`` too).
Everyone holds ``pub`` and ``u:<self>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import gubao
from gulou_desk.records import ENTITIES, SHANGHAI
from server.schema import RECORD_TABLES

PUBLIC = "pub"
UNROUTED = "unrouted"
EVERY_GRID = "cg:"
"""The prefix of the key of a community's announcements for every grid of it."""
DEVICES = "devices"
"""Every device record (admins hold it; supervisors see their street's by ``ps:``)."""

# Records whose keys follow another record's: child entity → (parent entity, ref field).
PARENT_OF: dict[str, tuple[str, str]] = {
    "resident": ("household", "household_id"),
    "visit": ("household", "household_id"),
    "ticket_event": ("ticket", "ticket_id"),
    "consultation_meeting": ("consultation", "consultation_id"),
}
# Participation items: their community's key and the keys of the grids they target.
TARGETED = frozenset({"questionnaire", "consultation", "volunteer_activity"})
# The 鼓宝 console's content that applies at a place (district, street, community).
PLACED = frozenset({"knowledge_entry", "service_item", "alert_rule"})
# Answers from residents: the respondent's grid, else the item's community.
ANSWER_OF: dict[str, tuple[str, str]] = {
    "questionnaire_response": ("questionnaire", "questionnaire_id"),
    "consultation_comment": ("consultation", "consultation_id"),
}
CHILDREN_OF: dict[str, list[tuple[str, str]]] = {}
for _child, (_parent, _field) in PARENT_OF.items():
    CHILDREN_OF.setdefault(_parent, []).append((_child, _field))


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated staff member behind a request."""

    id: str
    username: str
    display_name: str
    role: str
    community_id: str | None
    street_id: str | None
    session_id: str = ""
    must_change_password: bool = False


def record_keys(conn: sa.Connection, entity: str, values: Mapping[Any, Any]) -> frozenset[str]:
    """The scope keys of a record with these field values."""
    spec = ENTITIES[entity]
    if spec.reference:
        return frozenset({PUBLIC})
    if entity in PLACED:
        return place_keys(values)
    if entity == "announcement":
        community = values.get("community_id")
        keys = {f"c:{community}"} if community else set()
        keys.update(f"g:{g}" for g in values.get("grid_ids") or () if isinstance(g, str))
        if (community and not values.get("grid_ids")  # every grid of the community's
                and values.get("status") in gubao.PUBLISHED):
            keys.add(f"{EVERY_GRID}{community}")
        return frozenset(keys)
    if entity == "bot_question":
        return frozenset({f"c:{values['community_id']}"} if values.get("community_id")
                         else {UNROUTED})
    if entity in PARENT_OF:
        parent, ref = PARENT_OF[entity]
        parent_keys = _current_keys(conn, parent, values.get(ref))
        return parent_keys
    if entity == "household":
        return frozenset({f"g:{values['grid_id']}"}) if values.get("grid_id") else frozenset()
    if entity == "ticket":
        keys = {f"g:{values['grid_id']}"} if values.get("grid_id") else set()
        if values.get("assignee_id"):
            keys.add(f"u:{values['assignee_id']}")
        return frozenset(keys)
    if entity == "inbox_message":
        if values.get("grid_id"):
            return frozenset({f"g:{values['grid_id']}"})
        if values.get("community_id"):  # a function group's, or waiting on a proposal
            return frozenset({f"c:{values['community_id']}"})
        street = _proposed_street(conn, values.get("group_id"))
        return frozenset({UNROUTED, f"ps:{street}"} if street else {UNROUTED})
    if entity in TARGETED:
        keys = {f"c:{values['community_id']}"} if values.get("community_id") else set()
        keys.update(f"g:{g}" for g in values.get("grid_ids") or () if isinstance(g, str))
        return frozenset(keys)
    if entity == "volunteer":
        return frozenset({f"c:{values['community_id']}"} if values.get("community_id")
                         else ())
    if entity in ANSWER_OF:
        if values.get("grid_id"):
            return frozenset({f"g:{values['grid_id']}"})
        parent, ref = ANSWER_OF[entity]
        t = RECORD_TABLES[parent]
        community = conn.execute(sa.select(t.c.community_id).where(
            t.c.id == values.get(ref))).scalar() if values.get(ref) else None
        return frozenset({f"c:{community}"} if community else ())
    if entity == "device":
        # Admins see every device; a street's supervisors those of its staff.
        return frozenset({DEVICES} | _street_keys(conn, values["staff_id"]))
    if entity == "cover":
        keys = {f"u:{values['staff_id']}"}
        communities = RECORD_TABLES["community"]
        grids = RECORD_TABLES["grid"]
        street = conn.execute(
            sa.select(communities.c.street_id).join(
                grids, grids.c.community_id == communities.c.id)
            .where(grids.c.id == values["grid_id"])).scalar()
        if street:
            keys.add(f"ps:{street}")
        return frozenset(keys)
    if entity == "wechat_group":
        if values.get("grid_id"):
            return frozenset({f"g:{values['grid_id']}", f"c:{values['community_id']}"}
                             if values.get("community_id") else {f"g:{values['grid_id']}"})
        if values.get("community_id"):
            return frozenset({f"c:{values['community_id']}"})
        if values.get("proposed_community_id"):
            return frozenset({UNROUTED, f"c:{values['proposed_community_id']}"})
        if values.get("proposed_street_id"):
            return frozenset({UNROUTED, f"ps:{values['proposed_street_id']}"})
        return frozenset({UNROUTED})
    if entity == "performance_record":
        return frozenset({f"u:{values['worker_id']}"}
                         | _street_keys(conn, values["worker_id"]))
    raise KeyError(entity)


def _street_keys(conn: sa.Connection, staff_id: str) -> set[str]:
    """The scope key of the street a staff member works in (its supervisors'), if any."""
    staff = RECORD_TABLES["staff"]
    street = conn.execute(sa.select(staff.c.street_id).where(staff.c.id == staff_id)).scalar()
    return {f"ps:{street}"} if street else set()


def _proposed_street(conn: sa.Connection, group_id: Any) -> str | None:
    """The street an unmapped group's name names (its waiting messages are the street's
    supervisors' too)."""
    if not isinstance(group_id, str) or not group_id:
        return None
    t = RECORD_TABLES["wechat_group"]
    street: str | None = conn.execute(sa.select(t.c.proposed_street_id).where(
        t.c.group_id == group_id, t.c.grid_id.is_(None), t.c.community_id.is_(None))
        .limit(1)).scalar()
    return street


def place_keys(values: Mapping[Any, Any]) -> frozenset[str]:
    """The keys of content that applies at a place: the district's is public, a street's
    ``s:``, a community's ``c:``."""
    scope = values.get("scope") or "district"
    if scope == "street" and values.get("street_id"):
        return frozenset({f"s:{values['street_id']}"})
    if scope == "community" and values.get("community_id"):
        return frozenset({f"c:{values['community_id']}"})
    return frozenset({PUBLIC})


def _current_keys(conn: sa.Connection, entity: str, record_id: Any) -> frozenset[str]:
    if not record_id:
        return frozenset()
    t = RECORD_TABLES[entity]
    row = conn.execute(sa.select(t).where(t.c.id == record_id)).mappings().first()
    if row is None:
        return frozenset()
    return record_keys(conn, entity, row)


def user_keys(conn: sa.Connection, user: Principal) -> frozenset[str]:
    """Every scope key the user holds now (read fresh: grids and roles change)."""
    grids = RECORD_TABLES["grid"]
    communities = RECORD_TABLES["community"]
    keys = {PUBLIC, f"u:{user.id}"}
    if user.role == "admin":
        keys.add(UNROUTED)
        keys.add(DEVICES)
        keys.update(f"g:{gid}" for gid in conn.execute(sa.select(grids.c.id)).scalars())
        streets = RECORD_TABLES["street"]
        keys.update(f"ps:{sid}" for sid in conn.execute(sa.select(streets.c.id)).scalars())
        keys.update(f"c:{cid}" for cid in conn.execute(sa.select(communities.c.id)).scalars())
        keys.update(f"s:{sid}" for sid in conn.execute(sa.select(streets.c.id)).scalars())
    elif user.role == "supervisor":
        if user.street_id:
            keys.add(f"ps:{user.street_id}")
            keys.add(f"s:{user.street_id}")
            q = sa.select(grids.c.id).join(
                communities, communities.c.id == grids.c.community_id
            ).where(communities.c.street_id == user.street_id)
            keys.update(f"g:{gid}" for gid in conn.execute(q).scalars())
            keys.update(f"c:{cid}" for cid in conn.execute(sa.select(communities.c.id).where(
                communities.c.street_id == user.street_id)).scalars())
    elif user.role == "clerk":
        if user.community_id:
            keys.add(f"c:{user.community_id}")
            street = conn.execute(sa.select(communities.c.street_id).where(
                communities.c.id == user.community_id)).scalar()
            if street:
                keys.add(f"s:{street}")
            q = sa.select(grids.c.id).where(grids.c.community_id == user.community_id)
            keys.update(f"g:{gid}" for gid in conn.execute(q).scalars())
    else:
        own = worker_grid_ids(conn, user.id)
        keys.update(f"g:{gid}" for gid in own)
        if own:
            keys.update(f"{EVERY_GRID}{cid}" for cid in conn.execute(
                sa.select(grids.c.community_id).where(grids.c.id.in_(own)).distinct())
                .scalars() if cid)
    return frozenset(keys)


def worker_grid_ids(conn: sa.Connection, staff_id: str,
                    day: dt.date | None = None) -> list[str]:
    """The grids that list the worker, and those they cover on ``day`` (default: today
    in Shanghai): a cover's grid is theirs from its first day to its last, included."""
    grids = RECORD_TABLES["grid"]
    covers = RECORD_TABLES["cover"]
    day = day or dt.datetime.now(SHANGHAI).date()
    own = [
        gid for gid, workers in conn.execute(sa.select(grids.c.id, grids.c.worker_ids))
        if staff_id in (workers or ())
    ]
    covered = conn.execute(sa.select(covers.c.grid_id).where(
        covers.c.staff_id == staff_id, covers.c.status == "active",
        covers.c.starts_on <= day, covers.c.ends_on >= day)).scalars()
    return own + sorted(set(covered) - set(own))


def grid_ids_of(keys: Iterable[str]) -> frozenset[str]:
    return frozenset(k[2:] for k in keys if k.startswith("g:"))


def can_see(user_keys_: frozenset[str], keys: Iterable[str]) -> bool:
    return not user_keys_.isdisjoint(keys)
