"""A submitted visit, opened to read (read-only) and printed to PDF.

Opened by a double click (or Enter) on a visit in a household's 走访记录, in 我的走访, and
wherever else a visit is listed (:func:`open_visit_record`). It reads the visit with
:func:`gulou_desk.store.visit_plan.visit_record` in the background and shows every
answer as it was submitted, in the template's words and order (only the fields that
were shown for those answers), the photos held on this device, who made the visit and
when, the tickets raised from it and where it stands with the server (sent, still to be
sent, set aside). Nothing can be changed here.

"Export PDF…" lays the same content out as HTML in a :class:`QTextDocument` and prints
it to a :class:`QPdfWriter` (on the GUI thread: Qt's text layout belongs there), with the
photos' thumbnails; the file is written in an op, atomically
(:func:`ui.performance.export.write_file`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.desk import Desk
from gulou_desk.domain import forms
from gulou_desk.records import SHANGHAI
from gulou_desk.records import now as shanghai_now
from gulou_desk.store.visit_plan import HELD, PENDING, VisitEntry, VisitRecord, visit_record
from ui import palette
from ui.background import Op, OpError, Progress
from ui.i18n import QT_TRANSLATE_NOOP, PluralContext
from ui.pdf import html_pdf
from ui.performance.export import (
    PDF_FILTER,
    ask_save_path,
    describe_export_error,
    write_file,
)
from ui.shell.context import OnlineReads
from ui.visits.form import label_of

translate = QCoreApplication.translate

class VisitRecordPlurals(PluralContext):
    """The texts of this module that carry a count (see :class:`ui.i18n.PluralContext`)."""

PHOTO_PX = 160
EMPTY = "—"

_STATES = {
    "synced": QT_TRANSLATE_NOOP("VisitRecord", "On the server"),
    PENDING: QT_TRANSLATE_NOOP("VisitRecord", "Not sent yet: it goes at the next sync"),
    HELD: QT_TRANSLATE_NOOP(
        "VisitRecord", "Set aside: the server did not take it (see the outbox)"),
}


def sync_state_text(record: VisitRecord) -> str:
    return translate("VisitRecord", _STATES.get(record.sync_state, _STATES[PENDING]))


def form_text(visit: VisitEntry, lang: str) -> str:
    """The form a visit was filled with and its version ("常规走访 · 第 2 版")."""
    title = visit.template_title(lang) or EMPTY
    if visit.template_version is None:
        return title
    return translate("VisitRecord", "%1 · version %2").replace("%1", title).replace(
        "%2", str(visit.template_version))


def answer_text(definition: Mapping[str, Any], value: Any, lang: str) -> str:
    """An answer as a person reads it: the option's words for a choice, 是/否 for a
    yes/no, numbers as typed; a photo field says how many photos."""
    if value is None or value == "" or value == []:
        return EMPTY
    type_ = definition.get("type")
    options = {o.get("value"): label_of(o.get("label"), lang)
               for o in definition.get("options") or [] if isinstance(o, Mapping)}
    if type_ == "choice":
        return options.get(value, str(value))
    if type_ == "multi_choice" and isinstance(value, list):
        return "、".join(options.get(v, str(v)) for v in value)
    if type_ == "yes_no" and isinstance(value, bool):
        return translate("VisitRecord", "Yes") if value else translate("VisitRecord", "No")
    if type_ == "photo" and isinstance(value, list):
        return VisitRecordPlurals.tr("%n photo(s)", "", len(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_rows(record: VisitRecord, lang: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, answer, definition) of every field shown for these answers, in the
    template's order; answers the template does not know (it is not on this device) come
    last under their keys."""
    answers = record.visit.answers
    rows = [(label_of(d.get("label"), lang), answer_text(d, answers.get(str(d.get("key"))),
                                                          lang), d)
            for d in forms.visible_fields(record.fields, answers)]
    known = {str(d.get("key")) for d in record.fields}
    rows += [(key, answer_text({}, value, lang), {"key": key})
             for key, value in answers.items() if key not in known]
    return rows


def when_text(record: VisitRecord) -> str:
    at = record.visit.visited_at
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if at else EMPTY


class VisitRecordDialog(QDialog):
    """One submitted visit, read-only (see the module doc).

    Signals:
        loaded(): the visit is shown (or said to be missing).
        exported(str): a PDF was written (its path).
    """

    loaded = Signal()
    exported = Signal(str)

    def __init__(self, desk: Desk, visit_id: str, parent: QWidget | None = None,
                 online: OnlineReads | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitRecord")
        self.desk = desk
        self.online = online
        self.visit_id = visit_id
        self.record: VisitRecord | None = None
        self.thumbnails: dict[str, bytes] = {}
        self.lang = QLocale().name()
        self.setWindowTitle(self.tr("Visit record"))
        self.resize(700, 640)

        self.title = QLabel()
        self.title.setObjectName("visitRecordTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.title.setWordWrap(True)
        self.meta = QFormLayout()
        self.answers = QFormLayout()
        self.answers.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.answers.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.title)
        column.addLayout(self.meta)
        heading = QLabel(self.tr("Answers as submitted"))
        heading.setStyleSheet("font-weight: 600; margin-top: 8px;")
        column.addWidget(heading)
        column.addLayout(self.answers)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.note = QLabel()
        self.note.setObjectName("visitRecordNote")
        self.note.setWordWrap(True)
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.pdf_button.setToolTip(self.tr("Save this visit as a PDF to print or file (Ctrl+P)"))
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.history_button = QPushButton(self.tr("History"))
        self.history_button.setObjectName("visit_history")
        self.history_button.setToolTip(self.tr("Every change to this visit"))
        self.history_button.clicked.connect(self.open_history)
        close = QPushButton(self.tr("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Print, self, self.export_pdf)
        self._load()

    # -- reading -----------------------------------------------------------------------

    def _load(self) -> None:
        desk, visit_id = self.desk, self.visit_id

        def work(progress: Progress) -> tuple[VisitRecord | None, dict[str, bytes]]:
            record = desk.read(visit_record, visit_id)
            thumbs = desk.thumbnails(record.visit.photos) if record is not None else {}
            return record, thumbs

        Op(self, work, name="visit_record").success(self._show).failure(self._failed).run()

    def _failed(self, error: OpError) -> None:
        self.note.setText(error.message)
        self.loaded.emit()

    def _show(self, result: tuple[VisitRecord | None, dict[str, bytes]]) -> None:
        record, self.thumbnails = result
        self.record = record
        if record is None:
            self.title.setText(self.tr("This visit is no longer on this computer."))
            self.loaded.emit()
            return
        visit = record.visit
        self.title.setText(record.household_line)
        self.setWindowTitle(self.tr("Visit record: %1").replace("%1", record.household_line))
        state = QLabel(sync_state_text(record))
        state.setObjectName("visitSyncState")
        if record.sync_state == HELD:
            state.setStyleSheet(f"color: {palette.DANGER_DEEP};")
        for label, value in (
                (self.tr("Visited"), when_text(record)),
                (self.tr("Visited by"), visit.worker_name or EMPTY),
                (self.tr("Form"), form_text(visit, self.lang)),
                (self.tr("Tickets raised"), "；".join(
                    f"{t.number or EMPTY} {t.title or ''}".strip() for t in record.tickets)
                 or EMPTY)):
            self.meta.addRow(label, _value_label(value))
        self.meta.addRow(self.tr("Sync"), state)
        for label, text, definition in answer_rows(record, self.lang):
            if definition.get("type") == "photo":
                shas = visit.answers.get(str(definition.get("key"))) or []
                self.answers.addRow(_value_label(label), self._photos(shas))
            else:
                self.answers.addRow(_value_label(label), _value_label(text))
        self.pdf_button.setEnabled(True)
        self.loaded.emit()

    def _photos(self, shas: list[str]) -> QWidget:
        strip = QWidget()
        strip.setObjectName("visitRecordPhotos")
        row = QHBoxLayout(strip)
        row.setContentsMargins(0, 0, 0, 0)
        for sha in shas:
            picture = QLabel()
            picture.setObjectName("visitRecordPhoto")
            picture.setFixedSize(PHOTO_PX, PHOTO_PX)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pixmap = QPixmap()
            if sha in self.thumbnails and pixmap.loadFromData(self.thumbnails[sha]):
                picture.setPixmap(pixmap.scaled(
                    PHOTO_PX, PHOTO_PX, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
            else:
                picture.setText(self.tr("Photo not on this computer yet"))
                picture.setWordWrap(True)
                picture.setStyleSheet(f"background: {palette.PLACEHOLDER};")
            row.addWidget(picture)
        row.addStretch(1)
        return strip

    # -- printing ----------------------------------------------------------------------

    def open_history(self) -> None:
        """历史: every change to this visit, read from the server (as for a household)."""
        from ui.shell.history import HistoryDialog

        title = self.record.household_line if self.record is not None else ""
        dialog = HistoryDialog(self.desk, self.online, "visit", self.visit_id, title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_pdf(self) -> None:
        record = self.record
        if record is None:
            return
        day = record.visit.visited_at.astimezone(SHANGHAI).strftime("%Y%m%d") \
            if record.visit.visited_at else ""
        name = self.tr("Visit %1 %2.pdf").replace("%1", record.household_line).replace(
            "%2", day).replace("/", "_")
        path = ask_save_path(self, self.tr("Export the visit as PDF"), name, PDF_FILTER,
                             ".pdf")
        if path is None:
            return
        data = render_pdf(record, self.thumbnails, self.lang)

        def work(progress: Progress) -> Path:
            return write_file(path, data)

        def done(written: Path) -> None:
            self.note.setText(self.tr("Saved as %1").replace("%1", str(written)))
            self.exported.emit(str(written))

        def failed(error: OpError) -> None:
            self.note.setText(describe_export_error(error.exception, error.message))

        Op(self, work, name="export_visit_pdf").success(done).failure(failed).run()


def _value_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def record_html(record: VisitRecord, lang: str, photo_urls: Mapping[str, str]) -> str:
    """The visit as HTML for the PDF (the same content as the dialog)."""
    e = html.escape
    visit = record.visit
    t = translate
    meta = [
        (t("VisitRecordDialog", "Visited"), when_text(record)),
        (t("VisitRecordDialog", "Visited by"), visit.worker_name or EMPTY),
        (t("VisitRecordDialog", "Form"), form_text(visit, lang)),
        (t("VisitRecordDialog", "Tickets raised"), "；".join(
            f"{x.number or EMPTY} {x.title or ''}".strip() for x in record.tickets) or EMPTY),
        (t("VisitRecordDialog", "Sync"), sync_state_text(record)),
    ]
    meta_rows = "".join(f"<tr><td width='22%'><b>{e(k)}</b></td><td>{e(v)}</td></tr>"
                        for k, v in meta)
    rows = []
    for label, text, definition in answer_rows(record, lang):
        if definition.get("type") == "photo":
            shas = visit.answers.get(str(definition.get("key"))) or []
            cell = " ".join(f"<img src='{photo_urls[s]}' width='150'/>" for s in shas
                            if s in photo_urls) or e(text)
        else:
            cell = e(text).replace("\n", "<br/>")
        rows.append(f"<tr><td width='32%'>{e(label)}</td><td>{cell}</td></tr>")
    printed = translate("VisitRecord", "Printed %1").replace(
        "%1", shanghai_now().astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"))
    return f"""<html><head><style>
h1 {{ font-size: 15pt; }} td {{ vertical-align: top; }} .muted {{ color: {palette.FAINT}; }}
</style></head><body>
<h1>{e(t("VisitRecordDialog", "Visit record"))}: {e(record.household_line)}</h1>
<table cellspacing='0' cellpadding='3' width='100%'>{meta_rows}</table>
<h2>{e(t("VisitRecordDialog", "Answers as submitted"))}</h2>
<table border='1' cellspacing='0' cellpadding='4' width='100%'>{''.join(rows)}</table>
<p class='muted'><br/>{e(printed)}</p>
</body></html>"""


def render_pdf(record: VisitRecord, thumbnails: Mapping[str, bytes], lang: str) -> bytes:
    """The visit as PDF bytes (GUI thread: Qt lays the text out)."""
    images: dict[str, QImage] = {}
    for sha, jpeg in thumbnails.items():
        image = QImage()
        if image.loadFromData(jpeg):
            images[f"photo://{sha}"] = image
    urls = {url.removeprefix("photo://"): url for url in images}
    return html_pdf(record_html(record, lang, urls), title=translate(
        "VisitRecordDialog", "Visit record: %1").replace("%1", record.household_line),
        images=images)


def open_visit_record(desk: Desk, visit_id: str, parent: QWidget,
                      online: OnlineReads | None = None) -> VisitRecordDialog:
    """Open the visit to read, over ``parent`` (not modal: several may be open); with
    ``online``, its 历史 is read from the server."""
    dialog = VisitRecordDialog(desk, visit_id, parent, online)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = ["VisitRecordDialog", "answer_text", "open_visit_record", "render_pdf"]
