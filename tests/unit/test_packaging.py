"""The wheel carries what the installed app and server need at run time, not only code:
the client's icons, style sheet and translations, and both databases' migrations.

Built from a copy of the tracked files (plus the generated ``.qm`` catalogues), so the
checkout stays clean, without network (``--no-build-isolation``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    catalogues = [str(p.relative_to(ROOT)) for p in
                  (ROOT / "resources" / "translations").glob("*.qm")]
    assert catalogues, "build the translations first (./dev setup)"
    for name in [n for n in tracked if n] + catalogues:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(source)], check=True, timeout=300)
    [built] = out.glob("gulou_desk-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_client_resources_are_in_the_wheel(wheel_names: set[str]) -> None:
    """The top-level ``resources/`` folder ships as ``ui/resources`` (``ui/paths.py``)."""
    icons = {p.name for p in (ROOT / "resources" / "icons").glob("*.svg")}
    assert icons and {f"ui/resources/icons/{name}" for name in icons} <= wheel_names
    assert "ui/resources/style.qss" in wheel_names
    assert {"ui/resources/translations/gulou_desk_zh_CN.qm",
            "ui/resources/translations/gulou_desk_en.qm"} <= wheel_names


def test_both_databases_can_be_migrated_from_the_wheel(wheel_names: set[str]) -> None:
    for folder in (ROOT / "server" / "migrations", ROOT / "gulou_desk" / "store" / "migrations"):
        relative = folder.relative_to(ROOT).as_posix()
        needed = {f"{relative}/env.py", f"{relative}/script.py.mako"} | {
            f"{relative}/versions/{p.name}" for p in (folder / "versions").glob("0*.py")}
        assert len(needed) > 3 and needed <= wheel_names, needed - wheel_names


def test_the_commands_are_declared(wheel: Path, wheel_names: set[str]) -> None:
    [name] = [n for n in wheel_names if n.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(name).decode()
    assert "gulou-desk = gulou_launcher:main" in text
    assert {"gulou_launcher/__init__.py", "gulou_launcher/demo.py"} <= wheel_names
    assert "gulou-server = server.cli:main" in text
