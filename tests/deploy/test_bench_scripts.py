"""Every benchmark under ``bench/`` still starts.

Benchmarks are not imported by the product or the other tests, so a rename in the server
(``server.routes.intake.sign`` became ``server.bot_signature``) once left ``bench/load.py``
failing at its first line, unnoticed until someone needed the figures. ``--help`` imports
every module a bench uses and parses its options, without running it.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("_"))


def test_there_are_benches() -> None:
    assert len(SCRIPTS) >= 5


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bench_starts(script: Path) -> None:
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                          text=True, timeout=120, cwd=BENCH.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout


def _load_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_load_test_secrets_start_a_server() -> None:
    """The load test's servers once refused to start: the bot's secret it made
    ("bench-wechat-" and 32 hex digits) carried fewer bits than the server asks for."""
    from server.settings import secret_problem

    module = _load_module()
    for value in module.new_secrets():
        assert secret_problem(value) is None


def test_the_load_test_s_clerks_assign_tickets_that_may_be_assigned() -> None:
    """698 of a run's 700 rejected pushes were clerks assigning closed tickets: the
    simulator picked any ticket of the community (most are closed), which no clerk does.
    Its clerks now assign only tickets the domain lets them assign; the push mix keeps its
    assignments and comments."""
    import random

    from gulou_desk.domain.workflows import TICKET_TRANSITIONS

    assignable = next(t for t in TICKET_TRANSITIONS if t.action == "assign").from_states
    module = _load_module()
    clerk = module.Device(username="clerk1", role="clerk")
    statuses = ["closed"] * 80 + ["resolved"] * 8 + ["cancelled"] * 4 + ["merged"] * 2 + [
        "new", "returned", "assigned", "accepted", "in_progress", "waiting"]
    clerk.tickets = {f"t{k}": status for k, status in enumerate(statuses)}
    clerk.workers = ["w1", "w2"]
    rng = random.Random(15)
    pushed = [m for _ in range(200) for m in module.edits(clerk, rng)]
    assigned = [clerk.tickets[m["id"]] for m in pushed if m.get("action") == "assign"]
    comments = [m for m in pushed if m.get("action") == "comment"]
    assert len(assigned) > 100 and len(comments) > 100, (len(assigned), len(comments))
    refused = [s for s in assigned if s not in assignable]
    assert refused == [], f"{len(refused)} of {len(assigned)} assignments refused"


def test_the_size_breakdown_reads_an_encrypted_store_page_for_page(tmp_path: Path) -> None:
    """``bench/store_size.py`` decrypts SQLCipher's pages itself (its build has no
    ``dbstat``): the copy must be the store's own pages, readable, and the figures its."""
    import sqlite3

    from gulou_desk.store.engine import open_store

    key = bytes(range(32))
    store = open_store(tmp_path / "s.sqlite", key=key)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO sync_state (key, value) VALUES ('bench', ?)", ('"' + "x" * 9000 + '"',))
    store.close()
    done = subprocess.run([sys.executable, str(BENCH / "store_size.py"),
                           str(tmp_path / "s.sqlite"), "--keep-copy", str(tmp_path / "p")],
                          capture_output=True, text=True, timeout=120, cwd=BENCH.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    copy = sqlite3.connect(tmp_path / "p")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT length(value) FROM sync_state WHERE key = 'bench'"
                        ).fetchone() == (9002,)
    pages = copy.execute("PRAGMA page_count").fetchone()[0]
    copy.close()
    assert (tmp_path / "s.sqlite").stat().st_size == pages * 4096
    assert f"({pages:,} pages of 4096" in done.stdout
    assert "sync_state" in done.stdout and "outbox" in done.stdout
