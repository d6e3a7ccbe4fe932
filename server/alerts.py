"""智慧告警: every message from a group is checked against the alert rules before it is
stored (the first handler of the intake pipeline, :func:`urgent_alerts`).

The rules that apply are the district's, the group's street's and community's (active).
When one fires (:func:`gulou_desk.domain.gubao.rule_fires`: one of its keywords, and one
of its ``with_words`` when it has them):

- level ``urgent``: the inbox message is stored with ``urgent`` set, and a ticket of
  priority ``urgent`` (category 治安安全: the shortest SLA, one working day) is filed in
  the group's grid with the message's text as its description, linked to the message
  (which is stored ``converted``);
- level ``watch``: the same ticket at priority ``high``, the message not marked urgent.

The ticket is assigned to the grid's first worker when the rule alerts the grid worker
(``notify`` has ``grid_worker``), so it reaches that worker's desk at their next pull
(``u:`` key) as well as the community's clerks and the street's supervisors (``g:``).
A message from a group not registered to a grid cannot file a ticket (it has no grid):
it is only marked urgent, for the admins who route such messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import gubao, sla, workflows
from gulou_desk.records import ENTITIES, new_id
from server.bot_ask import Place, place_of_grid
from server.intake_pipeline import IntakeContext, Outcome
from server.schema import RECORD_TABLES
from server.store import RecordWriter, field_values, load

ALERT_CATEGORY = "public_safety"


def firing_rule(conn: sa.Connection, place: Place, text: str
                ) -> tuple[dict[str, Any], str] | None:
    """The rule that fires on ``text`` from a group at ``place`` (an urgent one before a
    watch one) and the keyword it found, or ``None``."""
    t = RECORD_TABLES["alert_rule"]
    fired: list[tuple[dict[str, Any], str]] = []
    for found in conn.execute(sa.select(t).where(t.c.active.is_not(False))
                              .order_by(t.c.id)).mappings():
        rule = dict(found)
        if not gubao.applies_to(rule, place.community_id, place.street_id):
            continue
        keyword = gubao.rule_fires(rule, text)
        if keyword is not None:
            fired.append((rule, keyword))
    fired.sort(key=lambda pair: pair[0].get("level") != "urgent")
    return fired[0] if fired else None


def urgent_alerts(ctx: IntakeContext) -> Outcome | None:
    """The intake handler (see the module's text): marks, never takes, the message."""
    found = firing_rule(ctx.conn, place_of_grid(ctx.conn, ctx.grid_id), ctx.message.text)
    if found is None:
        return None
    rule, _keyword = found
    urgent = rule.get("level") == "urgent"
    if urgent:
        ctx.inbox_fields["urgent"] = True
    if ctx.grid_id is None:
        _count(ctx.conn, rule)
        return None
    ticket_id = new_id()
    ctx.inbox_fields.update(status="converted", ticket_id=ticket_id)

    def file_ticket(ctx: IntakeContext, outcome: Outcome) -> None:
        if outcome.handled_as is not None:  # a handler took it as something else
            return
        _file(ctx, rule, ticket_id, urgent)
        _count(ctx.conn, rule)

    ctx.after_stored(file_ticket)
    return None


def _count(conn: sa.Connection, rule: Mapping[str, Any]) -> None:
    row = load(conn, "alert_rule", str(rule["id"]), for_update=True)
    if row is not None:
        values = field_values("alert_rule", row)
        values["fired_count"] = (row["fired_count"] or 0) + 1
        RecordWriter(conn).save("alert_rule", row["id"], values, changed=["fired_count"])


def _assignee(conn: sa.Connection, rule: Mapping[str, Any], grid_id: str) -> str | None:
    if "grid_worker" not in (rule.get("notify") or []):
        return None
    grid = load(conn, "grid", grid_id)
    workers = [w for w in (grid or {}).get("worker_ids") or [] if isinstance(w, str)]
    return workers[0] if workers else None


def _file(ctx: IntakeContext, rule: Mapping[str, Any], ticket_id: str, urgent: bool) -> None:
    from server.push import _sla_table, _ticket_number  # shared with filed tickets

    msg, grid = ctx.message, str(ctx.grid_id)
    priority = "urgent" if urgent else "high"
    with sla.using(_sla_table(ctx.conn)):  # due by the catalogue's SLAs, as filed tickets
        fields = dict(workflows.new_ticket_fields(ALERT_CATEGORY, ctx.now, priority=priority,
                                                  source=msg.source))
    assignee = _assignee(ctx.conn, rule, grid)
    fields.update(
        number=_ticket_number(ctx.conn, ctx.now), title=gubao.alert_title(rule, msg.text),
        description=f"{rule.get('name') or ''}告警 · {msg.group_name or msg.group_id}\n"
                    f"{msg.text}",
        grid_id=grid, assignee_id=assignee, status="assigned" if assignee else "new",
        source_message_ids=[ctx.inbox_id])
    full = {f.name: fields.get(f.name, f.empty_value()) for f in ENTITIES["ticket"].fields}
    writer = RecordWriter(ctx.conn)
    writer.save("ticket", ticket_id, full)
    writer.save("ticket_event", new_id(), {
        "ticket_id": ticket_id, "actor_id": None, "kind": "created",
        "body": full["title"], "at": ctx.now,
        "data": {"alert_rule_id": rule["id"], "level": rule.get("level")}})
