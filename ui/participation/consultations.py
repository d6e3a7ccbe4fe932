"""The consultations' board (民主协商): one column per stage, a card per topic with its
count so far, and below the chosen topic: its steps, the message residents see, their
contributions, and the tickets its decision created with their progress.

The board and the pane show what they are given; the section reads them in the
background (``consultation_board``, ``consultation_detail``) and takes the steps.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.records import CONSULTATION_STAGES
from gulou_desk.store.participation_queries import ConsultationCard, ConsultationDetail
from ui.participation import labels as L
from ui.participation.meeting import photo_tile
from ui.participation.pane import ItemPane, item_table, preview_page, wechat_bubble
from ui.record_labels import EMPTY
from ui.shell.empty_state import EmptyState
from ui.workflow_labels import fill, status_label

CARD_ROLE = Qt.ItemDataRole.UserRole
STAGE_WIDTH = 118
"""A stage's narrowest column: the six fit side by side in a 1024-pixel window."""
PANE_THUMB_PX = 56
"""A meeting's photos under the meetings' table: small, the pane is short at 1024×700."""
CARD_PADDING = 28
"""What the list's frame and spacing take of a column's width beside a card."""
CARD_INSET = 20
"""What a card's margin, border and padding (the style sheet's: 3 + 1 + 6 on each side)
take of its width and height."""

STEPS_BY_STAGE: dict[str, tuple[str, ...]] = {
    "collecting": ("publish", "discuss", "vote", "meeting", "decide"),
    "discussing": ("vote", "meeting", "decide"),
    "voting": ("meeting", "decide"),
    "decided": ("create_ticket", "announce", "close"),
    "announced": ("create_ticket", "repost", "close"),
    "closed": ("repost",),
}
"""The steps a stage offers (the domain checks each again)."""


def card_text(card: ConsultationCard) -> str:
    head = f"{card.code} · {card.topic}" if card.code else card.topic
    counts = fill(L.tr(L.CARD_COUNTS), str(card.support), str(card.oppose),
                  str(card.opinions))
    if card.tickets:
        counts += "\n" + fill(L.tr(L.CARD_TICKETS), str(card.tickets))
    return f"{head}\n{counts}"


class ConsultationBoard(QScrollArea):
    """The stages side by side, each a list of cards.

    Signals:
        card_chosen(str): a consultation was clicked.
    """

    card_chosen = Signal(str)
    cards_sized = Signal()
    """The cards were laid out again (a new board, another width): the height the board
    wants (:meth:`wanted_height`) may have changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consultation_board")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(8, 8, 8, 8)
        row.setSpacing(8)
        self.titles: dict[str, QLabel] = {}
        self.lists: dict[str, QListWidget] = {}
        for stage in CONSULTATION_STAGES:
            column = QVBoxLayout()
            title = QLabel(L.stage_label(stage))
            title.setObjectName("stage_title")
            items = QListWidget()
            items.setObjectName("stage_list")
            items.setAccessibleName(L.stage_label(stage))
            items.setWordWrap(True)
            items.setTextElideMode(Qt.TextElideMode.ElideNone)
            items.setMinimumWidth(STAGE_WIDTH)
            items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            items.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            items.itemClicked.connect(self._clicked)
            # A scroll bar appearing narrows the column: its cards are sized again.
            items.viewport().installEventFilter(self)
            column.addWidget(title)
            column.addWidget(items, 1)
            row.addLayout(column, 1)
            self.titles[stage] = title
            self.lists[stage] = items
        self.setWidget(body)

    def show_board(self, board: dict[str, list[ConsultationCard]],
                   chosen: str | None) -> None:
        for stage, items in self.lists.items():
            cards = board.get(stage, [])
            self.titles[stage].setText(fill(L.tr(L.STAGE_COUNT), L.stage_label(stage),
                                            str(len(cards))))
            items.clear()
            for card in cards:
                item = QListWidgetItem(card_text(card))
                item.setData(CARD_ROLE, card.id)
                item.setToolTip(fill("%1\n%2", card.topic, card.grids))
                items.addItem(item)
                item.setSizeHint(self._card_size(items, item.text()))
                if card.id == chosen:
                    items.setCurrentItem(item)
        self.cards_sized.emit()

    def wanted_height(self) -> int:
        """The height that shows every card of the fullest stage without scrolling."""
        body = self.widget()
        layout = body.layout() if body is not None else None
        margins = layout.contentsMargins() if layout is not None else None
        outer = (margins.top() + margins.bottom() if margins is not None else 0) \
            + 2 * self.frameWidth()
        tallest = 0
        for stage, items in self.lists.items():
            cards = sum(items.sizeHintForRow(i) for i in range(items.count()))
            tallest = max(tallest, self.titles[stage].sizeHint().height()
                          + (layout.spacing() if layout is not None else 0)
                          + cards + 2 * items.frameWidth())
        return tallest + outer

    @staticmethod
    def _card_size(items: QListWidget, text: str) -> QSize:
        """Room for the whole card text, wrapped to the column's width (the list's own
        measure leaves out the style sheet's padding and cuts the last line)."""
        width = max(items.viewport().width(), STAGE_WIDTH) - CARD_PADDING
        # The text is laid out inside the card's own margin, border and padding and the
        # item's text margins, narrower than the card.
        text_margin = items.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin, None, items) + 1
        bound = QFontMetrics(items.font()).boundingRect(
            QRect(0, 0, width - CARD_INSET - text_margin, 10_000),
            int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, bound.height() + CARD_INSET + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for items in self.lists.values():
            self._size_cards(items)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            for items in self.lists.values():
                if watched is items.viewport():
                    self._size_cards(items)
        return super().eventFilter(watched, event)

    def _size_cards(self, items: QListWidget) -> None:
        resized = False
        for i in range(items.count()):
            item = items.item(i)
            size = self._card_size(items, item.text())
            if item.sizeHint() != size:
                item.setSizeHint(size)
                resized = True
        if resized:
            self.cards_sized.emit()

    def card_texts(self, stage: str) -> list[str]:
        items = self.lists[stage]
        return [items.item(i).text() for i in range(items.count())]

    def _clicked(self, item: QListWidgetItem) -> None:
        for items in self.lists.values():
            if item.listWidget() is not items:
                items.clearSelection()
        self.card_chosen.emit(str(item.data(CARD_ROLE)))


class ConsultationPane(ItemPane):
    """The chosen consultation.

    Signals:
        step_requested(str): a step of :data:`STEPS_BY_STAGE`.
    """

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__("consultation", role, title_name="section_title",
                         summary_name="consultation_summary", steps=(
            ("publish", self.tr("Post to the groups"), ""),
            ("discuss", self.tr("Open the discussion"), ""),
            ("vote", self.tr("Open the vote"), ""),
            ("meeting", self.tr("Record a meeting"), ""),
            ("decide", self.tr("Record the decision"), ""),
            ("create_ticket", self.tr("Create a ticket"), ""),
            ("announce", self.tr("Announce"), ""),
            ("repost", self.tr("Re-post the announcement"), ""),
            ("close", self.tr("Close"), ""),
        ), nothing=EmptyState("participation", self.tr("No topic chosen"), self.tr(
            "Choose a topic on the board to follow it through its stages.")),
            margins=(12, 6, 12, 6), spacing=6, parent=parent)
        self.detail: ConsultationDetail | None = None
        self.stage_chip = self.chip
        for button in self.buttons.values():
            button.hide()
        self.bubble = wechat_bubble("")
        self.comments = item_table("comments_table", (
            self.tr("Who"), self.tr("Stance"), self.tr("Said"), self.tr("Received")), 2)
        self.tickets = item_table("decision_tickets", (
            self.tr("Ticket"), self.tr("Title"), self.tr("Progress")), 1)
        self.tabs.addTab(preview_page(self.bubble, self.tr("Gu Bao (as residents see it)")),
                         self.tr("WeChat preview"))
        self.tabs.addTab(self.comments, self.tr("Contributions"))
        self.meetings = item_table("meetings_table", (
            self.tr("Held"), self.tr("Place"), self.tr("Attendees"), self.tr("Votes"),
            self.tr("Photos"), self.tr("Minutes")), 5)
        self.meeting_photos = QHBoxLayout()
        self.meeting_photos.setContentsMargins(0, 0, 0, 0)
        self.meeting_people = QLabel()
        self.meeting_people.setObjectName("meeting_people")
        self.meeting_people.setWordWrap(True)
        self.meeting_people.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.photos_row = QWidget()
        self.photos_row.setLayout(self.meeting_photos)
        self.photos_row.setFixedHeight(PANE_THUMB_PX)  # the table gives way, not the photos
        chosen = QHBoxLayout()
        chosen.setContentsMargins(4, 0, 4, 0)
        chosen.addWidget(self.meeting_people, 1)
        chosen.addWidget(self.photos_row)
        meetings_page = QWidget()
        meetings_column = QVBoxLayout(meetings_page)
        meetings_column.setContentsMargins(0, 0, 0, 0)
        meetings_column.setSpacing(4)
        meetings_column.addWidget(self.meetings, 1)
        meetings_column.addLayout(chosen)
        self.meetings.currentCellChanged.connect(
            lambda row, _c, _pr, _pc: self._show_meeting(row))
        self._thumbnails: dict[str, bytes] = {}
        self.tabs.addTab(meetings_page, self.tr("Meetings"))
        self.tabs.addTab(self.tickets, self.tr("Tickets"))
        self.show_nothing()

    def show_nothing(self) -> None:
        self.detail = None
        self.show_content(False)

    def show_detail(self, detail: ConsultationDetail,
                    thumbnails: Mapping[str, bytes] | None = None) -> None:
        """Show the consultation; ``thumbnails`` of its meetings' photos held here."""
        self.detail = detail
        c = detail.record
        stage = str(c["stage"])
        self.show_head(str(c.get("topic") or ""), L.stage_label(stage))
        counts = L.tally_text(detail.tally, list(c.get("options") or []))
        grids = "、".join(g.name for g in detail.grids) or EMPTY
        # Not yet posted, it has no code ("— · …" read as if one were missing).
        code = c.get("code") or self.tr("Code given when posted to the groups")
        self.summary.setText(fill("%1 · %2 · %3", code, grids, counts))
        offered = STEPS_BY_STAGE.get(stage, ())
        for key, button in self.buttons.items():
            shown = key in offered and self._role != "supervisor"
            if key == "publish" and c.get("published_at"):
                shown = False
            button.setVisible(shown)
        self.bubble.setText(detail.preview)
        self._fill(self.comments, [
            (line.who, L.stance_label(line.stance) if line.stance else (
                fill(L.tr(L.CHOICE), line.choice) if line.choice else EMPTY),
             line.text or EMPTY, L.short_time(line.received_at))
            for line in detail.comments])
        self._thumbnails = dict(thumbnails or {})
        self._fill(self.meetings, [
            (L.format_time(m.get("held_at")), str(m.get("place") or EMPTY),
             L.attendees_summary(m.get("attendees")),
             "，".join(fill("%1 %2", L.vote_label(k), str(v))
                      for k, v in (m.get("votes") or {}).items()) or EMPTY,
             str(len(m.get("photos") or [])), str(m.get("minutes") or EMPTY))
            for m in detail.meetings])
        if detail.meetings:
            self.meetings.setCurrentCell(len(detail.meetings) - 1, 0)
        self._show_meeting(len(detail.meetings) - 1)
        self._fill(self.tickets, [
            (t.number or L.tr(L.GIVEN_WHEN_SENT), t.title,
             status_label(t.status)) for t in detail.tickets])

    def _show_meeting(self, row: int) -> None:
        """Who came to the chosen meeting (the latest at first) and its photos."""
        while self.meeting_photos.count():
            item = self.meeting_photos.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        meetings = self.detail.meetings if self.detail is not None else []
        meeting = meetings[row] if 0 <= row < len(meetings) else None
        self.photos_row.setVisible(bool(meeting and meeting.get("photos")))
        if meeting is None:
            self.meeting_people.clear()
            return
        self.meeting_people.setText("；".join(
            fill("%1 · %2", L.attendee_kind_label(str(a.get("kind"))), str(a.get("name")))
            for a in meeting.get("attendees") or [] if isinstance(a, dict)))
        for sha in meeting.get("photos") or []:
            self.meeting_photos.addWidget(photo_tile(self._thumbnails.get(str(sha)),
                                                     str(sha)[:12], PANE_THUMB_PX))

    def _fill(self, table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
        for c in range(table.columnCount()):
            if table.horizontalHeader().sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch:
                table.resizeColumnToContents(c)


class ConsultationsPage(QWidget):
    """The board above the chosen topic."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = ConsultationBoard()
        self.pane = ConsultationPane(role)
        self.new_button = QPushButton(self.tr("New topic"))
        self.new_button.setObjectName("new_consultation")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(self.tr("From a template: courtyard renovation, parking, "
                                           "elevator installation"))
        self.new_button.setVisible(role != "supervisor")
        heading = QLabel(self.tr("Consultations"))
        heading.setObjectName("page_title")
        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 0)
        top.addWidget(heading, 1)
        top.addWidget(self.new_button)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("consultations_splitter")
        self.splitter.addWidget(self.board)
        self.splitter.addWidget(self.pane)
        self.splitter.setChildrenCollapsible(False)
        # The chosen topic gets three fifths: half and half left its meetings' table
        # one row at 1024x700, while the board's cards need less than the half.
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([400, 600])
        self._sized_by_hand = False
        self.splitter.splitterMoved.connect(self._moved_by_hand)
        self.board.cards_sized.connect(self._fit_board)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter)

    PANE_ROOM = 360
    """What the chosen topic keeps at the least when the board takes more than its two
    fifths: its summary and three rows of its meetings' table."""

    def _fit_board(self) -> None:
        """The board shows its fullest stage whole where the page is tall enough: at
        1600x1000 a street's four topics in voting scrolled in 300 px while half the page
        below said "no topic chosen". It takes more than its two fifths only as far as the
        chosen topic keeps :data:`PANE_ROOM`; never after the person moved the divider."""
        if self._sized_by_hand:
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        board = max(total * 2 // 5, min(self.board.wanted_height(), total - self.PANE_ROOM))
        if self.splitter.sizes()[0] != board:
            self.splitter.setSizes([board, total - board])

    def _moved_by_hand(self, _pos: int, _index: int) -> None:
        self._sized_by_hand = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_board()
