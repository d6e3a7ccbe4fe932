"""The FastAPI application of the central server."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.auth import AuthError
from server.database import make_engine, migrate
from server.errors import ApiError, error_response
from server.settings import Settings

log = logging.getLogger("gulou.server")

_STATUS_CODES = {
    400: "validation", 401: "invalid_credentials", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 413: "too_large", 422: "validation", 429: "rate_limited",
}


DB_RETRY_AFTER_SECONDS = 5


def create_app(settings: Settings, engine: sa.Engine | None = None) -> FastAPI:
    if engine is None:
        engine = make_engine(settings.db_url)
        migrate(engine)
    app = FastAPI(
        title="Gulou Desk central server",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine

    from server.routes import auth as auth_routes
    from server.routes import blobs, intake, meta, sync

    for module in (auth_routes, sync, blobs, intake, meta):
        app.include_router(module.router, prefix="/api/v1")

    @app.middleware("http")
    async def log_and_limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        length = request.headers.get("content-length")
        limit = settings.max_body_bytes
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                too_big = True
            if too_big:
                response: Response = error_response(
                    413, "too_large", f"the request body is over {limit} bytes")
                _log_request(request, response.status_code, start)
                return response
        try:
            response = await call_next(request)
        except Exception:  # the handler below answers; this keeps the log line
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            response = error_response(500, "server_error", "the server failed; it is logged")
        _log_request(request, response.status_code, start)
        return response

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(AuthError)
    async def auth_error(_request: Request, exc: AuthError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        if exc.status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        return error_response(exc.status, exc.code, exc.message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        message = str(first.get("msg", "invalid request"))
        if first.get("type") == "json_invalid":
            message = "the request body is not valid JSON"
        return error_response(422, "validation", message, {
            "field": ".".join(loc),
            "errors": [
                {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")}
                for e in errors[:20]
            ],
        })

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = 422 if exc.status_code == 400 else exc.status_code  # unreadable body
        code = _STATUS_CODES.get(status, "server_error")
        return error_response(status, code, str(exc.detail))

    @app.exception_handler(sa.exc.OperationalError)
    @app.exception_handler(sa.exc.InterfaceError)
    @app.exception_handler(sa.exc.TimeoutError)
    async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The database is restarting, unreachable, or every connection is busy: the
        # client retries after a while (its pushes are idempotent), never a 500.
        # Connections broken by a restart are discarded by the pool and re-opened.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    type(getattr(exc, "orig", None) or exc).__name__)
        return error_response(503, "unavailable",
                              "the database is not available; try again shortly",
                              headers={"Retry-After": str(DB_RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    async def server_error(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %r", exc)
        return error_response(500, "server_error", "the server failed; it is logged")

    return app


def _log_request(request: Request, status: int, start: float) -> None:
    user: Any = getattr(request.state, "user", None)
    log.info(
        "%s %s %d user=%s %.1fms", request.method, request.url.path, status,
        user.username if user is not None else "-", (time.perf_counter() - start) * 1000,
    )
