"""ui.gc_tuning: the collector stops looking at what start-up made and what survives.

Runs in a child interpreter: the settings are process-wide, and the test process must
keep its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json
from ui.gc_tuning import OLD_THRESHOLD, YOUNG_THRESHOLD, tune_garbage_collector
before = gc.get_freeze_count()
tune_garbage_collector()
tune_garbage_collector()  # a second call changes nothing
after_start = gc.get_freeze_count()
survivors = [[n] for n in range(50_000)]  # long-lived containers, like a filled cache
gc.collect()
print(json.dumps({
    "before": before, "after_start": after_start, "after_full": gc.get_freeze_count(),
    "threshold": gc.get_threshold(), "young": YOUNG_THRESHOLD, "old": OLD_THRESHOLD,
    "tracked": len(gc.get_objects()), "callbacks": len(gc.callbacks),
}))
"""


def test_start_up_and_survivors_are_frozen_and_full_collections_are_rare() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            cwd=ROOT, check=True, timeout=120)
    probe = json.loads(result.stdout)
    assert probe["before"] == 0
    # pypinyin's dictionaries and the modules are out of the collector's view …
    assert probe["after_start"] > 100_000
    # … and so is what survived the full collection, so the next one is short.
    assert probe["after_full"] >= probe["after_start"] + 50_000
    assert probe["tracked"] < 5_000
    assert probe["threshold"][0] == probe["young"] and probe["threshold"][2] == probe["old"]
    assert probe["callbacks"] == 1
