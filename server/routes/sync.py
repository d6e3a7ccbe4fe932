"""``/sync``: pull and push (docs/sync-protocol.md)."""

from __future__ import annotations

import hashlib
import hmac
import threading
import weakref
from collections import OrderedDict
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query
from fastapi.responses import Response

from gulou_desk.records import DEVICE_ID_LENGTH
from server.database import writer
from server.errors import ApiError
from server.pull import BadCursor, decode_cursor, encode_cursor, keyset_ref, pull_page
from server.push import push as apply_push
from server.routes.deps import CurrentUser, EngineDep, SettingsDep
from server.schema import key_sets
from sync.wire import (
    MAX_PULL_LIMIT,
    MAX_PUSH_MUTATIONS,
    PullResponse,
    PushRequest,
    PushResponse,
)

router = APIRouter(prefix="/sync", tags=["sync"])


def _password_changed(user: CurrentUser) -> None:
    """Nothing syncs on a one-time password: the user sets their own first."""
    if user.must_change_password:
        raise ApiError(403, "password_change_required",
                       "set a new password first (POST /auth/password)")


@router.get("/pull", response_class=Response,
            responses={200: {"model": PullResponse, "description": "a page of changes"}})
def pull(
    user: CurrentUser, engine: EngineDep, settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=8192)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 1000,
    client_id: Annotated[str | None, Query(min_length=1,
                                           max_length=DEVICE_ID_LENGTH)] = None,
) -> Response:
    _password_changed(user)
    state = None
    secret = cursor_secret(settings.secret, user.id)
    if cursor:
        try:
            state = decode_cursor(cursor, secret, lambda ref: _load_keyset(engine, ref))
        except BadCursor as exc:
            raise ApiError(422, "validation", str(exc), {"field": "cursor"}) from exc
    # One read transaction: the page sees one snapshot of the database.
    with engine.connect() as conn, conn.begin():
        page = pull_page(conn, user, state, limit, client_id=client_id)
    cursor_text = encode_cursor(page.cursor, secret,
                                lambda keys: _store_keyset(engine, keys))
    head = "".join(('{"cursor":"', cursor_text, '","has_more":',
                    "true" if page.has_more else "false", ',"estimate":',
                    str(page.cursor.e or 0), ',"changes":['))
    body = b"".join((head.encode(), b",".join(
        piece if isinstance(piece, bytes) else piece.encode() for piece in page.changes),
        b"]}"))
    return Response(content=body, media_type="application/json")


@router.post("/push")
def push(body: PushRequest, user: CurrentUser, engine: EngineDep) -> PushResponse:
    _password_changed(user)
    if len(body.mutations) > MAX_PUSH_MUTATIONS:
        raise ApiError(413, "too_large",
                       f"at most {MAX_PUSH_MUTATIONS} mutations per push",
                       {"limit": MAX_PUSH_MUTATIONS, "given": len(body.mutations)})
    return PushResponse(results=apply_push(writer(engine), user, body.mutations,
                                           body.client_id))


def cursor_secret(secret: bytes, user_id: str) -> bytes:
    """The key that signs a user's cursors: derived from the server's secret and the
    user's id, so a cursor is its user's only. Another user's cursor (the keys it says
    the client holds would be theirs) fails its signature and is answered ``422``."""
    return hmac.new(secret, b"pull-cursor\x00" + user_id.encode(), hashlib.sha256).digest()


KNOWN_KEYSETS_MAX = 1024
"""How many key sets a server process keeps known per database (a supervisor's is 94
keys, an admin's of a district a few thousand: tens of MB at most)."""


class KnownKeySets:
    """Key sets known to be stored, by ref, the most recently used ones kept (at most
    ``size``). A ref is the content address of its keys and a stored set is never changed
    or deleted, so what was read or written once holds: a supervisor's pull read its key
    set from the database three times a page (decode the cursor, then check before storing
    the next one's ``k`` and ``q``), ~10 ms a page. Pulls of the same user follow each
    other, so the sets in use stay while those of finished pulls make room; one that left
    is read from the database again. Pulls run in the server's worker threads: a lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._sets: OrderedDict[str, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, ref: str) -> list[str] | None:
        with self._lock:
            found = self._sets.get(ref)
            if found is not None:
                self._sets.move_to_end(ref)
            return found

    def put(self, ref: str, keys: list[str]) -> None:
        with self._lock:
            self._sets[ref] = keys
            self._sets.move_to_end(ref)
            while len(self._sets) > self.size:
                self._sets.popitem(last=False)

    def __contains__(self, ref: object) -> bool:
        with self._lock:
            return ref in self._sets

    def __len__(self) -> int:
        with self._lock:
            return len(self._sets)


_KNOWN_KEYSETS: weakref.WeakKeyDictionary[sa.Engine, KnownKeySets] = (
    weakref.WeakKeyDictionary())
_KNOWN_KEYSETS_LOCK = threading.Lock()


def known_keysets(engine: sa.Engine) -> KnownKeySets:
    """The key sets known to be stored in ``engine``'s database."""
    with _KNOWN_KEYSETS_LOCK:
        known = _KNOWN_KEYSETS.get(engine)
        if known is None:
            known = _KNOWN_KEYSETS[engine] = KnownKeySets(KNOWN_KEYSETS_MAX)
        return known


def _load_keyset(engine: sa.Engine, ref: str) -> list[str] | None:
    known = known_keysets(engine)
    found = known.get(ref)
    if found is not None:
        return list(found)
    with engine.connect() as conn:
        keys = conn.execute(sa.select(key_sets.c["keys"]).where(key_sets.c.ref == ref)).scalar()
    if keys is None:
        return None
    known.put(ref, list(keys))
    return list(keys)


def _store_keyset(engine: sa.Engine, keys: list[str]) -> str:
    ref = keyset_ref(keys)
    if _load_keyset(engine, ref) is None:
        try:
            with writer(engine).begin() as conn:
                conn.execute(sa.insert(key_sets).values(ref=ref, keys=sorted(keys)))
        except sa.exc.IntegrityError:
            pass  # stored by a concurrent pull meanwhile
        known_keysets(engine).put(ref, sorted(keys))
    return ref
