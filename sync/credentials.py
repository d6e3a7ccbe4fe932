"""Who is signed in, and the secrets that keep them signed in (no Qt here).

* The **refresh token** lives in the OS keyring (``keyring``), under the service
  ``gulou-desk:<server url>`` and the user name. Never in a plain file: if the machine has
  no usable keyring (``NoKeyringError``, the "fail" backend, a locked or broken one) the
  token is kept in memory for this session only and :attr:`SaveOutcome.SESSION_ONLY`
  tells the UI to say "you will be asked for your password next time". File-based
  backends from ``keyrings.alt`` are refused for the same reason.
* The **store key** (32 random bytes that encrypt the local store, made at the first
  sign-in) and the **unlock verifier** (an Argon2id hash of the password, which the idle
  lock checks offline) live in the keyring too, under services of their own
  (``gulou-desk-store:<server url>``, ``gulou-desk-unlock:<server url>``) and the user
  name. Without a usable keyring they are kept in memory for this session only: the
  store can then not be opened after a restart, and is downloaded again (set aside, never
  deleted; ``ui.backend.open_account``).
* The **access token** lives in memory only.
* The **last account** (server URL, user name, user id, role, display name; no secrets)
  is a small JSON file in the user's config folder, so the app can open offline.
* The **device id** (a UUID made once) goes with every login, so the server can tell this
  machine's session apart and revoke it alone.

Keyring calls may block (a desktop keyring may ask to be unlocked): call them from a
worker thread (``ui.background.Op`` with ``Lane.NETWORK``), not from the GUI thread.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import socket
import tempfile
import threading
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import keyring
import keyring.backend
import keyring.errors
import platformdirs

from gulou_desk.store.cipher import private_dir

log = logging.getLogger(__name__)

SERVICE_PREFIX = "gulou-desk:"
STORE_KEY_PREFIX = "gulou-desk-store:"
UNLOCK_PREFIX = "gulou-desk-unlock:"
ACCOUNT_FILE = "account.json"
DEVICE_FILE = "device.json"


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir("gulou-desk", "Gulou"))


def normalize_server_url(url: str) -> str:
    """``HTTPS://Desk.Example.cn:443/`` → ``https://desk.example.cn``: one key per server."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in (("https", 443), ("http", 80)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, "", ""))


def service_name(server_url: str, prefix: str = SERVICE_PREFIX) -> str:
    return prefix + normalize_server_url(server_url)


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in user, as the server described them at login (no secrets)."""

    server_url: str
    username: str
    user_id: str
    role: str
    display_name: str


class SaveOutcome(enum.Enum):
    SAVED = "saved"
    """The refresh token is in the OS keyring: the next start signs in by itself."""
    SESSION_ONLY = "session_only"
    """No usable keyring: kept in memory; the user will be asked for the password next time."""


class KeyringUnavailable(Exception):
    """The keyring cannot be used on this machine (or refused as a plain-file store)."""


def _refused_backend(backend: keyring.backend.KeyringBackend) -> bool:
    """Backends that are no keyring at all, or that keep secrets in files we do not trust."""
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or module.startswith("keyrings.alt"):
        return True
    return module.startswith("keyring.backends.null")


class CredentialStore:
    """Refresh token in the keyring, access token in memory, last account in JSON.

    ``backend`` is the keyring backend to use (tests pass an in-memory one); by default
    the one ``keyring`` chose for this machine. Thread-safe.
    """

    def __init__(
        self,
        config_dir: Path | None = None,
        backend: keyring.backend.KeyringBackend | None = None,
    ) -> None:
        self._config_dir = config_dir or default_config_dir()
        self._backend = backend
        self._lock = threading.Lock()
        self._access_token: str | None = None
        self._session_tokens: dict[tuple[str, str], str] = {}
        self._keyring_problem: str | None = None

    # -- keyring ---------------------------------------------------------------------------

    def _keyring(self) -> keyring.backend.KeyringBackend:
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        if _refused_backend(backend):
            raise KeyringUnavailable(f"no usable keyring ({type(backend).__module__})")
        return backend

    @property
    def keyring_problem(self) -> str | None:
        """Why the keyring could not be used last time (English, for the log), or ``None``."""
        return self._keyring_problem

    def keyring_available(self) -> bool:
        try:
            self._keyring()
        except KeyringUnavailable as exc:
            self._keyring_problem = str(exc)
            return False
        return True

    def save_refresh_token(self, server_url: str, username: str, token: str) -> SaveOutcome:
        """Keep the (rotated) refresh token; falls back to this session only, never a file."""
        key = (service_name(server_url), username)
        with self._lock:
            self._session_tokens[key] = token
        try:
            self._keyring().set_password(key[0], username, token)
        except (KeyringUnavailable, keyring.errors.KeyringError) as exc:
            self._keyring_problem = f"{type(exc).__name__}: {exc}"
            log.warning("refresh token kept for this session only: %s", self._keyring_problem)
            return SaveOutcome.SESSION_ONLY
        self._keyring_problem = None
        return SaveOutcome.SAVED

    def keep_for_session(self, server_url: str, username: str, token: str) -> None:
        """Hold a refresh token in memory only (the user did not tick "remember me")."""
        with self._lock:
            self._session_tokens[(service_name(server_url), username)] = token

    def refresh_token(self, server_url: str, username: str) -> str | None:
        """This session's token if there is one, else the keyring's, else ``None``."""
        key = (service_name(server_url), username)
        with self._lock:
            token = self._session_tokens.get(key)
        if token is not None:
            return token
        try:
            return self._keyring().get_password(key[0], username)
        except (KeyringUnavailable, keyring.errors.KeyringError) as exc:
            self._keyring_problem = f"{type(exc).__name__}: {exc}"
            log.info("no refresh token from the keyring: %s", self._keyring_problem)
            return None

    def forget_refresh_token(self, server_url: str, username: str) -> None:
        """Sign-out or a revoked session: drop the token everywhere."""
        key = (service_name(server_url), username)
        with self._lock:
            self._session_tokens.pop(key, None)
            self._access_token = None
        try:
            self._keyring().delete_password(key[0], username)
        except keyring.errors.PasswordDeleteError:
            pass  # there was none
        except (KeyringUnavailable, keyring.errors.KeyringError) as exc:
            log.info("could not remove the refresh token from the keyring: %s", exc)

    # -- the store key and the unlock verifier -----------------------------------------------

    def _keep_secret(self, service: str, username: str, secret: str) -> SaveOutcome:
        with self._lock:
            self._session_tokens[(service, username)] = secret
        try:
            self._keyring().set_password(service, username, secret)
        except (KeyringUnavailable, keyring.errors.KeyringError) as exc:
            self._keyring_problem = f"{type(exc).__name__}: {exc}"
            log.warning("a secret of %s is kept for this session only: %s", service,
                        self._keyring_problem)
            return SaveOutcome.SESSION_ONLY
        return SaveOutcome.SAVED

    def _secret(self, service: str, username: str) -> str | None:
        with self._lock:
            secret = self._session_tokens.get((service, username))
        if secret is not None:
            return secret
        try:
            return self._keyring().get_password(service, username)
        except (KeyringUnavailable, keyring.errors.KeyringError) as exc:
            self._keyring_problem = f"{type(exc).__name__}: {exc}"
            log.info("no %s secret from the keyring: %s", service, self._keyring_problem)
            return None

    def _forget_secret(self, service: str, username: str) -> None:
        with self._lock:
            self._session_tokens.pop((service, username), None)
        try:
            self._keyring().delete_password(service, username)
        except keyring.errors.PasswordDeleteError:
            pass  # there was none
        except (KeyringUnavailable, keyring.errors.KeyringError) as exc:
            log.info("could not remove a secret of %s from the keyring: %s", service, exc)

    def store_key(self, server_url: str, username: str) -> bytes | None:
        """The key of the account's local store, or ``None`` when there is none here."""
        from gulou_desk.store.cipher import key_from_text

        text = self._secret(service_name(server_url, STORE_KEY_PREFIX), username)
        if text is None:
            return None
        key = key_from_text(text)
        if key is None:
            log.warning("the keyring holds something that is no store key; ignored")
        return key

    def new_store_key(self, server_url: str, username: str) -> tuple[bytes, SaveOutcome]:
        """Make the account's store key (256 random bits) and keep it in the keyring."""
        from gulou_desk.store.cipher import key_to_text, new_key

        key = new_key()
        outcome = self._keep_secret(service_name(server_url, STORE_KEY_PREFIX), username,
                                    key_to_text(key))
        return key, outcome

    def save_unlock_verifier(self, server_url: str, username: str, password: str) -> None:
        """Keep an Argon2id hash of the password for the idle lock to check offline
        (made at each sign-in, so it follows a password change)."""
        from gulou_desk.passwords import hash_password

        verifier = hash_password(password)
        self._keep_secret(service_name(server_url, UNLOCK_PREFIX), username, verifier)

    def has_unlock_verifier(self, server_url: str, username: str) -> bool:
        return self._secret(service_name(server_url, UNLOCK_PREFIX), username) is not None

    def check_unlock(self, server_url: str, username: str, password: str) -> bool:
        """Whether ``password`` is the account's (offline, against the verifier); ``False``
        when there is no verifier. Slow on purpose (Argon2id): off the GUI thread."""
        from gulou_desk.passwords import verify_password

        verifier = self._secret(service_name(server_url, UNLOCK_PREFIX), username)
        if verifier is None:
            return False
        return verify_password(verifier, password)

    def forget_device_secrets(self, server_url: str, username: str) -> None:
        """Every secret of the account on this machine: the refresh token, the store key,
        the unlock verifier (a revoked device's wipe)."""
        self.forget_refresh_token(server_url, username)
        for prefix in (STORE_KEY_PREFIX, UNLOCK_PREFIX):
            self._forget_secret(service_name(server_url, prefix), username)

    # -- access token (memory only) --------------------------------------------------------

    @property
    def access_token(self) -> str | None:
        with self._lock:
            return self._access_token

    def set_access_token(self, token: str | None) -> None:
        with self._lock:
            self._access_token = token

    # -- last account (JSON, no secrets) ---------------------------------------------------

    @property
    def account_file(self) -> Path:
        return self._config_dir / ACCOUNT_FILE

    def remember_account(self, account: Account) -> None:
        data = asdict(account)
        data["server_url"] = normalize_server_url(account.server_url)
        _write_json(self.account_file, data)

    def last_account(self) -> Account | None:
        data = _read_json(self.account_file)
        if data is None:
            return None
        try:
            return Account(**{name: str(data[name]) for name in Account.__dataclass_fields__})
        except (KeyError, TypeError):
            log.warning("ignoring an unreadable %s", self.account_file)
            return None

    def forget_account(self) -> None:
        self.account_file.unlink(missing_ok=True)

    # -- device ----------------------------------------------------------------------------

    def device_id(self) -> str:
        """This machine's id for the server, made once and kept in the config folder."""
        path = self._config_dir / DEVICE_FILE
        data = _read_json(path)
        if data is not None and isinstance(data.get("device_id"), str) and data["device_id"]:
            return str(data["device_id"])
        device = str(uuid.uuid4())
        _write_json(path, {"device_id": device})
        return device

    def forget_device_id(self) -> None:
        """A wiped device signs in next as a new one (its revoked record stays revoked)."""
        (self._config_dir / DEVICE_FILE).unlink(missing_ok=True)

    @staticmethod
    def device_name() -> str:
        return socket.gethostname()[:128]


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("ignoring an unreadable %s", path, exc_info=True)
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: dict[str, object]) -> None:
    """Write atomically (a crash never leaves half a file), for the user only."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
