"""The Households section: a lazy, searchable table, a detail pane, and edit dialogs."""

from ui.households.view import HouseholdsView

__all__ = ["HouseholdsView"]
