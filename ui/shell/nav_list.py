"""The sidebar: one row per section, with an optional count badge (conflicts, inbox)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui import palette

KEY_ROLE = Qt.ItemDataRole.UserRole
BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_COLOR = QColor(palette.BADGE)
WRAP_RESERVE = 48
"""The width beside a wrapped row's text kept for its paddings and badge (the ticket
queues' style sheet: 6 px left, 34 px right)."""


class _BadgeDelegate(QStyledItemDelegate):
    """Draws the row as usual, then a rounded count at its right edge."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        view = self.parent()
        if isinstance(view, QListWidget) and view.wordWrap():
            # As high as the text needs wrapped in the width it is painted in: the list's,
            # less the room a style sheet keeps beside it for the badge (WRAP_RESERVE).
            option = QStyleOptionViewItem(option)
            option.rect = QRect(0, 0, max(40, view.viewport().width() - WRAP_RESERVE), 10_000)
        size = super().sizeHint(option, index)
        width = size.width() + 36
        if isinstance(view, QListWidget) and (
                view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff):
            # The list never scrolls sideways: a row wider than it (a long name) made every
            # row as wide, and the badges were drawn past its right edge, out of sight.
            width = min(width, view.viewport().width())
        return QSize(width, max(size.height(), 38))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        count = index.data(BADGE_ROLE)
        if not count:
            return
        text = str(count) if int(count) < 100 else "99+"
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.8))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        height = metrics.height() + 4
        width = max(height, metrics.horizontalAdvance(text) + 12)
        rect = QRect(
            option.rect.right() - width - 10,
            option.rect.center().y() - height // 2 + 1,
            width,
            height,
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE_COLOR)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class NavigationList(QListWidget):
    """The list of sections; each item carries its section key and badge count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setItemDelegate(_BadgeDelegate(self))
        self.setIconSize(QSize(20, 20))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setUniformItemSizes(True)

    def add_section(self, key: str, title: str, icon: QIcon) -> QListWidgetItem:
        item = QListWidgetItem(icon, title)
        item.setData(KEY_ROLE, key)
        item.setData(BADGE_ROLE, 0)
        item.setToolTip(title)
        self.addItem(item)
        return item

    def item_for(self, key: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(KEY_ROLE) == key:
                return item
        return None

    def section_keys(self) -> list[str]:
        return [self.item(row).data(KEY_ROLE) for row in range(self.count())]

    def current_key(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(KEY_ROLE))

    def set_badge(self, key: str, count: int) -> None:
        item = self.item_for(key)
        if item is not None:
            item.setData(BADGE_ROLE, max(0, count))

    def text_room(self) -> int:
        """The width the style paints a one-line row's title in: the list's width less
        the row's paddings (the badge's room among them) and its icon, as the style sheet
        lays the row out (the first row's; the paddings alone while the list is empty)."""
        option = QStyleOptionViewItem()
        delegate = self.itemDelegate()
        if self.count() and isinstance(delegate, _BadgeDelegate):
            delegate.initStyleOption(option, self.indexFromItem(self.item(0)))
        option.rect = QRect(0, 0, self.viewport().width(), 38)
        option.state |= QStyle.StateFlag.State_Selected  # semi-bold: as wide as it gets
        return self.style().subElementRect(
            QStyle.SubElement.SE_ItemViewItemText, option, self).width()

    def badge(self, key: str) -> int:
        item = self.item_for(key)
        return 0 if item is None else int(item.data(BADGE_ROLE) or 0)
