"""Sentences for what a visit form's validator and the photo import say (codes → words).

The validator (:func:`gulou_desk.domain.forms.validate_answers`, the server's own) and
:mod:`gulou_desk.store.photos` return codes; this module adds the codes only forms and
photos have and hands every other code to :func:`ui.errors.describe_problem`, the one
mapping of validation codes, so no sentence exists twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.errors import describe_problem
from ui.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate

_FORM_MESSAGES: dict[str, str] = {
    "out_of_range": QT_TRANSLATE_NOOP(
        "VisitProblems", "Outside the allowed range %1–%2: check the value."),
    "below_min": QT_TRANSLATE_NOOP("VisitProblems", "Must be at least %1."),
    "above_max": QT_TRANSLATE_NOOP("VisitProblems", "Must be at most %1."),
    "not_a_number": QT_TRANSLATE_NOOP("VisitProblems", "Enter a number."),
    "not_an_integer": QT_TRANSLATE_NOOP("VisitProblems", "Enter a whole number."),
    "pattern": QT_TRANSLATE_NOOP(
        "VisitProblems", "This does not have the expected form (see the hint)."),
    "not_a_date": QT_TRANSLATE_NOOP("VisitProblems", "Choose a date."),
    "not_a_bool": QT_TRANSLATE_NOOP("VisitProblems", "Choose yes or no."),
    "not_a_text": QT_TRANSLATE_NOOP("VisitProblems", "Enter some text."),
    "invalid_photo": QT_TRANSLATE_NOOP("VisitProblems", "A photo of this visit is damaged."),
    "too_many_photos": QT_TRANSLATE_NOOP("VisitProblems", "At most %1 photos."),
    "unknown_template": QT_TRANSLATE_NOOP(
        "VisitProblems", "This visit form is not on this computer yet: sync first."),
    "template_version": QT_TRANSLATE_NOOP(
        "VisitProblems", "The visit form has changed meanwhile: open the visit again."),
}

_PHOTO_MESSAGES: dict[str, str] = {
    "not_found": QT_TRANSLATE_NOOP("PhotoErrors", "The file no longer exists."),
    "unreadable": QT_TRANSLATE_NOOP("PhotoErrors", "The file cannot be read."),
    "too_large": QT_TRANSLATE_NOOP(
        "PhotoErrors", "The file is too big (more than %1 MB). Choose a smaller picture."),
    "not_an_image": QT_TRANSLATE_NOOP(
        "PhotoErrors", "This is not a picture: choose a JPEG, PNG or WebP photo."),
    "corrupt": QT_TRANSLATE_NOOP("PhotoErrors", "The picture is damaged and cannot be opened."),
    "too_many_pixels": QT_TRANSLATE_NOOP(
        "PhotoErrors", "The picture is too large (too many pixels)."),
    "hash_mismatch": QT_TRANSLATE_NOOP("PhotoErrors", "The picture is damaged."),
}
_PHOTO_FALLBACK = QT_TRANSLATE_NOOP("PhotoErrors", "The picture could not be added.")


def describe_form_problem(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence shown under a form field for a validator problem code."""
    params = params or {}
    if code in ("below_min", "above_max") and "min" in params and "max" in params:
        # The whole range; the value stays in the field as typed, never cut to fit.
        return translate("VisitProblems", _FORM_MESSAGES["out_of_range"]).replace(
            "%1", _number(params["min"])).replace("%2", _number(params["max"]))
    text = _FORM_MESSAGES.get(code)
    if text is None:
        return describe_problem(code, params)
    argument = params.get("min", params.get("max", ""))
    if code == "above_max":
        argument = params.get("max", "")
    return translate("VisitProblems", text).replace("%1", _number(argument))


def describe_photo_error(code: str, limit: int | None = None) -> str:
    """The sentence for a :class:`gulou_desk.store.photos.PhotoError` code."""
    text = _PHOTO_MESSAGES.get(code, _PHOTO_FALLBACK)
    megabytes = "" if limit is None else str(round(limit / (1024 * 1024)))
    return translate("PhotoErrors", text).replace("%1", megabytes)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
