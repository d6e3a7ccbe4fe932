"""Resident participation in the local store: the use case of a household's answers
entered by staff (on a visit, by phone), offline.

One response per household per questionnaire: its id is
:func:`participation.response_id` of the two, so the same household answering again, on
this device or another, writes the same record. Here: a new one is a ``create``; one
this device holds is replaced with the ``replace`` step (the server keeps the earlier
answers in ``history``). A ``create`` that reaches a server which already has the record
(another device entered it first) replaces it there too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gulou_desk import records
from gulou_desk.domain import participation
from gulou_desk.domain.problems import Problem
from gulou_desk.domain.workflows import Actor, WorkflowError
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import NotFound, ValidationFailed
from gulou_desk.store.rows import load_row
from gulou_desk.store.usecases import create_record, run_action

STAFF_CHANNELS = ("visit", "phone", "walk_in")


def record_household_answers(
    store: Store,
    questionnaire_id: str,
    household_id: str,
    answers: Mapping[str, Any],
    *,
    channel: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> tuple[str, ChangeSet]:
    """Keep a household's answers to a questionnaire; returns the response id.

    Checked here as the server will: the questionnaire is held and open (answers given
    after it closed are refused: :class:`WorkflowError` ``invalid_transition``), the
    household is in a targeted grid, the answers fit the questions
    (:class:`ValidationFailed`, problems named ``answers.<question id>``).
    """
    now = now or records.now()
    if channel not in STAFF_CHANNELS:
        raise ValidationFailed([Problem("channel", "invalid_choice",
                                        f"channel must be one of {', '.join(STAFF_CHANNELS)}")])
    with store.session() as session:
        q = load_row(session, "questionnaire", questionnaire_id)
        household = load_row(session, "household", household_id)
        existing = load_row(session, "questionnaire_response", participation.response_id(
            questionnaire_id, participation.household_respondent(household_id)))
    if q is None:
        raise NotFound("questionnaire", questionnaire_id)
    if household is None:
        raise NotFound("household", household_id)
    if q["status"] == "draft" or participation.answered_too_late(q, now):
        raise WorkflowError("invalid_transition", "the questionnaire is not open",
                            {"field": "questionnaire_id", "problem": "closed"})
    if household["grid_id"] not in (q["grid_ids"] or []):
        raise ValidationFailed([Problem("household_id", "not_targeted",
                                        "the household is not in a targeted grid")])
    problems = participation.answer_problems(q["questions"] or [], dict(answers))
    if problems:
        raise ValidationFailed(problems)
    record_id = participation.response_id(
        questionnaire_id, participation.household_respondent(household_id))
    if existing is not None:
        changed = run_action(store, "questionnaire_response", record_id, "replace", {
            "answers": dict(answers), "channel": channel,
            "received_at": records.format_datetime(now)}, actor=actor, now=now)
        return record_id, changed
    _, changed = create_record(store, "questionnaire_response", {
        "questionnaire_id": questionnaire_id, "household_id": household_id,
        "grid_id": household["grid_id"], "answers": dict(answers), "channel": channel,
        "received_at": now, "entered_by_id": actor.id,
    }, actor=actor, now=now, record_id=record_id)
    return record_id, changed
