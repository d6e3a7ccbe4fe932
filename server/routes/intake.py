"""Intake adapters and the bot's outbound queue.

``/intake/wechat``: requests that the 鼓宝 bot forwards from neighbourhood groups; what
becomes of each (an inbox message, a reply to a questionnaire …) is decided by the intake
pipeline (:mod:`server.intake_pipeline`).
Signed with the shared secret: ``X-Gulou-Timestamp`` (unix seconds) and
``X-Gulou-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>``;
older than 300 s or a bad signature → 401. Idempotent on ``message_id``.

``/intake/wecom``: the WeCom (企业微信) callback (see :mod:`server.intake_wecom`): URL
verification on GET, encrypted messages on POST, idempotent on ``MsgId``. Text messages
become inbox messages with source ``wecom``; their ``ChatId`` is the group id that the
group → grid registry (``grid.wechat_group_id``) routes, as for WeChat.

``/intake/wechat/outbound``: replies for the bot to post (split and rate limited by
:mod:`server.outbound`), each acknowledged once posted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from gulou_desk.records import WireError, now, parse_datetime
from server import outbound as outbound_queue
from server.errors import ApiError
from server.intake_pipeline import Inbound, inbox_id, store_inbound
from server.intake_wecom import WecomCrypto, WecomError, parse_message, parse_xml
from server.routes.deps import EngineDep, SettingsDep
from server.settings import Settings
from sync.wire import OutboundMessage, WechatMessage

router = APIRouter(prefix="/intake", tags=["intake"])

MAX_SKEW_SECONDS = 300
MAX_TEXT_CHARS = 4000

__all__ = ["Inbound", "inbox_id", "router", "sign", "store_inbound"]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _verify(request: Request, secret: str, body: bytes) -> None:
    stamp = request.headers.get("x-gulou-timestamp", "")
    given = request.headers.get("x-gulou-signature", "")
    try:
        age = abs(time.time() - int(stamp))
    except ValueError:
        raise ApiError(401, "invalid_credentials", "missing or bad X-Gulou-Timestamp") from None
    if age > MAX_SKEW_SECONDS:
        raise ApiError(401, "invalid_credentials", "the request is too old (replay?)")
    if not hmac.compare_digest(sign(secret, stamp, body), given):
        raise ApiError(401, "invalid_credentials", "bad signature")


# --- WeChat (the 鼓宝 bot) --------------------------------------------------------------


@router.post("/wechat")
async def wechat(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    body = await request.body()
    _verify(request, settings.wechat_secret, body)
    try:
        msg = WechatMessage.model_validate_json(body)
        sent_at = parse_datetime(msg.sent_at)
    except (ValidationError, ValueError, WireError) as exc:
        raise ApiError(422, "validation", f"bad message: {exc}"[:300]) from exc
    message_id, status = await run_in_threadpool(store_inbound, engine, Inbound(
        source="wechat", external_id=msg.message_id, group_id=msg.group_id,
        group_name=msg.group_name, sender_id=msg.sender_id, sender_name=msg.sender_name,
        text=msg.text, keyword=msg.keyword, sent_at=sent_at))
    return {"id": message_id, "status": status}


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
    _verify(request, settings.wechat_secret, await request.body())
    rows = await run_in_threadpool(outbound_queue.hand_out, engine, _clock(request)())
    return {"messages": [
        OutboundMessage(id=r["id"], group_id=r["group_id"], text=r["text"],
                        created_at=r["created_at"].isoformat()) for r in rows]}


@router.post("/wechat/outbound/{message_id}/ack")
async def ack(message_id: str, request: Request, engine: EngineDep,
              settings: SettingsDep) -> dict[str, bool]:
    _verify(request, settings.wechat_secret, await request.body())
    done = await run_in_threadpool(outbound_queue.ack, engine, message_id, _clock(request)())
    if not done:
        raise ApiError(404, "not_found", "no such outbound message")
    return {"ok": True}


# --- WeCom (企业微信) callback ------------------------------------------------------------


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


@router.get("/wecom", response_class=PlainTextResponse)
def wecom_verify(settings: SettingsDep, msg_signature: str = "", timestamp: str = "",
                 nonce: str = "", echostr: str = "") -> PlainTextResponse:
    """URL verification: answer the decrypted ``echostr``."""
    crypto = _wecom(settings)
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
    for name, value, limit in (("FromUserName", message.from_user, 64),
                               ("ChatId", message.chat_id, 64),
                               ("Content", message.content, MAX_TEXT_CHARS),
                               ("MsgId", message.msg_id, 128)):
        if len(value) > limit:
            raise ApiError(422, "validation", f"{name} is longer than {limit} characters",
                           {"field": name, "problem": "too_long"})
    message_id, status = await run_in_threadpool(store_inbound, engine, Inbound(
        source="wecom", external_id=message.msg_id, group_id=message.chat_id or None,
        sender_id=message.from_user, text=message.content, sent_at=message.created_at))
    return PlainTextResponse("success", headers={"X-Gulou-Inbox-Id": message_id,
                                                 "X-Gulou-Intake-Status": status})
