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


ADDRESS_PARTS = ("estate", "building", "unit", "room")
"""The fields a household's address is made of; ``address`` follows them."""


def place(household: Mapping[str, Any]) -> str:
    """``颐和新村3栋2单元301室``: the estate and the flat, as the address ends."""
    return f"{household.get('estate') or ''}" + flat(
        household.get("building"), household.get("unit"), household.get("room"))


def derived_address(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """The household's full address once its parts went from ``before`` to ``after``.

    The address and the parts are one fact: the address is what it said before the estate
    (the district and street, ``南京市鼓楼区宁海路街道``), then the estate and the flat
    (:func:`place`). An address that does not end with the old parts (typed by hand, or
    a household without them) keeps the text before the old estate, if it names it.
    The client (for what it shows at once) and the server (for what it keeps) both
    derive it with this, whatever address a client sent with new parts.
    """
    old = str(before.get("address") or "")
    old_place = place(before)
    estate = str(before.get("estate") or "")
    if old_place and old.endswith(old_place):
        locality = old[: len(old) - len(old_place)]
    elif estate and estate in old:
        locality = old[: old.index(estate)]
    else:
        locality = ""
    return (locality + place(after)) or None


def parts_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    return any((before.get(name) or None) != (after.get(name) or None)
               for name in ADDRESS_PARTS)
