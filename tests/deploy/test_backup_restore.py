"""The backup procedure of docs/deployment.md works: a pg_dump of a live database is
restored by deploy/restore-check.sh, a server starts on the copy, and the counts and the
change-log version are the source's; a damaged dump is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from server.database import make_engine, migrate
from tests.world import build_world

ROOT = Path(__file__).resolve().parents[2]


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_nightly_dump_restores_and_serves(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    migrate(engine)
    build_world(engine)
    engine.dispose()
    dump = tmp_path / "gulou.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), _plain(pg_url)],
                   check=True, timeout=120)
    admin = sa.engine.make_url(_plain(pg_url)).set(database="postgres")
    env = {**os.environ, "PYTHON": sys.executable,
           "GULOU_ADMIN_URL": admin.render_as_string(hide_password=False)}
    good = subprocess.run([str(ROOT / "deploy" / "restore-check.sh"), str(dump),
                           _plain(pg_url)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "the counts are the source's" in good.stdout
    assert "restore-check: good" in good.stdout

    damaged = tmp_path / "damaged.dump"
    data = dump.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    bad = subprocess.run([str(ROOT / "deploy" / "restore-check.sh"), str(damaged)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode != 0
