"""The scheduler on a plain asyncio loop: triggers, one cycle at a time, events, going
offline and coming back."""

from __future__ import annotations

import asyncio
from typing import Any

from gulou_desk.store.usecases import update_record
from sync.engine import SyncScheduler
from sync.events import FailureReason, SyncProgress, SyncReport
from tests.conftest import LiveServer
from tests.world import World


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def sync_started(self) -> None:
        self.events.append(("started", None))

    def sync_progressed(self, progress: SyncProgress) -> None:
        self.events.append(("progress", progress))

    def sync_finished(self, report: SyncReport) -> None:
        self.events.append(("finished", report))

    def sync_failed(self, reason: FailureReason, message: str) -> None:
        self.events.append(("failed", reason))

    def online_changed(self, online: bool) -> None:
        self.events.append(("online", online))

    def names(self) -> list[str]:
        return [name for name, _ in self.events if name != "progress"]


async def _until(predicate: Any, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


def test_start_edit_and_sync_now_each_run_a_cycle(devices, world: World) -> None:
    w1 = devices("worker1")
    recorder = Recorder()

    async def scenario() -> None:
        scheduler = SyncScheduler(w1.engine, recorder, interval=3600, debounce=0.2)
        scheduler.start()
        await _until(lambda: recorder.names().count("finished") == 1)
        assert recorder.names()[:3] == ["started", "online", "finished"]
        first: SyncReport = next(e for n, e in recorder.events if n == "finished")
        assert "household" in first.changed
        update_record(w1.store, "household", world["hA1"], {"notes": "a"}, actor=w1.actor())
        update_record(w1.store, "household", world["hA1"], {"notes": "b"}, actor=w1.actor())
        scheduler.local_edit_made()
        scheduler.local_edit_made()  # debounced: one cycle for both edits
        await _until(lambda: recorder.names().count("finished") == 2)
        await asyncio.sleep(0.4)
        assert recorder.names().count("finished") == 2
        second = [e for n, e in recorder.events if n == "finished"][1]
        assert second.pushed == 2
        scheduler.sync_now()
        await _until(lambda: recorder.names().count("finished") == 3)
        await scheduler.stop()

    asyncio.run(scenario())


def test_offline_is_reported_once_and_sync_resumes_when_the_server_is_back(
        devices, world: World, live_server: LiveServer) -> None:
    w1 = devices("worker1")
    recorder = Recorder()

    async def scenario() -> None:
        scheduler = SyncScheduler(w1.engine, recorder, interval=3600, probe_interval=0.2)
        scheduler.start()
        await _until(lambda: "finished" in recorder.names())
        live_server.stop()
        update_record(w1.store, "household", world["hA1"], {"notes": "离线"},
                      actor=w1.actor())
        scheduler.sync_now()
        await _until(lambda: ("failed", FailureReason.OFFLINE) in recorder.events)
        assert ("online", False) in recorder.events
        await asyncio.sleep(0.7)  # probes fail quietly: no error per attempt
        assert recorder.names().count("failed") == 1
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, live_server.restart)
        await _until(lambda: recorder.names().count("finished") == 2)
        failed_at = recorder.events.index(("failed", FailureReason.OFFLINE))
        assert ("online", True) in recorder.events[failed_at:]
        assert [e for n, e in recorder.events if n == "finished"][-1].pushed == 1
        await scheduler.stop()

    asyncio.run(scenario())


def test_close_after_the_loop_has_ended(devices, world: World) -> None:
    """At application quit the loop is gone: close() still stops the engine cleanly."""
    w1 = devices("worker1")
    recorder = Recorder()

    async def run_once() -> SyncScheduler:
        scheduler = SyncScheduler(w1.engine, recorder, interval=3600)
        scheduler.start()
        await _until(lambda: "finished" in recorder.names())
        return scheduler

    scheduler = asyncio.run(run_once())
    scheduler.close()
    assert scheduler._executor._shutdown  # no thread left behind
    update_record(w1.store, "household", world["hA1"], {"notes": "退出后"}, actor=w1.actor())
    assert w1.sync().pushed == 1  # the store and engine still work for the next start
