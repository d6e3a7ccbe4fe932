"""Journey (issue 15, item 1): a street supervisor signs in on a new computer and opens
住户 while the first sync is still bringing the street in. The households already here
are listed at once, by name, and the search box says search is ready when the sync
ends; a search meanwhile says it is being prepared. When the sync ends, search finds them.

The network is slowed by a middle box (``tests/proxy.py``) that holds the pulls after
the first two, so the journey looks at the app in the middle of its first sync for as
long as it needs; nothing in the app is changed for the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QTableView

from tests.journeys.harness import Journey
from tests.proxy import FaultyProxy
from ui.households.view import HouseholdsView


@pytest.fixture
def slow_network(journey: Journey) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(journey.server.url).start()
    yield proxy
    proxy.stop()


def _heads(journey: Journey, table: QTableView, rows: int) -> list[str]:
    model: Any = table.model()
    journey.wait_until(lambda: all(model.index(r, 0).data() for r in range(rows)),
                       what="the rows read in")
    return journey.cells(table, journey.column(table, "户主"), range(rows))


def test_households_show_while_the_first_sync_runs_and_search_follows_it(
        journey: Journey, slow_network: FaultyProxy) -> None:
    slow_network.hold_pulls(after=2)  # the first two pages come, then the network stalls
    journey.start("--server", slow_network.url)
    journey.sign_in("supervisor1", sync=False)
    journey.wait_until(slow_network.held, what="the first sync waits for its third page")
    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    model: Any = table.model()
    journey.wait_until(lambda: model.rowCount() > 0, what="the households pulled so far")
    assert journey.syncs_finished == 0 and not model.indexed
    count = journey.by_name("households_count", QLabel, within=page)
    assert count.text().startswith("目前") and "按姓名" in count.text(), count.text()
    heads = _heads(journey, table, min(model.rowCount(), 15))
    assert heads == sorted(heads)  # by name
    journey.shot("the first sync: the households here so far, by name")

    held = journey.server.pull_as("supervisor1")
    names = {h["head_name"] for h in held.all("household")}
    assert set(heads) <= names
    wanted = heads[0]

    journey.type_into(journey.field("首次同步完成后即可搜索", within=page), wanted)
    journey.wait_until(lambda: model.search_text == wanted and not model.loading,
                       what="the search ran")
    journey.find("搜索正在准备中", within=page)
    journey.shot("the first sync: search is being prepared")

    slow_network.release()
    journey.wait_for_sync(after=0)
    journey.wait_until(lambda: model.indexed and not model.loading and model.rowCount() > 0,
                       what="the search finds the household once the sync ended")
    assert wanted in [h.split()[0] for h in _heads(journey, table, 1)]
    assert count.text() == f"找到 {model.rowCount()} 户", count.text()
    journey.field("姓名、拼音首字母（zs）、地址或电话", within=page)
    journey.shot("after the first sync: search finds the household")


def test_the_register_opened_before_the_first_page_fills_in_as_pages_come(
        journey: Journey, slow_network: FaultyProxy) -> None:
    """住户 opened at the very start of a first sync, before any page is written: the list
    is empty then, and fills in as the pages come — it used to stay empty until the sync
    ended (it took the empty store for one whose index was ready)."""
    slow_network.hold_pulls(after=0)  # not even the first page yet
    journey.start("--server", slow_network.url)
    journey.sign_in("supervisor1", sync=False)
    journey.wait_until(slow_network.held, what="the first sync waits for its first page")
    page = journey.go_to("住户")
    journey.settle(300)
    view = page.findChild(HouseholdsView)
    assert view is not None and view.model.rowCount() == 0
    slow_network.let_through(2)  # two pages come, then the network stalls again
    table = journey.by_name("households_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() > 0,
                       what="the households pulled so far")
    assert journey.syncs_finished == 0 and slow_network.held()
    journey.shot("the first sync: the register fills in as pages come")
    slow_network.release()
    journey.wait_for_sync(after=0)
