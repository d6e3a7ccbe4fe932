"""One page of HTML printed to PDF: the performance record, a visit, a questionnaire's
announcement (公示) are all laid out as HTML and printed here.

Qt's text layout belongs to the GUI thread: call :func:`html_pdf` there (a page takes
milliseconds) and write the bytes in the background.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

PDF_FONTS = ["Segoe UI", "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC",
             "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei"]
"""Families for printed pages: a Latin face first, then the CJK ones for Chinese.
(Qt embeds the CJK faces as CID fonts whose digits lose their text mapping: with Latin
letters and digits from a Latin face, the PDF's text can be searched and copied.)"""
CREATOR = "Gulou e-Home Desk"


def html_pdf(html: str, *, title: str, margins: tuple[float, float, float, float] = (
        18, 16, 18, 16), point_size: float = 10.5,
        images: Mapping[str, QImage] | None = None) -> bytes:
    """``html`` on A4 pages as PDF bytes. ``margins`` in millimetres (left, top, right,
    bottom); ``images``: resources the HTML refers to by URL (``<img src=…>``)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(*margins), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator(CREATOR)
    document = QTextDocument()
    font = QFont(QGuiApplication.font())
    font.setFamilies(PDF_FONTS)
    font.setPointSizeF(point_size)
    document.setDefaultFont(font)
    for url, image in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
    document.setHtml(html)
    document.print_(writer)
    del writer  # ends the PDF
    buffer.close()
    return bytes(data.data())
