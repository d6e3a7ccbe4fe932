"""The typed record dicts (``gulou_desk/record_types.py``) follow ``records.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gulou_desk import record_types, records

ROOT = Path(__file__).resolve().parents[2]


def test_the_typed_dicts_are_generated_from_records_as_they_are_now() -> None:
    result = subprocess.run([sys.executable, "scripts/record_types.py", "--check"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_record_has_its_typed_dict_with_every_field() -> None:
    assert set(record_types.ENTITY_TYPES) == set(records.ENTITIES)
    for name, spec in records.ENTITIES.items():
        keys = record_types.ENTITY_TYPES[name].__annotations__
        assert list(keys) == ["id", *spec.field_names, "sync_version"], name


def test_typed_refuses_an_entity_that_is_not_a_record() -> None:
    row = {"id": "h1", "head_name": "张三"}
    assert record_types.typed("household", row) is row
    assert record_types.typed("household", None) is None
    with pytest.raises(KeyError):
        record_types.typed("housheold", row)  # type: ignore[call-overload]
