"""Triage of a resident's request from its text: its category, its priority and a short
title, guessed the same way wherever a request arrives (the clerk's "make a ticket" form
prefills from them). Plain text rules; no store, no Qt."""

from __future__ import annotations

KEYWORD_CATEGORIES: dict[str, str] = {
    # municipal facilities
    "路灯": "municipal", "窨井盖": "municipal", "井盖": "municipal", "下水道": "municipal",
    "路面": "municipal", "积水": "municipal", "坑": "municipal", "排水": "municipal",
    # sanitation
    "杂物": "sanitation", "垃圾": "sanitation", "乱扔垃圾": "sanitation",
    "建筑垃圾": "sanitation", "楼道": "sanitation", "清运": "sanitation",
    # property
    "电梯": "property", "漏水": "property", "门禁": "property", "屋顶漏水": "property",
    "物业": "property", "渗水": "property",
    # greening
    "树枝": "greening", "绿化": "greening", "树木": "greening", "草坪": "greening",
    # parking
    "停车": "parking", "僵尸车": "parking", "消防通道": "parking", "占道": "parking",
    # neighbour disputes
    "噪音": "neighbour_dispute", "装修": "neighbour_dispute", "养狗": "neighbour_dispute",
    "空调": "neighbour_dispute", "扰民": "neighbour_dispute", "纠纷": "neighbour_dispute",
    # elderly care
    "无人应答": "elderly_care", "助餐": "elderly_care", "居家养老": "elderly_care",
    "独居老人": "elderly_care", "养老": "elderly_care",
    # public safety
    "保健品": "public_safety", "充电": "public_safety", "撬锁": "public_safety",
    "诈骗": "public_safety", "飞线": "public_safety", "火": "public_safety",
    # social assistance
    "低保": "social_assistance", "残疾证": "social_assistance",
    "困难补助": "social_assistance", "补助": "social_assistance", "救助": "social_assistance",
    # policy questions
    "社保卡": "policy", "资格认证": "policy", "老年证": "policy", "医保": "policy",
    "政策": "policy",
    # certificates
    "居住证明": "certificate", "落户": "certificate", "证明": "certificate",
    # other
    "活动室": "other", "快递柜": "other",
}
"""The bot's matched keyword (or a word in the text) → :mod:`gulou_desk.domain.sla`
category code. Longer words win over shorter ones found in the same text."""

URGENT_WORDS: tuple[str, ...] = (
    "被困", "困人", "着火", "起火", "冒烟", "救命", "无人应答", "晕倒", "煤气", "燃气泄漏",
)
"""Words that make a request urgent (due within one working day)."""

_TITLE_BREAKS = "，。！？,.!?；;\n"
TITLE_CHARS = 30


def guess_category(keyword: str | None, text: str | None) -> str:
    """The category of a request: the keyword's, else the longest known word in the
    text, else ``other``. Always a code of :data:`sla.CATEGORIES`."""
    if keyword and keyword.strip() in KEYWORD_CATEGORIES:
        return KEYWORD_CATEGORIES[keyword.strip()]
    body = text or ""
    for word in sorted(KEYWORD_CATEGORIES, key=len, reverse=True):
        if word in body:
            return KEYWORD_CATEGORIES[word]
    return "other"


def guess_priority(text: str | None) -> str:
    body = text or ""
    return "urgent" if any(word in body for word in URGENT_WORDS) else "normal"


def title_from_text(text: str | None, max_chars: int = TITLE_CHARS) -> str:
    """A short title from a message: its first clause when that says enough, else its
    start, cut at ``max_chars`` with an ellipsis."""
    flat = " ".join((text or "").split())
    if not flat:
        return ""
    for i, char in enumerate(flat):
        if char in _TITLE_BREAKS and i >= 6:
            flat = flat[:i]
            break
    return flat if len(flat) <= max_chars else flat[: max_chars - 1] + "…"
