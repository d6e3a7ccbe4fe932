"""A record's indicators as tiles (:data:`indicators.RECORD_INDICATORS`): the value, the
name, and what a rate is made of ("38 of 45"); each tile opens the list behind it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain.indicators import RECORD_INDICATORS, Measure
from ui.palette import qss
from ui.performance import labels as L

TILE_STYLE = qss("""
QPushButton[figure_tile="true"] {
    background: @panel; border: 1px solid @border; border-radius: 8px; text-align: left;
    padding: 0;
}
QPushButton[figure_tile="true"]:hover { background: @tile_hover; border-color: @tile_hover_border; }
QPushButton[figure_tile="true"]:focus { border-color: @accent; }
QLabel#figure_value { color: @ink; }
QLabel#figure_label { color: @text_secondary; }
QLabel#figure_extra { color: @muted; }
""")
COLUMNS = 4
VALUE_POINTS = 17.0
"""The value's size when it fits; :class:`FittingLabel` goes down to ``MIN_VALUE_POINTS``."""
MIN_VALUE_POINTS = 9.0


class FittingLabel(QLabel):
    """A one-line label that makes its font smaller until its text fits its width ("10.8
    小时" in a narrow tile, "38.5 h" in English): never cut, at most as large as
    :data:`VALUE_POINTS`. (Its font size is set here, not in the style sheet, which would
    override it.)"""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setMinimumWidth(1)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self._height(VALUE_POINTS))

    def minimumSizeHint(self) -> QSize:
        return QSize(1, self._height(VALUE_POINTS))

    def _height(self, points: float) -> int:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        font.setPointSizeF(points)
        margins = self.contentsMargins()
        return QFontMetrics(font).height() + margins.top() + margins.bottom()

    def _fit(self) -> None:
        width = self.contentsRect().width()
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        points = VALUE_POINTS
        font.setPointSizeF(points)
        while points > MIN_VALUE_POINTS and width > 1 and \
                QFontMetrics(font).horizontalAdvance(self.text()) > width:
            points -= 0.5
            font.setPointSizeF(points)
        if font.pointSizeF() != self.font().pointSizeF() or \
                font.weight() != self.font().weight():
            self.setFont(font)

    def fits(self) -> bool:
        """The whole text is shown (for the tests, and a person's eyes)."""
        return self.fontMetrics().horizontalAdvance(self.text()) <= self.contentsRect().width()


class FigureTile(QPushButton):
    """One figure: its value, its name, and what it is out of (visits done of due)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"figure_{name}")
        self.setProperty("figure_tile", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # (A push button's width policy is "at least its size hint": let tiles shrink.)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.value_label = FittingLabel(L.EMPTY)
        self.value_label.setObjectName("figure_value")
        self.title_label = QLabel(L.figure_label(name))
        self.title_label.setObjectName("figure_label")
        self.title_label.setWordWrap(True)
        self.extra_label = QLabel()
        self.extra_label.setObjectName("figure_extra")
        self.extra_label.setWordWrap(True)
        self.extra_label.hide()
        self._layout = layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # see minimumSizeHint
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.extra_label)
        for label in (self.value_label, self.title_label, self.extra_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(L.figure_label(self.name))
        self.setToolTip(L.fill(self.tr("%1\nClick to see the list behind this figure."),
                               L.figure_hint(self.name)))

    # A push button sizes itself by its own text; this one by the labels it holds.
    def sizeHint(self) -> QSize:
        return self._layout.sizeHint().expandedTo(QSize(120, 0)).expandedTo(
            self.minimumSizeHint())

    def minimumSizeHint(self) -> QSize:
        # Narrow tiles wrap their names rather than push the record wider than its pane.
        width = 90
        margins = self._layout.contentsMargins()
        # As high as the wrapped name needs at the width the tile has now (a push button
        # has no height-for-width: the grid asks again after each change of width).
        inner = max(self.width(), width) - margins.left() - margins.right()
        height = margins.top() + margins.bottom() + 2 * self._layout.spacing() + sum(
            label.heightForWidth(inner) if label.wordWrap() else label.sizeHint().height()
            for label in (self.value_label, self.title_label, self.extra_label)
            if not label.isHidden())
        return QSize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def set_measure(self, measure: Measure | None) -> None:
        """The value, and under it what it is made of (a rate's numerator and
        denominator, a mean's count)."""
        self.value_label.setText(L.format_measure(self.name, measure))
        extra = L.measure_basis(self.name, measure)
        self.extra_label.setText(extra)
        self.extra_label.setVisible(bool(extra))
        self.setAccessibleName(f"{L.figure_label(self.name)}: {self.value_label.text()}")


class FigureTiles(QWidget):
    """The tiles of :data:`~gulou_desk.domain.indicators.RECORD_INDICATORS`, four to a row.

    Signals:
        figure_clicked(str): a tile was clicked; carries the indicator's key.
    """

    figure_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure_tiles")
        self.setStyleSheet(TILE_STYLE)
        self.tiles: dict[str, FigureTile] = {}
        self._measures: Mapping[str, Measure] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        for i, name in enumerate(RECORD_INDICATORS):
            tile = FigureTile(name)
            tile.clicked.connect(lambda _=False, n=name: self.figure_clicked.emit(n))
            grid.addWidget(tile, i // COLUMNS, i % COLUMNS)
            self.tiles[name] = tile
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)

    def set_measures(self, measures: Mapping[str, Measure]) -> None:
        self._measures = measures
        for name, tile in self.tiles.items():
            tile.set_measure(measures.get(name))

    def retranslate(self) -> None:
        for tile in self.tiles.values():
            tile.retranslate()
        self.set_measures(self._measures)
