"""``/auth``: login, refresh (rotating, with reuse detection), logout."""

from __future__ import annotations

from fastapi import APIRouter, Request

from server import auth
from server.routes.deps import CurrentUser, EngineDep, SettingsDep
from sync.wire import (
    ChangePasswordRequest,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    TokenPair,
    UserInfo,
)

router = APIRouter(prefix="/auth", tags=["auth"])


def _pair(issued: auth.Issued) -> TokenPair:
    u = issued.user
    return TokenPair(
        access_token=issued.access_token, refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        user=UserInfo(id=u.id, username=u.username, display_name=u.display_name, role=u.role,
                      community_id=u.community_id, street_id=u.street_id,
                      must_change_password=u.must_change_password),
    )


@router.post("/login")
def login(body: LoginRequest, request: Request, engine: EngineDep,
          settings: SettingsDep) -> TokenPair:
    address = request.client.host if request.client else ""
    issued = auth.login(engine, settings.secret, body.username, body.password,
                        body.device_id, body.device_name, address, ttl=settings.access_ttl)
    request.state.user = issued.user
    return _pair(issued)


@router.post("/refresh")
def refresh(body: RefreshRequest, engine: EngineDep, settings: SettingsDep) -> TokenPair:
    return _pair(auth.refresh(engine, settings.secret, body.refresh_token, body.device_id,
                              ttl=settings.access_ttl))


@router.post("/logout")
def logout(user: CurrentUser, engine: EngineDep,
           body: LogoutRequest | None = None) -> dict[str, bool]:
    auth.logout(engine, user)
    return {"ok": True}


@router.post("/password")
def change_password(body: ChangePasswordRequest, user: CurrentUser,
                    engine: EngineDep) -> dict[str, bool]:
    """The signed-in user's new password (``must_change_password`` is cleared)."""
    auth.change_password(engine, user, body.current_password, body.new_password)
    return {"ok": True}
