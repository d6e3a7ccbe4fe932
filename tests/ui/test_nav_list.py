"""The side lists (sections, ticket queues, inbox groups): rows as wide as the list, so
that each row's count badge is drawn where a person sees it."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from ui.shell.nav_list import NavigationList


def test_a_long_title_keeps_the_rows_and_their_badges_inside_the_list(qtbot: QtBot) -> None:
    """One name wider than the list (a WeChat group's, one line each) made every row as
    wide as it: the badges were drawn past the list's right edge, out of sight. Each row
    is the list's width, also after the list is narrowed and widened."""
    nav = NavigationList()
    qtbot.addWidget(nav)
    nav.setUniformItemSizes(False)
    nav.resize(300, 400)
    nav.show()
    for title in ("All groups", "汇林绿洲第1网格居民群·汇林绿洲第1网格", "Waiting on resident",
                  "Phone"):
        nav.add_section(title, title, QIcon())
        nav.set_badge(title, 3)
    for width in (150, 400, 120):
        nav.resize(width, 400)
        qtbot.wait(20)
        room = nav.viewport().width()
        for row in range(nav.count()):
            rect = nav.visualItemRect(nav.item(row))
            assert rect.right() < room, (nav.item(row).text(), rect.right(), room)
