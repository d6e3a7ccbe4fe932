"""The outbound queue: staff replies for the bot to post in the resident's group.

A reply is queued by the inbox ``reply`` action (:func:`queue_reply`, called from the
push's side effects) and handed to the bot by ``GET /intake/wechat/outbound``
(:func:`hand_out`), which the bot acknowledges per message once posted (:func:`ack`).

Two limits of group chats are kept here rather than in the bot:

- **Length.** A text longer than :data:`MAX_MESSAGE_BYTES` (UTF-8) is queued as several
  messages (:func:`split_text`), cut at a line or sentence end near the limit when there
  is one, and never inside a character. The parts are queued in order (``part``).
- **Rate.** At most :data:`PER_GROUP_PER_MINUTE` messages per group are handed out in any
  :data:`WINDOW`. The limit is applied when the bot reads: ``handed_out_at`` records when
  a message was handed out, and a read hands a group at most the limit minus what it was
  handed in the last minute, oldest first. A message handed out is not handed out again
  within the window; one still not acknowledged after it is handed out again (and
  counts again), so a bot that crashed before posting loses nothing.

Times are passed in (``now``), so the minute can be stepped through in tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from gulou_desk.records import new_id
from server.database import writer
from server.schema import outbound_messages

MAX_MESSAGE_BYTES = 2048
PER_GROUP_PER_MINUTE = 20
WINDOW = dt.timedelta(seconds=60)
PAGE = 100
"""At most this many messages (over all groups) per read."""
BREAKS = "\n。！？!?"
"""Where a long text is best cut: after a line or sentence end."""
NEAR_END_BYTES = 512
"""How far back from the byte limit a break is looked for before cutting mid-sentence."""


def split_text(text: str, limit: int = MAX_MESSAGE_BYTES) -> list[str]:
    """``text`` in parts of at most ``limit`` UTF-8 bytes, in order; joined they are
    ``text`` again. A cut is made after the last line or sentence end within
    :data:`NEAR_END_BYTES` of the limit, else at the last whole character that fits."""
    if limit < 4:
        raise ValueError("a part must hold at least one character (4 bytes)")
    parts: list[str] = []
    rest = text
    while len(encoded := rest.encode()) > limit:
        cut = limit
        while (encoded[cut] & 0xC0) == 0x80:  # a continuation byte: not a character start
            cut -= 1
        head = encoded[:cut].decode()
        best = max(head.rfind(c) for c in BREAKS)
        if best >= 0 and len(head[:best + 1].encode()) >= cut - NEAR_END_BYTES:
            head = head[:best + 1]
        parts.append(head)
        rest = rest[len(head):]
    parts.append(rest)
    return parts


def queue_reply(conn: sa.Connection, group_id: str, text: str,
                inbox_message_id: str | None, at: dt.datetime) -> list[str]:
    """Queue ``text`` for ``group_id`` inside the caller's transaction (split when long);
    returns the ids of the queued messages in order."""
    ids = []
    for part, chunk in enumerate(split_text(text)):
        message_id = new_id()
        conn.execute(sa.insert(outbound_messages).values(
            id=message_id, group_id=group_id, text=chunk, part=part,
            inbox_message_id=inbox_message_id, created_at=at))
        ids.append(message_id)
    return ids


def hand_out(engine: sa.Engine, now: dt.datetime, page: int = PAGE) -> list[dict[str, Any]]:
    """The messages the bot may post now (see the module's rate rule), marked as handed
    out at ``now``; in queue order (oldest first, parts in order)."""
    o = outbound_messages
    since = now - WINDOW
    order = (o.c.created_at, o.c.part, o.c.id)
    used = (sa.select(o.c.group_id, sa.func.count().label("n"))
            .where(o.c.handed_out_at > since).group_by(o.c.group_id).subquery())
    due = sa.and_(o.c.acked_at.is_(None),
                  sa.or_(o.c.handed_out_at.is_(None), o.c.handed_out_at <= since))
    ranked = (sa.select(o.c.id, o.c.group_id, o.c.created_at, o.c.part,
                        sa.func.row_number().over(partition_by=o.c.group_id, order_by=order)
                        .label("rn"))
              .where(due).subquery())
    pick = (sa.select(ranked.c.id)
            .select_from(ranked.outerjoin(used, used.c.group_id == ranked.c.group_id))
            .where(ranked.c.rn <= PER_GROUP_PER_MINUTE - sa.func.coalesce(used.c.n, 0))
            .order_by(ranked.c.created_at, ranked.c.part, ranked.c.id).limit(page))
    with writer(engine).begin() as conn:
        ids = list(conn.execute(pick).scalars())
        if not ids:
            return []
        # Re-checked by the UPDATE itself: of two reads at once, each message goes to one.
        taken = list(conn.execute(
            sa.update(o).where(o.c.id.in_(ids), due).values(handed_out_at=now)
            .returning(o.c.id)).scalars())
        if not taken:
            return []
        rows = conn.execute(sa.select(o).where(o.c.id.in_(taken)).order_by(*order))
        return [dict(r) for r in rows.mappings()]


def ack(engine: sa.Engine, message_id: str, now: dt.datetime) -> bool:
    """Mark a message as posted; ``False`` when there is no such message. Acknowledging
    twice is harmless (the first time is kept)."""
    o = outbound_messages
    with writer(engine).begin() as conn:
        found = conn.execute(sa.select(o.c.acked_at).where(o.c.id == message_id)).first()
        if found is None:
            return False
        if found.acked_at is None:
            conn.execute(sa.update(o).where(o.c.id == message_id).values(acked_at=now))
    return True
