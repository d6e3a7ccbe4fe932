"""What every workbook of the app shares: the sheet layout and the atomic save.

Layout (decided once, here): row 1 holds the column headers in Chinese (the users'
language, first), row 2 the same in English; both bold and frozen, so a sheet reads the
same in either language and scrolls with its headers; data from row 3. Values are made
fit for a cell (:func:`cell_value`: Shanghai local times, no control characters) and
columns as wide as their longest header or value (a CJK character counts as two).

Files are written atomically (:func:`save_workbook`): to a temporary file in the
destination folder, then renamed over the destination, so a failed export never leaves
half a file nor spoils an earlier one. Failures raise :class:`ExportError` with a code
for the UI to translate. No Qt.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gulou_desk.records import SHANGHAI

LANGS = ("zh", "en")
"""The header rows, in order."""
PERCENT = "0.0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")


class ExportError(Exception):
    """An export that could not be written. ``code``: ``folder_missing`` (the destination
    folder does not exist), ``write_failed`` (the disk or the file refused it: permissions,
    a file open in Excel on Windows, a full disk); nothing was changed at ``path``."""

    def __init__(self, code: str, path: Path, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.path = path


def cell_value(value: Any) -> Any:
    """``value`` as a cell holds it: times in Shanghai (Excel has no zones), text without
    the control characters a workbook cannot hold."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(SHANGHAI).replace(tzinfo=None)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def display_width(value: Any, number_format: str | None) -> int:
    """How many columns ``value`` takes as shown (a CJK character counts as two)."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value * 100:.1f}%" if number_format == PERCENT else f"{value:.1f}"
    elif isinstance(value, dt.datetime):
        text = "2026-01-01 00:00"
    elif isinstance(value, dt.date):
        text = "2026-01-01"
    else:
        text = str(value)
    longest = max(text.split("\n"), key=len)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def write_headers(ws: Worksheet, headers: Sequence[tuple[str, str]]) -> list[int]:
    """The two header rows (Chinese, English); returns each column's width so far."""
    widths = [0] * len(headers)
    for row, lang in enumerate(LANGS, start=1):
        for i, pair in enumerate(headers, start=1):
            cell = ws.cell(row=row, column=i, value=pair[LANGS.index(lang)])
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            widths[i - 1] = max(widths[i - 1], display_width(cell.value, None))
    return widths


def finish_sheet(ws: Worksheet, widths: Sequence[int]) -> None:
    """Columns as wide as their content (8 to 60), the header rows frozen."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = ws.cell(row=len(LANGS) + 1, column=1).coordinate


def save_workbook(wb: Workbook, target: Path) -> None:
    """Write ``wb`` to ``target`` atomically, or raise :class:`ExportError`."""
    folder = target.parent
    if not folder.is_dir():
        raise ExportError("folder_missing", target, f"no folder {folder}")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".xlsx.part",
                                    dir=folder)
    except OSError as exc:
        raise ExportError("write_failed", target, f"could not write in {folder}: {exc}") \
            from exc
    os.close(fd)
    try:
        wb.save(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise ExportError("write_failed", target, f"could not write {target}: {exc}") from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
