"""The register's filters: grid, building, tag, due/overdue for a visit, open tickets.

:class:`FilterBar` reads its choices (grids, estates' buildings, tags held here:
:func:`gulou_desk.store.search.filter_choices`) through the account's desk in the
background, says what is chosen as a :class:`gulou_desk.store.search.SearchFilters`
(``filters_changed``), and remembers the choice in the settings (one JSON value), so the
register opens the way it was left.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from gulou_desk.desk import Desk
from gulou_desk.store.search import FilterChoices, SearchFilters, VisitFilter, filter_choices
from ui.background import Op, Progress
from ui.i18n import QT_TRANSLATE_NOOP
from ui.record_labels import tag_label
from ui.settings import Setting, Settings

REGISTER_FILTERS: Setting[str] = Setting(
    "households/filters", str, "",
    QT_TRANSLATE_NOOP("Settings", "The register's chosen filters."))


class FilterBar(QWidget):
    """The filter row above the register's table (see the module doc)."""

    filters_changed = Signal(object)

    def __init__(self, desk: Desk, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerFilters")
        self.desk = desk
        self.settings = settings
        self._ready = False
        self.grid = QComboBox()
        self.grid.setObjectName("filterGrid")
        self.building = QComboBox()
        self.building.setObjectName("filterBuilding")
        self.tag = QComboBox()
        self.tag.setObjectName("filterTag")
        self.visit = QComboBox()
        self.visit.setObjectName("filterVisit")
        self.visit.addItem(self.tr("Any visit state"), None)
        self.visit.addItem(self.tr("Due for a visit"), VisitFilter.DUE.value)
        self.visit.addItem(self.tr("Overdue"), VisitFilter.OVERDUE.value)
        self.visit.addItem(self.tr("Due this week"), VisitFilter.DUE_THIS_WEEK.value)
        self.open_tickets = QCheckBox(self.tr("Has open tickets"))
        self.open_tickets.setObjectName("filterOpenTickets")
        self.clear = QToolButton()
        self.clear.setText(self.tr("Clear filters"))
        self.clear.clicked.connect(self.reset)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 4, 16, 4)
        row.addWidget(QLabel(self.tr("Filter:")))
        for w in (self.grid, self.building, self.tag, self.visit):
            row.addWidget(w)
        row.addWidget(self.open_tickets)
        row.addWidget(self.clear)
        row.addStretch(1)
        for combo in (self.grid, self.building, self.tag, self.visit):
            combo.currentIndexChanged.connect(self._changed)
        self.open_tickets.toggled.connect(self._changed)
        self._fill(FilterChoices((), {}, ()))
        self.reload_choices()

    # -- choices -----------------------------------------------------------------------

    def reload_choices(self) -> None:
        desk = self.desk

        def work(progress: Progress) -> FilterChoices:
            return desk.read(filter_choices)

        Op(self, work).success(self._fill).failure(lambda _e: None).run()

    def _fill(self, choices: FilterChoices) -> None:
        wanted = self._remembered() if not self._ready else self.state()
        self._ready = False
        for combo in (self.grid, self.building, self.tag):
            combo.blockSignals(True)
            combo.clear()
        self.grid.addItem(self.tr("All grids"), None)
        for gid, name in choices.grids:
            self.grid.addItem(name, gid)
        self.building.addItem(self.tr("All buildings"), None)
        for estate, buildings in choices.buildings.items():
            for building in buildings:
                self.building.addItem(self.tr("%1 building %2").replace(
                    "%1", estate).replace("%2", building), [estate, building])
        self.tag.addItem(self.tr("Any tag"), None)
        for tag in choices.tags:
            self.tag.addItem(tag_label(tag), tag)
        self._apply(wanted)
        for combo in (self.grid, self.building, self.tag):
            combo.blockSignals(False)
        self._ready = True
        self.filters_changed.emit(self.filters())

    # -- state -------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {"grid": self.grid.currentData(), "building": self.building.currentData(),
                "tag": self.tag.currentData(), "visit": self.visit.currentData(),
                "open_tickets": self.open_tickets.isChecked()}

    def _apply(self, state: dict[str, Any]) -> None:
        self.visit.blockSignals(True)
        self.open_tickets.blockSignals(True)
        for combo, key in ((self.grid, "grid"), (self.building, "building"),
                           (self.tag, "tag"), (self.visit, "visit")):
            i = combo.findData(state.get(key)) if state.get(key) is not None else 0
            combo.setCurrentIndex(max(i, 0))
        self.open_tickets.setChecked(bool(state.get("open_tickets")))
        self.visit.blockSignals(False)
        self.open_tickets.blockSignals(False)

    def _remembered(self) -> dict[str, Any]:
        if self.settings is None:
            return {}
        try:
            value = json.loads(self.settings.get(REGISTER_FILTERS) or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def filters(self) -> SearchFilters | None:
        s = self.state()
        building = s["building"]
        if not any((s["grid"], building, s["tag"], s["visit"], s["open_tickets"])):
            return None
        return SearchFilters(
            grid_ids=[s["grid"]] if s["grid"] else None,
            estate=building[0] if building else None,
            building=building[1] if building else None,
            tags=[s["tag"]] if s["tag"] else (),
            visit=VisitFilter(s["visit"]) if s["visit"] else None,
            open_tickets=True if s["open_tickets"] else None,
            # A visit is due only where people live: as the visit plan (工作台) counts,
            # not a household that moved out (it counted as overdue here).
            statuses=("active",) if s["visit"] else None)

    def reset(self) -> None:
        self._apply({})
        self._changed()

    def _changed(self, *_: Any) -> None:
        if not self._ready:
            return
        if self.settings is not None:
            self.settings.set(REGISTER_FILTERS, json.dumps(self.state(), ensure_ascii=False))
        self.filters_changed.emit(self.filters())
