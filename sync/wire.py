"""Wire types of sync protocol v1 (docs/sync-protocol.md), defined once.

The server validates requests and builds answers with these models; the client builds
requests and validates answers with the same models, so the two sides cannot drift. The
``data`` / ``fields`` objects of records stay plain dicts here; their per-field types live
in :mod:`gulou_desk.records` (``to_wire`` / ``from_wire``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SkipValidation

from gulou_desk import records

API_PREFIX = "/api/v1"
MAX_PUSH_MUTATIONS = 500
MAX_BODY_BYTES = 16 * 1024 * 1024
"""The server refuses a request body over this (``413 too_large``): the client splits its
push batches below it."""
MAX_PULL_LIMIT = 5000
MAX_INTAKE_TEXT = 4000
"""The longest message text an intake adapter (WeChat bot, WeCom) hands the server."""

ErrorCode = Literal[
    "invalid_credentials", "token_expired", "forbidden", "not_found", "validation",
    "too_large", "rate_limited", "server_error",
    # push result codes
    "stale", "invalid_transition", "conflict", "unauthorized", "method_not_allowed",
]


def _storable(text: str) -> str:
    problem = records.text_problem(text)
    if problem is not None:
        raise ValueError(f"the text {problem[1]}")
    return text


Text = Annotated[str, AfterValidator(_storable)]
"""A string of a request: no NUL characters, no lone surrogates (``422`` naming the
field otherwise, before anything is looked up or stored)."""


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
    username: Text = Field(min_length=1, max_length=records.USERNAME_LENGTH)
    password: Text = Field(min_length=1, max_length=256)
    device_id: Text = Field(min_length=1, max_length=records.DEVICE_ID_LENGTH)
    device_name: Text = Field(default="", max_length=records.DEVICE_NAME_LENGTH)


class RefreshRequest(_Model):
    refresh_token: Text = Field(min_length=1, max_length=512)
    device_id: Text | None = Field(default=None, max_length=records.DEVICE_ID_LENGTH)
    """Extension: the device asking; the grace window of a lost answer needs it."""


class LogoutRequest(_Model):
    refresh_token: Text | None = Field(default=None, max_length=512)


class UserInfo(_Open):
    id: str
    username: str
    display_name: str
    role: str
    community_id: str | None = None
    street_id: str | None = None
    must_change_password: bool = False
    """Extension (issue 18): signed in with a one-time password; sync answers ``403
    password_change_required`` until ``POST /auth/password`` sets a new one."""


class ChangePasswordRequest(_Model):
    current_password: Text = Field(min_length=1, max_length=256)
    new_password: Text = Field(min_length=8, max_length=128)


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
    data: SkipValidation[dict[str, Any] | None] = None
    """Taken as the JSON parser made it, not copied: a supervisor's first sync carries
    a quarter of a million of them, and copying each costs more than the rest of the
    answer's checks. The client checks it where it uses it, field by field
    (:func:`sync.apply.apply_page`: an object, with the record's fields)."""


class PullResponse(_Open):
    cursor: str
    has_more: bool
    changes: list[Change]
    estimate: int | None = None
    """Extension: the server's estimate of how many changes are left (for progress)."""


# The client reads a pull answer by hand (:func:`parse_pull`), not through the models
# above (which document the answer, and which tests build pages with): validating a
# quarter of a million ``Change`` models cost a supervisor's first sync about 2.5 s of
# the fetch thread, five times what the hand checks of the same fields cost.

PULL_OPS = frozenset({"upsert", "delete", "revoke"})


@dataclass(slots=True)
class PulledChange:
    """A change of a pull answer as :func:`parse_pull` checked it (the fields of
    :class:`Change`; ``data`` is the JSON parser's dict, not copied)."""

    entity: str
    id: str
    op: Literal["upsert", "delete", "revoke"]
    version: int | None
    data: dict[str, Any] | None


@dataclass(slots=True)
class PulledPage:
    cursor: str
    has_more: bool
    changes: list[PulledChange]
    estimate: int | None = None


class WireChange(Protocol):
    """What applying a pulled change reads: a :class:`PulledChange`, or a
    :class:`Change` built by a test or a bench."""

    @property
    def entity(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def op(self) -> Literal["upsert", "delete", "revoke"]: ...
    @property
    def version(self) -> int | None: ...
    @property
    def data(self) -> dict[str, Any] | None: ...


class BadPull(ValueError):
    """A pull answer that is not the protocol's (the message names the field, and the
    record by entity and id where there is one: never a value, which may be personal)."""


def parse_pull(answer: Any) -> PulledPage:
    """Check a parsed pull answer by hand and return its page, or raise :class:`BadPull`.

    Checked: the answer is an object with a text ``cursor``, a boolean ``has_more``, an
    integer or absent ``estimate`` and a list of ``changes``; each change an object with
    a text ``entity`` and ``id``, an ``op`` of :data:`PULL_OPS`, an integer or absent
    ``version`` and an object or absent ``data``; an upsert has both. An entity this
    client does not know passes (the apply skips it: a newer server may send one); the
    fields of ``data`` are checked where they are applied (:func:`sync.apply.apply_page`).
    Fields this client does not know are ignored, as the models ignore them."""
    if type(answer) is not dict:
        raise BadPull("the answer is not an object")
    cursor = answer.get("cursor")
    has_more = answer.get("has_more")
    estimate = answer.get("estimate")
    changes = answer.get("changes")
    if type(cursor) is not str:
        raise BadPull("cursor: not a text")
    if type(has_more) is not bool:
        raise BadPull("has_more: not a boolean")
    if estimate is not None and type(estimate) is not int:  # a bool is not one
        raise BadPull("estimate: not an integer")
    if type(changes) is not list:
        raise BadPull("changes: not a list")
    out: list[PulledChange] = []
    append = out.append
    for n, change in enumerate(changes):
        if type(change) is not dict:
            raise BadPull(f"changes[{n}]: not an object")
        entity = change.get("entity")
        rid = change.get("id")
        op = change.get("op")
        version = change.get("version")
        data = change.get("data")
        if type(entity) is not str or type(rid) is not str:
            raise BadPull(f"changes[{n}]: entity and id must be texts")
        if op not in PULL_OPS:
            raise BadPull(f"changes[{n}] ({entity} {rid}): op must be one of "
                          "upsert, delete, revoke")
        if version is not None and type(version) is not int:
            raise BadPull(f"changes[{n}] ({entity} {rid}): version: not an integer")
        if data is not None and type(data) is not dict:
            raise BadPull(f"changes[{n}] ({entity} {rid}): data: not an object")
        if op == "upsert" and (data is None or version is None):
            raise BadPull(f"changes[{n}]: upsert of {entity} {rid} without data or version")
        append(PulledChange(entity, rid, op, version, data))
    return PulledPage(cursor, has_more, out, estimate)


# --- push -----------------------------------------------------------------------------


class Mutation(_Model):
    mutation_id: Text = Field(min_length=1, max_length=records.MUTATION_ID_LENGTH)
    entity: Text = Field(min_length=1, max_length=64)
    id: Text = Field(min_length=1, max_length=records.ID_LENGTH)
    op: Literal["create", "update", "delete", "action"]
    base_version: int | None = None
    fields: dict[str, Any] | None = None
    action: Text | None = Field(default=None, max_length=64)
    args: dict[str, Any] | None = None


class PushRequest(_Model):
    client_id: Text = Field(min_length=1, max_length=records.DEVICE_ID_LENGTH)
    mutations: list[Mutation]


class FieldConflict(_Open):
    field: str
    server_value: Any = None
    client_value: Any = None
    changed_by: str | None = None
    """The staff id of whoever wrote the server's value (None: the system, or unknown)."""
    changed_at: str | None = None
    """When the server's value was written (ISO 8601 with offset), if known."""


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
    exact: bool | None = None
    """An applied ``update`` whose result at ``version`` is the record at its
    ``base_version`` with exactly the fields sent (nothing else changed meanwhile, nothing
    derived or normalised): the client holds the record at ``version`` now, and a pull
    that names its ``client_id`` does not send that version back."""


class PushResponse(_Open):
    results: list[MutationResult]


# --- WeChat intake --------------------------------------------------------------------


def _inbox_limit(name: str) -> int:
    limit = records.text_limit(records.INBOX_MESSAGE.field(name))
    assert limit is not None
    return limit


class WechatMessage(_Model):
    message_id: Text = Field(min_length=1, max_length=records.EXTERNAL_ID_LENGTH)
    group_id: Text = Field(min_length=1, max_length=_inbox_limit("group_id"))
    group_name: Text = Field(default="", max_length=_inbox_limit("group_name"))
    sender_id: Text = Field(min_length=1, max_length=_inbox_limit("sender_id"))
    sender_name: Text = Field(default="", max_length=_inbox_limit("sender_name"))
    text: Text = Field(min_length=1, max_length=MAX_INTAKE_TEXT)
    sent_at: Text = Field(max_length=64)
    keyword: Text = Field(default="", max_length=_inbox_limit("keyword"))


class BotQuestion(_Model):
    """``POST /bot/ask``: a resident's message the bot may answer (``message_id``, when
    given, makes a retry harmless)."""

    group_id: Text = Field(min_length=1, max_length=_inbox_limit("group_id"))
    sender_id: Text = Field(min_length=1, max_length=_inbox_limit("sender_id"))
    sender_name: Text = Field(default="", max_length=_inbox_limit("sender_name"))
    text: Text = Field(min_length=1, max_length=MAX_INTAKE_TEXT)
    message_id: Text | None = Field(default=None, min_length=1,
                                    max_length=records.EXTERNAL_ID_LENGTH)


class MemberJoined(_Model):
    """``POST /intake/wechat/joined``: someone joined a group (``event_id``: the bot's id
    of the event, which makes a retry harmless)."""

    event_id: Text = Field(min_length=1, max_length=records.EXTERNAL_ID_LENGTH)
    group_id: Text = Field(min_length=1, max_length=_inbox_limit("group_id"))
    member_id: Text = Field(min_length=1, max_length=_inbox_limit("sender_id"))
    member_name: Text = Field(default="", max_length=_inbox_limit("sender_name"))


class OutboundMessage(_Open):
    id: str
    group_id: str
    text: str
    created_at: str
