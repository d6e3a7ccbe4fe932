"""The Qt binding the app ships with keeps Python's reference counts.

PySide6 6.12.0 on Python 3.11 handed back ``None`` from every method that returns nothing
(``update``, ``setValue``, ``setEnabled`` …) without a reference of its own: each call took
one reference away from ``None``. ``None`` starts a session with about 100,000, so a long
enough session — a day of work, or a supervisor scrolling the district's households in
``bench/cold_start.py`` for ten seconds — ended with "Fatal Python error: none_dealloc" and
the app gone. (Python 3.12 made ``None``, ``True`` and ``False`` immortal, which hides it.)
The lock files pin a binding without the fault; this test fails on one that has it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QScrollBar, QWidget
from pytestqt.qtbot import QtBot

CALLS = 5_000


def _references_taken(call: object) -> dict[str, int]:
    """How many references ``None``, ``True`` and ``False`` lost over :data:`CALLS` calls."""
    assert callable(call)
    singletons = {"None": None, "True": True, "False": False}
    before = {name: sys.getrefcount(value) for name, value in singletons.items()}
    for _ in range(CALLS):
        call()
    return {name: before[name] - sys.getrefcount(value) for name, value in singletons.items()}


def test_methods_that_return_nothing_leave_none_its_references(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    bar = QScrollBar()
    qtbot.addWidget(bar)
    timer = QTimer()
    holder = QObject()
    calls = {
        "QObject.setObjectName": lambda: holder.setObjectName("households_view"),
        "QWidget.update": widget.update,
        "QWidget.setEnabled": lambda: widget.setEnabled(True),
        "QScrollBar.setValue": lambda: bar.setValue(3),
        "QTimer.setInterval": lambda: timer.setInterval(10),
    }
    lost = {name: _references_taken(call)["None"] for name, call in calls.items()}
    # A few references may move with the calls' own frames; thousands may not.
    assert all(n < CALLS // 10 for n in lost.values()), lost


def test_methods_that_return_a_truth_value_leave_it_its_references(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    holder = QObject()
    calls = {
        "QWidget.isVisible": widget.isVisible,
        "QWidget.isEnabled": widget.isEnabled,
        "QObject.signalsBlocked": holder.signalsBlocked,
        "QObject.blockSignals": lambda: holder.blockSignals(False),
    }
    for name, call in calls.items():
        lost = _references_taken(call)
        assert lost["True"] < CALLS // 10 and lost["False"] < CALLS // 10, (name, lost)
