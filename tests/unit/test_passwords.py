"""Password hashes (``gulou_desk.passwords``): production parameters outside tests, one
way of checking for the server and the desk's idle lock."""

from __future__ import annotations

import subprocess
import sys

from argon2 import extract_parameters

from gulou_desk import passwords

SNIPPET = (
    "from gulou_desk import passwords; import server.auth; "
    "print(passwords.hash_password('secret-pass-1'))"
)


def test_a_process_that_is_no_test_hashes_with_the_production_parameters() -> None:
    """The server and the desk (a process where ``tests/conftest`` never ran) make
    Argon2id hashes with 64 MiB, 3 passes and 4 lanes, and check them."""
    made = subprocess.run([sys.executable, "-c", SNIPPET], check=True,
                          capture_output=True, text=True).stdout.strip()
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    got = extract_parameters(made)
    assert (got.memory_cost, got.time_cost, got.parallelism) == (65536, 3, 4)
    assert got == passwords.PRODUCTION
    # a hash made with the production parameters checks in a test process too
    assert passwords.verify_password(made, "secret-pass-1")
    assert not passwords.verify_password(made, "secret-pass-2")


def test_tests_hash_with_the_least_parameters_and_check_the_same_way() -> None:
    assert passwords.parameters() == passwords.FOR_TESTS
    made = passwords.hash_password("secret-pass-1")
    assert made.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert passwords.verify_password(made, "secret-pass-1")
    assert not passwords.verify_password(made, "secret-pass-2")
    assert not passwords.verify_password("not a hash", "secret-pass-1")
    assert passwords.dummy_hash().startswith("$argon2id$v=19$m=8,t=1,p=1$")
