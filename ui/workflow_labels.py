"""How the workflows' codes read on screen, for every section: ticket and inbox statuses,
priorities, sources, satisfaction, categories and the names of steps ("Could not
*assign*: …"), in the user's language.

The shell's step runner words a refused step with these, and the tickets, inbox and
performance sections show statuses and categories with them, so a code reads the same
everywhere. What only one section says stays in that section (``ui/tickets/labels.py``:
queues, the timeline, countdowns). Category names come from :mod:`gulou_desk.domain.sla`,
which carries them in Chinese and English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gulou_desk.domain import sla
from ui.i18n import QT_TRANSLATE_NOOP
from ui.record_labels import EMPTY as EMPTY
from ui.record_labels import chinese as chinese

CONTEXT = "Tickets"
"""The translation context (these words were the tickets section's first)."""
translate = QCoreApplication.translate


def fill(text: str, *values: str) -> str:
    """``text`` with ``%1``, ``%2`` … replaced by ``values`` (Qt's placeholders)."""
    for number, value in enumerate(values, start=1):
        text = text.replace(f"%{number}", value)
    return text


def tr(text: str, n: int = -1) -> str:
    """Translate a source text marked with ``QT_TRANSLATE_NOOP("Tickets", …)``."""
    return translate(CONTEXT, text, None, n)


_STATUS: dict[str, str] = {
    "new": QT_TRANSLATE_NOOP("Tickets", "New"),
    "assigned": QT_TRANSLATE_NOOP("Tickets", "Assigned"),
    "accepted": QT_TRANSLATE_NOOP("Tickets", "Accepted"),
    "in_progress": QT_TRANSLATE_NOOP("Tickets", "In progress"),
    "waiting": QT_TRANSLATE_NOOP("Tickets", "Waiting on resident"),
    "resolved": QT_TRANSLATE_NOOP("Tickets", "Resolved"),
    "closed": QT_TRANSLATE_NOOP("Tickets", "Closed"),
    "returned": QT_TRANSLATE_NOOP("Tickets", "Returned"),
    "merged": QT_TRANSLATE_NOOP("Tickets", "Merged"),
    "cancelled": QT_TRANSLATE_NOOP("Tickets", "Cancelled"),
}
_PRIORITY: dict[str, str] = {
    "low": QT_TRANSLATE_NOOP("Tickets", "Low"),
    "normal": QT_TRANSLATE_NOOP("Tickets", "Normal"),
    "high": QT_TRANSLATE_NOOP("Tickets", "High"),
    "urgent": QT_TRANSLATE_NOOP("Tickets", "Urgent"),
}
_SOURCE: dict[str, str] = {
    "wechat": QT_TRANSLATE_NOOP("Tickets", "WeChat group"),
    "wecom": QT_TRANSLATE_NOOP("Tickets", "WeCom group"),
    "walk_in": QT_TRANSLATE_NOOP("Tickets", "Walk-in"),
    "phone": QT_TRANSLATE_NOOP("Tickets", "Phone"),
    "hotline": QT_TRANSLATE_NOOP("Tickets", "12345 hotline"),
    "visit": QT_TRANSLATE_NOOP("Tickets", "Found on a visit"),
}
_SATISFACTION: dict[str, str] = {
    "satisfied": QT_TRANSLATE_NOOP("Tickets", "Satisfied"),
    "basically_satisfied": QT_TRANSLATE_NOOP("Tickets", "Basically satisfied"),
    "dissatisfied": QT_TRANSLATE_NOOP("Tickets", "Dissatisfied"),
}
_INBOX_STATUS: dict[str, str] = {
    "new": QT_TRANSLATE_NOOP("Tickets", "To handle"),
    "converted": QT_TRANSLATE_NOOP("Tickets", "Made a ticket"),
    "linked": QT_TRANSLATE_NOOP("Tickets", "Linked to a ticket"),
    "dismissed": QT_TRANSLATE_NOOP("Tickets", "Dismissed"),
    "answered": QT_TRANSLATE_NOOP("Tickets", "Answered"),
}
_STEP_NAMES: dict[str, str] = {
    "triage": QT_TRANSLATE_NOOP("Tickets", "triage"),
    "assign": QT_TRANSLATE_NOOP("Tickets", "assign"),
    "accept": QT_TRANSLATE_NOOP("Tickets", "accept"),
    "start": QT_TRANSLATE_NOOP("Tickets", "start work"),
    "wait": QT_TRANSLATE_NOOP("Tickets", "wait for the resident"),
    "resume": QT_TRANSLATE_NOOP("Tickets", "resume"),
    "resolve": QT_TRANSLATE_NOOP("Tickets", "resolve"),
    "return": QT_TRANSLATE_NOOP("Tickets", "return"),
    "reopen": QT_TRANSLATE_NOOP("Tickets", "reopen"),
    "request_extension": QT_TRANSLATE_NOOP("Tickets", "ask for more time"),
    "approve_extension": QT_TRANSLATE_NOOP("Tickets", "approve the extension"),
    "escalate": QT_TRANSLATE_NOOP("Tickets", "escalate"),
    "merge": QT_TRANSLATE_NOOP("Tickets", "merge"),
    "split": QT_TRANSLATE_NOOP("Tickets", "split out"),
    "cancel": QT_TRANSLATE_NOOP("Tickets", "cancel"),
    "close": QT_TRANSLATE_NOOP("Tickets", "record the follow-up call"),
    "comment": QT_TRANSLATE_NOOP("Tickets", "comment"),
    "convert": QT_TRANSLATE_NOOP("Tickets", "make a ticket"),
    "link": QT_TRANSLATE_NOOP("Tickets", "link to a ticket"),
    "dismiss": QT_TRANSLATE_NOOP("Tickets", "dismiss"),
    "reply": QT_TRANSLATE_NOOP("Tickets", "reply"),
    "restore": QT_TRANSLATE_NOOP("Tickets", "undo the dismissal"),
    "create": QT_TRANSLATE_NOOP("Tickets", "create"),
    "update": QT_TRANSLATE_NOOP("Tickets", "edit"),
    # performance records, resident participation, devices, announcements
    "submit": QT_TRANSLATE_NOOP("Tickets", "send for approval"),
    "approve": QT_TRANSLATE_NOOP("Tickets", "approve"),
    "schedule": QT_TRANSLATE_NOOP("Tickets", "schedule"),
    "publish": QT_TRANSLATE_NOOP("Tickets", "publish"),
    "archive": QT_TRANSLATE_NOOP("Tickets", "archive"),
    "discuss": QT_TRANSLATE_NOOP("Tickets", "open the discussion"),
    "vote": QT_TRANSLATE_NOOP("Tickets", "open the vote"),
    "decide": QT_TRANSLATE_NOOP("Tickets", "record the decision"),
    "announce": QT_TRANSLATE_NOOP("Tickets", "announce the decision"),
    "repost": QT_TRANSLATE_NOOP("Tickets", "post again to the groups"),
    "create_ticket": QT_TRANSLATE_NOOP("Tickets", "make a ticket"),
    "sign_up": QT_TRANSLATE_NOOP("Tickets", "sign up a volunteer"),
    "withdraw": QT_TRANSLATE_NOOP("Tickets", "withdraw a volunteer"),
    "complete": QT_TRANSLATE_NOOP("Tickets", "record the attendance"),
    "replace": QT_TRANSLATE_NOOP("Tickets", "replace the answers"),
    "revoke": QT_TRANSLATE_NOOP("Tickets", "revoke the device"),
}
_ENTITY_STEP_NAMES: dict[tuple[str, str], str] = {
    # A ticket is closed by the follow-up call; the others' "close" is just that.
    ("questionnaire", "close"): QT_TRANSLATE_NOOP("Tickets", "close"),
    ("consultation", "close"): QT_TRANSLATE_NOOP("Tickets", "close"),
}
"""Where one entity's step reads differently from the same action elsewhere."""

def lookup(table: dict[str, str], code: str | None) -> str:
    """The translated word for ``code`` in ``table`` (the code itself if unknown)."""
    if not code:
        return EMPTY
    text = table.get(code)
    return tr(text) if text is not None else code


def status_label(status: str | None) -> str:
    return lookup(_STATUS, status)


def priority_label(priority: str | None) -> str:
    return lookup(_PRIORITY, priority)


def source_label(source: str | None) -> str:
    return lookup(_SOURCE, source)


def satisfaction_label(value: str | None) -> str:
    return lookup(_SATISFACTION, value)


def inbox_status_label(status: str | None) -> str:
    return lookup(_INBOX_STATUS, status)


def category_label(code: str | None) -> str:
    """The category's name (the domain carries Chinese and English ones)."""
    if not code:
        return EMPTY
    category = sla.category(code)
    if category is None:
        return code
    return category.zh if chinese() else category.en.split(" (")[0]


def step_name(action: str | None, entity: str | None = None) -> str:
    """The step in a sentence ("the server did not accept *assign* …"), in the words of
    ``entity``'s workflow when it has its own for that action."""
    special = _ENTITY_STEP_NAMES.get((entity or "", action or ""))
    return tr(special) if special is not None else lookup(_STEP_NAMES, action)


def merge_target_closed(status: str | None) -> str:
    """Why a merge into a ticket that is no longer open is refused (client or server)."""
    return fill(translate("Tickets", "The ticket to merge into is “%1”: a complaint merged "
                          "into it would be lost. Choose an open ticket."),
                status_label(status))
