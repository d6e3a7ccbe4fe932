"""Password hashes, the same way on the server (accounts) and the desk (the idle lock's
offline verifier): Argon2id (argon2-cffi) with :data:`PRODUCTION` parameters.

A hash carries its own parameters, so a check costs what the hash was made with. Tests
make their hashes with :data:`FOR_TESTS` (:func:`use_parameters`, from ``tests/conftest``
only): thousands of sign-ins at 64 MiB and three passes each were most of the core tests'
CPU time. ``tests/unit/test_passwords.py`` checks that a process that never asks for other
parameters (the server, the desk) hashes with :data:`PRODUCTION`.
"""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

PRODUCTION: Parameters = RFC_9106_LOW_MEMORY
"""Argon2id, 64 MiB, 3 passes, 4 lanes: tens of milliseconds of every core given."""
FOR_TESTS = Parameters(type=PRODUCTION.type, version=PRODUCTION.version, salt_len=16,
                       hash_len=32, time_cost=1, memory_cost=8, parallelism=1)
"""The least Argon2id allows; for tests only."""

_hasher = PasswordHasher.from_parameters(PRODUCTION)
_dummy: str | None = None


def use_parameters(parameters: Parameters) -> None:
    """Hash with ``parameters`` from now on in this process (tests: :data:`FOR_TESTS`)."""
    global _hasher, _dummy
    _hasher, _dummy = PasswordHasher.from_parameters(parameters), None


def parameters() -> Parameters:
    """The parameters new hashes are made with."""
    return Parameters(type=PRODUCTION.type, version=PRODUCTION.version,
                      salt_len=_hasher.salt_len, hash_len=_hasher.hash_len,
                      time_cost=_hasher.time_cost, memory_cost=_hasher.memory_cost,
                      parallelism=_hasher.parallelism)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` is the one ``password_hash`` was made from (``False`` for a
    wrong password or a text that is no Argon2 hash)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A hash of no one's password, made with the current parameters: checking against it
    when a username is unknown costs what checking a real one does."""
    global _dummy
    if _dummy is None:
        _dummy = _hasher.hash("not-a-password")
    return _dummy
