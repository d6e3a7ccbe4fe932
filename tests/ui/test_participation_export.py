"""A questionnaire's exports: the 公示 is one page whatever the template, and says who was
asked and how many answered; the workbook has the results, the grids and every response
with the options' texts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gulou_desk.domain import participation
from gulou_desk.domain.participation_templates import QUESTIONNAIRE_TEMPLATES
from gulou_desk.records import SHANGHAI
from gulou_desk.reports.participation_excel import write_results
from gulou_desk.store.participation_queries import GridResult, QuestionnaireResults, ResponseLine
from ui.participation.export import notice_html, render_notice

OPENED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


def _results(key: str, answers: list[dict[str, object]]) -> QuestionnaireResults:
    template = next(t for t in QUESTIONNAIRE_TEMPLATES if t.key == key)
    record = {**template.questionnaire_fields(), "id": "q", "code": "问卷9",
              "community_id": "c", "opens_at": OPENED, "closed_at": OPENED + dt.timedelta(days=7)}
    lines = [ResponseLine(f"r{i}", f"居民{i}", "第1网格", "wechat", OPENED, dict(a))
             for i, a in enumerate(answers)]
    grids = [GridResult(f"g{i}", f"第{i}网格", 3 if i == 1 else 0, 40) for i in range(1, 8)]
    return QuestionnaireResults(record, participation.questionnaire_results(
        record["questions"], [{"answers": a} for a in answers]), grids, lines, "汇林绿洲")


@pytest.mark.parametrize("key", [t.key for t in QUESTIONNAIRE_TEMPLATES])
def test_the_announcement_is_one_page(key: str) -> None:
    results = _results(key, [{}])
    pdf = render_notice(results)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_the_announcement_says_who_was_asked_and_the_counts(tmp_path: Path) -> None:
    results = _results("courtyard", [{"q1": 0, "q3": 5}, {"q1": 0, "q3": 3},
                                     {"q1": 1, "q4": "多种树"}])
    page = notice_html(results, OPENED + dt.timedelta(days=8))
    assert "关于“小区庭院改造意见征集”结果的公示" in page
    assert "共收到有效答复3份，答复率1.1%" in page  # 3 of 7 × 40 households
    assert "2（67%）" in page and "平均4.0分" in page
    assert "共收到1条意见建议" in page
    assert "汇林绿洲社区居民委员会<br/>2026年11月10日" in page

    path = write_results(tmp_path / "r.xlsx", results)
    book = load_workbook(path)
    rows = list(book["结果"].iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("1. 您是否赞成对庭院进行改造？", "赞成", 2, 2 / 3, None)
    grids = list(book["按网格"].iter_rows(min_row=3, values_only=True))
    assert grids[0] == ("第1网格", 3, 40, 3 / 40)
    detail = list(book["答复明细"].iter_rows(min_row=1, values_only=True))
    assert detail[1][:4] == ("Respondent", "Grid", "Channel", "Received")
    assert detail[4][2] == "微信群" and detail[4][4] == "不赞成" and detail[4][7] == "多种树"
