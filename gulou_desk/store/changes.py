"""What a write changed, so that each view refreshes only what concerns it.

Every use case returns a :class:`ChangeSet`; the UI carries it in one signal and each view
asks ``changes.touches("household")`` (or looks at the ids) before reloading anything.
Besides entity names, a change set may name the store's own tables (:data:`OUTBOX`,
:data:`CONFLICTS`, :data:`REJECTIONS`, :data:`DRAFTS`), so that the status bar's pending
count or the conflicts panel refresh too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

OUTBOX = "outbox"
CONFLICTS = "conflicts"
REJECTIONS = "rejections"
DRAFTS = "drafts"


def _freeze(ids: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({k: frozenset(v) for k, v in ids.items() if v})


@dataclass(frozen=True)
class ChangeSet:
    """Entities (and store tables) that changed, with the ids changed where known.

    ``entities`` always holds every key of ``ids``. An entity in ``entities`` with no ids
    means "something in it changed" (a view of it reloads what it shows).
    """

    entities: frozenset[str] = frozenset()
    ids: Mapping[str, frozenset[str]] = field(default_factory=lambda: _freeze({}))

    def __post_init__(self) -> None:
        ids = _freeze(self.ids)
        object.__setattr__(self, "ids", ids)
        object.__setattr__(self, "entities", frozenset(self.entities) | frozenset(ids))

    @classmethod
    def of(cls, entity: str, *ids: str) -> ChangeSet:
        """One entity, with the given ids."""
        return cls(frozenset({entity}), {entity: frozenset(ids)} if ids else {})

    @classmethod
    def tables(cls, *names: str) -> ChangeSet:
        """Entities or store tables changed, ids unknown."""
        return cls(frozenset(names))

    @classmethod
    def from_ids(cls, ids: Mapping[str, Iterable[str]]) -> ChangeSet:
        """From ``entity → ids`` (the shape of ``SyncReport.changed``)."""
        return cls(frozenset(ids), _freeze(ids))

    def touches(self, entity: str) -> bool:
        return entity in self.entities

    def touches_record(self, entity: str, record_id: str) -> bool:
        """Whether this record may have changed (also true when only the entity is known)."""
        if entity not in self.entities:
            return False
        ids = self.ids.get(entity)
        return ids is None or record_id in ids

    def ids_of(self, entity: str) -> frozenset[str]:
        return self.ids.get(entity, frozenset())

    def __or__(self, other: ChangeSet) -> ChangeSet:
        if not isinstance(other, ChangeSet):
            return NotImplemented
        merged: dict[str, frozenset[str]] = dict(self.ids)
        for entity, ids in other.ids.items():
            merged[entity] = merged.get(entity, frozenset()) | ids
        return ChangeSet(self.entities | other.entities, merged)

    def __bool__(self) -> bool:
        return bool(self.entities)

    def __hash__(self) -> int:
        return hash((self.entities, frozenset(self.ids.items())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChangeSet):
            return NotImplemented
        return self.entities == other.entities and dict(self.ids) == dict(other.ids)

    def __repr__(self) -> str:
        parts = [
            f"{e}:{len(self.ids[e])}" if e in self.ids else e for e in sorted(self.entities)
        ]
        return f"ChangeSet({', '.join(parts)})"


NO_CHANGES = ChangeSet()
