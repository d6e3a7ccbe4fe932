"""The ASGI entry point of a server process started by another program: ``gulou-server
serve --workers N`` (uvicorn's process manager) or an ASGI server of the operator's
choice, e.g.::

    GULOU_DB_URL=postgresql://… GULOU_SECRET_KEY=… GULOU_WECHAT_SECRET=… \\
        uvicorn --factory server.asgi:app --workers 4 --host 127.0.0.1 --port 8701

Settings come from the environment (:meth:`Settings.from_env`; ``GULOU_DEMO=1`` for demo
mode, with the secrets the parent made up passed along). The schema is **not** migrated
here: ``gulou-server migrate`` runs once, before the processes start
(``docs/deployment.md``), and a process refuses to start on a database that is not at
the migrations' head. Periodic jobs are not run here either: ``gulou-server serve`` runs
them in its own process, ``gulou-server jobs`` in a process of their own.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from server.app import create_app
from server.database import check_schema_current, make_engine
from server.settings import Settings


def app() -> FastAPI:
    settings = Settings.from_env(demo=os.environ.get("GULOU_DEMO") == "1")
    engine = make_engine(settings.db_url)
    check_schema_current(engine)
    return create_app(settings, engine)
