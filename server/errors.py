"""The protocol's error answer: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 details: Mapping[str, Any] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})
        self.headers = dict(headers or {})


def error_response(status: int, code: str, message: str,
                   details: Mapping[str, Any] | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"error": {"code": code, "message": message, "details": dict(details or {})}},
        headers=dict(headers) if headers else None,
    )


def describe_error(exc: BaseException) -> str:
    """An exception's type and the frames it passed through, without its message (which
    may carry names, ID numbers or phones from the data being written)."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                        for f in reversed(frames))
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)  # a database's error code
    code = f" (sqlstate {state})" if state else ""
    return f"{type(exc).__module__}.{type(exc).__qualname__}{code} at {where or '?'}"
