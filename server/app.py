"""The FastAPI application of the central server."""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.auth import AuthError
from server.database import make_engine, migrate
from server.errors import ApiError, describe_error, error_response
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
    from server.routes import blobs, bot, history, intake, meta, sync

    for module in (auth_routes, sync, blobs, intake, bot, meta, history):
        app.include_router(module.router, prefix="/api/v1")

    app.add_middleware(Guard, limit=settings.max_body_bytes)

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(_request: Request, exc: BodyTooLarge) -> JSONResponse:
        return _too_large(exc.limit)

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
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s: %s", request.method, request.url.path,
                  describe_error(exc))
        return error_response(500, "server_error", "the server failed; it is logged")

    return app


def _too_large(limit: int) -> JSONResponse:
    return error_response(413, "too_large", f"the request body is over {limit} bytes",
                          {"limit": limit}, {"Connection": "close"})


class BodyTooLarge(Exception):
    """Raised by :class:`Guard` into the handler that reads past the body limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over {limit} bytes")
        self.limit = limit


class Guard:
    """The outermost layer of every request: the body limit, the request log line, and
    the last word on an error.

    The body is counted as it streams in, so the limit holds for a chunked body (no
    ``Content-Length``) as for a declared one, and before any handler or authentication
    runs on it: a declared length over the limit is answered ``413`` at once, unread; a
    stream that goes over it stops there (the handler reading it gets
    :class:`BodyTooLarge`), and whatever the handler would have answered, the client gets
    ``413``. The log line names the method, the path, the status, the user's staff id and
    the time taken: never a name, a query string or a body.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        limit = self.limit
        status = 500
        started = over = logged = False
        received = 0

        async def counted() -> Message:
            nonlocal over, received
            if over:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge(limit)
            return message

        async def answer(message: Message) -> None:
            nonlocal started, status, logged
            if over and not started:
                return  # replaced by the 413 below
            if message["type"] == "http.response.start":
                started, status = True, int(message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                logged = True  # logged before the client has the answer, not after
                _log_request(scope, status, start)
            await send(message)

        declared = _content_length(scope)
        try:
            if declared is not None and (declared < 0 or declared > limit):
                over = True
            else:
                await self.app(scope, counted, answer)
        except Exception as exc:
            if not over:
                log.error("unhandled error on %s %s: %s", scope.get("method"),
                          scope.get("path"), describe_error(exc))
                if started:
                    raise
                response = error_response(500, "server_error",
                                          "the server failed; it is logged")
                await response(scope, receive, answer)
        if over and not started:
            started, status = True, 413
            _log_request(scope, status, start)
            await _too_large(limit)(scope, receive, send)
        elif not logged:
            _log_request(scope, status, start)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


def _log_request(scope: Scope, status: int, start: float) -> None:
    user: Any = scope.get("state", {}).get("user")
    log.info(
        "%s %s %d user=%s %.1fms", scope.get("method"), scope.get("path"), status,
        user.id if user is not None else "-", (time.perf_counter() - start) * 1000,
    )
