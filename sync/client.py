"""The HTTP client of the sync protocol (blocking; run it off the GUI thread).

One ``requests.Session`` per server, connect/read timeouts on every call, retries with
exponential backoff and full jitter for what is safe to repeat (every pull; every push,
since pushes are idempotent by ``mutation_id``; never a login), and one transparent token
refresh when the server refuses the access token, on any kind of call (GET, HEAD, PUT,
POST); :meth:`ApiClient.use_tokens` takes the tokens of a new sign-in. Failures come out
as the typed errors below, never as raw ``requests`` exceptions.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson
import requests
from pydantic import BaseModel, ValidationError

from sync.wire import (
    API_PREFIX,
    BadPull,
    ErrorResponse,
    Mutation,
    MutationResult,
    PulledPage,
    PushRequest,
    PushResponse,
    TokenPair,
    parse_pull,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0


class SyncError(Exception):
    """Base of every failure the client reports."""

    code = "error"

    def __init__(self, message: str, *, status: int | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details or {}


class OfflineError(SyncError):
    """The server cannot be reached (refused, DNS, timeout, connection dropped)."""

    code = "offline"


class UnauthorizedError(SyncError):
    """Wrong password, or the session cannot be refreshed: the user must log in."""

    code = "unauthorized"


class DeviceRevokedError(UnauthorizedError):
    """An admin or supervisor revoked this device (``401 device_revoked``): push nothing
    more, delete the local data, return to sign-in."""

    code = "device_revoked"


class ForbiddenError(SyncError):
    code = "forbidden"


class RateLimitedError(SyncError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(SyncError):
    """The server failed (5xx)."""

    code = "server_error"


class BadAnswerError(SyncError):
    """The server answered something that is not the protocol (not JSON, wrong shape)."""

    code = "bad_answer"


class RequestRejected(SyncError):
    """A 4xx the caller must handle (validation, not_found, too_large …);
    ``error_code`` is the protocol's code."""

    code = "rejected"

    def __init__(self, message: str, error_code: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.error_code = error_code


class CursorRejected(RequestRejected):
    """422 on the pull cursor: start again from no cursor."""


TokenListener = Callable[[TokenPair], None]


class ApiClient:
    """Talks to one central server. Thread-safe for one caller at a time per method."""

    def __init__(self, base_url: str, *, retries: int = 3, backoff: float = 0.5,
                 connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT,
                 session: requests.Session | None = None,
                 device_id: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.api = self.base_url + API_PREFIX
        self.retries = retries
        self.backoff = backoff
        self.timeout = (connect_timeout, read_timeout)
        self.http = session or requests.Session()
        self.http.headers["User-Agent"] = "gulou-desk/0.1"
        self.access_token: str | None = None
        self.refresh_token: str | None = None
        self.on_tokens: TokenListener | None = None
        """Called with every new token pair (the app stores the refresh token in the
        keyring); runs on the calling thread."""
        self.last_pair: TokenPair | None = None
        self.device_id = device_id
        """This machine's device id (the one given at login): a refresh sends it, so that
        the server can answer a retried refresh whose first answer was lost."""
        self._refresh_lock = threading.Lock()

    # --- auth ---------------------------------------------------------------------------

    def login(self, username: str, password: str, device_id: str,
              device_name: str = "") -> TokenPair:
        body = {"username": username, "password": password, "device_id": device_id,
                "device_name": device_name}
        pair = self._parse(TokenPair, self._send("POST", "/auth/login", json=body,
                                                 retry=False, auth=False))
        self.device_id = device_id
        self._take(pair)
        return pair

    def use_refresh_token(self, refresh_token: str) -> TokenPair:
        """Start a session from a stored refresh token (the app's next start)."""
        self.refresh_token = refresh_token
        return self.refresh()

    def refresh(self) -> TokenPair:
        token = self.refresh_token
        if not token:
            raise UnauthorizedError("no refresh token: log in")
        with self._refresh_lock:
            if token != self.refresh_token and self.last_pair is not None:
                return self.last_pair  # another thread refreshed meanwhile
            body = {"refresh_token": token}
            if self.device_id:
                body["device_id"] = self.device_id
            try:
                # Retried with the same token when the answer does not arrive: the server
                # rotated it already, and answers the same new pair again for a short while
                # to the same device (a lost answer must not sign the user out).
                answer = self._send("POST", "/auth/refresh", json=body, retry=True,
                                    auth=False)
            except RequestRejected as exc:
                raise UnauthorizedError(exc.message, status=exc.status) from exc
            pair = self._parse(TokenPair, answer)
            self._take(pair)
            return pair

    def use_tokens(self, access_token: str | None, refresh_token: str | None) -> None:
        """The tokens of a new sign-in (the user signed in again in the app): every later
        call uses them. The old ones are spent or refused, and a client that kept them
        would ask for a sign-in after every sign-in."""
        with self._refresh_lock:
            self.access_token = access_token
            self.refresh_token = refresh_token
            self.last_pair = None

    def logout(self) -> None:
        try:
            self._send("POST", "/auth/logout", json={}, retry=False)
        finally:
            self.access_token = self.refresh_token = None

    def _take(self, pair: TokenPair) -> None:
        # The listener keeps the new refresh token (the keyring) before anything uses the
        # pair: the old token is spent on the server, and a crash after a request made with
        # the new pair must not leave the old one as the only one kept.
        if self.on_tokens is not None:
            self.on_tokens(pair)
        self.last_pair = pair
        self.access_token = pair.access_token
        self.refresh_token = pair.refresh_token

    # --- sync ---------------------------------------------------------------------------

    def pull(self, cursor: str | None, limit: int = 2000, *,
             client_id: str | None = None) -> PulledPage:
        """A page after ``cursor``. ``client_id`` (the id this store pushes with): the
        server leaves out what that device's own exact edits wrote (``exact`` results),
        which the store holds at those versions already. The answer is checked by hand
        (:func:`sync.wire.parse_pull`); one that is not the protocol's is a
        :class:`BadAnswerError`."""
        return parse_pull_answer(self.pull_answer(cursor, limit, client_id=client_id))

    def pull_answer(self, cursor: str | None, limit: int = 2000, *,
                    client_id: str | None = None) -> bytes:
        """:meth:`pull`'s answer as it came, not parsed yet (:func:`parse_pull_answer`;
        :func:`next_cursor` reads the next page's cursor from its head)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if client_id:
            params["client_id"] = client_id
        try:
            answer: bytes = self._send("GET", "/sync/pull", params=params, raw=True)
        except RequestRejected as exc:
            if exc.status == 422 and exc.details.get("field") == "cursor":
                raise CursorRejected(exc.message, exc.error_code, status=422,
                                     details=exc.details) from exc
            raise
        return answer

    def push(self, client_id: str, mutations: Sequence[Mutation], *,
             retry: bool = True) -> list[MutationResult]:
        """``retry=False``: one attempt (the engine splits a batch that failed already)."""
        request = PushRequest(client_id=client_id, mutations=list(mutations))
        answer = self._send("POST", "/sync/push", retry=retry,
                            data=request.model_dump_json(exclude_none=True).encode(),
                            headers={"Content-Type": "application/json"})
        results = self._parse(PushResponse, answer).results
        if len(results) != len(mutations):
            raise BadAnswerError("the server answered a different number of results")
        return results

    def health(self) -> bool:
        try:
            self._send("GET", "/health", retry=False, auth=False)
        except SyncError:
            return False
        return True

    def put_blob(self, sha256: str, data: bytes, content_type: str) -> None:
        self._send("PUT", f"/blobs/{sha256}", data=data,
                   headers={"Content-Type": content_type})

    def has_blob(self, sha256: str) -> bool:
        try:
            self._send("HEAD", f"/blobs/{sha256}")
        except RequestRejected as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def get_blob(self, sha256: str) -> bytes:
        return self._send("GET", f"/blobs/{sha256}", raw=True)  # type: ignore[no-any-return]

    # --- on demand (never part of a pull) ------------------------------------------------

    def history(self, entity: str, record_id: str) -> list[dict[str, Any]]:
        """A record's audit history, oldest first (``GET /history``; the server logs the
        reading of sensitive fields)."""
        answer = self._send("GET", f"/history/{entity}/{record_id}")
        return list((answer or {}).get("entries") or [])

    def audit(self, **filters: Any) -> list[dict[str, Any]]:
        """The audit log, newest first (``GET /audit``: ``staff_id``, ``entity``,
        ``record_id``, ``since``, ``until`` as ISO times, ``before_id``, ``limit``)."""
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        answer = self._send("GET", "/audit", params=params)
        return list((answer or {}).get("entries") or [])

    def change_password(self, current: str, new: str) -> None:
        """The signed-in user's own password (after a one-time password)."""
        self._send("POST", "/auth/password", retry=False,
                   json={"current_password": current, "new_password": new})

    # --- plumbing -----------------------------------------------------------------------

    def _parse(self, model: type[M], answer: Any) -> M:
        try:
            return model.model_validate(answer)
        except ValidationError as exc:
            raise BadAnswerError(f"the server's answer does not fit the protocol: {exc}"
                                 [:300]) from exc

    def _send(self, method: str, path: str, *, retry: bool = True, auth: bool = True,
              raw: bool = False, **kw: Any) -> Any:
        attempts = (self.retries + 1) if retry else 1
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            headers = dict(kw.pop("headers", None) or {})
            if auth and self.access_token:
                headers["Authorization"] = f"Bearer {self.access_token}"
            try:
                response = self.http.request(method, self.api + path, headers=headers,
                                             timeout=self.timeout, **kw)
            except (requests.ConnectionError, requests.Timeout) as exc:
                kw["headers"] = headers
                if attempt < attempts:
                    self._sleep(attempt)
                    continue
                raise OfflineError(f"the server cannot be reached: {type(exc).__name__}") \
                    from exc
            except requests.RequestException as exc:
                raise OfflineError(f"the request failed: {exc}"[:300]) from exc
            kw["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
            status = response.status_code
            if status < 300:
                if raw or method == "HEAD":
                    return response.content
                return _json_of(response.content, status)
            error = self._error_of(response)
            code = error.code if error else ""
            message = error.message if error else f"HTTP {status}"
            details = error.details if error else {}
            if status == 401 and auth and not refreshed and self.refresh_token and (
                    code in ("token_expired", "invalid_credentials") or error is None):
                # Whatever the call: a HEAD's answer has no body to say why (a photo's
                # HEAD with an expired token), and a server with a new secret calls every
                # token it signed before invalid. A refresh that fails says "sign in".
                refreshed = True
                self.refresh()
                continue
            if status == 401 and code == "device_revoked":
                raise DeviceRevokedError(message, status=status, details=details)
            if status == 401:
                raise UnauthorizedError(message, status=status, details=details)
            if status == 403:
                raise ForbiddenError(message, status=status, details=details)
            if status == 429:
                retry_after = _retry_after(response)
                if retry and attempt < attempts and retry_after is not None and \
                        retry_after <= 30:
                    time.sleep(retry_after)
                    continue
                raise RateLimitedError(message, retry_after, status=status, details=details)
            if status >= 500:
                if attempt < attempts:
                    self._sleep(attempt)
                    continue
                raise ServerError(message, status=status, details=details)
            if error is None and status != 404:
                raise BadAnswerError(f"HTTP {status} without the protocol's error body",
                                     status=status)
            raise RequestRejected(message, code or "not_found", status=status, details=details)

    @staticmethod
    def _error_of(response: requests.Response) -> Any:
        try:
            return ErrorResponse.model_validate(orjson.loads(response.content)).error
        except (orjson.JSONDecodeError, ValidationError):
            return None

    def _sleep(self, attempt: int) -> None:
        # Exponential backoff with full jitter (AWS architecture blog's advice).
        time.sleep(random.uniform(0, self.backoff * (2 ** (attempt - 1))))


def parse_pull_answer(answer: bytes) -> PulledPage:
    """A pull's answer (:meth:`ApiClient.pull_answer`) as a page; one that is not JSON or
    not the protocol's is a :class:`BadAnswerError`. A long answer is parsed in pieces
    (:func:`_parse_in_pieces`)."""
    parsed = _parse_in_pieces(answer) if len(answer) > PIECE_BYTES else None
    if parsed is None:
        parsed = _json_of(answer, 200)
    try:
        return parse_pull(parsed)
    except BadPull as exc:
        raise BadAnswerError(f"the server's answer does not fit the protocol: {exc}"
                             [:300]) from exc


PIECE_BYTES = 256 * 1024
"""A pull's answer longer than this is parsed in pieces of about this size. ``orjson.loads``
holds the GIL from the first byte to the last: a supervisor's first sync has a page of
16 MB (75 performance records of 200-360 KB each among its 2,000 changes), whose one
parse took 60-70 ms of CPU, all of it with every other thread of the app waiting (the
GUI's heartbeat missed 90-240 ms there on a loaded machine, ``bench/ui_stall.py``). In
pieces the same page takes as long, no piece over a millisecond, and between two pieces
a thread that asked for the GIL gets it."""
_CHANGES_HEAD = b',"changes":['
_CHANGE_AFTER_COMMA = b',{"entity":"'
_ANSWER_END = b"]}"


def _parse_in_pieces(answer: bytes) -> dict[str, Any] | None:
    """A pull's answer parsed as the head (``{"cursor":…,"estimate":…}``) and its changes
    in pieces of about :data:`PIECE_BYTES`, cut before a change as the server writes one
    (``,{"entity":"``); ``None`` when the answer is not written that way or a piece is not
    JSON (the caller parses it whole, and refuses it if it is not JSON).

    A cut is never inside a string (there, every ``"`` is escaped). A cut before a nested
    object that also begins with an ``entity`` key leaves an unclosed bracket in the piece
    before it, which is then not JSON: the answer is parsed whole. So the pieces are
    parsed only when they are the answer's own changes, and give what parsing it whole
    gives."""
    head_end = answer.find(_CHANGES_HEAD)
    if head_end < 0 or not answer.endswith(_ANSWER_END):
        return None
    try:
        parsed = orjson.loads(answer[:head_end] + b"}")
        if type(parsed) is not dict or not parsed or "changes" in parsed:
            return None
        changes: list[Any] = []
        start, end = head_end + len(_CHANGES_HEAD), len(answer) - len(_ANSWER_END)
        while start < end:
            cut = answer.find(_CHANGE_AFTER_COMMA, start + PIECE_BYTES, end)
            if cut < 0:
                cut = end
            changes.extend(orjson.loads(b"[" + answer[start:cut] + b"]"))
            start = cut + 1
    except orjson.JSONDecodeError:
        return None
    parsed["changes"] = changes
    return parsed


def _json_of(content: bytes, status: int) -> Any:
    """A successful answer's body parsed (``None`` when empty); not JSON: a
    :class:`BadAnswerError`."""
    try:
        return orjson.loads(content) if content else None
    except orjson.JSONDecodeError as exc:
        raise BadAnswerError("the server's answer is not JSON", status=status) from exc


_CURSOR_HEAD = b'{"cursor":"'
_MORE_AFTER_CURSOR = b'","has_more":true,'


def next_cursor(answer: bytes) -> str | None:
    """The cursor of the page after this one, read from the head of a pull's answer as
    the server writes it (``{"cursor":"…","has_more":true,…``) before the answer is
    parsed; ``None`` when the head is not that (no more pages, or written otherwise:
    the parsed page says). A cursor is base64url text and a dot: no escapes."""
    if not answer.startswith(_CURSOR_HEAD):
        return None
    end = answer.find(b'"', len(_CURSOR_HEAD))
    if end < 0 or not answer.startswith(_MORE_AFTER_CURSOR, end):
        return None
    cursor = answer[len(_CURSOR_HEAD):end]
    if not cursor or b"\\" in cursor or not cursor.isascii():
        return None
    return cursor.decode("ascii")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
