"""A newcomer to a group is welcomed (``POST /intake/wechat/joined``).

The bot reports that someone joined a group; the server queues the group's welcome
message to it through the outbound queue (so the per-group rate limit holds), starting
with an @-mention of the newcomer. The welcome is the group's own ``welcome``
announcement, else its community's one for every group
(:func:`gulou_desk.domain.gubao.welcome_of`; only ``scheduled`` or ``sent`` ones: a
draft has not been decided on yet).

- **Once per event**: the event id is recorded in ``intake_messages`` under the source
  ``wechat_join`` with the answer given; a retry gets that answer (``"duplicate": true``)
  and queues nothing again.
- **Once per member and group**: a member who leaves and joins again is not welcomed a
  second time (the pair is recorded under ``wechat_welcome`` once welcomed).
- A group not registered to a grid, or whose community has no welcome message, gets
  nothing (``status`` ``unrouted`` / ``no_welcome``); the event is still recorded.

The newcomer's name goes only into the queued message, never into a log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import gubao
from server import outbound
from server.database import again_on_conflict, writer
from server.schema import RECORD_TABLES, intake_messages

SOURCE = "wechat_join"
WELCOMED = "wechat_welcome"
_NAMESPACE = uuid.UUID("6f1d2b7e-3c4a-4e8f-9a51-0b7c2d9e4f13")


@dataclass(frozen=True, slots=True)
class Joined:
    """What the bot reports: the event's id, the group, who joined (their WeChat id and
    nickname, only ever written into the queued welcome)."""

    event_id: str
    group_id: str
    member_id: str
    member_name: str = ""


def member_key(group_id: str, member_id: str) -> str:
    """The id under which a member's welcome to a group is recorded."""
    return str(uuid.uuid5(_NAMESPACE, f"{group_id}\n{member_id}"))


def welcome_of_group(conn: sa.Connection, group_id: str) -> tuple[bool, dict[str, Any] | None]:
    """Whether the group is registered to a grid, and its welcome message if it has one."""
    from server.bot_ask import place_of

    place = place_of(conn, group_id)
    if place.grid_id is None or place.community_id is None:
        return False, None
    t = RECORD_TABLES["announcement"]
    rows = [dict(r) for r in conn.execute(sa.select(t).where(
        t.c.kind == "welcome", t.c.community_id == place.community_id,
        t.c.status.in_(gubao.WELCOME_LIVE)).order_by(t.c.id)).mappings()]
    found = gubao.welcome_of(rows, place.grid_id)
    if found is None or not (found.get("text") or "").strip():
        return True, None
    return True, dict(found)


def member_joined(engine: sa.Engine, event: Joined, now: dt.datetime) -> dict[str, Any]:
    """Welcome the newcomer of ``event`` (see the module's text); the response's body."""
    return again_on_conflict(lambda: _once(engine, event, now))


def _seen(conn: sa.Connection, source: str, external_id: str) -> Any:
    return conn.execute(sa.select(intake_messages.c.outcome).where(
        intake_messages.c.source == source,
        intake_messages.c.external_id == external_id)).first()


def _once(engine: sa.Engine, event: Joined, now: dt.datetime) -> dict[str, Any]:
    key = member_key(event.group_id, event.member_id)
    with writer(engine).begin() as conn:
        seen = _seen(conn, SOURCE, event.event_id)
        if seen is not None:
            return {**(seen.outcome or {}), "duplicate": True}
        body: dict[str, Any]
        if _seen(conn, WELCOMED, key) is not None:
            body = {"status": "already_welcomed", "queued": []}
        else:
            routed, welcome = welcome_of_group(conn, event.group_id)
            if not routed:
                body = {"status": "unrouted", "queued": []}
            elif welcome is None:
                body = {"status": "no_welcome", "queued": []}
            else:
                name = event.member_name.strip()
                mention = f"@{name} " if name else ""
                announcement_id = str(welcome["id"])
                queued = outbound.queue_reply(conn, event.group_id,
                                              mention + str(welcome["text"]), None, now)
                body = {"status": "welcomed", "announcement_id": announcement_id,
                        "queued": queued}
                conn.execute(sa.insert(intake_messages).values(
                    source=WELCOMED, external_id=key, inbox_message_id=announcement_id,
                    handled_as="welcome", outcome=body, received_at=now))
        conn.execute(sa.insert(intake_messages).values(
            source=SOURCE, external_id=event.event_id, inbox_message_id=key,
            handled_as="welcome", outcome=body, received_at=now))
        return body
