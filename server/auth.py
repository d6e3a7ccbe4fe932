"""Accounts, tokens and login throttling.

- Passwords are hashed with Argon2id (argon2-cffi).
- Access tokens are short-lived, self-contained and signed (HMAC-SHA256 over a small JSON:
  staff id, device session, expiry); each request also checks that the device session was
  not revoked.
- Refresh tokens are random, stored only as SHA-256 hashes, and rotate: each use spends the
  token and hands out a new one. Presenting a spent token again means it leaked, so the
  whole device session is revoked (both the thief's and the owner's tokens stop working),
  except within a short grace window from the same device, when the answer to the first
  use was lost (:func:`refresh`).
- Login attempts are counted before the password is checked, per username at an address,
  per address and per username (:data:`LIMITS`), in the database (every server process
  counts the same attempts); over a limit the counter is locked for a while (429 with
  Retry-After), whatever the password. The password is checked outside any write
  transaction.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.dialects import postgresql, sqlite

from gulou_desk.passwords import dummy_hash, hash_password, verify_password
from gulou_desk.records import new_id, now
from server import devices
from server.audit import Author, append
from server.database import writer
from server.schema import RECORD_TABLES, accounts, device_sessions, login_throttle, refresh_tokens
from server.scope import PUBLIC, Principal

ACCESS_TTL = dt.timedelta(minutes=15)
REFRESH_TTL = dt.timedelta(days=30)
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCK_TIME = dt.timedelta(minutes=5)
REFRESH_GRACE = dt.timedelta(seconds=30)

_CHECKS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))
"""At most this many password checks at once in a server process: each Argon2 check takes
tens of milliseconds of every core it is given (64 MiB, 4 lanes), and a flood of logins
must queue behind each other, not take the CPU from everyone's pushes and pulls."""


class AuthError(Exception):
    def __init__(self, code: str, message: str, status: int = 401,
                 retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Issued:
    access_token: str
    refresh_token: str
    expires_in: int
    user: Principal


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_access_token(secret: bytes, staff_id: str, session_id: str,
                      ttl: dt.timedelta = ACCESS_TTL) -> str:
    exp = int((now() + ttl).timestamp())
    body = _b64(orjson.dumps({"sub": staff_id, "sid": session_id, "exp": exp}))
    sig = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}"


def read_access_token(secret: bytes, token: str) -> tuple[str, str]:
    """(staff id, session id) of a valid token; :class:`AuthError` otherwise."""
    try:
        body, sig = token.split(".", 1)
        expected = hmac.new(secret, body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(sig)):
            raise AuthError("invalid_credentials", "the access token is not valid")
        claims = orjson.loads(_unb64(body))
        exp = int(claims["exp"])
        staff_id, session_id = str(claims["sub"]), str(claims["sid"])
    except AuthError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise AuthError("invalid_credentials", "the access token is not valid") from exc
    if exp < now().timestamp():
        raise AuthError("token_expired", "the access token has expired")
    return staff_id, session_id


def principal(conn: sa.Connection, staff_id: str, session_id: str = "") -> Principal | None:
    staff = RECORD_TABLES["staff"]
    row = conn.execute(
        sa.select(staff, accounts.c.must_change_password)
        .outerjoin(accounts, accounts.c.staff_id == staff.c.id)
        .where(staff.c.id == staff_id)).mappings().first()
    if row is None or not row["active"]:
        return None
    return Principal(
        id=row["id"], username=row["username"], display_name=row["display_name"],
        role=row["role"], community_id=row["community_id"], street_id=row["street_id"],
        session_id=session_id, must_change_password=bool(row["must_change_password"]),
    )


def _signed_out(reason: str | None) -> AuthError:
    if reason == devices.REVOKED_REASON:
        return AuthError("device_revoked", "this device was revoked: delete its local data")
    return AuthError("invalid_credentials", "this device was signed out")


def authenticate(conn: sa.Connection, secret: bytes, token: str) -> Principal:
    staff_id, session_id = read_access_token(secret, token)
    revoked = conn.execute(
        sa.select(device_sessions.c.revoked_at, device_sessions.c.revoked_reason)
        .where(device_sessions.c.id == session_id)
    ).first()
    if revoked is None or revoked.revoked_at is not None:
        raise _signed_out(revoked.revoked_reason if revoked is not None else None)
    user = principal(conn, staff_id, session_id)
    if user is None:
        raise AuthError("invalid_credentials", "this account is disabled")
    return user


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``attempts`` login attempts per ``window`` for one counter; one more locks
    it for ``lock`` (429 with Retry-After, whatever the password)."""

    kind: str
    attempts: int
    window: dt.timedelta
    lock: dt.timedelta


LIMITS = (
    # One username from one address: the guessing that the lock is for.
    Limit("ua", MAX_FAILURES, FAILURE_WINDOW, LOCK_TIME),
    # One address, any usernames: trying one password on many accounts.
    Limit("a", 30, FAILURE_WINDOW, dt.timedelta(minutes=15)),
    # One username from anywhere: the ceiling for guessing spread over many addresses.
    # Only it can lock a user out from their own desk, and only at this rate.
    Limit("u", 100, FAILURE_WINDOW, dt.timedelta(minutes=15)),
)


def _counter_key(kind: str, username: str, address: str) -> str:
    name = {"ua": f"ua:{username}\x00{address}", "a": f"a:{address}", "u": f"u:{username}"}
    return hashlib.sha256(name[kind].encode()).hexdigest()


def _reserve_attempt(conn: sa.Connection, username: str, address: str,
                     at: dt.datetime) -> None:
    """Count this attempt on every counter before the password is checked, in one
    statement per counter (``INSERT … ON CONFLICT DO UPDATE … RETURNING``): of forty
    attempts at once only those within the limit get checked, the rest are refused
    unchecked. :class:`AuthError` 429 when a counter is locked or this attempt locks it."""
    upsert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    t = login_throttle
    wait = 0
    for limit in LIMITS:
        key = _counter_key(limit.kind, username, address)
        # A window that ended, or a lock that ran out, starts the count again.
        fresh = sa.or_(t.c.window_start < at - limit.window,
                       sa.and_(t.c.locked_until.is_not(None), t.c.locked_until <= at))
        statement = upsert(t).values(key=key, attempts=1, window_start=at, locked_until=None)
        row = conn.execute(statement.on_conflict_do_update(
            index_elements=[t.c.key],
            set_={
                "attempts": sa.case((fresh, 1), else_=t.c.attempts + 1),
                "window_start": sa.case((fresh, at), else_=t.c.window_start),
                "locked_until": sa.case((fresh, None), else_=t.c.locked_until),
            },
        ).returning(t.c.attempts, t.c.locked_until)).one()
        locked_until = row.locked_until
        if locked_until is None and row.attempts > limit.attempts:
            locked_until = at + limit.lock
            conn.execute(sa.update(t).where(t.c.key == key).values(locked_until=locked_until))
        if locked_until is not None and locked_until > at:
            wait = max(wait, int((locked_until - at).total_seconds()) + 1)
    if wait:
        raise AuthError("rate_limited", "too many failed logins; try again later",
                        status=429, retry_after=wait)


def _release_attempt(conn: sa.Connection, username: str, address: str) -> None:
    """A login that succeeded was no failure: its own counter starts again, and the
    attempt it reserved on the address's and the username's counters is given back (an
    office behind one address signs many people in)."""
    t = login_throttle
    conn.execute(sa.delete(t).where(t.c.key == _counter_key("ua", username, address)))
    keys = [_counter_key(kind, username, address) for kind in ("a", "u")]
    conn.execute(sa.update(t).where(t.c.key.in_(keys), t.c.attempts > 0)
                 .values(attempts=t.c.attempts - 1))


def login(engine: sa.Engine, secret: bytes, username: str, password: str,
          device_id: str, device_name: str, address: str = "", *,
          ttl: dt.timedelta = ACCESS_TTL) -> Issued:
    """Check a password and open a device session.

    Three short steps, so that the password hash (Argon2id, tens of milliseconds of CPU)
    is checked outside any write transaction: on SQLite a write transaction holds the
    whole database, and a flood of logins must not stall everyone's pushes.
    """
    at = now()
    with writer(engine).begin() as conn:
        _reserve_attempt(conn, username, address, at)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(accounts).where(accounts.c.username == username)
        ).mappings().first()
    # Checking against a dummy hash when the username is unknown keeps the timing of both
    # answers alike.
    with _CHECKS:
        ok = verify_password(row["password_hash"] if row else dummy_hash(), password)
    ok = ok and row is not None and bool(row["active"])
    if not ok or row is None:
        raise AuthError("invalid_credentials", "wrong username or password")
    with writer(engine).begin() as conn:
        user = principal(conn, row["staff_id"])
        if user is None:
            raise AuthError("invalid_credentials", "wrong username or password")
        _release_attempt(conn, username, address)
        session_id = new_id()
        conn.execute(sa.insert(device_sessions).values(
            id=session_id, staff_id=user.id, device_id=device_id, device_name=device_name,
            created_at=at))
        devices.signed_in(conn, user.id, device_id, device_name, at)
        return _issue(conn, secret, user, session_id, at, ttl=ttl)


def _issue(conn: sa.Connection, secret: bytes, user: Principal, session_id: str,
           at: dt.datetime, refresh: str | None = None, *,
           ttl: dt.timedelta = ACCESS_TTL) -> Issued:
    """A new access token, and a new refresh token unless ``refresh`` (already stored) is
    handed out again."""
    if refresh is None:
        refresh = secrets.token_urlsafe(32)
        conn.execute(sa.insert(refresh_tokens).values(
            token_hash=_token_hash(refresh), session_id=session_id,
            expires_at=at + REFRESH_TTL))
    return Issued(
        access_token=make_access_token(secret, user.id, session_id, ttl),
        refresh_token=refresh, expires_in=int(ttl.total_seconds()),
        user=dataclasses.replace(user, session_id=session_id),
    )


def _seal_key(token: str) -> bytes:
    return hashlib.sha256(b"gulou-refresh-successor\x00" + token.encode()).digest()


def _seal(spent: str, successor: str) -> str:
    """The successor sealed with a key that only the spent token gives (the server keeps
    no token in the clear: the database alone does not yield it)."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_seal_key(spent)).encrypt(nonce, successor.encode(), None)
    return _b64(nonce + sealed)


def _unseal(spent: str, sealed: str) -> str | None:
    raw = _unb64(sealed)
    try:
        return AESGCM(_seal_key(spent)).decrypt(raw[:12], raw[12:], None).decode()
    except (InvalidTag, ValueError):
        return None


def refresh(engine: sa.Engine, secret: bytes, token: str, device_id: str | None = None,
            at: dt.datetime | None = None, *, ttl: dt.timedelta = ACCESS_TTL) -> Issued:
    """Spend ``token`` for a new pair.

    Spending is one guarded statement (``UPDATE … WHERE spent_at IS NULL``): of two
    requests with the same token at once exactly one spends it and makes the new token.
    A spent token that comes back is reuse and signs the device out, except in the grace
    window: within ``REFRESH_GRACE`` of its spending, from the same device (``device_id``
    given and the session's), while its successor is unused, the answer is the same new
    pair again (the answer to the first request was lost on the way: a timeout after the
    server rotated must not sign the user out).
    """
    at = at or now()
    with writer(engine).begin() as conn:
        row = conn.execute(
            sa.select(refresh_tokens, device_sessions.c.staff_id, device_sessions.c.revoked_at,
                      device_sessions.c.device_id, device_sessions.c.revoked_reason)
            .join(device_sessions, device_sessions.c.id == refresh_tokens.c.session_id)
            .where(refresh_tokens.c.token_hash == _token_hash(token))
        ).mappings().first()
        if row is None:
            raise AuthError("invalid_credentials", "unknown refresh token")
        if row["revoked_at"] is not None:
            raise _signed_out(row["revoked_reason"])
        if row["spent_at"] is None:
            if row["expires_at"] < at:
                raise AuthError("invalid_credentials", "the refresh token has expired")
            user = principal(conn, row["staff_id"], row["session_id"])
            if user is None:
                raise AuthError("invalid_credentials", "this account is disabled")
            successor = secrets.token_urlsafe(32)
            spent = conn.execute(
                sa.update(refresh_tokens)
                .where(refresh_tokens.c.token_hash == row["token_hash"],
                       refresh_tokens.c.spent_at.is_(None))
                .values(spent_at=at, successor_hash=_token_hash(successor),
                        successor_sealed=_seal(token, successor))
            ).rowcount
            if spent == 1:
                conn.execute(sa.insert(refresh_tokens).values(
                    token_hash=_token_hash(successor), session_id=row["session_id"],
                    expires_at=at + REFRESH_TTL))
                return _issue(conn, secret, user, row["session_id"], at, successor, ttl=ttl)
            # Spent by another request at this very moment: read what it wrote.
            row = conn.execute(
                sa.select(refresh_tokens, device_sessions.c.staff_id,
                          device_sessions.c.revoked_at, device_sessions.c.device_id)
                .join(device_sessions, device_sessions.c.id == refresh_tokens.c.session_id)
                .where(refresh_tokens.c.token_hash == row["token_hash"])
            ).mappings().one()
        again = _grace(conn, secret, row, token, device_id, at, ttl)
        if again is not None:
            return again
        # A spent token came back: it leaked. Sign the device out everywhere.
        conn.execute(sa.update(device_sessions)
                     .where(device_sessions.c.id == row["session_id"])
                     .values(revoked_at=at, revoked_reason="refresh_reuse"))
    raise AuthError("invalid_credentials",
                    "this refresh token was used before; the device is signed out")


def _grace(conn: sa.Connection, secret: bytes, row: sa.RowMapping, token: str,
           device_id: str | None, at: dt.datetime,
           ttl: dt.timedelta = ACCESS_TTL) -> Issued | None:
    """The pair already handed out for ``token``, when its second presentation is within
    the grace window (see :func:`refresh`); None when it is reuse."""
    if (
        device_id is None or device_id != row["device_id"]
        or row["spent_at"] is None or row["spent_at"] < at - REFRESH_GRACE
        or not row["successor_hash"] or not row["successor_sealed"]
    ):
        return None
    successor = conn.execute(sa.select(refresh_tokens.c.spent_at).where(
        refresh_tokens.c.token_hash == row["successor_hash"])).first()
    if successor is None or successor.spent_at is not None:
        return None  # the new token was used since: this answer was not lost
    again = _unseal(token, row["successor_sealed"])
    user = principal(conn, row["staff_id"], row["session_id"])
    if again is None or _token_hash(again) != row["successor_hash"] or user is None:
        return None
    return _issue(conn, secret, user, row["session_id"], at, again, ttl=ttl)


def logout(engine: sa.Engine, user: Principal) -> None:
    with writer(engine).begin() as conn:
        conn.execute(sa.update(device_sessions)
                     .where(device_sessions.c.id == user.session_id)
                     .values(revoked_at=now(), revoked_reason="logout"))


def create_account(conn: sa.Connection, staff_id: str, username: str, password: str, *,
                   password_hash: str | None = None) -> None:
    """An account for a staff record; ``password_hash`` (of ``password``) skips hashing
    again when many accounts share one password (demo data, tests)."""
    conn.execute(sa.insert(accounts).values(
        staff_id=staff_id, username=username,
        password_hash=password_hash or hash_password(password), active=True))


def change_password(engine: sa.Engine, user: Principal, current: str, new: str) -> None:
    """The user's own new password (after a reset: the one-time password is ``current``).
    Clears the account's ``must_change_password`` and logs the change (not the password)
    in the audit log. The new password must differ from the current one."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(accounts.c.password_hash).where(
            accounts.c.staff_id == user.id)).first()
    with _CHECKS:
        ok = verify_password(row.password_hash if row else dummy_hash(), current)
    if not ok:
        raise AuthError("invalid_credentials", "the current password is wrong")
    if new == current:
        raise AuthError("validation", "choose a password other than the one-time one",
                        status=422)
    new_hash = hash_password(new)
    with writer(engine).begin() as conn:
        conn.execute(sa.update(accounts).where(accounts.c.staff_id == user.id)
                     .values(password_hash=new_hash, must_change_password=False))
        append(conn, Author(staff_id=user.id, device_id=None), "staff", user.id,
               "change_password", None, {}, [PUBLIC], fields=["password"])
