"""Refresh the translation sources from the UI code and build the .qm catalogues.

    python scripts/build_translations.py            # lupdate (ui/ → .ts), then lrelease
    python scripts/build_translations.py --release  # lrelease only (.ts → .qm); alias
                                                    # --release-only (./dev setup)
    python scripts/build_translations.py --check    # fail if a .ts is out of date or a
                                                    # Chinese translation is missing

Sources are English. ``gulou_desk_zh_CN.ts`` carries every string in Simplified Chinese;
``gulou_desk_en.ts`` only the English plural forms (``-pluralonly``). Translate with
Qt Linguist (``pyside6-linguist``) or by editing the .ts; never edit a .qm, which is
generated (and not committed). Run it after changing any user-visible string.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.i18n import (  # noqa: E402 - needs the repository on the path
    LANGUAGES,
    TRANSLATIONS_DIR,
    compile_translations,
    qt_tool,
    ts_path,
)

SOURCE_DIRS = ("ui",)


def sources() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))


def lupdate(language: str, target: Path) -> None:
    files = [os.fspath(p.relative_to(ROOT)) for p in sources()]
    args = [
        os.fspath(qt_tool("lupdate")),
        "-silent",
        "-locations", "none",
        "-no-obsolete",
        "-target-language", language,
        "-source-language", "en",
    ]
    if language == "en":
        args.append("-pluralonly")
    result = subprocess.run(
        [*args, *files, "-ts", os.fspath(target)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"lupdate failed for {language}: {result.stderr.strip()}")


def unfinished(ts: Path) -> list[str]:
    """Source texts without a finished translation."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if translation is None or translation.get("type") in ("unfinished", "vanished"):
            missing.append(source)
            continue
        forms = translation.findall("numerusform")
        texts = [f.text for f in forms] if forms else [translation.text]
        if not all(t and t.strip() for t in texts):
            missing.append(source)
    return missing


def check() -> int:
    """Exit status 1 if the committed .ts files do not match the code."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in LANGUAGES:
            current = ts_path(language)
            fresh = Path(tmp) / current.name
            if current.exists():
                shutil.copy(current, fresh)
            lupdate(language, fresh)
            if not current.exists() or fresh.read_bytes() != current.read_bytes():
                problems.append(f"{current.name} is out of date: run {Path(__file__).name}")
            for source in unfinished(fresh):
                problems.append(f"{current.name}: not translated: {source!r}")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", "--release-only", dest="release", action="store_true",
                        help="only build the .qm files (what ./dev setup runs)")
    parser.add_argument("--check", action="store_true", help="only check the .ts files")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if not args.release:
        TRANSLATIONS_DIR.mkdir(parents=True, exist_ok=True)
        for language in LANGUAGES:
            lupdate(language, ts_path(language))
            left = unfinished(ts_path(language))
            if left:
                sys.stdout.write(f"{ts_path(language).name}: {len(left)} string(s) to translate\n")
    for qm in compile_translations():
        sys.stdout.write(f"built {qm.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
