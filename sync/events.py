"""What the sync engine tells the rest of the app (no Qt: the UI wraps these in signals).

The engine calls the listener's methods on the asyncio loop's thread (the GUI thread
under qasync), never from a worker thread, so a Qt listener may emit signals directly.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class FailureReason(enum.StrEnum):
    OFFLINE = "offline"  # the server cannot be reached (connection refused, DNS, timeout)
    UNAUTHORIZED = "unauthorized"  # refresh failed: the user must log in again
    DEVICE_REVOKED = "device_revoked"  # an admin revoked this device: wipe, then sign in
    FORBIDDEN = "forbidden"
    SERVER_ERROR = "server_error"  # 5xx
    BAD_ANSWER = "bad_answer"  # the server answered something that is not the protocol
    RATE_LIMITED = "rate_limited"
    CANCELLED = "cancelled"
    LOCAL_ERROR = "local_error"  # the local store failed (disk full, locked …)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    stage: str  # "push" | "pull"
    done: int
    estimate: int | None


@dataclass(frozen=True, slots=True)
class SyncReport:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    revoked: int = 0
    held: int = 0
    """Mutations set aside in this cycle (the server cannot take them; the outbox view
    shows them with the reason, to retry or discard)."""
    push_error: str | None = None
    """Why the push stopped early (the pull went on), for the log; ``None`` when it
    went through."""
    changed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Entity name → ids changed locally by this cycle (views refresh only these)."""


class SyncListener(Protocol):
    def sync_started(self) -> None: ...
    def sync_progressed(self, progress: SyncProgress) -> None: ...
    def sync_finished(self, report: SyncReport) -> None: ...
    def sync_failed(self, reason: FailureReason, message: str) -> None: ...
    def online_changed(self, online: bool) -> None: ...
