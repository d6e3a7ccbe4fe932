"""Wire types of sync protocol v1 (docs/sync-protocol.md), defined once.

The server validates requests and builds answers with these models; the client builds
requests and validates answers with the same models, so the two sides cannot drift. The
``data`` / ``fields`` objects of records stay plain dicts here; their per-field types live
in :mod:`gulou_desk.records` (``to_wire`` / ``from_wire``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
MAX_PUSH_MUTATIONS = 500
MAX_PULL_LIMIT = 5000

ErrorCode = Literal[
    "invalid_credentials", "token_expired", "forbidden", "not_found", "validation",
    "too_large", "rate_limited", "server_error",
    # push result codes
    "stale", "invalid_transition", "conflict", "unauthorized", "method_not_allowed",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Open(BaseModel):
    """An answer the client reads: later servers may add fields, which are ignored."""

    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Open):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(_Open):
    error: ErrorBody


# --- auth -----------------------------------------------------------------------------


class LoginRequest(_Model):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=64)
    device_name: str = Field(default="", max_length=128)


class RefreshRequest(_Model):
    refresh_token: str = Field(min_length=1, max_length=512)


class LogoutRequest(_Model):
    refresh_token: str | None = Field(default=None, max_length=512)


class UserInfo(_Open):
    id: str
    username: str
    display_name: str
    role: str
    community_id: str | None = None
    street_id: str | None = None


class TokenPair(_Open):
    access_token: str
    refresh_token: str
    expires_in: int
    user: UserInfo


# --- pull -----------------------------------------------------------------------------


class Change(_Open):
    entity: str
    id: str
    op: Literal["upsert", "delete", "revoke"]
    version: int | None = None
    data: dict[str, Any] | None = None


class PullResponse(_Open):
    cursor: str
    has_more: bool
    changes: list[Change]
    estimate: int | None = None
    """Extension: the server's estimate of how many changes are left (for progress)."""


# --- push -----------------------------------------------------------------------------


class Mutation(_Model):
    mutation_id: str = Field(min_length=1, max_length=64)
    entity: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=64)
    op: Literal["create", "update", "delete", "action"]
    base_version: int | None = None
    fields: dict[str, Any] | None = None
    action: str | None = Field(default=None, max_length=64)
    args: dict[str, Any] | None = None


class PushRequest(_Model):
    client_id: str = Field(min_length=1, max_length=64)
    mutations: list[Mutation]


class FieldConflict(_Open):
    field: str
    server_value: Any = None
    client_value: Any = None


class ResultError(_Open):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class MutationResult(_Open):
    mutation_id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    error: ResultError | None = None


class PushResponse(_Open):
    results: list[MutationResult]


# --- WeChat intake --------------------------------------------------------------------


class WechatMessage(_Model):
    message_id: str = Field(min_length=1, max_length=128)
    group_id: str = Field(min_length=1, max_length=64)
    group_name: str = Field(default="", max_length=128)
    sender_id: str = Field(min_length=1, max_length=64)
    sender_name: str = Field(default="", max_length=64)
    text: str = Field(min_length=1, max_length=4000)
    sent_at: str
    keyword: str = Field(default="", max_length=32)


class OutboundMessage(_Open):
    id: str
    group_id: str
    text: str
    created_at: str
