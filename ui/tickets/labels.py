"""How tickets and inbox messages read on screen: step buttons, queues, timeline entries,
the countdown, why a step is not possible, why the server refused one — in the user's
language.

The domain core returns codes (event kinds, :class:`~gulou_desk.store.ticket_queries.Why`,
rejection codes); this is the one place that words them for the inbox and tickets views.
The words every section shares (statuses, categories, step names) are in
:mod:`ui.workflow_labels`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from gulou_desk.domain import sla
from gulou_desk.domain.sla import Countdown, Urgency
from gulou_desk.records import SHANGHAI
from gulou_desk.store.queries import RejectionView
from gulou_desk.store.ticket_queries import EventView, Queue, StepState, Why
from ui.errors import describe_code
from ui.i18n import QT_TRANSLATE_NOOP, PluralContext
from ui.navigation import role_title
from ui.workflow_labels import (
    EMPTY,
    chinese,
    fill,
    lookup,
    merge_target_closed,
    status_label,
    step_name,
    tr,
)

CONTEXT = "Tickets"
translate = QCoreApplication.translate

class Tickets(PluralContext):
    """The texts of this module that carry a count (see :class:`ui.i18n.PluralContext`)."""



_STEPS: dict[str, str] = {
    "triage": QT_TRANSLATE_NOOP("Tickets", "Triage…"),
    "assign": QT_TRANSLATE_NOOP("Tickets", "Assign…"),
    "accept": QT_TRANSLATE_NOOP("Tickets", "Accept"),
    "start": QT_TRANSLATE_NOOP("Tickets", "Start work"),
    "wait": QT_TRANSLATE_NOOP("Tickets", "Wait for resident…"),
    "resume": QT_TRANSLATE_NOOP("Tickets", "Resume"),
    "resolve": QT_TRANSLATE_NOOP("Tickets", "Resolve…"),
    "return": QT_TRANSLATE_NOOP("Tickets", "Return…"),
    "reopen": QT_TRANSLATE_NOOP("Tickets", "Reopen…"),
    "request_extension": QT_TRANSLATE_NOOP("Tickets", "Ask for more time…"),
    "approve_extension": QT_TRANSLATE_NOOP("Tickets", "Approve extension…"),
    "escalate": QT_TRANSLATE_NOOP("Tickets", "Escalate…"),
    "merge": QT_TRANSLATE_NOOP("Tickets", "Merge into…"),
    "split": QT_TRANSLATE_NOOP("Tickets", "Split out"),
    "cancel": QT_TRANSLATE_NOOP("Tickets", "Cancel ticket…"),
    "close": QT_TRANSLATE_NOOP("Tickets", "Follow-up call…"),
    "comment": QT_TRANSLATE_NOOP("Tickets", "Comment…"),
}
_QUEUES: dict[Queue, str] = {
    Queue.MINE: QT_TRANSLATE_NOOP("Tickets", "Mine"),
    Queue.UNASSIGNED: QT_TRANSLATE_NOOP("Tickets", "To dispatch"),
    Queue.DUE_TODAY: QT_TRANSLATE_NOOP("Tickets", "Due today"),
    Queue.OVERDUE: QT_TRANSLATE_NOOP("Tickets", "Overdue"),
    Queue.WAITING: QT_TRANSLATE_NOOP("Tickets", "Waiting on resident"),
    Queue.FOLLOW_UP: QT_TRANSLATE_NOOP("Tickets", "Follow-up calls"),
    Queue.ESCALATED: QT_TRANSLATE_NOOP("Tickets", "Escalated"),
    Queue.EXTENSIONS: QT_TRANSLATE_NOOP("Tickets", "Extension requests"),
}
_ALL_QUEUE: dict[str, str] = {
    "social_worker": QT_TRANSLATE_NOOP("Tickets", "My grids"),
    "clerk": QT_TRANSLATE_NOOP("Tickets", "All tickets"),  # all they see: their community's
    "supervisor": QT_TRANSLATE_NOOP("Tickets", "My street"),
    "admin": QT_TRANSLATE_NOOP("Tickets", "All tickets"),
}
_QUEUE_HINTS: dict[Queue, str] = {
    Queue.MINE: QT_TRANSLATE_NOOP("Tickets", "Open tickets assigned to you."),
    Queue.UNASSIGNED: QT_TRANSLATE_NOOP(
        "Tickets", "New and returned tickets that nobody handles yet."),
    Queue.DUE_TODAY: QT_TRANSLATE_NOOP("Tickets", "Open tickets due before midnight."),
    Queue.OVERDUE: QT_TRANSLATE_NOOP(
        "Tickets", "Open tickets past their due time (tickets waiting on the resident do "
        "not count: their clock is stopped)."),
    Queue.WAITING: QT_TRANSLATE_NOOP(
        "Tickets", "Tickets waiting on the resident; the clock is stopped meanwhile."),
    Queue.FOLLOW_UP: QT_TRANSLATE_NOOP(
        "Tickets", "Resolved tickets waiting for the follow-up call to the resident."),
    Queue.ESCALATED: QT_TRANSLATE_NOOP("Tickets", "Open tickets escalated for supervision."),
    Queue.EXTENSIONS: QT_TRANSLATE_NOOP(
        "Tickets", "Tickets whose assignee asked for more time."),
    Queue.ALL: QT_TRANSLATE_NOOP("Tickets", "Every ticket you can see, also closed ones."),
}
_WHY: dict[Why, str] = {
    Why.ASSIGNEE: QT_TRANSLATE_NOOP("Tickets", "Only the assignee can do this."),
    Why.WORKER_ASSIGNEE: QT_TRANSLATE_NOOP(
        "Tickets", "A social worker can do this only on tickets assigned to them."),
    Why.GRID_WORKER: QT_TRANSLATE_NOOP(
        "Tickets", "A social worker can do this only for messages of their own grids."),
    Why.OWNER: QT_TRANSLATE_NOOP("Tickets", "Only the record's own worker can do this."),
    Why.NOT_OWNER: QT_TRANSLATE_NOOP("Tickets", "No one decides on their own record."),
}
_REJECTIONS: dict[str, str] = {
    "forbidden": QT_TRANSLATE_NOOP(
        "Tickets", "you may no longer do this; the ticket was probably reassigned to "
        "someone else meanwhile."),
    "invalid_transition": QT_TRANSLATE_NOOP(
        "Tickets", "the ticket had moved on meanwhile: someone else took a step first."),
    "not_found": QT_TRANSLATE_NOOP(
        "Tickets", "it is no longer in your area (reassigned to another grid) or was removed."),
    "validation": QT_TRANSLATE_NOOP("Tickets", "a value was not accepted."),
    "depends_on_rejected": QT_TRANSLATE_NOOP(
        "Tickets", "an earlier step it built on was not accepted."),
}


def category_long_label(code: str) -> str:
    category = sla.category(code)
    if category is None:
        return code
    name = category.zh if chinese() else category.en
    return fill(Tickets.tr("%1 (%n working day(s))", "", sla.sla_days(code)), name)


def step_label(action: str) -> str:
    return lookup(_STEPS, action)


def queue_title(queue: Queue, role: str) -> str:
    if queue is Queue.ALL:
        return tr(_ALL_QUEUE.get(role, _ALL_QUEUE["admin"]))
    return tr(_QUEUES[queue])


def queue_hint(queue: Queue) -> str:
    return tr(_QUEUE_HINTS[queue])


def why_not(state: StepState, status: str | None) -> str:
    """Why a step is not possible now, in a sentence (for a disabled button's tooltip)."""
    if state.why is Why.STATE:
        return fill(translate("Tickets", "Not possible while the ticket is “%1”."),
                    status_label(status))
    if state.why is Why.ROLE:
        roles = "、" if chinese() else ", "
        names = roles.join(role_title(r) for r in sorted(state.roles)
                           if r in ("social_worker", "clerk", "supervisor", "admin"))
        return fill(translate("Tickets", "Only these roles can do this: %1."), names)
    if state.why is not None and state.why in _WHY:
        return tr(_WHY[state.why])
    if state.why is not None:  # an unknown step
        return translate("Tickets", "You cannot do this on this ticket.")
    return ""


def ticket_name(number: str | None) -> str:
    """A ticket's number, or what a ticket made here and not yet numbered is called."""
    return number or translate("Tickets", "(not yet numbered)")


# --- time ---------------------------------------------------------------------------


def duration_text(delta: dt.timedelta) -> str:
    """2 d 3 h, 5 h 20 min, 12 min (no sign)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return fill(translate("Tickets", "%1 d %2 h"), str(days), str(hours))
    if hours:
        return fill(translate("Tickets", "%1 h %2 min"), str(hours), str(mins))
    return fill(translate("Tickets", "%1 min"), str(mins))


def short_duration_text(delta: dt.timedelta) -> str:
    """2 d, 20 h, 12 min (no sign, whole units): a list's cell, which must fit a narrow
    column whole; minutes matter only in the last hour, hours only in the last day (the
    detail pane and the cell's tooltip give the due time to the minute)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return fill(translate("Tickets", "%1 d"), str(days))
    if hours:
        return fill(translate("Tickets", "%1 h"), str(hours))
    return fill(translate("Tickets", "%1 min"), str(mins))


def countdown_short(shown: Countdown) -> str:
    """The countdown in the tickets list: "20 h overdue", "3 d left", "45 min overdue"
    (the detail pane shows it to the minute, with the due time)."""
    if shown.remaining is None:
        return EMPTY
    duration = short_duration_text(shown.remaining)
    if shown.urgency is Urgency.PAUSED and shown.remaining < dt.timedelta(0):
        # Paused when already late: the time past due, never read as time left (it was
        # "Paused · 8 d"); grey, with the paused dot, and "Clock stopped" in its tooltip.
        # "Paused · 8 d overdue" would not fit the column whole beside a readable title.
        return fill(translate("Tickets", "%1 overdue"), duration)
    if shown.urgency is Urgency.PAUSED:  # the time left; its tooltip says so
        return fill(translate("Tickets", "Paused · %1"), duration)
    if shown.urgency is Urgency.OVERDUE:
        return fill(translate("Tickets", "%1 overdue"), duration)
    return fill(translate("Tickets", "%1 left"), duration)


def countdown_text(shown: Countdown) -> str:
    if shown.remaining is None:
        return EMPTY
    if shown.urgency is Urgency.PAUSED and shown.remaining < dt.timedelta(0):
        return fill(translate("Tickets", "Paused · overdue %1"), duration_text(shown.remaining))
    if shown.urgency is Urgency.PAUSED:
        return fill(translate("Tickets", "Paused · %1 left"), duration_text(shown.remaining))
    if shown.urgency is Urgency.OVERDUE:
        return fill(translate("Tickets", "Overdue %1"), duration_text(shown.remaining))
    return fill(translate("Tickets", "%1 left"), duration_text(shown.remaining))


def format_time(value: dt.datetime | None) -> str:
    if value is None:
        return EMPTY
    local = value.astimezone(SHANGHAI)
    return f"{local:%Y-%m-%d %H:%M}"


def short_time(value: dt.datetime | None, now: dt.datetime) -> str:
    """``14:32`` today, ``11-02 14:32`` this year, else the full date."""
    if value is None:
        return EMPTY
    local = value.astimezone(SHANGHAI)
    today = now.astimezone(SHANGHAI)
    if local.date() == today.date():
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local:%m-%d %H:%M}"
    return f"{local:%Y-%m-%d}"


def urgency_label(level: Urgency) -> str:
    return {
        Urgency.OVERDUE: translate("Tickets", "Overdue"),
        Urgency.DUE_TODAY: translate("Tickets", "Due today"),
        Urgency.DUE_SOON: translate("Tickets", "Due tomorrow"),
        Urgency.ON_TRACK: translate("Tickets", "On track"),
        Urgency.PAUSED: translate("Tickets", "Clock stopped"),
        Urgency.NONE: "",
    }[level]


# --- the timeline ---------------------------------------------------------------------


def event_actor(event: EventView) -> str:
    if event.actor_id is None:
        return translate("Tickets", "System")
    return event.actor_name or translate("Tickets", "A colleague")


def event_text(event: EventView) -> tuple[str, str | None]:
    """What happened (a phrase after the actor's name) and the text that came with it."""
    kind, body = event.kind, event.body
    if kind == "created":
        return translate("Tickets", "opened the ticket"), None
    if kind == "triage":
        return translate("Tickets", "set the category and priority"), None
    if kind == "assign":
        who = event.subject_name or translate("Tickets", "a colleague")
        return fill(translate("Tickets", "assigned it to %1"), who), None
    if kind == "accept":
        return translate("Tickets", "accepted it"), None
    if kind == "start":
        return translate("Tickets", "started work"), None
    if kind == "wait":
        return translate("Tickets", "is waiting on the resident (clock stopped)"), body
    if kind == "resume":
        return translate("Tickets", "resumed work (clock running again)"), None
    if kind == "resolve":
        return translate("Tickets", "resolved it"), body
    if kind == "return":
        return translate("Tickets", "returned it to the dispatcher"), body
    if kind == "reopen":
        return translate("Tickets", "reopened it"), body
    if kind == "close":
        return translate("Tickets", "closed it after the follow-up call"), body
    if kind == "follow_up_dissatisfied":
        return translate("Tickets", "made the follow-up call: the resident is not "
                         "satisfied, so the ticket is sent back to be handled again"), body
    if kind == "request_extension":
        from gulou_desk.domain.workflows import parse_extension_request

        parsed = parse_extension_request(body)
        if parsed is not None:
            days, reason = parsed
            asked = Tickets.tr("asked for %n more working day(s)", "", days)
            return asked, reason or None
        return translate("Tickets", "asked for more time"), body
    if kind == "approve_extension":
        return translate("Tickets", "approved more time"), body
    if kind == "escalate":
        if event.actor_id is None and event.data.get("reason") == "overdue":
            return translate("Tickets", "escalated it because it is overdue"), None
        return translate("Tickets", "escalated it"), body
    if kind == "cancel":
        return translate("Tickets", "cancelled it"), body
    if kind == "merge":
        into = event.subject_name or translate("Tickets", "another ticket")
        return fill(translate("Tickets", "merged it into %1"), into), None
    if kind == "merged_in":
        return fill(translate("Tickets", "merged ticket %1 into this one"), body or ""), None
    if kind == "split":
        return translate("Tickets", "split it back out"), body
    if kind == "linked":
        return translate("Tickets", "linked a resident's message"), body
    if kind == "comment":
        return translate("Tickets", "commented"), body
    return kind, body


# --- refused steps -------------------------------------------------------------------


def rejection_reason(code: str) -> str:
    text = _REJECTIONS.get(code)
    if text is not None:
        return tr(text)
    return describe_code(code) or translate("Tickets", "the server did not accept it.")


def rejection_text(rejection: RejectionView, number: str | None) -> str:
    """“The server did not accept *assign* on ticket GL…: the ticket had moved on …”"""
    step = step_name(rejection.action or rejection.op)
    if rejection.entity == "inbox_message":
        return fill(translate("Tickets", "The server did not accept “%1” on a resident's "
                              "message: %2"), step, rejection_reason(rejection.code))
    reason = rejection_reason(rejection.code)
    if rejection.action == "merge" and rejection.details.get("field") == "into_id" and (
            rejection.code == "invalid_transition"):
        reason = merge_target_closed(rejection.details.get("status"))
    return fill(translate("Tickets", "The server did not accept “%1” on ticket %2: %3"),
                step, ticket_name(number), reason)
