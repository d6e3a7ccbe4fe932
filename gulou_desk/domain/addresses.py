"""How a household's address is said: ``颐和新村 3栋2单元301室``.

The parts are Chinese data (building 栋, unit 单元, room 室), written the way residents
and social workers say them; every list that names a household uses these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FLAT_PARTS = (("building", "栋"), ("unit", "单元"), ("room", "室"))


def flat(building: object = None, unit: object = None, room: object = None) -> str:
    """``3栋2单元301室`` (the parts that are set)."""
    return "".join(f"{value}{suffix}" for value, (_, suffix)
                   in zip((building, unit, room), FLAT_PARTS, strict=True) if value)


def short_address(estate: str | None, building: object = None, unit: object = None,
                  room: object = None, address: str | None = None) -> str:
    """The estate and the flat (``颐和新村 3栋2单元301室``); without a flat, the full
    address or the estate."""
    where = flat(building, unit, room)
    if where:
        return f"{estate or ''} {where}"
    return address or estate or ""


def household_line(household: Mapping[str, Any]) -> str:
    """``张三 · 颐和新村 3栋2单元301室``: whose household and where."""
    where = flat(household.get("building"), household.get("unit"), household.get("room"))
    return f"{household.get('head_name') or ''} · {household.get('estate') or ''} {where}".strip()
