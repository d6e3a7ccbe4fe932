"""The local store encrypted at rest (SQLCipher): unreadable without its key, user-only
files, and a plaintext store from before the upgrade encrypted in place, edits intact."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

from gulou_desk.db import sqlite_engine
from gulou_desk.domain.workflows import Actor
from gulou_desk.store import cipher
from gulou_desk.store.drafts import list_drafts
from gulou_desk.store.engine import (
    Store,
    alembic_config,
    current_revision,
    migrate,
    open_store,
    sqlite_url,
)
from gulou_desk.store.outbox import pending_count, pending_fields
from gulou_desk.store.schema import RECORD_TABLES, Outbox
from gulou_desk.store.usecases import create_record, update_record
from tests.unit.conftest import GRID

ID_NUMBER = "320106198001010062"
PHONE = "13912345678"
MAIN_HEAD = "0004"
"""The store's revision on main before encryption came: the plaintext stores out there."""
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.fixture
def key() -> bytes:
    return cipher.new_key()


def _write_resident(store: Store, worker: Actor) -> str:
    household, _ = create_record(store, "household", {
        "grid_id": GRID, "estate": "汇林绿洲", "building": "12", "unit": "1", "room": "302",
        "head_name": "张雪", "phone": PHONE, "status": "active"}, actor=worker)
    create_record(store, "resident", {
        "household_id": household, "name": "张雪", "gender": "female",
        "birth_date": dt.date(1980, 1, 1), "id_number": ID_NUMBER, "phone": PHONE,
        "relation": "户主", "status": "active"}, actor=worker)
    return household


def _outbox(session: Session) -> list[tuple[str, str, object]]:
    return [(m.mutation_id, m.op, m.fields)
            for m in session.scalars(sa.select(Outbox).order_by(Outbox.seq))]


def _files(path: Path) -> list[Path]:
    return [p for p in [path, *cipher.side_files(path)] if p.exists()]


def _grep(path: Path, *needles: str) -> list[str]:
    found = []
    for file in _files(path):
        data = file.read_bytes()
        for needle in needles:
            for form in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                if form in data:
                    found.append(f"{file.name}: {needle}")
    return found


def test_plain_sqlite_cannot_read_the_store_nor_find_a_resident_in_it(
    store_path: Path, key: bytes, worker: Actor
) -> None:
    store = open_store(store_path, key=key)
    try:
        _write_resident(store, worker)
        # The WAL holds the writes (not checkpointed yet): it is encrypted too.
        assert store_path.with_name(store_path.name + "-wal").stat().st_size > 0
        assert _grep(store_path, ID_NUMBER, PHONE, "张雪", "汇林绿洲") == []
        plain = sqlite3.connect(store_path)
        try:
            with pytest.raises(sqlite3.DatabaseError, match="not a database"):
                plain.execute("SELECT * FROM sqlite_master").fetchall()
        finally:
            plain.close()
    finally:
        store.close()
    assert _grep(store_path, ID_NUMBER, PHONE, "张雪") == []
    # The same file with its key is a working store.
    with open_store(store_path, key=key) as again, again.session() as session:
        residents = RECORD_TABLES["resident"]
        assert session.execute(sa.select(residents.c.id_number)).scalar_one() == ID_NUMBER


def test_without_its_key_the_store_is_refused_and_left_as_it_was(
    store_path: Path, key: bytes, worker: Actor
) -> None:
    with open_store(store_path, key=key) as store:
        _write_resident(store, worker)
    before = store_path.read_bytes()
    with pytest.raises(cipher.StoreUnreadable) as refused:
        open_store(store_path, key=cipher.new_key())
    assert refused.value.path == store_path
    assert store_path.read_bytes() == before
    with pytest.raises(cipher.StoreUnreadable):
        open_store(store_path, key=cipher.new_key())  # and again: nothing was changed


def test_the_store_and_its_folder_are_the_users_only(
    tmp_path: Path, key: bytes, worker: Actor
) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    path = tmp_path / "data" / "stores" / "desk.sqlite"
    old_umask = os.umask(0o022)  # what most desktops have
    try:
        store = open_store(path, key=key)
        try:
            _write_resident(store, worker)
            files = _files(path)
            assert {p.name[len(path.name):] for p in files} == {"", "-wal", "-shm"}
            for file in files:
                assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        finally:
            store.close()
    finally:
        os.umask(old_umask)


def test_a_store_in_a_shared_folder_leaves_the_folder_as_it_is(
    tmp_path: Path, key: bytes, worker: Actor
) -> None:
    """A store (or log) put straight into a folder everybody shares, like ``/tmp``: its
    files are the user's only, but the folder keeps its mode (it once became 0700 and
    locked every other user and service out of the machine's /tmp)."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    path = shared / "desk.sqlite"
    with open_store(path, key=key) as store:
        _write_resident(store, worker)
        for file in _files(path):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


def test_an_old_store_made_with_the_default_mode_is_made_private(
    tmp_path: Path, key: bytes
) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    path = tmp_path / "stores" / "desk.sqlite"
    path.parent.mkdir(mode=0o755)
    with open_store(path, key=key):
        pass
    path.chmod(0o644)
    path.parent.chmod(0o755)
    with open_store(path, key=key):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def _store_of_main(path: Path) -> None:
    """A store as main made it before encryption: Python's own sqlite3, no key, its
    revision then (0004), a resident with an ID number and a phone, three pending edits
    and a draft (written as that revision's tables hold them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sqlite_engine(sqlite_url(path).render_as_string(hide_password=False))
    migrate(engine, MAIN_HEAD)
    with engine.begin() as conn:
        for statement in MAIN_ROWS:
            conn.execute(sa.text(statement))
    engine.dispose()


HOUSEHOLD_ID = "h-1"
MAIN_ROWS = (
    "INSERT INTO households (id, grid_id, estate, building, unit, room, head_name, phone,"
    f" status, tags, notes) VALUES ('{HOUSEHOLD_ID}', 'grid-1', '汇林绿洲', '12', '1', '302',"
    f" '张雪', '{PHONE}', 'active', '[]', '独居, 腿脚不便')",
    "INSERT INTO residents (id, household_id, name, gender, birth_date, id_number, phone,"
    f" relation, status, tags) VALUES ('r-1', '{HOUSEHOLD_ID}', '张雪', 'female',"
    f" '1980-01-01', '{ID_NUMBER}', '{PHONE}', '户主', 'active', '[]')",
    "INSERT INTO pending_bases (entity, record_id, version, data) VALUES"
    f" ('household', '{HOUSEHOLD_ID}', NULL, NULL), ('resident', 'r-1', NULL, NULL)",
    "INSERT INTO outbox (seq, mutation_id, entity, record_id, op, base_version, fields,"
    " created_at, attempts) VALUES"
    f" (1, 'm-1', 'household', '{HOUSEHOLD_ID}', 'create', NULL, '{{\"grid_id\":"
    f" \"grid-1\", \"estate\": \"汇林绿洲\", \"head_name\": \"张雪\", \"phone\":"
    f" \"{PHONE}\", \"status\": \"active\"}}', '2026-12-01T01:30:00.000000+00:00', 0),"
    f" (2, 'm-2', 'resident', 'r-1', 'create', NULL, '{{\"household_id\":"
    f" \"{HOUSEHOLD_ID}\", \"name\": \"张雪\", \"id_number\": \"{ID_NUMBER}\"}}',"
    " '2026-12-01T01:31:00.000000+00:00', 0),"
    f" (3, 'm-3', 'household', '{HOUSEHOLD_ID}', 'update', NULL,"
    " '{\"notes\": \"独居, 腿脚不便\"}', '2026-12-01T01:32:00.000000+00:00', 2)",
    "INSERT INTO drafts (id, kind, record_id, payload, updated_at) VALUES ('d-1', 'visit',"
    f" '{HOUSEHOLD_ID}', '{{\"household_id\": \"{HOUSEHOLD_ID}\", \"notes\": \"未完成\"}}',"
    " '2026-12-01T01:33:00.000000+00:00')",
)


def test_a_plaintext_store_is_encrypted_in_place_with_its_pending_edits(
    store_path: Path, key: bytes, worker: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    _store_of_main(store_path)
    assert cipher.is_plaintext(store_path)
    assert _grep(store_path, ID_NUMBER, PHONE)  # what the upgrade is for

    caplog.set_level(logging.DEBUG)
    store = open_store(store_path, key=key)
    try:
        assert current_revision(store.engine) == HEAD  # then migrated as usual
        with store.session() as session:
            assert _outbox(session) == [
                ("m-1", "create", {"grid_id": "grid-1", "estate": "汇林绿洲",
                                   "head_name": "张雪", "phone": PHONE, "status": "active"}),
                ("m-2", "create", {"household_id": HOUSEHOLD_ID, "name": "张雪",
                                   "id_number": ID_NUMBER}),
                ("m-3", "update", {"notes": "独居, 腿脚不便"}),
            ]
            assert pending_count(session) == 3
            assert pending_fields(session, "household", HOUSEHOLD_ID)["notes"] == "独居, 腿脚不便"
            [draft] = list_drafts(session, "visit")
            assert (draft.id, draft.payload["notes"]) == ("d-1", "未完成")
        # It goes on taking edits, queued after the old ones.
        update_record(store, "household", HOUSEHOLD_ID, {"phone": "13800000000"},
                      actor=worker)
        with store.session() as session:
            assert [m[0] for m in _outbox(session)][:3] == ["m-1", "m-2", "m-3"]
            assert pending_count(session) == 4
    finally:
        store.close()
    assert not cipher.is_plaintext(store_path)
    assert _grep(store_path, ID_NUMBER, PHONE, "独居") == []
    leftovers = sorted(p.name for p in store_path.parent.iterdir())
    assert leftovers == [store_path.name]  # no plaintext copy, no half-made file
    assert key.hex() not in caplog.text


def test_an_encryption_cut_short_is_undone_or_finished_at_the_next_open(
    store_path: Path, key: bytes, worker: Actor
) -> None:
    _store_of_main(store_path)
    # Cut short while copying: a half-made encrypted file beside the plaintext.
    partial = store_path.with_name(store_path.name + cipher.ENCRYPTING_SUFFIX)
    partial.write_bytes(os.urandom(5000))
    # Cut short after the plaintext was moved out of the way, before the copy took its
    # name: the store is missing, the plaintext is beside it.
    os.replace(store_path, store_path.with_name(store_path.name + cipher.PLAINTEXT_SUFFIX))
    with open_store(store_path, key=key) as store, store.session() as session:
        assert pending_count(session) == 3
    assert sorted(p.name for p in store_path.parent.iterdir()) == [store_path.name]

    # Cut short after the encrypted copy took the store's name: the plaintext is shredded.
    leftover = store_path.with_name(store_path.name + cipher.PLAINTEXT_SUFFIX)
    leftover.write_bytes(b"SQLite format 3\x00" + ID_NUMBER.encode() * 100)
    with open_store(store_path, key=key) as store, store.session() as session:
        assert pending_count(session) == 3
    assert not leftover.exists()


def test_set_aside_moves_the_store_and_its_side_files_together(
    store_path: Path, key: bytes, worker: Actor
) -> None:
    store = open_store(store_path, key=key)
    _write_resident(store, worker)
    wal = store_path.with_name(store_path.name + "-wal").read_bytes()
    aside = cipher.set_aside(store_path)
    store.close()
    assert not store_path.exists()
    assert aside.parent == store_path.parent and "unreadable" in aside.name
    assert aside.with_name(aside.name + "-wal").read_bytes()[:len(wal)] == wal
    with open_store(aside, key=key) as kept, kept.session() as session:
        assert pending_count(session) == 2  # readable again if its key turns up


def test_sql_parameters_stay_out_of_errors_and_logs(
    local_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    with pytest.raises(sa.exc.IntegrityError) as failed, local_store.write() as session:
        session.execute(sa.text("INSERT INTO drafts (id, kind, payload, updated_at) VALUES "
                                "(:id, NULL, :p, NULL)"), {"id": "d1", "p": ID_NUMBER})
    assert ID_NUMBER not in str(failed.value)
    assert ID_NUMBER not in caplog.text
