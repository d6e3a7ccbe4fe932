"""Every synced record of the domain, with its fields, declared once.

The client's local store, the server's store and the sync wire types are all built from
these specs, so a field is typed in exactly one place. A spec says what a field holds
(its :class:`Kind`), whether it is required, which entity it refers to, and whether a
client may change it with a plain ``update`` mutation (fields that only move through a
workflow step, such as a ticket's ``status``, are not ``editable``).

Values in Python are: ``str`` for STR/TEXT/REF, ``int``, ``float``, ``bool``,
:class:`datetime.date` for DATE, an aware :class:`datetime.datetime` for DATETIME and
``list``/``dict`` for JSON. :func:`to_wire` and :func:`from_wire` convert to and from the
JSON of the protocol.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

ID_LENGTH = 36
"""A record's id: a UUID's canonical text. Columns that hold ids are this wide."""
STR_LENGTH = 64
"""A STR or REF field without its own ``max_length``: its column's width and the wire's
limit (:func:`text_limit`)."""
USERNAME_LENGTH = 64
DEVICE_ID_LENGTH = 64
DEVICE_NAME_LENGTH = 128
MUTATION_ID_LENGTH = 64
EXTERNAL_ID_LENGTH = 128
"""An intake adapter's own message id (WeChat ``message_id``, WeCom ``MsgId``)."""
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)
"""Dates and times outside these days are refused on the wire (``out_of_range``)."""
INT_RANGE = (-(2**31), 2**31 - 1)
"""An INT field's column (``INTEGER`` on PostgreSQL)."""
JSON_MAX_DEPTH = 32


class Kind(enum.StrEnum):
    STR = "str"
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    JSON_LIST = "json_list"
    JSON_OBJECT = "json_object"
    REF = "ref"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool = False
    ref: str | None = None
    editable: bool = True
    on_create: bool = False
    """A field a client gives when it creates the record though it may not change it
    later (a visit's household, a message's text). Fields neither ``editable`` nor
    ``on_create`` are the server's: a client's value for them is ignored on create."""
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    default: Any = None
    sensitive: bool = False
    """Personal data an inspection asks about (an ID number, a phone): kept in the
    server's history as in the record, and every read of it there is logged."""

    @property
    def client_sets_on_create(self) -> bool:
        return self.editable or self.on_create

    def empty_value(self) -> Any:
        if self.default is not None:
            return self.default() if callable(self.default) else self.default
        if self.kind is Kind.JSON_LIST:
            return []
        if self.kind is Kind.JSON_OBJECT:
            return {}
        return None


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    table: str
    fields: tuple[FieldSpec, ...]
    label_zh: str
    label_en: str
    reference: bool = False
    """Reference data (streets, grids, staff, templates, catalogue): seen by every user."""
    client_create: bool = False
    client_update: bool = False
    client_delete: bool = False
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        return self.by_name[name]


def _f(name: str, kind: Kind = Kind.STR, **kw: Any) -> FieldSpec:
    return FieldSpec(name, kind, **kw)


HOUSEHOLD_TAGS = ("独居老人", "空巢老人", "低保", "残疾", "退役军人", "特扶", "重点关注")
STAFF_ROLES = ("social_worker", "clerk", "supervisor", "admin")
INBOX_SOURCES = ("wechat", "wecom", "walk_in", "phone", "hotline")
INBOX_STATUSES = ("new", "converted", "linked", "dismissed", "answered")
REPLY_MAX_LENGTH = 500
"""The longest reply to a resident's message (characters): a few short paragraphs, what a
group chat reads; the bot adds the @-mention of the resident in front."""
TICKET_STATUSES = (
    "new", "assigned", "accepted", "in_progress", "waiting", "resolved", "closed",
    "returned", "merged", "cancelled",
)
OPEN_TICKET_STATUSES: frozenset[str] = frozenset(
    {"new", "assigned", "accepted", "in_progress", "waiting", "returned"})
"""A ticket still to be dealt with (the others are resolved, closed, merged or cancelled)."""
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_SOURCES = (*INBOX_SOURCES, "visit", "consultation")
PERFORMANCE_STATUSES = ("draft", "submitted", "approved", "returned")
SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")

ENTITIES: dict[str, EntitySpec] = {}


def _entity(spec: EntitySpec) -> EntitySpec:
    ENTITIES[spec.name] = spec
    return spec


STREET = _entity(EntitySpec(
    "street", "streets", (_f("name", required=True, max_length=64),),
    "街道", "Street", reference=True,
))
COMMUNITY = _entity(EntitySpec(
    "community", "communities", (
        _f("street_id", Kind.REF, required=True, ref="street", editable=False),
        _f("name", required=True, max_length=64),
        _f("address", max_length=200),
    ),
    "社区", "Community", reference=True,
))
GRID = _entity(EntitySpec(
    "grid", "grids", (
        _f("community_id", Kind.REF, required=True, ref="community", editable=False),
        _f("name", required=True, max_length=64),
        _f("worker_ids", Kind.JSON_LIST),
        _f("wechat_group_id", max_length=64),
    ),
    "网格", "Grid", reference=True,
))
STAFF = _entity(EntitySpec(
    "staff", "staff", (
        _f("username", required=True, max_length=64, editable=False, on_create=True),
        _f("display_name", required=True, max_length=64, editable=False, on_create=True),
        _f("role", required=True, choices=STAFF_ROLES, editable=False, on_create=True),
        _f("community_id", Kind.REF, ref="community", editable=False, on_create=True),
        _f("street_id", Kind.REF, ref="street", editable=False, on_create=True),
        _f("active", Kind.BOOL, default=True, editable=False),
        _f("phone", max_length=32, editable=False, on_create=True, sensitive=True),
    ),
    "工作人员", "Staff", reference=True, client_create=True,
))
"""Staff are made, disabled, re-enabled, given a one-time password and placed (grids,
community) by the administration steps (``server/staff_admin.py``; admins, and a
street's supervisors for its social workers and clerks); no plain update."""
HOUSEHOLD = _entity(EntitySpec(
    "household", "households", (
        _f("grid_id", Kind.REF, required=True, ref="grid"),
        _f("estate", required=True, max_length=64),
        _f("building", max_length=16),
        _f("unit", max_length=16),
        _f("room", max_length=16),
        _f("address", max_length=200),
        _f("head_name", required=True, max_length=64),
        _f("phone", max_length=32, sensitive=True),
        _f("tags", Kind.JSON_LIST),
        _f("visit_cadence_days", Kind.INT),
        _f("last_visit_at", Kind.DATETIME, editable=False),
        _f("notes", Kind.TEXT),
        _f("status", required=True, choices=("active", "moved_out"), default="active"),
        _f("created_at", Kind.DATETIME, editable=False, on_create=True),
    ),
    "户", "Household", client_create=True, client_update=True, client_delete=True,
))
"""``created_at``: when the household was registered, set by the server when it creates
the record (a client's time for one registered offline is kept when it lies in the
offline window, :func:`gulou_desk.domain.validation.household_created_at`); ``None`` for
households registered before the desk kept it. No visit is dated before it."""
RESIDENT = _entity(EntitySpec(
    "resident", "residents", (
        _f("household_id", Kind.REF, required=True, ref="household"),
        _f("name", required=True, max_length=64),
        _f("gender", choices=("male", "female")),
        _f("birth_date", Kind.DATE),
        _f("id_number", max_length=18, sensitive=True),
        _f("phone", max_length=32, sensitive=True),
        _f("relation", max_length=32),
        _f("tags", Kind.JSON_LIST),
        _f("status", required=True, choices=("active", "moved_out", "deceased"),
           default="active"),
    ),
    "居民", "Resident", client_create=True, client_update=True, client_delete=True,
))
VISIT_TEMPLATE = _entity(EntitySpec(
    "visit_template", "visit_templates", (
        _f("name", required=True, max_length=64, editable=False, on_create=True),
        _f("version", Kind.INT, required=True, editable=False, on_create=True),
        _f("fields", Kind.JSON_LIST, editable=False, on_create=True),
        _f("active", Kind.BOOL, default=True, editable=False),
        _f("name_en", max_length=64, editable=False, on_create=True),
        _f("form_id", max_length=ID_LENGTH, editable=False, on_create=True),
        _f("published_at", Kind.DATETIME, editable=False),
        _f("published_by_id", Kind.REF, ref="staff", editable=False),
    ),
    "走访表单", "Visit form", reference=True, client_create=True,
))
"""One version of a visit form. Versions of one form share ``form_id`` (the id of its
first version; empty on forms made before versions were kept: the record's own id).
Publishing is the ``create`` of the next version by an admin (``server/form_admin.py``):
the server numbers it and retires the form's earlier versions (``active`` false), which
stay, so a visit filled with one still reads with its own fields."""
VISIT = _entity(EntitySpec(
    "visit", "visits", (
        _f("household_id", Kind.REF, required=True, ref="household", editable=False,
           on_create=True),
        _f("worker_id", Kind.REF, required=True, ref="staff", editable=False, on_create=True),
        _f("template_id", Kind.REF, required=True, ref="visit_template", editable=False,
           on_create=True),
        _f("template_version", Kind.INT, required=True, editable=False, on_create=True),
        _f("visited_at", Kind.DATETIME, required=True),
        _f("answers", Kind.JSON_OBJECT),
        _f("notes", Kind.TEXT),
        _f("follow_up", Kind.BOOL, default=False),
        _f("photos", Kind.JSON_LIST),
    ),
    "走访记录", "Visit", client_create=True, client_update=True,
))
INBOX_MESSAGE = _entity(EntitySpec(
    "inbox_message", "inbox_messages", (
        _f("source", required=True, choices=INBOX_SOURCES, editable=False, on_create=True),
        _f("group_id", max_length=64, editable=False, on_create=True),
        _f("group_name", max_length=128, editable=False, on_create=True),
        _f("grid_id", Kind.REF, ref="grid", editable=False, on_create=True),
        _f("sender_id", max_length=64, editable=False, on_create=True),
        _f("sender_name", max_length=64, editable=False, on_create=True),
        _f("text", Kind.TEXT, required=True, editable=False, on_create=True),
        _f("keyword", max_length=32, editable=False, on_create=True),
        _f("sent_at", Kind.DATETIME, required=True, editable=False, on_create=True),
        _f("status", required=True, choices=INBOX_STATUSES, default="new", editable=False),
        _f("ticket_id", Kind.REF, ref="ticket", editable=False),
        _f("reason", Kind.TEXT, editable=False),
        _f("dismissed_at", Kind.DATETIME, editable=False),
        _f("reply_text", Kind.TEXT, max_length=REPLY_MAX_LENGTH, editable=False),
        _f("replies", Kind.JSON_LIST, editable=False),
        _f("urgent", Kind.BOOL, default=False, editable=False),
        _f("community_id", Kind.REF, ref="community", editable=False),
    ),
    "群消息诉求", "Inbox message", client_create=True,
))
TICKET = _entity(EntitySpec(
    "ticket", "tickets", (
        _f("number", max_length=32, editable=False),
        _f("title", required=True, max_length=128),
        _f("description", Kind.TEXT),
        # Category and priority change only through the triage step (it recomputes the
        # due time); a client gives them when it files the ticket.
        _f("category", required=True, max_length=32, editable=False, on_create=True),
        _f("priority", required=True, choices=TICKET_PRIORITIES, default="normal",
           editable=False, on_create=True),
        _f("status", required=True, choices=TICKET_STATUSES, default="new", editable=False),
        _f("source", choices=TICKET_SOURCES, editable=False, on_create=True),
        _f("household_id", Kind.REF, ref="household"),
        _f("visit_id", Kind.REF, ref="visit", editable=False, on_create=True),
        _f("grid_id", Kind.REF, required=True, ref="grid", editable=False, on_create=True),
        _f("assignee_id", Kind.REF, ref="staff", editable=False),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
        _f("created_at", Kind.DATETIME, editable=False),
        _f("due_at", Kind.DATETIME, editable=False),
        _f("source_message_ids", Kind.JSON_LIST, editable=False),
        _f("resolution", Kind.TEXT, editable=False),
        _f("satisfaction", choices=SATISFACTION, editable=False),
        _f("merged_into_id", Kind.REF, ref="ticket", editable=False),
        _f("escalated", Kind.BOOL, default=False, editable=False),
        _f("paused_at", Kind.DATETIME, editable=False),
    ),
    "工单", "Ticket", client_create=True, client_update=True,
))
TICKET_EVENT = _entity(EntitySpec(
    "ticket_event", "ticket_events", (
        _f("ticket_id", Kind.REF, required=True, ref="ticket", editable=False),
        _f("actor_id", Kind.REF, ref="staff", editable=False),
        _f("kind", required=True, max_length=32, editable=False),
        _f("body", Kind.TEXT, editable=False),
        _f("at", Kind.DATETIME, required=True, editable=False),
        _f("data", Kind.JSON_OBJECT, editable=False),
    ),
    "工单记录", "Ticket event",
))
PERFORMANCE_RECORD = _entity(EntitySpec(
    "performance_record", "performance_records", (
        _f("worker_id", Kind.REF, required=True, ref="staff", editable=False),
        _f("period", required=True, max_length=7, editable=False),
        _f("figures", Kind.JSON_OBJECT, editable=False),
        _f("self_assessment", Kind.TEXT),
        _f("score", Kind.FLOAT, editable=False),
        _f("status", required=True, choices=PERFORMANCE_STATUSES, default="draft",
           editable=False),
        _f("supervisor_id", Kind.REF, ref="staff", editable=False),
        _f("decision_comment", Kind.TEXT, editable=False),
        _f("history", Kind.JSON_LIST, editable=False),
    ),
    "绩效考核", "Performance record", client_update=True,
))
# --- the 鼓宝 console (knowledge base, service catalogue, announcements, alerts) -------
# Rules (who may write what, at which scope; matching; sending) are in
# gulou_desk/domain/gubao.py and server/gubao.py; the announcement steps in workflows.py.

CONTENT_SCOPES = ("district", "street", "community")
"""Where a knowledge entry, service item or alert rule applies: the whole district, one
street (``street_id``) or one community (``community_id``). Not given, the server takes
the writer's own place (a clerk's community, a supervisor's street, an admin's
district)."""
SERVICE_CATEGORIES = ("政务办理", "养老助餐", "养老机构", "医疗卫生", "就业服务", "法律援助",
                      "便民维修", "文化体育", "其他")
ANNOUNCEMENT_KINDS = ("notice", "activity", "holiday", "welcome")
ANNOUNCEMENT_STATUSES = ("draft", "pending", "scheduled", "sent", "cancelled")
ANNOUNCEMENT_RECURRENCES = ("none", "weekly", "holidays")
ALERT_LEVELS = ("urgent", "watch")
ALERT_NOTIFY = ("grid_worker", "community_clerks", "street_duty")
BOT_QUESTION_STATUSES = ("open", "answered", "dismissed")
BOT_MESSAGE_BYTES = 2048
"""The most a single group message holds (UTF-8 bytes): a knowledge entry's answer and an
announcement are one message each."""

SERVICE_ITEM = _entity(EntitySpec(
    "service_item", "service_items", (
        _f("category", required=True, max_length=32),
        _f("name", required=True, max_length=128),
        _f("address", max_length=200),
        _f("hours", max_length=128),
        _f("phone", max_length=32),
        _f("documents", Kind.JSON_LIST),
        _f("steps", Kind.TEXT),
        _f("online_link", max_length=256),
        _f("keywords", Kind.JSON_LIST),
        _f("scope", required=True, choices=CONTENT_SCOPES, editable=False, on_create=True),
        _f("street_id", Kind.REF, ref="street", editable=False, on_create=True),
        _f("community_id", Kind.REF, ref="community", editable=False, on_create=True),
        _f("active", Kind.BOOL, default=True),
    ),
    "便民服务", "Service item", client_create=True, client_update=True,
))
KNOWLEDGE_ENTRY = _entity(EntitySpec(
    "knowledge_entry", "knowledge_entries", (
        _f("question", required=True, max_length=200),
        _f("answer", Kind.TEXT, required=True),
        _f("keywords", Kind.JSON_LIST),
        _f("scope", required=True, choices=CONTENT_SCOPES, editable=False, on_create=True),
        _f("street_id", Kind.REF, ref="street", editable=False, on_create=True),
        _f("community_id", Kind.REF, ref="community", editable=False, on_create=True),
        _f("valid_from", Kind.DATE),
        _f("valid_to", Kind.DATE),
        _f("active", Kind.BOOL, default=True),
        _f("owner_id", Kind.REF, ref="staff", editable=False),
        _f("hit_count", Kind.INT, default=0, editable=False),
        _f("last_hit_at", Kind.DATETIME, editable=False),
        _f("created_at", Kind.DATETIME, editable=False),
    ),
    "民生问答", "Knowledge entry", client_create=True, client_update=True,
))
ANNOUNCEMENT = _entity(EntitySpec(
    "announcement", "announcements", (
        _f("community_id", Kind.REF, required=True, ref="community", editable=False,
           on_create=True),
        _f("grid_ids", Kind.JSON_LIST),
        _f("kind", required=True, choices=ANNOUNCEMENT_KINDS, default="notice"),
        _f("title", required=True, max_length=128),
        _f("text", Kind.TEXT, required=True),
        _f("send_at", Kind.DATETIME),
        _f("recurrence", required=True, choices=ANNOUNCEMENT_RECURRENCES, default="none"),
        _f("status", required=True, choices=ANNOUNCEMENT_STATUSES, default="draft",
           editable=False),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
        _f("approved_by_id", Kind.REF, ref="staff", editable=False),
        _f("sent_at", Kind.DATETIME, editable=False),
        _f("sent_count", Kind.INT, default=0, editable=False),
        _f("history", Kind.JSON_LIST, editable=False),
    ),
    "群公告", "Announcement", client_create=True, client_update=True,
))
ALERT_RULE = _entity(EntitySpec(
    "alert_rule", "alert_rules", (
        _f("name", required=True, max_length=64),
        _f("keywords", Kind.JSON_LIST),
        _f("with_words", Kind.JSON_LIST),
        _f("level", required=True, choices=ALERT_LEVELS, default="urgent"),
        _f("notify", Kind.JSON_LIST),
        _f("scope", required=True, choices=CONTENT_SCOPES, editable=False, on_create=True),
        _f("street_id", Kind.REF, ref="street", editable=False, on_create=True),
        _f("community_id", Kind.REF, ref="community", editable=False, on_create=True),
        _f("active", Kind.BOOL, default=True),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
        _f("fired_count", Kind.INT, default=0, editable=False),
    ),
    "智慧告警规则", "Alert rule", client_create=True, client_update=True,
))
BOT_QUESTION = _entity(EntitySpec(
    "bot_question", "bot_questions", (
        _f("community_id", Kind.REF, ref="community", editable=False),
        _f("grid_id", Kind.REF, ref="grid", editable=False),
        _f("group_id", max_length=64, editable=False),
        _f("text", Kind.TEXT, required=True, editable=False),
        _f("asked_at", Kind.DATETIME, required=True, editable=False),
        _f("best_score", Kind.FLOAT, editable=False),
        _f("count", Kind.INT, default=1, editable=False),
        _f("status", required=True, choices=BOT_QUESTION_STATUSES, default="open"),
        _f("entry_id", Kind.REF, ref="knowledge_entry"),
    ),
    "未答问题", "Unanswered question", client_update=True,
))
"""A question residents asked 鼓宝 that it could not answer (the same text asked again
counts up): the knowledge base's to-do list. A clerk turns it into a knowledge entry
(``status`` ``answered``, ``entry_id``) or dismisses it."""

# --- resident participation (民主问卷, 民主协商, 志愿者服务) ---------------------------------
# Rules (question kinds, reply syntax, tallies, which fields a state leaves editable) are
# in gulou_desk/domain/participation.py; the steps in gulou_desk/domain/workflows.py.

QUESTIONNAIRE_STATUSES = ("draft", "published", "closed", "archived")
RESULTS_VISIBILITY = ("staff", "public")
RESPONSE_CHANNELS = ("wechat", "visit", "phone", "walk_in")
CONSULTATION_STAGES = ("collecting", "discussing", "voting", "decided", "announced", "closed")
STANCES = ("support", "oppose", "opinion")
COMMENT_CHANNELS = ("wechat", "meeting", "visit", "phone", "walk_in")
ACTIVITY_STATUSES = ("draft", "published", "done", "cancelled")
PARTICIPATION_PEOPLE = ("resident", "staff")

QUESTIONNAIRE = _entity(EntitySpec(
    "questionnaire", "questionnaires", (
        _f("community_id", Kind.REF, required=True, ref="community", editable=False),
        _f("grid_ids", Kind.JSON_LIST),
        _f("title", required=True, max_length=128),
        _f("intro", Kind.TEXT),
        _f("questions", Kind.JSON_LIST),
        _f("template", max_length=32),
        _f("opens_at", Kind.DATETIME, editable=False),
        _f("closes_at", Kind.DATETIME),
        _f("status", required=True, choices=QUESTIONNAIRE_STATUSES, default="draft",
           editable=False),
        _f("results_visibility", required=True, choices=RESULTS_VISIBILITY,
           default="staff"),
        _f("code", max_length=16, editable=False),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
        _f("created_at", Kind.DATETIME, editable=False),
        _f("closed_at", Kind.DATETIME, editable=False),
    ),
    "民主问卷", "Questionnaire", client_create=True, client_update=True,
))
QUESTIONNAIRE_RESPONSE = _entity(EntitySpec(
    "questionnaire_response", "questionnaire_responses", (
        _f("questionnaire_id", Kind.REF, required=True, ref="questionnaire", editable=False),
        _f("grid_id", Kind.REF, ref="grid", editable=False),
        _f("household_id", Kind.REF, ref="household", editable=False),
        _f("sender_id", max_length=64, editable=False),
        _f("sender_name", max_length=64, editable=False),
        _f("answers", Kind.JSON_OBJECT, editable=False),
        _f("channel", required=True, choices=RESPONSE_CHANNELS, editable=False),
        _f("received_at", Kind.DATETIME, required=True, editable=False),
        _f("entered_by_id", Kind.REF, ref="staff", editable=False),
        _f("message_id", max_length=128, editable=False),
        _f("history", Kind.JSON_LIST, editable=False),
    ),
    "问卷答复", "Questionnaire response", client_create=True,
))
CONSULTATION = _entity(EntitySpec(
    "consultation", "consultations", (
        _f("community_id", Kind.REF, required=True, ref="community", editable=False),
        _f("grid_ids", Kind.JSON_LIST),
        _f("topic", required=True, max_length=128),
        _f("background", Kind.TEXT),
        _f("proposer_kind", required=True, choices=PARTICIPATION_PEOPLE, default="staff"),
        _f("proposer_name", max_length=64),
        _f("proposer_household_id", Kind.REF, ref="household"),
        _f("stage", required=True, choices=CONSULTATION_STAGES, default="collecting",
           editable=False),
        _f("options", Kind.JSON_LIST),
        _f("decision", Kind.TEXT, editable=False),
        _f("announcement", Kind.TEXT, editable=False),
        _f("ticket_ids", Kind.JSON_LIST, editable=False),
        _f("questionnaire_id", Kind.REF, ref="questionnaire"),
        _f("code", max_length=16, editable=False),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
        _f("created_at", Kind.DATETIME, editable=False),
        _f("published_at", Kind.DATETIME, editable=False),
        _f("history", Kind.JSON_LIST, editable=False),
    ),
    "民主协商", "Consultation", client_create=True, client_update=True,
))
CONSULTATION_COMMENT = _entity(EntitySpec(
    "consultation_comment", "consultation_comments", (
        _f("consultation_id", Kind.REF, required=True, ref="consultation", editable=False),
        _f("grid_id", Kind.REF, ref="grid", editable=False),
        _f("author_kind", required=True, choices=PARTICIPATION_PEOPLE, default="resident",
           editable=False),
        _f("sender_id", max_length=64, editable=False),
        _f("sender_name", max_length=64, editable=False),
        _f("household_id", Kind.REF, ref="household", editable=False),
        _f("staff_id", Kind.REF, ref="staff", editable=False),
        _f("stance", choices=STANCES, editable=False),
        _f("choice", max_length=4, editable=False),
        _f("text", Kind.TEXT, editable=False),
        _f("channel", required=True, choices=COMMENT_CHANNELS, editable=False),
        _f("stage", choices=CONSULTATION_STAGES, editable=False),
        _f("received_at", Kind.DATETIME, required=True, editable=False),
        _f("message_id", max_length=128, editable=False),
    ),
    "协商意见", "Consultation comment", client_create=True,
))
CONSULTATION_MEETING = _entity(EntitySpec(
    "consultation_meeting", "consultation_meetings", (
        _f("consultation_id", Kind.REF, required=True, ref="consultation", editable=False),
        _f("held_at", Kind.DATETIME, required=True),
        _f("place", max_length=128),
        _f("attendees", Kind.JSON_LIST),
        _f("minutes", Kind.TEXT),
        _f("photos", Kind.JSON_LIST),
        _f("votes", Kind.JSON_OBJECT),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
    ),
    "线下协商会", "Consultation meeting", client_create=True, client_update=True,
))
VOLUNTEER = _entity(EntitySpec(
    "volunteer", "volunteers", (
        _f("community_id", Kind.REF, required=True, ref="community", editable=False),
        _f("name", required=True, max_length=64),
        _f("household_id", Kind.REF, ref="household"),
        _f("phone", max_length=32, sensitive=True),
        _f("skills", Kind.JSON_LIST),
        _f("availability", max_length=128),
        _f("sender_id", max_length=64, editable=False),
        _f("active", Kind.BOOL, default=True),
        _f("joined_at", Kind.DATETIME, editable=False),
    ),
    "志愿者", "Volunteer", client_create=True, client_update=True,
))
VOLUNTEER_ACTIVITY = _entity(EntitySpec(
    "volunteer_activity", "volunteer_activities", (
        _f("community_id", Kind.REF, required=True, ref="community", editable=False),
        _f("grid_ids", Kind.JSON_LIST),
        _f("title", required=True, max_length=128),
        _f("description", Kind.TEXT),
        _f("place", max_length=128),
        _f("starts_at", Kind.DATETIME, required=True),
        _f("ends_at", Kind.DATETIME),
        _f("needed", Kind.INT),
        _f("signups", Kind.JSON_LIST, editable=False),
        _f("attended", Kind.JSON_LIST, editable=False),
        _f("status", required=True, choices=ACTIVITY_STATUSES, default="draft",
           editable=False),
        _f("code", max_length=16, editable=False),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
    ),
    "志愿活动", "Volunteer activity", client_create=True, client_update=True,
))

DEVICE_STATUSES = ("active", "revoked")
DEVICE = _entity(EntitySpec(
    "device", "devices", (
        _f("staff_id", Kind.REF, required=True, ref="staff", editable=False),
        _f("device_id", required=True, max_length=64, editable=False),
        _f("name", max_length=128, editable=False),
        _f("first_seen_at", Kind.DATETIME, editable=False),
        _f("last_seen_at", Kind.DATETIME, editable=False),
        _f("status", required=True, choices=DEVICE_STATUSES, default="active",
           editable=False),
        _f("revoked_at", Kind.DATETIME, editable=False),
        _f("revoked_by_id", Kind.REF, ref="staff", editable=False),
        _f("revoked_reason", Kind.TEXT, editable=False),
    ),
    "设备", "Device",
))
"""A computer a staff member signed in on (one record per staff member and device id;
the server writes it at each sign-in). Seen by admins and by the supervisors of the
staff member's street, who may ``revoke`` it: the device's sessions end, and at its next
contact the app deletes its local data (``docs/sync-protocol.md``)."""

COVER_STATUSES = ("active", "ended")
COVER = _entity(EntitySpec(
    "cover", "covers", (
        _f("staff_id", Kind.REF, required=True, ref="staff", editable=False, on_create=True),
        _f("grid_id", Kind.REF, required=True, ref="grid", editable=False, on_create=True),
        _f("starts_on", Kind.DATE, required=True, editable=False, on_create=True),
        _f("ends_on", Kind.DATE, required=True, editable=False, on_create=True),
        _f("note", Kind.TEXT, editable=False, on_create=True),
        _f("status", required=True, choices=COVER_STATUSES, default="active",
           editable=False),
        _f("created_by_id", Kind.REF, ref="staff", editable=False),
        _f("ended_at", Kind.DATETIME, editable=False),
    ),
    "临时顶岗", "Cover",
    client_create=True,
))
"""A social worker covering a grid for a while ("worker3 covers grid 7 from 12-08 to
12-20"): from ``starts_on`` to ``ends_on`` (Shanghai days, both included) the grid is one
of theirs, then it is not, by itself (a job marks the record ``ended``; ``end`` ends it
early). Seen by the worker and by admins and the grid's street's supervisors."""

WECHAT_GROUP_KINDS = ("grid", "function")
WECHAT_GROUP = _entity(EntitySpec(
    "wechat_group", "wechat_groups", (
        _f("group_id", required=True, max_length=64, editable=False, on_create=True),
        _f("name", max_length=128, editable=False, on_create=True),
        _f("kind", choices=WECHAT_GROUP_KINDS, default="grid", editable=False,
           on_create=True),
        _f("grid_id", Kind.REF, ref="grid", editable=False),
        _f("community_id", Kind.REF, ref="community", editable=False),
        _f("first_seen_at", Kind.DATETIME, editable=False),
        _f("waiting", Kind.INT, default=0, editable=False),
        _f("proposed_community_id", Kind.REF, ref="community", editable=False),
        _f("proposed_street_id", Kind.REF, ref="street", editable=False),
    ),
    "微信群", "WeChat group",
    client_create=True,
))
"""The registry of WeChat groups the 鼓宝 bot forwards from, mapped to a grid (a grid's
residents' group) or a community (a function group). A group the bot forwards from that
nobody registered is added unmapped, with the count of its ``waiting`` (unrouted)
messages; ``map`` routes them at once. The server proposes the community (or only the
street) the group's name names (``proposed_community_id``, ``proposed_street_id``,
:mod:`gulou_desk.domain.group_places`): the group and its waiting messages are then in
that community's clerks' scope, who map it to a grid or the whole community, or
``decline`` it (not theirs: back to the admins)."""

CATALOGUE_KINDS = ("category", "priority", "canned_reply")
CATALOGUE_ENTRY = _entity(EntitySpec(
    "catalogue_entry", "catalogue_entries", (
        _f("kind", required=True, choices=CATALOGUE_KINDS, editable=False, on_create=True),
        _f("code", max_length=32, editable=False, on_create=True),
        _f("name", max_length=32),
        _f("name_en", max_length=64),
        _f("sla_days", Kind.INT),
        _f("text", Kind.TEXT, max_length=REPLY_MAX_LENGTH),
        _f("position", Kind.INT),
        _f("active", Kind.BOOL, default=True),
    ),
    "目录", "Catalogue entry", reference=True, client_create=True, client_update=True,
))
"""The district's catalogues that administrators edit (issue 18 item 5): a ticket
category's SLA in working days (``code`` a category of ``gulou_desk.domain.sla``), a
priority's cap on it (``code`` a ticket priority; empty ``sla_days``: no cap), a canned
reply to residents (``text``, listed by ``position`` while ``active``). Rules in
``gulou_desk/domain/catalogue.py``; admins only (``server/push.py``)."""

# The order in which a fresh copy is best applied (referenced records first).
ENTITY_ORDER: tuple[str, ...] = tuple(ENTITIES)


def entity(name: str) -> EntitySpec:
    """The spec of an entity; ``KeyError`` for an unknown name."""
    return ENTITIES[name]


def new_id() -> str:
    return str(uuid.uuid4())


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in its canonical form (what :func:`new_id` makes)."""
    try:
        return len(text) == ID_LENGTH and str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


def now() -> dt.datetime:
    """The current time, aware, in Asia/Shanghai (the zone every user works in)."""
    return dt.datetime.now(SHANGHAI)


# --- wire conversion ----------------------------------------------------------------


class WireError(ValueError):
    """A wire value does not fit its field; ``field`` names it, ``code`` says why."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def format_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds")


def parse_datetime(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("time without an offset")
    return value


def moment_or_none(value: object) -> dt.datetime | None:
    """``value`` read as a time with its offset (ISO 8601 text, as the server sends and the
    store keeps); anything else is no time."""
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def text_problem(text: str) -> tuple[str, str] | None:
    """``(code, message)`` when ``text`` cannot be stored as text anywhere: a NUL
    character (PostgreSQL refuses it) or a lone surrogate (no UTF-8 encoding). The
    client checks its edits with this too, so what it queues the server accepts."""
    if "\x00" in text:
        return "nul", "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate", "contains a lone surrogate (half of a character)"
    return None


def text_limit(spec: FieldSpec) -> int | None:
    """The most characters a field holds: its ``max_length``, else its column's width
    (STR and REF columns are ``STR_LENGTH`` wide), else none (TEXT)."""
    if spec.max_length is not None:
        return spec.max_length
    return STR_LENGTH if spec.kind in (Kind.STR, Kind.REF) else None


def date_in_range(value: dt.date) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def json_problem(value: Any, depth: int = 0) -> tuple[str, str] | None:
    """The first problem of a JSON value (text that cannot be stored, a number that is
    not finite, nesting deeper than ``JSON_MAX_DEPTH``), or None."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, float):
        return None if math.isfinite(value) else ("not_finite", "NaN or infinity")
    if isinstance(value, list | dict):
        if depth >= JSON_MAX_DEPTH:
            return "too_deep", f"nested deeper than {JSON_MAX_DEPTH}"
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            problem = (text_problem(key) if isinstance(key, str) else None) or \
                json_problem(item, depth + 1)
            if problem is not None:
                return problem
    return None


def value_to_wire(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind is Kind.DATETIME:
        return format_datetime(value)
    if spec.kind is Kind.DATE:
        return value.isoformat()
    return value


def value_from_wire(spec: FieldSpec, value: Any) -> Any:
    """Convert one JSON value to its Python value, or raise :class:`WireError`."""
    if value is None:
        return None
    kind = spec.kind
    try:
        if kind in (Kind.STR, Kind.TEXT, Kind.REF):
            if not isinstance(value, str):
                raise TypeError
            bad = text_problem(value)
            if bad is not None:
                raise WireError(spec.name, bad[0], f"{spec.name}: {bad[1]}")
            limit = text_limit(spec)
            if limit is not None and len(value) > limit:
                raise WireError(spec.name, "too_long",
                                f"{spec.name}: at most {limit} characters")
            if spec.choices is not None and value not in spec.choices:
                raise WireError(spec.name, "invalid_choice",
                                f"{spec.name}: must be one of {', '.join(spec.choices)}")
            return value
        if kind is Kind.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            if not INT_RANGE[0] <= value <= INT_RANGE[1]:
                raise WireError(spec.name, "out_of_range", f"{spec.name}: too large")
            return value
        if kind is Kind.FLOAT:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            if not math.isfinite(value):
                raise WireError(spec.name, "not_finite", f"{spec.name}: NaN or infinity")
            return float(value)
        if kind is Kind.BOOL:
            if not isinstance(value, bool):
                raise TypeError
            return value
        if kind is Kind.DATE:
            if not isinstance(value, str):
                raise TypeError
            day = dt.date.fromisoformat(value)
            _check_range(spec, day)
            return day
        if kind is Kind.DATETIME:
            if not isinstance(value, str):
                raise TypeError
            moment = parse_datetime(value)
            offset = moment.utcoffset() or dt.timedelta()
            if offset % dt.timedelta(minutes=1):
                raise WireError(spec.name, "offset",
                                f"{spec.name}: the offset must be whole minutes")
            _check_range(spec, moment)
            return moment
        if kind in (Kind.JSON_LIST, Kind.JSON_OBJECT):
            if not isinstance(value, list if kind is Kind.JSON_LIST else dict):
                raise TypeError
            bad = json_problem(value)
            if bad is not None:
                raise WireError(spec.name, bad[0], f"{spec.name}: {bad[1]}")
            return value
    except WireError:
        raise
    except (TypeError, ValueError) as exc:
        raise WireError(spec.name, "invalid_type",
                        f"{spec.name}: expected {kind.value}, got {value!r:.40}") from exc
    raise AssertionError(kind)


def _check_range(spec: FieldSpec, value: dt.date) -> None:
    if not date_in_range(value):
        raise WireError(spec.name, "out_of_range",
                        f"{spec.name}: must be between {EARLIEST_DATE.year} and "
                        f"{LATEST_DATE.year}")


def to_wire(spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """The record's ``data`` object for the wire: every field of the spec."""
    return {f.name: value_to_wire(f, values.get(f.name)) for f in spec.fields}


def from_wire(
    spec: EntitySpec, data: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Python values from a wire ``data`` object.

    Unknown fields raise :class:`WireError` (code ``unknown_field``). With ``partial``
    (an update) only the given fields are converted; otherwise missing fields get their
    empty value.
    """
    out: dict[str, Any] = {}
    for key in data:
        bad = text_problem(key)
        if bad is not None:  # never echo such a name back: it could not be stored
            raise WireError("fields", bad[0], f"a field name {bad[1]}")
        if key not in spec.by_name:
            raise WireError(key, "unknown_field", f"{spec.name} has no field {key!r}")
    for f in spec.fields:
        if f.name in data:
            out[f.name] = value_from_wire(f, data[f.name])
        elif not partial:
            out[f.name] = f.empty_value()
    return out


def missing_required(spec: EntitySpec, values: Mapping[str, Any]) -> list[str]:
    """Names of required fields that are absent or blank."""
    missing = []
    for f in spec.fields:
        if not f.required:
            continue
        value = values.get(f.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(f.name)
    return missing
