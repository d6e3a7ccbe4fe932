"""A questionnaire's exports: the results to Excel, and a one-page announcement (公示) PDF.

The workbook is written by :mod:`gulou_desk.reports.participation_excel` in an op. The
announcement is HTML laid out by Qt and printed to PDF on the GUI thread (Qt's text
layout belongs there; one page takes milliseconds), then written atomically in an op —
as every printed page (:mod:`ui.pdf`). The announcement
is in Chinese whatever the desk's language: it is posted for residents.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from gulou_desk.domain import participation
from gulou_desk.records import SHANGHAI
from gulou_desk.records import now as shanghai_now
from gulou_desk.store.participation_queries import QuestionnaireResults
from ui import palette
from ui.background import Op, OpError, Progress
from ui.participation import labels as L
from ui.pdf import html_pdf
from ui.performance.export import (
    EXCEL_FILTER,
    PDF_FILTER,
    ask_save_path,
    describe_export_error,
    write_file,
)
from ui.performance.labels import excel_language

BAR_WIDTH = 46
"""Percent of the page's width a full bar of the announcement takes."""


def file_stem(results: QuestionnaireResults) -> str:
    q = results.record
    name = str(q.get("code") or q.get("title") or "questionnaire")
    return "".join(c for c in name if c not in '\\/:*?"<>|').strip() or "questionnaire"


def ask_path(parent: QWidget, results: QuestionnaireResults, *, excel: bool) -> Path | None:
    if excel:
        return ask_save_path(parent, L.tr(L.EXPORT_RESULTS),
                             f"{file_stem(results)}-结果.xlsx", EXCEL_FILTER, ".xlsx")
    return ask_save_path(parent, L.tr(L.SAVE_NOTICE),
                         f"{file_stem(results)}-公示.pdf", PDF_FILTER, ".pdf")


def _e(text: object) -> str:
    return html.escape(str(text))


def notice_html(results: QuestionnaireResults, printed_at: dt.datetime | None = None) -> str:
    """The announcement: title, who was asked and how many answered, each question's
    result as bars, the short answers counted, the date."""
    q = results.record
    printed = (printed_at or shanghai_now()).astimezone(SHANGHAI)
    opened, closed = q.get("opens_at"), q.get("closed_at") or q.get("closes_at")
    period = ""
    if isinstance(opened, dt.datetime) and isinstance(closed, dt.datetime):
        start, end = opened.astimezone(SHANGHAI), closed.astimezone(SHANGHAI)
        period = f"{start:%Y年%m月%d日}至{end:%m月%d日}"
    grids = "、".join(g.name for g in results.grids)
    rate = f"，答复率{L.format_rate(results.rate)}" if results.rate is not None else ""
    parts: list[str] = []
    for i, r in enumerate(results.results, start=1):
        if r.kind == participation.TEXT:
            parts.append(f"<h3>{i}. {_e(r.text)}</h3><p>共收到{len(r.texts)}条意见建议，"
                         "社区将逐条研究答复。</p>")
            continue
        head = f"{i}. {_e(r.text)}"
        if r.kind == participation.SCALE and r.average is not None:
            head += f"（平均{r.average:.1f}分）"
        rows = []
        for j, (option, count) in enumerate(zip(r.options, r.counts, strict=True)):
            share = count / r.answered if r.answered else 0.0
            name = f"{option}分" if r.kind == participation.SCALE else \
                f"{participation.letter(j)}. {option}"
            width = max(1, round(share * BAR_WIDTH))
            rows.append(
                f"<tr><td width='34%'>{_e(name)}</td>"
                f"<td width='{BAR_WIDTH}%'><table cellspacing='0' cellpadding='0' "
                f"width='{max(width * 100 // BAR_WIDTH, 1)}%'><tr><td bgcolor='{palette.ACCENT}'"
                f" height='9'></td></tr></table></td>"
                f"<td align='right'>{count}（{share * 100:.0f}%）</td></tr>")
        parts.append(f"<h3>{head}</h3><table width='100%' cellspacing='2'>{''.join(rows)}"
                     "</table>")
    community = _e(results.community_name or "")
    return f"""<html><head><style>
h1 {{ font-size: 18pt; text-align: center; margin-bottom: 2pt; }}
h3 {{ font-size: 10.5pt; margin-top: 8pt; margin-bottom: 2pt; color: {palette.INK}; }}
p {{ margin: 2pt 0; }}
.muted {{ color: {palette.MUTED}; }}
</style></head><body>
<h1>关于“{_e(q.get('title') or '')}”结果的公示</h1>
<p>各位居民：</p>
<p>{period}，{community}社区就“{_e(q.get('title') or '')}”向{_e(grids)}居民征求意见
（编号{_e(q.get('code') or '')}），共收到有效答复{results.total}份{rate}。现将结果公示如下：</p>
{''.join(parts)}
<p><br/>感谢各位居民的积极参与！如有疑问，请联系社区居委会。</p>
<p align='right'>{community}社区居民委员会<br/>{printed:%Y年%m月%d日}</p>
</body></html>"""


def render_notice(results: QuestionnaireResults, printed_at: dt.datetime | None = None
                  ) -> bytes:
    """The announcement as PDF bytes (GUI thread: Qt lays the text out)."""
    return html_pdf(notice_html(results, printed_at),
                    title=f"{results.record.get('title') or ''} 公示",
                    margins=(20, 18, 20, 16), point_size=10)


def export(parent: QWidget, path: Path, results: QuestionnaireResults, *, excel: bool,
           done: Callable[[Path], object], failed: Callable[[str], object]) -> None:
    """Write the workbook or the announcement to ``path`` in the background."""
    if excel:
        lang = excel_language()

        def work(progress: Progress) -> Path:
            # openpyxl is imported by the export's worker, not with the window (as the
            # performance exports do: ui/performance/export.py).
            from gulou_desk.reports.participation_excel import write_results

            return write_results(path, results, lang=lang)
    else:
        data = render_notice(results)

        def work(progress: Progress) -> Path:
            return write_file(path, data)

    def on_failure(error: OpError) -> None:
        failed(describe_export_error(error.exception, error.message))

    Op(parent, work, name="export_questionnaire").success(done).failure(on_failure).run()
