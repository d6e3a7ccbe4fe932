"""Phone numbers (phones.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gulou_desk.domain.phones import PhoneProblem, check_phone, normalize_phone


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("0086 13912345678", "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),  # full-width digits
        ("19912345678", "19912345678"),
        ("025-83331234", "025-83331234"),
        ("02583331234", "025-83331234"),
        ("(025) 8333 1234", "025-83331234"),
        ("+86 25 8333 1234", "025-83331234"),
        ("010-62345678", "010-62345678"),
        ("0516-83123456", "0516-83123456"),
        ("0516-8312345", "0516-8312345"),
        ("83331234", "025-83331234"),
        ("8333 1234", "025-83331234"),
    ],
)
def test_valid_phones(text: str, canonical: str) -> None:
    assert check_phone(text) is None
    assert normalize_phone(text) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "12912345678",  # no 12x mobiles
        "1391234567",  # 10 digits
        "139123456789",  # 12 digits
        "025-0333123",  # local number starting with 0
        "025-1333123",  # local number starting with 1
        "025-833312345",  # 9-digit local
        "025-833312",  # 6-digit local
        "003-83331234",  # no 00x area codes
        "8333123",  # 7-digit local needs an area code
        "03331234",  # local numbers do not start with 0
        "+86 025 83331234",  # trunk 0 after +86
        "13912345678a",
        "tel:13912345678",
        "12345",
        "400-123-4567",
        "一三九",
        "0",
        "02",
        "+86",
        "+860",
        "0251234567",  # the local part starts with 1
    ],
)
def test_invalid_phones(text: str) -> None:
    assert check_phone(text) == PhoneProblem.INVALID
    assert normalize_phone(f"  {text} ") == text


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_phone(text: str) -> None:
    assert check_phone(text) == "phone_empty"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("12345", "12345"), ("12349", "12349"), ("110", "110"), ("95588", "95588"),
     ("400-123-4567", "400-123-4567"), ("8008208820", "800-820-8820"),
     ("025-83331234", "025-83331234")],
)
def test_service_numbers(text: str, canonical: str) -> None:
    assert check_phone(text, service=True) is None
    assert normalize_phone(text, service=True) == canonical


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_is_valid(number: str) -> None:
    assert check_phone(number) is None
    assert normalize_phone(f"+86 {number[:3]}-{number[3:7]} {number[7:]}") == number


@given(st.text(max_size=24))
def test_normalized_valid_numbers_stay_valid(text: str) -> None:
    if check_phone(text) is None:
        canonical = normalize_phone(text)
        assert check_phone(canonical) is None
        assert normalize_phone(canonical) == canonical
