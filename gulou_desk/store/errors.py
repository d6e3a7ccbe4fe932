"""Errors of the store's use cases: codes for the UI to translate, never tracebacks."""

from __future__ import annotations

from collections.abc import Iterable

from gulou_desk.domain.problems import Problem


class StoreError(Exception):
    """Base of the store's errors; ``code`` is stable, the message is for logs."""

    code = "store_error"


class ValidationFailed(StoreError):
    """The values did not pass validation; nothing was written.

    ``problems`` are the domain's :class:`~gulou_desk.domain.problems.Problem` objects
    (field, code, message, params), in the order found.
    """

    code = "validation"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self.problems)


class NotFound(StoreError):
    """The record (or conflict, rejection, draft) is not in the local store."""

    code = "not_found"

    def __init__(self, entity: str, record_id: str | int) -> None:
        self.entity = entity
        self.record_id = record_id
        super().__init__(f"no {entity} {record_id!r} in the local store")


class NotAllowed(StoreError):
    """The operation does not exist for this entity (``code`` says which rule).

    Codes: ``not_creatable``, ``not_updatable``, ``not_deletable``, ``unknown_action``,
    ``unknown_entity``.
    """

    def __init__(self, code: str, entity: str, message: str) -> None:
        self.code = code
        self.entity = entity
        super().__init__(message)
