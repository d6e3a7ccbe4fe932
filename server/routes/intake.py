"""Intake adapters and the bot's outbound queue.

``/intake/wechat``: requests that the 鼓宝 bot forwards from neighbourhood groups; what
becomes of each (an inbox message, a reply to a questionnaire …) is decided by the intake
pipeline (:mod:`server.intake_pipeline`). Signed with the shared secret over the
timestamp, the method, the path and the body, once only (:mod:`server.bot_signature`).
Idempotent on ``message_id``.

``/intake/wecom``: the WeCom (企业微信) callback (see :mod:`server.intake_wecom`): URL
verification on GET, encrypted messages on POST, idempotent on ``MsgId``. Text messages
become inbox messages with source ``wecom``; their ``ChatId`` is the group id that the
group → grid registry (``grid.wechat_group_id``) routes, as for WeChat.

``/intake/wechat/joined``: the bot reports a newcomer to a group, who is welcomed with
the group's welcome message (:mod:`server.welcome`), once per event and per member.

``/intake/wechat/outbound``: replies for the bot to post (split and rate limited by
:mod:`server.outbound`), each acknowledged once posted.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from gulou_desk.records import (
    EXTERNAL_ID_LENGTH,
    INBOX_MESSAGE,
    WireError,
    is_uuid,
    now,
    text_limit,
    text_problem,
    value_from_wire,
)
from server import bot_signature
from server import outbound as outbound_queue
from server.errors import ApiError
from server.intake_pipeline import Inbound, inbox_id, store_inbound
from server.intake_wecom import WecomCrypto, WecomError, parse_message, parse_xml
from server.routes.deps import EngineDep, SettingsDep
from server.settings import Settings
from server.welcome import Joined, member_joined
from sync.wire import MAX_INTAKE_TEXT, MemberJoined, OutboundMessage, WechatMessage

router = APIRouter(prefix="/intake", tags=["intake"])

MAX_TEXT_CHARS = MAX_INTAKE_TEXT

__all__ = ["Inbound", "inbox_id", "router", "store_inbound"]


async def _authentic(request: Request, engine: sa.Engine, settings: Settings) -> bytes:
    """The body of a request signed by the bot (:mod:`server.bot_signature`): headers
    checked before the body is read, then the signature, then that it is no replay."""
    stamp, given = bot_signature.precheck(request)
    body = await request.body()
    bot_signature.verify(request, settings.wechat_secret, body, stamp, given,
                         legacy=settings.wechat_legacy_signatures)
    await run_in_threadpool(bot_signature.remember, engine, given, stamp)
    return body


M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], body: bytes, what: str) -> M:
    """A signed request's JSON body as ``model``, or ``422`` naming the field."""
    try:
        # Python's parser, then the model: a lone surrogate ("\ud800") is then refused
        # naming its field, not as unreadable JSON.
        return model.model_validate(json.loads(body))
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, nested too deep
        if not isinstance(exc, ValidationError):
            raise ApiError(422, "validation", "the request body is not valid JSON",
                           {"field": "", "problem": "json"}) from exc
        errors = exc.errors()
        field = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        message = errors[0]["msg"] if errors else str(exc)
        raise ApiError(422, "validation", f"bad {what}: {message}"[:300],
                       {"field": field}) from exc


# --- WeChat (the 鼓宝 bot) --------------------------------------------------------------


@router.post("/wechat")
async def wechat(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    body = await _authentic(request, engine, settings)
    msg = parse_body(WechatMessage, body, "message")
    try:
        sent_at = value_from_wire(INBOX_MESSAGE.field("sent_at"), msg.sent_at)
    except WireError as exc:
        raise ApiError(422, "validation", str(exc), {"field": exc.field,
                                                     "problem": exc.code}) from exc
    message_id, status = await run_in_threadpool(store_inbound, engine, Inbound(
        source="wechat", external_id=msg.message_id, group_id=msg.group_id,
        group_name=msg.group_name, sender_id=msg.sender_id, sender_name=msg.sender_name,
        text=msg.text, keyword=msg.keyword, sent_at=sent_at))
    return {"id": message_id, "status": status}


@router.post("/wechat/joined")
async def joined(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """Someone joined a group: their welcome is queued to it (:mod:`server.welcome`)."""
    body = await _authentic(request, engine, settings)
    event = parse_body(MemberJoined, body, "event")
    return await run_in_threadpool(member_joined, engine, Joined(
        event_id=event.event_id, group_id=event.group_id, member_id=event.member_id,
        member_name=event.member_name), _clock(request)())


def _clock(request: Request) -> Callable[[], dt.datetime]:
    """The time source of the outbound queue: ``app.state.clock`` when set (tests set
    one to step through the rate limit's minute), else the wall clock."""
    clock: Callable[[], dt.datetime] = getattr(request.app.state, "clock", now)
    return clock


@router.get("/wechat/outbound")
async def outbound(request: Request, engine: EngineDep,
                   settings: SettingsDep) -> dict[str, list[OutboundMessage]]:
    """Replies to post now: at most 20 per group in any 60 s, in order within a group.

    A message handed out is not handed out again for 60 s; one not acknowledged by then
    is handed out again (and counts again).
    """
    await _authentic(request, engine, settings)
    rows = await run_in_threadpool(outbound_queue.hand_out, engine, _clock(request)())
    return {"messages": [
        OutboundMessage(id=r["id"], group_id=r["group_id"], text=r["text"],
                        created_at=r["created_at"].isoformat()) for r in rows]}


@router.post("/wechat/outbound/{message_id}/ack")
async def ack(message_id: str, request: Request, engine: EngineDep,
              settings: SettingsDep) -> dict[str, bool]:
    await _authentic(request, engine, settings)
    done = is_uuid(message_id) and await run_in_threadpool(
        outbound_queue.ack, engine, message_id, _clock(request)())
    if not done:
        raise ApiError(404, "not_found", "no such outbound message")
    return {"ok": True}


# --- WeCom (企业微信) callback ------------------------------------------------------------


def _inbox_limit(name: str) -> int:
    return text_limit(INBOX_MESSAGE.field(name)) or MAX_TEXT_CHARS


def _wecom(settings: Settings) -> WecomCrypto:
    if not (settings.wecom_token and settings.wecom_aes_key and settings.wecom_corp_id):
        raise ApiError(404, "not_found", "the WeCom callback is not configured on this server "
                       "(GULOU_WECOM_TOKEN, GULOU_WECOM_AES_KEY, GULOU_WECOM_CORP_ID)")
    try:
        return WecomCrypto(settings.wecom_token, settings.wecom_aes_key,
                           settings.wecom_corp_id)
    except ValueError as exc:  # settings made without from_env's check
        raise ApiError(500, "server_error", f"GULOU_WECOM_AES_KEY: {exc}") from None


def _wecom_error(exc: WecomError) -> ApiError:
    code = "invalid_credentials" if exc.status == 401 else "validation"
    return ApiError(exc.status, code, exc.message, {"field": exc.field, "problem": exc.problem})


def _wecom_precheck(msg_signature: str, timestamp: str, nonce: str) -> None:
    """WeCom's query, checked before anything is decrypted (or a body read): all three
    parts there, the signature ASCII (``422``), the timestamp within ±300 s (``401``:
    a callback replayed later is refused)."""
    if not (msg_signature and timestamp and nonce):
        raise ApiError(401, "invalid_credentials",
                       "msg_signature, timestamp and nonce are required")
    if not msg_signature.isascii():
        raise ApiError(422, "validation", "msg_signature must be ASCII",
                       {"field": "msg_signature", "problem": "not_ascii"})
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or \
            abs(time.time() - int(timestamp)) > bot_signature.MAX_SKEW_SECONDS:
        raise ApiError(401, "invalid_credentials",
                       "the timestamp is missing or more than 300 s off (replay?)",
                       {"field": "timestamp"})


@router.get("/wecom", response_class=PlainTextResponse)
def wecom_verify(settings: SettingsDep, msg_signature: str = "", timestamp: str = "",
                 nonce: str = "", echostr: str = "") -> PlainTextResponse:
    """URL verification: answer the decrypted ``echostr``."""
    crypto = _wecom(settings)
    _wecom_precheck(msg_signature, timestamp, nonce)
    # Base64 has no spaces: a space is a "+" that reached us unescaped in the query.
    echostr = echostr.replace(" ", "+")
    try:
        crypto.verify(msg_signature, timestamp, nonce, echostr)
        plain = crypto.decrypt(echostr)
        text = plain.decode()
    except WecomError as exc:
        raise _wecom_error(exc) from None
    except UnicodeDecodeError:
        raise ApiError(422, "validation", "the echo string is not UTF-8",
                       {"field": "echostr", "problem": "encoding"}) from None
    return PlainTextResponse(text)


@router.post("/wecom", response_class=PlainTextResponse)
async def wecom_message(request: Request, engine: EngineDep, settings: SettingsDep,
                        msg_signature: str = "", timestamp: str = "",
                        nonce: str = "") -> PlainTextResponse:
    """An encrypted message. Answers ``success`` (what WeCom expects), with the inbox
    message id and the outcome in ``X-Gulou-Inbox-Id`` / ``X-Gulou-Intake-Status``
    (``routed``, ``unrouted``, ``duplicate``, or ``ignored`` for other than text)."""
    crypto = _wecom(settings)
    _wecom_precheck(msg_signature, timestamp, nonce)
    body = await request.body()
    try:
        encrypted = parse_xml(body).get("Encrypt", "").strip()
        if not encrypted:
            raise WecomError(422, "field", "the body has no Encrypt element", "Encrypt")
        crypto.verify(msg_signature, timestamp, nonce, encrypted)
        message = parse_message(crypto.decrypt(encrypted))
    except WecomError as exc:
        raise _wecom_error(exc) from None
    if message.msg_type != "text":
        return PlainTextResponse("success", headers={"X-Gulou-Intake-Status": "ignored"})
    for name, value, limit in (
            ("FromUserName", message.from_user, _inbox_limit("sender_id")),
            ("ChatId", message.chat_id, _inbox_limit("group_id")),
            ("Content", message.content, MAX_TEXT_CHARS),
            ("MsgId", message.msg_id, EXTERNAL_ID_LENGTH)):
        if len(value) > limit:
            raise ApiError(422, "validation", f"{name} is longer than {limit} characters",
                           {"field": name, "problem": "too_long"})
        bad = text_problem(value)
        if bad is not None:
            raise ApiError(422, "validation", f"{name} {bad[1]}",
                           {"field": name, "problem": bad[0]})
    message_id, status = await run_in_threadpool(store_inbound, engine, Inbound(
        source="wecom", external_id=message.msg_id, group_id=message.chat_id or None,
        sender_id=message.from_user, text=message.content, sent_at=message.created_at))
    return PlainTextResponse("success", headers={"X-Gulou-Inbox-Id": message_id,
                                                 "X-Gulou-Intake-Status": status})
