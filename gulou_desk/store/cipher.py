"""The local store encrypted at rest: SQLCipher, its key, and the files around it.

A social worker's laptop holds the ID numbers, phones and family situations of thousands
of residents, so the store file is encrypted with SQLCipher (AES-256 in CBC mode per
page, each page authenticated by an HMAC-SHA512; the binding is ``sqlcipher3``, see
``docs/architecture.md`` for why). The **key** is 32 random bytes made at the first
sign-in and kept in the OS keyring under the account (``sync.credentials``); it is given
to SQLCipher as a raw key (``PRAGMA key = "x'…'"``), so opening a connection costs no key
derivation. The key is never written to a file or a log.

What this module does with files:

* every file and folder it makes is the user's only (0600 / 0700): SQLite creates the
  ``-wal`` and ``-shm`` files with the mode of the database file, so the store file is
  made with 0600 before SQLite first opens it;
* :func:`encrypt_in_place` turns a plaintext store (made before the upgrade) into an
  encrypted one with ``sqlcipher_export``, its outbox and drafts intact, then overwrites
  and removes the plaintext; a crash at any point leaves either the plaintext or the
  encrypted store in place, and the next open finishes or starts again;
* :func:`set_aside` moves a store that cannot be read (its key is gone) out of the way,
  whole, so that a fresh copy can be downloaded beside it and nothing is deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KEY_BYTES = 32
"""256-bit keys."""
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database file."""
ENCRYPTING_SUFFIX = ".encrypting"
PLAINTEXT_SUFFIX = ".plaintext"
FILE_MODE = 0o600
DIR_MODE = 0o700


class StoreKeyError(Exception):
    """The store cannot be opened for want of the right key. ``path`` is the store file."""

    code = "store_key"

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class StoreKeyMissing(StoreKeyError):
    """An encrypted store whose key this computer does not have (the keyring was reset,
    or the file was copied from another machine). The file is left where it is."""

    code = "store_key_missing"


class StoreUnreadable(StoreKeyError):
    """The key does not open the store: the file is damaged, or was encrypted with a key
    this computer no longer has. The file is left where it is."""

    code = "store_unreadable"


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_to_text(key: bytes) -> str:
    """The form a key is kept in the keyring (hex)."""
    if len(key) != KEY_BYTES:
        raise ValueError("a store key has 32 bytes")
    return key.hex()


def key_from_text(text: str) -> bytes | None:
    """The key kept as :func:`key_to_text` made it, or ``None`` when it is not one."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def key_pragma(key: bytes) -> str:
    """``PRAGMA key`` with a raw key: SQLCipher uses it as is (no PBKDF2 per connection).

    Never log what this returns.
    """
    return f"PRAGMA key = \"x'{key_to_text(key)}'\""


def dbapi() -> Any:
    """The DB-API module of the client's store (SQLCipher's build of SQLite, FTS5 in)."""
    from sqlcipher3 import dbapi2

    return dbapi2


# --- files ---------------------------------------------------------------------------------


def private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) a folder only the user may enter (0700).

    A folder shared on purpose (sticky, like ``/tmp``) or not the user's own is left as
    it is: tightening it would lock every other user and service out of it (a store or
    log put straight into ``/tmp`` once made it 0700 for the whole machine). The files
    inside are still created user-only (:func:`private_file`)."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if os.name != "posix":
        return path
    info = path.stat()
    shared = bool(info.st_mode & stat.S_ISVTX) or info.st_uid != os.geteuid()
    if not shared and stat.S_IMODE(info.st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist, else make it 0600."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        if os.name == "posix":
            path.chmod(FILE_MODE)
    else:
        os.close(fd)


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


def is_plaintext(path: Path) -> bool:
    """Whether the file is a plain SQLite database (an encrypted one starts with random
    bytes, its salt)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def exists(path: Path) -> bool:
    """Whether a store with data is there (an empty file, as a crash at creation leaves,
    is no store)."""
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def shred(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then remove it.

    Best effort: on an SSD or a copy-on-write file system the old blocks may survive
    elsewhere on the device; full-disk encryption (BitLocker, FileVault, LUKS) covers
    those. What matters more is that nothing readable is written from now on.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    try:
        with path.open("r+b", buffering=0) as handle:
            block = b"\0" * 65536
            left = size
            while left > 0:
                left -= handle.write(block[:min(left, len(block))])
            os.fsync(handle.fileno())
    except OSError as exc:
        log.warning("could not overwrite %s before removing it: %s", path.name, exc)
    path.unlink(missing_ok=True)


def remove_store_files(path: Path) -> None:
    """Overwrite and remove a store file and the files SQLite keeps beside it."""
    for side in [path, *side_files(path)]:
        shred(side)


def set_aside(path: Path, *, now: dt.datetime | None = None) -> Path:
    """Move a store that cannot be read (with its ``-wal`` and ``-shm``) to
    ``<name>.unreadable-<time>.sqlite`` beside it; returns the new path. Nothing is
    deleted: if its key turns up (a keyring restored from a backup) IT can still open it.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.unreadable-{stamp}-{n}{path.suffix}")
    for side, suffix in zip(side_files(path), SIDE_SUFFIXES, strict=True):
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(path, target)
    return target


# --- plaintext → encrypted ------------------------------------------------------------------


def _connect(path: Path, key: bytes | None) -> Any:
    conn = dbapi().connect(str(path), isolation_level=None)
    if key is not None:
        conn.execute(key_pragma(key))
    return conn


def can_open(path: Path, key: bytes) -> bool:
    """Whether ``key`` opens the store (reading its schema is the test SQLCipher offers)."""
    conn = _connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi().DatabaseError:
        return False
    finally:
        conn.close()
    return True


def finish_interrupted(path: Path) -> None:
    """Finish or undo an :func:`encrypt_in_place` that a crash cut short.

    The plaintext is renamed to ``<store>.plaintext`` only once the encrypted copy is
    complete, and the encrypted copy then takes the store's name: a ``.plaintext`` beside
    an encrypted store is what is left to shred; a ``.plaintext`` without a store goes
    back to its name (the encryption runs again).
    """
    plain = path.with_name(path.name + PLAINTEXT_SUFFIX)
    partial = path.with_name(path.name + ENCRYPTING_SUFFIX)
    if plain.exists():
        if exists(path) and not is_plaintext(path):
            remove_store_files(plain)
        else:
            os.replace(plain, path)
    if partial.exists():
        remove_store_files(partial)


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Turn the plaintext store at ``path`` into an encrypted one with ``key``.

    ``sqlcipher_export`` copies every table, index, trigger and the FTS5 index (the outbox
    and drafts with the rest) into a new encrypted file; the row counts of every table are
    compared before the copy replaces the plaintext, which is then overwritten and
    removed, with its ``-wal`` and ``-shm``.
    """
    finish_interrupted(path)
    partial = path.with_name(path.name + ENCRYPTING_SUFFIX)
    plain = path.with_name(path.name + PLAINTEXT_SUFFIX)
    private_file(partial)
    source = _connect(path, None)
    try:
        # Everything in the WAL goes into the main file, so the rename below moves it all.
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]  # FTS5: its shadows
        counts = {t: source.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in tables}
        user_version = source.execute("PRAGMA user_version").fetchone()[0]
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"",
                       (str(partial),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        source.execute(f"PRAGMA encrypted.user_version = {int(user_version)}")
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    target = _connect(partial, key)
    try:
        target.execute("PRAGMA journal_mode = WAL")
        copied = {t: target.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in tables}
    finally:
        target.close()
    if copied != counts:
        remove_store_files(partial)
        raise RuntimeError("the encrypted copy of the local store is not complete")
    for side in side_files(path):  # closed cleanly: nothing left in them but stale bytes
        shred(side)
    os.replace(path, plain)
    os.replace(partial, path)
    remove_store_files(plain)
    log.info("the local store %s is encrypted now (%d tables)", path.name, len(tables))


def secure_existing(path: Path) -> None:
    """Make an existing store and its side files the user's only (stores made before the
    upgrade were created with the default mode, often 0644)."""
    if os.name != "posix":
        return
    private_dir(path.parent)
    for side in [path, *side_files(path)]:
        with contextlib.suppress(FileNotFoundError):
            side.chmod(FILE_MODE)
