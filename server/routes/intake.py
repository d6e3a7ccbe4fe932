"""``/intake/wechat``: requests that the 鼓宝 bot forwards from neighbourhood groups.

Signed with the shared secret: ``X-Gulou-Timestamp`` (unix seconds) and
``X-Gulou-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>``;
older than 300 s or a bad signature → 401. Idempotent on ``message_id``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

import sqlalchemy as sa
from fastapi import APIRouter, Request
from pydantic import ValidationError

from gulou_desk.records import WireError, now, parse_datetime
from server.database import writer
from server.errors import ApiError
from server.routes.deps import EngineDep, SettingsDep
from server.schema import RECORD_TABLES, intake_messages, outbound_messages
from server.store import RecordWriter
from sync.wire import OutboundMessage, WechatMessage

router = APIRouter(prefix="/intake", tags=["intake"])

MAX_SKEW_SECONDS = 300
_NAMESPACE = uuid.UUID("6f1d1c3e-3b1a-4d8e-9a55-2f4c0d7e9b10")


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


@router.post("/wechat")
async def wechat(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    body = await request.body()
    _verify(request, settings.wechat_secret, body)
    try:
        msg = WechatMessage.model_validate_json(body)
        sent_at = parse_datetime(msg.sent_at)
    except (ValidationError, ValueError, WireError) as exc:
        raise ApiError(422, "validation", f"bad message: {exc}"[:300]) from exc
    message_id = str(uuid.uuid5(_NAMESPACE, "wechat:" + msg.message_id))
    grids = RECORD_TABLES["grid"]
    with writer(engine).begin() as conn:
        seen = conn.execute(sa.select(intake_messages.c.inbox_message_id).where(
            intake_messages.c.source == "wechat",
            intake_messages.c.external_id == msg.message_id)).scalar()
        if seen:
            return {"id": seen, "status": "duplicate"}
        grid_id = conn.execute(sa.select(grids.c.id).where(
            grids.c.wechat_group_id == msg.group_id)).scalar()
        RecordWriter(conn).save("inbox_message", message_id, {
            "source": "wechat", "group_id": msg.group_id, "group_name": msg.group_name,
            "grid_id": grid_id, "sender_id": msg.sender_id, "sender_name": msg.sender_name,
            "text": msg.text, "keyword": msg.keyword, "sent_at": sent_at, "status": "new",
        })
        conn.execute(sa.insert(intake_messages).values(
            source="wechat", external_id=msg.message_id, inbox_message_id=message_id,
            received_at=now()))
    return {"id": message_id, "status": "routed" if grid_id else "unrouted"}


@router.get("/wechat/outbound")
async def outbound(request: Request, engine: EngineDep,
                   settings: SettingsDep) -> dict[str, list[OutboundMessage]]:
    _verify(request, settings.wechat_secret, await request.body())
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(outbound_messages).where(outbound_messages.c.acked_at.is_(None))
            .order_by(outbound_messages.c.created_at).limit(100)
        ).mappings().all()
    return {"messages": [
        OutboundMessage(id=r["id"], group_id=r["group_id"], text=r["text"],
                        created_at=r["created_at"].isoformat()) for r in rows]}


@router.post("/wechat/outbound/{message_id}/ack")
async def ack(message_id: str, request: Request, engine: EngineDep,
              settings: SettingsDep) -> dict[str, bool]:
    _verify(request, settings.wechat_secret, await request.body())
    with writer(engine).begin() as conn:
        done = conn.execute(sa.update(outbound_messages)
                            .where(outbound_messages.c.id == message_id)
                            .values(acked_at=now())).rowcount
    if not done:
        raise ApiError(404, "not_found", "no such outbound message")
    return {"ok": True}
