"""The pull's bulk write (``sync.apply``): wire values go straight to what the store keeps.

The rows it writes must be exactly what SQLAlchemy's column types make of the Python
values (what every other write path stores), and a value the wire refuses must be
refused with the same words as ``records.value_from_wire``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.records import ENTITIES, Kind, WireError, value_from_wire
from gulou_desk.store.engine import Store, open_store
from gulou_desk.store.rows import python_fields
from gulou_desk.store.schema import RECORD_TABLES, SYNC_VERSION
from server.demo_data import generate
from sync.apply import BadChange, apply_page
from sync.wire import Change, PullResponse


def _nested(depth: int) -> list[Any]:
    value: list[Any] = ["x"]
    for _ in range(depth - 1):
        value = [value]
    return value


def _raw(store: Store, entity: str) -> list[tuple[Any, ...]]:
    table = RECORD_TABLES[entity].name
    with store.session() as s:
        return [tuple(r) for r in s.connection().exec_driver_sql(
            f'SELECT * FROM "{table}" ORDER BY id')]


def _orm_write(store: Store, entity: str, rows: list[tuple[str, dict[str, Any], int]]) -> None:
    """What the pull wrote before: Python values through SQLAlchemy's column types."""
    spec = ENTITIES[entity]
    table = RECORD_TABLES[entity]
    with store.write() as session:
        for rid, data, version in rows:
            values = python_fields(spec, data)
            full = {f.name: values.get(f.name, f.empty_value()) for f in spec.fields}
            session.execute(sa.insert(table).values(id=rid, **full,
                                                    **{SYNC_VERSION: version}))


@pytest.fixture
def two_stores(tmp_path: Path) -> Any:
    a, b = open_store(tmp_path / "a.sqlite"), open_store(tmp_path / "b.sqlite")
    yield a, b
    a.close()
    b.close()


def test_pulled_rows_are_stored_as_the_column_types_store_them(two_stores: Any) -> None:
    bulk, orm = two_stores
    taken: dict[str, list[tuple[str, dict[str, Any], int]]] = {}
    version = 0
    for batch in generate("demo", today=dt.date(2026, 11, 30)):
        spec = records.entity(batch.entity)
        rows = taken.setdefault(batch.entity, [])
        for row in batch.rows[:150 - len(rows)]:
            version += 1
            rows.append((row["id"], records.to_wire(spec, row), version))
    assert {"household", "resident", "visit", "ticket"} <= set(taken)
    for entity, rows in taken.items():
        # Some fields left out (a newer or older server): they become their empty value.
        spec = ENTITIES[entity]
        rows = [(rid, {k: v for k, v in data.items() if i % 3 or k != spec.fields[-1].name},
                 version) for i, (rid, data, version) in enumerate(rows)]
        with bulk.write() as session:
            apply_page(session, [Change(entity=entity, id=rid, op="upsert", version=v,
                                        data=data) for rid, data, v in rows], "c")
        _orm_write(orm, entity, rows)
        assert _raw(bulk, entity) == _raw(orm, entity), entity


def test_every_kind_of_value_is_stored_as_the_column_type_stores_it(two_stores: Any) -> None:
    """Nulls, empty values and the edges of each kind, field by field."""
    bulk, orm = two_stores
    samples: dict[Kind, list[Any]] = {
        Kind.INT: [None, 0, -(2**31), 2**31 - 1],
        Kind.FLOAT: [None, 0, 1.5, -3],
        Kind.BOOL: [None, True, False],
        Kind.DATE: [None, "2026-02-28"],
        Kind.DATETIME: [None, "2026-11-28T09:30:00+08:00", "2026-11-28T01:30:00.123456Z",
                        "2026-11-28T01:30:00-05:30",
                        # whole hours of offset (the quick path): the date changes too
                        "2026-01-01T03:15:07+08:00", "2025-12-31T22:59:59-05:00",
                        "2026-03-01T07:59:59+08:00", "2026-03-01T00:00:00+00:00"],
        Kind.JSON_LIST: [None, [], ["张", "a\\u"], [1, 2.5, True, None], [["nested"]],
                         ["[{", "null", "]]]"], _nested(31)],
        Kind.JSON_OBJECT: [None, {}, {"键": "值", "n": 1}, {"deep": {"x": [1]}}],
    }
    for entity, spec in ENTITIES.items():
        rows = []
        for f in spec.fields:
            values = samples.get(f.kind)
            if values is None:  # text: the first choice, or some Chinese text
                limit = records.text_limit(f) or 100
                values = [None, f.choices[0] if f.choices else "鼓楼区 12栋"[:limit]]
            for i, value in enumerate(values):
                rows.append((f"{f.name}-{i}"[:36], {f.name: value}, i + 1))
        with bulk.write() as session:
            apply_page(session, [Change(entity=entity, id=rid, op="upsert", version=v,
                                        data=data) for rid, data, v in rows], "c")
        _orm_write(orm, entity, rows)
        assert _raw(bulk, entity) == _raw(orm, entity), entity


@pytest.mark.parametrize(("kind", "value"), [
    (Kind.TEXT, 12), (Kind.TEXT, "a\x00b"), (Kind.TEXT, "\ud800"), (Kind.STR, "x" * 500),
    (Kind.INT, 2**40), (Kind.INT, True), (Kind.INT, 1.0), (Kind.FLOAT, float("nan")),
    (Kind.FLOAT, "1"), (Kind.BOOL, 1), (Kind.DATE, "2026-13-01"), (Kind.DATE, "1700-01-01"),
    (Kind.DATE, ""), (Kind.DATE, "2026-02-30"),
    (Kind.DATETIME, "2026-11-28T09:30:00"), (Kind.DATETIME, "2026-11-28T09:30:00+08:00:30"),
    (Kind.DATETIME, "1800-01-01T00:00:00+00:00"), (Kind.DATETIME, 5),
    (Kind.JSON_LIST, {"a": 1}), (Kind.JSON_LIST, ["a\x00"]), (Kind.JSON_OBJECT, []),
    (Kind.JSON_OBJECT, {"x": float("inf")}), (Kind.JSON_LIST, [{"k": "\ud800"}]),
    (Kind.DATETIME, "2026-02-30T09:30:00+08:00"), (Kind.DATETIME, "2026-11-28T24:30:00+08:00"),
    (Kind.DATETIME, "2026-11-28T09:30:60+08:00"), (Kind.DATETIME, "2026-11-28T09:30:00+25:00"),
    (Kind.JSON_LIST, [float("nan")]),
    (Kind.JSON_LIST, _nested(33)), (Kind.JSON_LIST, ["a\x00", "[", "{"]),
])
def test_a_value_the_wire_refuses_is_refused_with_its_words(
        local_store: Store, kind: Kind, value: Any) -> None:
    entity, field = next((e, f) for e, s in ENTITIES.items() for f in s.fields
                         if f.kind is kind and f.choices is None)
    with pytest.raises(WireError) as expected:
        value_from_wire(field, value)
    with pytest.raises(BadChange) as refused, local_store.write() as session:
        apply_page(session, [Change(entity=entity, id="r1", op="upsert", version=1,
                                    data={field.name: value})], "c")
    assert str(expected.value) in str(refused.value)


def test_a_choice_field_refuses_what_is_not_a_choice(local_store: Store) -> None:
    entity, field = next((e, f) for e, s in ENTITIES.items() for f in s.fields
                         if f.choices is not None)
    with pytest.raises(BadChange, match="must be one of"), local_store.write() as session:
        apply_page(session, [Change(entity=entity, id="r1", op="upsert", version=1,
                                    data={field.name: "no such choice"})], "c")


@pytest.mark.parametrize("data", [None, [], ["a"], "text", 5, True])
def test_an_upsert_whose_data_is_not_an_object_is_refused(local_store: Store,
                                                           data: Any) -> None:
    """The client takes a change's ``data`` as the JSON parser made it (no copy, no
    check in the wire model: sync/wire.py ``Change``): the apply refuses anything but an
    object, naming the record, and writes nothing."""
    answer = {"cursor": "c", "has_more": False,
              "changes": [{"entity": "household", "id": "h1", "op": "upsert", "version": 3,
                           "data": data}]}
    page = PullResponse.model_validate(answer)
    assert page.changes[0].data is data
    with pytest.raises(BadChange, match="household h1"), local_store.write() as session:
        apply_page(session, page.changes, page.cursor)
    assert _raw(local_store, "household") == []


def _households(n: int) -> list[dict[str, Any]]:
    batch = next(b for b in generate("demo", today=dt.date(2026, 11, 30))
                 if b.entity == "household")
    return [records.to_wire(records.HOUSEHOLD, row) | {"id": row["id"]}
            for row in batch.rows[:n]]


def _written(store: Store, changes: list[Change]) -> int:
    """Rows the apply of ``changes`` wrote, its triggers' and its cursor's included
    (SQLite's count of the connection's changes)."""
    with store.write() as session:
        conn = session.connection()
        before = conn.exec_driver_sql("SELECT total_changes()").scalar_one()
        apply_page(session, changes, "c")
        return int(conn.exec_driver_sql("SELECT total_changes()").scalar_one()) - before


def test_a_record_pulled_again_as_held_is_not_written_again(local_store: Store) -> None:
    """A re-pull sends every record again, nearly all of them as the store holds them:
    the same version with the same fields leaves the row alone (no write, no index or
    trigger work). A newer version, or the same version with other fields (a push the
    server took with changes: its record comes back at the version the push was told),
    is written; an older one never."""
    rows = _households(4)

    def page(version: int, **changed: Any) -> list[Change]:
        return [Change(entity="household", id=r["id"], op="upsert", version=version,
                       data={k: v for k, v in r.items() if k != "id"} | changed)
                for r in rows]

    cursor_only = _written(local_store, [])
    assert _written(local_store, page(5)) > cursor_only
    held = _raw(local_store, "household")
    assert _written(local_store, page(5)) == cursor_only
    assert _raw(local_store, "household") == held
    assert _written(local_store, page(5, notes="服务器改过")) > cursor_only
    assert all("服务器改过" in row for row in _raw(local_store, "household"))
    assert _written(local_store, page(4, notes="更早的")) == cursor_only
    assert _written(local_store, page(6, notes="服务器改过")) > cursor_only
    with local_store.session() as s:
        assert set(s.scalars(sa.select(RECORD_TABLES["household"].c[SYNC_VERSION]))) == {6}


@pytest.mark.parametrize("bad", [
    [float("nan")], ["null", {"x": float("-inf")}], {"deep": _nested(32)},
    ["a\x00"], {"k\x00": 1}, ["\udc80"], {"figures": [1.5, {"n": [float("inf")]}]},
])
def test_one_bad_json_value_among_many_good_ones_is_refused_naming_its_record(
        local_store: Store, bad: Any) -> None:
    """JSON columns are checked a page's column at a time: one value the wire refuses,
    amid values that pass, is still found and named."""
    entity, field = next((e, f) for e, s in ENTITIES.items() for f in s.fields
                         if f.kind is (Kind.JSON_LIST if type(bad) is list
                                       else Kind.JSON_OBJECT))
    good: list[Any] = ([[], ["张"], [1, None, 2.5], ["null"], _nested(30)]
                       if type(bad) is list else [{}, {"a": None}, {"b": [1.5, "x"]}])
    values = [good[i % len(good)] for i in range(60)]
    values.insert(37, bad)
    with pytest.raises(WireError) as expected:
        value_from_wire(field, bad)
    with pytest.raises(BadChange) as refused, local_store.write() as session:
        apply_page(session, [Change(entity=entity, id=f"r{i}", op="upsert", version=1,
                                    data={field.name: v}) for i, v in enumerate(values)],
                   "c")
    assert "r37" in str(refused.value) and str(expected.value) in str(refused.value)
