"""Accounts, tokens and login throttling.

- Passwords are hashed with Argon2id (argon2-cffi).
- Access tokens are short-lived, self-contained and signed (HMAC-SHA256 over a small JSON:
  staff id, device session, expiry); each request also checks that the device session was
  not revoked.
- Refresh tokens are random, stored only as SHA-256 hashes, and rotate: each use spends the
  token and hands out a new one. Presenting a spent token again means it leaked, so the
  whole device session is revoked (both the thief's and the owner's tokens stop working).
- Failed logins are counted per username; after ``MAX_FAILURES`` within the window the
  username is locked for a while (429 with Retry-After), whatever the password.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gulou_desk.records import new_id, now
from server.schema import RECORD_TABLES, accounts, device_sessions, login_failures, refresh_tokens
from server.scope import Principal

ACCESS_TTL = dt.timedelta(minutes=15)
REFRESH_TTL = dt.timedelta(days=30)
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCK_TIME = dt.timedelta(minutes=5)

_hasher = PasswordHasher()
# Verifying against this when the username is unknown keeps the timing of both answers alike.
_DUMMY_HASH = _hasher.hash("not-a-password")


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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


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
    row = conn.execute(sa.select(staff).where(staff.c.id == staff_id)).mappings().first()
    if row is None or not row["active"]:
        return None
    return Principal(
        id=row["id"], username=row["username"], display_name=row["display_name"],
        role=row["role"], community_id=row["community_id"], street_id=row["street_id"],
        session_id=session_id,
    )


def authenticate(conn: sa.Connection, secret: bytes, token: str) -> Principal:
    staff_id, session_id = read_access_token(secret, token)
    revoked = conn.execute(
        sa.select(device_sessions.c.revoked_at).where(device_sessions.c.id == session_id)
    ).first()
    if revoked is None or revoked.revoked_at is not None:
        raise AuthError("invalid_credentials", "this device was signed out")
    user = principal(conn, staff_id, session_id)
    if user is None:
        raise AuthError("invalid_credentials", "this account is disabled")
    return user


def _check_throttle(conn: sa.Connection, username: str, at: dt.datetime) -> None:
    row = conn.execute(
        sa.select(login_failures).where(login_failures.c.username == username)
    ).mappings().first()
    if row and row["locked_until"] and row["locked_until"] > at:
        wait = int((row["locked_until"] - at).total_seconds()) + 1
        raise AuthError("rate_limited", "too many failed logins; try again later",
                        status=429, retry_after=wait)


def _record_failure(conn: sa.Connection, username: str, at: dt.datetime) -> None:
    row = conn.execute(
        sa.select(login_failures).where(login_failures.c.username == username)
    ).mappings().first()
    if row is None or row["first_failure_at"] < at - FAILURE_WINDOW:
        conn.execute(sa.delete(login_failures).where(login_failures.c.username == username))
        conn.execute(sa.insert(login_failures).values(
            username=username, failures=1, first_failure_at=at, locked_until=None))
        return
    failures = row["failures"] + 1
    locked = at + LOCK_TIME if failures >= MAX_FAILURES else None
    conn.execute(sa.update(login_failures).where(login_failures.c.username == username)
                 .values(failures=failures, locked_until=locked))


def login(engine: sa.Engine, secret: bytes, username: str, password: str,
          device_id: str, device_name: str) -> Issued:
    at = now()
    with engine.begin() as conn:
        _check_throttle(conn, username, at)
        row = conn.execute(
            sa.select(accounts).where(accounts.c.username == username)
        ).mappings().first()
        try:
            _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
            ok = row is not None and row["active"]
        except (VerificationError, InvalidHashError):
            ok = False
        user = principal(conn, row["staff_id"]) if ok and row else None
        if user is None:
            _record_failure(conn, username, at)
        else:
            conn.execute(sa.delete(login_failures).where(login_failures.c.username == username))
    if user is None:
        raise AuthError("invalid_credentials", "wrong username or password")
    with engine.begin() as conn:
        session_id = new_id()
        conn.execute(sa.insert(device_sessions).values(
            id=session_id, staff_id=user.id, device_id=device_id, device_name=device_name,
            created_at=at))
        return _issue(conn, secret, user, session_id, at)


def _issue(conn: sa.Connection, secret: bytes, user: Principal, session_id: str,
           at: dt.datetime) -> Issued:
    refresh = secrets.token_urlsafe(32)
    conn.execute(sa.insert(refresh_tokens).values(
        token_hash=_token_hash(refresh), session_id=session_id, expires_at=at + REFRESH_TTL))
    return Issued(
        access_token=make_access_token(secret, user.id, session_id),
        refresh_token=refresh, expires_in=int(ACCESS_TTL.total_seconds()),
        user=dataclasses.replace(user, session_id=session_id),
    )


def refresh(engine: sa.Engine, secret: bytes, token: str) -> Issued:
    at = now()
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(refresh_tokens, device_sessions.c.staff_id, device_sessions.c.revoked_at)
            .join(device_sessions, device_sessions.c.id == refresh_tokens.c.session_id)
            .where(refresh_tokens.c.token_hash == _token_hash(token))
        ).mappings().first()
        if row is None:
            raise AuthError("invalid_credentials", "unknown refresh token")
        if row["revoked_at"] is not None:
            raise AuthError("invalid_credentials", "this device was signed out")
        if row["spent_at"] is not None:
            # A spent token came back: it leaked. Sign the device out everywhere.
            conn.execute(sa.update(device_sessions)
                         .where(device_sessions.c.id == row["session_id"])
                         .values(revoked_at=at, revoked_reason="refresh_reuse"))
            revoked = True
        else:
            revoked = False
            if row["expires_at"] < at:
                raise AuthError("invalid_credentials", "the refresh token has expired")
            conn.execute(sa.update(refresh_tokens)
                         .where(refresh_tokens.c.token_hash == row["token_hash"])
                         .values(spent_at=at))
            user = principal(conn, row["staff_id"], row["session_id"])
            if user is None:
                raise AuthError("invalid_credentials", "this account is disabled")
            issued = _issue(conn, secret, user, row["session_id"], at)
    if revoked:
        raise AuthError("invalid_credentials",
                        "this refresh token was used before; the device is signed out")
    return issued


def logout(engine: sa.Engine, user: Principal) -> None:
    with engine.begin() as conn:
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
