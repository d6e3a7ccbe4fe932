"""ui.background: success, failure, cancel, progress throttling, lanes, a free GUI thread."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from gulou_desk.cancel import Cancelled
from ui.background import (
    Lane,
    Op,
    OpError,
    Progress,
    ProgressUpdate,
    Runner,
    running_op_count,
)


class Recorder:
    def __init__(self) -> None:
        self.values: list[Any] = []
        self.errors: list[OpError] = []
        self.cancelled = 0
        self.threads: list[int] = []

    def success(self, value: Any) -> None:
        self.threads.append(threading.get_ident())
        self.values.append(value)

    def failure(self, error: OpError) -> None:
        self.threads.append(threading.get_ident())
        self.errors.append(error)

    def cancel(self) -> None:
        self.threads.append(threading.get_ident())
        self.cancelled += 1

    @property
    def outcomes(self) -> int:
        return len(self.values) + len(self.errors) + self.cancelled


def op_with(recorder: Recorder, parent: QObject | None, work: Any, **kw: Any) -> Op[Any]:
    return (
        Op(parent, work, **kw)
        .success(recorder.success)
        .failure(recorder.failure)
        .on_cancel(recorder.cancel)
    )


def test_success_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    worker_threads: list[int] = []

    def work(progress: Progress) -> int:
        worker_threads.append(threading.get_ident())
        return 6 * 7

    recorder = Recorder()
    handle = op_with(recorder, None, work).run()
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    assert recorder.values == [42]
    assert handle.finished
    gui = threading.get_ident()
    assert worker_threads and worker_threads[0] != gui
    assert recorder.threads == [gui]


def test_gui_thread_keeps_running_while_work_sleeps(qtbot: QtBot) -> None:
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start()
    recorder = Recorder()

    def work(progress: Progress) -> str:
        time.sleep(0.6)
        return "slept"

    started = time.monotonic()
    op_with(recorder, None, work).run()
    # The GUI thread returned at once: the op is still running.
    assert time.monotonic() - started < 0.1
    assert recorder.outcomes == 0
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    heartbeat.stop()
    during = [t for t in beats if started <= t <= started + 0.6]
    assert recorder.values == ["slept"]
    assert len(during) >= 10, f"only {len(during)} heartbeats while the work slept"


def test_failure_gets_a_readable_message_and_a_log_line(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()

    def work(progress: Progress) -> None:
        raise ConnectionError("[Errno 111] Connection refused")

    with caplog.at_level("WARNING", logger="ui.background"):
        op_with(recorder, None, work, lane=Lane.NETWORK, name="fetch").run()
        qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    (error,) = recorder.errors
    assert isinstance(error.exception, ConnectionError)
    assert "Errno" not in error.message and "Traceback" not in error.message
    assert "server cannot be reached" in error.message
    (record,) = [r for r in caplog.records if "fetch failed" in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[1] is error.exception


def test_failure_without_callback_shows_a_message_box_not_a_traceback(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def work(progress: Progress) -> None:
        raise ValueError("internal detail nobody should read")

    Op(parent, work).run()

    def box() -> QMessageBox | None:
        return parent.findChild(QMessageBox, "op_error_box")

    qtbot.waitUntil(lambda: box() is not None, timeout=3000)
    found = box()
    assert found is not None
    assert "internal detail" not in found.text()
    assert "log file" in found.text()
    assert not found.detailedText()
    found.close()


def test_cancel_between_stages(qtbot: QtBot) -> None:
    recorder = Recorder()
    stages_done: list[int] = []
    first_stage_done = threading.Event()

    def work(progress: Progress) -> str:
        for stage in range(50):
            progress.stage(f"stage {stage}")
            time.sleep(0.02)
            stages_done.append(stage)
            first_stage_done.set()
        return "all stages"

    handle = op_with(recorder, None, work).run()
    qtbot.waitUntil(first_stage_done.is_set, timeout=3000)
    handle.cancel()
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    assert recorder.cancelled == 1
    assert recorder.values == [] and recorder.errors == []
    assert len(stages_done) < 50


def test_cancelled_work_that_finishes_anyway_never_calls_success(qtbot: QtBot) -> None:
    recorder = Recorder()
    release = threading.Event()

    def work(progress: Progress) -> str:
        release.wait(2)
        return "too late"

    handle = op_with(recorder, None, work).run()
    handle.cancel()
    release.set()
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    assert recorder.cancelled == 1 and recorder.values == []


def test_cancelled_error_raised_by_work_is_a_cancel(qtbot: QtBot) -> None:
    recorder = Recorder()

    def work(progress: Progress) -> None:
        raise Cancelled

    op_with(recorder, None, work).run()
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    assert recorder.cancelled == 1


def test_no_callback_once_the_parent_is_destroyed(qtbot: QtBot) -> None:
    recorder = Recorder()
    parent = QObject()
    release = threading.Event()
    started = threading.Event()
    observed_cancel: list[bool] = []

    def work(progress: Progress) -> str:
        started.set()
        release.wait(2)
        observed_cancel.append(progress.cancelled)
        return "orphan"

    handle = op_with(recorder, parent, work).run()
    qtbot.waitUntil(started.is_set, timeout=3000)
    shiboken6.delete(parent)  # as when the view that started the op is closed
    assert not handle.finished and running_op_count() >= 1
    release.set()
    qtbot.waitUntil(lambda: handle.finished, timeout=3000)
    assert recorder.outcomes == 0
    assert observed_cancel == [True]


def test_progress_reaches_the_gui_at_most_ten_times_a_second(qtbot: QtBot) -> None:
    recorder = Recorder()
    updates: list[tuple[float, ProgressUpdate]] = []

    def work(progress: Progress) -> int:
        for i in range(1, 1001):
            progress.update(i, 1000, "counting")
            time.sleep(0.0006)
        return 1000

    started = time.monotonic()
    (
        op_with(recorder, None, work)
        .on_progress(lambda update: updates.append((time.monotonic(), update)))
        .run()
    )
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=5000)
    elapsed = time.monotonic() - started
    assert recorder.values == [1000]
    assert updates, "no progress at all"
    # ≤ 10 a second, plus the final flush when the work ends.
    assert len(updates) <= elapsed * 10 + 2
    assert updates[-1][1] == ProgressUpdate(1000, 1000, "counting")
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(updates[:-1])]
    assert all(gap >= 0.08 for gap in gaps), gaps


def test_with_progress_shows_a_dialog_whose_cancel_button_cancels(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    recorder = Recorder()

    def work(progress: Progress) -> None:
        progress.stage("downloading", total=100)
        for i in range(300):
            progress.check_cancelled()
            progress.update(i % 100)
            time.sleep(0.01)

    op_with(recorder, parent, work).with_progress("Loading households…", delay_ms=50).run()

    def dialog() -> QProgressDialog | None:
        return parent.findChild(QProgressDialog, "op_progress_dialog")

    qtbot.waitUntil(lambda: dialog() is not None and dialog().isVisible(), timeout=3000)  # type: ignore[union-attr]
    found = dialog()
    assert found is not None
    qtbot.waitUntil(lambda: found.labelText() == "downloading", timeout=3000)
    assert found.maximum() == 100
    cancel_button = found.findChild(QPushButton)
    assert cancel_button is not None
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)
    assert recorder.cancelled == 1
    qtbot.waitUntil(lambda: dialog() is None, timeout=3000)


def test_a_progress_that_cannot_be_cancelled_has_no_button(qtbot: QtBot) -> None:
    """The demo's start-up progress: no blank button to click (a cancellable one says
    Cancel, as above)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    recorder = Recorder()
    release = threading.Event()

    def work(progress: Progress) -> None:
        release.wait(5)

    op_with(recorder, parent, work).with_progress("Starting the demo…", cancellable=False,
                                                  delay_ms=0).run()

    def dialog() -> QProgressDialog | None:
        return parent.findChild(QProgressDialog, "op_progress_dialog")

    try:
        qtbot.waitUntil(lambda: dialog() is not None and dialog().isVisible(),  # type: ignore[union-attr]
                        timeout=3000)
        found = dialog()
        assert found is not None
        assert [b for b in found.findChildren(QPushButton) if b.isVisible()] == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: recorder.outcomes == 1, timeout=3000)


def test_write_lane_keeps_order(qtbot: QtBot) -> None:
    runner = Runner()
    order: list[int] = []
    done: list[int] = []

    def write(n: int) -> Any:
        def work(progress: Progress) -> int:
            time.sleep(0.02 if n % 2 == 0 else 0.0)
            order.append(n)
            return n

        return work

    try:
        for n in range(8):
            Op(None, write(n), lane=Lane.WRITE, runner=runner).success(done.append).run()
        qtbot.waitUntil(lambda: len(done) == 8, timeout=3000)
    finally:
        runner.shutdown()
    assert order == list(range(8))
    assert done == list(range(8))


def test_a_failing_success_callback_is_logged_and_shown(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def broken(value: int) -> None:
        raise KeyError("oops")

    Op(parent, lambda progress: 1, name="broken_callback").success(broken).run()
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "op_error_box") is not None)
    assert any("broken_callback" in r.getMessage() for r in caplog.records)


def test_run_without_a_loop_says_what_is_missing() -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        with pytest.raises(RuntimeError, match="qasync"):
            Op(None, lambda progress: None).run()
    finally:
        asyncio.events._set_running_loop(loop)


def test_an_op_runs_once(qtbot: QtBot) -> None:
    done: list[int] = []
    op = Op(None, lambda progress: 1).success(done.append)
    op.run()
    with pytest.raises(RuntimeError):
        op.run()
    qtbot.waitUntil(lambda: done == [1])


def test_a_reread_asked_for_while_one_runs_reads_once_more_after_it(qtbot: QtBot) -> None:
    """Three asks during one read: one more read, not three, and the last result is shown
    (the filter of the last ask)."""
    from ui.background import Reread

    gate = threading.Event()
    started: list[str] = []
    shown: list[str] = []
    errors: list[OpError] = []
    owner = QObject()
    current = {"filter": "a"}

    def build() -> Any:
        wanted = current["filter"]

        def work(progress: Progress) -> str:
            started.append(wanted)
            gate.wait(3)
            return wanted
        return work

    read = Reread(owner, "test_read", build, shown.append, errors.append)
    read.run()
    qtbot.waitUntil(lambda: started == ["a"], timeout=3000)
    assert read.running
    for wanted in ("b", "c", "d"):
        current["filter"] = wanted
        read.run()
    gate.set()
    qtbot.waitUntil(lambda: shown == ["a", "d"], timeout=3000)
    qtbot.wait(100)
    assert started == ["a", "d"] and not errors and not read.running


def test_a_failed_reread_tells_and_the_next_ask_reads_again(qtbot: QtBot) -> None:
    from ui.background import Reread

    answers = iter([RuntimeError("disk gone"), "fine"])
    shown: list[str] = []
    errors: list[OpError] = []

    def build() -> Any:
        def work(progress: Progress) -> str:
            answer = next(answers)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return work

    owner = QObject()
    read = Reread(owner, "test_read", build, shown.append, errors.append)
    read.run()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=3000)
    assert not read.running
    read.run()
    qtbot.waitUntil(lambda: shown == ["fine"], timeout=3000)
