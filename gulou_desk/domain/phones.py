"""Phone numbers as people in Nanjing write them: mobiles, landlines, local numbers.

Accepted (spaces, dashes, brackets and full-width characters are ignored):

- mainland mobiles ``1[3-9]xxxxxxxxx``, optionally after ``+86`` / ``0086`` / ``86``;
- landlines with an area code: ``010`` and ``02x`` have three digits, every other
  ``0xxx`` four; then a 7- or 8-digit local number not starting with 0 or 1
  (``025-83331234``, ``(0516) 8312 3456``, ``+86 25 8333 1234``);
- an 8-digit local number, taken as Nanjing (025);
- with ``service=True`` (the service catalogue) also ``400``/``800`` numbers and short
  service numbers (``12345``, ``12349``, ``110``, ``95588``, ``96xxx``).

Canonical forms (:func:`normalize_phone`): ``13912345678``, ``025-83331234``,
``400-123-4567``, ``12345``.
"""

from __future__ import annotations

import enum
import re
import unicodedata


class PhoneProblem(enum.StrEnum):
    EMPTY = "phone_empty"
    INVALID = "phone_invalid"


NANJING_AREA_CODE = "025"

_SEPARATORS = re.compile(r"[\s\-()]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_TOLL_FREE = re.compile(r"[48]00\d{7}")
_SHORT_SERVICE = re.compile(r"1\d{2,4}|9[56]\d{3,4}")


def _canonical(text: str, *, service: bool) -> str | None:
    """The canonical form of a valid number, else ``None``."""
    s = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if s.startswith("+86"):
        s = s[3:]
        international = True
    elif s.startswith("0086"):
        s = s[4:]
        international = True
    elif s.startswith("86") and len(s) == 13 and _MOBILE.fullmatch(s[2:]):
        s = s[2:]
        international = True
    else:
        international = False
    if not s.isdigit() or not s.isascii():
        return None
    if _MOBILE.fullmatch(s):
        return s
    if international:
        # +86 25 8333 1234: the trunk prefix 0 is dropped after the country code.
        if s.startswith("0"):
            return None
        s = "0" + s
    if s.startswith("0"):
        if len(s) < 10:  # the shortest: a 3-digit area code and 7 digits
            return None
        area_len = 3 if s[1] in "12" else 4
        area, local = s[:area_len], s[area_len:]
        if area[1] != "0" and _LOCAL.fullmatch(local):
            return f"{area}-{local}"
        return None
    if len(s) == 8 and _LOCAL.fullmatch(s):
        return f"{NANJING_AREA_CODE}-{s}"
    if service and _TOLL_FREE.fullmatch(s):
        return f"{s[:3]}-{s[3:6]}-{s[6:]}"
    if service and _SHORT_SERVICE.fullmatch(s):
        return s
    return None


def check_phone(text: str, *, service: bool = False) -> str | None:
    """``None`` when ``text`` is a valid phone number, else a :class:`PhoneProblem` code.

    ``service=True`` also accepts hotline numbers (400/800, 12345 …), which a
    resident's own phone never is.
    """
    if not text or not text.strip():
        return PhoneProblem.EMPTY.value
    if _canonical(text, service=service) is None:
        return PhoneProblem.INVALID.value
    return None


def normalize_phone(text: str, *, service: bool = False) -> str:
    """The canonical form of a valid number; an invalid one comes back stripped."""
    canonical = _canonical(text, service=service)
    return canonical if canonical is not None else text.strip()
