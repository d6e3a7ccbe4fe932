"""Who uses this window: the signed-in account as the UI needs it (plain values)."""

from __future__ import annotations

from dataclasses import dataclass

from sync.credentials import Account
from ui.navigation import normalize_role


@dataclass(frozen=True, slots=True)
class Session:
    server_url: str
    username: str
    user_id: str
    role: str
    """``social_worker`` | ``clerk`` | ``supervisor`` | ``admin``."""
    display_name: str
    demo: bool = False
    remembered: bool | None = None
    """Whether the sign-in survives a restart (refresh token in the keyring); ``None``:
    not known (opened offline from the last account)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", normalize_role(self.role))

    @classmethod
    def from_account(cls, account: Account, *, remembered: bool | None = None) -> Session:
        return cls(
            account.server_url,
            account.username,
            account.user_id,
            account.role,
            account.display_name,
            remembered=remembered,
        )

    def to_account(self) -> Account:
        return Account(
            self.server_url, self.username, self.user_id, self.role, self.display_name
        )
