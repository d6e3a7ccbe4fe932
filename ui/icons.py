"""Icons from ``resources/icons``: hand-drawn SVGs in ``currentColor``, tinted here.

One SVG serves every state: :func:`icon` renders it in the normal colour and, for
selected items (the navigation), in the accent colour, so icons follow the style sheet's
palette instead of being drawn twice.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ui import palette
from ui.paths import ICONS_DIR

INK = palette.TEXT_SECONDARY
ACCENT = palette.ACCENT
MUTED = palette.FAINT
_SIZES = (16, 20, 24, 32)
"""What the app shows icons at (navigation 20, buttons and fields 16). Every size is
drawn at once, in three colours and two pixel ratios, on the GUI thread: large sizes
(up to 128 px) made opening the window 0.13 s slower. Bigger pictures (the empty
states) draw with :func:`pixmap` at their own size."""


@cache
def _renderer(name: str, color: str) -> QSvgRenderer:
    """The SVG ``name`` in ``color``, parsed once (GUI thread only, like every drawing)."""
    svg = (ICONS_DIR / f"{name}.svg").read_text(encoding="utf-8")
    return QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode()))


def pixmap(name: str, size: int, color: str = INK, ratio: float = 1.0) -> QPixmap:
    """The icon ``name`` drawn ``size`` pixels square (logical) in ``color``."""
    renderer = _renderer(name, color)
    physical = max(1, round(size * ratio))
    image = QPixmap(physical, physical)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, physical, physical))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


@cache
def icon(name: str, color: str = INK, selected: str | None = ACCENT) -> QIcon:
    """A QIcon of ``name``: ``color`` normally, ``selected`` when selected, grey disabled."""
    result = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            result.addPixmap(pixmap(name, size, color, ratio), QIcon.Mode.Normal)
            result.addPixmap(pixmap(name, size, MUTED, ratio), QIcon.Mode.Disabled)
            if selected is not None:
                result.addPixmap(pixmap(name, size, selected, ratio), QIcon.Mode.Selected)
    return result


def app_icon() -> QIcon:
    return QIcon(str(ICONS_DIR / "app.svg"))
