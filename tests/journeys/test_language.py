"""Journey across roles (issue 11): the language chosen in 设置 applies at once — the open
window and its views are in the new language without a restart, in the section the person
was in — and the English labels fit.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableView

from tests.journeys.harness import Journey, plain
from ui.households.detail import HouseholdDetail
from ui.main_window import MainWindow
from ui.settings import LANGUAGE, Settings
from ui.tickets.view import TicketsView


def _sidebar(window: MainWindow) -> list[str]:
    nav = window.navigation
    return [plain(nav.item(r).text()) for r in range(nav.count())]


def _fits(label: QLabel) -> bool:
    """The label's text is shown whole: inside its box, padding left aside."""
    return QFontMetrics(label.font()).horizontalAdvance(label.text()) <= \
        label.contentsRect().width()


def test_the_language_switch_applies_at_once(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("clerk1")
    assert "工单" in _sidebar(window)
    page = journey.go_to("设置")
    combo = journey.by_name("language", QComboBox, within=page)
    journey.choose(combo, "English")
    journey.wait_until(lambda: journey.window is not window, what="the window in English")
    english = journey.window
    assert "Tickets" in _sidebar(english) and "工单" not in _sidebar(english)
    assert english.current_section() == "settings"  # where the person was
    assert not window.isVisible() if _alive(window) else True
    assert Settings().get(LANGUAGE) == "en"
    # The window built again still knows the sync it had (not "Last sync: never").
    assert "Last sync: never" not in journey.status_text(), journey.status_text()
    journey.shot("the settings, in English at once")

    # The views are in English too, and their labels fit.
    brand = next(w for w in english.findChildren(QLabel, "brand") if w.isVisible())
    assert brand.text() == "Gulou e-Home" and _fits(brand)
    page = journey.go_to("Tickets")
    view = page.findChild(TicketsView)
    assert view is not None
    journey.find("New ticket", QPushButton, within=view)
    journey.shot("the tickets, in English")
    households = journey.go_to("Households")  # wide: the sidebar keeps its title whole
    journey.settle(100)
    table = journey.by_name("households_table", QTableView, within=households)
    journey.wait_until(lambda: table.model().rowCount() > 0, what="the households listed")
    journey.click_row(table, 0)
    detail = journey.by_name("household_detail", HouseholdDetail, within=households)
    address = detail.address_label
    journey.wait_until(lambda: bool(address.text()), what="the household shown")
    assert address.height() < 2 * address.fontMetrics().lineSpacing(), (
        f"the address {address.text()!r} is broken over two lines")
    who = next(w for w in english.findChildren(QLabel, "who") if w.isVisible())
    assert _fits(brand) and _fits(who), (brand.contentsRect().width(), who.text())
    journey.shot("the households, in English")

    # And back, with no restart either.
    page = journey.go_to("Settings")
    journey.choose(journey.by_name("language", QComboBox, within=page), "简体中文")
    journey.wait_until(lambda: journey.window is not english, what="the window in Chinese")
    assert "工单" in _sidebar(journey.window)
    journey.shot("back in Chinese")


def _alive(widget: MainWindow) -> bool:
    try:
        widget.isVisible()
    except RuntimeError:
        return False
    return True
