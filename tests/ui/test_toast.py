"""The notice in a corner (``ui/shell/toast.py``) never covers a button: with every
corner taken it finds a free place along an edge, and a button that comes under it later
(a tab turned to, a pane filled) sends it elsewhere (issue 10 item 10, seen covering the
administration's 新增人员… at 1024×700)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QMainWindow, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ui.shell.toast import Toast


def _window(qtbot: QtBot) -> tuple[QMainWindow, QWidget]:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("文件")
    window.statusBar().showMessage("在线")
    body = QWidget()
    window.setCentralWidget(body)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    return window, body


def _button(body: QWidget, x: int, y: int) -> QPushButton:
    button = QPushButton("新增人员…", body)
    button.setGeometry(x, y, 120, 32)
    button.show()
    return button


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _covered(toast: Toast, window: QWidget, buttons: list[QPushButton]) -> list[QPushButton]:
    where = _rect(toast, window)
    return [b for b in buttons if b.isVisible() and where.intersects(_rect(b, window))]


def test_with_every_corner_taken_the_notice_finds_a_free_place(qtbot: QtBot) -> None:
    window, body = _window(qtbot)
    w, h = body.width(), body.height()
    buttons = [_button(body, 0, h - 40), _button(body, w - 130, h - 40),
               _button(body, w - 130, 0), _button(body, 130, h - 40)]
    toast = Toast(window)
    toast.show_message("居民新诉求 26 条", "打开诉求箱")
    assert toast.isVisible()
    assert _covered(toast, window, buttons) == []


def test_a_button_that_comes_under_the_notice_sends_it_elsewhere(qtbot: QtBot) -> None:
    window, body = _window(qtbot)
    toast = Toast(window)
    toast.show_message("居民新诉求 26 条", "打开诉求箱")
    spot = toast.mapTo(window, QPoint(0, 0))
    below = body.mapFrom(window, spot)
    late = _button(body, below.x() + 10, below.y() + 4)  # a tab's button, shown later
    qtbot.waitUntil(lambda: _covered(toast, window, [late]) == [], timeout=2000)
    assert toast.isVisible()


def test_the_notice_leaves_the_sections_list_free(qtbot: QtBot) -> None:
    """With texts beside it (an activity's message as residents see it), the notice
    went to the window's left side and covered the sections' list (冲突处理, 设置): a
    person clicks its rows as buttons. Where every place hides a text, it hides a text
    rather than them."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QLabel

    from ui.shell.nav_list import NavigationList

    window, body = _window(qtbot)
    w, h = body.width(), body.height()
    sections = NavigationList(body)
    sections.setGeometry(0, 0, 220, h)
    for n in range(h // 38 + 1):  # rows down to its bottom
        sections.add_section(str(n), f"第{n}项", QIcon())
    sections.show()
    text = QLabel("【志愿服务招募】中秋邻里游园会\n时间：12月19日 09:00", body)
    text.setGeometry(230, 0, w - 230, h)
    text.show()
    toast = Toast(window)
    toast.show_message("居民新诉求 8 条", "打开诉求箱")
    where = _rect(toast, window)
    viewport = sections.viewport()

    def rect_of(row: int) -> QRect:
        rect = sections.visualItemRect(sections.item(row))
        return QRect(viewport.mapTo(window, rect.topLeft()), rect.size())

    covered = [sections.item(r).text() for r in range(sections.count())
               if rect_of(r).intersects(where) and rect_of(r).top() < viewport.height()]
    assert covered == [], covered
