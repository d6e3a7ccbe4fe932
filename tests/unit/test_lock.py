"""The lock files agree with pyproject.toml: a dependency added, removed or changed there
without `./dev lock` fails here (offline), naming the file and the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import lock  # noqa: E402


def test_every_lock_file_was_made_from_the_current_pyproject() -> None:
    found = subprocess.run([sys.executable, "scripts/lock.py", "--check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert found.returncode == 0, found.stderr


def test_a_dependency_added_without_relocking_is_caught(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    real = lock.declared
    monkeypatch.setattr(lock, "declared", lambda extras: [*real(extras), "jieba>=0.42"])
    problems = lock.problems("dev")
    assert any("another pyproject.toml" in p for p in problems)
    assert "jieba is not in dev.txt" in problems


def test_the_sets_keep_qt_and_the_server_apart() -> None:
    pins = {name: (ROOT / "requirements" / f"{name}.txt").read_text().lower()
            for name in ("desk", "server", "dev")}
    assert "pyside6-essentials==" in pins["desk"] and "fastapi==" not in pins["desk"]
    assert "psycopg==" not in pins["desk"]
    assert "fastapi==" in pins["server"] and "pyside6" not in pins["server"]
    assert "--hash=sha256:" in pins["server"]
    assert all(p in pins["dev"] for p in ("pyside6-essentials==", "fastapi==", "pytest=="))
