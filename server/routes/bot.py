"""``/bot``: what the 鼓宝 bot asks the server beyond the intake, signed as the intake is
(:mod:`server.bot_signature`).

``POST /bot/ask``: the answer to a resident's question, or none (:mod:`server.bot_ask`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from server import bot_ask
from server.errors import ApiError
from server.routes.deps import EngineDep, SettingsDep
from server.routes.intake import _authentic, _clock
from sync.wire import BotQuestion

router = APIRouter(prefix="/bot", tags=["bot"])


def _parse(body: bytes) -> BotQuestion:
    try:
        return BotQuestion.model_validate(json.loads(body))
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, nested too deep
        if not isinstance(exc, ValidationError):
            raise ApiError(422, "validation", "the request body is not valid JSON",
                           {"field": "", "problem": "json"}) from exc
        errors = exc.errors()
        field = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        message = errors[0]["msg"] if errors else str(exc)
        raise ApiError(422, "validation", f"bad question: {message}"[:300],
                       {"field": field}) from exc


@router.post("/ask")
async def ask(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    body = await _authentic(request, engine, settings)
    q = _parse(body)
    return await run_in_threadpool(bot_ask.ask, engine, bot_ask.Question(
        group_id=q.group_id, sender_id=q.sender_id, sender_name=q.sender_name, text=q.text,
        message_id=q.message_id), _clock(request)())
