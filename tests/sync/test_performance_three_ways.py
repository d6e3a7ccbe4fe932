"""A worker's month computed three ways gives the same numbers: the record (the server's
official figures, pulled), the dashboard (computed on the supervisor's desk from the
synced visits, households and tickets, the worker's row for that month) and the Excel
export of both. Every indicator comes from one definition (gulou_desk/domain/indicators.py).

On the demo data as ``gulou-server seed-demo`` writes it, for every social worker of the
last complete month and of the current month so far.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gulou_desk.domain import performance
from gulou_desk.records import SHANGHAI
from gulou_desk.records import now as wall_clock
from gulou_desk.reports import excel
from gulou_desk.store import performance_queries as pq
from server.demo_data import DEMO_PASSWORD
from server.seed import seed
from tests.conftest import LiveServer
from tests.sync.conftest import make_device

COMPARED = ("visits_due", "visits_done", "visit_completion", "tickets_resolved",
            "on_time_rate", "avg_satisfaction")
"""The indicators a record and a dashboard row both show."""


@pytest.fixture
def server_db_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'server.sqlite'}"  # the demo seed: SQLite is enough


def _sheet(path: Path, name: str) -> dict[str, dict[str, Any]]:
    """Data rows of a sheet by the first column, keyed by the English headers (row 2)."""
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return {str(r[0]): dict(zip(rows[1], r, strict=True)) for r in rows[2:]}


def _numbers(measures: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in COMPARED:
        m = measures[key]
        out[key] = (m.value, m.numerator, m.denominator)
    return out


@pytest.mark.slow
def test_a_workers_month_is_the_same_on_the_record_the_dashboard_and_in_excel(
        live_server: LiveServer, tmp_path: Path) -> None:
    seed(live_server.engine, "demo")
    device = make_device(live_server, tmp_path, "supervisor1", password=DEMO_PASSWORD)
    try:
        device.sync()
        today = wall_clock().astimezone(SHANGHAI).date()
        last_month = performance.period_of(today.replace(day=1) - dt.timedelta(days=1))
        for period in (last_month, performance.period_of(today)):
            with device.store.session() as s:
                records = pq.period_records(s, period)
                board = pq.dashboard(s, period_from=period, period_to=period, today=today)
            assert len(records) >= 5, period
            path = excel.write_workbook(tmp_path / f"{period}.xlsx", records=records,
                                        dashboard=board, lang="en", now=wall_clock())
            record_sheet = _sheet(path, "Performance")
            worker_sheet = _sheet(path, "By worker")
            rows = {r.id: r for r in board.by_worker}
            for record in records:
                name = record.worker_name or record.worker_id
                on_record = _numbers(record.measures)
                on_dashboard = _numbers(rows[record.worker_id].measures)
                assert on_record == on_dashboard, (period, name)
                for sheet in (record_sheet, worker_sheet):
                    cells = sheet[name]
                    for key in COMPARED:
                        assert cells[excel.label(key, "en")] == on_record[key][0], (
                            period, name, key)
                    assert cells["Due visits made"] == on_record["visit_completion"][1]
                assert record_sheet[name]["Suggested score"] == record.suggested_score
            # The numbers are not all empty: the demo has visits and tickets that month.
            assert any(r.measures["visits_done"].value for r in records)
            assert any(r.measures["on_time_rate"].value is not None for r in records)
            first = records[0]
            print(f"{period} {first.worker_name}: record {_numbers(first.measures)}")
    finally:
        device.store.close()
