"""`pip install "gulou-desk[server]"` gives a server without Qt, `[desk]` a desk client
without FastAPI: each set installed from its lock file (hashes checked) into a fresh venv
with the built wheel, then used without the other's packages."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL = {"gulou_desk", "gulou_launcher", "sync", "server", "ui"}

PROBES = {
    "server": """
        import importlib.util, subprocess, sys
        for name in ("PySide6", "shiboken6", "qasync", "keyring", "requests"):
            assert importlib.util.find_spec(name) is None, name
        from server.app import create_app
        from server.database import make_engine, migrate
        from server.settings import Settings
        url = "sqlite:///" + sys.argv[1] + "/server.sqlite"
        engine = make_engine(url)
        migrate(engine)
        app = create_app(Settings(db_url=url, secret_key="k" * 48, wechat_secret="w"), engine)
        assert "/api/v1/health" in app.openapi()["paths"]
        import sync.wire, gulou_desk.records  # the shared core and wire types
        print("server ok")
    """,
    "desk": """
        import importlib.util, os, sys
        # argon2 is the desk's too: the idle lock's offline password verifier.
        for name in ("fastapi", "starlette", "uvicorn", "psycopg", "faker"):
            assert importlib.util.find_spec(name) is None, name
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from gulou_desk.store.engine import open_store
        open_store(Path(sys.argv[1]) / "desk.sqlite")
        import sync.client, sync.engine, sync.wire
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        import ui.app, gulou_launcher
        from ui.login_dialog import LoginDialog
        print("desk ok")
    """,
}


@pytest.mark.parametrize("part", ["server", "desk"])
def test_each_part_installs_from_its_lock_and_runs_without_the_other(
        part: str, wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--require-hashes", "-r",
                    str(ROOT / "requirements" / f"{part}.txt")], check=True, timeout=900)
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, timeout=300)
    probe = subprocess.run([python, "-c", textwrap.dedent(PROBES[part]), str(tmp_path)],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    assert f"{part} ok" in probe.stdout
    # Nothing generic leaks into site-packages: the wheel's top-level names are ours.
    record = next((venv / "lib").glob("python3*/site-packages/gulou_desk-*.dist-info/RECORD"))
    names = {line.split("/", 1)[0] for line in record.read_text().splitlines()
             if "/" in line and ".dist-info/" not in line and not line.startswith("..")}
    assert names == TOP_LEVEL, names
