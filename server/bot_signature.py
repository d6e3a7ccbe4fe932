"""The signature of the bot's requests (``/intake/wechat…``, and any endpoint the 鼓宝 bot
calls), shared by the server, the bot simulator and tests.

A request carries ``X-Gulou-Timestamp`` (unix seconds) and ``X-Gulou-Signature:
sha256=<hex HMAC-SHA256(secret, timestamp + "." + METHOD + " " + target + "." + body)>``,
where ``target`` is the request's path as sent, with its query string when it has one
(``/api/v1/intake/wechat/outbound?nonce=…``). Binding the method and the path means a
signature made for one request cannot be replayed on another endpoint with the same body
(an empty-bodied ``GET`` of the outbound queue and an ``ack`` used to share one).

The server checks, in this order and before it reads the body: the headers are there, the
signature is ASCII and well formed (``422`` naming the header otherwise), the timestamp is
within ±300 s (``401``); then, with the body, the signature itself (``401``), and last
that it was not seen before within its window (a replay: ``401``). Signatures are
remembered in the database (``seen_signatures``), so every server process refuses a
replay. Two identical requests in the same second have the same signature: a bot that
repeats a request (polling the outbound queue) adds a nonce to its query string.

The older form, ``HMAC(secret, timestamp + "." + body)``, is accepted only when the server
is started with ``GULOU_WECHAT_LEGACY_SIGNATURES=1`` (for a bot not yet updated), still
within the window and still once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time

import sqlalchemy as sa
from fastapi import Request

from gulou_desk.records import now
from server.database import writer
from server.errors import ApiError
from server.schema import seen_signatures

MAX_SKEW_SECONDS = 300
TIMESTAMP_HEADER = "X-Gulou-Timestamp"
SIGNATURE_HEADER = "X-Gulou-Signature"
_WELL_FORMED = re.compile(r"sha256=[0-9a-f]{64}")


def sign(secret: str, timestamp: str, method: str, target: str, body: bytes) -> str:
    """``sha256=<hex>`` of the request (see the module's text)."""
    message = b"%s.%s %s.%s" % (timestamp.encode(), method.upper().encode(),
                                target.encode(), body)
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def legacy_sign(secret: str, timestamp: str, body: bytes) -> str:
    """The older form, over the timestamp and the body only."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def with_nonce(target: str) -> str:
    """``target`` with a random ``nonce`` query parameter: a request repeated within one
    second (a poll) then has a signature of its own."""
    return f"{target}{'&' if '?' in target else '?'}nonce={secrets.token_hex(8)}"


def signed_headers(secret: str, method: str, target: str, body: bytes = b"",
                   timestamp: int | None = None) -> dict[str, str]:
    """The two headers of a signed request (the bot's side)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: sign(secret, stamp, method, target, body)}


def request_target(request: Request) -> str:
    """The path as the client sent it, with its query string when there is one."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    target = raw.decode("latin-1")
    query = request.scope.get("query_string") or b""
    return f"{target}?{query.decode('latin-1')}" if query else target


def precheck(request: Request) -> tuple[str, str]:
    """The timestamp and signature headers, checked before the body is read:
    present, ASCII and well formed, the timestamp within ±300 s."""
    stamp = request.headers.get(TIMESTAMP_HEADER, "")
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not given:
        raise ApiError(401, "invalid_credentials", f"the request has no {SIGNATURE_HEADER}")
    if not given.isascii():
        raise ApiError(422, "validation", f"{SIGNATURE_HEADER} must be ASCII",
                       {"field": SIGNATURE_HEADER, "problem": "not_ascii"})
    if not _WELL_FORMED.fullmatch(given):
        raise ApiError(401, "invalid_credentials", "bad signature")
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        raise ApiError(401, "invalid_credentials", f"missing or bad {TIMESTAMP_HEADER}")
    if abs(time.time() - int(stamp)) > MAX_SKEW_SECONDS:
        raise ApiError(401, "invalid_credentials", "the request is too old or from the future "
                       "(replay?)")
    return stamp, given


def verify(request: Request, secret: str, body: bytes, stamp: str, given: str, *,
           legacy: bool = False) -> None:
    """The signature over the request (and, with ``legacy``, the older form)."""
    expected = sign(secret, stamp, request.method, request_target(request), body)
    if hmac.compare_digest(expected, given):
        return
    if legacy and hmac.compare_digest(legacy_sign(secret, stamp, body), given):
        return
    raise ApiError(401, "invalid_credentials", "bad signature")


def remember(engine: sa.Engine, given: str, stamp: str) -> None:
    """Refuse a signature seen before within its window (``401``), else remember it until
    the window is over. Old entries are cleared on the way."""
    at = now()
    expires = dt.datetime.fromtimestamp(int(stamp) + MAX_SKEW_SECONDS, dt.UTC)
    try:
        with writer(engine).begin() as conn:
            conn.execute(sa.delete(seen_signatures).where(seen_signatures.c.expires_at < at))
            conn.execute(sa.insert(seen_signatures).values(
                signature=given.removeprefix("sha256="), expires_at=max(expires, at)))
    except sa.exc.IntegrityError:
        raise ApiError(401, "invalid_credentials",
                       "this request was sent before (replay)") from None
