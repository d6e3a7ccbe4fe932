"""sync.credentials: keyring (in-memory backend and the fail backend), accounts, device id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from sync.credentials import (
    Account,
    CredentialStore,
    SaveOutcome,
    normalize_server_url,
    service_name,
)
from tests.keyrings import MemoryKeyring

SERVER = "https://desk.example.cn"


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the user refused to unlock it")


@pytest.fixture
def fail_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(before)


def files_under(path: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in path.rglob("*") if p.is_file())


def test_refresh_token_goes_to_the_keyring(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path)
    assert store.keyring_available()
    assert store.save_refresh_token(SERVER + "/", "zhangsan", "r-1") is SaveOutcome.SAVED
    assert memory_keyring.secrets == {("gulou-desk:https://desk.example.cn", "zhangsan"): "r-1"}
    # A new process (a new store) finds it in the keyring.
    assert CredentialStore(tmp_path).refresh_token(SERVER, "zhangsan") == "r-1"
    assert "r-1" not in files_under(tmp_path)


def test_rotation_overwrites_and_forget_removes(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    store = CredentialStore(tmp_path)
    store.save_refresh_token(SERVER, "zhangsan", "r-1")
    store.save_refresh_token(SERVER, "zhangsan", "r-2")
    assert CredentialStore(tmp_path).refresh_token(SERVER, "zhangsan") == "r-2"
    store.set_access_token("a-2")
    store.forget_refresh_token(SERVER, "zhangsan")
    assert memory_keyring.secrets == {}
    assert store.refresh_token(SERVER, "zhangsan") is None
    assert store.access_token is None
    store.forget_refresh_token(SERVER, "zhangsan")  # twice is fine


def test_tokens_are_kept_per_server_and_user(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    store = CredentialStore(tmp_path)
    store.save_refresh_token(SERVER, "zhangsan", "a")
    store.save_refresh_token("http://127.0.0.1:8765", "zhangsan", "b")
    store.save_refresh_token(SERVER, "lisi", "c")
    fresh = CredentialStore(tmp_path)
    assert fresh.refresh_token(SERVER, "zhangsan") == "a"
    assert fresh.refresh_token("http://127.0.0.1:8765/", "zhangsan") == "b"
    assert fresh.refresh_token(SERVER, "lisi") == "c"


def test_without_a_keyring_the_session_goes_on_and_nothing_is_written(
    fail_keyring: None, tmp_path: Path
) -> None:
    store = CredentialStore(tmp_path)
    assert not store.keyring_available()
    outcome = store.save_refresh_token(SERVER, "zhangsan", "secret-refresh")
    assert outcome is SaveOutcome.SESSION_ONLY
    assert store.keyring_problem
    # Usable for the rest of this session …
    assert store.refresh_token(SERVER, "zhangsan") == "secret-refresh"
    # … but gone for the next one, and never written to a file.
    assert CredentialStore(tmp_path).refresh_token(SERVER, "zhangsan") is None
    assert "secret-refresh" not in files_under(tmp_path)
    store.forget_refresh_token(SERVER, "zhangsan")
    assert store.refresh_token(SERVER, "zhangsan") is None


def test_a_locked_keyring_is_session_only(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path, backend=LockedKeyring())
    assert store.save_refresh_token(SERVER, "zhangsan", "r") is SaveOutcome.SESSION_ONLY
    assert store.refresh_token(SERVER, "zhangsan") == "r"


def test_plain_file_keyrings_are_refused(tmp_path: Path) -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    backend = PlaintextKeyring()
    store = CredentialStore(tmp_path, backend=backend)
    assert not store.keyring_available()
    assert store.save_refresh_token(SERVER, "zhangsan", "r") is SaveOutcome.SESSION_ONLY
    assert backend.secrets == {}


def test_access_token_is_memory_only(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    store = CredentialStore(tmp_path)
    store.set_access_token("access-xyz")
    store.remember_account(Account(SERVER, "zhangsan", "u1", "social_worker", "张三"))
    assert store.access_token == "access-xyz"
    assert CredentialStore(tmp_path).access_token is None
    assert memory_keyring.secrets == {}
    assert "access-xyz" not in files_under(tmp_path)


def test_last_account_round_trip(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "config")
    assert store.last_account() is None
    account = Account(SERVER + "/", "zhangsan", "u-1", "social_worker", "张三")
    store.remember_account(account)
    again = CredentialStore(tmp_path / "config").last_account()
    assert again == Account(SERVER, "zhangsan", "u-1", "social_worker", "张三")
    data = json.loads((tmp_path / "config" / "account.json").read_text(encoding="utf-8"))
    assert set(data) == {"server_url", "username", "user_id", "role", "display_name"}
    store.forget_account()
    assert store.last_account() is None


def test_unreadable_account_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "account.json").write_text("{not json", encoding="utf-8")
    assert CredentialStore(tmp_path).last_account() is None
    (tmp_path / "account.json").write_text('{"username": "x"}', encoding="utf-8")
    assert CredentialStore(tmp_path).last_account() is None


def test_device_id_is_made_once(tmp_path: Path) -> None:
    first = CredentialStore(tmp_path).device_id()
    assert first == CredentialStore(tmp_path).device_id()
    assert len(first) == 36
    assert CredentialStore.device_name()


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://Desk.Example.cn/", "https://desk.example.cn"),
        ("HTTPS://desk.example.cn:443", "https://desk.example.cn"),
        ("desk.example.cn", "https://desk.example.cn"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("https://e.gulou.gov.cn/desk/", "https://e.gulou.gov.cn/desk"),
    ],
)
def test_server_urls_are_normalized(url: str, normal: str) -> None:
    assert normalize_server_url(url) == normal
    assert service_name(url) == "gulou-desk:" + normal
