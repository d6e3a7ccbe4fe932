"""How the participation codes read on screen: questionnaire and activity statuses,
consultation stages, channels, stances, question kinds and the templates' names, in the
user's language (translation context ``Participation``).

What residents read in their groups (the bot's texts, the templates' questions) stays
Chinese: it comes from :mod:`gulou_desk.domain.participation` as it is.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from gulou_desk.domain.participation import Tally, letter
from gulou_desk.records import SHANGHAI
from ui.i18n import QT_TRANSLATE_NOOP
from ui.record_labels import EMPTY
from ui.workflow_labels import fill

CONTEXT = "Participation"
translate = QCoreApplication.translate


def tr(text: str, n: int = -1) -> str:
    return translate(CONTEXT, text, None, n)


NO_SCORES = QT_TRANSLATE_NOOP("Participation", "no scores yet")
AVERAGE = QT_TRANSLATE_NOOP("Participation", "average %1")
POINTS = QT_TRANSLATE_NOOP("Participation", "%1 points")
PER_GRID = QT_TRANSLATE_NOOP("Participation", "Responses per grid (response rate)")
EXPORT_RESULTS = QT_TRANSLATE_NOOP("Participation", "Export the results")
SAVE_NOTICE = QT_TRANSLATE_NOOP("Participation", "Save the announcement")
RESPONSES_TIP = QT_TRANSLATE_NOOP(
    "Participation", "Responses / households in the target grids (response rate)")
MY_GRIDS_RESPONSES_TIP = QT_TRANSLATE_NOOP(
    "Participation", "Responses from my grids / households of my grids among the targets "
    "(response rate); the community's clerk sees the whole community's")
MY_GRIDS = QT_TRANSLATE_NOOP("Participation", "%1 (my grids)")
COULD_NOT = QT_TRANSLATE_NOOP("Participation", "Could not %1: %2")
WITH_RATE = QT_TRANSLATE_NOOP("Participation", "%1 (%2)")
CARD_COUNTS = QT_TRANSLATE_NOOP("Participation", "Support %1 · oppose %2 · opinions %3")
CARD_TICKETS = QT_TRANSLATE_NOOP("Participation", "Tickets: %1")
STAGE_COUNT = QT_TRANSLATE_NOOP("Participation", "%1 (%2)")
TALLY = QT_TRANSLATE_NOOP("Participation",
                          "support %1 · oppose %2 · opinions %3 · %4 residents took part")
CHOICE = QT_TRANSLATE_NOOP("Participation", "Option %1")
GIVEN_WHEN_SENT = QT_TRANSLATE_NOOP("Participation", "(given when sent)")

QUESTIONNAIRE_STATUS: dict[str, str] = {
    "draft": QT_TRANSLATE_NOOP("Participation", "Draft"),
    "published": QT_TRANSLATE_NOOP("Participation", "Open"),
    "closed": QT_TRANSLATE_NOOP("Participation", "Closed"),
    "archived": QT_TRANSLATE_NOOP("Participation", "Archived"),
}
STAGE: dict[str, str] = {
    "collecting": QT_TRANSLATE_NOOP("Participation", "Collecting opinions"),
    "discussing": QT_TRANSLATE_NOOP("Participation", "Discussing"),
    "voting": QT_TRANSLATE_NOOP("Participation", "Voting"),
    "decided": QT_TRANSLATE_NOOP("Participation", "Decided"),
    "announced": QT_TRANSLATE_NOOP("Participation", "Announced"),
    "closed": QT_TRANSLATE_NOOP("Participation", "Ended"),
}
ACTIVITY_STATUS: dict[str, str] = {
    "draft": QT_TRANSLATE_NOOP("Participation", "Draft"),
    "published": QT_TRANSLATE_NOOP("Participation", "Open for sign-up"),
    "done": QT_TRANSLATE_NOOP("Participation", "Done"),
    "cancelled": QT_TRANSLATE_NOOP("Participation", "Cancelled"),
}
CHANNEL: dict[str, str] = {
    "wechat": QT_TRANSLATE_NOOP("Participation", "WeChat group"),
    "visit": QT_TRANSLATE_NOOP("Participation", "Home visit"),
    "phone": QT_TRANSLATE_NOOP("Participation", "Phone"),
    "walk_in": QT_TRANSLATE_NOOP("Participation", "Walk-in"),
    "meeting": QT_TRANSLATE_NOOP("Participation", "Meeting"),
}
STANCE: dict[str, str] = {
    "support": QT_TRANSLATE_NOOP("Participation", "Support"),
    "oppose": QT_TRANSLATE_NOOP("Participation", "Oppose"),
    "opinion": QT_TRANSLATE_NOOP("Participation", "Opinion"),
}
KIND: dict[str, str] = {
    "single": QT_TRANSLATE_NOOP("Participation", "Single choice"),
    "multiple": QT_TRANSLATE_NOOP("Participation", "Multiple choice"),
    "scale": QT_TRANSLATE_NOOP("Participation", "Score 1–5"),
    "text": QT_TRANSLATE_NOOP("Participation", "Short text"),
}
ATTENDEE_KIND: dict[str, str] = {
    "resident": QT_TRANSLATE_NOOP("Participation", "Resident"),
    "staff": QT_TRANSLATE_NOOP("Participation", "Staff"),
    "property": QT_TRANSLATE_NOOP("Participation", "Property company"),
    "other": QT_TRANSLATE_NOOP("Participation", "Other party"),
}
IN_MEETINGS = QT_TRANSLATE_NOOP("Participation", " (in meetings: for %1 · against %2)")
OPTION_COUNT = QT_TRANSLATE_NOOP("Participation", "%1 %2")
OPTION_IN_MEETINGS = QT_TRANSLATE_NOOP("Participation", "%1 %2 (%3 in meetings)")
OPTIONS_SEPARATOR = QT_TRANSLATE_NOOP("Participation", ", ")
"""Between the options' counts: ", " in English, "，" in Chinese."""
BLANK_TEMPLATE = QT_TRANSLATE_NOOP("Participation", "Blank: write your own questions")
TEMPLATE: dict[str, str] = {
    "courtyard": QT_TRANSLATE_NOOP("Participation", "Courtyard renovation"),
    "parking": QT_TRANSLATE_NOOP("Participation", "Parking"),
    "elevator": QT_TRANSLATE_NOOP("Participation", "Elevator installation"),
    "satisfaction": QT_TRANSLATE_NOOP("Participation", "Satisfaction survey"),
}
STEP: dict[str, str] = {
    "publish": QT_TRANSLATE_NOOP("Participation", "publish"),
    "close": QT_TRANSLATE_NOOP("Participation", "close"),
    "archive": QT_TRANSLATE_NOOP("Participation", "archive"),
    "discuss": QT_TRANSLATE_NOOP("Participation", "open the discussion"),
    "vote": QT_TRANSLATE_NOOP("Participation", "open the vote"),
    "decide": QT_TRANSLATE_NOOP("Participation", "record the decision"),
    "announce": QT_TRANSLATE_NOOP("Participation", "announce"),
    "repost": QT_TRANSLATE_NOOP("Participation", "re-post the announcement"),
    "create_ticket": QT_TRANSLATE_NOOP("Participation", "create a ticket"),
    "create": QT_TRANSLATE_NOOP("Participation", "create"),
    "answers": QT_TRANSLATE_NOOP("Participation", "keep the answers"),
    "edit": QT_TRANSLATE_NOOP("Participation", "save the questions"),
}


VOTE: dict[str, str] = {
    "support": QT_TRANSLATE_NOOP("Participation", "for"),
    "oppose": QT_TRANSLATE_NOOP("Participation", "against"),
    "abstain": QT_TRANSLATE_NOOP("Participation", "abstain"),
}


def vote_label(key: str) -> str:
    """A meeting's vote key: for / against / abstain, or the option's letter."""
    return tr(VOTE[key]) if key in VOTE else key


def _lookup(table: dict[str, str], code: str | None) -> str:
    if not code:
        return EMPTY
    text = table.get(code)
    return tr(text) if text is not None else code


def questionnaire_status(code: str | None) -> str:
    return _lookup(QUESTIONNAIRE_STATUS, code)


def stage_label(code: str | None) -> str:
    return _lookup(STAGE, code)


def activity_status(code: str | None) -> str:
    return _lookup(ACTIVITY_STATUS, code)


def channel_label(code: str | None) -> str:
    return _lookup(CHANNEL, code)


def stance_label(code: str | None) -> str:
    return _lookup(STANCE, code)


def attendee_kind_label(code: str | None) -> str:
    return _lookup(ATTENDEE_KIND, code)


def attendees_summary(attendees: object) -> str:
    """``居民 3 · 工作人员 1 · 物业公司 1``: who came, counted by kind."""
    counts: dict[str, int] = {}
    for a in attendees if isinstance(attendees, list) else []:
        if isinstance(a, dict):
            counts[str(a.get("kind"))] = counts.get(str(a.get("kind")), 0) + 1
    return " · ".join(fill("%1 %2", attendee_kind_label(k), str(n)) for k, n in counts.items()
                      ) or EMPTY


def kind_label(code: str | None) -> str:
    return _lookup(KIND, code)


def template_label(code: str | None) -> str:
    return _lookup(TEMPLATE, code)


def step_label(code: str | None) -> str:
    return _lookup(STEP, code)


def format_time(value: dt.datetime | None) -> str:
    if value is None:
        return EMPTY
    return f"{value.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def short_time(value: dt.datetime | None) -> str:
    """``12-05 14:32``."""
    if value is None:
        return EMPTY
    return f"{value.astimezone(SHANGHAI):%m-%d %H:%M}"


def format_rate(rate: float | None) -> str:
    return EMPTY if rate is None else f"{rate * 100:.1f}%"


def code_text(code: str | None, pending: bool = False) -> str:
    """The short code, or why there is none yet."""
    if code:
        return code
    return tr(GIVEN_WHEN_SENT) if pending else EMPTY


def responses_text(responses: int, households: int) -> str:
    """``12 / 340 (3.5%)``: responses against the households of the target grids."""
    if not households:
        return str(responses)
    return fill("%1 / %2 (%3)", str(responses), str(households),
                format_rate(responses / households))


def responses_short(responses: int, households: int) -> str:
    """``12 (3.5%)``: for a narrow column."""
    if not households:
        return str(responses)
    return fill(tr(WITH_RATE), str(responses), format_rate(responses / households))


def tally_text(tally: Tally, options: list[str]) -> str:
    """A consultation's count in one line: stances, opinions, how many residents took
    part, the votes in meetings, then each option's votes. An option's votes include the
    meetings' (the decision shows both), so its meeting share is said beside it: else
    "20 residents took part · A 11, B 20, C 6" read as 37 votes from 20 people."""
    counts = fill(tr(TALLY), str(tally.total_support), str(tally.total_oppose),
                  str(tally.opinions), str(tally.people))
    if tally.offline_support or tally.offline_oppose:
        counts += fill(tr(IN_MEETINGS), str(tally.offline_support), str(tally.offline_oppose))
    if options:
        parts = []
        for i in range(len(options)):
            key = letter(i)
            offline = tally.offline_choices[key]
            parts.append(fill(tr(OPTION_IN_MEETINGS), key, str(tally.total_choice(key)),
                              str(offline)) if offline
                         else fill(tr(OPTION_COUNT), key, str(tally.total_choice(key))))
        counts += " · " + tr(OPTIONS_SEPARATOR).join(parts)
    return counts
