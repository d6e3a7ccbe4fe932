"""Excel export (gulou_desk/reports/excel.py): the files open with openpyxl and hold the
right numbers, with the documented layout; a failed export changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from gulou_desk.records import SHANGHAI
from gulou_desk.reports import excel
from gulou_desk.reports.excel import ExportError
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.engine import Store
from tests.unit.test_performance_queries import TODAY, save_record, seed_october

NOW = dt.datetime(2026, 11, 28, 16, 30, tzinfo=SHANGHAI)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


@pytest.fixture
def store(local_store: Store) -> Store:
    seed_october(local_store)
    with local_store.session() as s:
        official = pq.live_figures(s, "w1", "2026-10", TODAY).to_record(NOW)
        w2 = pq.live_figures(s, "w2", "2026-10", TODAY).to_record(NOW)
    save_record(local_store, "r1", "w1", "2026-10", "approved", official, [
        {"action": "submit", "actor_id": "w1", "at": "2026-11-02T09:00:00+08:00"},
        {"action": "approve", "actor_id": "sup", "at": "2026-11-03T09:00:00+08:00",
         "score": 91.5}],
        score=91.5, supervisor_id="sup", decision_comment="同意",
        self_assessment="本月重点走访独居老人。\n\x07工单按时办结。")
    save_record(local_store, "r2", "w2", "2026-10", "submitted", w2)
    return local_store


def rows(ws: Worksheet) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def by_header(ws: Worksheet) -> list[dict[str, Any]]:
    """Data rows keyed by the English header (row 2)."""
    table = rows(ws)
    return [dict(zip(table[1], r, strict=True)) for r in table[2:]]


def test_monthly_records_to_excel(store: Store, out: Path) -> None:
    with store.session() as s:
        records = pq.period_records(s, "2026-10", street_id="s1")
    path = excel.export_records(out / "绩效-2026-10.xlsx", records)
    assert path == out / "绩效-2026-10.xlsx"
    assert sorted(p.name for p in out.iterdir()) == ["绩效-2026-10.xlsx"]  # no leftovers
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["绩效考核"]
    ws = wb["绩效考核"]
    table = rows(ws)
    # The indicators, named once (gulou_desk/domain/indicators.py), each rate followed by
    # its numerator: the sheet says what 应访完成率 is made of.
    assert table[0][:6] == ["社工", "月份", "应访", "已访", "应访完成率", "按期走访"]
    assert table[1][:6] == ["Social worker", "Month", "Visits due", "Visits made",
                            "Due visits done", "Due visits made"]
    assert ws.freeze_panes == "A3"
    data = by_header(ws)
    assert [r["Social worker"] for r in data] == ["张伟", "李娜"]
    mine = data[0]
    view = records[0]
    for name in ("visits_done", "visits_due", "key_visits", "tickets_resolved",
                 "on_time_rate", "avg_satisfaction", "median_accept_hours"):
        header = excel.label(name, "en")
        assert mine[header] == view.figures[name], name
    for name, measure in view.measures.items():
        if name in excel.LABELS:
            assert mine[excel.label(name, "en")] == measure.value, name
    assert (mine["Visits made"], mine["Visits due"], mine["On time"]) == (4, 7, 1)
    completion = view.measures["visit_completion"]
    assert mine["Due visits done"] == completion.value
    assert mine["Due visits made"] == completion.numerator
    assert (mine["Resolved in time"], mine["Follow-up calls"]) == (
        view.measures["on_time_rate"].numerator, view.measures["avg_satisfaction"].denominator)
    assert (mine["Score"], mine["Status"], mine["Decided by"], mine["Decision comment"]) == (
        91.5, "已通过", "周主任", "同意")
    assert mine["Self-assessment"] == "本月重点走访独居老人。\n工单按时办结。"  # \x07 dropped
    assert mine["Suggested score"] == view.suggested_score
    assert mine["Counted through"] == dt.datetime(2026, 10, 31)
    theirs = data[1]
    assert theirs["Status"] == "已提交" and theirs["Score"] is None
    assert theirs["Median hours to accept"] == 2.0
    # Formats: rates as percentages, averages with one decimal, counts whole.
    header = table[1]
    fmt = {h: ws.cell(row=3, column=i + 1).number_format for i, h in enumerate(header)}
    assert fmt["On time"] == fmt["Due visits done"] == "0.0%"
    assert fmt["Satisfaction"] == fmt["Score"] == "0.0"
    assert fmt["Visits made"] == fmt["Due visits made"] == "0"
    assert fmt["Counted through"] == "yyyy-mm-dd"
    widths = {h: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
              for i, h in enumerate(header)}
    assert widths["Median hours to accept"] >= len("Median hours to accept")
    assert all(8 <= w <= 60 for w in widths.values())


def test_english_values_and_sheet_names(store: Store, out: Path) -> None:
    with store.session() as s:
        records = pq.period_records(s, "2026-10")
        board = pq.dashboard(s, period_from="2026-10", period_to="2026-10", today=TODAY)
    path = excel.write_workbook(out / "all.xlsx", records=records, dashboard=board,
                                lang="en", now=NOW)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Performance", "About", "Visits per week", "Tickets by category",
                             "Overdue trend", "Satisfaction", "By grid", "By worker"]
    assert rows(wb["Performance"])[0][0] == "社工"  # Chinese headers first, always
    assert {r["Status"] for r in by_header(wb["Performance"])} == {"Approved", "Submitted"}
    categories = by_header(wb["Tickets by category"])
    assert categories[0]["Category"].startswith("Municipal facilities")
    assert categories[0]["Status"] == "Assigned"


def test_dashboard_tables_to_excel(store: Store, out: Path) -> None:
    with store.session() as s:
        board = pq.dashboard(s, period_from="2026-10", period_to="2026-10",
                             community_id="c1", today=TODAY)
    path = excel.export_dashboard(out / "dashboard.xlsx", board,
                                  community_name="汇林绿洲社区")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["说明", "每周走访", "工单分类", "超时趋势", "满意度", "按网格",
                             "按社工"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3"
    about = {r["Item"]: r["Value"] for r in by_header(wb["说明"])}
    assert about["统计月份"] == "2026-10 – 2026-10"
    assert about["社区"] == "汇林绿洲社区" and about["网格"] == "全部"
    weekly = by_header(wb["每周走访"])
    assert [(r["Week of"].date(), r["Visits made"], r["Visits planned"]) for r in weekly] == [
        (w.week_start, w.visits_done, w.visits_planned) for w in board.weekly_visits]
    assert weekly[0]["Done vs plan"] == pytest.approx(1 / 3)
    assert [r["Category"] for r in by_header(wb["工单分类"])] == ["政策咨询", "环境卫生"]
    trend = by_header(wb["超时趋势"])
    assert [(r["Open"], r["Overdue"]) for r in trend] == [
        (p.open, p.overdue) for p in board.overdue_trend]
    assert trend[0]["Overdue share"] == 0 and trend[-1]["Overdue share"] == 1
    sat = by_header(wb["满意度"])
    assert sat == [{"Month": "2026-10", "Satisfied": 1, "Basically satisfied": 1,
                    "Dissatisfied": 0, "Average": 90.0}]
    grids = by_header(wb["按网格"])
    g1 = next(r for r in grids if r["Grid"] == "网格g1")
    assert (g1["Households"], g1["Visits due"], g1["Due visits made"], g1["Tickets opened"],
            g1["On time"], g1["Overdue at the end"]) == (2, 6, 3, 1, 1, 1)
    assert g1["Due visits done"] == 0.5
    workers = {r["Social worker"]: r for r in by_header(wb["按社工"])}
    assert set(workers) == {"张伟", "李娜"}
    assert "Tickets opened" not in workers["张伟"]
    assert workers["李娜"]["Satisfaction"] == 80.0
    ws = wb["按网格"]
    assert ws.cell(row=3, column=5).number_format == "0.0%"


def test_a_failed_export_leaves_the_earlier_file_as_it_was(
        store: Store, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.session() as s:
        records = pq.period_records(s, "2026-10")
    target = out / "records.xlsx"
    excel.export_records(target, records)
    before = target.read_bytes()

    def disk_full(self: Any, filename: str) -> None:
        Path(filename).write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", disk_full)
    with pytest.raises(ExportError) as err:
        excel.export_records(target, records)
    assert err.value.code == "write_failed" and err.value.path == target
    assert target.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["records.xlsx"]


def test_bad_destination_and_arguments(store: Store, out: Path) -> None:
    with store.session() as s:
        records = pq.period_records(s, "2026-10")
    with pytest.raises(ExportError) as err:
        excel.export_records(out / "no-such-folder" / "r.xlsx", records)
    assert err.value.code == "folder_missing"
    with pytest.raises(ValueError):
        excel.export_records(out / "r.xlsx", records, lang="fr")
    with pytest.raises(ValueError):
        excel.write_workbook(out / "r.xlsx")
    assert list(out.iterdir()) == []


def test_every_label_has_both_languages() -> None:
    for key, (zh, en) in excel.LABELS.items():
        assert zh and en and zh != en, key
    assert excel.label("status.approved") == "已通过"
    assert excel.label("status.approved", "en") == "Approved"
    assert excel.label("category.future_code") == "future_code"  # unknown: the code itself


def test_a_resubmitted_record_exports_its_own_round_not_the_previous_decision(
        store: Store, out: Path) -> None:
    """Returned with a comment, then submitted again: the record still carries the
    return's reviewer and comment (for the worker to read), but this round has no
    decision yet; and figures that do not say how far they count are counted through the
    month's end."""
    save_record(store, "r3", "w3", "2026-10", "submitted", {"visits_due": 4, "visits_done": 2},
                [{"action": "submit", "actor_id": "w3", "at": "2026-11-02T09:00:00+08:00"},
                 {"action": "return", "actor_id": "sup", "at": "2026-11-03T09:00:00+08:00",
                  "comment": "请补充走访"},
                 {"action": "submit", "actor_id": "w3", "at": "2026-11-04T09:00:00+08:00"}],
                supervisor_id="sup", decision_comment="请补充走访")
    with store.session() as s:
        records = pq.period_records(s, "2026-10")
    path = excel.export_records(out / "round.xlsx", records, lang="en")
    got = {r["Social worker"]: r for r in by_header(openpyxl.load_workbook(path).worksheets[0])}
    again = next(r for name, r in got.items() if name in ("w3",) or r["Visits due"] == 4)
    assert (again["Status"], again["Decided by"], again["Decision comment"], again["Score"]) \
        == ("Submitted", None, None, None)
    assert again["Counted through"] == dt.datetime(2026, 10, 31)
    approved = next(r for r in got.values() if r["Status"] == "Approved")
    assert approved["Decision comment"] == "同意" and approved["Score"] == 91.5
    assert all(r["Counted through"] is not None for r in got.values())


def test_the_dashboard_workbook_carries_the_charts(store: Store, out: Path) -> None:
    with store.session() as s:
        board = pq.dashboard(s, period_from="2026-10", period_to="2026-10", today=TODAY)
    path = excel.export_dashboard(out / "board.xlsx", board)
    book = openpyxl.load_workbook(path)
    charts = {ws.title: ws._charts for ws in book.worksheets}
    assert [len(charts[name]) for name in ("每周走访", "超时趋势", "满意度", "按网格")] == [1] * 4
    weekly = charts["每周走访"][0]
    # Done (bars) and planned (a line over them).
    assert [len(c.series) for c in weekly._charts] == [1, 1]
    assert charts["说明"] == [] and charts["按社工"] == []
