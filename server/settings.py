"""Server settings, from arguments and the environment.

``GULOU_DB_URL`` (default: SQLite in the current folder), ``GULOU_SECRET_KEY`` (signs
tokens and cursors) and ``GULOU_WECHAT_SECRET`` (the bot's intake signing secret), both
required outside demo mode with 32 bytes of entropy (:func:`secret_problem`), ``GULOU_WECOM_TOKEN``,
``GULOU_WECOM_AES_KEY`` and ``GULOU_WECOM_CORP_ID`` (the WeCom callback).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import secrets
from dataclasses import dataclass

from server.intake_wecom import aes_key

PLACEHOLDER_SECRETS = frozenset({
    "", "changeme", "change-me", "change_me", "secret", "dev", "demo", "test", "password",
    "example", "replaceme", "replace-me", "your-secret-key", "yoursecretkey", "secretkey",
    "secret-key", "default", "insecure", "todo", "xxx", "none", "null",
})
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 256
_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]+=*")
"""A secret must carry at least 32 bytes of entropy (estimated from its length and the
kinds of characters it uses: ``secrets.token_urlsafe(32)`` or ``token_hex(32)`` do)."""


class SettingsError(ValueError):
    pass


def secret_problem(value: str) -> str | None:
    """Why ``value`` is no secret to run a server with, or None.

    Refused: a known placeholder (also with ``-``/``_`` or case changed), one character
    or a short pattern repeated, and anything whose estimated entropy is under 256 bits:
    its length times the bits per character of the alphabet its characters come from
    (hex digits 4, base64 6, …), never more than the bits its distinct characters allow.
    """
    text = value.strip()
    folded = "".join(c for c in text.lower() if c.isalnum())
    if text.lower() in PLACEHOLDER_SECRETS or folded in PLACEHOLDER_SECRETS:
        return "is a placeholder"
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return "repeats a character or a short pattern"
    if len(set(text)) < 8:
        return "uses too few different characters"
    alphabet = 10 if any(c in "0123456789" for c in text) else 0
    for low, high in (("a", "z"), ("A", "Z")):  # hex digits alone: 6 letters, else 26
        if any(chr(ord(low) + 6) <= c <= high for c in text):
            alphabet += 26
        elif any(low <= c <= chr(ord(low) + 5) for c in text):
            alphabet += 6
    if any(not c.isascii() or not c.isalnum() for c in text):
        alphabet += 2 if all(c.isalnum() or c in "-_+/=" for c in text) else 32
    if _BASE64.fullmatch(text) and any(c.islower() for c in text) \
            and any(c.isupper() for c in text):
        alphabet = max(alphabet, 64)  # base64 text: a random draw may miss a digit or a -
    bits = len(text) * math.log2(max(alphabet, 2))
    if bits < MIN_SECRET_BITS:
        return (f"carries about {int(bits)} bits of entropy; at least {MIN_SECRET_BITS} "
                "are needed")
    return None


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
    access_token_seconds: int = 15 * 60
    """How long an access token is good for (the client refreshes it then; tests shorten
    it to see that happen)."""
    wechat_legacy_signatures: bool = False
    """Accept the bot's older signature form (timestamp and body only; see
    :mod:`server.bot_signature`): ``GULOU_WECHAT_LEGACY_SIGNATURES=1``, for a bot not yet
    updated. Off by default."""

    @property
    def secret(self) -> bytes:
        return self.secret_key.encode()

    @property
    def access_ttl(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.access_token_seconds)

    @classmethod
    def from_env(cls, *, db_url: str | None = None, demo: bool = False,
                 secret_key: str | None = None, wechat_secret: str | None = None) -> Settings:
        env = os.environ
        secret = secret_key if secret_key is not None else env.get("GULOU_SECRET_KEY", "")
        problem = secret_problem(secret)
        if problem is not None:
            if not demo:
                raise SettingsError(
                    f"GULOU_SECRET_KEY {_unset_or(secret, problem)}: set it to a random "
                    f"value of at least {MIN_SECRET_BITS // 8} bytes (e.g. `python -c "
                    "'import secrets; print(secrets.token_urlsafe(48))'`); only demo mode "
                    "makes one up")
            secret = secrets.token_urlsafe(48)
        wechat = wechat_secret if wechat_secret is not None else env.get(
            "GULOU_WECHAT_SECRET", "")
        problem = secret_problem(wechat)
        if problem is not None:
            if not demo:
                raise SettingsError(
                    f"GULOU_WECHAT_SECRET (the bot's signing secret) "
                    f"{_unset_or(wechat, problem)}: set it to a random value of at least "
                    f"{MIN_SECRET_BITS // 8} bytes, the same for the bot")
            wechat = wechat or "demo-wechat-secret"
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
            wechat_legacy_signatures=env.get("GULOU_WECHAT_LEGACY_SIGNATURES", "") == "1",
        )


def _unset_or(value: str, problem: str) -> str:
    return "is not set" if not value.strip() else problem
