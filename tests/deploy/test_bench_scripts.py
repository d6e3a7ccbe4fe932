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


def test_load_test_secrets_start_a_server() -> None:
    """The load test's servers once refused to start: the bot's secret it made
    ("bench-wechat-" and 32 hex digits) carried fewer bits than the server asks for."""
    import importlib.util

    from server.settings import secret_problem

    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    for value in module.new_secrets():
        assert secret_problem(value) is None
