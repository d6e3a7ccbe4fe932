"""A database connection that breaks under a push (PostgreSQL restarting, the network
dropping) is the database's fault, not the mutation's: the whole request is a 503 with
Retry-After, nothing of it is kept, and nothing is answered ``rejected`` (the client
would set a good edit aside). Needs PostgreSQL, like the rest of this folder."""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy as sa

from server.store import load
from tests.conftest import LiveServer
from tests.world import Api, build_world, held, mutation


def _notes(engine: sa.Engine, household_id: str) -> Any:
    with engine.connect() as conn:
        row = load(conn, "household", household_id)
    return row["notes"] if row else None


def test_a_connection_lost_mid_push_is_a_503_and_sets_nothing_aside(
        pg_url: str) -> None:
    """The database connection dies under the write of a push's second mutation (the
    backend is terminated, as a PostgreSQL restart does): the answer is ``503`` with
    Retry-After — never a ``500``, and never ``rejected``/``internal`` for a mutation that
    did nothing wrong (the client would set it aside). Nothing of the batch is kept; sent
    again once the database answers, all of it applies once."""
    server = LiveServer(pg_url)
    server.start()
    try:
        world = build_world(server.engine)
        clerk = Api(server.api).login("clerk1")
        versions = held(clerk.pull_all()[0])
        batch = [mutation("household", world[h], "update",
                          base_version=versions[("household", world[h])]["version"],
                          fields={"notes": f"断线{k}"})
                 for k, h in enumerate(("hA1", "hA2", "hB1"))]
        admin_url = pg_url.replace("postgresql+psycopg://", "postgresql://")
        killed: list[int] = []

        def kill_under_second(conn: sa.Connection, cursor: Any, statement: str,
                              params: Any, context: Any, executemany: bool) -> None:
            # The statement that writes the second mutation's values (alone, or with the
            # whole batch's plain edits in one executemany).
            if not killed and "断线1" in str(params):
                pid = cursor.connection.info.backend_pid
                with psycopg.connect(admin_url, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                killed.append(pid)

        sa.event.listen(server.engine, "before_cursor_execute", kill_under_second)
        try:
            r = clerk.post("/sync/push", json={"client_id": clerk.client_id,
                                               "mutations": batch})
        finally:
            sa.event.remove(server.engine, "before_cursor_execute", kill_under_second)
        assert killed, "the second mutation reached the database"
        assert r.status_code == 503, r.text
        assert int(r.headers["Retry-After"]) > 0
        assert _notes(server.engine, world["hA1"]) != "断线0"
        again = clerk.push(*batch)
        assert [x["status"] for x in again] == ["applied"] * 3, again
        assert _notes(server.engine, world["hB1"]) == "断线2"
    finally:
        server.stop()
        server.engine.dispose()
