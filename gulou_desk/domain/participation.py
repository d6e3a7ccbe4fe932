"""Resident participation: questionnaires (民主问卷), consultations (民主协商) and volunteer
activities (志愿者服务), the rules both sides share.

Residents take part from their WeChat groups: a published item carries a short code
(``问卷12``, ``协商7``, ``活动5``) and residents reply with it. This module holds

- the shape of a questionnaire's questions and answers, and their checks;
- the reply syntax: :func:`recognise` finds a reply to an item in a group message,
  :func:`parse_answers`, :func:`parse_consultation_reply` read its body or say, in the
  words the bot sends back, what is wrong with it;
- the texts the 鼓宝 bot posts to the groups (:func:`questionnaire_message` …): the
  server queues exactly these, and the desk client shows them as the preview "as
  residents will see it in WeChat";
- tallies (:func:`questionnaire_results`, :func:`consultation_tally`), response ids
  (one response per respondent per questionnaire), and which fields a state leaves
  editable (:func:`locked_fields`).

Group texts are Chinese only: they are what residents read in their groups, whatever the
language of the staff member's desk. Nothing here imports Qt, HTTP or a store.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gulou_desk.domain.problems import Problem
from gulou_desk.records import SHANGHAI, format_datetime, is_uuid, parse_datetime

# --- codes ---------------------------------------------------------------------------

CODE_PREFIX: dict[str, str] = {
    "questionnaire": "问卷",
    "consultation": "协商",
    "volunteer_activity": "活动",
}
"""The short code's word per entity; the server adds a number of its own counter."""


def make_code(entity: str, number: int) -> str:
    return f"{CODE_PREFIX[entity]}{number}"


# --- questions and answers -----------------------------------------------------------

SINGLE = "single"
MULTIPLE = "multiple"
SCALE = "scale"
TEXT = "text"
QUESTION_KINDS = (SINGLE, MULTIPLE, SCALE, TEXT)
CHOICE_KINDS = (SINGLE, MULTIPLE)
SCALE_RANGE = (1, 5)
MAX_QUESTIONS = 20
MAX_OPTIONS = 10
"""At most ten options (A–J) per choice question, and ten options to vote on."""
MAX_OPTION_CHARS = 60
MAX_QUESTION_CHARS = 200
MAX_TEXT_ANSWER_CHARS = 500
LETTERS = "ABCDEFGHIJ"


def letter(index: int) -> str:
    """The reply letter of option ``index`` (0 → ``A``)."""
    return LETTERS[index]


def question_problems(questions: Any) -> list[Problem]:
    """Problems of a questionnaire's ``questions`` list (named ``questions[i].<key>``).

    A question is ``{"id", "kind", "text", "options"?, "required"?}``: ``id`` a short
    stable key (answers are keyed by it), ``kind`` one of :data:`QUESTION_KINDS`,
    ``options`` two to ten texts for a choice question and absent otherwise.
    """
    if not isinstance(questions, list):
        return [Problem("questions", "invalid_type", "questions must be a list")]
    if len(questions) > MAX_QUESTIONS:
        return [Problem("questions", "too_many", f"at most {MAX_QUESTIONS} questions",
                        {"max": MAX_QUESTIONS})]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, q in enumerate(questions):
        where = f"questions[{i}]"
        if not isinstance(q, dict):
            problems.append(Problem(where, "invalid_type", f"{where} must be an object"))
            continue
        unknown = set(q) - {"id", "kind", "text", "options", "required"}
        if unknown:
            problems.append(Problem(f"{where}.{sorted(unknown)[0]}", "unknown_field",
                                    f"{where} has no field {sorted(unknown)[0]!r}"))
        qid = q.get("id")
        if not isinstance(qid, str) or not re.fullmatch(r"[A-Za-z0-9_]{1,16}", qid):
            problems.append(Problem(f"{where}.id", "invalid", "a question id is 1-16 letters, "
                                    "digits or _"))
        elif qid in seen:
            problems.append(Problem(f"{where}.id", "duplicate", f"question id {qid} twice"))
        else:
            seen.add(qid)
        kind = q.get("kind")
        if kind not in QUESTION_KINDS:
            problems.append(Problem(f"{where}.kind", "invalid_choice",
                                    f"kind must be one of {', '.join(QUESTION_KINDS)}",
                                    {"choices": list(QUESTION_KINDS)}))
        text = q.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(f"{where}.text", "required", "a question needs its text"))
        elif len(text) > MAX_QUESTION_CHARS:
            problems.append(Problem(f"{where}.text", "too_long",
                                    f"at most {MAX_QUESTION_CHARS} characters",
                                    {"max_length": MAX_QUESTION_CHARS}))
        if not isinstance(q.get("required", False), bool):
            problems.append(Problem(f"{where}.required", "invalid_type",
                                    "required must be true or false"))
        options = q.get("options")
        if kind in CHOICE_KINDS:
            problems += _option_problems(f"{where}.options", options)
        elif options not in (None, []):
            problems.append(Problem(f"{where}.options", "not_allowed",
                                    f"a {kind} question has no options"))
    return problems


def _option_problems(where: str, options: Any, *, minimum: int = 2) -> list[Problem]:
    if not isinstance(options, list) or not minimum <= len(options) <= MAX_OPTIONS:
        return [Problem(where, "option_count", f"{minimum} to {MAX_OPTIONS} options",
                        {"min": minimum, "max": MAX_OPTIONS})]
    for option in options:
        if not isinstance(option, str) or not option.strip():
            return [Problem(where, "invalid_item", "options must be non-empty texts")]
        if len(option) > MAX_OPTION_CHARS:
            return [Problem(where, "too_long", f"an option has at most {MAX_OPTION_CHARS} "
                            "characters", {"max_length": MAX_OPTION_CHARS})]
    return []


def answer_problems(questions: Sequence[Mapping[str, Any]], answers: Any, *,
                    complete: bool = True) -> list[Problem]:
    """Problems of ``answers`` (question id → value) against ``questions``.

    Values: a single choice is the option's index, a multiple choice a list of distinct
    indexes, a scale an integer 1..5, a text a non-empty string. With ``complete`` every
    required question must be answered. Problems are named ``answers.<question id>``.
    """
    if not isinstance(answers, dict):
        return [Problem("answers", "invalid_type", "answers must be an object")]
    by_id = {str(q.get("id")): q for q in questions}
    problems: list[Problem] = []
    for qid, value in answers.items():
        q = by_id.get(qid)
        where = f"answers.{qid}"
        if q is None:
            problems.append(Problem(where, "unknown_question", f"no question {qid!r}"))
            continue
        problem = _value_problem(q, value)
        if problem is not None:
            problems.append(Problem(where, problem, f"{where}: {problem}"))
    if complete:
        for q in questions:
            if q.get("required") and answers.get(str(q.get("id"))) in (None, "", []):
                problems.append(Problem(f"answers.{q.get('id')}", "required",
                                        f"question {q.get('id')} needs an answer"))
    return problems


def _is_index(value: Any, count: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count


def _value_problem(q: Mapping[str, Any], value: Any) -> str | None:
    kind = q.get("kind")
    count = len(q.get("options") or [])
    if value is None:
        return None
    if kind == SINGLE:
        return None if _is_index(value, count) else "invalid_choice"
    if kind == MULTIPLE:
        if (not isinstance(value, list) or not value
                or not all(_is_index(v, count) for v in value)
                or len(set(value)) != len(value)):
            return "invalid_choice"
        return None
    if kind == SCALE:
        low, high = SCALE_RANGE
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return None if ok else "out_of_range"
    if kind == TEXT:
        if not isinstance(value, str) or not value.strip():
            return "invalid_type"
        return "too_long" if len(value) > MAX_TEXT_ANSWER_CHARS else None
    return "invalid_type"


def publish_problems(entity: str, record: Mapping[str, Any],
                     now: dt.datetime) -> list[Problem]:
    """What keeps a draft from being published (the step refuses with the first)."""
    problems: list[Problem] = []
    if not record.get("grid_ids"):
        problems.append(Problem("grid_ids", "required", "choose the groups to publish to"))
    if entity == "questionnaire":
        questions = record.get("questions") or []
        if not questions:
            problems.append(Problem("questions", "required", "a questionnaire needs questions"))
        problems += question_problems(questions)
        closes = record.get("closes_at")
        if not isinstance(closes, dt.datetime):
            problems.append(Problem("closes_at", "required", "set when it closes"))
        elif closes <= now:
            problems.append(Problem("closes_at", "in_past", "the closing time has passed"))
    if entity == "volunteer_activity":
        starts = record.get("starts_at")
        if isinstance(starts, dt.datetime) and starts <= now:
            problems.append(Problem("starts_at", "in_past", "the activity has begun"))
    return problems


def answered_too_late(questionnaire: Mapping[str, Any], when: dt.datetime) -> bool:
    """Whether answers given at ``when`` come after the questionnaire closed: after its
    closing time, or after it was closed. Answers given before (on a visit offline, or
    a reply the bot forwards a little late) still count when they arrive later."""
    closes = questionnaire.get("closes_at")
    if isinstance(closes, dt.datetime) and when > closes:
        return True
    if questionnaire.get("status") in ("closed", "archived"):
        closed_at = questionnaire.get("closed_at")
        return not isinstance(closed_at, dt.datetime) or when > closed_at
    return False


# --- which fields each state leaves editable ---------------------------------------

_EDITABLE_AFTER_DRAFT: dict[str, dict[str, frozenset[str]]] = {
    # Once residents have seen an item, what they answered must keep its meaning: the
    # questions, options and targets stay as published. Dates and texts may still move.
    "questionnaire": {
        "published": frozenset({"closes_at", "results_visibility", "intro"}),
    },
    "consultation": {
        "collecting": frozenset({"topic", "background", "proposer_kind", "proposer_name",
                                 "proposer_household_id", "options", "questionnaire_id",
                                 "grid_ids"}),
        "discussing": frozenset({"background", "options", "questionnaire_id"}),
        "voting": frozenset({"questionnaire_id"}),
        "decided": frozenset({"questionnaire_id"}),
    },
    "volunteer_activity": {
        "published": frozenset({"description", "place", "starts_at", "ends_at", "needed"}),
    },
}


def locked_fields(entity: str, record: Mapping[str, Any],
                  names: Iterable[str]) -> list[str]:
    """Which of ``names`` the record's state does not let anyone change with an update.

    Drafts (questionnaires, activities) and consultations still collecting before they
    are published are open; later states allow the fields of
    :data:`_EDITABLE_AFTER_DRAFT`; closed, archived, done or cancelled records none.
    """
    rules = _EDITABLE_AFTER_DRAFT.get(entity)
    if rules is None:
        return []
    state = record.get("stage" if entity == "consultation" else "status")
    if state == "draft" or (entity == "consultation" and state == "collecting"
                            and not record.get("published_at")):
        return []
    allowed = rules.get(str(state), frozenset())
    return [n for n in names if n not in allowed]


# --- response ids --------------------------------------------------------------------

_NAMESPACE = uuid.UUID("0b4f6a2c-5d0e-4f43-9a71-3c2d1e9f8a60")


def wechat_respondent(sender_id: str) -> str:
    return f"wechat:{sender_id}"


def household_respondent(household_id: str) -> str:
    return f"household:{household_id}"


def response_id(questionnaire_id: str, respondent: str) -> str:
    """The id of a respondent's response: one per respondent per questionnaire.

    ``respondent`` is :func:`wechat_respondent` or :func:`household_respondent`. A later
    answer from the same respondent writes the same record (the earlier answers go to its
    ``history``), whichever device or channel brings it.
    """
    return str(uuid.uuid5(_NAMESPACE, f"questionnaire_response/{questionnaire_id}/{respondent}"))


def respondent_of(response: Mapping[str, Any]) -> str | None:
    if response.get("household_id"):
        return household_respondent(str(response["household_id"]))
    if response.get("sender_id"):
        return wechat_respondent(str(response["sender_id"]))
    return None


def replaced_response(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a response that replaces ``old``: ``new``'s answers, channel and
    time, and ``old``'s answers appended to the history (oldest first)."""
    out = dict(new)
    out["history"] = [*(old.get("history") or []), history_entry(old)]
    return out


def history_entry(response: Mapping[str, Any]) -> dict[str, Any]:
    """A response's current answers as an entry of its ``history`` (wire values)."""
    return {
        "answers": response.get("answers") or {},
        "channel": response.get("channel"),
        "received_at": _iso(response.get("received_at")),
        "entered_by_id": response.get("entered_by_id"),
        "sender_name": response.get("sender_name"),
    }


def _iso(value: Any) -> Any:
    return format_datetime(value) if isinstance(value, dt.datetime) else value


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    try:
        return parse_datetime(str(value))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def history_order(entry: Mapping[str, Any]) -> dt.datetime:
    """Sort key of history entries: when the answers were given."""
    return _moment(entry.get("received_at"))


# --- recognising replies -------------------------------------------------------------


@dataclass(frozen=True)
class ReplyRef:
    """A group message that answers a published item: which kind, its number, the rest."""

    entity: str
    number: int
    body: str

    @property
    def code(self) -> str:
        return make_code(self.entity, self.number)


_MENTION = re.compile(r"^(?:@\S+\s+)+")
_REPLY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("questionnaire", re.compile(r"^问卷\s*(\d{1,7})(?!\d)\s*(.*)$", re.S)),
    ("consultation", re.compile(r"^协商\s*(\d{1,7})(?!\d)\s*(.*)$", re.S)),
    ("volunteer_activity", re.compile(r"^报名\s*活动\s*(\d{1,7})(?!\d)\s*(.*)$", re.S)),
    ("volunteer_activity", re.compile(r"^活动\s*(\d{1,7})(?!\d)\s*报名\s*(.*)$", re.S)),
)


def normalise(text: str) -> str:
    """Full-width letters, digits and punctuation as residents' phones type them
    (``问卷１２　１Ａ``, ``３：５``) in their plain form, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def recognise(text: str) -> ReplyRef | None:
    """The item a group message replies to, when it starts with a code (after any
    ``@鼓宝`` mention): ``问卷12 …``, ``协商7 …``, ``报名 活动5`` (or ``活动5 报名``).
    Anything else is an ordinary message (``None``)."""
    plain = _MENTION.sub("", normalise(text))
    for entity, pattern in _REPLY_PATTERNS:
        match = pattern.match(plain)
        if match is not None:
            return ReplyRef(entity, int(match[1]), match[2].strip())
    return None


@dataclass(frozen=True)
class ReplyProblem:
    """Why a reply could not be read, in the words the bot sends back (Chinese)."""

    code: str
    reason: str


_QUESTION_HEAD = re.compile(r"\s*(\d{1,2})\s*[.、．]?\s*")
_LETTERS_RUN = re.compile(r"[A-Za-z](?:[\s,、/]*[A-Za-z])*")
_SCALE_VALUE = re.compile(r"[:=]?\s*(\d)\s*分?")
_TEXT_VALUE = re.compile(r":\s*")
_NEXT_QUESTION = re.compile(r"\s+\d{1,2}\s*[.、]?\s*(?:[A-Za-z]|[:=]|\d\s*分)")


def parse_answers(questions: Sequence[Mapping[str, Any]],
                  body: str) -> dict[str, Any] | ReplyProblem:
    """The answers in a reply's body (``1A 2AC 3:5 4:多装路灯``), or what is wrong.

    Question numbers are positions (1 = the first question). A choice is its letter
    (several letters for a multiple choice, ``2AC`` or ``2A,C``), a scale ``3:5`` (or
    ``3=5``, ``3:5分``), a text ``4:…`` up to the next answer. Spaces between answers
    may be left out where the next number cannot be misread (``1A2C``). A question
    answered twice takes the later answer. Every required question must be answered.
    """
    text = normalise(body)
    answers: dict[str, Any] = {}
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        head = _QUESTION_HEAD.match(text, pos)
        if head is None:
            return ReplyProblem("unreadable", f"看不懂“{_snippet(text[pos:])}”")
        number = int(head[1])
        if not 1 <= number <= len(questions):
            return ReplyProblem("unknown_question", f"没有第{number}题")
        q = questions[number - 1]
        qid = str(q.get("id"))
        kind = q.get("kind")
        pos = head.end()
        if kind in CHOICE_KINDS:
            run = _LETTERS_RUN.match(text, pos)
            if run is None:
                return ReplyProblem("missing_choice", f"第{number}题请选字母")
            letters = [c.upper() for c in run[0] if c.isalpha()]
            count = len(q.get("options") or [])
            indexes = []
            for c in letters:
                i = LETTERS.find(c)
                if i < 0 or i >= count:
                    return ReplyProblem("bad_choice",
                                        f"第{number}题没有选项{c}（可选A-{letter(count - 1)}）")
                if i not in indexes:
                    indexes.append(i)
            if kind == SINGLE and len(indexes) != 1:
                return ReplyProblem("one_choice", f"第{number}题只能选一个")
            answers[qid] = indexes[0] if kind == SINGLE else sorted(indexes)
            pos = run.end()
        elif kind == SCALE:
            value = _SCALE_VALUE.match(text, pos)
            low, high = SCALE_RANGE
            if value is None or not low <= int(value[1]) <= high:
                return ReplyProblem("bad_scale", f"第{number}题请打{low}到{high}分，如 {number}:5")
            answers[qid] = int(value[1])
            pos = value.end()
        else:
            colon = _TEXT_VALUE.match(text, pos)
            if colon is None:
                return ReplyProblem("text_needs_colon", f"第{number}题请写成 {number}:您的意见")
            start = colon.end()
            nxt = _NEXT_QUESTION.search(text, start)
            end = nxt.start() if nxt is not None else len(text)
            value_text = text[start:end].strip()
            if not value_text:
                return ReplyProblem("empty_text", f"第{number}题还没写内容")
            answers[qid] = value_text[:MAX_TEXT_ANSWER_CHARS]
            pos = end
        if pos < len(text) and not (text[pos].isspace() or text[pos].isdigit()
                                    or text[pos] in ",，;；"):
            return ReplyProblem("unreadable", f"看不懂“{_snippet(text[pos:])}”")
        while pos < len(text) and text[pos] in ",，;；":
            pos += 1
    if not answers:
        return ReplyProblem("empty", "没有找到答案")
    missing = [str(i + 1) for i, q in enumerate(questions)
               if q.get("required") and str(q.get("id")) not in answers]
    if missing:
        return ReplyProblem("missing_required", f"第{'、'.join(missing)}题必答")
    return answers


def _snippet(text: str) -> str:
    text = text.strip()
    return text[:8] + ("…" if len(text) > 8 else "")


@dataclass(frozen=True)
class ConsultationReply:
    stance: str | None
    choice: str | None
    text: str


_SUPPORT = ("支持", "赞成", "同意", "赞同")
_OPPOSE = ("不同意", "不赞成", "不支持", "反对")
_OPINION = ("意见", "建议")
_CHOICE = re.compile(r"^(?:选|投)?\s*([A-Za-z])(?![A-Za-z])\s*[,，:：]?\s*(.*)$", re.S)


def parse_consultation_reply(body: str, *, stage: str,
                             options: Sequence[str]) -> ConsultationReply | ReplyProblem:
    """A resident's contribution to a consultation: ``支持 …`` / ``反对 …`` (a stance with
    an optional reason), ``意见 …`` or any other text (an opinion); while voting on
    options, the option's letter (``A``, ``选B``), optionally followed by a reason."""
    text = normalise(body)
    if stage == "voting" and options:
        match = _CHOICE.match(text)
        if match is None or LETTERS.find(match[1].upper()) not in range(len(options)):
            return ReplyProblem("bad_choice",
                                f"请回复选项字母 A-{letter(len(options) - 1)}")
        return ConsultationReply(None, match[1].upper(), match[2].strip())
    for words, stance in ((_OPPOSE, "oppose"), (_SUPPORT, "support"), (_OPINION, "opinion")):
        for word in words:
            if text.startswith(word):
                rest = text[len(word):].lstrip(" :：,，。")
                if stance == "opinion" and not rest:
                    return ReplyProblem("empty_text", "请在“意见”后写下内容")
                return ConsultationReply(stance, None, rest)
    if not text:
        return ReplyProblem("empty", "请写下您的意见，或回复 支持 / 反对")
    return ConsultationReply("opinion", None, text)


# --- texts the bot posts -------------------------------------------------------------

def _when(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    local = value.astimezone(SHANGHAI)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def reply_example(questions: Sequence[Mapping[str, Any]], code: str) -> str:
    """An example reply that fits the questions: ``问卷12 1A 2AC 3:5 4:您的意见``."""
    parts = [code]
    for i, q in enumerate(questions, start=1):
        kind = q.get("kind")
        if kind == SINGLE:
            parts.append(f"{i}A")
        elif kind == MULTIPLE:
            parts.append(f"{i}AC" if len(q.get("options") or []) > 2 else f"{i}AB")
        elif kind == SCALE:
            parts.append(f"{i}:5")
        else:
            parts.append(f"{i}:您的意见")
    return " ".join(parts)


def reply_text(code: str, questions: Sequence[Mapping[str, Any]],
               answers: Mapping[str, Any]) -> str:
    """The reply a resident types for ``answers`` (the inverse of :func:`parse_answers`):
    ``问卷12 1A 2AC 3:5 4:多装路灯``."""
    parts = [code]
    for i, q in enumerate(questions, start=1):
        value = answers.get(str(q.get("id")))
        if value is None:
            continue
        kind = q.get("kind")
        if kind == SINGLE:
            parts.append(f"{i}{letter(value)}")
        elif kind == MULTIPLE:
            parts.append(f"{i}{''.join(letter(v) for v in value)}")
        else:
            parts.append(f"{i}:{value}")
    return " ".join(parts)


def questionnaire_message(q: Mapping[str, Any]) -> str:
    """The group message that publishes a questionnaire (also the desk's preview)."""
    code = q.get("code") or "问卷?"
    questions: list[Mapping[str, Any]] = list(q.get("questions") or [])
    lines = [f"【民主问卷】{q.get('title') or ''}"]
    if q.get("intro"):
        lines.append(str(q["intro"]))
    for i, question in enumerate(questions, start=1):
        mark = "（必答）" if question.get("required") else ""
        kind = question.get("kind")
        hint = {MULTIPLE: "（可多选）", SCALE: "（1-5分，5分最好）", TEXT: "（文字）"}.get(
            str(kind), "")
        lines.append(f"{i}. {question.get('text')}{hint}{mark}")
        for j, option in enumerate(question.get("options") or []):
            lines.append(f"   {letter(j)}. {option}")
    lines.append(f"回复方式：{reply_example(questions, code)}")
    if q.get("closes_at"):
        lines.append(f"截止时间：{_when(q['closes_at'])}。同一人多次回复以最后一次为准。")
    return "\n".join(lines)


def consultation_message(c: Mapping[str, Any], stage: str | None = None) -> str:
    """The group message for a consultation's stage (publishing, discussion, vote,
    decision announcement)."""
    code = c.get("code") or "协商?"
    stage = stage or str(c.get("stage"))
    topic = c.get("topic") or ""
    options: list[str] = list(c.get("options") or [])
    if stage == "announced":
        return announcement_message(c)
    if stage == "voting":
        lines = [f"【民主协商·投票】{topic}"]
        if options:
            lines += [f"{letter(i)}. {o}" for i, o in enumerate(options)]
            lines.append(f"请回复：{code} A（选项字母），可附理由。以最后一次回复为准。")
        else:
            lines.append(f"请回复：{code} 支持 或 {code} 反对，可附理由。以最后一次回复为准。")
        return "\n".join(lines)
    head = "【民主协商·征集意见】" if stage == "collecting" else "【民主协商·讨论】"
    lines = [f"{head}{topic}"]
    if c.get("background"):
        lines.append(str(c["background"]))
    if options:
        lines.append("备选方案：" + "；".join(f"{letter(i)}. {o}" for i, o in enumerate(options)))
    lines.append(f"欢迎回复：{code} 支持 / {code} 反对 / {code} 意见 您的想法")
    return "\n".join(lines)


def announcement_message(c: Mapping[str, Any], ticket_lines: Sequence[str] = ()) -> str:
    """The 公示 of a decided consultation, with the progress of the work it created."""
    lines = [f"【协商结果公示】{c.get('topic') or ''}"]
    if c.get("decision"):
        lines.append(f"决定：{c['decision']}")
    if c.get("announcement"):
        lines.append(str(c["announcement"]))
    if ticket_lines:
        lines.append("办理进展：")
        lines += [f"· {t}" for t in ticket_lines]
    return "\n".join(lines)


def activity_message(a: Mapping[str, Any]) -> str:
    code = a.get("code") or "活动?"
    lines = [f"【志愿服务招募】{a.get('title') or ''}"]
    if a.get("starts_at"):
        lines.append(f"时间：{_when(a['starts_at'])}")
    if a.get("place"):
        lines.append(f"地点：{a['place']}")
    if a.get("description"):
        lines.append(str(a["description"]))
    if a.get("needed"):
        lines.append(f"需要{a['needed']}人")
    lines.append(f"报名请回复：报名 {code}")
    return "\n".join(lines)


def format_help(ref: ReplyRef, sender_name: str, problem: ReplyProblem,
                example: str) -> str:
    """The bot's answer to a reply it could not read: what is wrong and the format."""
    who = f"@{sender_name} " if sender_name else ""
    return f"{who}没能读懂您对{ref.code}的回复：{problem.reason}。请按格式回复，例如：{example}"


def not_found_reply(ref: ReplyRef, sender_name: str) -> str:
    who = f"@{sender_name} " if sender_name else ""
    return f"{who}本群没有进行中的{ref.code}，请核对编号。"


def closed_reply(ref: ReplyRef, sender_name: str) -> str:
    """The polite refusal of an answer that came after the item closed."""
    who = f"@{sender_name} " if sender_name else ""
    what = {"questionnaire": "问卷已截止", "consultation": "协商已结束征集",
            "volunteer_activity": "活动报名已结束"}[ref.entity]
    return f"{who}感谢参与！{ref.code}{what}，这次的回复未能计入。"


def signed_up_reply(a: Mapping[str, Any], sender_name: str) -> str:
    who = f"@{sender_name} " if sender_name else ""
    return f"{who}报名成功：{a.get('title') or ''}，{_when(a.get('starts_at'))}，" \
           f"{a.get('place') or ''}。感谢您的参与！"


def activity_full_reply(a: Mapping[str, Any], sender_name: str) -> str:
    who = f"@{sender_name} " if sender_name else ""
    return f"{who}{a.get('title') or ''}名额已满，感谢您的热心！"


def already_signed_up_reply(a: Mapping[str, Any], sender_name: str) -> str:
    who = f"@{sender_name} " if sender_name else ""
    return f"{who}您已报名{a.get('title') or ''}，无需重复报名。"


def results_message(q: Mapping[str, Any], responses: Sequence[Mapping[str, Any]]) -> str:
    """The results posted to the groups when a public questionnaire closes."""
    results = questionnaire_results(list(q.get("questions") or []), responses)
    lines = [f"【问卷结果】{q.get('title') or ''}（共{len(responses)}份回复）"]
    for i, r in enumerate(results, start=1):
        if r.kind in CHOICE_KINDS:
            parts = [f"{letter(j)}.{o} {n}票" for j, (o, n) in enumerate(
                zip(r.options, r.counts, strict=True))]
            lines.append(f"{i}. {r.text}：" + "，".join(parts))
        elif r.kind == SCALE:
            lines.append(f"{i}. {r.text}：平均{r.average:.1f}分" if r.average is not None
                         else f"{i}. {r.text}：暂无评分")
    lines.append("感谢各位居民的参与！")
    return "\n".join(lines)


# --- tallies -------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """One question's results: counts per option (choices), per score (scale) with the
    average, or the texts given."""

    id: str
    kind: str
    text: str
    options: list[str]
    counts: list[int]
    answered: int = 0
    average: float | None = None
    texts: list[str] = field(default_factory=list)


def questionnaire_results(questions: Sequence[Mapping[str, Any]],
                          responses: Iterable[Mapping[str, Any]]) -> list[QuestionResult]:
    """Per question results over the current answers of ``responses``.

    Answers that do not fit the question (a questionnaire edited in draft after a test
    answer, say) are left out rather than counted wrongly.
    """
    results: list[QuestionResult] = []
    for q in questions:
        kind = str(q.get("kind"))
        options = list(q.get("options") or [])
        if kind == SCALE:
            low, high = SCALE_RANGE
            options = [str(n) for n in range(low, high + 1)]
        results.append(QuestionResult(str(q.get("id")), kind, str(q.get("text") or ""),
                                      options, [0] * len(options)))
    by_id = {r.id: (r, q) for r, q in zip(results, questions, strict=True)}
    for response in responses:
        answers = response.get("answers") or {}
        for qid, value in answers.items():
            entry = by_id.get(qid)
            if entry is None or _value_problem(entry[1], value) is not None or value is None:
                continue
            r = entry[0]
            r.answered += 1
            if r.kind == SINGLE:
                r.counts[value] += 1
            elif r.kind == MULTIPLE:
                for v in value:
                    r.counts[v] += 1
            elif r.kind == SCALE:
                r.counts[value - SCALE_RANGE[0]] += 1
            else:
                r.texts.append(str(value))
    for r in results:
        if r.kind == SCALE and r.answered:
            r.average = sum((i + SCALE_RANGE[0]) * n for i, n in enumerate(r.counts)) \
                / r.answered
    return results


def responses_by_grid(responses: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """Responses per grid id (``""`` for a response with no grid)."""
    return Counter(str(r.get("grid_id") or "") for r in responses)


def response_rate(responses: int, households: int) -> float | None:
    """Responses against households in the target grids (None without households)."""
    return responses / households if households else None


@dataclass
class Tally:
    """A consultation's count, online (latest stance per resident) and in meetings."""

    support: int = 0
    oppose: int = 0
    abstain: int = 0
    choices: Counter[str] = field(default_factory=Counter)
    opinions: int = 0
    """Contributions with a text (opinions, and reasons given with a stance or vote)."""
    people: int = 0
    offline_support: int = 0
    offline_oppose: int = 0
    offline_abstain: int = 0
    offline_choices: Counter[str] = field(default_factory=Counter)

    @property
    def total_support(self) -> int:
        return self.support + self.offline_support

    @property
    def total_oppose(self) -> int:
        return self.oppose + self.offline_oppose

    def total_choice(self, choice: str) -> int:
        return self.choices[choice] + self.offline_choices[choice]


def _person(comment: Mapping[str, Any]) -> str:
    for key in ("household_id", "sender_id", "staff_id"):
        if comment.get(key):
            return f"{key}:{comment[key]}"
    return f"id:{comment.get('id')}"


def consultation_tally(comments: Iterable[Mapping[str, Any]],
                       meetings: Iterable[Mapping[str, Any]] = ()) -> Tally:
    """Count a consultation's stances and votes.

    Online, each person counts once, by their latest stance (and their latest option
    vote): a later reply replaces an earlier one, as for questionnaires. Meetings add the
    votes taken in the room (``votes``: ``support`` / ``oppose`` / ``abstain`` / option
    letters → counts), so the decision shows both.
    """
    tally = Tally()
    stance_of: dict[str, tuple[dt.datetime, str]] = {}
    choice_of: dict[str, tuple[dt.datetime, str]] = {}
    people: set[str] = set()
    for c in comments:
        person = _person(c)
        people.add(person)
        key = _moment(c.get("received_at"))
        if c.get("stance") in ("support", "oppose") and (
                person not in stance_of or stance_of[person][0] <= key):
            stance_of[person] = (key, str(c["stance"]))
        if c.get("choice") and (person not in choice_of or choice_of[person][0] <= key):
            choice_of[person] = (key, str(c["choice"]))
        if (c.get("text") or "").strip():
            tally.opinions += 1
    tally.people = len(people)
    for _, stance in stance_of.values():
        if stance == "support":
            tally.support += 1
        else:
            tally.oppose += 1
    for _, choice in choice_of.values():
        tally.choices[choice] += 1
    for meeting in meetings:
        for key, count in (meeting.get("votes") or {}).items():
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                continue
            if key == "support":
                tally.offline_support += count
            elif key == "oppose":
                tally.offline_oppose += count
            elif key == "abstain":
                tally.offline_abstain += count
            elif key in LETTERS:
                tally.offline_choices[key] += count
    return tally


# --- record checks (run by validation.validate_record) -------------------------------

ATTENDEE_KINDS = ("resident", "staff", "property", "other")
MEETING_VOTE_KEYS = ("support", "oppose", "abstain", *LETTERS)
MAX_VOLUNTEERS_NEEDED = 1000


def _string_list(values: Mapping[str, Any], name: str) -> list[Problem]:
    items = values.get(name)
    if isinstance(items, list) and any(not isinstance(v, str) or not v for v in items):
        return [Problem(name, "invalid_item", f"{name} must be a list of non-empty strings")]
    return []


def record_problems(entity: str, values: Mapping[str, Any]) -> list[Problem]:
    """Checks beyond the generic ones (types, lengths, choices) for the participation
    records; fields absent or ``None`` are not checked."""
    problems: list[Problem] = []
    if "grid_ids" in ENTITY_FIELDS_WITH_GRIDS.get(entity, ()):
        problems += _string_list(values, "grid_ids")
    if entity == "questionnaire" and values.get("questions") is not None:
        problems += question_problems(values["questions"])
    elif entity == "consultation":
        problems += _string_list(values, "ticket_ids")
        if values.get("options"):
            problems += _option_problems("options", values["options"], minimum=2)
    elif entity == "consultation_comment":
        choice = values.get("choice")
        if choice is not None and (not isinstance(choice, str) or len(choice) != 1
                                   or choice not in LETTERS):
            problems.append(Problem("choice", "invalid_choice", "an option letter A-J"))
        if values.get("stance") is None and not choice and not (values.get("text") or "").strip():
            problems.append(Problem("text", "required", "a comment needs a stance or a text"))
    elif entity == "consultation_meeting":
        problems += _meeting_problems(values)
    elif entity == "volunteer":
        problems += _string_list(values, "skills")
    elif entity == "volunteer_activity":
        needed = values.get("needed")
        if isinstance(needed, int) and not 1 <= needed <= MAX_VOLUNTEERS_NEEDED:
            problems.append(Problem("needed", "out_of_range",
                                    f"needed must be 1..{MAX_VOLUNTEERS_NEEDED}",
                                    {"min": 1, "max": MAX_VOLUNTEERS_NEEDED}))
        starts, ends = values.get("starts_at"), values.get("ends_at")
        if isinstance(starts, dt.datetime) and isinstance(ends, dt.datetime) and ends < starts:
            problems.append(Problem("ends_at", "before_start", "it ends before it starts"))
    return problems


ENTITY_FIELDS_WITH_GRIDS: dict[str, tuple[str, ...]] = {
    "questionnaire": ("grid_ids",),
    "consultation": ("grid_ids",),
    "volunteer_activity": ("grid_ids",),
}


_SHA256 = re.compile(r"[0-9a-f]{64}")


MAX_ATTENDEES = 500
MAX_MEETING_PHOTOS = 20
ATTENDEE_REFS = {"household_id": "resident", "staff_id": "staff"}
"""Who an attendee is, beside the name: a resident's household, a staff member."""


def _attendee_problem(i: int, a: Any) -> Problem | None:
    """An attendee is ``{"kind", "name"}`` (:data:`ATTENDEE_KINDS`), a resident maybe with
    the ``household_id`` they came for, a staff member with their ``staff_id``."""
    where = f"attendees[{i}]"
    if (not isinstance(a, dict) or a.get("kind") not in ATTENDEE_KINDS
            or not isinstance(a.get("name"), str) or not a["name"].strip()
            or len(a["name"]) > 64):
        return Problem(where, "invalid_item", "an attendee has a kind (resident, staff, "
                       "property, other) and a name")
    for key in sorted(set(a) - {"kind", "name", *ATTENDEE_REFS}):
        return Problem(f"{where}.{key}", "unknown_field", f"{where} has no field {key!r}")
    for key, kind in ATTENDEE_REFS.items():
        ref = a.get(key)
        if ref is None:
            continue
        if a["kind"] != kind:
            return Problem(f"{where}.{key}", "not_allowed", f"only a {kind} has a {key}")
        if not (isinstance(ref, str) and is_uuid(ref)):
            return Problem(f"{where}.{key}", "invalid_type", f"{key} is a record id")
    return None


def attendee_refs(attendees: Any, key: str) -> list[tuple[int, str]]:
    """``(index, id)`` of the attendees that name a record by ``key``
    (``household_id`` / ``staff_id``)."""
    if not isinstance(attendees, list):
        return []
    return [(i, str(a[key])) for i, a in enumerate(attendees)
            if isinstance(a, dict) and isinstance(a.get(key), str)]


def _meeting_problems(values: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    attendees = values.get("attendees")
    if isinstance(attendees, list):
        if len(attendees) > MAX_ATTENDEES:
            problems.append(Problem("attendees", "too_many", f"at most {MAX_ATTENDEES} attendees",
                                    {"max": MAX_ATTENDEES}))
        for i, a in enumerate(attendees):
            problem = _attendee_problem(i, a)
            if problem is not None:
                problems.append(problem)
                break
    photos = values.get("photos")
    if isinstance(photos, list) and len(photos) > MAX_MEETING_PHOTOS:
        problems.append(Problem("photos", "too_many", f"at most {MAX_MEETING_PHOTOS} photos",
                                {"max": MAX_MEETING_PHOTOS}))
    elif isinstance(photos, list) and any(not isinstance(p, str) or not _SHA256.fullmatch(p)
                                        for p in photos):
        problems.append(Problem("photos", "invalid_photo",
                                "photos must be sha256 hashes (lower-case hex)"))
    votes = values.get("votes")
    if isinstance(votes, dict):
        for key, count in votes.items():
            if key not in MEETING_VOTE_KEYS or isinstance(count, bool) \
                    or not isinstance(count, int) or not 0 <= count <= 100_000:
                problems.append(Problem(f"votes.{key}", "invalid",
                                        "votes are counts of support, oppose, abstain or an "
                                        "option letter"))
                break
    return problems


def attendance_problem(value: Any) -> str | None:
    """The check of a ``complete`` step's ``attendance`` argument: a list of
    ``{"volunteer_id", "hours"}`` with hours 0..24, each volunteer once."""
    if not isinstance(value, list):
        return "must be a list of {volunteer_id, hours}"
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or set(item) - {"volunteer_id", "hours"}:
            return "must be a list of {volunteer_id, hours}"
        vid, hours = item.get("volunteer_id"), item.get("hours")
        if not isinstance(vid, str) or not vid or vid in seen:
            return "each volunteer once, by id"
        seen.add(vid)
        if isinstance(hours, bool) or not isinstance(hours, int | float) \
                or not 0 <= hours <= 24:
            return "hours must be 0..24"
    return None


def volunteer_hours(activities: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Hours per volunteer id over done activities."""
    hours: dict[str, float] = {}
    for a in activities:
        if a.get("status") != "done":
            continue
        for item in a.get("attended") or []:
            if isinstance(item, dict) and isinstance(item.get("volunteer_id"), str):
                h = item.get("hours")
                if isinstance(h, int | float) and not isinstance(h, bool):
                    hours[item["volunteer_id"]] = hours.get(item["volunteer_id"], 0.0) + h
    return hours
