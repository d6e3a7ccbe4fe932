"""The layers of DESIGN.md, enforced: ui → sync → gulou_desk, server → gulou_desk.

The core and the sync engine never import Qt (they are tested without a display and reused
by the server); the core never imports HTTP; the server never imports the UI or the
client's store and sync engine (only the shared wire types).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package → top-level modules it must never import
FORBIDDEN = {
    "gulou_desk": {"PySide6", "shiboken6", "qasync", "requests", "httpx", "fastapi",
                   "uvicorn", "starlette", "ui", "sync", "server"},
    "sync": {"PySide6", "shiboken6", "qasync", "ui", "server", "fastapi", "starlette"},
    "server": {"PySide6", "shiboken6", "qasync", "ui", "requests"},
}
# modules of a package that another package may not reach into
FORBIDDEN_SUBMODULES = {
    "server": ("gulou_desk.store", "sync.client", "sync.engine", "sync.credentials"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_its_layer(package: str) -> None:
    assert _files(package), f"{package}/ has no modules"
    broken = []
    for path in _files(package):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in FORBIDDEN[package]:
                broken.append(f"{path.relative_to(ROOT)} imports {name}")
            for sub in FORBIDDEN_SUBMODULES.get(package, ()):
                if name == sub or name.startswith(sub + "."):
                    broken.append(f"{path.relative_to(ROOT)} imports {name}")
    assert broken == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport requests\n", encoding="utf-8")
    assert _imports(bad) == ["PySide6.QtCore", "requests"]
