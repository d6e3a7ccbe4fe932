"""The intake handler for residents' replies to published participation items.

A group message that starts with an item's code (``问卷12 1A 2C 3:5``, ``协商7 支持 …``,
``报名 活动5``; :func:`participation.recognise`) is taken by
:func:`participation_replies` instead of becoming an inbox message:

- a reply it can read to an open item becomes a ``questionnaire_response`` (one per
  sender: a later reply replaces the earlier answers, which go to ``history``), a
  ``consultation_comment`` (each reply is one; the tally counts a sender's latest
  stance), or a sign-up on the activity (the sender becomes a ``volunteer`` of the
  community the first time);
- a reply to an item that has closed is refused with a polite bot reply and not stored;
- a reply it cannot read (a wrong letter, a missing required answer …) or to a code the
  group does not know gets a bot reply with what is wrong and the expected format, and
  goes on to the inbox, where staff can see it.

The message's time is its ``sent_at`` (the bot's), never later than now: an answer sent
before the closing time counts even when the bot forwards it a little later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import participation, workflows
from gulou_desk.domain.participation import ReplyProblem, ReplyRef
from gulou_desk.records import format_datetime, new_id
from server.intake_pipeline import IntakeContext, Outcome
from server.schema import RECORD_TABLES
from server.store import RecordWriter, field_values, load

_NAMESPACE = uuid.UUID("9d3c1f0e-7a2b-4c5d-8e6f-1a2b3c4d5e6f")


def participation_replies(ctx: IntakeContext) -> Outcome | None:
    """Take a reply to a published item (see the module's docstring); ``None`` for any
    other message, and for a reply that goes on to the inbox."""
    ref = participation.recognise(ctx.message.text)
    if ref is None or ctx.grid_id is None:
        return None
    t = RECORD_TABLES[ref.entity]
    row = ctx.conn.execute(sa.select(t).where(t.c.code == ref.code)
                           .with_for_update()).mappings().first()
    sender = ctx.message.sender_name
    if row is None or ctx.grid_id not in (row["grid_ids"] or []) or \
            row.get("status") == "draft":
        ctx.reply(participation.not_found_reply(ref, sender))
        return None
    item = dict(row)
    when = min(ctx.message.sent_at, ctx.now)
    if ref.entity == "questionnaire":
        return _questionnaire_reply(ctx, ref, item, when)
    if ref.entity == "consultation":
        return _consultation_reply(ctx, ref, item, when)
    return _sign_up(ctx, ref, item, when)


def _refused(ctx: IntakeContext, ref: ReplyRef, item: Mapping[str, Any]) -> Outcome:
    ctx.reply(participation.closed_reply(ref, ctx.message.sender_name))
    return Outcome("refused", str(item["id"]), ref.entity)


def _format_help(ctx: IntakeContext, ref: ReplyRef, problem: ReplyProblem,
                 example: str) -> None:
    ctx.reply(participation.format_help(ref, ctx.message.sender_name, problem, example))


def _questionnaire_reply(ctx: IntakeContext, ref: ReplyRef, q: Mapping[str, Any],
                         when: dt.datetime) -> Outcome | None:
    if participation.answered_too_late(q, when):
        return _refused(ctx, ref, q)
    questions = list(q["questions"] or [])
    answers = participation.parse_answers(questions, ref.body)
    if isinstance(answers, ReplyProblem):
        _format_help(ctx, ref, answers, participation.reply_example(questions, ref.code))
        return None
    msg = ctx.message
    record_id = participation.response_id(
        str(q["id"]), participation.wechat_respondent(msg.sender_id))
    new = {
        "questionnaire_id": q["id"], "grid_id": ctx.grid_id, "household_id": None,
        "sender_id": msg.sender_id, "sender_name": msg.sender_name or None,
        "answers": answers, "channel": "wechat", "received_at": when,
        "entered_by_id": None, "message_id": msg.external_id[:128], "history": [],
    }
    existing = load(ctx.conn, "questionnaire_response", record_id, for_update=True)
    if existing is not None:
        current = field_values("questionnaire_response", existing)
        if current["received_at"] is not None and current["received_at"] > when:
            # An older reply forwarded late: it joins the history, the current stays.
            older = participation.history_entry(new)
            current["history"] = sorted([*(current["history"] or []), older],
                                        key=participation.history_order)
            new = current
        else:
            new = participation.replaced_response(current, new)
    RecordWriter(ctx.conn).save("questionnaire_response", record_id, new)
    return Outcome("response", record_id, "questionnaire_response")


def _consultation_reply(ctx: IntakeContext, ref: ReplyRef, c: Mapping[str, Any],
                        when: dt.datetime) -> Outcome | None:
    stage = str(c["stage"])
    if not c["published_at"]:
        ctx.reply(participation.not_found_reply(ref, ctx.message.sender_name))
        return None
    if stage not in workflows.CONSULTATION_OPEN_STAGES:
        return _refused(ctx, ref, c)
    options = list(c["options"] or [])
    parsed = participation.parse_consultation_reply(ref.body, stage=stage, options=options)
    if isinstance(parsed, ReplyProblem):
        example = f"{ref.code} A" if stage == "voting" and options else f"{ref.code} 支持"
        _format_help(ctx, ref, parsed, example)
        return None
    msg = ctx.message
    comment_id = str(uuid.uuid5(_NAMESPACE, f"consultation_comment/{msg.source}:"
                                            f"{msg.external_id}"))
    RecordWriter(ctx.conn).save("consultation_comment", comment_id, {
        "consultation_id": c["id"], "grid_id": ctx.grid_id, "author_kind": "resident",
        "sender_id": msg.sender_id, "sender_name": msg.sender_name or None,
        "household_id": None, "staff_id": None, "stance": parsed.stance,
        "choice": parsed.choice, "text": parsed.text or None, "channel": "wechat",
        "stage": stage, "received_at": when, "message_id": msg.external_id[:128],
    })
    return Outcome("comment", comment_id, "consultation_comment")


def _sign_up(ctx: IntakeContext, ref: ReplyRef, a: Mapping[str, Any],
             when: dt.datetime) -> Outcome:
    msg = ctx.message
    starts = a["starts_at"]
    if a["status"] != "published" or (starts is not None and when >= starts):
        return _refused(ctx, ref, a)
    volunteers = RECORD_TABLES["volunteer"]
    writer = RecordWriter(ctx.conn)
    volunteer_id: str | None = ctx.conn.execute(
        sa.select(volunteers.c.id).where(volunteers.c.community_id == a["community_id"],
                                         volunteers.c.sender_id == msg.sender_id)
        .order_by(volunteers.c.id).limit(1)).scalar()
    signups = list(a["signups"] or [])
    if volunteer_id is not None and any(s.get("volunteer_id") == volunteer_id
                                        for s in signups):
        ctx.reply(participation.already_signed_up_reply(a, msg.sender_name))
        return Outcome("signup", str(a["id"]), ref.entity)
    needed = a["needed"]
    if isinstance(needed, int) and len(signups) >= needed:
        ctx.reply(participation.activity_full_reply(a, msg.sender_name))
        return Outcome("refused", str(a["id"]), ref.entity)
    if volunteer_id is None:
        volunteer_id = new_id()
        writer.save("volunteer", volunteer_id, {
            "community_id": a["community_id"], "name": (msg.sender_name or "微信居民")[:64],
            "household_id": None, "phone": None, "skills": [], "availability": None,
            "sender_id": msg.sender_id, "active": True, "joined_at": when})
    values = field_values("volunteer_activity", a)
    values["signups"] = [*signups, {"volunteer_id": volunteer_id,
                                    "at": format_datetime(when),
                                    "channel": "wechat"}]
    writer.save("volunteer_activity", str(a["id"]), values, changed=["signups"])
    ctx.reply(participation.signed_up_reply(a, msg.sender_name))
    return Outcome("signup", str(a["id"]), ref.entity)
