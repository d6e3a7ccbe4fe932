"""Which community (or street) a WeChat group's name names: "汇林绿洲3栋业主群" is a group
of 汇林绿洲社区, "江东街道志愿者群" one of 江东街道.

The server proposes that place for a group the 鼓宝 bot forwards from but nobody mapped
(``wechat_group.proposed_community_id`` / ``proposed_street_id``): the group and its
waiting messages are then in the scope of that community's clerks, who map it in one step
(or say it is not theirs). A name is matched on the place's name without its suffix
(社区, 街道); the longest match wins, so "龙江" does not take a group of "龙江新村" when
both are communities; a stem shorter than two characters never matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

COMMUNITY_SUFFIX = "社区"
STREET_SUFFIX = "街道"
MIN_STEM = 2


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    street_id: str | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    community_id: str | None
    street_id: str | None


def _stem(name: str, suffix: str) -> str:
    return name.strip().removesuffix(suffix)


def community_stem(name: str) -> str:
    """A community's name as its estates and groups use it: "汇林绿洲社区" → "汇林绿洲"
    (the demo names its grids, estates and groups from it; :func:`propose` finds it in a
    group's name)."""
    return _stem(name, COMMUNITY_SUFFIX)


def _named(group_name: str, places: Iterable[Place], suffix: str) -> Place | None:
    best: tuple[int, str, Place] | None = None
    for place in places:
        for stem in {place.name.strip(), _stem(place.name, suffix)}:
            if len(stem) >= MIN_STEM and stem in group_name:
                candidate = (len(stem), place.id, place)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return best[2] if best else None


def propose(group_name: str | None, communities: Iterable[Place],
            streets: Iterable[Place]) -> Proposal:
    """The community the name names (with its street), else only the street it names,
    else nothing."""
    name = (group_name or "").strip()
    if not name:
        return Proposal(None, None)
    community = _named(name, communities, COMMUNITY_SUFFIX)
    if community is not None:
        return Proposal(community.id, community.street_id)
    street = _named(name, streets, STREET_SUFFIX)
    return Proposal(None, street.id if street else None)
