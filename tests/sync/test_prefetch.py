"""Pages asked for ahead: the next page's request goes out as soon as a page's answer
comes (sync/prefetch.py), through the real server and a proxy that counts the pulls."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from gulou_desk.store.schema import RECORD_TABLES
from sync import prefetch
from sync.client import next_cursor
from sync.events import SyncProgress
from tests.conftest import LiveServer
from tests.proxy import FaultyProxy
from tests.sync.conftest import make_device
from tests.world import World

NEW_HOUSEHOLDS = 6


def test_the_next_page_is_asked_for_before_the_engine_takes_the_one_before(
        live_server: LiveServer, world: World, tmp_path: Path) -> None:
    """While the engine writes page k, page k+1 has come and page k+2 is asked for
    already: the server makes the next page while the client parses and writes (it used
    to wait until the engine took page k+1). Never further ahead than that."""
    proxy = FaultyProxy(live_server.url).start()
    device = make_device(SimpleNamespace(url=proxy.url), tmp_path, "worker1", page_size=1)
    try:
        device.sync()
        for n in range(NEW_HOUSEHOLDS):  # one version each: a page each
            world.household(f"hNew{n}", "gridA", head_name=f"新户{n}")
        start = proxy.pulls()
        asked: list[int] = []  # pulls asked for when the engine had taken k pages

        def progress(p: SyncProgress) -> None:
            if p.stage != "pull":
                return
            taken = len(asked) + 1
            deadline = time.monotonic() + 1.0
            while proxy.pulls() - start < taken + 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.05)  # anything further ahead would come meanwhile
            asked.append(proxy.pulls() - start)

        report = device.engine.run_cycle(progress)
        assert report.pulled == NEW_HOUSEHOLDS
        assert len(asked) == NEW_HOUSEHOLDS
        # Page k+2 is asked for while the engine is at page k; page k+3 is not.
        assert asked[:-2] == [k + 2 for k in range(1, NEW_HOUSEHOLDS - 1)], asked
        assert asked[-2:] == [NEW_HOUSEHOLDS] * 2, asked
        for n in range(NEW_HOUSEHOLDS):
            assert device.record("household", world[f"hNew{n}"]) is not None
    finally:
        device.store.close()
        proxy.stop()


def test_a_pull_asks_for_a_small_first_page_then_full_ones(
        live_server: LiveServer, world: World, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first page of a pull is asked for with at most FIRST_PAGE changes (the server
    answers it sooner, and the client starts writing while the server makes the next),
    every later one with the engine's page size; the store ends as a one-page pull's."""
    monkeypatch.setattr(prefetch, "FIRST_PAGE", 2)
    proxy = FaultyProxy(live_server.url).start()
    device = make_device(SimpleNamespace(url=proxy.url), tmp_path, "worker1", page_size=5)
    whole = make_device(live_server, tmp_path, "worker1", page_size=5000)
    try:
        device.sync()
        limits = [int(path.split("limit=")[1].split("&")[0]) for path in proxy.pull_paths]
        assert limits[0] == 2 and len(limits) > 2 and set(limits[1:]) == {5}, limits
        whole.sync()
        for table in RECORD_TABLES.values():
            count = sa.select(sa.func.count()).select_from(table)
            with device.store.session() as s, whole.store.session() as w:
                assert s.scalar(count) == w.scalar(count), table.name
    finally:
        device.store.close()
        whole.store.close()
        proxy.stop()


@pytest.mark.parametrize("answer,cursor", [
    (b'{"cursor":"eyJ2Ijo.c2ln","has_more":true,"estimate":3,"changes":[]}', "eyJ2Ijo.c2ln"),
    (b'{"cursor":"eyJ2Ijo.c2ln","has_more":false,"estimate":0,"changes":[]}', None),
    (b'{"has_more":true,"cursor":"eyJ2Ijo.c2ln","changes":[]}', None),
    (b'{"cursor":"a\\"b","has_more":true,"changes":[]}', None),
    (b'{"cursor":"","has_more":true,"changes":[]}', None),
    (b'', None),
    (b'{"cursor":"eyJ2Ijo', None),
])
def test_the_next_cursor_is_read_from_the_head_only_as_the_server_writes_it(
        answer: bytes, cursor: str | None) -> None:
    assert next_cursor(answer) == cursor
