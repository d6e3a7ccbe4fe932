"""ui.gc_tuning: the collector stops looking at what start-up made and what survives.

Runs in a child interpreter: the settings are process-wide, and the test process must
keep its own.
"""

from __future__ import annotations

import json
import os
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
    # the modules and pypinyin's dictionary are out of the collector's view (70,000
    # objects since pypinyin keeps only the phrases a name may hold, c803094) …
    assert probe["after_start"] > 50_000
    # … and so is what survived the full collection, so the next one is short.
    assert probe["after_full"] >= probe["after_start"] + 50_000
    assert probe["tracked"] < 5_000
    assert probe["threshold"][0] == probe["young"] and probe["threshold"][2] == probe["old"]
    assert probe["callbacks"] == 1


BULK_PROBE = """
import gc, json, sys, weakref
from gulou_desk import bulk_work
from ui.gc_tuning import SWITCH_INTERVAL_S, YOUNG_THRESHOLD, collect_if_due, tune_garbage_collector
tune_garbage_collector()
gc.disable()  # as GuiThreadCollector.start does: collections only by collect_if_due

class Node:
    pass

def cycle():
    node = Node()
    node.itself = node
    return weakref.ref(node)

def busy():  # a page's worth of young containers, still alive
    return [[n] for n in range(YOUNG_THRESHOLD + 1000)]

with bulk_work.running():
    during = cycle()
    page = busy()
    frozen_before = gc.get_freeze_count()
    done_during = collect_if_due()
    frozen_after = gc.get_freeze_count()
    young_after = gc.get_count()[0]
    del page
after = cycle()
page = busy()
done_after = collect_if_due()
print(json.dumps({
    "switch": sys.getswitchinterval(), "switch_wanted": SWITCH_INTERVAL_S,
    "done_during": done_during, "froze": frozen_after - frozen_before,
    "young_after": young_after, "during_kept": during() is not None,
    "done_after": done_after, "after_collected": after() is None,
}))
"""


def test_during_a_bulk_load_what_is_due_is_frozen_not_collected() -> None:
    """gulou_desk.bulk_work: while a first sync runs, a collection due looks at nothing
    (the young objects are frozen), and afterwards collections are as before."""
    result = subprocess.run([sys.executable, "-c", BULK_PROBE], capture_output=True,
                            text=True, cwd=ROOT, check=True, timeout=120)
    probe = json.loads(result.stdout)
    assert probe["switch"] == probe["switch_wanted"] < 0.005
    assert probe["done_during"] is None  # nothing collected …
    assert probe["froze"] > 10_000  # … the page's containers set aside instead
    assert probe["young_after"] == 0
    assert probe["during_kept"] is True  # the price: a cycle then is not reclaimed
    assert probe["done_after"] == 0 and probe["after_collected"] is True


COLLECTOR_PROBE = """
import gc, json, sys, threading, weakref
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer
from ui.gc_tuning import GuiThreadCollector

app = QCoreApplication([])
use_collector = sys.argv[1] == "collector"
collector = GuiThreadCollector()
if use_collector:
    collector.start()
threads = []
gc.callbacks.append(lambda phase, info: phase == "start" and threads.append(
    threading.current_thread().name))

# A Qt object with a running timer, left in a reference cycle (as a closed view can be).
view = QObject()
view.timer = QTimer(view)
view.timer.start(60_000)
view.itself = view
gone = weakref.ref(view)
del view

def allocate():  # a sync page's worth of short-lived containers
    keep = [[n] for n in range(30_000)]
    del keep
worker = threading.Thread(target=allocate, name="gulou-sync_0")
worker.start()
worker.join()
loop = QEventLoop()
QTimer.singleShot(3 * GuiThreadCollector.INTERVAL_MS, loop.quit)
loop.exec()
gc.collect()
collector.stop()
print(json.dumps({"threads": sorted(set(threads)), "collected": gone() is None,
                  "enabled_after": gc.isenabled()}))
"""


def run_collector_probe(mode: str) -> tuple[dict[str, object], str]:
    result = subprocess.run([sys.executable, "-c", COLLECTOR_PROBE, mode], capture_output=True,
                            text=True, cwd=ROOT, check=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return json.loads(result.stdout), result.stderr


def test_garbage_is_collected_on_the_gui_thread_only() -> None:
    probe, stderr = run_collector_probe("collector")
    assert probe["threads"] == ["MainThread"]
    assert probe["collected"] is True  # the cycle is reclaimed, just not by the worker
    assert probe["enabled_after"] is True  # stop() gives automatic collection back
    assert "Timers cannot be stopped from another thread" not in stderr


def test_without_it_a_worker_thread_destroys_qt_objects() -> None:
    """What the collector is for: left to itself, Python collects in the worker."""
    probe, stderr = run_collector_probe("automatic")
    assert "gulou-sync_0" in probe["threads"]
    assert "Timers cannot be stopped from another thread" in stderr
