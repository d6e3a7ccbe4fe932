"""Errors that speak to people: exceptions and sync failures turned into translated text.

The core and the sync engine raise typed errors or return codes and enums; this module is
the one place where they become sentences a social worker can act on. Nothing here ever
shows a traceback: callers log the exception (with its traceback) and show the message.

How an exception is read, in order:

1. :class:`gulou_desk.cancel.Cancelled` → "cancelled";
2. "cannot reach the server" (``ConnectionError``, ``TimeoutError``, ``requests``'
   connection errors and timeouts, or ``code == "offline"``);
3. a protocol error code in ``exc.code`` (``invalid_credentials``, ``rate_limited`` …, the
   codes of ``docs/sync-protocol.md``), or a :class:`~sync.events.FailureReason` in
   ``exc.reason`` — this is how the sync client's typed errors are expected to look;
4. local trouble (SQLite, also when SQLAlchemy wrapped it; permissions, disk full, memory);
5. anything else: a generic sentence pointing to the log file.
"""

from __future__ import annotations

import errno
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from sqlcipher3 import dbapi2 as sqlcipher

from sync.events import FailureReason
from ui.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate  # lupdate reads translate("Errors", "…")

_REASON_CODES: dict[FailureReason, str] = {
    FailureReason.OFFLINE: "offline",
    FailureReason.UNAUTHORIZED: "token_expired",
    FailureReason.DEVICE_REVOKED: "device_revoked",
    FailureReason.FORBIDDEN: "forbidden",
    FailureReason.SERVER_ERROR: "server_error",
    FailureReason.RATE_LIMITED: "rate_limited",
    FailureReason.BAD_ANSWER: "bad_answer",
}

_CODE_MESSAGES: dict[str, str] = {
    "invalid_credentials": QT_TRANSLATE_NOOP("Errors", "The user name or password is not right."),
    "token_expired": QT_TRANSLATE_NOOP("Errors", "Your sign-in has expired. Please sign in again."),
    "unauthorized": QT_TRANSLATE_NOOP("Errors", "Your sign-in has expired. Please sign in again."),
    "device_revoked": QT_TRANSLATE_NOOP(
        "Errors", "This computer's access was revoked by your administrator."
    ),
    "forbidden": QT_TRANSLATE_NOOP("Errors", "Your account is not allowed to do this."),
    "not_found": QT_TRANSLATE_NOOP("Errors", "The record no longer exists on the server."),
    "validation": QT_TRANSLATE_NOOP("Errors", "The server did not accept the data."),
    "too_large": QT_TRANSLATE_NOOP("Errors", "This is too large to send to the server."),
    "rate_limited": QT_TRANSLATE_NOOP(
        "Errors", "Too many attempts. Please wait a minute and try again."
    ),
    "server_error": QT_TRANSLATE_NOOP(
        "Errors", "The server had a problem. Please try again later."
    ),
    "bad_answer": QT_TRANSLATE_NOOP(
        "Errors", "The server answered something unexpected. Is the server address right?"
    ),
    # Rejected edits (push results).
    "stale": QT_TRANSLATE_NOOP(
        "Errors", "Someone changed this record on the server before your edit arrived."
    ),
    "invalid_transition": QT_TRANSLATE_NOOP(
        "Errors", "This step is no longer possible: the record has moved on meanwhile."
    ),
    "depends_on_rejected": QT_TRANSLATE_NOOP(
        "Errors", "It built on an earlier edit that the server did not accept."
    ),
    # The encrypted local store (gulou_desk/store/cipher.py).
    "store_key_missing": QT_TRANSLATE_NOOP(
        "Errors", "Your local data on this computer is encrypted, and its key is not in "
        "this computer's key store (the key store was reset, or the file was copied from "
        "another computer). Sign in to download your data again; the unreadable file is "
        "kept aside, not deleted."
    ),
    "store_unreadable": QT_TRANSLATE_NOOP(
        "Errors", "Your local data file cannot be read with this computer's key: it is "
        "damaged, or it was encrypted with a key this computer no longer has."
    ),
}

_FAILURE_MESSAGES: dict[FailureReason, str] = {
    FailureReason.OFFLINE: QT_TRANSLATE_NOOP(
        "Errors", "Offline: your changes are kept and will sync later."
    ),
    FailureReason.UNAUTHORIZED: QT_TRANSLATE_NOOP(
        "Errors", "Sign-in expired: please sign in again to sync."
    ),
    FailureReason.DEVICE_REVOKED: QT_TRANSLATE_NOOP(
        "Errors", "This computer's access was revoked: its local data is being deleted."
    ),
    FailureReason.FORBIDDEN: QT_TRANSLATE_NOOP(
        "Errors", "The server refused access for this account."
    ),
    FailureReason.SERVER_ERROR: QT_TRANSLATE_NOOP(
        "Errors", "The server had a problem; sync will try again."
    ),
    FailureReason.BAD_ANSWER: QT_TRANSLATE_NOOP(
        "Errors", "The server answered something unexpected; sync will try again."
    ),
    FailureReason.RATE_LIMITED: QT_TRANSLATE_NOOP(
        "Errors", "The server is busy; sync will try again shortly."
    ),
    FailureReason.CANCELLED: QT_TRANSLATE_NOOP("Errors", "Sync was cancelled."),
    FailureReason.LOCAL_ERROR: QT_TRANSLATE_NOOP(
        "Errors", "The local database could not be written; sync stopped."
    ),
}


def error_code(exc: BaseException) -> str | None:
    """The protocol error code an exception carries (``invalid_credentials`` …), if any.

    ``sync.client``'s errors carry a class-level ``code`` (``offline``, ``unauthorized``,
    ``forbidden``, ``rate_limited``, ``server_error``, ``bad_answer``) and, for other 4xx
    answers, the wire code in ``error_code`` (``validation``, ``not_found`` …).
    """
    specific = getattr(exc, "error_code", None)
    if isinstance(specific, str) and specific:
        return specific
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        return code
    reason = getattr(exc, "reason", None)
    if isinstance(reason, FailureReason):
        return _REASON_CODES.get(reason)
    return None


def is_unreachable(exc: BaseException) -> bool:
    """Whether the exception means "the server cannot be reached" (not "it said no")."""
    if error_code(exc) == "offline":
        return True
    import requests  # local: only needed once something failed

    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return True
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    return isinstance(exc, OSError) and exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ECONNREFUSED,
        errno.ETIMEDOUT,
    )


def describe_code(code: str) -> str | None:
    """The translated sentence for a protocol error code, or ``None`` if unknown."""
    text = _CODE_MESSAGES.get(code)
    return None if text is None else translate("Errors", text)


def describe_error(exc: BaseException) -> str:
    """A sentence a user can read for any exception (never the exception's own text)."""
    from gulou_desk.cancel import Cancelled

    if isinstance(exc, Cancelled):
        return translate("Errors", "The task was cancelled.")
    if is_unreachable(exc):
        return translate(
            "Errors", "The server cannot be reached. Check the network and try again."
        )
    code = error_code(exc)
    if code is not None:
        text = describe_code(code)
        if text is not None:
            return text
    local = _sqlite_error(exc)
    operational = isinstance(local, _OPERATIONAL_ERRORS)
    if operational and "locked" in str(local).lower():
        return translate("Errors", "The local database is busy. Please try again in a moment.")
    if local is not None and _DAMAGED.search(str(local)):
        return translate(
            "Errors", "The local database file is damaged (it is not a readable database)."
        )
    if operational:
        return translate("Errors", "The local database could not be read or written.")
    if isinstance(exc, PermissionError):
        return translate("Errors", "A file could not be opened: permission denied.")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return translate("Errors", "The disk is full. Free some space and try again.")
    if isinstance(exc, MemoryError):
        return translate("Errors", "The computer ran out of memory.")
    return translate("Errors", "Something went wrong. The details were written to the log file.")


_DAMAGED = re.compile(r"not a database|malformed|file is encrypted", re.IGNORECASE)
"""SQLite's words for a file that is not (or no longer) a database."""


_SQLITE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
"""Python's SQLite and SQLCipher's (the local store's driver) have error classes apart."""
_OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError,
                                                    sqlcipher.OperationalError)


def _sqlite_error(exc: BaseException) -> Exception | None:
    """The SQLite error behind ``exc``: itself, or the one SQLAlchemy wrapped (``orig``)."""
    if isinstance(exc, _SQLITE_ERRORS):
        return exc
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, _SQLITE_ERRORS) else None


def describe_failure(reason: FailureReason) -> str:
    """The status-bar sentence for a failed sync cycle (the engine's message goes to the log)."""
    return translate("Errors", _FAILURE_MESSAGES[reason])


# -- validation problems (gulou_desk.domain.problems.Problem codes) -------------------------

_PROBLEM_MESSAGES: dict[str, str] = {
    "required": QT_TRANSLATE_NOOP("Problems", "Please fill this in."),
    "invalid_type": QT_TRANSLATE_NOOP("Problems", "This value has the wrong form."),
    "too_long": QT_TRANSLATE_NOOP("Problems", "At most %1 characters."),
    "invalid_choice": QT_TRANSLATE_NOOP("Problems", "Choose one of the offered values."),
    "phone_empty": QT_TRANSLATE_NOOP("Problems", "Enter a phone number."),
    "phone_invalid": QT_TRANSLATE_NOOP(
        "Problems", "Not a phone number: enter a mobile (13912345678) or a landline "
        "(025-83331234)."
    ),
    "tag_invalid": QT_TRANSLATE_NOOP("Problems", "A tag cannot be empty."),
    "tag_too_long": QT_TRANSLATE_NOOP("Problems", "A tag has at most %1 characters."),
    "date_in_future": QT_TRANSLATE_NOOP("Problems", "This date is in the future."),
    "before_household": QT_TRANSLATE_NOOP(
        "Problems", "The household was registered on %1: a visit cannot be earlier."
    ),
    "id_empty": QT_TRANSLATE_NOOP("Problems", "Enter the ID number."),
    "id_length": QT_TRANSLATE_NOOP("Problems", "A resident ID number has 18 characters."),
    "id_characters": QT_TRANSLATE_NOOP(
        "Problems", "A resident ID number is 17 digits followed by a digit or X."
    ),
    "id_region": QT_TRANSLATE_NOOP(
        "Problems", "The ID number does not start with a valid region code."
    ),
    "id_birth_date": QT_TRANSLATE_NOOP(
        "Problems", "The ID number does not contain a valid date of birth."
    ),
    "id_check_digit": QT_TRANSLATE_NOOP(
        "Problems", "The last character of the ID number does not match the others: please "
        "check the number for a typing error."
    ),
    "id_birth_date_mismatch": QT_TRANSLATE_NOOP(
        "Problems", "Differs from the date of birth in the ID number (%1)."
    ),
    "id_gender_mismatch": QT_TRANSLATE_NOOP(
        "Problems", "Differs from the gender in the ID number."
    ),
    "not_editable": QT_TRANSLATE_NOOP("Problems", "This cannot be changed here."),
    "unknown_field": QT_TRANSLATE_NOOP("Problems", "This field is not known to this version."),
    "exists": QT_TRANSLATE_NOOP("Problems", "This record exists already."),
    "nul_character": QT_TRANSLATE_NOOP(
        "Problems", "The text holds an invisible NUL character (often from a copy and "
        "paste); please type it again."
    ),
    "lone_surrogate": QT_TRANSLATE_NOOP(
        "Problems", "The text holds a broken character (often from a copy and paste); "
        "please type it again."
    ),
    "too_large": QT_TRANSLATE_NOOP(
        "Problems", "This edit is too large to send (over 1 MB of text). Please shorten it."
    ),
}
_RANGE_BOTH = QT_TRANSLATE_NOOP("Problems", "Must be between %1 and %2.")
_RANGE_MIN = QT_TRANSLATE_NOOP("Problems", "Must be at least %1.")
_RANGE_MAX = QT_TRANSLATE_NOOP("Problems", "Must be at most %1.")
_PROBLEM_FALLBACK = QT_TRANSLATE_NOOP("Problems", "This value is not accepted.")


def describe_problem(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence shown next to a field for a domain validation problem code.

    ``params`` are the problem's (``max_length``, ``min``, ``max``, ``id_birth_date``);
    an unknown code gets a generic sentence (the log has the English detail).
    """
    params = params or {}
    if code == "out_of_range":
        low, high = params.get("min"), params.get("max")
        if low is not None and high is not None:
            return translate("Problems", _RANGE_BOTH).replace("%1", str(low)).replace(
                "%2", str(high))
        if low is not None:
            return translate("Problems", _RANGE_MIN).replace("%1", str(low))
        if high is not None:
            return translate("Problems", _RANGE_MAX).replace("%1", str(high))
    text = _PROBLEM_MESSAGES.get(code)
    if text is None:
        return translate("Problems", _PROBLEM_FALLBACK)
    argument = params.get("max_length", params.get("id_birth_date", params.get("min", "")))
    return translate("Problems", text).replace("%1", str(argument))
