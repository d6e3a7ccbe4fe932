"""Pull over real HTTP: scope per role, paging and resume, revoke, backfill, bad cursors."""

from __future__ import annotations

import base64
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa

from server import pull, scope
from server.auth import principal
from server.database import make_engine, migrate
from server.routes import sync as sync_routes
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _ids(changes: list[dict], entity: str) -> set[str]:
    return {e for (ent, e) in held(changes) if ent == entity}


def test_worker_sees_only_their_grids(live_server: LiveServer, world: World) -> None:
    changes, _ = Api(live_server.api).login("worker1").pull_all()
    assert _ids(changes, "household") == {world["hA1"], world["hA2"], world["hB1"]}
    assert _ids(changes, "resident") == {world["rhA1"], world["rhA2"], world["rhB1"]}
    assert _ids(changes, "ticket") == {world["tA"]}
    # Reference data for everyone; the staff directory carries no password data.
    assert world["gridC"] in _ids(changes, "grid")
    staff = [c for c in changes if c["entity"] == "staff"]
    assert staff and all(set(c["data"]) == {"username", "display_name", "role", "community_id",
                                            "street_id", "active", "phone"} for c in staff)


def test_clerk_sees_community_supervisor_street_admin_all(
        live_server: LiveServer, world: World) -> None:
    clerk, _ = Api(live_server.api).login("clerk1").pull_all()
    assert _ids(clerk, "household") == {world[h] for h in ("hA1", "hA2", "hB1", "hC1")}
    sup, _ = Api(live_server.api).login("supervisor1").pull_all()
    assert _ids(sup, "household") == {world[h] for h in ("hA1", "hA2", "hB1", "hC1")}
    admin, _ = Api(live_server.api).login("admin").pull_all()
    assert _ids(admin, "household") == {world[h] for h in ("hA1", "hA2", "hB1", "hC1", "hX1")}
    other, _ = Api(live_server.api).login("worker9").pull_all()
    assert _ids(other, "household") == {world["hX1"]}


def test_pages_in_version_order_and_resume_without_gaps(
        live_server: LiveServer, world: World) -> None:
    api = Api(live_server.api).login("clerk1")
    everything, _ = api.pull_all(limit=5000)
    pages: list[list[dict]] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get("/sync/pull", params=params).json()
        assert len(body["changes"]) <= 3
        pages.append(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    paged = [c for p in pages for c in p]
    assert len(pages) > 3
    assert held(paged) == held(everything)
    versions = [c["version"] for c in paged]
    assert versions == sorted(versions)
    assert len({(c["entity"], c["id"]) for c in paged}) == len(paged)  # no duplicates
    # Nothing new: an empty page that keeps the cursor usable.
    body = api.get("/sync/pull", params={"cursor": cursor}).json()
    assert body["changes"] == [] and body["has_more"] is False


def test_incremental_pull_sends_only_what_changed(live_server: LiveServer, world: World) -> None:
    api = Api(live_server.api).login("worker1")
    _, cursor = api.pull_all()
    world.household("hA1", "gridA", phone="13800000000")
    world.household("hC1", "gridC", phone="13800000001")  # not worker1's grid
    changes, cursor = api.pull_all(cursor)
    assert [(c["entity"], c["id"], c["data"]["phone"]) for c in changes] == [
        ("household", world["hA1"], "13800000000")]


def test_household_moved_to_another_grid_is_revoked_with_its_residents(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    w2 = Api(live_server.api).login("worker2")
    _, c1 = w1.pull_all()
    _, c2 = w2.pull_all()
    world.household("hA1", "gridC")
    changes1, _ = w1.pull_all(c1)
    ops1 = {(c["entity"], c["id"]): c["op"] for c in changes1}
    assert ops1[("household", world["hA1"])] == "revoke"
    assert ops1[("resident", world["rhA1"])] == "revoke"
    changes2, _ = w2.pull_all(c2)
    got = held(changes2)
    assert ("household", world["hA1"]) in got
    assert ("resident", world["rhA1"]) in got


def test_worker_gaining_a_grid_gets_its_old_records(live_server: LiveServer,
                                                    world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    _, cursor = w1.pull_all()
    world.save("grid", "gridC", {"community_id": world["community"], "name": "gridC",
                                 "worker_ids": [world["worker2"], world["worker1"]],
                                 "wechat_group_id": "wx-gridC"})
    changes, cursor = w1.pull_all(cursor)
    got = held(changes)
    assert ("household", world["hC1"]) in got  # backfilled although its version is old
    assert ("resident", world["rhC1"]) in got
    # … and losing it again revokes them.
    world.save("grid", "gridC", {"community_id": world["community"], "name": "gridC",
                                 "worker_ids": [world["worker2"]],
                                 "wechat_group_id": "wx-gridC"})
    changes, _ = w1.pull_all(cursor)
    ops = {(c["entity"], c["id"]): c["op"] for c in changes}
    assert ops[("household", world["hC1"])] == "revoke"
    assert ops[("resident", world["rhC1"])] == "revoke"
    assert ("household", world["hA1"]) not in ops


def test_deleted_record_arrives_as_tombstone(live_server: LiveServer, world: World) -> None:
    from server.database import writer
    from server.store import RecordWriter

    api = Api(live_server.api).login("worker1")
    _, cursor = api.pull_all()
    with writer(live_server.engine).begin() as conn:
        RecordWriter(conn).delete("resident", world["rhA2"])
    changes, _ = api.pull_all(cursor)
    assert [(c["op"], c["id"]) for c in changes] == [("delete", world["rhA2"])]
    assert changes[0]["version"] > 0


@pytest.mark.parametrize("mangle", ["flip", "garbage", "resign"])
def test_tampered_cursor_is_422(live_server: LiveServer, world: World, mangle: str) -> None:
    api = Api(live_server.api).login("worker1")
    _, cursor = api.pull_all()
    body, sig = cursor.split(".")
    if mangle == "flip":
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        raw = raw.replace(b'"v":', b'"v":1') if b'"v":' in raw else raw + b" "
        bad = base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + sig
    elif mangle == "garbage":
        bad = "not-a-cursor"
    else:
        bad = body + "." + base64.urlsafe_b64encode(b"x" * 32).rstrip(b"=").decode()
    r = api.get("/sync/pull", params={"cursor": bad})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation"
    assert r.json()["error"]["details"]["field"] == "cursor"


@pytest.mark.parametrize("limit", ["0", "5001", "abc"])
def test_bad_limit_is_422(live_server: LiveServer, world: World, limit: str) -> None:
    api = Api(live_server.api).login("worker1")
    r = api.get("/sync/pull", params={"limit": limit})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation"


def test_cursor_stays_short_whatever_the_scope(live_server: LiveServer, world: World) -> None:
    for grid in range(150):  # an admin or a supervisor holds many grids
        world.save("grid", None, {"community_id": world["community"], "name": f"g{grid}",
                                  "worker_ids": []})
    api = Api(live_server.api).login("admin")
    body = api.get("/sync/pull", params={"limit": 2}).json()
    assert body["has_more"]
    assert len(body["cursor"]) < 600
    changes, _ = api.pull_all(body["cursor"])
    assert len(held(changes)) > 150


@pytest.mark.parametrize("client_id", ["", "x" * 200])
def test_bad_client_id_is_422_naming_it(live_server: LiveServer, world: World,
                                        client_id: str) -> None:
    api = Api(live_server.api).login("worker1")
    r = api.get("/sync/pull", params={"client_id": client_id})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation"
    assert "client_id" in r.text


def test_another_devices_client_id_only_hides_that_devices_exact_edits(
        live_server: LiveServer, world: World) -> None:
    """A pull that names some other id (a hostile or confused client) gets every record of
    its scope all the same: the id leaves out only versions that id's own exact pushes
    wrote, which that device holds already."""
    api = Api(live_server.api).login("worker1")
    plain, _ = api.pull_all()
    r = api.get("/sync/pull", params={"client_id": "someone-else", "limit": 5000})
    assert r.status_code == 200 and not r.json()["has_more"]
    assert {(c["entity"], c["id"]) for c in r.json()["changes"]} == \
        {(c["entity"], c["id"]) for c in plain}


def test_known_key_sets_keep_the_most_recently_used(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The server process remembers at most KNOWN_KEYSETS_MAX stored key sets per
    database, dropping the least recently used (a pull under way keeps its own); one
    dropped is read from the database again."""
    monkeypatch.setattr(sync_routes, "KNOWN_KEYSETS_MAX", 4)
    engine = make_engine(f"sqlite:///{tmp_path / 'keysets.sqlite'}")
    migrate(engine)
    try:
        refs = [sync_routes._store_keyset(engine, [f"g:{i}", "pub"]) for i in range(4)]
        assert sync_routes._load_keyset(engine, refs[0]) == ["g:0", "pub"]  # used again
        for i in range(4, 7):
            sync_routes._store_keyset(engine, [f"g:{i}", "pub"])
        known = sync_routes.known_keysets(engine)
        assert len(known) == 4
        assert refs[0] in known
        assert all(ref not in known for ref in refs[1:])
        assert sync_routes._load_keyset(engine, refs[1]) == ["g:1", "pub"]
        assert refs[1] in known and len(known) == 4
    finally:
        engine.dispose()


@pytest.mark.parametrize("budget", [1, 2, 7])
def test_database_written_backfill_is_the_generic_ones(live_server: LiveServer, world: World,
                                                        budget: int) -> None:
    """On PostgreSQL the database writes a backfill's changes itself (one text a page):
    page after page it is what the generic path reads from the rows, byte for byte, with
    the same page ends, and each change is spelled as the log phase spells an upsert in
    Python (the JSON is written in two places; they must not drift apart)."""
    if live_server.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL writes a backfill's text in the database")
    for name in ("worker1", "clerk1", "supervisor1", "admin"):
        with live_server.engine.connect() as conn, conn.begin():
            user = principal(conn, world[name])
            assert user is not None
            keys = sorted(scope.user_keys(conn, user))
            after, done, pages = 0, False, 0
            while not done:
                text, sent, last, done = pull._backfill_text(conn, keys, after, budget)
                refs, generic_last, generic_done = pull._record_phase(conn, keys, after, budget)
                generic = pull._upserts_under(conn, keys, after, generic_last,
                                              {entity for entity, _r, _v in refs})
                assert (text.decode(), sent, last, done) == (
                    ",".join(generic), len(generic), generic_last, generic_done), name
                changes = orjson.loads(b"[" + text + b"]")
                rows = pull._rows_of(conn, [(c["entity"], c["id"]) for c in changes])
                assert text.decode() == ",".join(
                    pull._upsert(c["entity"], c["id"], *rows[(c["entity"], c["id"])])
                    for c in changes), name
                after, pages = last, pages + 1
            assert pages > 1, name


@pytest.mark.parametrize("budget", [1, 2, 7, 5000])
def test_a_backfill_page_ends_where_the_record_phase_ends_it(
        live_server: LiveServer, world: World, budget: int) -> None:
    """A backfill's page is measured in the database (``_backfill_window``: how many
    records, the last version, the entities, whether the backfill is done), never read
    row by row into Python: page after page it ends where the record phase (the rows
    read one by one, as a revoke phase still reads them) ends it, on every dialect."""
    for name in ("worker1", "clerk1", "supervisor1", "admin"):
        with live_server.engine.connect() as conn, conn.begin():
            user = principal(conn, world[name])
            assert user is not None
            keys = sorted(scope.user_keys(conn, user))
            after, done, pages = 0, False, 0
            while not done:
                found, last, entities, done = pull._backfill_window(conn, keys, after,
                                                                    budget)
                refs, ref_last, ref_done = pull._record_phase(conn, keys, after, budget)
                assert (found, last, entities, done) == (
                    len(refs), ref_last, {entity for entity, _r, _v in refs}, ref_done), name
                assert found <= budget
                after, pages = last, pages + 1
            assert pages > 1 or budget == 5000, name


def test_a_page_reads_the_same_records_through_either_plan(live_server: LiveServer,
                                                           world: World) -> None:
    """A page's records of an entity are read through the version window, or, when the
    entity's table is smaller than the page, through its records under the keys
    (``_entity_is(whole=True)``): the same upserts in the same order either way."""
    for name in ("worker1", "clerk1", "supervisor1", "admin"):
        with live_server.engine.connect() as conn, conn.begin():
            user = principal(conn, world[name])
            assert user is not None
            keys = sorted(scope.user_keys(conn, user))
            after, done = 0, False
            while not done:
                found, last, entities, done = pull._backfill_window(conn, keys, after, 3)
                window = pull._upserts_under(conn, keys, after, last, entities, 0)
                whole = pull._upserts_under(conn, keys, after, last, entities, 10**9)
                assert window == whole and len(window) == found, name
                after = last
    if live_server.engine.dialect.name == "sqlite":
        with live_server.engine.connect() as conn:
            assert pull._small_tables(conn, ["grid", "household"], 10**9) == {
                "grid", "household"}
            assert pull._small_tables(conn, ["grid", "household"], 0) == set()


def test_the_log_is_counted_only_when_it_is_longer_than_a_page(
        live_server: LiveServer, world: World) -> None:
    """The estimate of what is left (the client's progress bar) is counted from the log
    only when the log holds more than the page: a pull that ends with its page (a
    no-op, most incremental pulls) says 0 without counting; a longer one says how many
    are left, as before."""
    api = Api(live_server.api).login("worker1")
    _, cursor = api.pull_all()
    counted: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        if "count(" in statement.lower() and "change_key" in statement:
            counted.append(statement)

    sa.event.listen(live_server.engine, "before_cursor_execute", note)
    try:
        body = api.get("/sync/pull", params={"cursor": cursor}).json()  # nothing new
        assert (body["changes"], body["has_more"], body["estimate"]) == ([], False, 0)
        assert counted == []
        world.household("hA1", "gridA", phone="13800000000")
        body = api.get("/sync/pull", params={"cursor": body["cursor"]}).json()
        assert (len(body["changes"]), body["has_more"], body["estimate"]) == (1, False, 0)
        assert counted == []
        for n in range(3):
            world.household("hA1", "gridA", phone=f"1380000001{n}")
            world.household("hA2", "gridA", phone=f"1380000002{n}")
        body = api.get("/sync/pull", params={"cursor": body["cursor"], "limit": 2}).json()
        assert body["has_more"] is True and body["estimate"] == 6 - len(body["changes"])
        assert len(counted) == 1
    finally:
        sa.event.remove(live_server.engine, "before_cursor_execute", note)
