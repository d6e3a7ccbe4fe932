"""``/bot``: what the 鼓宝 bot asks the server beyond the intake, signed as the intake is
(:mod:`server.bot_signature`).

``POST /bot/ask``: the answer to a resident's question, or none (:mod:`server.bot_ask`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from server import bot_ask
from server.routes.deps import EngineDep, SettingsDep
from server.routes.intake import _authentic, _clock, parse_body
from sync.wire import BotQuestion

router = APIRouter(prefix="/bot", tags=["bot"])


@router.post("/ask")
async def ask(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    body = await _authentic(request, engine, settings)
    q = parse_body(BotQuestion, body, "question")
    return await run_in_threadpool(bot_ask.ask, engine, bot_ask.Question(
        group_id=q.group_id, sender_id=q.sender_id, sender_name=q.sender_name, text=q.text,
        message_id=q.message_id), _clock(request)())
