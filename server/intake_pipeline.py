"""What happens to a message that reaches the intake: a small ordered pipeline of handlers.

Every adapter (the 鼓宝 WeChat bot, the WeCom callback) hands its message to
:func:`store_inbound` as an :class:`Inbound`. In one write transaction the pipeline

1. answers ``duplicate`` for a message seen before (``(source, external id)``, so a bot
   that retries never doubles anything) with the record the message became;
2. runs the handlers in order, each with the same :class:`IntakeContext`. A handler may
   - **take** the message: return an :class:`Outcome` (a reply to a questionnaire
     became a response; the later handlers do not run, nothing goes to the inbox);
   - **mark** it for the handlers after it (``ctx.inbox_fields``: fields the inbox
     message will be stored with, e.g. an urgent flag);
   - **queue bot replies** to the group (``ctx.reply(text)``), whatever it returns;
   - **run something once the message is stored** (``ctx.after_stored(fn)``, e.g. file
     a ticket for an urgent alert with the stored message as its source);
   - or do nothing (``None``): the next handler sees the message.
   The last handler, :func:`store_in_inbox`, always takes it: an ``inbox_message``
   routed to the grid of its group (``unrouted`` without one);
3. records the outcome against the external id, then queues the replies through the
   outbound queue (which keeps the per-group rate limit).

Handlers run inside the transaction: what they write is kept only if the whole message
is, and a handler that raises leaves nothing behind (the bot gets a 5xx and retries).

The order lives in :func:`default_handlers`; a new handler goes in there, at its place:

- *before anything is stored* — checks that must see every message (``urgent_alerts``,
  :mod:`server.alerts`: the 鼓宝 console's alert rules);
- ``participation_replies`` — replies to published questionnaires, consultations and
  activities (``问卷12 1A 2C``, ``协商7 支持``, ``报名 活动5``);
- ``store_in_inbox`` — last.

The 鼓宝 ``/bot/ask`` answers are a separate call the bot makes before it forwards a
message; a question it could not answer arrives here as an ordinary message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa

from gulou_desk.records import now as wall_clock
from server import outbound
from server.database import writer
from server.schema import RECORD_TABLES, intake_messages
from server.store import RecordWriter

_NAMESPACE = uuid.UUID("6f1d1c3e-3b1a-4d8e-9a55-2f4c0d7e9b10")


@dataclass(frozen=True, slots=True)
class Inbound:
    """A request from outside, as any adapter hands it to :func:`store_inbound`."""

    source: str
    external_id: str
    """The adapter's own message id; (source, external_id) is stored once."""
    group_id: str | None
    sender_id: str
    text: str
    sent_at: dt.datetime
    group_name: str = ""
    sender_name: str = ""
    keyword: str = ""


def inbox_id(source: str, external_id: str) -> str:
    """The inbox message id of an external message (the same on every retry)."""
    return str(uuid.uuid5(_NAMESPACE, f"{source}:{external_id}"))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the intake made of a message.

    ``status``: ``routed`` / ``unrouted`` (an inbox message), ``duplicate`` (seen
    before), or what a handler that took it says (``response``, ``comment``,
    ``signup``, ``refused`` …). ``record_id``: the record it became (the inbox message,
    the response …). ``handled_as``: the entity a handler made of it; ``None`` for an
    inbox message.
    """

    status: str
    record_id: str
    handled_as: str | None = None


@dataclass
class IntakeContext:
    """One message going through the pipeline (see the module's docstring)."""

    conn: sa.Connection
    message: Inbound
    now: dt.datetime
    grid_id: str | None
    """The grid whose group the message came from (the group → grid registry)."""
    community_id: str | None
    """The community of the group when it is mapped to a community as a whole (a
    function group), or proposed to one while it waits to be mapped."""
    inbox_id: str
    """The id the message's ``inbox_message`` has, if it is stored as one."""
    inbox_fields: dict[str, Any] = field(default_factory=dict)
    replies: list[str] = field(default_factory=list)
    hooks: list[Callable[[IntakeContext, Outcome], None]] = field(default_factory=list)
    """What :meth:`after_stored` registered."""

    def reply(self, text: str) -> None:
        """Queue ``text`` to the message's group (when it has one) after the pipeline."""
        self.replies.append(text)

    def after_stored(self, fn: Callable[[IntakeContext, Outcome], None]) -> None:
        """Run ``fn`` once the pipeline has its outcome, in the same transaction."""
        self.hooks.append(fn)


class Handler(Protocol):
    """One step of the pipeline: takes the message (an :class:`Outcome`) or passes it
    on (``None``)."""

    def __call__(self, ctx: IntakeContext) -> Outcome | None: ...


def store_in_inbox(ctx: IntakeContext) -> Outcome:
    """The last handler: the message becomes an ``inbox_message`` of its group's grid (or
    community); from a group nobody mapped, it waits (the registry counts it)."""
    from server.staff_admin import group_place, is_mapped, register_unrouted

    msg = ctx.message
    routed = bool(ctx.grid_id) or bool(msg.group_id and is_mapped(ctx.conn, msg.group_id))
    if not routed and msg.group_id:
        register_unrouted(ctx.conn, msg.group_id, msg.group_name, ctx.now)
        ctx.community_id = group_place(ctx.conn, msg.group_id)[1]
    RecordWriter(ctx.conn).save("inbox_message", ctx.inbox_id, {
        "source": msg.source, "group_id": msg.group_id, "group_name": msg.group_name,
        "grid_id": ctx.grid_id, "community_id": ctx.community_id,
        "sender_id": msg.sender_id, "sender_name": msg.sender_name, "text": msg.text,
        "keyword": msg.keyword, "sent_at": msg.sent_at, "status": "new", "urgent": False,
        **ctx.inbox_fields,
    })
    return Outcome("routed" if routed else "unrouted", ctx.inbox_id)


def default_handlers() -> list[Handler]:
    """The intake's handlers, in order (see the module's docstring for where yours goes)."""
    from server.alerts import urgent_alerts
    from server.participation_intake import participation_replies

    return [
        urgent_alerts,
        participation_replies,
        store_in_inbox,
    ]


def _grid_by_own_id(conn: sa.Connection, group_id: str) -> str | None:
    """The grid whose own group id this is (groups not in the registry)."""
    grids = RECORD_TABLES["grid"]
    grid: str | None = conn.execute(sa.select(grids.c.id).where(
        grids.c.wechat_group_id == group_id).limit(1)).scalar()
    return grid


def _grid_of_group(conn: sa.Connection, group_id: str | None) -> str | None:
    return _place_of_group(conn, group_id)[0]


def _place_of_group(conn: sa.Connection, group_id: str | None
                    ) -> tuple[str | None, str | None]:
    """``(grid, community)`` a group's message goes to, from one read of the registry:
    its mapping (groups mapped by staff) first, else the grid whose own group id it is
    (then no community of its own), else the community proposed while it waits."""
    if not group_id:
        return None, None
    from server.staff_admin import group_place

    grid, community = group_place(conn, group_id)
    if grid is not None:
        return grid, community
    by_own_id = _grid_by_own_id(conn, group_id)
    return (by_own_id, None) if by_own_id is not None else (None, community)


def _seen(conn: sa.Connection, msg: Inbound) -> Outcome | None:
    row = conn.execute(sa.select(intake_messages.c.inbox_message_id,
                                 intake_messages.c.handled_as).where(
        intake_messages.c.source == msg.source,
        intake_messages.c.external_id == msg.external_id)).first()
    return None if row is None else Outcome("duplicate", row.inbox_message_id, row.handled_as)


def run_pipeline(engine: sa.Engine, msg: Inbound,
                 handlers: Sequence[Handler] | None = None,
                 clock: Callable[[], dt.datetime] = wall_clock) -> Outcome:
    """Put ``msg`` through the handlers (default: :func:`default_handlers`) once."""
    chain = list(handlers) if handlers is not None else default_handlers()
    for attempt in (1, 2):
        try:
            return _run_once(engine, msg, chain, clock())
        except sa.exc.IntegrityError:
            # The same message arrived twice at once (PostgreSQL): the other request took
            # it. Or two messages wrote one record at once (a resident's two replies):
            # the second try sees what the first wrote.
            with engine.connect() as conn:
                seen = _seen(conn, msg)
            if seen is not None:
                return seen
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _run_once(engine: sa.Engine, msg: Inbound, chain: Sequence[Handler],
              now: dt.datetime) -> Outcome:
    with writer(engine).begin() as conn:
        seen = _seen(conn, msg)
        if seen is not None:
            return seen
        grid_id, community_id = _place_of_group(conn, msg.group_id)
        ctx = IntakeContext(conn=conn, message=msg, now=now, grid_id=grid_id,
                            community_id=community_id,
                            inbox_id=inbox_id(msg.source, msg.external_id))
        outcome: Outcome | None = None
        for handler in chain:
            outcome = handler(ctx)
            if outcome is not None:
                break
        if outcome is None:  # a chain without store_in_inbox
            outcome = store_in_inbox(ctx)
        conn.execute(sa.insert(intake_messages).values(
            source=msg.source, external_id=msg.external_id,
            inbox_message_id=outcome.record_id, handled_as=outcome.handled_as,
            outcome={"status": outcome.status}, received_at=now))
        for fn in ctx.hooks:
            fn(ctx, outcome)
        if msg.group_id:
            stored = outcome.record_id if outcome.handled_as is None else None
            for text in ctx.replies:
                outbound.queue_reply(conn, msg.group_id, text, stored, now)
        return outcome


def store_inbound(engine: sa.Engine, msg: Inbound) -> tuple[str, str]:
    """Put ``msg`` through the intake (:func:`run_pipeline`); returns ``(record id,
    status)``: the inbox message's id and ``routed`` / ``unrouted``, ``duplicate`` for a
    message seen before, or a handler's status and the record it made."""
    outcome = run_pipeline(engine, msg)
    return outcome.record_id, outcome.status
