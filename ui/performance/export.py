"""Exports: the monthly records and the dashboard's tables to Excel, a record to PDF.

Excel workbooks are written by :mod:`gulou_desk.reports.excel` (openpyxl, atomically) in
an :class:`~ui.background.Op`; its :class:`~gulou_desk.reports.excel.ExportError` codes
become sentences here.

The printable record is HTML laid out by a :class:`QTextDocument` and printed through
Qt's printing support to a :class:`QPdfWriter` — in memory, on the GUI thread (Qt's text
layout and fonts belong there; one or two pages take a few milliseconds); the bytes are
then written to disk in an op, atomically, so a failed write never leaves half a file.
The document's font lists the CJK families of :data:`ui.app.UI_FONTS`, so Chinese
renders (and is embedded) in the PDF.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from gulou_desk.domain.indicators import RECORD_INDICATORS
from gulou_desk.records import now as shanghai_now
from gulou_desk.store import performance_queries as pq
from ui import palette
from ui.background import Op, OpError, Progress
from ui.i18n import QT_TRANSLATE_NOOP
from ui.pdf import html_pdf
from ui.performance import labels as L

EXCEL_FILTER = QT_TRANSLATE_NOOP("Performance", "Excel workbook (*.xlsx)")
PDF_FILTER = QT_TRANSLATE_NOOP("Performance", "PDF document (*.pdf)")
_DIALOG_LABELS = (
    (QFileDialog.DialogLabel.LookIn, QT_TRANSLATE_NOOP("Performance", "Look in:")),
    (QFileDialog.DialogLabel.FileName, QT_TRANSLATE_NOOP("Performance", "File name:")),
    (QFileDialog.DialogLabel.FileType, QT_TRANSLATE_NOOP("Performance", "Files of type:")),
    (QFileDialog.DialogLabel.Accept, QT_TRANSLATE_NOOP("Performance", "Save")),
    (QFileDialog.DialogLabel.Reject, QT_TRANSLATE_NOOP("Performance", "Cancel")),
)
"""The save dialog's own words (Qt's Chinese catalogue leaves "Look in:" and "Files of
type:" in English)."""


def default_folder() -> str:
    """The user's documents folder (made when it does not exist yet, as on a fresh
    Linux account: a save dialog given a missing folder opens in the working directory),
    else the home folder."""
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    if folder:
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = ""
    return folder or str(Path.home())


def ask_save_path(parent: QWidget, title: str, file_name: str, name_filter: str,
                  suffix: str) -> Path | None:
    """The save dialog, in the documents folder and in the UI's language; ``None`` when
    the user cancelled. Adds ``suffix`` if missing. ``name_filter``: :data:`EXCEL_FILTER`
    or :data:`PDF_FILTER` (translated here)."""
    dialog = QFileDialog(parent, title, default_folder(), L.tr(name_filter))
    dialog.setObjectName("save_dialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(suffix.lstrip("."))
    for which, text in _DIALOG_LABELS:
        dialog.setLabelText(which, L.tr(text))
    dialog.selectFile(file_name)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def describe_export_error(error: BaseException, fallback: str) -> str:
    from gulou_desk.reports.sheets import ExportError

    if isinstance(error, ExportError):
        return L.export_error_text(error.code, str(error.path))
    return fallback


# --- Excel --------------------------------------------------------------------------------
# The workbook writer (openpyxl: 17 MB and a fifth of a second to import) is imported by the
# export's worker when it runs, not with the dashboard: a supervisor's window opens on the
# dashboard, and its start should not pay for an export that may never come.


def export_records(parent: QWidget, path: Path, records: Sequence[pq.RecordView],
                   done: Callable[[Path], object], failed: Callable[[str], object]) -> None:
    """Write the records to ``path`` in the background; ``done(path)`` or ``failed(text)``."""
    lang = L.excel_language()
    rows = list(records)

    def work(progress: Progress) -> Path:
        from gulou_desk.reports.excel import write_workbook  # openpyxl: see _excel

        return write_workbook(path, records=rows, lang=lang)

    Op(parent, work, name="export_records").success(done).failure(
        lambda error: failed(describe_export_error(error.exception, error.message))).run()


def export_dashboard(parent: QWidget, path: Path, board: pq.Dashboard,
                     community_name: str | None, grid_name: str | None,
                     done: Callable[[Path], object],
                     failed: Callable[[str], object]) -> None:
    lang = L.excel_language()

    def work(progress: Progress) -> Path:
        from gulou_desk.reports.excel import write_workbook  # openpyxl: see _excel

        return write_workbook(path, dashboard=board, lang=lang,
                              community_name=community_name, grid_name=grid_name)

    Op(parent, work, name="export_dashboard").success(done).failure(
        lambda error: failed(describe_export_error(error.exception, error.message))).run()


# --- the printable record ------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text))


def record_html(record: pq.RecordView, printed_at: dt.datetime | None = None) -> str:
    """The record as a printable HTML page in the UI's language: who and which month,
    the figures, the self-assessment, the decision and its comment, the history."""
    t = L.tr
    printed = printed_at or shanghai_now()
    rows = "".join(
        f"<tr><td width='30%'>{_e(L.figure_label(name))}</td>"
        f"<td align='right' width='18%' class='nowrap'>"
        f"{_e(L.format_measure(name, record.measures.get(name)))}</td>"
        f"<td class='muted'>{_e(L.measure_basis(name, record.measures.get(name)))}</td></tr>"
        for name in RECORD_INDICATORS)
    counted = ""
    if record.through is not None:
        counted = _e(L.fill(t(L.COUNTED_THROUGH), record.through.isoformat()))
    decision = ""
    if record.status in ("approved", "returned") and (record.supervisor_name or record.score
                                                      is not None or record.decision_comment):
        decision = (
            f"<h2>{_e(t(L.DECISION))}</h2>"
            f"<table class='kv' cellspacing='0' cellpadding='3' width='70%'>"
            f"<tr><th width='30%'>{_e(t(L.STATUS))}</th>"
            f"<td>{_e(L.status_label(record.status))}</td></tr>"
            f"<tr><th>{_e(t(L.DECIDED_BY))}</th>"
            f"<td>{_e(record.supervisor_name or L.EMPTY)}</td></tr>"
            f"<tr><th>{_e(t(L.SCORE))}</th><td>{_e(L.format_score(record.score))}</td></tr>"
            f"<tr><th>{_e(t(L.COMMENT))}</th>"
            f"<td>{_e(record.decision_comment or L.EMPTY)}</td></tr></table>")
    history = "".join(
        f"<tr><td class='nowrap'>{_e(L.format_time(h.at))}</td>"
        f"<td class='nowrap'>{_e(L.history_actor(h))}</td>"
        f"<td>{_e(L.action_label(h.action))}</td>"
        f"<td>{_e(L.history_detail(h))}</td></tr>"
        for h in record.history)
    if not history:
        history = f"<tr><td colspan='4'>{_e(t(L.NO_HISTORY))}</td></tr>"
    assessment = record.self_assessment or t(L.NO_SELF_ASSESSMENT)
    paragraphs = "".join(f"<p>{_e(line)}</p>" for line in assessment.splitlines() if line)
    return f"""<html><head><style>
h1 {{ font-size: 17pt; margin-bottom: 2pt; }}
h2 {{ font-size: 12.5pt; margin-top: 14pt; margin-bottom: 4pt; color: {palette.INK}; }}
p {{ margin: 2pt 0; }}
table {{ border-collapse: collapse; border-color: {palette.FAINT}; }}
td, th {{ padding: 3pt 6pt; }}
.nowrap {{ white-space: nowrap; }}
th {{ text-align: left; color: {palette.TEXT_SECONDARY}; font-weight: normal; }}
.muted {{ color: {palette.MUTED}; }}
</style></head><body>
<h1>{_e(t(L.PRINT_TITLE))}</h1>
<p><b>{_e(record.worker_name or record.worker_id)}</b> · {_e(L.month_label(record.period))}
 · {_e(L.status_label(record.status))}</p>
<p class='muted'>{counted}</p>
<h2>{_e(t(L.FIGURES_TITLE))}</h2>
<table border='1' cellspacing='0' cellpadding='4' width='100%'>{rows}
<tr><td><b>{_e(t(L.SUGGESTED_SCORE))}</b></td>
<td align='right'><b>{_e(L.format_score(record.suggested_score))}</b></td>
<td class='muted'>{_e(L.score_explanation(record.measures))}</td></tr>
<tr><td><b>{_e(t(L.SCORE))}</b></td>
<td align='right'><b>{_e(L.format_score(record.score))}</b></td><td></td></tr></table>
<h2>{_e(t(L.SELF_ASSESSMENT))}</h2>{paragraphs}
{decision}
<h2>{_e(t(L.HISTORY))}</h2>
<table border='1' cellspacing='0' cellpadding='4' width='100%'>
<tr><th width='24%'>{_e(t(L.WHEN))}</th><th width='14%'>{_e(t(L.WHO))}</th>
<th width='22%'>{_e(t(L.WHAT))}</th><th>{_e(t(L.DETAIL))}</th></tr>{history}</table>
<p class='muted'><br/>{_e(L.fill(t(L.PRINTED_AT), L.format_time(printed)))}</p>
</body></html>"""


def render_pdf(record: pq.RecordView, printed_at: dt.datetime | None = None) -> bytes:
    """The printable record as PDF bytes (GUI thread: Qt lays the text out)."""
    return html_pdf(record_html(record, printed_at), title=L.fill(
        L.tr(L.PDF_TITLE), record.worker_name or record.worker_id, L.month_label(record.period)))


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, then
    renamed); :class:`ExportError` (``folder_missing`` / ``write_failed``) otherwise."""
    from gulou_desk.reports.sheets import ExportError

    folder = path.parent
    if not folder.is_dir():
        raise ExportError("folder_missing", path, f"no folder {folder}")
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise ExportError("write_failed", path, f"could not write {path}: {exc}") from exc
    finally:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)
    return path


def export_pdf(parent: QWidget, path: Path, record: pq.RecordView,
               done: Callable[[Path], object], failed: Callable[[str], object]) -> None:
    data = render_pdf(record)

    def work(progress: Progress) -> Path:
        return write_file(path, data)

    def on_failure(error: OpError) -> None:
        failed(describe_export_error(error.exception, error.message))

    Op(parent, work, name="export_pdf").success(done).failure(on_failure).run()


def pdf_file_name(record: pq.RecordView) -> str:
    name = (record.worker_name or record.worker_id).replace(os.sep, "_")
    return f"{name}-{record.period}.pdf"
