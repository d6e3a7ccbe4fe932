"""The layers of DESIGN.md, enforced: ui → sync → gulou_desk, server → gulou_desk, and the
launcher (``gulou_launcher``: ``main.py``, ``gulou-desk``) above ui and server.

The core and the sync engine never import Qt (they are tested without a display and reused
by the server); the core never imports HTTP; the server never imports the UI or the
client's store and sync engine (only the shared wire types); the desk client never
imports the server (the demo composes them in the launcher); the shell every section is
built from (``ui/shell``) never imports a section.

The check follows imports through the project's own modules: a module that imports a
module that imports a forbidden one breaks the rule too, whether the import is at the top
or inside a function.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gulou_desk", "gulou_launcher", "sync", "server", "ui")
"""The project's own top-level packages (what the check follows)."""
SECTIONS = ("ui.tickets", "ui.inbox", "ui.performance", "ui.households", "ui.visits",
            "ui.workbench", "ui.conflicts_view", "ui.participation")

# a layer (package or module prefix) → modules it must never reach, directly or not
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "gulou_desk": ("PySide6", "shiboken6", "qasync", "requests", "httpx", "fastapi",
                   "uvicorn", "starlette", "ui", "sync", "server", "gulou_launcher"),
    "sync": ("PySide6", "shiboken6", "qasync", "ui", "server", "fastapi", "starlette",
             "gulou_launcher"),
    "server": ("PySide6", "shiboken6", "qasync", "ui", "requests", "gulou_desk.store",
               "sync.client", "sync.engine", "sync.credentials", "gulou_launcher"),
    "ui": ("server", "gulou_launcher", "fastapi", "uvicorn", "starlette"),
    "ui.shell": SECTIONS,
}


def _imports(path: Path, package: str = "") -> list[str]:
    """The modules ``path`` imports (absolute and relative, anywhere in the file);
    ``package``: the package it is in (for relative imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            names.append(module)
            # ``from package import module``: the submodule is imported too
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_of(path)] = path
    return found


def _own(name: str) -> str | None:
    """The project module ``name`` is (or is in), or ``None`` for a third-party one."""
    modules = _modules()
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _is(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@functools.cache
def _direct(module: str) -> tuple[str, ...]:
    path = _modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return tuple(_imports(path, package))


def _reached(start: str) -> dict[str, str]:
    """Every module ``start`` reaches through the project's modules: name → the project
    module that imports it (to say how it is reached)."""
    seen: dict[str, str] = {}
    todo = [start]
    done: set[str] = set()
    while todo:
        module = todo.pop()
        if module in done:
            continue
        done.add(module)
        for name in _direct(module):
            seen.setdefault(name, module)
            own = _own(name)
            if own is not None and own not in done:
                # a package's __init__ runs before its submodules
                parts = own.split(".")
                todo += [".".join(parts[:i]) for i in range(1, len(parts) + 1)
                         if ".".join(parts[:i]) in _modules()]
    return seen


def _broken(layer: str) -> list[str]:
    broken = []
    for module in sorted(m for m in _modules() if _is(m, layer)):
        for name, via in _reached(module).items():
            if any(_is(name, forbidden) for forbidden in FORBIDDEN[layer]):
                broken.append(f"{module} reaches {name} (imported by {via})")
    return broken


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_never_reaches_what_it_must_not(layer: str) -> None:
    assert any(_is(m, layer) for m in _modules()), f"{layer} has no modules"
    assert _broken(layer) == []


def test_the_check_follows_imports_through_other_modules(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport requests\n"
                   "def later():\n    from . import sibling\n    from server import app\n",
                   encoding="utf-8")
    assert {"PySide6.QtCore", "requests", "server", "server.app", "ui.sibling"} <= set(
        _imports(bad, "ui"))
    # ui.app reaches ui.backend (imported inside a function) and what ui.backend imports
    reached = _reached("ui.app")
    assert reached["ui.backend"] == "ui.app" and "sync.engine" in reached
