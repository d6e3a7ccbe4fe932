"""Server settings, from arguments and the environment.

``GULOU_DB_URL`` (default: SQLite in the current folder), ``GULOU_SECRET_KEY`` (signs
tokens and cursors; required outside demo mode, and never a placeholder),
``GULOU_WECHAT_SECRET`` (the bot's intake signing secret), ``GULOU_WECOM_TOKEN``,
``GULOU_WECOM_AES_KEY`` and ``GULOU_WECOM_CORP_ID`` (the WeCom callback).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from server.intake_wecom import aes_key

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "demo"})
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    db_url: str
    secret_key: str
    wechat_secret: str
    demo: bool = False
    wecom_token: str = ""
    wecom_aes_key: str = ""
    wecom_corp_id: str = ""
    max_body_bytes: int = 16 * 1024 * 1024
    max_blob_bytes: int = 8 * 1024 * 1024

    @property
    def secret(self) -> bytes:
        return self.secret_key.encode()

    @classmethod
    def from_env(cls, *, db_url: str | None = None, demo: bool = False,
                 secret_key: str | None = None, wechat_secret: str | None = None) -> Settings:
        env = os.environ
        secret = secret_key if secret_key is not None else env.get("GULOU_SECRET_KEY", "")
        if secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            if not demo:
                raise SettingsError(
                    "GULOU_SECRET_KEY must be set to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters (e.g. `python -c 'import secrets; "
                    "print(secrets.token_urlsafe(48))'`); only demo mode makes one up")
            secret = secrets.token_urlsafe(48)
        wechat = wechat_secret if wechat_secret is not None else env.get(
            "GULOU_WECHAT_SECRET", "")
        if not wechat:
            if not demo:
                raise SettingsError("GULOU_WECHAT_SECRET must be set (the bot's signing secret)")
            wechat = "demo-wechat-secret"
        wecom_key = env.get("GULOU_WECOM_AES_KEY", "")
        if wecom_key:
            try:
                aes_key(wecom_key)
            except ValueError as exc:
                raise SettingsError(f"GULOU_WECOM_AES_KEY: {exc} (WeCom's EncodingAESKey, "
                                    "43 characters)") from None
        return cls(
            db_url=db_url or env.get("GULOU_DB_URL", "sqlite:///gulou-server.sqlite"),
            secret_key=secret,
            wechat_secret=wechat,
            demo=demo,
            wecom_token=env.get("GULOU_WECOM_TOKEN", ""),
            wecom_aes_key=wecom_key,
            wecom_corp_id=env.get("GULOU_WECOM_CORP_ID", ""),
        )
