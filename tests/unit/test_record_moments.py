"""records.moment_or_none: a time the server sent or the store kept, read once for all."""

from __future__ import annotations

import datetime as dt

from gulou_desk.records import moment_or_none


def test_a_moment_is_a_time_with_its_offset_and_anything_else_is_none() -> None:
    moment = moment_or_none("2026-12-05T10:30:00+08:00")
    assert moment is not None and moment.utcoffset() == dt.timedelta(hours=8)
    for value in (None, 42, "", "yesterday", "2026-12-05T10:30:00"):
        assert moment_or_none(value) is None
