"""The 鼓宝 console's rules, shared by the server (authority, the bot's answers) and the desk
(instant feedback, the "test the bot" box): what a knowledge entry, a service item, an
announcement and an alert rule must hold; how a resident's question is matched against
the knowledge base and the service catalogue; when an alert rule fires; when a recurring
announcement goes next.

Matching works on Chinese without spaces and without a dictionary: the question and each
entry are normalised (full-width to half-width, punctuation and polite filler dropped,
synonyms mapped to one word), then compared by their keywords (an entry's keyword found
in the question is strong evidence) and by their character bigrams (how much of the
question the entry covers). ``bench/bot_answers.py`` measures precision and recall on
a set of real-style questions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar

from gulou_desk import records
from gulou_desk.domain.problems import Problem

# --- what the records must hold -------------------------------------------------------

MAX_KEYWORDS = 30
KEYWORD_MAX_LENGTH = 32
CONTENT_ENTITIES = frozenset({"knowledge_entry", "service_item", "alert_rule"})
"""Records that apply at a place (``scope``: district, street or community)."""


def message_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _word_list(values: Mapping[str, Any], name: str) -> list[Problem]:
    words = values.get(name)
    if words is None:
        return []
    if not isinstance(words, list) or any(
            not isinstance(w, str) or not w.strip() or len(w) > KEYWORD_MAX_LENGTH
            for w in words):
        return [Problem(name, "invalid_item",
                        f"{name} must be a list of words of 1..{KEYWORD_MAX_LENGTH} characters",
                        {"max": KEYWORD_MAX_LENGTH})]
    if len(words) > MAX_KEYWORDS:
        return [Problem(name, "too_many", f"at most {MAX_KEYWORDS} {name}",
                        {"max": MAX_KEYWORDS})]
    return []


def _one_message(values: Mapping[str, Any], name: str) -> list[Problem]:
    text = values.get(name)
    if isinstance(text, str) and message_bytes(text) > records.BOT_MESSAGE_BYTES:
        return [Problem(name, "too_long_bytes",
                        f"{name}: at most {records.BOT_MESSAGE_BYTES} bytes (one group message)",
                        {"max": records.BOT_MESSAGE_BYTES})]
    return []


def _place(values: Mapping[str, Any]) -> list[Problem]:
    scope = values.get("scope")
    if scope == "street" and not values.get("street_id"):
        return [Problem("street_id", "required", "a street's entry names its street")]
    if scope == "community" and not values.get("community_id"):
        return [Problem("community_id", "required", "a community's entry names its community")]
    return []


def record_problems(entity: str, values: Mapping[str, Any]) -> list[Problem]:
    """Checks beyond the generic ones (types, lengths, choices); fields absent or
    ``None`` are not checked (a partial update)."""
    problems: list[Problem] = []
    if entity in CONTENT_ENTITIES:
        problems += _word_list(values, "keywords")
        problems += _place(values)
    if entity == "knowledge_entry":
        problems += _one_message(values, "answer")
        start, end = values.get("valid_from"), values.get("valid_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            problems.append(Problem("valid_to", "before_start",
                                    "valid_to is before valid_from"))
    elif entity == "service_item":
        problems += _word_list(values, "documents")
        link = values.get("online_link")
        if isinstance(link, str) and link.strip() and not re.match(r"https?://\S+$", link):
            problems.append(Problem("online_link", "invalid_link",
                                    "an online link starts with http:// or https://"))
    elif entity == "alert_rule":
        problems += _word_list(values, "with_words")
        notify = values.get("notify")
        if isinstance(notify, list) and any(n not in records.ALERT_NOTIFY for n in notify):
            problems.append(Problem("notify", "invalid_choice",
                                    f"notify: each one of {', '.join(records.ALERT_NOTIFY)}"))
        if values.get("keywords") is not None and not values.get("keywords"):
            problems.append(Problem("keywords", "required", "a rule needs a keyword"))
    elif entity == "announcement":
        problems += _one_message(values, "text")
        grids = values.get("grid_ids")
        if isinstance(grids, list) and any(not isinstance(g, str) or not g for g in grids):
            problems.append(Problem("grid_ids", "invalid_item", "grid_ids must be ids"))
    return problems


def publish_problems(announcement: Mapping[str, Any]) -> list[Problem]:
    """What an announcement lacks before it can be scheduled (a text, a time)."""
    problems = []
    if not (announcement.get("text") or "").strip():
        problems.append(Problem("text", "required", "an announcement needs a text"))
    if not isinstance(announcement.get("send_at"), dt.datetime):
        problems.append(Problem("send_at", "required", "an announcement needs a time to go"))
    problems += _one_message(announcement, "text")
    return problems


PUBLISHED = ("scheduled", "sent")
"""The states of a published announcement: approved to go, or gone. Only these reach the
social workers of every grid of a community (``server/scope.py``); a draft, one waiting
for a clerk's approval and a cancelled one stay with those who write them."""
WELCOME_LIVE = PUBLISHED
"""The states in which a welcome message greets newcomers (a draft, or a social worker's
draft waiting for a clerk, does not yet)."""


def welcome_of(announcements: Iterable[Mapping[str, Any]], grid_id: str,
               statuses: Iterable[str] = WELCOME_LIVE,
               own: bool = False) -> Mapping[str, Any] | None:
    """The welcome message a grid's group gets: the ``welcome`` announcement of the
    grid's own (targeting just it), else the one for every group of its community (no
    targets); the latest to go of them. Only those in ``statuses``; ``own``: only the
    group's own. The server greets a newcomer with it; the desk lists it per group."""
    states = frozenset(statuses)
    found = [r for r in announcements if r.get("kind") == "welcome"
             and r.get("status") in states
             and (r.get("grid_ids") == [grid_id] or (not own and not r.get("grid_ids")))]

    def key(row: Mapping[str, Any]) -> tuple[bool, dt.datetime]:
        at = row.get("send_at")
        return (row.get("grid_ids") == [grid_id],
                at if isinstance(at, dt.datetime) else dt.datetime.min.replace(tzinfo=dt.UTC))

    return max(reversed(found), key=key, default=None)  # of equals, the last


def next_send_at(announcement: Mapping[str, Any], after: dt.datetime) -> dt.datetime | None:
    """When a recurring announcement goes next after ``after`` (``None``: it does not
    recur). ``weekly``: the same weekday and time a week on (skipping any missed weeks);
    ``holidays``: the time of day on the first day of the next public holiday
    (chinese-calendar)."""
    recurrence = announcement.get("recurrence") or "none"
    send_at = announcement.get("send_at")
    if recurrence == "none" or not isinstance(send_at, dt.datetime):
        return None
    local = send_at.astimezone(records.SHANGHAI)
    if recurrence == "weekly":
        nxt = local + dt.timedelta(days=7)
        while nxt <= after:
            nxt += dt.timedelta(days=7)
        return nxt
    day = max(local.date(), after.astimezone(records.SHANGHAI).date())
    for _ in range(400):
        day += dt.timedelta(days=1)
        try:
            holiday, name = chinese_calendar.get_holiday_detail(day)
            was_holiday, was_name = chinese_calendar.get_holiday_detail(
                day - dt.timedelta(days=1))
        except NotImplementedError:  # past the calendar's known years
            return None
        if holiday and name is not None and not (was_holiday and was_name == name):
            return dt.datetime.combine(day, local.timetz())
    return None


# --- matching questions ---------------------------------------------------------------

_FILLER = (
    "请问一下", "请问", "问一下", "问下", "想问问", "想问", "我想", "我要", "咨询一下", "咨询",
    "鼓宝", "你好", "您好", "谢谢", "麻烦", "一下", "能不能", "可不可以", "可以", "是不是",
    "有没有", "应该", "需要", "我们", "我家", "家里", "小区", "社区里", "这个", "那个",
    "什么", "怎么样", "怎么", "如何", "怎样", "吗", "呢", "啊", "呀", "吧", "了", "的", "么",
    "哪些", "哪个", "知道", "告诉", "大家", "老人家",
)
"""Words that say nothing about what is asked (dropped before matching; longest first
below so that 请问一下 goes before 请问)."""
_FILLER_SORTED = tuple(sorted(_FILLER, key=len, reverse=True))

SYNONYMS: dict[str, tuple[str, ...]] = {
    "办理": ("申领", "申请", "申办", "办手续", "去办", "开具", "开证明", "开个", "开", "领取",
           "登记", "报名"),
    "补贴": ("津贴", "补助金", "救助金", "补助"),
    "在哪": ("在哪里", "在什么地方", "哪里", "什么地方", "地址", "位置", "地点", "在哪儿", "哪儿"),
    "电话": ("联系方式", "号码", "手机号", "热线", "打什么电话", "联系电话"),
    "时间": ("几点", "营业时间", "开门", "上班时间", "办公时间", "什么时候", "几号", "多久"),
    "材料": ("带什么", "带哪些", "证件", "资料", "手续"),
    "老人": ("老年人", "长者", "老人家", "高龄老人", "爷爷奶奶"),
    "医保": ("医疗保险", "居民医保"),
    "社保": ("社会保险",),
    "电动车": ("电瓶车", "电单车", "电动自行车"),
    "充电": ("充电桩", "充电站", "充电口"),
    "垃圾": ("垃圾分类", "厨余", "湿垃圾", "干垃圾"),
    "吃饭": ("助餐", "食堂", "就餐", "午饭", "餐"),
    "身份证": ("二代证", "身份证件"),
    "户口": ("户籍", "落户", "户口本", "户口簿"),
    "低保": ("最低生活保障", "困难补助"),
    "残疾": ("残疾证", "残障"),
    "电梯": ("加装电梯", "装电梯"),
    "宠物": ("养狗", "犬", "狗证", "养犬"),
    "疫苗": ("打针", "接种"),
    "失业": ("失业金", "失业保险", "没工作", "找工作"),
    "认证": ("资格认证", "生存认证", "年审", "年检"),
    "养老金": ("退休金", "养老保险金"),
    "居住证": ("暂住证",),
    "孩子": ("小孩", "儿童", "宝宝", "新生儿", "婴儿"),
    "维修": ("修理",),
}
_CANON: list[tuple[str, str]] = sorted(
    ((variant, canon) for canon, variants in SYNONYMS.items() for variant in variants),
    key=lambda pair: len(pair[0]), reverse=True)
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_MENTION = re.compile(r"@\S+")


def normalize(text: str) -> str:
    """Text as matching sees it: NFKC (full-width letters and digits to half-width),
    lower case, no mentions, punctuation or spaces, synonyms mapped to one word, filler
    dropped."""
    out = unicodedata.normalize("NFKC", text).lower()
    out = _MENTION.sub("", out)
    out = _DROP.sub("", out)
    out = _canon(out)
    for word in _FILLER_SORTED:
        out = out.replace(word, "")
    return out


def _canon(text: str) -> str:
    # One pass, longest variant first, so that a canonical word is never mapped twice.
    out, i = [], 0
    while i < len(text):
        for variant, canon in _CANON:
            if text.startswith(variant, i):
                out.append(canon)
                i += len(variant)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def bigrams(text: str) -> set[str]:
    """The character bigrams of normalised text (a single character is its own gram)."""
    if len(text) < 2:
        return {text} if text else set()
    return {text[i:i + 2] for i in range(len(text) - 1)}


GENERIC_WORDS = frozenset({"办理", "在哪", "电话", "时间", "材料", "老人"})
"""Canonical words that say what kind of answer is wanted but not about what: alone
they never make a match."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry the bot may answer with: a knowledge entry or a service item."""

    entity: str
    id: str
    title: str
    """The entry's question, the service's name (for "why" and the desk)."""
    keywords: tuple[str, ...]
    text: str
    """What is compared with the question beyond the keywords."""
    answer: str
    specificity: int = 0
    """0 district, 1 street, 2 community: the nearer entry wins a tie."""


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    score: float
    """0..1, what the desk shows."""
    keyword: str | None
    """The keyword found in the question, if any."""
    overlap: tuple[str, ...] = field(default=())
    """The bigrams question and entry share (the "why")."""
    raw: float = 0.0
    """The score before it is capped at 1 (ranks two entries that both reach 1)."""


KNOWLEDGE_THRESHOLD = 0.5
SERVICE_THRESHOLD = 0.55
SERVICE_MARGIN = 0.2
"""How much better a service item must match to be answered instead of a knowledge
entry. (``bench/bot_answers.py`` tunes these.)"""
_SCOPE_RANK = {"district": 0, "street": 1, "community": 2}


def knowledge_candidate(entry: Mapping[str, Any]) -> Candidate:
    keywords = tuple(k for k in (entry.get("keywords") or []) if isinstance(k, str))
    question = str(entry.get("question") or "")
    return Candidate("knowledge_entry", str(entry.get("id") or ""), question, keywords,
                     question, str(entry.get("answer") or ""),
                     _SCOPE_RANK.get(str(entry.get("scope")), 0))


def service_answer(item: Mapping[str, Any]) -> str:
    """What the bot posts for a service item (one message)."""
    lines = [str(item.get("name") or "")]
    for label, key in (("地址", "address"), ("时间", "hours"), ("电话", "phone"),
                       ("网上办理", "online_link")):
        if item.get(key):
            lines.append(f"{label}：{item[key]}")
    documents = [d for d in item.get("documents") or [] if isinstance(d, str)]
    if documents:
        lines.append("需带材料：" + "、".join(documents))
    if item.get("steps"):
        lines.append("办理步骤：" + str(item["steps"]))
    text = "\n".join(lines)
    while message_bytes(text) > records.BOT_MESSAGE_BYTES and len(lines) > 1:
        lines.pop()
        text = "\n".join(lines)
    return text


DISTRICT_PREFIXES = ("南京市鼓楼区", "南京市", "南京", "鼓楼区")
"""What a district-wide service's name may start with that residents leave out."""


def service_candidate(item: Mapping[str, Any], place_names: Iterable[str] = ()) -> Candidate:
    """A service item as a candidate. Its name without the street or community in front
    (``湖南路街道社保服务站`` → ``社保服务站``) is what residents ask about."""
    name = str(item.get("name") or "")
    short = name
    for place in sorted((*place_names, *DISTRICT_PREFIXES), key=len, reverse=True):
        if place and short.startswith(place):
            short = short[len(place):]
            break
    short = re.sub(r"（.*?）|\(.*?\)", "", short)
    keywords = tuple(k for k in (item.get("keywords") or []) if isinstance(k, str))
    if len(short) >= 2:
        keywords = (*keywords, short)
    return Candidate("service_item", str(item.get("id") or ""), name, keywords,
                     f"{short}{item.get('category') or ''}", service_answer(item),
                     _SCOPE_RANK.get(str(item.get("scope")), 0))


def score(question: str, candidate: Candidate) -> Match:
    """How well ``candidate`` answers ``question`` (0..1) and why.

    Keywords: the longest of the entry's keywords (normalised) found in the question;
    one of two characters gives 0.55, three 0.7, four or more 0.8. Bigrams: the share
    of the question's bigrams (generic words like 办理, 在哪 left out) that the entry's
    text and keywords hold, weighted 0.5. The sum is capped at 1 (``raw`` keeps it).
    """
    q = normalize(question)
    best_kw: str | None = None
    best_len = 0
    for kw in candidate.keywords:
        nk = normalize(kw)
        if len(nk) >= 2 and nk not in GENERIC_WORDS and nk in q and len(nk) > best_len:
            best_kw, best_len = kw, len(nk)
    kw_score = 0.0 if best_kw is None else (0.55 if best_len == 2 else
                                             0.7 if best_len == 3 else 0.8)
    q_grams = {g for g in bigrams(_strip_generic(q)) if g}
    entry_text = normalize(candidate.text) + "|" + "|".join(normalize(k)
                                                            for k in candidate.keywords)
    e_grams = set()
    for part in entry_text.split("|"):
        e_grams |= bigrams(part)
    shared = q_grams & e_grams
    coverage = len(shared) / len(q_grams) if q_grams else 0.0
    raw = kw_score + 0.5 * coverage
    return Match(candidate, round(min(1.0, raw), 3), best_kw, tuple(sorted(shared)), raw)


def _strip_generic(text: str) -> str:
    for word in GENERIC_WORDS:
        text = text.replace(word, " ")
    return text.replace(" ", "")


def rank(question: str, candidates: Sequence[Candidate]) -> list[Match]:
    """Every candidate's match, best first (ties: the nearer scope, then the title)."""
    matches = [score(question, c) for c in candidates]
    matches.sort(key=lambda m: (-m.raw, -m.candidate.specificity, m.candidate.title))
    return matches


@dataclass(frozen=True, slots=True)
class Answer:
    """What 鼓宝 answers to a question: the best match above its threshold, or none
    (``match`` None), with the runners-up for the desk's "why"."""

    match: Match | None
    considered: tuple[Match, ...] = ()


def best_answer(question: str, knowledge: Sequence[Candidate],
                services: Sequence[Candidate]) -> Answer:
    """Knowledge entries first, then service items (each with its own threshold); a
    service item wins over a knowledge entry only when it matches clearly better (the
    question names the service: 法律援助工作站 rather than 法律援助). A match needs one
    of the entry's keywords in the question."""
    if not normalize(question):
        return Answer(None)
    ranked_k = [m for m in rank(question, knowledge) if m.keyword]
    ranked_s = [m for m in rank(question, services) if m.keyword]
    considered = tuple(sorted([*ranked_k[:3], *ranked_s[:3]], key=lambda m: -m.raw))
    best_k = ranked_k[0] if ranked_k and ranked_k[0].raw >= KNOWLEDGE_THRESHOLD else None
    best_s = ranked_s[0] if ranked_s and ranked_s[0].raw >= SERVICE_THRESHOLD else None
    if best_k is not None and (best_s is None or best_s.raw < best_k.raw + SERVICE_MARGIN):
        return Answer(best_k, considered)
    return Answer(best_s, considered)


def applies_on(entry: Mapping[str, Any], day: dt.date) -> bool:
    """Whether a knowledge entry is in force on ``day`` (active, within valid from/to)."""
    if entry.get("active") is False:
        return False
    start, end = entry.get("valid_from"), entry.get("valid_to")
    if isinstance(start, dt.date) and day < start:
        return False
    return not (isinstance(end, dt.date) and day > end)


def may_edit_place(role: str, community_id: str | None, street_id: str | None,
                   row: Mapping[str, Any]) -> bool:
    """Whether someone of ``role`` working at this community and street may change content
    that applies at ``row``'s place: an admin anything, a supervisor their street's (and
    its communities'), a clerk their community's; a social worker nothing."""
    if role == "admin":
        return True
    if role == "supervisor":
        return row.get("scope") != "district" and row.get("street_id") == street_id
    if role == "clerk":
        return row.get("scope") == "community" and row.get("community_id") == community_id
    return False


def applies_to(entry: Mapping[str, Any], community_id: str | None,
               street_id: str | None) -> bool:
    """Whether an entry of a place applies to a group of this community and street."""
    scope = entry.get("scope") or "district"
    if scope == "district":
        return True
    if scope == "street":
        return street_id is not None and entry.get("street_id") == street_id
    return community_id is not None and entry.get("community_id") == community_id


# --- alert rules ----------------------------------------------------------------------


def rule_fires(rule: Mapping[str, Any], text: str) -> str | None:
    """The keyword of ``rule`` found in ``text`` when the rule fires, else ``None``.

    A rule fires when one of its ``keywords`` is in the text and, if it has
    ``with_words``, one of those too (漏水 with 楼上). Compared after NFKC and lower
    case, spaces ignored; never on synonyms (an alert must be exact)."""
    if rule.get("active") is False:
        return None
    plain = _DROP.sub("", unicodedata.normalize("NFKC", text).lower())
    hit = next((k for k in rule.get("keywords") or [] if isinstance(k, str) and k.strip()
                and _DROP.sub("", unicodedata.normalize("NFKC", k).lower()) in plain), None)
    if hit is None:
        return None
    extra = [w for w in rule.get("with_words") or [] if isinstance(w, str) and w.strip()]
    if extra and not any(_DROP.sub("", unicodedata.normalize("NFKC", w).lower()) in plain
                         for w in extra):
        return None
    return hit


def alert_title(rule: Mapping[str, Any], text: str) -> str:
    """The title of the ticket an urgent alert files: the rule's name, then the message
    ("【紧急】火情：3栋2单元着火了"); a message that starts with the rule's name is not
    repeated after it ("【紧急】楼上漏水，我家…", not "楼上漏水：楼上漏水，…")."""
    name = str(rule.get("name") or "告警")
    head = text.strip().replace("\n", " ")
    title = f"【紧急】{head}" if head.startswith(name) else f"【紧急】{name}：{head}"
    limit = records.TICKET.field("title").max_length or 128
    return title if len(title) <= limit else title[:limit - 1] + "…"
