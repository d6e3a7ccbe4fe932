"""The desk's colours, each named for what it means: the one place a colour is chosen.

Views never write a colour themselves: a colour for painting or a model's role is one of
these constants (``palette.DANGER``), and a section's style sheet names them as
``@danger`` in a :func:`qss` template. The application's style sheet
(``resources/style.qss``) uses the same values.
"""

from __future__ import annotations

import re

# -- text -------------------------------------------------------------------------------
INK_STRONG = "#111827"
"""A message's text, a card's record: what the eye reads first."""
INK = "#1f2937"
"""Figures, headings; the toast's background."""
TEXT = "#374151"
"""Section titles, list entries."""
TEXT_SECONDARY = "#4b5563"
"""Table headers, tabs, labels beside values, icons."""
MUTED = "#6b7280"
"""Times, counts, hints, what is done with."""
FAINT = "#9aa3af"
"""What is no longer current (a resident moved out), disabled icons, offline."""
NEUTRAL = "#444444"
"""A visit state with no colour of its own."""
ON_DARK_MUTED = "#d1d5db"
"""Secondary text on a dark background (the toast)."""

# -- surfaces and lines ------------------------------------------------------------------
WHITE = "#ffffff"
PANEL = "#f9fafb"
"""Side panels, table headers, read-only text boxes."""
PANEL_COOL = "#f8fafc"
"""A box to decide in (approve or return)."""
NEUTRAL_BG = "#f3f4f6"
BORDER = "#e3e7ed"
GRIDLINE = "#eef0f3"
PLACEHOLDER = "#e4e7ec"
"""A photo not downloaded yet."""
HOVER = "#e9edf3"
SELECTED = "#e1e9fa"
CHIP = "#eef2f8"
"""A status chip's background."""
TILE_HOVER = "#eef3fc"
TILE_HOVER_BORDER = "#9bb5ea"

# -- the brand ---------------------------------------------------------------------------
ACCENT = "#2458c6"
ACCENT_DARK = "#1b3f8f"
BADGE = "#d9480f"
"""Counts that ask for attention (the sidebar's badges); the plan line of a chart."""

# -- meaning -----------------------------------------------------------------------------
DANGER = "#b42318"
"""Overdue, refused, invalid, missed."""
DANGER_DEEP = "#b3261e"
"""A visit overdue or never made; a required field of a visit form."""
DANGER_BG = "#fef3f2"
DANGER_BORDER = "#fecdca"
WARNING = "#b54708"
"""Late."""
WARNING_DARK = "#92400e"
"""A notice to read (a stale figure, a step that waits)."""
WARNING_BG = "#fef3c7"
PENDING = "#b45309"
"""Not sent to the server yet."""
PREVIEW = "#9a3412"
"""A figure computed here, not official yet."""
PREVIEW_BG = "#fff7ed"
PREVIEW_BORDER = "#fed7aa"
REFUSED_CARD_BG = "#fffbf5"
REFUSED_CARD_BORDER = "#f5d9b8"
SUCCESS = "#166534"
SUCCESS_BG = "#dcfce7"

# -- time left (a ticket's countdown, a visit's due date) --------------------------------
DUE_TODAY = "#c2410c"
DUE_SOON = "#a16207"
ON_TRACK = "#15803d"
VISIT_DUE_TODAY = "#a15c00"
VISIT_DUE_THIS_WEEK = "#44617b"

# -- the sync status dot ---------------------------------------------------------------
SYNC_ONLINE = "#16a34a"
SYNC_PROBLEM = "#d97706"
SYNC_OFFLINE = FAINT
SYNC_CONNECTING = "#cbd2da"

# -- charts ----------------------------------------------------------------------------
CHART_GREEN = "#2f9e44"
CHART_AMBER = "#f59f00"
CHART_RED = "#e03131"
CHART_GREY = "#adb5bd"
CHART_TICKET_STATUS: dict[str, str] = {
    "new": "#74c0fc", "assigned": "#4dabf7", "accepted": "#339af0",
    "in_progress": "#1c7ed6", "waiting": "#fcc419", "resolved": "#69db7c",
    "closed": CHART_GREEN, "returned": "#ff922b", "merged": "#ced4da",
    "cancelled": "#868e96",
}
"""A ticket status's colour in the dashboard's charts (light to dark as work goes on)."""

_TOKEN = re.compile(r"@([a-z_]+)\b")


def qss(template: str) -> str:
    """A style sheet with its ``@name`` colours filled in from this palette
    (``QLabel#muted { color: @muted; }``); an unknown name is an error."""

    def colour(match: re.Match[str]) -> str:
        value = globals().get(match.group(1).upper())
        if not isinstance(value, str) or not value.startswith("#"):
            raise KeyError(f"no colour {match.group(1)!r} in ui.palette")
        return value

    return _TOKEN.sub(colour, template)
