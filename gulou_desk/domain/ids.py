"""Resident ID numbers (居民身份证号码, GB 11643-1999): 18 characters with a check digit."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")
# First digit of the region code: the provinces' groups (1 north … 8 Hong Kong/Macau/Taiwan).
_REGION_FIRST = set("12345678")


class IdProblem(enum.StrEnum):
    EMPTY = "id_empty"
    LENGTH = "id_length"
    CHARACTERS = "id_characters"
    REGION = "id_region"
    BIRTH_DATE = "id_birth_date"
    CHECK_DIGIT = "id_check_digit"


@dataclass(frozen=True, slots=True)
class IdInfo:
    region: str
    birth_date: dt.date
    gender: str  # "male" / "female"


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(text: str) -> str:
    """Strip spaces and upper-case a trailing x, as people type it."""
    return "".join(text.split()).upper()


def check_id_number(text: str, *, today: dt.date | None = None) -> IdProblem | None:
    """The first problem with an ID number, or ``None`` when it is valid."""
    try:
        parse_id_number(text, today=today)
    except IdNumberError as exc:
        return exc.problem
    return None


class IdNumberError(ValueError):
    def __init__(self, problem: IdProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def parse_id_number(text: str, *, today: dt.date | None = None) -> IdInfo:
    """Region, birth date and gender of a valid ID number; :class:`IdNumberError` if not."""
    value = normalize_id_number(text)
    if not value:
        raise IdNumberError(IdProblem.EMPTY, "ID number is empty")
    if len(value) != 18:
        raise IdNumberError(IdProblem.LENGTH, f"ID number has {len(value)} characters, not 18")
    if not _SHAPE.match(value):
        raise IdNumberError(IdProblem.CHARACTERS, "ID number must be 17 digits and a digit or X")
    if value[0] not in _REGION_FIRST:
        raise IdNumberError(IdProblem.REGION, "ID number has no valid region code")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError(IdProblem.BIRTH_DATE, "ID number has no real birth date") from exc
    today = today or dt.date.today()
    if birth > today or birth.year < 1880:
        raise IdNumberError(IdProblem.BIRTH_DATE, "ID number's birth date is out of range")
    if check_digit(value[:17]) != value[17]:
        raise IdNumberError(IdProblem.CHECK_DIGIT, "ID number's check digit is wrong")
    gender = "male" if int(value[16]) % 2 == 1 else "female"
    return IdInfo(region=value[:6], birth_date=birth, gender=gender)


def make_id_number(region: str, birth_date: dt.date, sequence: int, gender: str) -> str:
    """A valid ID number (for demo data): ``sequence`` 0..499 picks the order code."""
    seq = (sequence % 500) * 2 + (1 if gender == "male" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
