"""The participation rules both sides share: reply syntax, answers, tallies, steps."""

from __future__ import annotations

import datetime as dt

import pytest

from gulou_desk.domain import participation as p
from gulou_desk.domain import workflows
from gulou_desk.domain.participation_templates import (
    CONSULTATION_TEMPLATES,
    QUESTIONNAIRE_TEMPLATES,
)
from gulou_desk.domain.validation import validate_record
from gulou_desk.domain.workflows import Actor, WorkflowError
from gulou_desk.records import SHANGHAI

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
QUESTIONS = [
    {"id": "q1", "kind": "single", "text": "是否赞成？", "options": ["赞成", "不赞成", "无所谓"],
     "required": True},
    {"id": "q2", "kind": "multiple", "text": "哪些方面？", "options": ["绿化", "座椅", "照明"]},
    {"id": "q3", "kind": "scale", "text": "满意度", "required": True},
    {"id": "q4", "kind": "text", "text": "建议"},
]
CLERK = Actor("c1", "clerk", community_id="com")
WORKER = Actor("w1", "social_worker", grid_ids=frozenset({"gA"}))


@pytest.mark.parametrize(("text", "entity", "number", "body"), [
    ("问卷12 1A 2C 3:5", "questionnaire", 12, "1A 2C 3:5"),
    ("问卷１２　１Ａ", "questionnaire", 12, "1A"),
    ("@鼓宝 问卷 3 1A", "questionnaire", 3, "1A"),
    ("协商7 支持，早该修了", "consultation", 7, "支持，早该修了"),
    ("报名 活动5", "volunteer_activity", 5, ""),
    ("报名活动5", "volunteer_activity", 5, ""),
    ("活动5 报名", "volunteer_activity", 5, ""),
])
def test_replies_are_recognised(text: str, entity: str, number: int, body: str) -> None:
    ref = p.recognise(text)
    assert ref is not None
    assert (ref.entity, ref.number, ref.body) == (entity, number, body.replace("，", ","))


@pytest.mark.parametrize("text", ["3栋路灯坏了", "问卷调查什么时候做？", "我想报名",
                                  "活动室开门吗"])
def test_ordinary_messages_are_not_replies(text: str) -> None:
    assert p.recognise(text) is None


@pytest.mark.parametrize(("body", "answers"), [
    ("1A 2AC 3:5", {"q1": 0, "q2": [0, 2], "q3": 5}),
    ("1a2c3:5", {"q1": 0, "q2": [2], "q3": 5}),
    ("1.B 2A,C 3=4 4:多装 路灯", {"q1": 1, "q2": [0, 2], "q3": 4, "q4": "多装 路灯"}),
    ("3:5分 1C", {"q3": 5, "q1": 2}),
    ("1A 3:5 1B", {"q1": 1, "q3": 5}),  # answered twice: the later answer
    ("4:停车难 3:2 1A", {"q4": "停车难", "q3": 2, "q1": 0}),
])
def test_answers_are_read(body: str, answers: dict) -> None:
    assert p.parse_answers(QUESTIONS, body) == answers


@pytest.mark.parametrize(("body", "code", "reason"), [
    ("1D 3:5", "bad_choice", "第1题没有选项D"),
    ("1AB 3:5", "one_choice", "第1题只能选一个"),
    ("1A", "missing_required", "第3题必答"),
    ("1A 3:9", "bad_scale", "第3题请打1到5分"),
    ("1A 3:5 9B", "unknown_question", "没有第9题"),
    ("好的", "unreadable", "看不懂"),
    ("", "empty", "没有找到答案"),
    ("1A 3:5 4", "text_needs_colon", "第4题请写成 4:您的意见"),
])
def test_unreadable_answers_say_why(body: str, code: str, reason: str) -> None:
    problem = p.parse_answers(QUESTIONS, body)
    assert isinstance(problem, p.ReplyProblem)
    assert problem.code == code
    assert reason in problem.reason


def test_consultation_replies() -> None:
    read = p.parse_consultation_reply
    assert read("支持 早该修了", stage="collecting", options=[]) == p.ConsultationReply(
        "support", None, "早该修了")
    assert read("不同意，太吵", stage="discussing", options=[]).stance == "oppose"  # type: ignore[union-attr]
    assert read("可以错时停车", stage="collecting", options=[]) == p.ConsultationReply(
        "opinion", None, "可以错时停车")
    assert read("选B 方便", stage="voting", options=["a", "b"]) == p.ConsultationReply(
        None, "B", "方便")
    assert isinstance(read("支持", stage="voting", options=["a", "b"]), p.ReplyProblem)
    assert isinstance(read("C", stage="voting", options=["a", "b"]), p.ReplyProblem)
    assert isinstance(read("意见", stage="collecting", options=[]), p.ReplyProblem)


def test_answers_are_checked_against_the_questions() -> None:
    assert p.answer_problems(QUESTIONS, {"q1": 0, "q3": 5}) == []
    fields = {x.field for x in p.answer_problems(QUESTIONS, {
        "q1": 3, "q2": [1, 1], "q3": True, "q4": "", "q9": 1})}
    assert fields == {"answers.q1", "answers.q2", "answers.q3", "answers.q4", "answers.q9"}
    assert [x.field for x in p.answer_problems(QUESTIONS, {"q1": 0})] == ["answers.q3"]


def test_question_lists_are_checked() -> None:
    assert p.question_problems(QUESTIONS) == []
    bad = [{"id": "q1", "kind": "single", "text": "x", "options": ["only"]},
           {"id": "q1", "kind": "scale", "text": "y", "options": ["a", "b"]},
           {"id": "bad id", "kind": "rank", "text": ""}]
    fields = [x.field for x in p.question_problems(bad)]
    assert fields == ["questions[0].options", "questions[1].id", "questions[1].options",
                      "questions[2].id", "questions[2].kind", "questions[2].text"]


def test_every_template_is_valid_and_renders() -> None:
    for t in QUESTIONNAIRE_TEMPLATES:
        record = {"community_id": "c", "status": "draft", "results_visibility": "staff",
                  **t.questionnaire_fields()}
        assert validate_record("questionnaire", record) == []
        text = p.questionnaire_message({**record, "code": "问卷3"})
        assert p.reply_example(record["questions"], "问卷3") in text
    for t in CONSULTATION_TEMPLATES:
        record = {"community_id": "c", "stage": "collecting", "proposer_kind": "staff",
                  **t.consultation_fields()}
        assert validate_record("consultation", record) == []


def test_results_and_tally() -> None:
    responses = [{"answers": {"q1": 0, "q2": [0, 2], "q3": 5, "q4": "好"}, "grid_id": "gA"},
                 {"answers": {"q1": 0, "q3": 3}, "grid_id": "gA"},
                 {"answers": {"q1": 2, "q2": [2], "q3": 4, "q9": 1}, "grid_id": "gB"}]
    results = p.questionnaire_results(QUESTIONS, responses)
    assert results[0].counts == [2, 0, 1]
    assert results[1].counts == [1, 0, 2] and results[1].answered == 2
    assert results[2].average == pytest.approx(4.0) and results[2].counts == [0, 0, 1, 1, 1]
    assert results[3].texts == ["好"]
    assert p.responses_by_grid(responses) == {"gA": 2, "gB": 1}
    early, late = NOW, NOW + dt.timedelta(hours=1)
    comments = [
        {"sender_id": "a", "stance": "support", "received_at": early},
        {"sender_id": "a", "stance": "oppose", "received_at": late, "text": "想了想"},
        {"sender_id": "b", "stance": "support", "received_at": early},
        {"sender_id": "c", "choice": "B", "received_at": late},
        {"sender_id": "c", "choice": "A", "received_at": early},
    ]
    tally = p.consultation_tally(comments, [{"votes": {"support": 5, "B": 2, "x": 9}}])
    assert (tally.support, tally.oppose, tally.total_support) == (1, 1, 6)
    assert tally.choices == {"B": 1} and tally.total_choice("B") == 3
    assert tally.people == 3 and tally.opinions == 1


def test_answers_too_late() -> None:
    q = {"status": "published", "closes_at": NOW}
    assert not p.answered_too_late(q, NOW)
    assert p.answered_too_late(q, NOW + dt.timedelta(seconds=1))
    closed = {"status": "closed", "closes_at": None, "closed_at": NOW}
    assert not p.answered_too_late(closed, NOW - dt.timedelta(hours=1))
    assert p.answered_too_late(closed, NOW + dt.timedelta(seconds=1))


def test_fields_locked_by_state() -> None:
    names = ["questions", "closes_at", "grid_ids"]
    assert p.locked_fields("questionnaire", {"status": "draft"}, names) == []
    assert p.locked_fields("questionnaire", {"status": "published"}, names) == [
        "questions", "grid_ids"]
    assert p.locked_fields("questionnaire", {"status": "closed"}, names) == names
    assert p.locked_fields("consultation", {"stage": "collecting"}, ["options"]) == []
    assert p.locked_fields("consultation", {"stage": "voting", "published_at": NOW},
                           ["options"]) == ["options"]


def test_questionnaire_steps() -> None:
    draft = {"status": "draft", "grid_ids": ["gA"], "questions": QUESTIONS,
             "closes_at": NOW + dt.timedelta(days=1)}
    step = workflows.questionnaire_step(draft, "publish", {}, CLERK, NOW)
    assert step.changes == {"status": "published", "opens_at": NOW}
    with pytest.raises(WorkflowError) as refused:
        workflows.questionnaire_step({**draft, "closes_at": NOW}, "publish", {}, CLERK, NOW)
    assert refused.value.details["field"] == "closes_at"
    # A worker runs items of their own grids only.
    workflows.questionnaire_step(draft, "publish", {}, WORKER, NOW)
    with pytest.raises(WorkflowError) as refused:
        workflows.questionnaire_step({**draft, "grid_ids": ["gA", "gB"]}, "publish", {},
                                     WORKER, NOW)
    assert refused.value.code == "forbidden"
    with pytest.raises(WorkflowError) as refused:
        workflows.questionnaire_step(draft, "close", {}, CLERK, NOW)
    assert refused.value.code == "invalid_transition"


def test_consultation_steps_keep_a_history() -> None:
    c: dict = {"stage": "collecting", "grid_ids": ["gA"], "options": []}
    for action, args in (("publish", {}), ("discuss", {}), ("vote", {}),
                         ("decide", {"decision": "修"}), ("announce", {"announcement": "公示"})):
        c.update(workflows.consultation_step(c, action, args, CLERK, NOW).changes)
    assert c["stage"] == "announced" and c["decision"] == "修"
    assert [h["action"] for h in c["history"]] == ["publish", "discuss", "vote", "decide",
                                                   "announce"]
    with pytest.raises(WorkflowError):
        workflows.consultation_step({"stage": "collecting", "grid_ids": ["gA"],
                                     "options": ["only one"]}, "vote", {}, CLERK, NOW)


def test_activity_sign_up_and_attendance() -> None:
    a: dict = {"status": "published", "grid_ids": ["gA"], "needed": 1, "signups": []}
    a.update(workflows.activity_step(a, "sign_up", {"volunteer_id": "v1"}, CLERK, NOW).changes)
    with pytest.raises(WorkflowError) as full:
        workflows.activity_step(a, "sign_up", {"volunteer_id": "v2"}, CLERK, NOW)
    assert full.value.details["problem"] == "full"
    with pytest.raises(WorkflowError) as bad:
        workflows.activity_step(a, "complete", {"attendance": [{"volunteer_id": "v1",
                                                                "hours": 30}]}, CLERK, NOW)
    assert bad.value.details["field"] == "attendance"
    step = workflows.activity_step(a, "complete", {"attendance": [
        {"volunteer_id": "v1", "hours": 2}]}, CLERK, NOW)
    assert step.changes["status"] == "done"
    assert p.volunteer_hours([{**a, **step.changes}]) == {"v1": 2.0}


def test_a_household_response_is_replaced_keeping_history() -> None:
    response = {"household_id": "h1", "grid_id": "gA", "answers": {"q1": 0},
                "channel": "visit", "received_at": NOW, "history": []}
    step = workflows.response_step(response, "replace", {"answers": {"q1": 1},
                                                         "channel": "phone"}, WORKER, NOW)
    assert step.changes["answers"] == {"q1": 1}
    assert step.changes["history"][0]["answers"] == {"q1": 0}
    with pytest.raises(WorkflowError) as foreign:
        workflows.response_step({**response, "grid_id": "gB"}, "replace",
                                {"answers": {}, "channel": "visit"}, WORKER, NOW)
    assert foreign.value.code == "forbidden"
    assert p.response_id("q", "household:h1") == p.response_id("q", "household:h1")
    assert p.response_id("q", "household:h1") != p.response_id("q", "household:h2")
