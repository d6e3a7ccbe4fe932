"""One palette: the desk's colours are chosen in ``ui/palette.py`` and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui import palette

ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def test_a_style_sheet_names_its_colours_from_the_palette() -> None:
    assert palette.qss("QLabel#muted { color: @muted; background: @white; }") == (
        f"QLabel#muted {{ color: {palette.MUTED}; background: {palette.WHITE}; }}")
    with pytest.raises(KeyError, match="no colour 'mauve'"):
        palette.qss("QLabel { color: @mauve; }")
    with pytest.raises(KeyError):
        palette.qss("QLabel { color: @qss; }")  # a name of the module, not a colour


def test_no_view_picks_its_own_colour() -> None:
    picked = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
              for path in sorted((ROOT / "ui").rglob("*.py")) if path.name != "palette.py"
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if HEX.search(line.split("  #")[0]) and not line.lstrip().startswith("#")]
    assert picked == []
