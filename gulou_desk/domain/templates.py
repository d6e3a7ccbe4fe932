"""The default visit form templates (走访表单) that a fresh server starts with.

Each template is a ``visit_template`` record as Python values (its id and every field,
each the first version of its own form: ``form_id`` is its id). The field definitions
follow the schema of :mod:`gulou_desk.domain.forms`. Ids are ``uuid5`` of a
fixed namespace, so every server and every demo database agrees on them.

The dicts are shared: treat them as read-only and ``copy.deepcopy`` one before changing
it. A change to a template's fields must come with a new ``version`` (visits record the
version they were filled with).
"""

from __future__ import annotations

import uuid
from typing import Any

TEMPLATE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gulou-desk:visit-template")
ROUTINE_TEMPLATE_ID = str(uuid.uuid5(TEMPLATE_NAMESPACE, "routine-visit"))
ELDERLY_CARE_TEMPLATE_ID = str(uuid.uuid5(TEMPLATE_NAMESPACE, "elderly-living-alone-care"))

# Mainland mobile, landline with area code (025-83331234) or an 8-digit Nanjing number.
PHONE_PATTERN = r"(?:\+?86)?1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{8}"


def _label(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _opt(value: str, zh: str, en: str) -> dict[str, Any]:
    return {"value": value, "label": _label(zh, en)}


def _field(
    key: str, type_: str, zh: str, en: str, *, required: bool = False, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": key, "type": type_, "label": _label(zh, en), "required": required,
    }
    out.update(extra)
    return out


def _when(key: str, value: Any) -> dict[str, Any]:
    return {"field": key, "equals": value}


def _when_in(key: str, values: list[Any]) -> dict[str, Any]:
    return {"field": key, "in": values}


_NEEDS_OPTIONS = [
    _opt("meal_aid", "助餐", "Meal aid"),
    _opt("medical", "就医协助", "Help with medical care"),
    _opt("housekeeping", "家政服务", "Housekeeping"),
    _opt("home_repair", "居家维修", "Home repairs"),
    _opt("policy", "政策咨询", "Policy questions"),
    _opt("employment", "就业帮扶", "Employment support"),
    _opt("legal_aid", "法律援助", "Legal aid"),
    _opt("counselling", "心理疏导", "Counselling"),
    _opt("other", "其他", "Other"),
]

# Problem categories use the ticket category codes of gulou_desk.domain.sla, so a
# problem found on a visit can become a ticket of that category.
_PROBLEM_CATEGORY_OPTIONS = [
    _opt("municipal", "市政设施", "Municipal facilities"),
    _opt("sanitation", "环境卫生", "Sanitation"),
    _opt("property", "物业管理", "Property management"),
    _opt("neighbour_dispute", "邻里纠纷", "Neighbour dispute"),
    _opt("elderly_care", "养老服务", "Elderly care"),
    _opt("public_safety", "治安安全", "Public safety"),
    _opt("social_assistance", "社会救助", "Social assistance"),
    _opt("policy", "政策咨询", "Policy question"),
    _opt("other", "其他", "Other"),
]

_ROUTINE_FIELDS: list[dict[str, Any]] = [
    _field("interviewee", "text", "受访人", "Person interviewed", required=True,
           max_length=32,
           help=_label("填写实际接受走访的家庭成员姓名",
                       "Name of the household member you spoke to")),
    _field("people_at_home", "number", "在家人数", "People at home", required=True,
           min=0, max=20, integer=True),
    _field("living_situation", "choice", "生活状况", "Living situation", required=True,
           options=[
               _opt("good", "良好", "Good"),
               _opt("average", "一般", "Average"),
               _opt("difficult", "困难", "Difficult"),
           ]),
    _field("difficulty_detail", "long_text", "困难情况说明", "Details of the difficulty",
           required=True, max_length=500, show_if=_when("living_situation", "difficult")),
    _field("needs", "multi_choice", "居民需求", "Needs", options=_NEEDS_OPTIONS),
    _field("needs_other", "text", "其他需求", "Other need", required=True, max_length=100,
           show_if=_when("needs", "other")),
    _field("problem_found", "yes_no", "发现问题", "Problem found", required=True),
    _field("problem_category", "choice", "问题类别", "Problem category", required=True,
           options=_PROBLEM_CATEGORY_OPTIONS, show_if=_when("problem_found", True)),
    _field("problem_detail", "long_text", "问题描述", "Problem description", required=True,
           max_length=1000, show_if=_when("problem_found", True)),
    _field("follow_up_needed", "yes_no", "需要跟进", "Follow-up needed", required=True),
    _field("follow_up_plan", "long_text", "跟进计划", "Follow-up plan", required=True,
           max_length=500, show_if=_when("follow_up_needed", True)),
    _field("follow_up_date", "date", "计划跟进日期", "Planned follow-up date",
           show_if=_when("follow_up_needed", True)),
    _field("photos", "photo", "现场照片", "Photos",
           help=_label("仅在居民同意时拍摄", "Only with the resident's consent")),
    _field("remarks", "long_text", "备注", "Remarks", max_length=1000),
]

_YES_NO_HAZARD = [
    _opt("ok", "正常", "OK"),
    _opt("hazard", "存在隐患", "Hazard found"),
]

_ELDERLY_CARE_FIELDS: list[dict[str, Any]] = [
    _field("health_status", "choice", "健康状况", "Health", required=True, options=[
        _opt("good", "良好", "Good"),
        _opt("fair", "一般", "Fair"),
        _opt("poor", "较差", "Poor"),
        _opt("bedridden", "卧床", "Bedridden"),
    ]),
    _field("chronic_conditions", "multi_choice", "慢性病", "Chronic conditions", options=[
        _opt("hypertension", "高血压", "Hypertension"),
        _opt("diabetes", "糖尿病", "Diabetes"),
        _opt("heart", "心脏病", "Heart disease"),
        _opt("stroke", "脑卒中后遗症", "After-effects of stroke"),
        _opt("dementia", "认知障碍", "Dementia"),
        _opt("other", "其他", "Other"),
    ]),
    _field("systolic_bp", "number", "收缩压 (mmHg)", "Systolic blood pressure (mmHg)",
           min=60, max=260, integer=True),
    _field("diastolic_bp", "number", "舒张压 (mmHg)", "Diastolic blood pressure (mmHg)",
           min=30, max=160, integer=True),
    _field("mobility", "choice", "行动能力", "Mobility", required=True, options=[
        _opt("independent", "自理", "Independent"),
        _opt("walking_aid", "借助辅具", "Uses a walking aid"),
        _opt("needs_help", "需人协助", "Needs help"),
        _opt("bedridden", "卧床", "Bedridden"),
    ]),
    _field("takes_medication", "yes_no", "长期服药", "Takes regular medication",
           required=True),
    _field("medication_list", "text", "所服药物", "Medication taken", required=True,
           max_length=200, show_if=_when("takes_medication", True)),
    _field("medication_on_time", "yes_no", "能按时服药", "Takes it on time", required=True,
           show_if=_when("takes_medication", True)),
    _field("gas_check", "choice", "燃气安全检查", "Gas safety check", required=True,
           options=[*_YES_NO_HAZARD, _opt("no_gas", "未通燃气", "No gas supply")]),
    _field("gas_hazard_detail", "long_text", "燃气隐患说明", "Gas hazard details",
           required=True, max_length=500, show_if=_when("gas_check", "hazard")),
    _field("electric_check", "choice", "用电安全检查", "Electrical safety check",
           required=True, options=list(_YES_NO_HAZARD)),
    _field("electric_hazard_detail", "long_text", "用电隐患说明",
           "Electrical hazard details", required=True, max_length=500,
           show_if=_when("electric_check", "hazard")),
    _field("smoke_alarm", "choice", "烟感报警器", "Smoke alarm", required=True, options=[
        _opt("working", "正常", "Working"),
        _opt("not_working", "故障", "Not working"),
        _opt("none", "未安装", "None installed"),
    ]),
    _field("fall_risk", "choice", "跌倒风险", "Fall risk", required=True, options=[
        _opt("low", "低", "Low"),
        _opt("medium", "中", "Medium"),
        _opt("high", "高", "High"),
    ]),
    _field("fall_risk_factors", "multi_choice", "跌倒风险因素", "Fall risk factors",
           required=True, show_if=_when_in("fall_risk", ["medium", "high"]), options=[
               _opt("slippery_floor", "地面湿滑", "Slippery floor"),
               _opt("poor_lighting", "照明不足", "Poor lighting"),
               _opt("no_grab_bars", "无扶手", "No grab bars"),
               _opt("unsteady_gait", "步态不稳", "Unsteady gait"),
               _opt("recent_fall", "近期跌倒过", "Fell recently"),
               _opt("poor_eyesight", "视力差", "Poor eyesight"),
           ]),
    _field("meal_needs", "choice", "助餐需求", "Meal aid (助餐) needs", required=True,
           options=[
               _opt("none", "无", "None"),
               _opt("occasional", "偶尔需要", "Occasionally"),
               _opt("daily", "每日需要", "Every day"),
           ]),
    _field("meal_delivery", "yes_no", "需要送餐上门", "Needs meals delivered",
           required=True, show_if=_when_in("meal_needs", ["occasional", "daily"])),
    _field("emergency_contact_name", "text", "紧急联系人", "Emergency contact",
           required=True, max_length=32),
    _field("emergency_contact_phone", "text", "紧急联系人电话", "Emergency contact phone",
           required=True, max_length=20, pattern=PHONE_PATTERN,
           help=_label("手机号或带区号的座机，如 025-83331234",
                       "A mobile number or a landline with area code, e.g. 025-83331234")),
    _field("emergency_contact_relation", "choice", "与老人关系", "Relation to the resident",
           options=[
               _opt("child", "子女", "Child"),
               _opt("relative", "其他亲属", "Other relative"),
               _opt("neighbour", "邻居", "Neighbour"),
               _opt("other", "其他", "Other"),
           ]),
    _field("family_visit_frequency", "choice", "子女探望频率", "How often family visits",
           options=[
               _opt("weekly", "每周", "Weekly"),
               _opt("monthly", "每月", "Monthly"),
               _opt("rarely", "很少", "Rarely"),
               _opt("never", "从不", "Never"),
           ]),
    _field("mood", "choice", "精神状态", "Mood", required=True, options=[
        _opt("good", "良好", "Good"),
        _opt("normal", "一般", "Normal"),
        _opt("low", "低落", "Low"),
        _opt("anxious", "焦虑", "Anxious"),
    ]),
    _field("mood_notes", "long_text", "情绪情况说明", "Notes on mood", required=True,
           max_length=500, show_if=_when_in("mood", ["low", "anxious"])),
    _field("needs", "multi_choice", "居民需求", "Needs", options=_NEEDS_OPTIONS),
    _field("needs_detail", "long_text", "需求说明", "Details of the needs", max_length=500),
    _field("next_visit_date", "date", "约定下次走访日期", "Agreed next visit date"),
    _field("photos", "photo", "现场照片", "Photos",
           help=_label("仅在老人同意时拍摄", "Only with the resident's consent")),
]

DEFAULT_TEMPLATES: tuple[dict[str, Any], ...] = (
    {
        "id": ROUTINE_TEMPLATE_ID,
        "name": "常规走访",
        "name_en": "Routine visit",
        "form_id": ROUTINE_TEMPLATE_ID,
        "version": 1,
        "fields": _ROUTINE_FIELDS,
        "active": True,
        "published_at": None,
        "published_by_id": None,
    },
    {
        "id": ELDERLY_CARE_TEMPLATE_ID,
        "name": "独居老人关爱走访",
        "name_en": "Care visit (elderly living alone)",
        "form_id": ELDERLY_CARE_TEMPLATE_ID,
        "version": 1,
        "fields": _ELDERLY_CARE_FIELDS,
        "active": True,
        "published_at": None,
        "published_by_id": None,
    },
)
