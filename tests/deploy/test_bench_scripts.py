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
