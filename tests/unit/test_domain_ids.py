"""Resident ID numbers (ids.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gulou_desk.domain.ids import (
    IdNumberError,
    IdProblem,
    check_digit,
    check_id_number,
    make_id_number,
    normalize_id_number,
    parse_id_number,
)

TODAY = dt.date(2026, 11, 28)
KNOWN_VALID = "11010519491231002X"


def test_known_valid_number() -> None:
    info = parse_id_number(KNOWN_VALID, today=TODAY)
    assert info.region == "110105"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "female"  # 17th digit 2 is even
    assert check_id_number(KNOWN_VALID, today=TODAY) is None


def test_lower_case_x_and_spaces_are_accepted() -> None:
    assert normalize_id_number(" 110105 19491231 002x ") == KNOWN_VALID
    assert check_id_number("11010519491231002x", today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", IdProblem.EMPTY),
        ("   ", IdProblem.EMPTY),
        ("11010519491231002", IdProblem.LENGTH),
        ("11010519491231002X1", IdProblem.LENGTH),
        ("1101051949123100ZX", IdProblem.CHARACTERS),
        ("01010519491231002X", IdProblem.CHARACTERS),  # cannot start with 0
        ("91010519491231002X", IdProblem.REGION),
        ("110105194912310021", IdProblem.CHECK_DIGIT),
        ("110105194912310020", IdProblem.CHECK_DIGIT),
        ("320106" "20260230" "0011", IdProblem.BIRTH_DATE),  # Feb 30
        ("320106" "20251301" "0011", IdProblem.BIRTH_DATE),  # month 13
        ("320106" "18790101" "0011", IdProblem.BIRTH_DATE),  # too early
    ],
)
def test_invalid_numbers(text: str, problem: IdProblem) -> None:
    assert check_id_number(text, today=TODAY) is problem
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(text, today=TODAY)
    assert exc.value.problem is problem


def test_birth_date_after_today_is_refused() -> None:
    tomorrow = make_id_number("320106", dt.date(2026, 11, 29), 1, "male")
    assert check_id_number(tomorrow, today=TODAY) is IdProblem.BIRTH_DATE
    assert check_id_number(tomorrow, today=dt.date(2026, 11, 29)) is None


def test_every_wrong_check_digit_is_refused() -> None:
    first17 = KNOWN_VALID[:17]
    for c in "0123456789X":
        expected = None if c == check_digit(first17) else IdProblem.CHECK_DIGIT
        assert check_id_number(first17 + c, today=TODAY) is expected


@given(
    region=st.sampled_from(["320106", "320113", "110105", "440305", "810000"]),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=10_000),
    gender=st.sampled_from(["male", "female"]),
)
def test_make_then_parse_round_trip(
    region: str, birth: dt.date, sequence: int, gender: str
) -> None:
    number = make_id_number(region, birth, sequence, gender)
    info = parse_id_number(number, today=TODAY)
    assert (info.region, info.birth_date, info.gender) == (region, birth, gender)
    assert parse_id_number(number.lower(), today=TODAY) == info


@given(st.text(max_size=20))
def test_check_never_raises(text: str) -> None:
    result = check_id_number(text, today=TODAY)
    assert result is None or isinstance(result, IdProblem)
