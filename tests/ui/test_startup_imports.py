"""What the desk's start does not load: each is imported when its work comes, if ever.

- openpyxl (17 MB, a fifth of a second): by an export's worker (ui/performance/export.py);
- Alembic (a fifth of a second, 20 MB with its migrations): only when a store needs
  migrating (gulou_desk/store/engine.py, ``migrate``);
- pypinyin's whole phrase dictionary (44 MB): never; the phrases a name may hold are given
  instead (gulou_desk/store/search_names.py).

A district supervisor's app started at 309 MB and grew to 439 MB after browsing
(bench/cold_start.py); these three were 100 MB of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_IMPORT_EVERY_UI_MODULE = r"""
import json, pkgutil, importlib, sys
import ui
for info in pkgutil.walk_packages(ui.__path__, "ui."):
    importlib.import_module(info.name)
import pypinyin.constants
print(json.dumps({
    "modules": sorted({m.split(".")[0] for m in sys.modules} & {"openpyxl", "alembic"}),
    "phrases": len(pypinyin.constants.PHRASES_DICT),
    "ui_modules": sum(1 for m in sys.modules if m.startswith("ui.")),
}))
"""


def test_no_ui_module_loads_openpyxl_alembic_or_pypinyin_s_whole_phrase_book() -> None:
    out = subprocess.run([sys.executable, "-c", _IMPORT_EVERY_UI_MODULE], cwd=ROOT,
                         capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                              "HOME": str(Path.home())})
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded["ui_modules"] > 50  # every module of the desk was imported
    assert loaded["modules"] == []
    assert 0 < loaded["phrases"] < 5000
