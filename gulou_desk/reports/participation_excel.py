"""A questionnaire's results as an Excel workbook (.xlsx, openpyxl).

Three sheets, laid out as :mod:`gulou_desk.reports.sheets` lays out every workbook
(headers in Chinese then English, frozen; numbers stay numbers, rates as percentages;
written atomically, :class:`~gulou_desk.reports.sheets.ExportError` when it cannot be):

- results: one row per option (or score) of every choice and score question, with its
  count and share of those who answered the question, and the averages of score
  questions;
- per grid: responses, households of the target grid, response rate;
- responses: one row per response (who, grid, channel, when) and one column per
  question, the answer as the option's text.

No Qt: the UI passes plain values (``QuestionnaireResults``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from gulou_desk.domain import participation
from gulou_desk.reports.sheets import (
    LANGS,
    PERCENT,
    cell_value,
    display_width,
    finish_sheet,
    save_workbook,
    write_headers,
)
from gulou_desk.store.participation_queries import QuestionnaireResults

HEADERS: dict[str, tuple[str, str]] = {
    "sheet.results": ("结果", "Results"),
    "sheet.grids": ("按网格", "By grid"),
    "sheet.responses": ("答复明细", "Responses"),
    "question": ("题目", "Question"),
    "option": ("选项", "Option"),
    "count": ("人数", "Count"),
    "share": ("占比", "Share"),
    "average": ("平均分", "Average"),
    "grid": ("网格", "Grid"),
    "responses": ("答复数", "Responses"),
    "households": ("户数", "Households"),
    "rate": ("答复率", "Response rate"),
    "who": ("答复人", "Respondent"),
    "channel": ("渠道", "Channel"),
    "received_at": ("时间", "Received"),
}
CHANNELS: dict[str, tuple[str, str]] = {
    "wechat": ("微信群", "WeChat group"), "visit": ("走访", "Home visit"),
    "phone": ("电话", "Phone"), "walk_in": ("来访", "Walk-in"),
}


def _label(key: str, lang: str) -> str:
    zh, en = HEADERS.get(key, (key, key))
    return zh if lang == "zh" else en


def _answer_text(question: dict[str, Any], value: Any) -> Any:
    options = list(question.get("options") or [])
    kind = question.get("kind")
    if value is None:
        return None
    if kind == participation.SINGLE and isinstance(value, int) and 0 <= value < len(options):
        return options[value]
    if kind == participation.MULTIPLE and isinstance(value, list):
        return "、".join(options[v] for v in value if isinstance(v, int)
                        and 0 <= v < len(options))
    return value


def _write(ws: Worksheet, headers: Sequence[str | tuple[str, str]],
           rows: Sequence[Sequence[Any]], formats: dict[int, str] | None = None) -> None:
    """Headers: keys of :data:`HEADERS`, or (Chinese, English) pairs."""
    formats = formats or {}
    widths = write_headers(ws, [key if isinstance(key, tuple) else HEADERS.get(key, (key, key))
                                for key in headers])
    for r, row in enumerate(rows, start=len(LANGS) + 1):
        for c, value in enumerate(row, start=1):
            value = cell_value(value)
            cell = ws.cell(row=r, column=c, value=value)
            if c - 1 in formats and isinstance(value, float):
                cell.number_format = formats[c - 1]
            widths[c - 1] = max(widths[c - 1], display_width(value, formats.get(c - 1)))
    finish_sheet(ws, widths)


def write_results(path: str | os.PathLike[str], results: QuestionnaireResults, *,
                  lang: str = "zh") -> Path:
    """Write the questionnaire's results to ``path`` (see the module docstring)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    target = Path(path)
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = _label("sheet.results", lang)
    rows: list[list[Any]] = []
    for i, r in enumerate(results.results, start=1):
        if r.kind == participation.TEXT:
            continue
        head = f"{i}. {r.text}"
        for option, count in zip(r.options, r.counts, strict=True):
            rows.append([head, option, count,
                         count / r.answered if r.answered else None, r.average])
    _write(sheet, ("question", "option", "count", "share", "average"), rows,
           {3: PERCENT, 4: "0.0"})
    grids = wb.create_sheet(_label("sheet.grids", lang))
    _write(grids, ("grid", "responses", "households", "rate"),
           [[g.name, g.responses, g.households, g.rate] for g in results.grids], {3: PERCENT})
    questions = list(results.record.get("questions") or [])
    detail = wb.create_sheet(_label("sheet.responses", lang))
    headers: list[str | tuple[str, str]] = ["who", "grid", "channel", "received_at"]
    headers += [(f"{i}. {q.get('text')}",) * 2 for i, q in enumerate(questions, start=1)]
    channel = 0 if lang == "zh" else 1
    _write(detail, headers, [
        [line.who, line.grid, CHANNELS.get(line.channel, (line.channel,) * 2)[channel],
         line.received_at, *(_answer_text(q, line.answers.get(str(q.get("id"))))
                             for q in questions)]
        for line in results.responses])
    save_workbook(wb, target)
    return target
