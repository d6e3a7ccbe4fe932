"""One validation problem: which field, a code the UI translates, and a developer message."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A problem with one field of a record or form.

    ``field`` names the field (``"phone"``, ``"answers.gas_check"``,
    ``"fields[3].options"``); ``code`` is stable and is what the UI translates;
    ``message`` is English for logs and developers; ``params`` carries the numbers a
    translated message needs (``{"max": 100}``).
    """

    field: str
    code: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
