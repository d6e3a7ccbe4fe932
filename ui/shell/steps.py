"""Running the user's steps: workflow actions and new tickets, through the use cases.

Every write goes through the account's :class:`~gulou_desk.desk.Desk` on the WRITE lane
(one thread, so steps run in the order the user took them). The domain checks the step
again there (the same rules the server runs); a refused step comes back as a translated
sentence. After a write the :class:`~ui.shell.context.DeskContext` tells the views what
changed and asks the sync engine to push soon.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from gulou_desk import records
from gulou_desk.domain.workflows import WorkflowError
from gulou_desk.store import ChangeSet, ValidationFailed
from ui.background import Lane, Op, OpError, Progress
from ui.errors import describe_error
from ui.shell.context import DeskContext
from ui.workflow_labels import fill, merge_target_closed, step_name

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StepRequest:
    entity: str
    record_id: str
    action: str
    args: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class StepOutcome:
    changes: ChangeSet
    done: int
    """How many of the requested steps were written."""
    failed: StepRequest | None = None
    error: BaseException | None = None


def describe_step_error(exc: BaseException, action: str | None = None,
                        entity: str | None = None) -> str:
    """A refused local step in words (the domain refuses before anything is written);
    ``entity`` names the workflow whose step it was (its own word for the step, if any)."""
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate
    if isinstance(exc, WorkflowError):
        if exc.code == "invalid_transition" and exc.details.get("field") == "into_id":
            return merge_target_closed(exc.details.get("status"))
        if exc.code == "invalid_transition":
            return translate("StepRunner", "This step is no longer possible: the ticket has "
                                           "moved on. The view has been refreshed.")
        if exc.code == "forbidden":
            return translate("StepRunner", "You are not allowed to take this step.")
        if exc.code == "validation":
            return fill(translate("StepRunner", "Please check what you entered (%1)."),
                        str(exc.details.get("field", "")))
    if isinstance(exc, ValidationFailed):
        fields = ", ".join(exc.fields)
        return fill(translate("StepRunner", "Please check what you entered (%1)."), fields)
    text = describe_error(exc)
    if action:
        return fill(translate("StepRunner", "Could not %1: %2"), step_name(action, entity),
                    text)
    return text


class StepRunner(QObject):
    """Runs steps for a view; one per view.

    Signals:
        finished(StepOutcome): a batch of steps ended (some may have failed).
    """

    finished = Signal(object)

    def __init__(self, ctx: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx

    def run(self, requests: Sequence[StepRequest],
            done: Callable[[StepOutcome], object] | None = None) -> None:
        """Run the steps in order, each in its own transaction; stop at the first refusal
        (the ones before it stay written)."""
        ctx = self._ctx
        desk = ctx.desk
        now = ctx.now()
        batch = list(requests)

        def work(progress: Progress) -> StepOutcome:
            actor = desk.actor()
            changes = ChangeSet()
            for count, request in enumerate(batch):
                try:
                    changes |= desk.run_action(request.entity, request.record_id,
                                               request.action, request.args, actor=actor,
                                               now=now)
                except Exception as exc:  # told to the user; the log has the traceback
                    log.info("step %s on %s %s refused: %r", request.action, request.entity,
                             request.record_id, exc)
                    return StepOutcome(changes, count, request, exc)
            return StepOutcome(changes, len(batch))

        def finished(outcome: StepOutcome) -> None:
            ctx.wrote(outcome.changes)
            if done is not None:
                done(outcome)
            self.finished.emit(outcome)

        Op(self, work, lane=Lane.WRITE, name="run_steps").success(finished).failure(
            lambda error: self._crashed(error, batch, done)).run()

    def _crashed(self, error: OpError, batch: list[StepRequest],
                 done: Callable[[StepOutcome], object] | None) -> None:
        outcome = StepOutcome(ChangeSet(), 0, batch[0] if batch else None, error.exception)
        if done is not None:
            done(outcome)
        self.finished.emit(outcome)

    def create_ticket(self, fields: Mapping[str, Any],
                      done: Callable[[str | None, BaseException | None], object]) -> None:
        """A ticket opened here (walk-in, phone, hotline): ``create_record`` on the store;
        ``done(ticket_id, None)`` or ``done(None, error)``."""
        ctx = self._ctx
        desk = ctx.desk
        now = ctx.now()
        values = dict(fields)

        def work(progress: Progress) -> tuple[str, ChangeSet]:
            return desk.create("ticket", values, now=now, record_id=records.new_id())

        def created(result: tuple[str, ChangeSet]) -> None:
            ticket_id, changes = result
            ctx.wrote(changes)
            done(ticket_id, None)

        Op(self, work, lane=Lane.WRITE, name="create_ticket").success(created).failure(
            lambda error: done(None, error.exception)).run()
