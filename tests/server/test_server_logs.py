"""Issue 12, item 14: no personal data in the server's log.

A push whose write fails in the database (a trigger refuses it: a real database error,
with the record's values in the statement) is logged by mutation id; the log of the whole
exchange, every logger at DEBUG, holds neither the resident's name, nor their ID number,
nor their phone. Database errors never carry statement parameters (``hide_parameters``).
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import sqlalchemy as sa

from gulou_desk.domain.ids import make_id_number
from gulou_desk.records import new_id
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, mutation

NAME = "欧阳秀英"
PHONE = "13912349876"
ID_NUMBER = make_id_number("320106", dt.date(1948, 2, 29), 7, "female")


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _refuse_this_name(engine: sa.Engine) -> None:
    """A trigger that makes the database refuse a resident of this name."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.name = '{NAME}' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON residents "
                                 "FOR EACH ROW EXECUTE FUNCTION refuse()")
        else:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON residents "
                f"WHEN NEW.name = '{NAME}' BEGIN SELECT RAISE(ABORT, 'refused'); END")


def test_a_failing_push_is_logged_without_personal_data(
        live_server: LiveServer, world: World, caplog: pytest.LogCaptureFixture) -> None:
    _refuse_this_name(live_server.engine)
    w1 = Api(live_server.api).login("worker1")
    m = mutation("resident", new_id(), "create", fields={
        "household_id": world["hA1"], "name": NAME, "gender": "female",
        "birth_date": "1948-02-29", "id_number": ID_NUMBER, "phone": PHONE,
        "relation": "户主", "status": "active", "tags": []})
    with caplog.at_level(logging.DEBUG):
        [r] = w1.push(m)
    assert r["status"] == "rejected" and r["error"]["code"] == "internal", r
    text = caplog.text
    assert m["mutation_id"] in text  # the failure is logged, by id
    for secret in (NAME, PHONE, ID_NUMBER, "worker1"):
        assert secret not in text, secret


def test_database_errors_carry_no_parameters(live_server: LiveServer, world: World) -> None:
    _refuse_this_name(live_server.engine)
    residents = sa.table("residents", sa.column("id"), sa.column("name"), sa.column("phone"))
    with pytest.raises(sa.exc.DBAPIError) as failed, live_server.engine.begin() as conn:
        conn.execute(sa.insert(residents).values(id=new_id(), name=NAME, phone=PHONE))
    assert NAME not in str(failed.value) and PHONE not in str(failed.value)
