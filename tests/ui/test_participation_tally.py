"""A consultation's count as the board's detail says it: every figure it shows adds up
for the person reading it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import QApplication

from gulou_desk.domain.participation import consultation_tally
from ui.participation.labels import tally_text


def _comment(n: int, **values: object) -> dict[str, object]:
    return {"id": f"c{n}", "sender_id": f"wx{n}", "received_at": None, **values}


def test_votes_taken_in_a_meeting_are_said_beside_the_options(qapp: QApplication) -> None:
    """协商3 read "20 residents took part · A 11, B 20, C 6": 37 votes from 20 people,
    because the meeting's votes on the options were added without a word (only votes for
    and against were said to come from meetings). The options now say their meeting share."""
    comments = [_comment(n, choice="ABC"[n % 3], stance="support" if n < 7 else None)
                for n in range(20)]
    tally = consultation_tally(comments, [{"votes": {"A": 4, "B": 13, "C": 0}}])
    assert tally.people == 20
    assert sum(tally.total_choice(x) for x in "ABC") == 37
    text = tally_text(tally, ["一", "二", "三"])
    assert "20 residents took part" in text, text
    assert "A 11 (4 in meetings)" in text and "B 20 (13 in meetings)" in text, text
    assert "C 6" in text and "C 6 (" not in text, text  # none in the meetings: no note


def test_an_online_only_count_has_no_meeting_notes(qapp: QApplication) -> None:
    tally = consultation_tally([_comment(1, choice="A"), _comment(2, stance="oppose")])
    text = tally_text(tally, ["一", "二"])
    # English between English words ("A 1，B 0" read as a typo).
    assert text == "support 0 · oppose 1 · opinions 0 · 2 residents took part · A 1, B 0", text
    assert Counter() == tally.offline_choices


def test_the_options_are_separated_in_chinese_the_chinese_way(qapp: QApplication) -> None:
    from PySide6.QtCore import QLocale

    from ui.i18n import install_translators, remove_translators

    translators = install_translators(qapp, "zh_CN")
    try:
        tally = consultation_tally([_comment(1, choice="A")], [{"votes": {"B": 2}}])
        assert tally_text(tally, ["一", "二"]).endswith("A 1，B 2（其中会上 2）")
    finally:
        remove_translators(qapp, translators)
        QLocale.setDefault(QLocale("en"))
