"""No personal data in the client's log: the file a user sends to IT.

Log lines name records by id, never by a resident's name, ID number or phone, and the
store's engine hides SQL parameters (``hide_parameters``). :class:`RedactingFormatter`
is the net under that rule: on the log file's handler it masks whatever still looks like
a resident ID number or a phone number (in an exception's text, say) before it is
written.
Names cannot be told from other words by their shape; they are kept out by the first rule.
"""

from __future__ import annotations

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx]"
                       r"(?![0-9A-Za-z])")
"""A mainland resident ID number (18 characters, the last a digit or X)."""
PHONE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"
                   r"|(?<![\d])0\d{2,3}-?\d{7,8}(?!\d)")
"""A mobile number (with or without spaces, dashes, +86) or a landline with its area code."""

MASK = "[redacted]"


def redact(text: str) -> str:
    """``text`` with ID numbers and phone numbers masked."""
    return PHONE.sub(MASK, ID_NUMBER.sub(MASK, text))


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual, then masks ID numbers and phones in the whole text (the
    message and any traceback). A formatter, not a filter: the record itself is left as
    it is for the other handlers."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
