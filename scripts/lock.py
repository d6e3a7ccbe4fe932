"""The lock files: every dependency of each install set pinned, with hashes, for every
platform (``uv pip compile --universal``: the Windows build of the desk app uses them too).

    python scripts/lock.py            refresh requirements/*.txt from pyproject.toml
                                      (= ./dev lock; needs the network, PyPI)
    python scripts/lock.py --check    fail if pyproject.toml changed since (offline;
                                      tests/unit/test_lock.py runs it)

Each lock starts with a line ``# pyproject: <sha256>`` of the dependency declarations it
was made from; ``--check`` compares it, and that every declared requirement is met by a
pinned version of the set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
SETS: dict[str, list[str]] = {
    "desk": ["desk"],                              # the desk client alone
    "server": ["server"],                          # the central server alone
    "dev": ["desk", "server", "test"],             # ./dev setup, ./dev test, CI
    "bundle": ["desk", "bundle"],                  # ./dev bundle (PyInstaller)
}
PYTHON = "3.11"
MARK = "# pyproject: "


def declared(extras: list[str]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    optional = project.get("optional-dependencies", {})
    return list(project["dependencies"]) + [r for e in extras for r in optional[e]]


def fingerprint(extras: list[str]) -> str:
    text = json.dumps({"python": PYTHON, "requires": declared(extras)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def refresh(names: list[str]) -> None:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        sys.exit("uv is not installed: ./dev setup installs it (or pip install uv)")
    LOCKS.mkdir(exist_ok=True)
    for name in names:
        out = LOCKS / f"{name}.txt"
        command = [uv, "pip", "compile", "pyproject.toml", "--universal", "--python-version",
                   PYTHON, "--generate-hashes", "--quiet", "--no-header",
                   "--custom-compile-command", "./dev lock", "--output-file", str(out),
                   *[a for e in SETS[name] for a in ("--extra", e)]]
        subprocess.run(command, cwd=ROOT, check=True)
        body = out.read_text()
        header = (f"{MARK}{fingerprint(SETS[name])}\n"
                  f"# The {name} set ({' + '.join(SETS[name])}) of pyproject.toml, pinned with "
                  "hashes. Made by `./dev lock`; do not edit.\n")
        out.write_text(header + body)
        print(f"locked {out.relative_to(ROOT)}: {body.count('==')} packages")  # noqa: T201


_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;\\]+)", re.M)


def problems(name: str) -> list[str]:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    path = LOCKS / f"{name}.txt"
    if not path.exists():
        return [f"{path.relative_to(ROOT)} is missing"]
    text = path.read_text()
    found = []
    if not text.startswith(MARK) or text[len(MARK):].split("\n", 1)[0] != fingerprint(
            SETS[name]):
        found.append(f"{path.relative_to(ROOT)} was made from another pyproject.toml")
    pins = {canonicalize_name(m.group(1)): m.group(3) for m in _PIN.finditer(text)}
    for line in declared(SETS[name]):
        requirement = Requirement(line)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            found.append(f"{requirement.name} is not in {path.name}")
        elif not requirement.specifier.contains(version, prereleases=True):
            found.append(f"{requirement.name}=={version} in {path.name} does not meet "
                         f"{requirement}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("sets", nargs="*", choices=[[], *SETS], default=[])
    args = parser.parse_args()
    names = args.sets or list(SETS)
    if args.check:
        found = [p for name in names for p in problems(name)]
        for problem in found:
            print(problem, file=sys.stderr)  # noqa: T201
        if found:
            print("run ./dev lock to refresh the lock files", file=sys.stderr)  # noqa: T201
        return 1 if found else 0
    refresh(names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
