"""The synced records as typed dicts: generated from ``gulou_desk/records.py`` by
``scripts/record_types.py``; do not edit (``tests/unit/test_record_types.py`` fails
when this file is behind ``records.py``).

A row as the stores hold it in Python values (``id``, every field, and the
``sync_version`` of the copy: ``None`` for a record not yet on the server).
:func:`typed` gives a row read by entity name its type::

    household = typed("household", queries.get_record(s, "household", hid))
    household["head_name"]  # str; a misspelt field is a mypy error
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal, TypedDict, cast, overload


class AlertRuleRecord(TypedDict):
    """``alert_rule`` (智慧告警规则, Alert rule)."""

    id: str
    name: str
    keywords: list[Any] | None
    with_words: list[Any] | None
    level: str
    notify: list[Any] | None
    scope: str
    street_id: str | None
    community_id: str | None
    active: bool | None
    created_by_id: str | None
    fired_count: int | None
    sync_version: int | None


class AnnouncementRecord(TypedDict):
    """``announcement`` (群公告, Announcement)."""

    id: str
    community_id: str
    grid_ids: list[Any] | None
    kind: str
    title: str
    text: str
    send_at: dt.datetime | None
    recurrence: str
    status: str
    created_by_id: str | None
    approved_by_id: str | None
    sent_at: dt.datetime | None
    sent_count: int | None
    history: list[Any] | None
    sync_version: int | None


class BotQuestionRecord(TypedDict):
    """``bot_question`` (未答问题, Unanswered question)."""

    id: str
    community_id: str | None
    grid_id: str | None
    group_id: str | None
    text: str
    asked_at: dt.datetime
    best_score: float | None
    count: int | None
    status: str
    entry_id: str | None
    sync_version: int | None


class CatalogueEntryRecord(TypedDict):
    """``catalogue_entry`` (目录, Catalogue entry)."""

    id: str
    kind: str
    code: str | None
    name: str | None
    name_en: str | None
    sla_days: int | None
    text: str | None
    position: int | None
    active: bool | None
    sync_version: int | None


class CommunityRecord(TypedDict):
    """``community`` (社区, Community)."""

    id: str
    street_id: str
    name: str
    address: str | None
    sync_version: int | None


class ConsultationRecord(TypedDict):
    """``consultation`` (民主协商, Consultation)."""

    id: str
    community_id: str
    grid_ids: list[Any] | None
    topic: str
    background: str | None
    proposer_kind: str
    proposer_name: str | None
    proposer_household_id: str | None
    stage: str
    options: list[Any] | None
    decision: str | None
    announcement: str | None
    ticket_ids: list[Any] | None
    questionnaire_id: str | None
    code: str | None
    created_by_id: str | None
    created_at: dt.datetime | None
    published_at: dt.datetime | None
    history: list[Any] | None
    sync_version: int | None


class ConsultationCommentRecord(TypedDict):
    """``consultation_comment`` (协商意见, Consultation comment)."""

    id: str
    consultation_id: str
    grid_id: str | None
    author_kind: str
    sender_id: str | None
    sender_name: str | None
    household_id: str | None
    staff_id: str | None
    stance: str | None
    choice: str | None
    text: str | None
    channel: str
    stage: str | None
    received_at: dt.datetime
    message_id: str | None
    sync_version: int | None


class ConsultationMeetingRecord(TypedDict):
    """``consultation_meeting`` (线下协商会, Consultation meeting)."""

    id: str
    consultation_id: str
    held_at: dt.datetime
    place: str | None
    attendees: list[Any] | None
    minutes: str | None
    photos: list[Any] | None
    votes: dict[str, Any] | None
    created_by_id: str | None
    sync_version: int | None


class CoverRecord(TypedDict):
    """``cover`` (临时顶岗, Cover)."""

    id: str
    staff_id: str
    grid_id: str
    starts_on: dt.date
    ends_on: dt.date
    note: str | None
    status: str
    created_by_id: str | None
    ended_at: dt.datetime | None
    sync_version: int | None


class DeviceRecord(TypedDict):
    """``device`` (设备, Device)."""

    id: str
    staff_id: str
    device_id: str
    name: str | None
    first_seen_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    status: str
    revoked_at: dt.datetime | None
    revoked_by_id: str | None
    revoked_reason: str | None
    sync_version: int | None


class GridRecord(TypedDict):
    """``grid`` (网格, Grid)."""

    id: str
    community_id: str
    name: str
    worker_ids: list[Any] | None
    wechat_group_id: str | None
    sync_version: int | None


class HouseholdRecord(TypedDict):
    """``household`` (户, Household)."""

    id: str
    grid_id: str
    estate: str
    building: str | None
    unit: str | None
    room: str | None
    address: str | None
    head_name: str
    phone: str | None
    tags: list[Any] | None
    visit_cadence_days: int | None
    last_visit_at: dt.datetime | None
    notes: str | None
    status: str
    created_at: dt.datetime | None
    sync_version: int | None


class InboxMessageRecord(TypedDict):
    """``inbox_message`` (群消息诉求, Inbox message)."""

    id: str
    source: str
    group_id: str | None
    group_name: str | None
    grid_id: str | None
    sender_id: str | None
    sender_name: str | None
    text: str
    keyword: str | None
    sent_at: dt.datetime
    status: str
    ticket_id: str | None
    reason: str | None
    dismissed_at: dt.datetime | None
    reply_text: str | None
    replies: list[Any] | None
    urgent: bool | None
    community_id: str | None
    sync_version: int | None


class KnowledgeEntryRecord(TypedDict):
    """``knowledge_entry`` (民生问答, Knowledge entry)."""

    id: str
    question: str
    answer: str
    keywords: list[Any] | None
    scope: str
    street_id: str | None
    community_id: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    active: bool | None
    owner_id: str | None
    hit_count: int | None
    last_hit_at: dt.datetime | None
    created_at: dt.datetime | None
    sync_version: int | None


class PerformanceRecordRecord(TypedDict):
    """``performance_record`` (绩效考核, Performance record)."""

    id: str
    worker_id: str
    period: str
    figures: dict[str, Any] | None
    self_assessment: str | None
    score: float | None
    status: str
    supervisor_id: str | None
    decision_comment: str | None
    history: list[Any] | None
    sync_version: int | None


class QuestionnaireRecord(TypedDict):
    """``questionnaire`` (民主问卷, Questionnaire)."""

    id: str
    community_id: str
    grid_ids: list[Any] | None
    title: str
    intro: str | None
    questions: list[Any] | None
    template: str | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    status: str
    results_visibility: str
    code: str | None
    created_by_id: str | None
    created_at: dt.datetime | None
    closed_at: dt.datetime | None
    sync_version: int | None


class QuestionnaireResponseRecord(TypedDict):
    """``questionnaire_response`` (问卷答复, Questionnaire response)."""

    id: str
    questionnaire_id: str
    grid_id: str | None
    household_id: str | None
    sender_id: str | None
    sender_name: str | None
    answers: dict[str, Any] | None
    channel: str
    received_at: dt.datetime
    entered_by_id: str | None
    message_id: str | None
    history: list[Any] | None
    sync_version: int | None


class ResidentRecord(TypedDict):
    """``resident`` (居民, Resident)."""

    id: str
    household_id: str
    name: str
    gender: str | None
    birth_date: dt.date | None
    id_number: str | None
    phone: str | None
    relation: str | None
    tags: list[Any] | None
    status: str
    sync_version: int | None


class ServiceItemRecord(TypedDict):
    """``service_item`` (便民服务, Service item)."""

    id: str
    category: str
    name: str
    address: str | None
    hours: str | None
    phone: str | None
    documents: list[Any] | None
    steps: str | None
    online_link: str | None
    keywords: list[Any] | None
    scope: str
    street_id: str | None
    community_id: str | None
    active: bool | None
    sync_version: int | None


class StaffRecord(TypedDict):
    """``staff`` (工作人员, Staff)."""

    id: str
    username: str
    display_name: str
    role: str
    community_id: str | None
    street_id: str | None
    active: bool | None
    phone: str | None
    sync_version: int | None


class StreetRecord(TypedDict):
    """``street`` (街道, Street)."""

    id: str
    name: str
    sync_version: int | None


class TicketRecord(TypedDict):
    """``ticket`` (工单, Ticket)."""

    id: str
    number: str | None
    title: str
    description: str | None
    category: str
    priority: str
    status: str
    source: str | None
    household_id: str | None
    visit_id: str | None
    grid_id: str
    assignee_id: str | None
    created_by_id: str | None
    created_at: dt.datetime | None
    due_at: dt.datetime | None
    source_message_ids: list[Any] | None
    resolution: str | None
    satisfaction: str | None
    merged_into_id: str | None
    escalated: bool | None
    paused_at: dt.datetime | None
    sync_version: int | None


class TicketEventRecord(TypedDict):
    """``ticket_event`` (工单记录, Ticket event)."""

    id: str
    ticket_id: str
    actor_id: str | None
    kind: str
    body: str | None
    at: dt.datetime
    data: dict[str, Any] | None
    sync_version: int | None


class VisitRecord(TypedDict):
    """``visit`` (走访记录, Visit)."""

    id: str
    household_id: str
    worker_id: str
    template_id: str
    template_version: int
    visited_at: dt.datetime
    answers: dict[str, Any] | None
    notes: str | None
    follow_up: bool | None
    photos: list[Any] | None
    sync_version: int | None


class VisitTemplateRecord(TypedDict):
    """``visit_template`` (走访表单, Visit form)."""

    id: str
    name: str
    version: int
    fields: list[Any] | None
    active: bool | None
    name_en: str | None
    form_id: str | None
    published_at: dt.datetime | None
    published_by_id: str | None
    sync_version: int | None


class VolunteerRecord(TypedDict):
    """``volunteer`` (志愿者, Volunteer)."""

    id: str
    community_id: str
    name: str
    household_id: str | None
    phone: str | None
    skills: list[Any] | None
    availability: str | None
    sender_id: str | None
    active: bool | None
    joined_at: dt.datetime | None
    sync_version: int | None


class VolunteerActivityRecord(TypedDict):
    """``volunteer_activity`` (志愿活动, Volunteer activity)."""

    id: str
    community_id: str
    grid_ids: list[Any] | None
    title: str
    description: str | None
    place: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    needed: int | None
    signups: list[Any] | None
    attended: list[Any] | None
    status: str
    code: str | None
    created_by_id: str | None
    sync_version: int | None


class WechatGroupRecord(TypedDict):
    """``wechat_group`` (微信群, WeChat group)."""

    id: str
    group_id: str
    name: str | None
    kind: str | None
    grid_id: str | None
    community_id: str | None
    first_seen_at: dt.datetime | None
    waiting: int | None
    proposed_community_id: str | None
    proposed_street_id: str | None
    sync_version: int | None


ENTITY_TYPES: dict[str, type] = {
    "alert_rule": AlertRuleRecord,
    "announcement": AnnouncementRecord,
    "bot_question": BotQuestionRecord,
    "catalogue_entry": CatalogueEntryRecord,
    "community": CommunityRecord,
    "consultation": ConsultationRecord,
    "consultation_comment": ConsultationCommentRecord,
    "consultation_meeting": ConsultationMeetingRecord,
    "cover": CoverRecord,
    "device": DeviceRecord,
    "grid": GridRecord,
    "household": HouseholdRecord,
    "inbox_message": InboxMessageRecord,
    "knowledge_entry": KnowledgeEntryRecord,
    "performance_record": PerformanceRecordRecord,
    "questionnaire": QuestionnaireRecord,
    "questionnaire_response": QuestionnaireResponseRecord,
    "resident": ResidentRecord,
    "service_item": ServiceItemRecord,
    "staff": StaffRecord,
    "street": StreetRecord,
    "ticket": TicketRecord,
    "ticket_event": TicketEventRecord,
    "visit": VisitRecord,
    "visit_template": VisitTemplateRecord,
    "volunteer": VolunteerRecord,
    "volunteer_activity": VolunteerActivityRecord,
    "wechat_group": WechatGroupRecord,
}


@overload
def typed(entity: Literal["alert_rule"],
          row: Mapping[str, Any]) -> AlertRuleRecord: ...
@overload
def typed(entity: Literal["alert_rule"], row: None) -> None: ...

@overload
def typed(entity: Literal["announcement"],
          row: Mapping[str, Any]) -> AnnouncementRecord: ...
@overload
def typed(entity: Literal["announcement"], row: None) -> None: ...

@overload
def typed(entity: Literal["bot_question"],
          row: Mapping[str, Any]) -> BotQuestionRecord: ...
@overload
def typed(entity: Literal["bot_question"], row: None) -> None: ...

@overload
def typed(entity: Literal["catalogue_entry"],
          row: Mapping[str, Any]) -> CatalogueEntryRecord: ...
@overload
def typed(entity: Literal["catalogue_entry"], row: None) -> None: ...

@overload
def typed(entity: Literal["community"],
          row: Mapping[str, Any]) -> CommunityRecord: ...
@overload
def typed(entity: Literal["community"], row: None) -> None: ...

@overload
def typed(entity: Literal["consultation"],
          row: Mapping[str, Any]) -> ConsultationRecord: ...
@overload
def typed(entity: Literal["consultation"], row: None) -> None: ...

@overload
def typed(entity: Literal["consultation_comment"],
          row: Mapping[str, Any]) -> ConsultationCommentRecord: ...
@overload
def typed(entity: Literal["consultation_comment"], row: None) -> None: ...

@overload
def typed(entity: Literal["consultation_meeting"],
          row: Mapping[str, Any]) -> ConsultationMeetingRecord: ...
@overload
def typed(entity: Literal["consultation_meeting"], row: None) -> None: ...

@overload
def typed(entity: Literal["cover"],
          row: Mapping[str, Any]) -> CoverRecord: ...
@overload
def typed(entity: Literal["cover"], row: None) -> None: ...

@overload
def typed(entity: Literal["device"],
          row: Mapping[str, Any]) -> DeviceRecord: ...
@overload
def typed(entity: Literal["device"], row: None) -> None: ...

@overload
def typed(entity: Literal["grid"],
          row: Mapping[str, Any]) -> GridRecord: ...
@overload
def typed(entity: Literal["grid"], row: None) -> None: ...

@overload
def typed(entity: Literal["household"],
          row: Mapping[str, Any]) -> HouseholdRecord: ...
@overload
def typed(entity: Literal["household"], row: None) -> None: ...

@overload
def typed(entity: Literal["inbox_message"],
          row: Mapping[str, Any]) -> InboxMessageRecord: ...
@overload
def typed(entity: Literal["inbox_message"], row: None) -> None: ...

@overload
def typed(entity: Literal["knowledge_entry"],
          row: Mapping[str, Any]) -> KnowledgeEntryRecord: ...
@overload
def typed(entity: Literal["knowledge_entry"], row: None) -> None: ...

@overload
def typed(entity: Literal["performance_record"],
          row: Mapping[str, Any]) -> PerformanceRecordRecord: ...
@overload
def typed(entity: Literal["performance_record"], row: None) -> None: ...

@overload
def typed(entity: Literal["questionnaire"],
          row: Mapping[str, Any]) -> QuestionnaireRecord: ...
@overload
def typed(entity: Literal["questionnaire"], row: None) -> None: ...

@overload
def typed(entity: Literal["questionnaire_response"],
          row: Mapping[str, Any]) -> QuestionnaireResponseRecord: ...
@overload
def typed(entity: Literal["questionnaire_response"], row: None) -> None: ...

@overload
def typed(entity: Literal["resident"],
          row: Mapping[str, Any]) -> ResidentRecord: ...
@overload
def typed(entity: Literal["resident"], row: None) -> None: ...

@overload
def typed(entity: Literal["service_item"],
          row: Mapping[str, Any]) -> ServiceItemRecord: ...
@overload
def typed(entity: Literal["service_item"], row: None) -> None: ...

@overload
def typed(entity: Literal["staff"],
          row: Mapping[str, Any]) -> StaffRecord: ...
@overload
def typed(entity: Literal["staff"], row: None) -> None: ...

@overload
def typed(entity: Literal["street"],
          row: Mapping[str, Any]) -> StreetRecord: ...
@overload
def typed(entity: Literal["street"], row: None) -> None: ...

@overload
def typed(entity: Literal["ticket"],
          row: Mapping[str, Any]) -> TicketRecord: ...
@overload
def typed(entity: Literal["ticket"], row: None) -> None: ...

@overload
def typed(entity: Literal["ticket_event"],
          row: Mapping[str, Any]) -> TicketEventRecord: ...
@overload
def typed(entity: Literal["ticket_event"], row: None) -> None: ...

@overload
def typed(entity: Literal["visit"],
          row: Mapping[str, Any]) -> VisitRecord: ...
@overload
def typed(entity: Literal["visit"], row: None) -> None: ...

@overload
def typed(entity: Literal["visit_template"],
          row: Mapping[str, Any]) -> VisitTemplateRecord: ...
@overload
def typed(entity: Literal["visit_template"], row: None) -> None: ...

@overload
def typed(entity: Literal["volunteer"],
          row: Mapping[str, Any]) -> VolunteerRecord: ...
@overload
def typed(entity: Literal["volunteer"], row: None) -> None: ...

@overload
def typed(entity: Literal["volunteer_activity"],
          row: Mapping[str, Any]) -> VolunteerActivityRecord: ...
@overload
def typed(entity: Literal["volunteer_activity"], row: None) -> None: ...

@overload
def typed(entity: Literal["wechat_group"],
          row: Mapping[str, Any]) -> WechatGroupRecord: ...
@overload
def typed(entity: Literal["wechat_group"], row: None) -> None: ...


def typed(entity: str, row: Mapping[str, Any] | None) -> Any:
    """``row`` (a row of ``entity``, or ``None``) as its typed dict; no copy, no
    check at run time: the store built the row from the same spec."""
    if entity not in ENTITY_TYPES:
        raise KeyError(f"no synced record {entity!r}")
    return cast(Any, row)
