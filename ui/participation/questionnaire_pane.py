"""One questionnaire: what it is, its steps, and three tabs: the results (a chart per
question and per grid, the short answers), the message residents see in their WeChat
group, and the responses one by one.

The pane shows what it is given (:meth:`QuestionnairePane.show_results`); the section
reads it in the background and gives it again when responses arrive.
"""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import participation
from gulou_desk.store.participation_queries import QuestionnaireResults, ResponseLine
from ui.participation import labels as L
from ui.participation.charts import chart_height, grid_chart, question_chart
from ui.participation.pane import ItemPane, item_table, preview_page, wechat_bubble
from ui.record_labels import EMPTY
from ui.shell.empty_state import EmptyState
from ui.workflow_labels import fill

WHO_SHARE, WHO_LEAST = 0.45, 120
"""The most of the responses' width the "who" column takes (but this many pixels)."""


def answer_summary(questions: list[dict[str, object]], line: ResponseLine) -> str:
    """``1A 2AC 3:5 4:…``: the answers as a resident would type them (without the code)."""
    return participation.reply_text("", questions, line.answers).strip()


class QuestionnairePane(ItemPane):
    """Signals:
        step_requested(str): ``edit`` (the questions of a draft), ``publish``,
        ``close``, ``archive``, ``answers`` (enter a household's answers), ``excel`` or
        ``pdf`` (exports).
    """

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        nothing = EmptyState("participation", self.tr("No questionnaire chosen"), self.tr(
            "Choose a questionnaire to see its results, or make a new one from a template."))
        nothing.title_label.setFixedWidth(260)
        nothing.text_label.setFixedWidth(260)
        super().__init__("questionnaire", role, title_name="page_title",
                         summary_name="questionnaire_summary", steps=(
            ("edit", self.tr("Edit questions"), self.tr(
                "Write or change the questions, with the WeChat preview beside them "
                "(drafts only)")),
            ("publish", self.tr("Publish"), self.tr(
                "Post it to the target grids' WeChat groups; residents reply with its code")),
            ("close", self.tr("Close"), self.tr(
                "Stop taking answers; later replies get a polite refusal")),
            ("answers", self.tr("Enter answers"), self.tr(
                "A household's answers given on a visit or by phone (works offline)")),
            ("excel", self.tr("Excel"), self.tr("Export the results and every response")),
            ("pdf", self.tr("Notice PDF"), self.tr(
                "A one-page announcement (公示) of the result")),
            ("archive", self.tr("Archive"), self.tr(
                "No longer in use; it can still be read")),
        ), nothing=nothing, margins=(12, 12, 12, 8), spacing=8, parent=parent)
        self.results: QuestionnaireResults | None = None
        self.status_chip = self.chip
        self.buttons["publish"].setProperty("primary", True)
        for button in self.buttons.values():
            # Shown by the questionnaire's state (show_results). All seven shown with
            # the first one (590 px at 1024×700) pushed the list to its least width.
            button.hide()

        self.results_body = QWidget()
        self.results_body.setObjectName("detail_body")
        self.results_layout = QVBoxLayout(self.results_body)
        self.results_layout.setContentsMargins(8, 8, 8, 8)
        self.results_layout.setSpacing(10)
        results_scroll = QScrollArea()
        results_scroll.setObjectName("results_scroll")
        results_scroll.setWidgetResizable(True)
        results_scroll.setWidget(self.results_body)
        self.bubble = wechat_bubble("")
        self.responses = item_table("responses_table", (
            self.tr("Who"), self.tr("Answers"), self.tr("Received")), 1)
        self.tabs.addTab(results_scroll, self.tr("Results"))
        self.tabs.addTab(preview_page(self.bubble, self.tr("Gu Bao (as residents see it)")),
                         self.tr("WeChat preview"))
        self.tabs.addTab(self.responses, self.tr("Responses"))
        self._who_width = 0
        """What the "who" column's texts need (measured when the responses come)."""
        self.responses.viewport().installEventFilter(self)
        self.show_nothing()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.responses.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_who()
        return super().eventFilter(watched, event)

    def _fit_who(self) -> None:
        """The "who" column as wide as its names, at most :data:`WHO_SHARE` of the table:
        a household's whole address (an answer taken on the phone or on a visit) took
        the table's width and pushed the answers and the time past its right edge at
        1024×700. Cut there, the tooltip has it whole."""
        table = self.responses
        room = table.viewport().width()
        width = min(self._who_width, max(WHO_LEAST, int(room * WHO_SHARE)))
        if width and table.columnWidth(0) != width:
            table.setColumnWidth(0, width)

    # -- showing ---------------------------------------------------------------------

    def show_nothing(self) -> None:
        self.results = None
        self.show_content(False)

    def show_results(self, results: QuestionnaireResults) -> None:
        self.results = results
        q = results.record
        status = str(q["status"])
        self.show_head(str(q.get("title") or ""), L.questionnaire_status(status))
        grids = "、".join(g.name for g in results.grids) or EMPTY
        responses = L.responses_text(results.total, results.households)
        if self._role == "social_worker":  # their grids' responses and households only
            responses = fill(L.tr(L.MY_GRIDS), responses)
        closes = L.format_time(q.get("closes_at"))
        if q.get("code") or results.pending:
            self.summary.setText(fill(
                self.tr("Code %1 · %2 · responses %3 · closes %4"),
                L.code_text(q.get("code"), results.pending), grids, responses, closes))
        else:  # a draft: the server gives the code when it is published ("Code —" read
            # as if one were missing)
            self.summary.setText(fill(
                self.tr("Code given on publishing · %1 · responses %2 · closes %3"),
                grids, responses, closes))
        self.buttons["publish"].setVisible(status == "draft")
        self.buttons["edit"].setVisible(status == "draft" and self._role != "supervisor")
        self.buttons["close"].setVisible(status == "published")
        self.buttons["archive"].setVisible(status == "closed" and self._role != "supervisor")
        self.buttons["answers"].setVisible(status == "published"
                                           and self._role != "supervisor")
        for key in ("excel", "pdf"):
            self.buttons[key].setVisible(status != "draft")
        self.bubble.setText(results.preview)
        self._fill_results(results)
        self._fill_responses(results)

    def _fill_results(self, results: QuestionnaireResults) -> None:
        layout = self.results_layout
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if results.record.get("status") == "draft":
            # A draft's charts are empty axes: say what will fill them, and when.
            note = QLabel(self.tr("Not published yet: once it is, the residents' answers "
                                  "are counted here by grid and by question. The charts "
                                  "below show its questions and their options."))
            note.setObjectName("draft_results_note")
            note.setWordWrap(True)
            layout.addWidget(note)
        if results.grids:
            layout.addWidget(self._chart_view(grid_chart(results.grids),
                                              len(results.grids)))
        for index, result in enumerate(results.results, start=1):
            if result.kind == participation.TEXT:
                heading = QLabel(fill("%1. %2", str(index), result.text))
                heading.setObjectName("section_title")
                heading.setWordWrap(True)
                layout.addWidget(heading)
                texts = result.texts[:30] or [self.tr("No answers yet.")]
                body = QLabel("\n".join(f"· {t}" for t in texts))
                body.setObjectName("text_answers")
                body.setWordWrap(True)
                body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                layout.addWidget(body)
                continue
            layout.addWidget(self._chart_view(question_chart(index, result),
                                              len(result.options)))
        layout.addStretch(1)

    def _chart_view(self, chart: QChart, bars: int) -> QChartView:
        view = QChartView(chart)
        view.setObjectName(f"view_{chart.objectName()}")
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(chart_height(bars))
        view.setMaximumHeight(chart_height(bars))
        return view

    def _fill_responses(self, results: QuestionnaireResults) -> None:
        questions = list(results.record.get("questions") or [])
        table = self.responses
        table.setRowCount(len(results.responses))
        for row, line in enumerate(results.responses):
            who = fill(self.tr("%1 (%2)"), line.who, L.channel_label(line.channel))
            texts = (who, answer_summary(questions, line), L.short_time(line.received_at))
            tips = (fill("%1\n%2", who, line.grid or EMPTY), texts[1],
                    L.format_time(line.received_at))
            for column, (text, tip) in enumerate(zip(texts, tips, strict=True)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                table.setItem(row, column, item)
        table.resizeColumnToContents(2)
        table.resizeColumnToContents(0)
        self._who_width = table.columnWidth(0)
        self._fit_who()

    def chart_counts(self) -> dict[str, list[int]]:
        """What the charts show now: chart name → counts, top to bottom (for tests and
        for a person reading the screen through an accessibility tool)."""
        counts: dict[str, list[int]] = {}
        for view in self.results_body.findChildren(QChartView):
            chart = view.chart()
            for series in chart.series():
                for bar in series.barSets():  # type: ignore[attr-defined]
                    counts[chart.objectName()] = [
                        int(bar.at(i)) for i in reversed(range(bar.count()))]
        return counts
