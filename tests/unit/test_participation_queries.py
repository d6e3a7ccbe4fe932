"""Client reads of the 居民参与 section: the questionnaire list and results (per question,
per grid, against the households of the target grids), the consultation board, and the
figures per community. A real local store; records as a sync would leave them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gulou_desk.domain import participation
from gulou_desk.records import SHANGHAI
from gulou_desk.store.engine import Store
from gulou_desk.store.participation_queries import (
    activity_rows,
    activity_signups,
    community_figures,
    consultation_board,
    consultation_detail,
    households_in_grids,
    questionnaire_count,
    questionnaire_page,
    questionnaire_results,
)
from gulou_desk.store.rows import replace_row

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)
QUESTIONS = [
    {"id": "q1", "kind": "single", "text": "赞成吗？", "options": ["赞成", "反对"],
     "required": True},
    {"id": "q2", "kind": "scale", "text": "满意度"},
    {"id": "q3", "kind": "text", "text": "建议"},
]


def put(store: Store, entity: str, rid: str, **values: Any) -> str:
    with store.write() as session:
        replace_row(session, entity, rid, values, 1)
    return rid


def world(store: Store) -> None:
    put(store, "community", "c1", name="汇林绿洲社区", street_id="s1")
    put(store, "community", "c2", name="西康路社区", street_id="s1")
    for gid, name, community in (("gA", "第1网格", "c1"), ("gB", "第2网格", "c1"),
                                 ("gX", "西康1网格", "c2")):
        put(store, "grid", gid, name=name, community_id=community, worker_ids=[])
    for i, grid in enumerate(("gA", "gA", "gA", "gA", "gB", "gB", "gX")):
        put(store, "household", f"h{i}", grid_id=grid, address=f"{grid}-{i}室",
            head_name=f"户主{i}", status="active", tags=[])


def questionnaire(store: Store, qid: str, *, status: str = "published",
                  community: str = "c1", grids: tuple[str, ...] = ("gA", "gB"),
                  created: int = 0) -> str:
    return put(store, "questionnaire", qid, community_id=community, grid_ids=list(grids),
               title=f"问卷{qid}", questions=QUESTIONS, status=status,
               results_visibility="staff", code=None if status == "draft" else f"问卷{qid}",
               created_at=NOW + dt.timedelta(minutes=created), opens_at=NOW,
               closes_at=NOW + dt.timedelta(days=7))


def response(store: Store, qid: str, who: str, grid: str, answers: dict[str, Any],
             *, household: str | None = None) -> None:
    respondent = participation.household_respondent(household) if household else \
        participation.wechat_respondent(who)
    put(store, "questionnaire_response", participation.response_id(qid, respondent),
        questionnaire_id=qid, grid_id=grid, household_id=household,
        sender_id=None if household else who, sender_name=None if household else who,
        answers=answers, channel="visit" if household else "wechat", received_at=NOW,
        history=[])


def test_questionnaires_with_their_responses_against_the_target_grids(
        local_store: Store) -> None:
    world(local_store)
    questionnaire(local_store, "1", created=1)
    questionnaire(local_store, "2", status="draft", grids=("gA",), created=2)
    response(local_store, "1", "wx1", "gA", {"q1": 0, "q2": 5, "q3": "多种树"})
    response(local_store, "1", "wx2", "gA", {"q1": 1, "q2": 3})
    response(local_store, "1", "", "gB", {"q1": 0}, household="h4")
    with local_store.session() as s:
        rows = questionnaire_page(s)
        assert [r.id for r in rows] == ["2", "1"]  # newest first
        assert (rows[1].responses, rows[1].households, rows[1].grids) == (3, 6, "第1网格、第2网格")
        assert rows[0].responses == 0 and rows[0].code is None
        assert questionnaire_count(s, search="问卷1") == 1
        assert [r.id for r in questionnaire_page(s, order_by="-responses")] == ["1", "2"]
        results = questionnaire_results(s, "1")
        assert results is not None
        assert results.total == 3 and results.households == 6
        assert [(g.name, g.responses, g.households) for g in results.grids] == [
            ("第1网格", 2, 4), ("第2网格", 1, 2)]
        q1, q2, q3 = results.results
        assert q1.counts == [2, 1] and q2.counts == [0, 0, 1, 0, 1] and q2.average == 4.0
        assert q3.texts == ["多种树"]
        assert {line.who for line in results.responses} == {"wx1", "wx2", "gB-4室"}
        assert results.community_name == "汇林绿洲社区"
        assert "【民主问卷】问卷1" in results.preview
        assert [h.id for h in households_in_grids(s, ["gB"], search="gB-4")] == ["h4"]


def test_the_board_by_stage_and_the_figures_per_community(local_store: Store) -> None:
    world(local_store)
    questionnaire(local_store, "1")
    questionnaire(local_store, "2", status="draft")
    questionnaire(local_store, "3", community="c2", grids=("gX",))
    response(local_store, "1", "wx1", "gA", {"q1": 0})
    for cid, stage in (("k1", "voting"), ("k2", "decided"), ("k3", "closed")):
        put(local_store, "consultation", cid, community_id="c1", grid_ids=["gA"],
            topic=f"议题{cid}", stage=stage, proposer_kind="staff", options=[],
            ticket_ids=["t1"] if stage == "decided" else [], history=[],
            created_at=NOW)
    put(local_store, "ticket", "t1", number="GL1", title="落实议题", status="assigned",
        category="property", priority="normal", grid_id="gA", created_at=NOW,
        source_message_ids=[], escalated=False)
    for i, (who, stance) in enumerate((("wx1", "support"), ("wx2", "oppose"),
                                       ("wx1", "oppose"))):
        put(local_store, "consultation_comment", f"m{i}", consultation_id="k1", grid_id="gA",
            author_kind="resident", sender_id=who, sender_name=who, stance=stance,
            channel="wechat", received_at=NOW + dt.timedelta(minutes=i))
    put(local_store, "consultation_meeting", "meet", consultation_id="k1", held_at=NOW,
        votes={"support": 4, "oppose": 1})
    put(local_store, "volunteer_activity", "a1", community_id="c1", grid_ids=["gA"],
        title="楼道清洁", starts_at=NOW, status="done", signups=[{"volunteer_id": "v1"}],
        attended=[{"volunteer_id": "v1", "hours": 2.5}, {"volunteer_id": "v2", "hours": 1}])
    put(local_store, "volunteer", "v1", community_id="c1", name="小王", skills=[], active=True)
    with local_store.session() as s:
        board = consultation_board(s)
        assert [c.id for c in board["voting"]] == ["k1"]
        assert board["collecting"] == [] and [c.id for c in board["closed"]] == ["k3"]
        voting = board["voting"][0]
        # Online, each resident by their latest stance (wx1 changed to oppose); the
        # meeting's votes join.
        assert (voting.support, voting.oppose, voting.people) == (4, 3, 2)
        decided = consultation_detail(s, "k2")
        assert decided is not None
        assert [(t.number, t.status) for t in decided.tickets] == [("GL1", "assigned")]
        assert "【协商结果公示】议题k2" in decided.preview
        assert [(p.volunteer_id, p.name) for p in activity_signups(s, "a1")] == [
            ("v1", "小王")]
        [activity] = activity_rows(s)
        assert (activity.signed_up, activity.attended, activity.hours) == (1, 2, 3.5)
        figures = {f.name: f for f in community_figures(s)}
        c1 = figures["汇林绿洲社区"]
        assert (c1.questionnaires_run, c1.responses, c1.households) == (1, 1, 6)
        assert (c1.consultations, c1.consultations_decided) == (3, 2)
        assert (c1.activities_done, c1.volunteer_hours) == (1, 3.5)
        assert figures["西康路社区"].questionnaires_run == 1
        assert figures["西康路社区"].rate == 0.0


def test_questionnaires_sorted_by_community_go_by_its_name_in_pinyin(
        local_store: Store) -> None:
    """The column shows the community's name; sorted, it went by the community's id and
    looked unsorted (found by the reviewer). By the name's pinyin, as a person reads."""
    world(local_store)
    put(local_store, "community", "c0", name="宁海路社区", street_id="s1")
    put(local_store, "community", "c9", name="阅江楼社区", street_id="s1")
    for qid, community in (("1", "c2"), ("2", "c9"), ("3", "c1"), ("4", "c0")):
        questionnaire(local_store, qid, community=community, grids=())
    with local_store.session() as s:
        # 汇林绿洲 (hui), 宁海路 (ning), 西康路 (xi), 阅江楼 (yue)
        assert [r.id for r in questionnaire_page(s, order_by="community_id")] == [
            "3", "4", "1", "2"]
        assert [r.id for r in questionnaire_page(s, order_by="-community_id")] == [
            "2", "1", "4", "3"]
