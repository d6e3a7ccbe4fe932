"""Visit forms (走访表单) through the sync protocol: publishing a version.

Publishing is the ``create`` of a ``visit_template`` record (``docs/sync-protocol.md``,
"Visit forms"): admins only (templates are the district's, not scoped to a street). The
server numbers the version (one more than the form's highest), stamps who published it
and when, checks the field definitions (a refusal names the field, ``fields[2].options``)
and retires the form's earlier versions (``active`` false). Retired versions are kept:
a visit filled with one still reads, and is still taken, with its own fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain.workflows import ADMIN, WorkflowError
from server.schema import RECORD_TABLES
from server.scope import Principal
from server.store import RecordWriter, field_values, load, lock


def form_of(row: Any) -> str:
    """The form a template version belongs to (its own id before versions were kept)."""
    return str(row["form_id"] or row["id"])


def _versions(conn: sa.Connection, form_id: str) -> list[dict[str, Any]]:
    templates = RECORD_TABLES["visit_template"]
    rows = conn.execute(sa.select(templates).where(sa.or_(
        templates.c.form_id == form_id, templates.c.id == form_id))).mappings().all()
    return [dict(r) for r in rows]


def prepare_create(conn: sa.Connection, user: Principal, record_id: str,
                   values: dict[str, Any], stamp: dt.datetime) -> dict[str, Any]:
    """Check a new version and set the server's fields; ``WorkflowError`` refuses it."""
    if user.role != ADMIN:
        raise WorkflowError("forbidden", "only an administrator publishes visit forms")
    if not values.get("fields"):
        raise WorkflowError("validation", "a form has at least one question",
                            {"field": "fields", "problem": "empty"})
    form_id = str(values.get("form_id") or record_id)
    if form_id == record_id:
        version = 1
    else:
        lock(conn, "visit_template", [form_id])  # two publishes at once: one waits
        earlier = _versions(conn, form_id)
        if not earlier:
            raise WorkflowError("validation", "no such visit form",
                                {"field": "form_id", "problem": "unknown"})
        version = max(int(r["version"] or 0) for r in earlier) + 1
    for name in ("name", "name_en"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip() or None
    values.update(form_id=form_id, version=version, active=True, published_at=stamp,
                  published_by_id=user.id)
    return values


def after_create(conn: sa.Connection, writer: RecordWriter, record_id: str,
                 values: dict[str, Any]) -> None:
    """The form's earlier versions are retired (kept, no longer offered for new visits)."""
    for row in _versions(conn, form_of({**values, "id": record_id})):
        if row["id"] == record_id or not row["active"]:
            continue
        old = load(conn, "visit_template", row["id"], for_update=True)
        if old is None or not old["active"]:
            continue
        retired = field_values("visit_template", old)
        retired["active"] = False
        writer.save("visit_template", row["id"], retired, changed=["active"])
