"""An empty state reads whole in a narrow pane (ui/shell/empty_state.py)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.shell.empty_state import TEXT_WIDTH, EmptyState

TITLE = "Search is being prepared"
TEXT = ("Search and the visit filter work once the first sync has ended. Until then, clear "
        "the search box to see the households downloaded so far.")


def test_in_a_narrow_pane_the_texts_wrap_in_the_width_there_is(qtbot: QtBot) -> None:
    """The households list at 1024x700 in English: its texts were 460 px wide in a pane
    narrower than that, and cut at both sides."""
    state = EmptyState("households", TITLE, TEXT)
    qtbot.addWidget(state)
    state.resize(330, 500)
    state.show()
    qtbot.waitExposed(state)
    qtbot.waitUntil(lambda: state.text_label.width() < 330, timeout=2000)
    labels = (state.title_label, state.text_label)
    qtbot.waitUntil(lambda: all(label.height() + 2 >= label.heightForWidth(label.width())
                                for label in labels), timeout=2000)  # its lines, all
    for label in labels:
        left = label.mapTo(state, label.rect().topLeft()).x()
        assert left >= 0 and left + label.width() <= state.width(), label.text()
    state.resize(900, 500)
    qtbot.waitUntil(lambda: state.text_label.width() == TEXT_WIDTH, timeout=2000)
