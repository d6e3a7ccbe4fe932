"""ui.errors: every exception becomes a sentence a user can act on (never its own text)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from sync.client import ApiClient, OfflineError
from ui.errors import describe_error


def sqlalchemy_error(path: Path) -> sa.exc.DBAPIError:
    """The error SQLAlchemy raises when asked to read a file that is not a database."""
    path.write_bytes(b"not an SQLite file at all" * 64)
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select * from sqlite_master")).all()
    except sa.exc.DBAPIError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("SQLite read a file that is not a database")


def test_a_damaged_store_is_named_even_through_sqlalchemy(tmp_path: Path) -> None:
    assert describe_error(sqlalchemy_error(tmp_path / "bad.sqlite")) == (
        "The local database file is damaged (it is not a readable database).")


def test_a_locked_store_is_busy_not_broken(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("begin exclusive")
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(sa.exc.OperationalError) as caught, engine.begin() as conn:
            conn.execute(sa.text("insert into t values (1)"))
        assert describe_error(caught.value) == (
            "The local database is busy. Please try again in a moment.")
    finally:
        engine.dispose()
        holder.close()


def test_network_and_disk_troubles_read_as_such() -> None:
    with pytest.raises(OfflineError) as offline:
        ApiClient("http://127.0.0.1:9", retries=0).login("a", "b", "device", "pytest")
    assert describe_error(offline.value) == (
        "The server cannot be reached. Check the network and try again.")
    assert describe_error(requests.ConnectTimeout()) == (
        "The server cannot be reached. Check the network and try again.")
    assert describe_error(OSError(errno.ENOSPC, "No space left on device")) == (
        "The disk is full. Free some space and try again.")
    assert describe_error(KeyError("household_id")) == (
        "Something went wrong. The details were written to the log file.")
